/*
 * code.c - compiled modules as the runtime sees them: their code mapped
 * executable, freeing them, their target.
 *
 * The code is mapped once per wasmrt_compiled, on the first instantiation,
 * into compiled->exec, and shared by every instance in every store: it is
 * position independent (everything instance-specific is reached through the
 * vmctx), so one copy serves all. wasmrt_compiled is const in the API and
 * shareable between threads; the mapping is a cache that does not change
 * what the object means, so it is published with an atomic compare-and-swap
 * (a thread that loses the race unmaps its copy). The consequence for
 * users: a wasmrt_compiled must outlive every store that instantiated it.
 */
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "runtime/runtime.h"

static const char *wr_target_label(wasmrt_target t)
{
  switch (t) {
  case WASMRT_TARGET_X86_64:
    return "x86-64";
  case WASMRT_TARGET_ARM64:
    return "arm64";
  case WASMRT_TARGET_HOST:
    break;
  }
  return "an unknown target";
}

wasmrt_result wr_code_map(const wasmrt_compiled *c, wasmrt_error *err)
{
  wasmrt_target host = wr_host_target();
  if (c->object->target != host)
    return wr_error_set(err, WASMRT_ERROR_UNSUPPORTED,
                        "the code is compiled for %s, this host is %s",
                        wr_target_label(c->object->target), wr_target_label(host));
  wasmrt_compiled *mc = (wasmrt_compiled *)c; /* the cache only; see above */
  if (__atomic_load_n(&mc->exec, __ATOMIC_ACQUIRE))
    return WASMRT_OK;
  size_t page = (size_t)sysconf(_SC_PAGESIZE);
  size_t size = (c->object->code_size + page - 1) / page * page;
  if (!size)
    size = page;
  void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED)
    return wr_error_set(err, WASMRT_ERROR_NOMEM, "cannot map %zu bytes for compiled code", size);
  if (c->object->code_size)
    memcpy(p, c->object->code, c->object->code_size);
  __builtin___clear_cache((char *)p, (char *)p + size);
  if (mprotect(p, size, PROT_READ | PROT_EXEC) != 0) {
    munmap(p, size);
    return wr_error_set(err, WASMRT_ERROR_UNSUPPORTED,
                        "cannot make compiled code executable (W^X policy?)");
  }
  uint8_t *expected = NULL;
  __atomic_store_n(&mc->exec_size, size, __ATOMIC_RELAXED); /* the same value in every thread */
  if (!__atomic_compare_exchange_n(&mc->exec, &expected, (uint8_t *)p, false, __ATOMIC_ACQ_REL,
                                   __ATOMIC_ACQUIRE))
    munmap(p, size);
  return WASMRT_OK;
}

void wasmrt_compiled_free(wasmrt_compiled *compiled)
{
  if (!compiled)
    return;
  if (compiled->exec)
    munmap(compiled->exec, compiled->exec_size);
  wr_object_free(compiled->object);
  free(compiled);
}

wasmrt_target wasmrt_compiled_target(const wasmrt_compiled *compiled)
{
  return compiled->object->target;
}
