/*
 * helpers.c - the runtime helpers compiled code calls (abi.h, wr_helper):
 * the stack/suspend check and the instructions too large to inline
 * (memory.grow, bulk memory, table operations, segment drops).
 *
 * Each is plain C with the host calling convention, called on the wasm
 * stack with the instance's vmctx first. Integer operands that are i32 in
 * wasm are taken from the low 32 bits of their argument. A trap leaves
 * through wr_trap_raise with the helper's own return address, which is the
 * native address of the frame point of the call, so the trap names the
 * calling instruction. Semantics are WebAssembly 2.0's: every bounds check
 * happens before anything is written, and a dropped segment behaves as an
 * empty one.
 */
#include <stdlib.h>

#include "runtime/runtime.h"

#define WR_HELPER_ARGS wr_vmctx *ctx, uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e
#define WR_RETADDR() __builtin_return_address(0)

static inline wasmrt_instance *wr_inst(wr_vmctx *ctx) { return ctx->runtime; }

static inline void wr_check(wasmrt_trap_kind kind, const void *retaddr)
{
  if (kind != WASMRT_TRAP_NONE)
    wr_trap_raise(kind, retaddr);
}

/* True when the check at `retaddr` is a function entry whose frame, built
 * below `fp`, would reach below `limit` (the entry check compares the new
 * frame's bottom). A loop header never moves the stack pointer: there, only
 * the helper's own position counts. */
static bool wr_entry_overflows(const wasmrt_store *s, uintptr_t retaddr, uintptr_t fp,
                               uintptr_t limit)
{
  const wr_code_region *code = wr_store_find_code(s, retaddr);
  const wr_frame_point *p = NULL;
  uint32_t defined = UINT32_MAX;
  if (code) {
    const wr_object *obj = code->compiled->object;
    p = wr_object_find_point(obj, (uint32_t)(retaddr - code->start));
    if (p && p->func_index >= code->compiled->module->imported_function_count)
      defined = p->func_index - code->compiled->module->imported_function_count;
    if (p && p->kind == WR_POINT_ENTRY && defined < obj->func_count)
      return fp - obj->funcs[defined].frame_size < limit;
  }
  return (uintptr_t)__builtin_frame_address(0) < limit;
}

/* Slow path of the check at function entries and loop headers: either a
 * requested suspension (the limit was raised) or the stack is used up.
 * `a` is the frame pointer of the calling wasm function. */
static uint64_t wr_h_stack_check(WR_HELPER_ARGS)
{
  const void *ret = WR_RETADDR();
  if (ctx->stack_limit != ctx->real_stack_limit) {
    wasmrt_store *s = wr_inst(ctx)->store;
    wr_suspend_reached(s, (uintptr_t)ret, (uintptr_t)a);
    /* Resumed: the stack may be used up as well. */
    if (!wr_entry_overflows(s, (uintptr_t)ret, (uintptr_t)a, ctx->real_stack_limit))
      return 0;
  }
  wr_trap_raise(WASMRT_TRAP_STACK_EXHAUSTED, ret);
}

static uint64_t wr_h_memory_grow(WR_HELPER_ARGS)
{
  return wr_memory_grow(&wr_inst(ctx)->memories[(uint32_t)a]->m, (uint32_t)b);
}

static uint64_t wr_h_memory_fill(WR_HELPER_ARGS)
{
  wr_memory *m = &wr_inst(ctx)->memories[(uint32_t)a]->m;
  wr_check(wr_memory_fill(m, (uint32_t)b, (uint8_t)c, (uint32_t)d), WR_RETADDR());
  return 0;
}

static uint64_t wr_h_memory_copy(WR_HELPER_ARGS)
{
  wasmrt_instance *inst = wr_inst(ctx);
  wr_check(wr_memory_copy(&inst->memories[(uint32_t)a]->m, &inst->memories[(uint32_t)b]->m,
                          (uint32_t)c, (uint32_t)d, (uint32_t)e),
           WR_RETADDR());
  return 0;
}

