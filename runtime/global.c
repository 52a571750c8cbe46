/*
 * global.c - globals and the value cells they live in.
 *
 * A global is a 16-byte cell: inside its instance's vmctx for a defined
 * global (compiled code addresses it at wr_vmctx_global_offset), in the
 * wasmrt_global itself for one the host made. Importing a global shares the
 * cell (vmctx->imported_globals), so every instance sees every write.
 */
#include <stdlib.h>

#include "runtime/runtime.h"

wasmrt_val wr_val_load(uint8_t type, const uint64_t *cell)
{
  wasmrt_val v;
  memset(&v, 0, sizeof v);
  v.type = (wasmrt_valtype)type;
  switch (type) {
  case WR_I32:
  case WR_F32:
    v.of.i32 = (uint32_t)cell[0];
    break;
  case WR_V128:
    memcpy(v.of.v128, cell, 16);
    break;
  case WR_FUNCREF:
    v.of.funcref = (wasmrt_func *)(uintptr_t)cell[0];
    break;
  case WR_EXTERNREF:
    v.of.externref = (void *)(uintptr_t)cell[0];
    break;
  default: /* i64, f64 */
    v.of.i64 = cell[0];
    break;
  }
  return v;
}

void wr_val_store(const wasmrt_val *v, uint64_t *cell)
{
  switch (v->type) {
  case WASMRT_I32:
  case WASMRT_F32:
    cell[0] = v->of.i32;
    break;
  case WASMRT_V128:
    memcpy(cell, v->of.v128, 16);
    break;
  case WASMRT_FUNCREF:
    cell[0] = (uint64_t)(uintptr_t)v->of.funcref;
    break;
  case WASMRT_EXTERNREF:
    cell[0] = (uint64_t)(uintptr_t)v->of.externref;
    break;
  default:
    cell[0] = v->of.i64;
    break;
  }
}

wasmrt_result wasmrt_global_new(wasmrt_store *store, wasmrt_valtype type, int mutable_,
                                const wasmrt_val *init, wasmrt_global **global_out,
                                wasmrt_error *error)
{
  if (!store || !init || !global_out)
    return wr_error_set(error, WASMRT_ERROR_ARGUMENT, "wasmrt_global_new: NULL argument");
  *global_out = NULL;
  if (!wr_is_valtype((uint8_t)type) || (unsigned)type > 0xff)
    return wr_error_set(error, WASMRT_ERROR_ARGUMENT, "wasmrt_global_new: unknown value type %d",
                        (int)type);
  if (init->type != type)
    return wr_error_set(error, WASMRT_ERROR_ARGUMENT,
                        "wasmrt_global_new: initial value is %s, the global is %s",
                        wr_valtype_name((uint8_t)init->type), wr_valtype_name((uint8_t)type));
  if (type == WASMRT_FUNCREF && init->of.funcref && init->of.funcref->store != store)
    return wr_error_set(error, WASMRT_ERROR_ARGUMENT,
                        "wasmrt_global_new: the function belongs to another store");
  wasmrt_global *g = calloc(1, sizeof *g);
  if (!g || !wr_ptrvec_push(&store->globals, g)) {
    free(g);
    return wr_error_set(error, WASMRT_ERROR_NOMEM, "out of memory creating a global");
  }
  g->store = store;
  g->type = (uint8_t)type;
  g->mutable_ = mutable_ != 0;
  g->cell = g->own;
  wr_val_store(init, g->cell);
  *global_out = g;
  return WASMRT_OK;
}

wasmrt_valtype wasmrt_global_type(const wasmrt_global *global, int *mutable_out)
{
  if (mutable_out)
    *mutable_out = global->mutable_;
  return (wasmrt_valtype)global->type;
}

wasmrt_val wasmrt_global_get(const wasmrt_global *global)
{
  return wr_val_load(global->type, global->cell);
}
