/*
 * arm64_codegen.c - the AArch64 target record: instruction selection for
 * the front end's operations (compiler/codegen.h), frames, calls and traps.
 *
 * Registers (docs/BACKEND.md): x28 linear memory base, x27 instance
 * context, x29 frame pointer, x30 link register; x14-x17 and v30, v31 are
 * this file's scratch (x15 carries the wr_funcref* of a call through a
 * funcref); the front end allocates x0-x13, x19-x26 and v0-v29. Every
 * allocated register is spilled at calls, so the host ABI's callee-saved
 * set does not matter inside wasm code; wr_enter_arm64 saves it.
 *
 * Scratch use, so that sequences do not trip over each other: x16 holds a
 * value being moved or the second operand; x17 is the address scratch of
 * a64_ldst_at and of linear-memory accesses; x14 and x15 are for the few
 * sequences that need more (division, call_indirect, copysign).
 *
 * Branch reach: B.cond and CBZ reach +-1 MiB. A function whose branches
 * would reach farther is compiled again with cg->far_branches, where each
 * conditional branch to a label or stub is an inverted one over a B
 * (+-128 MiB); the front end does the retry (a64_patch reports the miss).
 */
#include <stdlib.h>
#include <string.h>

#include "backend/arm64/arm64_encoder.h"
#include "compiler/codegen.h"
#include "compiler/opcodes.h"

static const arm64_reg a64_gprs[] = {
    ARM64_X0,  ARM64_X1,  ARM64_X2,  ARM64_X3,  ARM64_X4,  ARM64_X5,  ARM64_X6,  ARM64_X7,
    ARM64_X8,  ARM64_X9,  ARM64_X10, ARM64_X11, ARM64_X12, ARM64_X13, ARM64_X19, ARM64_X20,
    ARM64_X21, ARM64_X22, ARM64_X23, ARM64_X24, ARM64_X25, ARM64_X26};
#define A64_FPR_COUNT 30

#define A64_CTX ARM64_X27
#define A64_MEM ARM64_X28
#define A64_FP ARM64_X29
#define A64_LR ARM64_X30
#define A64_T0 ARM64_X16 /* value scratch */
#define A64_T1 ARM64_X17 /* address scratch */
#define A64_T2 ARM64_X14
#define A64_FUNCREF ARM64_X15
#define A64_V0 31u /* FP scratch */
#define A64_V1 30u

/* A home-slot access addressed from sp, whose offset waits for the frame
 * size (a64_slot_from_sp). */
typedef struct a64_slot_fixup {
  uint32_t at;
  int32_t fp_offset;
  uint8_t log2_size;
} a64_slot_fixup;

typedef struct a64_state {
  a64_slot_fixup *slot_fixups;
  uint32_t slot_fixup_count, slot_fixup_cap;
  uint32_t frame_patch[2]; /* MOVZ+MOVK pairs loading the frame size */
  unsigned frame_patch_count;
} a64_state;

static a64_state *a64_st(wr_cg *cg)
{
  if (!cg->backend) {
    cg->backend = calloc(1, sizeof(a64_state));
    if (!cg->backend)
      cg->nomem = true;
  }
  return cg->backend;
}

static inline arm64_reg a64_gpr(wr_reg r) { return a64_gprs[r]; }
static inline arm64_vreg a64_fpr(wr_reg r) { return r; }
static inline bool a64_wide(uint8_t type) { return type != WR_I32 && type != WR_F32; }

/* ---- branches ----------------------------------------------------------- */

static bool a64_patch(wr_cg *cg, uint32_t at, uint32_t target)
{
  if (arm64_patch_branch(&cg->code, at, target))
    return true;
  if (!cg->code.failed)
    cg->out_of_range = true;
  return false;
}

/* A conditional branch to a label or stub, patched later; returns what to
 * patch. In far mode an inverted B.cond skips a B. */
static uint32_t a64_branch_if(wr_cg *cg, arm64_cond cc)
{
  wr_codebuf *b = &cg->code;
  if (!cg->far_branches)
    return (uint32_t)arm64_b_cond(b, cc);
  size_t skip = arm64_b_cond(b, arm64_invert_cond(cc));
  size_t at = arm64_b(b);
  arm64_patch_branch(b, skip, b->len);
  return (uint32_t)at;
}

/* CBZ (or CBNZ when `nonzero`) to a label or stub, far-aware like
 * a64_branch_if. */
static uint32_t a64_branch_zero(wr_cg *cg, bool nonzero, bool is64, arm64_reg r)
{
  wr_codebuf *b = &cg->code;
  if (!cg->far_branches)
    return (uint32_t)(nonzero ? arm64_cbnz(b, is64, r) : arm64_cbz(b, is64, r));
  size_t skip = nonzero ? arm64_cbz(b, is64, r) : arm64_cbnz(b, is64, r);
  size_t at = arm64_b(b);
  arm64_patch_branch(b, skip, b->len);
  return (uint32_t)at;
}

static void a64_trap_if(wr_cg *cg, arm64_cond cc, wasmrt_trap_kind kind)
{
  wr_cg_add_stub(cg, a64_branch_if(cg, cc), kind);
}

static void a64_trap_if_zero(wr_cg *cg, bool is64, arm64_reg r, wasmrt_trap_kind kind)
{
  wr_cg_add_stub(cg, a64_branch_zero(cg, false, is64, r), kind);
}

/* ---- memory operands ---------------------------------------------------- */

/* Whether `offset` is a scaled unsigned offset for an access of `size`
 * bytes. */
static bool a64_scaled_fits(unsigned size, int64_t offset)
{
  return offset >= 0 && offset % size == 0 && offset / size < 0x1000;
}

/* Home slots below LDUR's reach (-256) are addressed from sp instead, which
 * is fp - FRAME throughout the body: one instruction whose scaled offset is
 * patched in by a64_end_function. A frame too large for that (over 16 or
 * 32 KiB) makes the function compile again with far forms
 * (cg->far_branches), where such slots take the offset in x17. */
static bool a64_slot_from_sp(wr_cg *cg, arm64_reg base, int64_t offset, unsigned log2_size)
{
  if (base != A64_FP || offset >= -256 || cg->far_branches)
    return false;
  a64_state *st = a64_st(cg);
  if (!st || !wr_cg_grow(cg, (void **)&st->slot_fixups, &st->slot_fixup_cap,
                         st->slot_fixup_count + 1, sizeof *st->slot_fixups))
    return false;
  st->slot_fixups[st->slot_fixup_count++] =
      (a64_slot_fixup){wr_cg_pos(cg), (int32_t)offset, (uint8_t)log2_size};
  return true;
}

/* An integer load or store at [base + offset], any offset; may use x17
 * (base must not be x17 then). */
static void a64_ldst_at(wr_cg *cg, arm64_ldst_op op, arm64_reg rt, arm64_reg base, int64_t offset)
{
  wr_codebuf *b = &cg->code;
  if (a64_slot_from_sp(cg, base, offset, (unsigned)op >> 2)) {
    arm64_ldst_imm(b, op, rt, ARM64_SP, 0);
  } else if (a64_scaled_fits(1u << (op >> 2), offset)) {
    arm64_ldst_imm(b, op, rt, base, (uint32_t)offset);
  } else if (arm64_unscaled_offset_fits(offset)) {
    arm64_ldst_unscaled(b, op, rt, base, (int32_t)offset);
  } else {
    arm64_mov_imm(b, true, A64_T1, (uint64_t)offset);
    arm64_ldst_reg(b, op, rt, base, A64_T1, ARM64_INDEX_X);
  }
}

