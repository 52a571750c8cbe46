/*
 * func.c - functions: host functions, signatures, and the dispatcher that
 * turns a call from compiled code into a call of a host callback.
 *
 * A host function's wr_funcref has code = the host thunk (enter.h)
 * and vmctx = the store's host context, so compiled code calls it like any
 * other funcref. The thunk passes the funcref and the argument slots to
 * wr_host_dispatch, which runs on the wasm stack.
 */
#include <stdlib.h>

#include "runtime/enter.h"
#include "runtime/runtime.h"

const wr_sig *wr_func_sig(const wasmrt_func *f) { return &f->store->sigs.sigs[f->ref.type_id]; }

wasmrt_result wasmrt_func_new_host(wasmrt_store *store, const wasmrt_valtype *params,
                                   size_t param_count, const wasmrt_valtype *results,
                                   size_t result_count, wasmrt_host_callback callback, void *env,
                                   wasmrt_func **func_out, wasmrt_error *error)
{
  if (!store || !callback || !func_out || (param_count && !params) || (result_count && !results))
    return wr_error_set(error, WASMRT_ERROR_ARGUMENT, "wasmrt_func_new_host: NULL argument");
  *func_out = NULL;
  if (param_count > 1000 || result_count > 1000)
    return wr_error_set(error, WASMRT_ERROR_LIMIT,
                        "a host function may have at most 1000 parameters and 1000 results");
  uint8_t types[2000];
  for (size_t i = 0; i < param_count + result_count; i++) {
    wasmrt_valtype t = i < param_count ? params[i] : results[i - param_count];
    if ((unsigned)t > 0xff || !wr_is_valtype((uint8_t)t))
      return wr_error_set(error, WASMRT_ERROR_ARGUMENT,
                          "wasmrt_func_new_host: unknown value type %d", (int)t);
    /* Compiled code passes values in 8-byte slots (abi.h). */
    if (t == WASMRT_V128)
      return wr_error_set(error, WASMRT_ERROR_UNSUPPORTED,
                          "host functions with v128 parameters or results are not supported yet");
    types[i] = (uint8_t)t;
  }
  uint32_t id;
  wasmrt_func *f = calloc(1, sizeof *f);
  if (!f ||
      !wr_sigtab_intern(&store->sigs, types, (uint32_t)param_count, types + param_count,
                        (uint32_t)result_count, &id) ||
      !wr_ptrvec_push(&store->funcs, f)) {
    free(f);
    return wr_error_set(error, WASMRT_ERROR_NOMEM, "out of memory creating a host function");
  }
#if WR_HOST_RUNS_CODE
  f->ref.code = wr_host_thunk();
#endif
  f->ref.vmctx = store->host_ctx;
  f->ref.type_id = id;
  f->ref.func_index = UINT32_MAX;
  f->ref.host = f;
  f->store = store;
  f->callback = callback;
  f->env = env;
  *func_out = f;
  return WASMRT_OK;
}

void wasmrt_func_type(const wasmrt_func *func, const wasmrt_valtype **params, size_t *param_count,
                      const wasmrt_valtype **results, size_t *result_count)
{
  const wr_sig *s = wr_func_sig(func);
  if (params)
    *params = s->types;
  if (param_count)
    *param_count = s->param_count;
  if (results)
    *results = s->types + s->param_count;
  if (result_count)
    *result_count = s->result_count;
}

void wr_host_dispatch(wr_funcref *ref, uint64_t *slots)
{
  wasmrt_func *f = wr_func_of(ref);
  const wr_sig *sig = wr_func_sig(f);
  uint32_t pc = sig->param_count, rc = sig->result_count;
  wasmrt_val small[16];
  wasmrt_val *vals = small;
  if ((size_t)pc + rc > sizeof small / sizeof small[0]) {
    vals = malloc(((size_t)pc + rc) * sizeof *vals);
    if (!vals)
      wr_trap_raise_host("out of memory calling a host function");
  }
  wasmrt_val *args = vals, *res = vals + pc;
  for (uint32_t i = 0; i < pc; i++)
    args[i] = wr_val_load((uint8_t)sig->types[i], &slots[i]);
  for (uint32_t i = 0; i < rc; i++) {
    memset(&res[i], 0, sizeof res[i]);
    res[i].type = sig->types[pc + i];
  }
  const char *message = f->callback(f->env, args, res);
  /* The declared types decide how results are stored, whatever the
   * callback wrote into .type. */
  for (uint32_t i = 0; i < rc && !message; i++) {
    res[i].type = sig->types[pc + i];
    wr_val_store(&res[i], &slots[i]);
  }
  if (vals != small)
    free(vals);
  if (message)
    wr_trap_raise_host(message);
}
