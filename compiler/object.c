/*
 * object.c - the in-memory object (object.h): freeing it and looking up
 * the metadata of a native code offset.
 *
 * The lookups rely on the order object.h promises and wr_object_read
 * (object_file.c) checks: traps and points sorted by native_offset, funcs in
 * ascending, non-overlapping code ranges.
 */
#include <stdlib.h>
#include <sys/mman.h>

#include "compiler/object.h"

void wr_object_free(wr_object *obj)
{
  if (!obj)
    return;
  if (obj->code_mapping)
    munmap(obj->code, obj->code_mapping);
  else
    free(obj->code);
  free(obj->funcs);
  free(obj->traps);
  free(obj->points);
  free(obj->type_pool);
  free(obj);
}

const wr_trap_site *wr_object_find_trap(const wr_object *obj, uint32_t native_offset)
{
  /* Lower bound: the first site at or after native_offset. */
  uint32_t lo = 0, hi = obj->trap_count;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (obj->traps[mid].native_offset < native_offset)
      lo = mid + 1;
    else
      hi = mid;
  }
  if (lo < obj->trap_count && obj->traps[lo].native_offset == native_offset)
    return &obj->traps[lo];
  return NULL;
}

const wr_frame_point *wr_object_find_point(const wr_object *obj, uint32_t native_offset)
{
  uint32_t lo = 0, hi = obj->point_count;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (obj->points[mid].native_offset < native_offset)
      lo = mid + 1;
    else
      hi = mid;
  }
  if (lo < obj->point_count && obj->points[lo].native_offset == native_offset)
    return &obj->points[lo];
  return NULL;
}

const wr_func_code *wr_object_find_func(const wr_object *obj, uint32_t native_offset)
{
  /* The last function starting at or before native_offset, if it holds it. */
  uint32_t lo = 0, hi = obj->func_count;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (obj->funcs[mid].code_offset <= native_offset)
      lo = mid + 1;
    else
      hi = mid;
  }
  if (lo == 0)
    return NULL;
  const wr_func_code *f = &obj->funcs[lo - 1];
  if ((uint64_t)native_offset - f->code_offset < f->code_size)
    return f;
  return NULL;
}

wasmrt_target wr_host_target(void)
{
#if defined(__x86_64__)
  return WASMRT_TARGET_X86_64;
#elif defined(__aarch64__)
  return WASMRT_TARGET_ARM64;
#else
  return WASMRT_TARGET_HOST;
#endif
}
