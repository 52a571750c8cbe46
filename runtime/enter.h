/*
 * enter.h - the assembly where C and compiled code meet, for the host's
 * architecture (runtime/x86_64/enter.S, runtime/arm64/enter.S), behind one
 * name each so that call.c and func.c have a single code path.
 *
 * WR_HOST_RUNS_CODE is 1 on the hosts wasmrt generates code for, 0
 * elsewhere; the rest of this header exists only where it is 1.
 */
#ifndef WASMRT_RUNTIME_ENTER_H
#define WASMRT_RUNTIME_ENTER_H

#include <stddef.h>
#include <stdint.h>

#include "compiler/abi.h"

#if defined(__x86_64__) || defined(__aarch64__)
#define WR_HOST_RUNS_CODE 1
#else
#define WR_HOST_RUNS_CODE 0
#endif

#if WR_HOST_RUNS_CODE
/* Both symbols of each enter.S; the thunks are not callable from C. */
void wr_enter_x86_64(const void *code, wr_vmctx *vmctx, uint64_t *slots, size_t slot_count,
                     void *stack_top);
void wr_host_thunk_x86_64(void);
void wr_enter_arm64(const void *code, wr_vmctx *vmctx, uint64_t *slots, size_t slot_count,
                    void *stack_top);
void wr_host_thunk_arm64(void);

/* Calls compiled `code` of `vmctx`'s instance on the wasm stack below
 * `stack_top`, with slots[0..slot_count) as its argument/result area:
 * arguments in, results out. Returns normally, or not at all when a trap
 * longjmps past it. */
static inline void wr_enter(const void *code, wr_vmctx *vmctx, uint64_t *slots, size_t slot_count,
                            void *stack_top)
{
#if defined(__x86_64__)
  wr_enter_x86_64(code, vmctx, slots, slot_count, stack_top);
#else
  wr_enter_arm64(code, vmctx, slots, slot_count, stack_top);
#endif
}

/* The `code` of every host function's funcref: compiled code calls it as
 * any funcref and it calls wr_host_dispatch. */
static inline const void *wr_host_thunk(void)
{
#if defined(__x86_64__)
  return (const void *)wr_host_thunk_x86_64;
#else
  return (const void *)wr_host_thunk_arm64;
#endif
}
#endif

#endif
