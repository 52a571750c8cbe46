/*
 * codegen.h - the code generator's front end and the target record every
 * backend implements (internal; docs/BACKEND.md is the contract in prose).
 *
 * The front end (codegen.c) walks each validated function body once. It
 * owns everything both targets share: the operand stack with each value's
 * location (a register, its home slot, a constant), register allocation
 * over abstract register numbers, control frames and labels, and the
 * metadata (frame points, trap sites). A target (backend/<arch>/) turns
 * single operations on locations into instructions.
 *
 * Invariants the front end keeps for the backends:
 *  - i32 values in general registers have their upper 32 bits zero;
 *  - at every label and at every suspension point, every live value is in
 *    its home slot (abi.h: wr_slot_fp_offset), no register is live;
 *  - a value's home slot is decided by its position alone (local index, or
 *    local count + operand depth), so both targets record the same frames.
 */
#ifndef WASMRT_COMPILER_CODEGEN_H
#define WASMRT_COMPILER_CODEGEN_H

#include <stdbool.h>
#include <stdint.h>

#include "compiler/abi.h"
#include "compiler/codebuf.h"
#include "compiler/module.h"
#include "compiler/object.h"
#include "wasmrt.h"

/* An abstract register: a number within its class, mapped by the target. */
typedef uint8_t wr_reg;
#define WR_NO_REG 0xff

typedef enum wr_regclass { WR_GPR = 0, WR_FPR = 1 } wr_regclass;

static inline wr_regclass wr_class_of(uint8_t type)
{
  return (type == WR_F32 || type == WR_F64) ? WR_FPR : WR_GPR;
}

typedef enum wr_loc_kind {
  WR_LOC_REG,  /* in register `reg` of the type's class */
  WR_LOC_SLOT, /* in home slot `slot` */
  WR_LOC_IMM,  /* the constant `imm` (float bits for f32/f64) */
} wr_loc_kind;

/* Where a value is, as the backends see it. */
typedef struct wr_loc {
  uint8_t kind; /* wr_loc_kind */
  uint8_t type; /* wr_valtype */
  wr_reg reg;
  uint32_t slot;
  uint64_t imm;
} wr_loc;

/* Opcodes as the backends see them: the byte for single-byte opcodes,
 * 0xfc00 | sub-opcode for the 0xfc prefix. */
#define WR_CG_OP_FC(sub) (0xfc00u | (uint32_t)(sub))

typedef struct wr_cg wr_cg;

