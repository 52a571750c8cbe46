/*
 * memory.c - linear memories: a guard-page reservation whose accessible
 * prefix grows by mprotect, and the bulk memory operations.
 *
 * Each memory reserves WR_MEMORY_RESERVATION bytes of PROT_NONE address
 * space (MAP_NORESERVE: no memory is committed for it), so compiled code
 * needs no bounds checks: base + 32-bit index + 32-bit offset always lands
 * in the reservation, and beyond the current size it faults (DESIGN.md
 * point 3). The base never moves. Page faults are costly on the machines
 * this runs on (FACTS.md), so the reservation asks for transparent huge
 * pages; anonymous memory gets them where THP is in "madvise" mode.
 * Fresh anonymous pages are zero, which is the initial contents the spec
 * requires.
 */
#include <stdlib.h>
#include <sys/mman.h>

#include "runtime/runtime.h"

wasmrt_result wr_memory_create(wasmrt_store *s, uint64_t min, bool has_max, uint64_t max,
                               wasmrt_memory **out, wasmrt_error *err)
{
  *out = NULL;
  if (min > WR_MAX_PAGES || (has_max && (max > WR_MAX_PAGES || max < min)))
    return wr_error_set(err, WASMRT_ERROR_ARGUMENT,
                        "memory limits (min %llu, max %llu) are not valid: at most 65536 pages, "
                        "min <= max",
                        (unsigned long long)min, (unsigned long long)max);
  wasmrt_result r = WASMRT_ERROR_NOMEM;
  wasmrt_memory *mem = calloc(1, sizeof *mem);
  if (!mem)
    goto nomem;
  void *p = mmap(NULL, WR_MEMORY_RESERVATION, PROT_NONE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) {
    r = wr_error_set(err, WASMRT_ERROR_NOMEM,
                     "cannot reserve 8 GiB of address space for a memory (RLIMIT_AS?)");
    goto fail;
  }
  mem->m.base = p;
  mem->m.reserved = WR_MEMORY_RESERVATION;
#ifdef MADV_HUGEPAGE
  /* Advice only: a kernel without THP says EINVAL, which changes nothing. */
  (void)madvise(p, WR_MEMORY_RESERVATION, MADV_HUGEPAGE);
#endif
  if (min && mprotect(p, min * WR_PAGE_SIZE, PROT_READ | PROT_WRITE) != 0) {
    r = wr_error_set(err, WASMRT_ERROR_NOMEM, "cannot make %llu pages of memory accessible",
                     (unsigned long long)min);
    goto fail;
  }
  mem->m.pages = min;
  mem->m.max_pages = has_max ? max : WR_MAX_PAGES;
  mem->has_max = has_max;
  mem->store = s;
  if (!wr_ptrvec_push(&s->memories, mem))
    goto nomem;
  *out = mem;
  return WASMRT_OK;
nomem:
  r = wr_error_set(err, WASMRT_ERROR_NOMEM, "out of memory creating a memory");
fail:
  wr_memory_destroy(mem);
  return r;
}

void wr_memory_destroy(wasmrt_memory *mem)
{
  if (!mem)
    return;
  if (mem->m.base)
    munmap(mem->m.base, mem->m.reserved);
  free(mem);
}

uint64_t wr_memory_grow(wr_memory *m, uint32_t delta)
{
  uint64_t old = m->pages;
  if (delta == 0)
    return old;
  if ((uint64_t)delta > m->max_pages - old)
    return UINT64_MAX;
  if (mprotect(m->base + old * WR_PAGE_SIZE, (size_t)delta * WR_PAGE_SIZE,
               PROT_READ | PROT_WRITE) != 0)
    return UINT64_MAX;
  m->pages = old + delta;
  return old;
}

static inline bool wr_in_bounds(uint64_t at, uint64_t n, uint64_t size)
{
  return at + n <= size; /* 32-bit operands: no overflow in 64 bits */
}

wasmrt_trap_kind wr_memory_fill(wr_memory *m, uint32_t d, uint8_t value, uint32_t n)
{
  if (!wr_in_bounds(d, n, m->pages * WR_PAGE_SIZE))
    return WASMRT_TRAP_MEMORY_OUT_OF_BOUNDS;
  memset(m->base + d, value, n);
  return WASMRT_TRAP_NONE;
}

wasmrt_trap_kind wr_memory_copy(wr_memory *dst, const wr_memory *src, uint32_t d, uint32_t s,
                                uint32_t n)
{
  if (!wr_in_bounds(d, n, dst->pages * WR_PAGE_SIZE) ||
      !wr_in_bounds(s, n, src->pages * WR_PAGE_SIZE))
    return WASMRT_TRAP_MEMORY_OUT_OF_BOUNDS;
  memmove(dst->base + d, src->base + s, n);
  return WASMRT_TRAP_NONE;
}

wasmrt_trap_kind wr_memory_init(wr_memory *m, const uint8_t *bytes, uint32_t size, uint32_t d,
                                uint32_t s, uint32_t n)
{
  if (!wr_in_bounds(s, n, size) || !wr_in_bounds(d, n, m->pages * WR_PAGE_SIZE))
    return WASMRT_TRAP_MEMORY_OUT_OF_BOUNDS;
  if (n)
    memcpy(m->base + d, bytes + s, n);
  return WASMRT_TRAP_NONE;
}

wasmrt_result wasmrt_memory_new(wasmrt_store *store, uint32_t min_pages, int has_max,
                                uint32_t max_pages, wasmrt_memory **memory_out, wasmrt_error *error)
{
  if (!store || !memory_out)
    return wr_error_set(error, WASMRT_ERROR_ARGUMENT, "wasmrt_memory_new: NULL argument");
  return wr_memory_create(store, min_pages, has_max != 0, max_pages, memory_out, error);
}

uint8_t *wasmrt_memory_data(const wasmrt_memory *memory, uint64_t *size_out)
{
  if (size_out)
    *size_out = memory ? memory->m.pages * WR_PAGE_SIZE : 0;
  return memory ? memory->m.base : NULL;
}