static void a64_fp_ldst_at(wr_cg *cg, bool is_load, bool d, arm64_vreg rt, arm64_reg base,
                           int64_t offset)
{
  wr_codebuf *b = &cg->code;
  if (a64_slot_from_sp(cg, base, offset, d ? 3 : 2)) {
    arm64_fp_ldst_imm(b, is_load, d, rt, ARM64_SP, 0);
  } else if (a64_scaled_fits(d ? 8 : 4, offset)) {
    arm64_fp_ldst_imm(b, is_load, d, rt, base, (uint32_t)offset);
  } else if (arm64_unscaled_offset_fits(offset)) {
    arm64_fp_ldst_unscaled(b, is_load, d, rt, base, (int32_t)offset);
  } else {
    arm64_mov_imm(b, true, A64_T1, (uint64_t)offset);
    arm64_fp_ldst_reg(b, is_load, d, rt, base, A64_T1, ARM64_INDEX_X);
  }
}

static int64_t a64_slot_offset(const wr_cg *cg, uint32_t slot)
{
  return wr_slot_fp_offset(cg->param_count, slot);
}

/* ---- moving values ------------------------------------------------------ */

static void a64_load_gpr(wr_cg *cg, arm64_reg dst, const wr_loc *l)
{
  wr_codebuf *b = &cg->code;
  bool w = a64_wide(l->type);
  switch (l->kind) {
  case WR_LOC_REG:
    if (wr_class_of(l->type) == WR_FPR)
      arm64_fmov_from_fp(b, w, dst, a64_fpr(l->reg));
    else if (a64_gpr(l->reg) != dst)
      arm64_mov_reg(b, true, dst, a64_gpr(l->reg));
    break;
  case WR_LOC_SLOT:
    a64_ldst_at(cg, w ? ARM64_LDR_X : ARM64_LDR_W, dst, A64_FP, a64_slot_offset(cg, l->slot));
    break;
  default:
    arm64_mov_imm(b, w, dst, w ? l->imm : (uint32_t)l->imm);
    break;
  }
}

static void a64_load_fpr(wr_cg *cg, arm64_vreg dst, const wr_loc *l)
{
  wr_codebuf *b = &cg->code;
  bool d = a64_wide(l->type); /* i64 sources too: f64.reinterpret_i64 */
  switch (l->kind) {
  case WR_LOC_REG:
    if (wr_class_of(l->type) == WR_GPR)
      arm64_fmov_to_fp(b, d, dst, a64_gpr(l->reg));
    else if (a64_fpr(l->reg) != dst)
      arm64_fp1(b, ARM64_FMOV, true, dst, a64_fpr(l->reg));
    break;
  case WR_LOC_SLOT:
    a64_fp_ldst_at(cg, true, d, dst, A64_FP, a64_slot_offset(cg, l->slot));
    break;
  default:
    if (l->imm == 0) {
      arm64_fmov_to_fp(b, d, dst, ARM64_XZR);
    } else {
      arm64_mov_imm(b, d, A64_T0, d ? l->imm : (uint32_t)l->imm);
      arm64_fmov_to_fp(b, d, dst, A64_T0);
    }
    break;
  }
}

/* The value as a general register: its own, or `scratch` loaded. */
static arm64_reg a64_gpr_of(wr_cg *cg, const wr_loc *l, arm64_reg scratch)
{
  if (l->kind == WR_LOC_REG && wr_class_of(l->type) == WR_GPR)
    return a64_gpr(l->reg);
  a64_load_gpr(cg, scratch, l);
  return scratch;
}

static arm64_vreg a64_fpr_of(wr_cg *cg, const wr_loc *l, arm64_vreg scratch)
{
  if (l->kind == WR_LOC_REG && wr_class_of(l->type) == WR_FPR)
    return a64_fpr(l->reg);
  a64_load_fpr(cg, scratch, l);
  return scratch;
}

/* Store any value at [base + offset] (a slot, the outgoing area, a
 * global); base must not be x16 or x17. */
static void a64_store_loc(wr_cg *cg, arm64_reg base, int64_t offset, const wr_loc *l)
{
  bool w = a64_wide(l->type);
  if (l->kind == WR_LOC_REG && wr_class_of(l->type) == WR_FPR) {
    a64_fp_ldst_at(cg, false, w, a64_fpr(l->reg), base, offset);
    return;
  }
  arm64_reg r;
  if (l->kind == WR_LOC_IMM && (w ? l->imm : (uint32_t)l->imm) == 0)
    r = ARM64_XZR;
  else
    r = a64_gpr_of(cg, l, A64_T0);
  a64_ldst_at(cg, w ? ARM64_STR_X : ARM64_STR_W, r, base, offset);
}

static void a64_move(wr_cg *cg, const wr_loc *dst, const wr_loc *src)
{
  if (dst->kind == WR_LOC_SLOT) {
    if (src->kind == WR_LOC_SLOT && src->slot == dst->slot)
      return;
    a64_store_loc(cg, A64_FP, a64_slot_offset(cg, dst->slot), src);
  } else if (wr_class_of(dst->type) == WR_FPR) {
    a64_load_fpr(cg, a64_fpr(dst->reg), src);
  } else {
    a64_load_gpr(cg, a64_gpr(dst->reg), src);
  }
}

/* ---- integer operations ------------------------------------------------- */

static const arm64_cond a64_cmp_cc[] = {ARM64_EQ, ARM64_NE, ARM64_LT, ARM64_LO, ARM64_GT,
                                        ARM64_HI, ARM64_LE, ARM64_LS, ARM64_GE, ARM64_HS};

/* The immediate of an operation of width w: the low 32 bits for i32. */
static uint64_t a64_imm(bool w, const wr_loc *l) { return w ? l->imm : (uint32_t)l->imm; }

static uint64_t a64_negate(bool w, uint64_t v) { return w ? 0 - v : (uint32_t)(0 - v); }

/* Flags of ra - b. */
static void a64_compare(wr_cg *cg, bool w, arm64_reg ra, const wr_loc *b, arm64_reg scratch)
{
  if (b->kind == WR_LOC_IMM) {
    uint64_t v = a64_imm(w, b);
    if (arm64_addsub_imm_fits(v)) {
      arm64_cmp_imm(&cg->code, w, ra, (uint32_t)v);
      return;
    }
    if (arm64_addsub_imm_fits(a64_negate(w, v))) {
      arm64_addsub_imm(&cg->code, ARM64_ADDS, w, ARM64_XZR, ra, (uint32_t)a64_negate(w, v));
      return;
    }
  }
  arm64_cmp_reg(&cg->code, w, ra, a64_gpr_of(cg, b, scratch));
}

/* dst = ra + b or ra - b, with an immediate form when b allows. */
static void a64_add_sub(wr_cg *cg, bool sub, bool w, arm64_reg dst, arm64_reg ra, const wr_loc *b)
{
  wr_codebuf *c = &cg->code;
  if (b->kind == WR_LOC_IMM) {
    uint64_t v = a64_imm(w, b);
    if (arm64_addsub_imm_fits(v)) {
      arm64_addsub_imm(c, sub ? ARM64_SUB : ARM64_ADD, w, dst, ra, (uint32_t)v);
      return;
    }
    if (arm64_addsub_imm_fits(a64_negate(w, v))) {
      arm64_addsub_imm(c, sub ? ARM64_ADD : ARM64_SUB, w, dst, ra, (uint32_t)a64_negate(w, v));
      return;
    }
  }
  arm64_alu_reg(c, sub ? ARM64_SUB : ARM64_ADD, w, dst, ra, a64_gpr_of(cg, b, A64_T0), ARM64_LSL,
                0);
}

