/*
 * frames.c - walking the wasm frames of an execution (frames.h) and the
 * suspension requests that stop one at a point.
 *
 * The walk follows the frame-pointer chain compiled code keeps (abi.h): a
 * frame's caller's return address is at [fp + 8] and its frame pointer at
 * [fp]. Each return address into mapped code must be a recorded frame
 * point (object.h), which names the function, the wasm offset and the
 * operand types; the function's code record gives the local types. The
 * walk ends at the first return address outside the store's compiled
 * code: the entry trampoline.
 */
#include <stdlib.h>
#include <string.h>

#include "runtime/runtime.h"

void wr_frame_iter_init(wr_frame_iter *it, const wr_stack_view *view)
{
  memset(it, 0, sizeof *it);
  it->view = *view;
  it->retaddr = view->retaddr;
  it->fp = view->fp;
}

void wr_frame_iter_free(wr_frame_iter *it)
{
  free(it->values);
  it->values = NULL;
  it->value_cap = 0;
}

/* Reads `count` values typed by `types` from the home slots starting at
 * slot `first`. */
static bool wr_read_slots(uintptr_t fp, uint32_t param_count, uint32_t first, const uint8_t *types,
                          uint32_t count, wasmrt_val *out)
{
  for (uint32_t i = 0; i < count; i++) {
    if (types[i] == WR_V128) /* takes two slots; not laid out by the backends yet */
      return false;
    const uint64_t *slot =
        (const uint64_t *)(fp + (intptr_t)wr_slot_fp_offset(param_count, first + i));
    out[i] = wr_val_load(types[i], slot);
  }
  return true;
}

int wr_frame_iter_next(wr_frame_iter *it, wr_frame *frame, wasmrt_error *err)
{
  const wr_code_region *code = wr_store_find_code(it->view.store, it->retaddr);
  if (!code)
    return 0;
  const wr_object *obj = code->compiled->object;
  const wr_module *m = code->compiled->module;
  uint32_t offset = (uint32_t)(it->retaddr - code->start);
  const wr_frame_point *point = wr_object_find_point(obj, offset);
  if (!point || point->func_index < m->imported_function_count ||
      point->func_index - m->imported_function_count >= obj->func_count) {
    wr_error_set(err, WASMRT_ERROR_OBJECT,
                 "return address at code offset 0x%x is not a recorded frame point", offset);
    return -1;
  }
  const wr_func_code *fc = &obj->funcs[point->func_index - m->imported_function_count];
  size_t need = (size_t)fc->local_count + point->stack_depth;
  if (need > it->value_cap) {
    wasmrt_val *values = realloc(it->values, (need ? need : 1) * sizeof *values);
    if (!values) {
      wr_error_set(err, WASMRT_ERROR_NOMEM, "out of memory reading a frame");
      return -1;
    }
    it->values = values;
    it->value_cap = need;
  }
  if (!wr_read_slots(it->fp, fc->param_count, 0, obj->type_pool + fc->local_types, fc->local_count,
                     it->values) ||
      !wr_read_slots(it->fp, fc->param_count, fc->local_count, obj->type_pool + point->types,
                     point->stack_depth, it->values + fc->local_count)) {
    wr_error_set(err, WASMRT_ERROR_UNSUPPORTED, "frames holding v128 values are not supported yet");
    return -1;
  }
  /* At function entry the frame is not set up: only the parameters are
   * live, the other locals are zero by definition (compiler/object.h). */
  if (point->kind == WR_POINT_ENTRY)
    for (uint32_t i = fc->param_count; i < fc->local_count; i++)
      memset(&it->values[i].of, 0, sizeof it->values[i].of);
  frame->func_index = point->func_index;
  frame->wasm_offset = point->wasm_offset;
  frame->kind = (wr_point_kind)point->kind;
  frame->locals = it->values;
  frame->local_count = fc->local_count;
  frame->operands = it->values + fc->local_count;
  frame->operand_count = point->stack_depth;
  /* The caller: its return address and frame pointer. */
  const uintptr_t *fp = (const uintptr_t *)it->fp;
  it->retaddr = fp[1];
  it->fp = fp[0];
  return 1;
}

void wr_store_set_suspend_hook(wasmrt_store *store,
                               void (*hook)(void *env, const wr_stack_view *stack), void *env)
{
  store->suspend_hook = hook;
  store->suspend_env = env;
}

void wr_store_request_suspend(wasmrt_store *store) { wr_store_set_limits(store, UINTPTR_MAX); }

void wr_suspend_reached(wasmrt_store *s, uintptr_t retaddr, uintptr_t fp)
{
  wr_store_set_limits(s, s->stack_limit);
  if (s->suspend_hook) {
    wr_stack_view view = {s, retaddr, fp};
    s->suspend_hook(s->suspend_env, &view);
  }
}
