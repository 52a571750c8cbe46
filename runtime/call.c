/*
 * call.c - calling functions from the host: argument checks, values to
 * and from 8-byte slots, and entering compiled code on the store's stack.
 *
 * Where an execution starts on the wasm stack: at the top when the store
 * runs nothing; below the current position when a host function of the
 * store calls back in (the thread is then on this stack already); and when
 * the thread is on another store's stack but this store is running further
 * out, below the position where this store's stack was left (host_sp,
 * recorded whenever an execution switches away from the stack of the
 * execution that called out to the host).
 *
 * A host function called from C runs its callback directly; only compiled
 * code needs the stack and the trap machinery.
 */
#include <stdlib.h>

#include "runtime/enter.h"
#include "runtime/runtime.h"

#if defined(__SANITIZE_ADDRESS__)
#define WR_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define WR_ASAN 1
#endif
#endif
#ifdef WR_ASAN
#include <sanitizer/asan_interface.h>
#endif

#if WR_HOST_RUNS_CODE
/* A stack address below every frame of the caller (noinline: its own
 * frame is below the caller's). */
static __attribute__((noinline)) uintptr_t wr_stack_here(void)
{
  return (uintptr_t)__builtin_frame_address(0);
}

static bool wr_on_stack(const wasmrt_store *s, uintptr_t sp)
{
  return sp > s->stack_base && sp <= s->stack_top;
}

/* Bytes kept free below `wr_stack_here` for what wr_enter saves there
 * (72 bytes on x86-64, 176 on AArch64) and the caller's red zone (x86-64). */
#define WR_ENTRY_GAP 256

static wasmrt_result wr_execute(wasmrt_store *s, const wasmrt_func *f, uint64_t *slots,
                                size_t slot_count, wasmrt_error *err)
{
  uintptr_t here = wr_stack_here() - WR_ENTRY_GAP;
  uintptr_t top = s->stack_top;
  if (wr_on_stack(s, here))
    top = here;
  else if (s->depth)
    top = s->host_sp;
  top &= ~(uintptr_t)15;
  if (top <= s->stack_limit + 8 * (slot_count + 2)) {
    wr_exec full = {.trap = WASMRT_TRAP_STACK_EXHAUSTED, .trap_function = -1};
    return wr_trap_report(&full, err);
  }
  /* Leaving the stack of the execution that called out to the host: a
   * later call into that store must continue below this point. */
  wr_exec *outer = wr_current_exec;
  wasmrt_store *left = NULL;
  uintptr_t left_sp = 0;
  if (outer && outer->store != s && wr_on_stack(outer->store, here)) {
    left = outer->store;
    left_sp = left->host_sp;
    left->host_sp = here & ~(uintptr_t)15;
  }
  wr_exec e;
  memset(&e, 0, sizeof e);
  e.prev = outer;
  e.store = s;
  s->depth++;
  wr_current_exec = &e;
  wasmrt_result r = WASMRT_OK;
  if (sigsetjmp(e.jmp, 0) == 0)
    wr_enter(f->ref.code, f->ref.vmctx, slots, slot_count, (void *)top);
  else
    r = WASMRT_ERROR_TRAP;
  wr_current_exec = outer;
  s->depth--;
  if (left)
    left->host_sp = left_sp;
  if (r == WASMRT_OK)
    return WASMRT_OK;
#ifdef WR_ASAN
  /* The trap abandoned C frames (helpers, host functions) on the wasm
   * stack with their redzones poisoned, and ASan cannot clean a stack it
   * does not know: clean what this execution used. */
  __asan_unpoison_memory_region((void *)s->stack_base, top - s->stack_base);
#endif
  return wr_trap_report(&e, err);
}
#endif