static void a64_divide(wr_cg *cg, bool w, bool is_signed, bool rem, arm64_reg dst, arm64_reg ra,
                       const wr_loc *b)
{
  wr_codebuf *c = &cg->code;
  arm64_reg rb = a64_gpr_of(cg, b, A64_T2);
  bool known_nonzero = b->kind == WR_LOC_IMM && a64_imm(w, b) != 0;
  bool maybe_minus1 =
      b->kind != WR_LOC_IMM || a64_imm(w, b) == (w ? UINT64_MAX : (uint64_t)UINT32_MAX);
  if (!known_nonzero)
    a64_trap_if_zero(cg, w, rb, WASMRT_TRAP_INTEGER_DIVIDE_BY_ZERO);
  if (is_signed && maybe_minus1 && !rem) {
    /* INT_MIN / -1 overflows. (INT_MIN % -1 needs nothing: SDIV gives
     * INT_MIN and the MSUB below then 0, as wasm wants.) NEGS sets V
     * exactly for INT_MIN. */
    arm64_addsub_imm(c, ARM64_ADDS, w, ARM64_XZR, rb, 1);
    size_t skip = arm64_b_cond(c, ARM64_NE);
    arm64_alu_reg(c, ARM64_SUBS, w, ARM64_XZR, ARM64_XZR, ra, ARM64_LSL, 0);
    a64_trap_if(cg, ARM64_VS, WASMRT_TRAP_INTEGER_OVERFLOW);
    arm64_patch_branch(c, skip, c->len);
  }
  arm64_dp2_op div = is_signed ? ARM64_SDIV : ARM64_UDIV;
  if (!rem) {
    arm64_dp2(c, div, w, dst, ra, rb);
    return;
  }
  arm64_dp2(c, div, w, A64_T0, ra, rb);
  arm64_msub(c, w, dst, A64_T0, rb, ra);
}

static void a64_shift(wr_cg *cg, uint32_t kind, bool w, arm64_reg dst, arm64_reg ra,
                      const wr_loc *b)
{
  wr_codebuf *c = &cg->code;
  unsigned width = w ? 64 : 32;
  bool rotl = kind == 3, rotr = kind == 4;
  if (b->kind == WR_LOC_IMM) {
    unsigned amount = (unsigned)(b->imm & (width - 1));
    if (amount == 0) {
      arm64_mov_reg(c, w, dst, ra);
      return;
    }
    if (!rotl && !rotr) {
      static const arm64_shift shifts[] = {ARM64_LSL, ARM64_ASR, ARM64_LSR};
      arm64_shift_imm(c, shifts[kind], w, dst, ra, amount);
      return;
    }
    arm64_ror_imm(c, w, dst, ra, rotl ? width - amount : amount);
    return;
  }
  arm64_reg rb = a64_gpr_of(cg, b, A64_T0);
  if (rotl) {
    /* Rotating left by n is rotating right by -n (RORV takes n mod width). */
    arm64_alu_reg(c, ARM64_SUB, w, A64_T0, ARM64_XZR, rb, ARM64_LSL, 0);
    arm64_dp2(c, ARM64_RORV, w, dst, ra, A64_T0);
    return;
  }
  static const arm64_dp2_op ops[] = {ARM64_LSLV, ARM64_ASRV, ARM64_LSRV, 0, ARM64_RORV};
  arm64_dp2(c, ops[kind], w, dst, ra, rb);
}

/* dst = ra AND/ORR/EOR b: constants that are no-ops, NOT or all ones get
 * a move, bitmask immediates one instruction. */
static void a64_logical(wr_cg *cg, arm64_alu_op op, bool w, arm64_reg dst, arm64_reg ra,
                        const wr_loc *b)
{
  wr_codebuf *c = &cg->code;
  if (b->kind == WR_LOC_IMM) {
    uint64_t v = a64_imm(w, b);
    uint64_t all = w ? ~(uint64_t)0 : 0xffffffffu;
    uint32_t fields;
    if ((op == ARM64_AND && v == all) || (op != ARM64_AND && v == 0)) {
      arm64_mov_reg(c, w, dst, ra);
      return;
    }
    if (op == ARM64_EOR && v == all) {
      arm64_alu_reg(c, ARM64_ORN, w, dst, ARM64_XZR, ra, ARM64_LSL, 0);
      return;
    }
    if ((op == ARM64_AND && v == 0) || (op == ARM64_ORR && v == all)) {
      arm64_mov_imm(c, w, dst, v);
      return;
    }
    if (arm64_logical_imm_encode(v, w, &fields)) {
      arm64_logical_imm(c, op, w, dst, ra, fields);
      return;
    }
  }
  arm64_alu_reg(c, op, w, dst, ra, a64_gpr_of(cg, b, A64_T0), ARM64_LSL, 0);
}

static void a64_int_binary(wr_cg *cg, uint32_t op, arm64_reg dst, const wr_loc *a, const wr_loc *b)
{
  wr_codebuf *c = &cg->code;
  bool w = op >= WR_OP_I64_EQZ && op <= WR_OP_I64_GE_U;
  if (op >= WR_OP_I64_CLZ && op <= WR_OP_I64_ROTR)
    w = true;
  arm64_reg ra = a64_gpr(a->reg);
  if (op >= WR_OP_I32_EQ && op <= WR_OP_I32_GE_U) {
    a64_compare(cg, false, ra, b, A64_T0);
    arm64_cset(c, a64_cmp_cc[op - WR_OP_I32_EQ], false, dst);
    return;
  }
  if (op >= WR_OP_I64_EQ && op <= WR_OP_I64_GE_U) {
    a64_compare(cg, true, ra, b, A64_T0);
    arm64_cset(c, a64_cmp_cc[op - WR_OP_I64_EQ], false, dst);
    return;
  }
  switch (op) {
  case WR_OP_I32_ADD:
  case WR_OP_I64_ADD:
    a64_add_sub(cg, false, w, dst, ra, b);
    return;
  case WR_OP_I32_SUB:
  case WR_OP_I64_SUB:
    a64_add_sub(cg, true, w, dst, ra, b);
    return;
  case WR_OP_I32_AND:
  case WR_OP_I64_AND:
    a64_logical(cg, ARM64_AND, w, dst, ra, b);
    return;
  case WR_OP_I32_OR:
  case WR_OP_I64_OR:
    a64_logical(cg, ARM64_ORR, w, dst, ra, b);
    return;
  case WR_OP_I32_XOR:
  case WR_OP_I64_XOR:
    a64_logical(cg, ARM64_EOR, w, dst, ra, b);
    return;
  case WR_OP_I32_MUL:
  case WR_OP_I64_MUL:
    arm64_mul(c, w, dst, ra, a64_gpr_of(cg, b, A64_T0));
    return;
  case WR_OP_I32_DIV_S:
  case WR_OP_I64_DIV_S:
    a64_divide(cg, w, true, false, dst, ra, b);
    return;
  case WR_OP_I32_DIV_U:
  case WR_OP_I64_DIV_U:
    a64_divide(cg, w, false, false, dst, ra, b);
    return;
  case WR_OP_I32_REM_S:
  case WR_OP_I64_REM_S:
    a64_divide(cg, w, true, true, dst, ra, b);
    return;
  case WR_OP_I32_REM_U:
  case WR_OP_I64_REM_U:
    a64_divide(cg, w, false, true, dst, ra, b);
    return;
  case WR_OP_I32_SHL:
  case WR_OP_I32_SHR_S:
  case WR_OP_I32_SHR_U:
  case WR_OP_I32_ROTL:
  case WR_OP_I32_ROTR:
    a64_shift(cg, op - WR_OP_I32_SHL, false, dst, ra, b);
    return;
  case WR_OP_I64_SHL:
  case WR_OP_I64_SHR_S:
  case WR_OP_I64_SHR_U:
  case WR_OP_I64_ROTL:
  case WR_OP_I64_ROTR:
    a64_shift(cg, op - WR_OP_I64_SHL, true, dst, ra, b);
    return;
  default:
    return;
  }
}

