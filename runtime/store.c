/*
 * store.c - wasmrt_store: the owner of everything created in it, and of
 * the stack compiled code runs on.
 *
 * Every store has one wasm stack (DESIGN.md point 3: compiled code never
 * runs on the host thread's stack): stack_size bytes read/write with a
 * PROT_NONE guard page below. The stack limit compiled code compares with
 * sits WR_STACK_HEADROOM above the bottom, leaving room for the C helpers,
 * host functions and signal handling that run on the same stack.
 */
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "runtime/runtime.h"

bool wr_ptrvec_push(wr_ptrvec *v, void *item)
{
  if (v->count == v->cap) {
    uint32_t cap = v->cap ? v->cap * 2 : 8;
    void **items = realloc(v->items, cap * sizeof *items);
    if (!items)
      return false;
    v->items = items;
    v->cap = cap;
  }
  v->items[v->count++] = item;
  return true;
}

/* Maps a stack of `size` bytes and, once that worked, replaces the
 * store's stack by it. */
static wasmrt_result wr_store_map_stack(wasmrt_store *s, size_t size, wasmrt_error *err)
{
  size_t page = (size_t)sysconf(_SC_PAGESIZE);
  size_t map_size = size + page;
  void *p = mmap(NULL, map_size, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
  if (p == MAP_FAILED)
    return wr_error_set(err, WASMRT_ERROR_NOMEM, "cannot map a wasm stack of %zu bytes", size);
  if (mprotect(p, page, PROT_NONE) != 0) {
    munmap(p, map_size);
    return wr_error_set(err, WASMRT_ERROR_NOMEM, "cannot protect the wasm stack's guard page");
  }
  if (s->stack_map)
    munmap(s->stack_map, s->stack_map_size);
  s->stack_size = size;
  s->stack_map = p;
  s->stack_map_size = map_size;
  s->stack_base = (uintptr_t)p + page;
  s->stack_top = (uintptr_t)p + map_size;
  s->stack_limit = s->stack_base + WR_STACK_HEADROOM;
  return WASMRT_OK;
}

wasmrt_result wr_store_set_stack_size(wasmrt_store *s, size_t size, wasmrt_error *err)
{
  if (s->depth)
    return wr_error_set(err, WASMRT_ERROR_ARGUMENT, "the stack cannot change during an execution");
  if (size < 2 * WR_STACK_HEADROOM || size % (size_t)sysconf(_SC_PAGESIZE))
    return wr_error_set(err, WASMRT_ERROR_ARGUMENT,
                        "a wasm stack must be whole pages and at least %zu bytes",
                        2 * WR_STACK_HEADROOM);
  wasmrt_result r = wr_store_map_stack(s, size, err);
  if (r != WASMRT_OK)
    return r;
  for (uint32_t i = 0; i < s->instances.count; i++) {
    wasmrt_instance *inst = s->instances.items[i];
    inst->vmctx->real_stack_limit = s->stack_limit;
  }
  wr_store_set_limits(s, s->stack_limit);
  s->host_ctx->stack_limit = s->host_ctx->real_stack_limit = s->stack_limit;
  return WASMRT_OK;
}

wasmrt_result wasmrt_store_new(wasmrt_store **store_out, wasmrt_error *error)
{
  if (!store_out)
    return wr_error_set(error, WASMRT_ERROR_ARGUMENT, "wasmrt_store_new: store_out is NULL");
  *store_out = NULL;
  wasmrt_result r = WASMRT_ERROR_NOMEM;
  wasmrt_store *s = calloc(1, sizeof *s);
  if (!s)
    goto nomem;
  s->host_ctx = aligned_alloc(16, (WR_VMCTX_HEADER_SIZE + 15) & ~(size_t)15);
  if (!s->host_ctx)
    goto nomem;
  memset(s->host_ctx, 0, WR_VMCTX_HEADER_SIZE);
  r = wr_store_map_stack(s, WR_STACK_DEFAULT_SIZE, error);
  if (r != WASMRT_OK)
    goto fail;
  s->host_ctx->stack_limit = s->stack_limit;
  s->host_ctx->real_stack_limit = s->stack_limit;
  *store_out = s;
  return WASMRT_OK;
nomem:
  r = wr_error_set(error, WASMRT_ERROR_NOMEM, "out of memory creating a store");
fail:
  wasmrt_store_free(s);
  return r;
}

static void wr_free_objects(wasmrt_store *s, const wr_store_mark *m)
{
  for (uint32_t i = s->instances.count; i-- > m->instances;)
    wr_instance_destroy(s->instances.items[i]);
  for (uint32_t i = s->funcs.count; i-- > m->funcs;)
    free(s->funcs.items[i]);
  for (uint32_t i = s->globals.count; i-- > m->globals;)
    free(s->globals.items[i]);
  for (uint32_t i = s->tables.count; i-- > m->tables;) {
    wasmrt_table *t = s->tables.items[i];
    free(t->t.elems);
    free(t);
  }
  for (uint32_t i = s->memories.count; i-- > m->memories;)
    wr_memory_destroy(s->memories.items[i]);
  s->instances.count = m->instances;
  s->funcs.count = m->funcs;
  s->globals.count = m->globals;
  s->tables.count = m->tables;
  s->memories.count = m->memories;
}

wr_store_mark wr_store_get_mark(const wasmrt_store *s)
{
  wr_store_mark m = {s->instances.count, s->funcs.count, s->globals.count, s->tables.count,
                     s->memories.count};
  return m;
}

void wr_store_rollback(wasmrt_store *s, const wr_store_mark *mark) { wr_free_objects(s, mark); }

void wasmrt_store_free(wasmrt_store *store)
{
  if (!store)
    return;
  wr_store_mark empty = {0, 0, 0, 0, 0};
  wr_free_objects(store, &empty);
  free(store->instances.items);
  free(store->funcs.items);
  free(store->globals.items);
  free(store->tables.items);
  free(store->memories.items);
  free(store->code);
  wr_sigtab_free(&store->sigs);
  free(store->host_ctx);
  if (store->stack_map)
    munmap(store->stack_map, store->stack_map_size);
  free(store);
}

bool wr_store_add_code(wasmrt_store *s, const wasmrt_compiled *c)
{
  for (uint32_t i = 0; i < s->code_count; i++)
    if (s->code[i].compiled == c)
      return true;
  if (s->code_count == s->code_cap) {
    uint32_t cap = s->code_cap ? s->code_cap * 2 : 4;
    wr_code_region *code = realloc(s->code, cap * sizeof *code);
    if (!code)
      return false;
    s->code = code;
    s->code_cap = cap;
  }
  uintptr_t start = (uintptr_t)c->exec;
  s->code[s->code_count++] = (wr_code_region){c, start, start + c->object->code_size};
  return true;
}

const wr_code_region *wr_store_find_code(const wasmrt_store *s, uintptr_t pc)
{
  for (uint32_t i = 0; i < s->code_count; i++)
    if (pc >= s->code[i].start && pc < s->code[i].end)
      return &s->code[i];
  return NULL;
}

bool wr_store_owns_address(const wasmrt_store *s, uintptr_t addr)
{
  for (uint32_t i = 0; i < s->memories.count; i++) {
    const wasmrt_memory *mem = s->memories.items[i];
    uintptr_t base = (uintptr_t)mem->m.base;
    if (addr >= base && addr - base < mem->m.reserved)
      return true;
  }
  return false;
}

void wr_store_set_limits(wasmrt_store *s, uintptr_t limit)
{
  for (uint32_t i = 0; i < s->instances.count; i++) {
    wasmrt_instance *inst = s->instances.items[i];
    inst->vmctx->stack_limit = limit;
  }
}