static uint64_t wr_h_memory_init(WR_HELPER_ARGS)
{
  wasmrt_instance *inst = wr_inst(ctx);
  const wr_data *seg = &inst->module->datas[(uint32_t)a];
  uint32_t size = inst->data_dropped[(uint32_t)a] ? 0 : seg->bytes.size;
  wr_check(wr_memory_init(&inst->memories[(uint32_t)b]->m, inst->module->bytes + seg->bytes.offset,
                          size, (uint32_t)c, (uint32_t)d, (uint32_t)e),
           WR_RETADDR());
  return 0;
}

static uint64_t wr_h_data_drop(WR_HELPER_ARGS)
{
  wr_inst(ctx)->data_dropped[(uint32_t)a] = true;
  return 0;
}

static uint64_t wr_h_table_get(WR_HELPER_ARGS)
{
  void *ref = NULL;
  wr_check(wr_table_get(ctx->tables[(uint32_t)a], (uint32_t)b, &ref), WR_RETADDR());
  return (uint64_t)(uintptr_t)ref;
}

static uint64_t wr_h_table_set(WR_HELPER_ARGS)
{
  wr_check(wr_table_set(ctx->tables[(uint32_t)a], (uint32_t)b, (void *)(uintptr_t)c), WR_RETADDR());
  return 0;
}

static uint64_t wr_h_table_size(WR_HELPER_ARGS) { return ctx->tables[(uint32_t)a]->size; }

static uint64_t wr_h_table_grow(WR_HELPER_ARGS)
{
  return wr_table_grow(ctx->tables[(uint32_t)a], (void *)(uintptr_t)b, (uint32_t)c);
}

static uint64_t wr_h_table_fill(WR_HELPER_ARGS)
{
  wr_check(wr_table_fill(ctx->tables[(uint32_t)a], (uint32_t)b, (void *)(uintptr_t)c, (uint32_t)d),
           WR_RETADDR());
  return 0;
}

static uint64_t wr_h_table_copy(WR_HELPER_ARGS)
{
  wr_check(wr_table_copy(ctx->tables[(uint32_t)a], ctx->tables[(uint32_t)b], (uint32_t)c,
                         (uint32_t)d, (uint32_t)e),
           WR_RETADDR());
  return 0;
}

static uint64_t wr_h_table_init(WR_HELPER_ARGS)
{
  const wr_elem_items *seg = &wr_inst(ctx)->elems[(uint32_t)a];
  wr_check(wr_table_init(ctx->tables[(uint32_t)b], seg->items, seg->count, (uint32_t)c, (uint32_t)d,
                         (uint32_t)e),
           WR_RETADDR());
  return 0;
}

static uint64_t wr_h_elem_drop(WR_HELPER_ARGS)
{
  wr_elem_items *seg = &wr_inst(ctx)->elems[(uint32_t)a];
  free(seg->items);
  seg->items = NULL;
  seg->count = 0;
  return 0;
}

const void *const wr_helper_table[WR_HELPER_COUNT] = {
    [WR_HELPER_STACK_CHECK] = (const void *)wr_h_stack_check,
    [WR_HELPER_MEMORY_GROW] = (const void *)wr_h_memory_grow,
    [WR_HELPER_MEMORY_FILL] = (const void *)wr_h_memory_fill,
    [WR_HELPER_MEMORY_COPY] = (const void *)wr_h_memory_copy,
    [WR_HELPER_MEMORY_INIT] = (const void *)wr_h_memory_init,
    [WR_HELPER_DATA_DROP] = (const void *)wr_h_data_drop,
    [WR_HELPER_TABLE_GET] = (const void *)wr_h_table_get,
    [WR_HELPER_TABLE_SET] = (const void *)wr_h_table_set,
    [WR_HELPER_TABLE_SIZE] = (const void *)wr_h_table_size,
    [WR_HELPER_TABLE_GROW] = (const void *)wr_h_table_grow,
    [WR_HELPER_TABLE_FILL] = (const void *)wr_h_table_fill,
    [WR_HELPER_TABLE_COPY] = (const void *)wr_h_table_copy,
    [WR_HELPER_TABLE_INIT] = (const void *)wr_h_table_init,
    [WR_HELPER_ELEM_DROP] = (const void *)wr_h_elem_drop,
};