/* ---- float operations --------------------------------------------------- */

static void a64_fconst(wr_cg *cg, arm64_vreg dst, bool d, uint64_t bits)
{
  arm64_mov_imm(&cg->code, d, A64_T0, bits);
  arm64_fmov_to_fp(&cg->code, d, dst, A64_T0);
}

static void a64_copysign(wr_cg *cg, bool d, arm64_vreg dst, arm64_vreg x, arm64_vreg y)
{
  wr_codebuf *b = &cg->code;
  arm64_fmov_from_fp(b, d, A64_T0, x);
  arm64_fmov_from_fp(b, d, A64_T1, y);
  arm64_mov_imm(b, d, A64_T2, d ? 0x8000000000000000ull : 0x80000000u);
  arm64_alu_reg(b, ARM64_BIC, d, A64_T0, A64_T0, A64_T2, ARM64_LSL, 0);
  arm64_alu_reg(b, ARM64_AND, d, A64_T1, A64_T1, A64_T2, ARM64_LSL, 0);
  arm64_alu_reg(b, ARM64_ORR, d, A64_T0, A64_T0, A64_T1, ARM64_LSL, 0);
  arm64_fmov_to_fp(b, d, dst, A64_T0);
}

static void a64_float_binary(wr_cg *cg, uint32_t op, wr_reg dst_reg, const wr_loc *a,
                             const wr_loc *b)
{
  wr_codebuf *c = &cg->code;
  arm64_vreg x = a64_fpr(a->reg);
  arm64_vreg y = a64_fpr_of(cg, b, A64_V0);
  if (op >= WR_OP_F32_EQ && op <= WR_OP_F64_GE) {
    /* After FCMP an unordered pair sets C and V: MI, LS, GT and GE are all
     * false for it, NE true, as wasm wants. */
    static const arm64_cond cc[] = {ARM64_EQ, ARM64_NE, ARM64_MI, ARM64_GT, ARM64_LS, ARM64_GE};
    bool d = a->type == WR_F64;
    arm64_fcmp(c, d, x, y);
    arm64_cset(c, cc[d ? op - WR_OP_F64_EQ : op - WR_OP_F32_EQ], false, a64_gpr(dst_reg));
    return;
  }
  bool d = op >= WR_OP_F64_ABS;
  arm64_vreg dst = a64_fpr(dst_reg);
  unsigned k = d ? op - WR_OP_F64_ADD : op - WR_OP_F32_ADD;
  /* add sub mul div min max copysign: A64's FMIN/FMAX already follow
   * wasm's NaN propagation and order -0 below +0. */
  static const arm64_fp2_op ops[] = {ARM64_FADD, ARM64_FSUB, ARM64_FMUL,
                                     ARM64_FDIV, ARM64_FMIN, ARM64_FMAX};
  if (k < 6)
    arm64_fp2(c, ops[k], d, dst, x, y);
  else
    a64_copysign(cg, d, dst, x, y);
}

static void a64_binary(wr_cg *cg, uint32_t op, wr_reg dst, const wr_loc *a, const wr_loc *b)
{
  if (op >= WR_OP_F32_EQ && op <= WR_OP_F64_GE) {
    a64_float_binary(cg, op, dst, a, b);
    return;
  }
  if (op >= WR_OP_F32_ADD && op <= WR_OP_F64_COPYSIGN) {
    a64_float_binary(cg, op, dst, a, b);
    return;
  }
  a64_int_binary(cg, op, a64_gpr(dst), a, b);
}

/* ---- conversions -------------------------------------------------------- */

/* Float to integer. FCVTZS/FCVTZU already saturate and give 0 for NaN,
 * which is exactly the saturating form; the trapping form checks NaN and
 * the range first. */
static void a64_truncate(wr_cg *cg, bool from64, bool to64, bool is_signed, bool saturate,
                         arm64_reg dst, const wr_loc *a)
{
  wr_codebuf *b = &cg->code;
  arm64_vreg x = a64_fpr_of(cg, a, A64_V0);
  if (!saturate) {
    wr_trunc_bounds bounds = wr_cg_trunc_bounds(from64, to64, is_signed);
    arm64_fcmp(b, from64, x, x);
    a64_trap_if(cg, ARM64_VS, WASMRT_TRAP_INVALID_CONVERSION);
    a64_fconst(cg, A64_V1, from64, bounds.lo_bits);
    arm64_fcmp(b, from64, x, A64_V1);
    a64_trap_if(cg, bounds.lo_inclusive ? ARM64_LS : ARM64_MI, WASMRT_TRAP_INTEGER_OVERFLOW);
    a64_fconst(cg, A64_V1, from64, bounds.hi_bits);
    arm64_fcmp(b, from64, x, A64_V1);
    a64_trap_if(cg, ARM64_GE, WASMRT_TRAP_INTEGER_OVERFLOW);
  }
  arm64_fcvt_int(b, is_signed ? ARM64_FCVTZS : ARM64_FCVTZU, to64, from64, dst, x);
}

static void a64_float_unary(wr_cg *cg, uint32_t op, arm64_vreg dst, const wr_loc *a)
{
  bool d = op >= WR_OP_F64_ABS && op <= WR_OP_F64_SQRT;
  unsigned k = d ? op - WR_OP_F64_ABS : op - WR_OP_F32_ABS;
  /* abs neg ceil floor trunc nearest sqrt */
  static const arm64_fp1_op ops[] = {ARM64_FABS,   ARM64_FNEG,   ARM64_FRINTP, ARM64_FRINTM,
                                     ARM64_FRINTZ, ARM64_FRINTN, ARM64_FSQRT};
  arm64_fp1(&cg->code, ops[k], d, dst, a64_fpr_of(cg, a, A64_V0));
}

static void a64_bit_count(wr_cg *cg, uint32_t op, arm64_reg dst, const wr_loc *a)
{
  wr_codebuf *b = &cg->code;
  bool w = op >= WR_OP_I64_CLZ;
  unsigned k = w ? op - WR_OP_I64_CLZ : op - WR_OP_I32_CLZ;
  arm64_reg r = a64_gpr_of(cg, a, A64_T0);
  switch (k) {
  case 0:
    arm64_dp1(b, ARM64_CLZ, w, dst, r);
    return;
  case 1:
    arm64_dp1(b, ARM64_RBIT, w, A64_T0, r);
    arm64_dp1(b, ARM64_CLZ, w, dst, A64_T0);
    return;
  default:
    /* No scalar POPCNT before FEAT_CSSC: count per byte in a vector. */
    arm64_fmov_to_fp(b, w, A64_V0, r);
    arm64_cnt_8b(b, A64_V0, A64_V0);
    arm64_addv_8b(b, A64_V0, A64_V0);
    arm64_fmov_from_fp(b, false, dst, A64_V0);
    return;
  }
}

static void a64_truncate_op(wr_cg *cg, bool from64, bool to64, bool is_signed, bool saturate,
                            wr_reg dst, const wr_loc *a)
{
  a64_truncate(cg, from64, to64, is_signed, saturate, a64_gpr(dst), a);
}

static void a64_convert(wr_cg *cg, bool from64, bool to64, bool is_signed, wr_reg dst,
                        const wr_loc *a)
{
  arm64_fcvt_int(&cg->code, is_signed ? ARM64_SCVTF : ARM64_UCVTF, from64, to64,
                 a64_gpr_of(cg, a, A64_T0), a64_fpr(dst));
}