/* A host function called from C: no stack switch, no signals. */
static wasmrt_result wr_call_host(const wasmrt_func *f, const wr_sig *sig, const wasmrt_val *args,
                                  wasmrt_val *results, wasmrt_error *err)
{
  for (uint32_t i = 0; i < sig->result_count; i++) {
    memset(&results[i], 0, sizeof results[i]);
    results[i].type = sig->types[sig->param_count + i];
  }
  const char *message = f->callback(f->env, args, results);
  if (message) {
    wr_error_set(err, WASMRT_ERROR_TRAP, "%s", message);
    if (err)
      err->trap = WASMRT_TRAP_HOST;
    return WASMRT_ERROR_TRAP;
  }
  for (uint32_t i = 0; i < sig->result_count; i++)
    results[i].type = sig->types[sig->param_count + i];
  return WASMRT_OK;
}

wasmrt_result wr_call(wasmrt_store *s, wasmrt_func *f, const wasmrt_val *args, wasmrt_val *results,
                      wasmrt_error *err)
{
  const wr_sig *sig = wr_func_sig(f);
  if (f->callback)
    return wr_call_host(f, sig, args, results, err);
#if WR_HOST_RUNS_CODE
  for (uint32_t i = 0; i < sig->param_count + sig->result_count; i++)
    if (sig->types[i] == WASMRT_V128)
      return wr_error_set(err, WASMRT_ERROR_UNSUPPORTED,
                          "calling a function with v128 parameters or results from the host is "
                          "not supported yet");
  wasmrt_result r = wr_traps_prepare_thread(err);
  if (r != WASMRT_OK)
    return r;
  size_t n = sig->param_count > sig->result_count ? sig->param_count : sig->result_count;
  uint64_t small[16];
  uint64_t *slots = n <= 16 ? small : malloc(n * sizeof *slots);
  if (!slots)
    return wr_error_set(err, WASMRT_ERROR_NOMEM, "out of memory calling a function");
  for (uint32_t i = 0; i < sig->param_count; i++) {
    slots[i] = 0;
    wr_val_store(&args[i], &slots[i]);
  }
  r = wr_execute(s, f, slots, n, err);
  for (uint32_t i = 0; r == WASMRT_OK && i < sig->result_count; i++)
    results[i] = wr_val_load((uint8_t)sig->types[sig->param_count + i], &slots[i]);
  if (slots != small)
    free(slots);
  return r;
#else
  (void)s;
  (void)args;
  (void)results;
  return wr_error_set(err, WASMRT_ERROR_UNSUPPORTED,
                      "running compiled code needs an x86-64 or arm64 host");
#endif
}

wasmrt_result wasmrt_func_call(wasmrt_store *store, wasmrt_func *func, const wasmrt_val *args,
                               size_t arg_count, wasmrt_val *results, size_t result_count,
                               wasmrt_error *error)
{
  if (!store || !func || (arg_count && !args) || (result_count && !results))
    return wr_error_set(error, WASMRT_ERROR_ARGUMENT, "wasmrt_func_call: NULL argument");
  if (func->store != store)
    return wr_error_set(error, WASMRT_ERROR_ARGUMENT,
                        "wasmrt_func_call: the function belongs to another store");
  const wr_sig *sig = wr_func_sig(func);
  if (arg_count != sig->param_count || result_count != sig->result_count)
    return wr_error_set(error, WASMRT_ERROR_ARGUMENT,
                        "wasmrt_func_call: the function takes %u arguments and returns %u "
                        "results, got %zu and room for %zu",
                        sig->param_count, sig->result_count, arg_count, result_count);
  for (uint32_t i = 0; i < sig->param_count; i++) {
    if (args[i].type != sig->types[i])
      return wr_error_set(error, WASMRT_ERROR_ARGUMENT,
                          "wasmrt_func_call: argument %u is %s, the function expects %s", i,
                          wr_valtype_name((uint8_t)args[i].type),
                          wr_valtype_name((uint8_t)sig->types[i]));
    if (args[i].type == WASMRT_FUNCREF && args[i].of.funcref && args[i].of.funcref->store != store)
      return wr_error_set(error, WASMRT_ERROR_ARGUMENT,
                          "wasmrt_func_call: argument %u is a function of another store", i);
  }
  return wr_call(store, func, args, results, error);
}