typedef struct wr_target {
  const char *name; /* "x86_64", "arm64" */
  wasmrt_target id;
  unsigned gpr_count, fpr_count; /* allocatable registers per class */
  /* At most this many locals per class live in registers for the whole
   * function (the rest of the class is for the operand stack). */
  unsigned pinned_gpr_max, pinned_fpr_max;

  /* Prologue: frame, stack/suspend check (recording `entry_point`),
   * zeroed locals. */
  void (*begin_function)(wr_cg *cg, uint32_t entry_point);
  /* Out-of-line code (trap stubs, slow paths), frame size; sets the code
   * size of the function. */
  void (*end_function)(wr_cg *cg);

  /* dst is a register or a slot; src any location of the same type. */
  void (*move)(wr_cg *cg, const wr_loc *dst, const wr_loc *src);
  /* One-operand instructions (and memory.size, ref.func with the index as
   * an immediate, conversions): dst has the result type's class. */
  void (*unary)(wr_cg *cg, uint32_t op, wr_reg dst, const wr_loc *a);
  /* Float to integer, trapping or saturating (dst a general register),
   * and integer to float (dst a float register); the front end decodes the
   * opcodes into the widths and signedness. */
  void (*truncate)(wr_cg *cg, bool from64, bool to64, bool is_signed, bool saturate, wr_reg dst,
                   const wr_loc *a);
  void (*convert)(wr_cg *cg, bool from64, bool to64, bool is_signed, wr_reg dst, const wr_loc *a);
  /* Two operands: `a` is always a register; dst may be a's register. */
  void (*binary)(wr_cg *cg, uint32_t op, wr_reg dst, const wr_loc *a, const wr_loc *b);
  void (*load)(wr_cg *cg, uint32_t op, wr_reg dst, const wr_loc *addr, uint32_t offset);
  void (*store)(wr_cg *cg, uint32_t op, const wr_loc *addr, const wr_loc *value, uint32_t offset);
  /* dst holds the first operand; becomes b when cond is zero. */
  void (*select)(wr_cg *cg, uint8_t type, wr_reg dst, const wr_loc *b, const wr_loc *cond);
  void (*global_get)(wr_cg *cg, uint32_t global, wr_reg dst);
  void (*global_set)(wr_cg *cg, uint32_t global, const wr_loc *value);

  /* Control flow: branches to labels (wr_cg_label_use records fixups). */
  void (*jump)(wr_cg *cg, uint32_t label);
  void (*branch)(wr_cg *cg, const wr_loc *cond, bool if_zero, uint32_t label);
  /* Branch on an integer comparison `op` (eqz when b is NULL) being true,
   * or false with `if_false`; a and b may be anywhere. Optional. */
  void (*compare_branch)(wr_cg *cg, uint32_t op, const wr_loc *a, const wr_loc *b, bool if_false,
                         uint32_t label);
  /* labels[0..count-1] by index, labels[count] the default. */
  void (*br_table)(wr_cg *cg, const wr_loc *index, const uint32_t *labels, uint32_t count);
  /* Point the branch recorded at `at` to code offset `target`; false
   * (and cg->out_of_range set) when the target is beyond its reach. */
  bool (*patch)(wr_cg *cg, uint32_t at, uint32_t target);
  void (*trap)(wr_cg *cg, wasmrt_trap_kind kind);
  /* Suspension/stack check at a loop header (the slow path records the
   * point's native offset). */
  void (*loop_check)(wr_cg *cg, uint32_t point);

  /* Calls: arguments go to the outgoing area, results come back there. */
  void (*store_arg)(wr_cg *cg, uint32_t i, const wr_loc *value);
  void (*load_result)(wr_cg *cg, uint32_t i, uint8_t type, wr_reg dst);
  void (*call)(wr_cg *cg, uint32_t func_index, uint32_t point);
  void (*call_indirect)(wr_cg *cg, uint32_t type_index, uint32_t table, const wr_loc *index,
                        uint32_t point);
  /* A runtime helper with up to five arguments; its result, when wanted,
   * goes to `dst` (a general register) unless dst_type is 0. */
  void (*call_helper)(wr_cg *cg, wr_helper helper, const wr_loc *args, unsigned count,
                      uint32_t point, uint8_t dst_type, wr_reg dst);
  /* Result i of this function into the caller's area, then return. */
  void (*store_return)(wr_cg *cg, uint32_t i, const wr_loc *value);
  void (*ret)(wr_cg *cg);
  /* Free the target's per-compilation state (cg->backend). */
  void (*release)(wr_cg *cg);
} wr_target;

extern const wr_target wr_target_x86_64;
extern const wr_target wr_target_arm64;

typedef struct wr_cg_fixup {
  uint32_t at;   /* position the backend asked to patch */
  uint32_t next; /* next fixup of the same label, UINT32_MAX at the end */
} wr_cg_fixup;

/* Out-of-line code a backend emits at the end of the function: a trap
 * stub per check, a slow path per entry or loop check. */
typedef struct wr_cg_stub {
  uint32_t at; /* the branch to the stub */
  uint32_t wasm_offset;
  uint8_t kind; /* wasmrt_trap_kind */
} wr_cg_stub;

typedef struct wr_cg_slow {
  uint32_t at;     /* the branch to the slow path */
  uint32_t resume; /* where the slow path returns */
  uint32_t point;
  bool entry; /* the function-entry check: the frame is not set up yet */
} wr_cg_slow;

typedef struct wr_cg_label {
  int64_t offset; /* bound position, -1 until bound */
  uint32_t fixups;
} wr_cg_label;

/* The state of one compilation; backends read the function fields and use
 * the helpers below. */
struct wr_cg {
  const wr_module *m;
  const wr_target *t;
  wr_codebuf code;

  /* The function being compiled. */
  uint32_t func_index;
  const wr_functype *type;
  uint32_t param_count, local_count;
  uint8_t *local_types;
  /* Per local: the register it lives in for the whole function, or
   * WR_NO_REG (then it lives in its home slot). */
  uint8_t *local_regs;
  uint32_t func_start;   /* code offset of the function */
  uint32_t max_depth;    /* operand slots the frame needs */
  uint32_t max_outgoing; /* outgoing-area slots the frame needs */
  uint32_t wasm_offset;  /* of the instruction being compiled */
  uint32_t frame_size;   /* set by end_function: bytes below the frame pointer */