static void a64_unary(wr_cg *cg, uint32_t op, wr_reg dst_reg, const wr_loc *a)
{
  wr_codebuf *b = &cg->code;
  /* dst_reg is of the result's class: only one of the two names is used,
   * and a float register's number may be beyond the general ones. */
  arm64_reg dst = dst_reg < sizeof a64_gprs / sizeof a64_gprs[0] ? a64_gpr(dst_reg) : A64_T0;
  arm64_vreg vdst = a64_fpr(dst_reg);
  switch (op) {
  case WR_OP_I32_EQZ:
  case WR_OP_I64_EQZ:
  case WR_OP_REF_IS_NULL: {
    bool w = op != WR_OP_I32_EQZ;
    arm64_cmp_imm(b, w, a64_gpr_of(cg, a, A64_T0), 0);
    arm64_cset(b, ARM64_EQ, false, dst);
    return;
  }
  case WR_OP_I32_CLZ:
  case WR_OP_I64_CLZ:
  case WR_OP_I32_CTZ:
  case WR_OP_I64_CTZ:
  case WR_OP_I32_POPCNT:
  case WR_OP_I64_POPCNT:
    a64_bit_count(cg, op, dst, a);
    return;
  case WR_OP_I32_WRAP_I64:
  case WR_OP_I64_EXTEND_I32_U:
    if (a->kind == WR_LOC_REG)
      arm64_mov_reg(b, false, dst, a64_gpr(a->reg));
    else if (a->kind == WR_LOC_SLOT)
      a64_ldst_at(cg, ARM64_LDR_W, dst, A64_FP, a64_slot_offset(cg, a->slot));
    else
      arm64_mov_imm(b, false, dst, (uint32_t)a->imm);
    return;
  case WR_OP_I64_EXTEND_I32_S:
  case WR_OP_I64_EXTEND32_S:
    arm64_bitfield(b, true, true, dst, a64_gpr_of(cg, a, A64_T0), 0, 31);
    return;
  case WR_OP_I32_EXTEND8_S:
    arm64_bitfield(b, true, false, dst, a64_gpr_of(cg, a, A64_T0), 0, 7);
    return;
  case WR_OP_I32_EXTEND16_S:
    arm64_bitfield(b, true, false, dst, a64_gpr_of(cg, a, A64_T0), 0, 15);
    return;
  case WR_OP_I64_EXTEND8_S:
    arm64_bitfield(b, true, true, dst, a64_gpr_of(cg, a, A64_T0), 0, 7);
    return;
  case WR_OP_I64_EXTEND16_S:
    arm64_bitfield(b, true, true, dst, a64_gpr_of(cg, a, A64_T0), 0, 15);
    return;
  case WR_OP_I32_REINTERPRET_F32:
  case WR_OP_I64_REINTERPRET_F64:
    a64_load_gpr(cg, dst, a);
    return;
  case WR_OP_F32_REINTERPRET_I32:
  case WR_OP_F64_REINTERPRET_I64:
    a64_load_fpr(cg, vdst, a);
    return;
  case WR_OP_F32_DEMOTE_F64:
  case WR_OP_F64_PROMOTE_F32:
    arm64_fcvt(b, op == WR_OP_F64_PROMOTE_F32, vdst, a64_fpr_of(cg, a, A64_V0));
    return;
  case WR_OP_MEMORY_SIZE:
    a64_ldst_at(cg, ARM64_LDR_X, dst, A64_CTX, WR_VMCTX_MEMORY);
    a64_ldst_at(cg, ARM64_LDR_W, dst, dst, WR_MEMORY_PAGES);
    return;
  case WR_OP_REF_FUNC:
    a64_ldst_at(cg, ARM64_LDR_X, dst, A64_CTX, WR_VMCTX_FUNCS);
    a64_ldst_at(cg, ARM64_LDR_X, dst, dst, 8 * (int64_t)a->imm);
    return;
  default:
    a64_float_unary(cg, op, vdst, a);
    return;
  }
}

/* ---- memory ------------------------------------------------------------- */

/* An access of linear memory: [x28 + zero-extended addr + offset]. */
typedef struct a64_address {
  arm64_reg base;
  arm64_reg index; /* ARM64_XZR: none, use `offset` */
  arm64_index_ext ext;
  uint32_t offset;
} a64_address;

/* Computes the address; uses x17, and x14 for offsets that fit no
 * immediate. */
static a64_address a64_address_of(wr_cg *cg, const wr_loc *addr, uint32_t offset, unsigned size)
{
  wr_codebuf *b = &cg->code;
  if (addr->kind == WR_LOC_IMM) {
    uint64_t ea = (uint32_t)addr->imm + (uint64_t)offset;
    if (a64_scaled_fits(size, (int64_t)ea))
      return (a64_address){A64_MEM, ARM64_XZR, ARM64_INDEX_X, (uint32_t)ea};
    arm64_mov_imm(b, true, A64_T1, ea);
    return (a64_address){A64_MEM, A64_T1, ARM64_INDEX_X, 0};
  }
  arm64_reg r = a64_gpr_of(cg, addr, A64_T1);
  if (offset == 0)
    return (a64_address){A64_MEM, r, ARM64_INDEX_UXTW, 0};
  arm64_addsub_ext(b, ARM64_ADD, A64_T1, A64_MEM, r, ARM64_INDEX_UXTW, 0);
  if (a64_scaled_fits(size, offset))
    return (a64_address){A64_T1, ARM64_XZR, ARM64_INDEX_X, offset};
  arm64_mov_imm(b, true, A64_T2, offset);
  return (a64_address){A64_T1, A64_T2, ARM64_INDEX_X, 0};
}

static void a64_access(wr_cg *cg, arm64_ldst_op op, arm64_reg rt, const a64_address *ad)
{
  uint32_t at = wr_cg_pos(cg);
  if (ad->index == ARM64_XZR)
    arm64_ldst_imm(&cg->code, op, rt, ad->base, ad->offset);
  else
    arm64_ldst_reg(&cg->code, op, rt, ad->base, ad->index, ad->ext);
  wr_cg_trap_site(cg, at, WASMRT_TRAP_MEMORY_OUT_OF_BOUNDS, cg->wasm_offset);
}

static void a64_fp_access(wr_cg *cg, bool is_load, bool d, arm64_vreg rt, const a64_address *ad)
{
  uint32_t at = wr_cg_pos(cg);
  if (ad->index == ARM64_XZR)
    arm64_fp_ldst_imm(&cg->code, is_load, d, rt, ad->base, ad->offset);
  else
    arm64_fp_ldst_reg(&cg->code, is_load, d, rt, ad->base, ad->index, ad->ext);
  wr_cg_trap_site(cg, at, WASMRT_TRAP_MEMORY_OUT_OF_BOUNDS, cg->wasm_offset);
}

static arm64_ldst_op a64_load_op(uint32_t op)
{
  switch (op) {
  case WR_OP_I64_LOAD:
    return ARM64_LDR_X;
  case WR_OP_I32_LOAD8_S:
    return ARM64_LDRSB_W;
  case WR_OP_I32_LOAD8_U:
  case WR_OP_I64_LOAD8_U:
    return ARM64_LDRB;
  case WR_OP_I32_LOAD16_S:
    return ARM64_LDRSH_W;
  case WR_OP_I32_LOAD16_U:
  case WR_OP_I64_LOAD16_U:
    return ARM64_LDRH;
  case WR_OP_I64_LOAD8_S:
    return ARM64_LDRSB_X;
  case WR_OP_I64_LOAD16_S:
    return ARM64_LDRSH_X;
  case WR_OP_I64_LOAD32_S:
    return ARM64_LDRSW;
  default: /* i32.load, i64.load32_u */
    return ARM64_LDR_W;
  }
}

