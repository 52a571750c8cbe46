/*
 * frames.h - reading the wasm frames of a running execution, and asking it
 * to stop at its next suspension point (internal; the snapshot code is the
 * user).
 *
 * A suspension request raises the stack limit of every instance context of
 * the store above any stack pointer, so the next function entry or loop
 * header takes the slow path into the stack-check helper (docs/BACKEND.md).
 * The helper restores the limits, calls the store's suspend hook with a view
 * of the stack, and returns to the wasm code when the hook returns.
 *
 * A frame is what DESIGN.md invariant 1 says: function index, wasm offset of
 * the point, locals and operand values, read from their home slots
 * (compiler/abi.h) and typed by the object's frame map.
 */
#ifndef WASMRT_RUNTIME_FRAMES_H
#define WASMRT_RUNTIME_FRAMES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "compiler/object.h"
#include "wasmrt.h"

/* The innermost wasm frame of a stack: `retaddr` is the return address
 * into compiled code of the call that frame is making (a point's native
 * address), `fp` its frame pointer. Valid while the execution waits in the
 * hook. */
typedef struct wr_stack_view {
  wasmrt_store *store;
  uintptr_t retaddr;
  uintptr_t fp;
} wr_stack_view;

/* One frame, innermost first. The arrays belong to the iterator and are
 * overwritten by the next step. */
typedef struct wr_frame {
  uint32_t func_index; /* function index space, imports counted */
  uint32_t wasm_offset;
  wr_point_kind kind;
  const wasmrt_val *locals; /* params first */
  uint32_t local_count;
  const wasmrt_val *operands; /* bottom of the operand stack first */
  uint32_t operand_count;
} wr_frame;

typedef struct wr_frame_iter {
  wr_stack_view view;
  uintptr_t retaddr, fp; /* the frame to read next */
  wasmrt_val *values;
  size_t value_cap;
} wr_frame_iter;

void wr_frame_iter_init(wr_frame_iter *it, const wr_stack_view *view);
/* 1: *frame holds the next frame; 0: no more wasm frames (the walk reached
 * the entry into compiled code); -1: error, `err` says which (a return
 * address in compiled code that is no recorded point, a value type frames
 * cannot hold yet, no memory). */
int wr_frame_iter_next(wr_frame_iter *it, wr_frame *frame, wasmrt_error *err);
void wr_frame_iter_free(wr_frame_iter *it);

/* The hook runs on the wasm stack, inside the execution, when a requested
 * suspension is reached; when it returns the execution continues. NULL
 * removes it. */
void wr_store_set_suspend_hook(wasmrt_store *store,
                               void (*hook)(void *env, const wr_stack_view *stack), void *env);
/* Asks the running execution (if any) to stop at its next suspension
 * point. Sets the stack limit of every instance context of the store; call
 * it from the thread using the store (a host function, say) or while no
 * instantiation is changing the store's instance list. */
void wr_store_request_suspend(wasmrt_store *store);

#endif
