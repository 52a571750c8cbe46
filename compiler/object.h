/*
 * object.h - what the compiler produces for a module: native code and the
 * metadata the runtime needs to run it, report traps precisely and read or
 * rebuild frames (portable frame maps).
 *
 * Everything is position independent: offsets are from the start of
 * `code`, wasm offsets from the start of the module's bytes. The same
 * structure is written to and read from .wrtobj files (object_file.c).
 */
#ifndef WASMRT_COMPILER_OBJECT_H
#define WASMRT_COMPILER_OBJECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wasmrt.h"

/* Where a suspension point is (DESIGN.md invariant 2). */
typedef enum wr_point_kind {
  /* Function entry: the stack/suspend check, before the frame is set up;
   * only the parameters are live, the other locals are zero by definition. */
  WR_POINT_ENTRY = 0,
  WR_POINT_LOOP = 1, /* loop header: the stack/suspend check */
  WR_POINT_CALL = 2, /* a call to a wasm function, an import or a helper */
} wr_point_kind;

/*
 * One suspension point. At the point every local and every operand value
 * below `stack_depth` is in its home slot (abi.h: wr_slot_fp_offset).
 * `native_offset` is the return address of the call the point makes (for
 * CALL, the call itself; for ENTRY and LOOP, the call into the stack-check
 * helper on the slow path): the value found in a frame's return-address
 * slot, or passed to the helper.
 */
typedef struct wr_frame_point {
  uint32_t native_offset;
  uint32_t func_index;  /* function index space, imports counted */
  uint32_t wasm_offset; /* of the instruction, from the module's start */
  uint32_t stack_depth; /* operand values in slots at the point */
  uint32_t types;       /* offset in type_pool of stack_depth value types */
  uint8_t kind;         /* wr_point_kind */
} wr_frame_point;

/* An instruction that can trap, or the stub a trap check branches to. */
typedef struct wr_trap_site {
  uint32_t native_offset; /* of the faulting instruction or the stub's ud2/brk */
  uint32_t func_index;
  uint32_t wasm_offset;
  uint8_t kind; /* wasmrt_trap_kind */
} wr_trap_site;

/* A defined function's code and frame. */
typedef struct wr_func_code {
  uint32_t code_offset;
  uint32_t code_size;
  uint32_t param_count;
  uint32_t local_count; /* params included */
  uint32_t local_types; /* offset in type_pool of local_count types */
  uint32_t frame_size;  /* bytes below the frame pointer */
  uint32_t first_point; /* its points are points[first_point..+point_count) */
  uint32_t point_count;
} wr_func_code;

typedef struct wr_object {
  wasmrt_target target;
  uint8_t *code;
  size_t code_size;
  /* When not 0, `code` is an mmap'd region of this many bytes (the
   * compiler's buffer, kept to save a copy), else malloc'd. */
  size_t code_mapping;
  /* One per defined function, in index order (index - imported count). */
  wr_func_code *funcs;
  uint32_t func_count;
  /* Sorted by native_offset (the compiler emits them in code order). */
  wr_trap_site *traps;
  uint32_t trap_count;
  wr_frame_point *points;
  uint32_t point_count;
  uint8_t *type_pool;
  uint32_t type_pool_size;
  /* BLAKE2b-256 of the module bytes the object was compiled from. */
  uint8_t module_hash[32];
} wr_object;

void wr_object_free(wr_object *obj);

/* The target of the machine this code runs on; WASMRT_TARGET_HOST when
 * wasmrt generates no code for it. */
wasmrt_target wr_host_target(void);

/* Binary search by native offset; NULL when the offset is not listed. */
const wr_trap_site *wr_object_find_trap(const wr_object *obj, uint32_t native_offset);
const wr_frame_point *wr_object_find_point(const wr_object *obj, uint32_t native_offset);
/* The defined function whose code holds `native_offset`, or NULL. */
const wr_func_code *wr_object_find_func(const wr_object *obj, uint32_t native_offset);

#endif