static void a64_load_mem(wr_cg *cg, uint32_t op, wr_reg dst, const wr_loc *addr, uint32_t offset)
{
  if (op == WR_OP_F32_LOAD || op == WR_OP_F64_LOAD) {
    bool d = op == WR_OP_F64_LOAD;
    a64_address ad = a64_address_of(cg, addr, offset, d ? 8 : 4);
    a64_fp_access(cg, true, d, a64_fpr(dst), &ad);
    return;
  }
  arm64_ldst_op k = a64_load_op(op);
  a64_address ad = a64_address_of(cg, addr, offset, 1u << (k >> 2));
  a64_access(cg, k, a64_gpr(dst), &ad);
}

static void a64_store_mem(wr_cg *cg, uint32_t op, const wr_loc *addr, const wr_loc *value,
                          uint32_t offset)
{
  if (op == WR_OP_F32_STORE || op == WR_OP_F64_STORE) {
    bool d = op == WR_OP_F64_STORE;
    arm64_vreg v = a64_fpr_of(cg, value, A64_V0);
    a64_address ad = a64_address_of(cg, addr, offset, d ? 8 : 4);
    a64_fp_access(cg, false, d, v, &ad);
    return;
  }
  arm64_ldst_op k;
  switch (op) {
  case WR_OP_I32_STORE8:
  case WR_OP_I64_STORE8:
    k = ARM64_STRB;
    break;
  case WR_OP_I32_STORE16:
  case WR_OP_I64_STORE16:
    k = ARM64_STRH;
    break;
  case WR_OP_I64_STORE:
    k = ARM64_STR_X;
    break;
  default:
    k = ARM64_STR_W;
    break;
  }
  arm64_reg v;
  if (value->kind == WR_LOC_IMM && a64_imm(a64_wide(value->type), value) == 0)
    v = ARM64_XZR;
  else
    v = a64_gpr_of(cg, value, A64_T0);
  a64_address ad = a64_address_of(cg, addr, offset, 1u << (k >> 2));
  a64_access(cg, k, v, &ad);
}

/* ---- select, globals ---------------------------------------------------- */

static void a64_select(wr_cg *cg, uint8_t type, wr_reg dst, const wr_loc *b, const wr_loc *cond)
{
  wr_codebuf *c = &cg->code;
  if (cond->kind == WR_LOC_IMM) {
    if ((uint32_t)cond->imm == 0) {
      wr_loc d = {WR_LOC_REG, type, dst, 0, 0};
      a64_move(cg, &d, b);
    }
    return;
  }
  /* b first: loading a far slot borrows x17, where cond goes. */
  if (wr_class_of(type) == WR_GPR) {
    arm64_reg br = a64_gpr_of(cg, b, A64_T0);
    arm64_cmp_imm(c, false, a64_gpr_of(cg, cond, A64_T1), 0);
    arm64_csel(c, ARM64_NE, a64_wide(type), a64_gpr(dst), a64_gpr(dst), br);
    return;
  }
  arm64_vreg bv = a64_fpr_of(cg, b, A64_V0);
  arm64_cmp_imm(c, false, a64_gpr_of(cg, cond, A64_T1), 0);
  arm64_fcsel(c, ARM64_NE, type == WR_F64, a64_fpr(dst), a64_fpr(dst), bv);
}

/* Where a global's cell is: [x27 + offset], or [x14] for an imported one. */
static arm64_reg a64_global(wr_cg *cg, uint32_t g, int64_t *offset)
{
  const wr_module *m = cg->m;
  if (g >= m->imported_global_count) {
    *offset = wr_vmctx_global_offset(m, g);
    return A64_CTX;
  }
  a64_ldst_at(cg, ARM64_LDR_X, A64_T2, A64_CTX, WR_VMCTX_IMPORTED_GLOBALS);
  a64_ldst_at(cg, ARM64_LDR_X, A64_T2, A64_T2, 8 * (int64_t)g);
  *offset = 0;
  return A64_T2;
}

static void a64_global_get(wr_cg *cg, uint32_t g, wr_reg dst)
{
  uint8_t type = cg->m->globals[g].type.type;
  int64_t offset;
  arm64_reg base = a64_global(cg, g, &offset);
  if (wr_class_of(type) == WR_FPR)
    a64_fp_ldst_at(cg, true, type == WR_F64, a64_fpr(dst), base, offset);
  else
    a64_ldst_at(cg, a64_wide(type) ? ARM64_LDR_X : ARM64_LDR_W, a64_gpr(dst), base, offset);
}

static void a64_global_set(wr_cg *cg, uint32_t g, const wr_loc *value)
{
  int64_t offset;
  arm64_reg base = a64_global(cg, g, &offset);
  a64_store_loc(cg, base, offset, value);
}

/* ---- control flow ------------------------------------------------------- */

static void a64_jump(wr_cg *cg, uint32_t label)
{
  wr_cg_label_use(cg, label, (uint32_t)arm64_b(&cg->code));
}

static void a64_branch(wr_cg *cg, const wr_loc *cond, bool if_zero, uint32_t label)
{
  if (cond->kind == WR_LOC_IMM) {
    if (((uint32_t)cond->imm == 0) == if_zero)
      a64_jump(cg, label);
    return;
  }
  arm64_reg r = a64_gpr_of(cg, cond, A64_T0);
  wr_cg_label_use(cg, label, a64_branch_zero(cg, !if_zero, false, r));
}

static void a64_compare_branch(wr_cg *cg, uint32_t op, const wr_loc *a, const wr_loc *b,
                               bool if_false, uint32_t label)
{
  if (!b) {
    bool w = op == WR_OP_I64_EQZ;
    arm64_reg r = a64_gpr_of(cg, a, A64_T0);
    wr_cg_label_use(cg, label, a64_branch_zero(cg, if_false, w, r));
    return;
  }
  bool w = op >= WR_OP_I64_EQ;
  arm64_cond cc = a64_cmp_cc[w ? op - WR_OP_I64_EQ : op - WR_OP_I32_EQ];
  a64_compare(cg, w, a64_gpr_of(cg, a, A64_T0), b, A64_T1);
  if (if_false)
    cc = arm64_invert_cond(cc);
  wr_cg_label_use(cg, label, a64_branch_if(cg, cc));
}

static void a64_br_table(wr_cg *cg, const wr_loc *index, const uint32_t *labels, uint32_t count)
{
  wr_codebuf *b = &cg->code;
  arm64_reg r = a64_gpr_of(cg, index, A64_T0);
  a64_compare(cg, false, r, &(wr_loc){WR_LOC_IMM, WR_I32, 0, 0, count}, A64_T1);
  wr_cg_label_use(cg, labels[count], a64_branch_if(cg, ARM64_HS));
  /* The table follows the three instructions: adr, add, br. */
  arm64_adr(b, A64_T1, 12);
  arm64_addsub_ext(b, ARM64_ADD, A64_T1, A64_T1, r, ARM64_INDEX_UXTW, 2);
  arm64_br(b, A64_T1);
  for (uint32_t i = 0; i < count; i++)
    a64_jump(cg, labels[i]); /* each entry is one B */
}

static void a64_trap(wr_cg *cg, wasmrt_trap_kind kind)
{
  wr_cg_trap_site(cg, wr_cg_pos(cg), kind, cg->wasm_offset);
  arm64_udf(&cg->code, (uint16_t)kind);
}