  wr_cg_label *labels;
  uint32_t label_count, label_cap;
  wr_cg_fixup *fixups;
  uint32_t fixup_count, fixup_cap;

  wr_cg_fixup *calls; /* direct calls: `next` holds the callee's index */
  uint32_t call_count, call_cap;

  wr_object *obj;
  uint32_t trap_cap, point_cap, pool_cap, func_first_point;

  /* This function's out-of-line code, emptied at each function's start. */
  wr_cg_stub *stubs;
  uint32_t stub_count, stub_cap;
  wr_cg_slow *slows;
  uint32_t slow_count, slow_cap;

  void *backend; /* the target's per-compilation state */
  bool nomem;

  /* Branch reach (targets with short conditional branches, AArch64):
   * the front end compiles a function again with far_branches when a
   * patch reported out_of_range, and the whole module with far_calls when
   * a direct call could not reach its callee. */
  bool far_branches, far_calls;
  bool out_of_range;
};

/* Grows *buf (of *cap elements of `elem` bytes) to hold `need`; false,
 * with cg->nomem set, when memory runs out. */
bool wr_cg_grow(wr_cg *cg, void **buf, uint32_t *cap, uint32_t need, size_t elem);

/* Metadata the backends record. */
void wr_cg_trap_site(wr_cg *cg, uint32_t native_offset, wasmrt_trap_kind kind,
                     uint32_t wasm_offset);
void wr_cg_point_offset(wr_cg *cg, uint32_t point, uint32_t native_offset);
/* Record a branch at `at` to `label`: patched now when bound, else later. */
void wr_cg_label_use(wr_cg *cg, uint32_t label, uint32_t at);
/* Record a direct call at `at` to a defined function, patched (with the
 * target's `patch`) once every function's offset is known. */
void wr_cg_call_fixup(wr_cg *cg, uint32_t at, uint32_t func_index);

static inline uint32_t wr_cg_pos(const wr_cg *cg) { return (uint32_t)cg->code.len; }

/* A trap stub for the branch at `at` (at the current wasm offset), and a
 * slow path for the check branching at `at` that resumes here. */
void wr_cg_add_stub(wr_cg *cg, uint32_t at, wasmrt_trap_kind kind);
void wr_cg_add_slow(wr_cg *cg, uint32_t at, uint32_t point, bool entry);

/* Bytes below the frame pointer: the saved context pointer, the home
 * slots of the non-parameter locals and of the operand stack, the
 * outgoing area; a multiple of 16. Sets cg->frame_size; false (with
 * cg->nomem) beyond what a displacement can hold, which the validator's
 * limits rule out. */
bool wr_cg_frame_size(wr_cg *cg);

/* The bits of `value` as an f64, or as an f32 when !is_double. */
uint64_t wr_cg_float_bits(bool is_double, double value);

/* The range a float must be in for a trapping truncation to an integer:
 * out of range are x >= hi, and x <= lo (lo_inclusive) or x < lo; bounds
 * as float bits of the source's width. */
typedef struct wr_trunc_bounds {
  uint64_t lo_bits, hi_bits;
  bool lo_inclusive;
} wr_trunc_bounds;
wr_trunc_bounds wr_cg_trunc_bounds(bool from64, bool to64, bool is_signed);

/* Pinned locals to their home slots and back, around suspension points
 * (backends call these on their slow paths). */
void wr_cg_save_pinned(wr_cg *cg);
void wr_cg_load_pinned(wr_cg *cg);

/* How to compile, beyond the defaults; the far forms are what a target
 * with short branches falls back to by itself (wr_cg), forced here so the
 * tests can cover them with small modules. */
typedef struct wr_compile_options {
  bool far_branches; /* every function as if its branches were far */
  bool far_calls;    /* calls to the module's functions through funcrefs */
} wr_compile_options;

wasmrt_result wr_compile_module_with(const wr_module *m, const wr_target *target,
                                     const wr_compile_options *opts, wr_object **out,
                                     wasmrt_error *err);

/* Compile every defined function of `m` for `target`. */
wasmrt_result wr_compile_module(const wr_module *m, const wr_target *target, wr_object **out,
                                wasmrt_error *err);

#endif