static void a64_loop_check(wr_cg *cg, uint32_t point)
{
  wr_codebuf *b = &cg->code;
  arm64_ldst_imm(b, ARM64_LDR_X, A64_T0, A64_CTX, WR_VMCTX_STACK_LIMIT);
  arm64_addsub_ext(b, ARM64_SUBS, ARM64_XZR, ARM64_SP, A64_T0, ARM64_INDEX_X, 0);
  uint32_t at = a64_branch_if(cg, ARM64_LO);
  wr_cg_add_slow(cg, at, point, false);
}

/* ---- frames and calls --------------------------------------------------- */

/* x16 = sp - FRAME, with FRAME patched in when known (a MOVZ+MOVK pair). */
static void a64_frame_bottom(wr_cg *cg)
{
  wr_codebuf *b = &cg->code;
  a64_state *st = a64_st(cg);
  if (st && st->frame_patch_count < 2)
    st->frame_patch[st->frame_patch_count++] = wr_cg_pos(cg);
  wr_codebuf_u32(b, 0xd2800000 | A64_T0); /* movz x16, #0 */
  wr_codebuf_u32(b, 0xf2a00000 | A64_T0); /* movk x16, #0, lsl #16 */
  arm64_addsub_ext(b, ARM64_SUB, A64_T0, ARM64_SP, A64_T0, ARM64_INDEX_X, 0);
}

static void a64_zero_locals(wr_cg *cg)
{
  wr_codebuf *b = &cg->code;
  uint32_t zeroed = cg->local_count - cg->param_count;
  if (zeroed <= 16) {
    for (uint32_t i = cg->param_count; i < cg->local_count; i++)
      a64_ldst_at(cg, ARM64_STR_X, ARM64_XZR, A64_FP, a64_slot_offset(cg, i));
    return;
  }
  /* A loop from the lowest slot up. */
  int64_t lowest = a64_slot_offset(cg, cg->local_count - 1);
  arm64_mov_imm(b, true, A64_T1, (uint64_t)-lowest);
  arm64_alu_reg(b, ARM64_SUB, true, A64_T1, A64_FP, A64_T1, ARM64_LSL, 0);
  arm64_mov_imm(b, false, A64_T2, zeroed);
  size_t loop = b->len;
  arm64_ldst_imm(b, ARM64_STR_X, ARM64_XZR, A64_T1, 0);
  arm64_addsub_imm(b, ARM64_ADD, true, A64_T1, A64_T1, 8);
  arm64_addsub_imm(b, ARM64_SUBS, false, A64_T2, A64_T2, 1);
  arm64_patch_branch(b, arm64_b_cond(b, ARM64_NE), loop);
}

static void a64_begin_function(wr_cg *cg, uint32_t entry_point)
{
  wr_codebuf *b = &cg->code;
  a64_state *st = a64_st(cg);
  if (st)
    st->frame_patch_count = st->slot_fixup_count = 0;
  arm64_stp(b, ARM64_PAIR_PRE_INDEX, true, A64_FP, A64_LR, ARM64_SP, -16);
  arm64_mov_reg(b, true, A64_FP, ARM64_SP);
  /* Check the new stack pointer before using the frame, so a frame that
   * would overflow never touches memory below the limit. */
  a64_frame_bottom(cg);
  arm64_ldst_imm(b, ARM64_LDR_X, A64_T1, A64_CTX, WR_VMCTX_STACK_LIMIT);
  arm64_cmp_reg(b, true, A64_T0, A64_T1);
  uint32_t at = a64_branch_if(cg, ARM64_LO);
  wr_cg_add_slow(cg, at, entry_point, true);
  arm64_mov_reg(b, true, ARM64_SP, A64_T0);
  arm64_ldst_unscaled(b, ARM64_STR_X, A64_CTX, A64_FP, WR_FP_SAVED_VMCTX);
  if (cg->local_count > cg->param_count)
    a64_zero_locals(cg);
}

static void a64_call_helper_addr(wr_cg *cg, wr_helper h, uint32_t point)
{
  a64_ldst_at(cg, ARM64_LDR_X, A64_T0, A64_CTX, WR_VMCTX_HELPERS + 8 * (int64_t)h);
  arm64_blr(&cg->code, A64_T0);
  wr_cg_point_offset(cg, point, wr_cg_pos(cg));
}

static void a64_end_function(wr_cg *cg)
{
  wr_codebuf *b = &cg->code;
  a64_state *st = a64_st(cg);
  if (!st)
    return;
  for (uint32_t i = 0; i < cg->slow_count; i++) {
    const wr_cg_slow *s = &cg->slows[i];
    a64_patch(cg, s->at, (uint32_t)b->len);
    /* At the entry check no local has been loaded into its register yet. */
    if (!s->entry)
      wr_cg_save_pinned(cg);
    arm64_mov_reg(b, true, ARM64_X0, A64_CTX);
    arm64_mov_reg(b, true, ARM64_X1, A64_FP);
    a64_call_helper_addr(cg, WR_HELPER_STACK_CHECK, s->point);
    if (s->entry)
      a64_frame_bottom(cg); /* sp is still the frame pointer here */
    else
      wr_cg_load_pinned(cg);
    a64_patch(cg, (uint32_t)arm64_b(b), s->resume);
  }
  for (uint32_t i = 0; i < cg->stub_count; i++) {
    const wr_cg_stub *s = &cg->stubs[i];
    a64_patch(cg, s->at, (uint32_t)b->len);
    wr_cg_trap_site(cg, wr_cg_pos(cg), s->kind, s->wasm_offset);
    arm64_udf(b, s->kind);
  }
  if (!wr_cg_frame_size(cg))
    return;
  uint32_t frame = cg->frame_size;
  for (uint32_t i = 0; i < st->slot_fixup_count && !b->failed; i++) {
    const a64_slot_fixup *f = &st->slot_fixups[i];
    int64_t from_sp = (int64_t)frame + f->fp_offset;
    if (!a64_scaled_fits(1u << f->log2_size, from_sp)) {
      cg->out_of_range = true; /* compiled again with the offsets in x17 */
      continue;
    }
    uint32_t insn = 0;
    for (int k = 0; k < 4; k++)
      insn |= (uint32_t)b->data[f->at + (uint32_t)k] << (8 * k);
    insn |= (uint32_t)(from_sp >> f->log2_size) << 10;
    wr_codebuf_patch_u32(b, f->at, insn);
  }
  for (unsigned i = 0; i < st->frame_patch_count; i++) {
    uint32_t at = st->frame_patch[i];
    wr_codebuf_patch_u32(b, at, 0xd2800000 | (uint32_t)(frame & 0xffff) << 5 | A64_T0);
    wr_codebuf_patch_u32(b, at + 4, 0xf2a00000 | (uint32_t)(frame >> 16) << 5 | A64_T0);
  }
}

static void a64_store_arg(wr_cg *cg, uint32_t i, const wr_loc *value)
{
  a64_store_loc(cg, ARM64_SP, 8 * (int64_t)i, value);
}

static void a64_load_result(wr_cg *cg, uint32_t i, uint8_t type, wr_reg dst)
{
  if (wr_class_of(type) == WR_FPR)
    a64_fp_ldst_at(cg, true, type == WR_F64, a64_fpr(dst), ARM64_SP, 8 * (int64_t)i);
  else
    a64_ldst_at(cg, a64_wide(type) ? ARM64_LDR_X : ARM64_LDR_W, a64_gpr(dst), ARM64_SP,
                8 * (int64_t)i);
}

/* Call the wr_funcref in x15: switch to its instance, call, switch back. */
static void a64_call_funcref(wr_cg *cg, uint32_t point)
{
  wr_codebuf *b = &cg->code;
  arm64_ldst_imm(b, ARM64_LDR_X, A64_CTX, A64_FUNCREF, WR_FUNCREF_VMCTX);
  arm64_ldst_imm(b, ARM64_LDR_X, A64_MEM, A64_CTX, WR_VMCTX_MEM_BASE);
  arm64_ldst_imm(b, ARM64_LDR_X, A64_T0, A64_FUNCREF, WR_FUNCREF_CODE);
  arm64_blr(b, A64_T0);
  wr_cg_point_offset(cg, point, wr_cg_pos(cg));
  arm64_ldst_unscaled(b, ARM64_LDR_X, A64_CTX, A64_FP, WR_FP_SAVED_VMCTX);
  arm64_ldst_imm(b, ARM64_LDR_X, A64_MEM, A64_CTX, WR_VMCTX_MEM_BASE);
}

/* x15 = the funcref of function `f` from the context's function table. */
static void a64_load_funcref(wr_cg *cg, uint32_t f)
{
  a64_ldst_at(cg, ARM64_LDR_X, A64_FUNCREF, A64_CTX, WR_VMCTX_FUNCS);
  a64_ldst_at(cg, ARM64_LDR_X, A64_FUNCREF, A64_FUNCREF, 8 * (int64_t)f);
}

static void a64_call(wr_cg *cg, uint32_t func_index, uint32_t point)
{
  wr_codebuf *b = &cg->code;
  if (func_index < cg->m->imported_function_count) {
    a64_load_funcref(cg, func_index);
    a64_call_funcref(cg, point);
    return;
  }
  if (cg->far_calls) {
    /* Beyond BL's +-128 MiB: through the function's funcref, whose
     * instance is this one. */
    a64_load_funcref(cg, func_index);
    arm64_ldst_imm(b, ARM64_LDR_X, A64_T0, A64_FUNCREF, WR_FUNCREF_CODE);
    arm64_blr(b, A64_T0);
    wr_cg_point_offset(cg, point, wr_cg_pos(cg));
    return;
  }
  uint32_t at = (uint32_t)arm64_bl(b);
  wr_cg_call_fixup(cg, at, func_index);
  wr_cg_point_offset(cg, point, wr_cg_pos(cg));
}

static void a64_call_indirect(wr_cg *cg, uint32_t type_index, uint32_t table, const wr_loc *index,
                              uint32_t point)
{
  wr_codebuf *b = &cg->code;
  a64_load_gpr(cg, A64_T2, index);
  a64_ldst_at(cg, ARM64_LDR_X, A64_FUNCREF, A64_CTX, WR_VMCTX_TABLES);
  a64_ldst_at(cg, ARM64_LDR_X, A64_FUNCREF, A64_FUNCREF, 8 * (int64_t)table);
  arm64_ldst_imm(b, ARM64_LDR_W, A64_T0, A64_FUNCREF, WR_TABLE_SIZE);
  arm64_cmp_reg(b, false, A64_T2, A64_T0);
  a64_trap_if(cg, ARM64_HS, WASMRT_TRAP_UNDEFINED_ELEMENT);
  arm64_ldst_imm(b, ARM64_LDR_X, A64_FUNCREF, A64_FUNCREF, WR_TABLE_ELEMS);
  arm64_addsub_ext(b, ARM64_ADD, A64_FUNCREF, A64_FUNCREF, A64_T2, ARM64_INDEX_UXTW, 3);
  arm64_ldst_imm(b, ARM64_LDR_X, A64_FUNCREF, A64_FUNCREF, 0);
  a64_trap_if_zero(cg, true, A64_FUNCREF, WASMRT_TRAP_UNINITIALIZED_ELEMENT);
  a64_ldst_at(cg, ARM64_LDR_X, A64_T0, A64_CTX, WR_VMCTX_TYPE_IDS);
  a64_ldst_at(cg, ARM64_LDR_W, A64_T0, A64_T0, 4 * (int64_t)type_index);
  arm64_ldst_imm(b, ARM64_LDR_W, A64_T2, A64_FUNCREF, WR_FUNCREF_TYPE_ID);
  arm64_cmp_reg(b, false, A64_T0, A64_T2);
  a64_trap_if(cg, ARM64_NE, WASMRT_TRAP_INDIRECT_CALL_TYPE);
  a64_call_funcref(cg, point);
}

static void a64_call_helper(wr_cg *cg, wr_helper h, const wr_loc *args, unsigned count,
                            uint32_t point, uint8_t dst_type, wr_reg dst)
{
  /* The front end passes slots and constants only (everything is flushed
   * before a helper), so loading x1..x5 in order clobbers nothing. */
  for (unsigned i = 0; i < count && i < 5; i++)
    a64_load_gpr(cg, (arm64_reg)(ARM64_X1 + i), &args[i]);
  arm64_mov_reg(&cg->code, true, ARM64_X0, A64_CTX);
  a64_call_helper_addr(cg, h, point);
  if (dst_type)
    arm64_mov_reg(&cg->code, a64_wide(dst_type), a64_gpr(dst), ARM64_X0);
}

static void a64_store_return(wr_cg *cg, uint32_t i, const wr_loc *value)
{
  int64_t at = 16 + 8 * (int64_t)i;
  if (value->kind == WR_LOC_SLOT) {
    /* Through a register: a parameter slot may be read and written. */
    a64_load_gpr(cg, A64_T0, &(wr_loc){WR_LOC_SLOT, WR_I64, 0, value->slot, 0});
    a64_ldst_at(cg, ARM64_STR_X, A64_T0, A64_FP, at);
    return;
  }
  a64_store_loc(cg, A64_FP, at, value);
}

static void a64_return(wr_cg *cg)
{
  wr_codebuf *b = &cg->code;
  arm64_mov_reg(b, true, ARM64_SP, A64_FP);
  arm64_ldp(b, ARM64_PAIR_POST_INDEX, true, A64_FP, A64_LR, ARM64_SP, 16);
  arm64_ret(b, A64_LR);
}

static void a64_release(wr_cg *cg)
{
  a64_state *st = cg->backend;
  if (!st)
    return;
  free(st->slot_fixups);
  free(st);
  cg->backend = NULL;
}

const wr_target wr_target_arm64 = {
    .name = "arm64",
    .id = WASMRT_TARGET_ARM64,
    .gpr_count = sizeof a64_gprs / sizeof a64_gprs[0],
    .fpr_count = A64_FPR_COUNT,
    /* Three times x86-64's integer count: hot loops keep more of their
     * locals in registers (keccak's 25 lanes), still leaving 6 and 14 for
     * operands. 16 measured best of 5, 14, 16, 18 on the kernels. */
    .pinned_gpr_max = 16,
    .pinned_fpr_max = 16,
    .begin_function = a64_begin_function,
    .end_function = a64_end_function,
    .move = a64_move,
    .unary = a64_unary,
    .truncate = a64_truncate_op,
    .convert = a64_convert,
    .binary = a64_binary,
    .load = a64_load_mem,
    .store = a64_store_mem,
    .select = a64_select,
    .global_get = a64_global_get,
    .global_set = a64_global_set,
    .jump = a64_jump,
    .branch = a64_branch,
    .compare_branch = a64_compare_branch,
    .br_table = a64_br_table,
    .patch = a64_patch,
    .trap = a64_trap,
    .loop_check = a64_loop_check,
    .store_arg = a64_store_arg,
    .load_result = a64_load_result,
    .call = a64_call,
    .call_indirect = a64_call_indirect,
    .call_helper = a64_call_helper,
    .store_return = a64_store_return,
    .ret = a64_return,
    .release = a64_release,
};
