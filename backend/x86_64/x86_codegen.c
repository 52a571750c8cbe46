/*
 * x86_codegen.c - the x86-64 target record: instruction selection for the
 * front end's operations (compiler/codegen.h), frames, calls and traps.
 *
 * Registers (docs/BACKEND.md): r15 linear memory base, r14 instance
 * context, rbp frame pointer; rax, rcx, rdx, r11, xmm14, xmm15 are this
 * file's scratch; the front end allocates rbx, r12, r13, rsi, rdi, r8-r10
 * and xmm0-xmm13. Every allocated register is spilled at calls, so the
 * host ABI's callee-saved set does not matter inside wasm code.
 */
#include <stdlib.h>
#include <string.h>

#include "backend/x86_64/x86_encoder.h"
#include "compiler/codegen.h"
#include "compiler/opcodes.h"

static const x86_reg x86_gprs[] = {X86_RBX, X86_R12, X86_R13, X86_RSI,
                                   X86_RDI, X86_R8,  X86_R9,  X86_R10};
#define X86_FPR_COUNT 14
#define X86_XSCRATCH 15u  /* xmm15 */
#define X86_XSCRATCH2 14u /* xmm14 */

typedef struct x86_state {
  uint32_t frame_patch[2]; /* disp32 positions of "lea ..., [rbp/rsp - FRAME]" */
  unsigned frame_patch_count;
} x86_state;

static x86_state *x86_st(wr_cg *cg)
{
  if (!cg->backend) {
    cg->backend = calloc(1, sizeof(x86_state));
    if (!cg->backend)
      cg->nomem = true;
  }
  return cg->backend;
}

static inline x86_reg x86_gpr(wr_reg r) { return x86_gprs[r]; }
static inline x86_xmm x86_fpr(wr_reg r) { return r; }
static inline bool x86_wide(uint8_t type) { return type != WR_I32 && type != WR_F32; }

static x86_mem x86_slot(const wr_cg *cg, uint32_t slot)
{
  return x86_mem_base(X86_RBP, wr_slot_fp_offset(cg->param_count, slot));
}

/* A branch to a trap stub emitted at the function's end. */
static void x86_trap_if(wr_cg *cg, x86_cond cc, wasmrt_trap_kind kind)
{
  wr_cg_add_stub(cg, (uint32_t)x86_jcc32(&cg->code, cc), kind);
}

/* ---- moving values ------------------------------------------------------ */

static void x86_load_gpr(wr_cg *cg, x86_reg dst, const wr_loc *l)
{
  wr_codebuf *b = &cg->code;
  bool w = x86_wide(l->type);
  switch (l->kind) {
  case WR_LOC_REG:
    if (wr_class_of(l->type) == WR_FPR)
      x86_movq_from_xmm(b, w, dst, x86_fpr(l->reg));
    else if (x86_gpr(l->reg) != dst)
      x86_mov_rr(b, true, dst, x86_gpr(l->reg));
    break;
  case WR_LOC_SLOT: {
    x86_mem m = x86_slot(cg, l->slot);
    x86_load(b, w ? X86_LOAD_64 : X86_LOAD_U32, dst, &m);
    break;
  }
  default:
    x86_mov_ri(b, w, dst, l->imm);
    break;
  }
}

static void x86_load_fpr(wr_cg *cg, x86_xmm dst, const wr_loc *l)
{
  wr_codebuf *b = &cg->code;
  bool d = x86_wide(l->type); /* i64 sources too: f64.reinterpret_i64 */
  switch (l->kind) {
  case WR_LOC_REG:
    if (wr_class_of(l->type) == WR_GPR)
      x86_movq_to_xmm(b, x86_wide(l->type), dst, x86_gpr(l->reg));
    else if (x86_fpr(l->reg) != dst)
      x86_sse_rr(b, X86_SSE_MOV, true, dst, x86_fpr(l->reg));
    break;
  case WR_LOC_SLOT: {
    x86_mem m = x86_slot(cg, l->slot);
    x86_sse_load(b, d, dst, &m);
    break;
  }
  default:
    if (l->imm == 0) {
      x86_sse_rr(b, X86_SSE_XOR, false, dst, dst);
    } else {
      x86_mov_ri(b, d, X86_RAX, l->imm);
      x86_movq_to_xmm(b, d, dst, X86_RAX);
    }
    break;
  }
}

/* The value as an xmm register: its own, or `scratch` loaded. */
static x86_xmm x86_fpr_of(wr_cg *cg, const wr_loc *l, x86_xmm scratch)
{
  if (l->kind == WR_LOC_REG)
    return x86_fpr(l->reg);
  x86_load_fpr(cg, scratch, l);
  return scratch;
}

/* The value as a general register: its own, or `scratch` loaded. */
static x86_reg x86_gpr_of(wr_cg *cg, const wr_loc *l, x86_reg scratch)
{
  if (l->kind == WR_LOC_REG && wr_class_of(l->type) == WR_GPR)
    return x86_gpr(l->reg);
  x86_load_gpr(cg, scratch, l);
  return scratch;
}

static bool x86_imm_fits(const wr_loc *l)
{
  if (!x86_wide(l->type))
    return true;
  return (int64_t)l->imm >= INT32_MIN && (int64_t)l->imm <= INT32_MAX;
}

/* Store any value to memory (a slot, the outgoing area, a global). */
static void x86_store_loc(wr_cg *cg, const x86_mem *m, const wr_loc *l)
{
  wr_codebuf *b = &cg->code;
  bool w = x86_wide(l->type);
  if (l->kind == WR_LOC_REG) {
    if (wr_class_of(l->type) == WR_FPR)
      x86_sse_store(b, l->type == WR_F64, m, x86_fpr(l->reg));
    else
      x86_store(b, w ? 8 : 4, m, x86_gpr(l->reg));
  } else if (l->kind == WR_LOC_IMM && x86_imm_fits(l)) {
    x86_store_imm32(b, w, m, (int32_t)l->imm);
  } else {
    x86_load_gpr(cg, X86_R11, l);
    x86_store(b, w ? 8 : 4, m, X86_R11);
  }
}

static void x86_move(wr_cg *cg, const wr_loc *dst, const wr_loc *src)
{
  if (dst->kind == WR_LOC_SLOT) {
    if (src->kind == WR_LOC_SLOT && src->slot == dst->slot)
      return;
    x86_mem m = x86_slot(cg, dst->slot);
    x86_store_loc(cg, &m, src);
  } else if (wr_class_of(dst->type) == WR_FPR) {
    x86_load_fpr(cg, x86_fpr(dst->reg), src);
  } else {
    x86_load_gpr(cg, x86_gpr(dst->reg), src);
  }
}

/* ---- integer operations ------------------------------------------------- */

/* dst op= b for the group-1 operations, b from wherever it is. */
static void x86_alu(wr_cg *cg, x86_alu_op op, bool w, x86_reg dst, const wr_loc *b)
{
  if (b->kind == WR_LOC_REG) {
    x86_alu_rr(&cg->code, op, w, dst, x86_gpr(b->reg));
  } else if (b->kind == WR_LOC_SLOT) {
    x86_mem m = x86_slot(cg, b->slot);
    x86_alu_rm(&cg->code, op, w, dst, &m);
  } else if (x86_imm_fits(b)) {
    x86_alu_ri(&cg->code, op, w, dst, (int32_t)b->imm);
  } else {
    x86_mov_ri(&cg->code, true, X86_R11, b->imm);
    x86_alu_rr(&cg->code, op, w, dst, X86_R11);
  }
}

static void x86_setcc_result(wr_cg *cg, x86_cond cc, x86_reg dst)
{
  x86_setcc(&cg->code, cc, dst);
  x86_movzx_r8(&cg->code, dst, dst);
}

static void x86_divide(wr_cg *cg, bool w, bool is_signed, bool rem, x86_reg dst, const wr_loc *a,
                       const wr_loc *b)
{
  wr_codebuf *b_ = &cg->code;
  x86_load_gpr(cg, X86_RCX, b);
  x86_load_gpr(cg, X86_RAX, a);
  bool known_nonzero = b->kind == WR_LOC_IMM && (w ? b->imm != 0 : (uint32_t)b->imm != 0);
  bool maybe_minus1 =
      !(b->kind == WR_LOC_IMM) || (w ? b->imm == UINT64_MAX : (uint32_t)b->imm == UINT32_MAX);
  if (!known_nonzero) {
    x86_test_rr(b_, w, X86_RCX, X86_RCX);
    x86_trap_if(cg, X86_CC_E, WASMRT_TRAP_INTEGER_DIVIDE_BY_ZERO);
  }
  size_t skip = 0, done = 0;
  bool special = is_signed && maybe_minus1;
  if (special) {
    /* INT_MIN / -1 overflows (a trap); INT_MIN % -1 is 0 (idiv faults). */
    x86_alu_ri(b_, X86_CMP, w, X86_RCX, -1);
    skip = x86_jcc32(b_, X86_CC_NE);
    if (rem) {
      x86_alu_rr(b_, X86_XOR, false, X86_RDX, X86_RDX);
      done = x86_jmp32(b_);
    } else {
      if (w) {
        x86_mov_ri(b_, true, X86_R11, (uint64_t)INT64_MIN);
        x86_alu_rr(b_, X86_CMP, true, X86_RAX, X86_R11);
      } else {
        x86_alu_ri(b_, X86_CMP, false, X86_RAX, INT32_MIN);
      }
      x86_trap_if(cg, X86_CC_E, WASMRT_TRAP_INTEGER_OVERFLOW);
    }
    x86_patch_rel32(b_, skip, b_->len);
  }
  if (is_signed)
    x86_sign_extend_ax(b_, w);
  else
    x86_alu_rr(b_, X86_XOR, false, X86_RDX, X86_RDX);
  x86_div(b_, is_signed, w, X86_RCX);
  if (done)
    x86_patch_rel32(b_, done, b_->len);
  x86_mov_rr(b_, w, dst, rem ? X86_RDX : X86_RAX);
}

static void x86_shift(wr_cg *cg, x86_shift_op op, bool w, x86_reg dst, const wr_loc *b)
{
  if (b->kind == WR_LOC_IMM) {
    x86_shift_ri(&cg->code, op, w, dst, (uint8_t)(b->imm & (w ? 63 : 31)));
    return;
  }
  x86_load_gpr(cg, X86_RCX, b);
  x86_shift_cl(&cg->code, op, w, dst);
}

static bool x86_int_binary(wr_cg *cg, uint32_t op, x86_reg dst, const wr_loc *a, const wr_loc *b)
{
  wr_codebuf *c = &cg->code;
  bool w = op >= WR_OP_I64_EQZ && op <= WR_OP_I64_GE_U;
  if (op >= WR_OP_I64_CLZ && op <= WR_OP_I64_ROTR)
    w = true;
  /* Comparisons: dst is a's register (same class), cmp reads it first. */
  static const x86_cond cmp_cc[] = {X86_CC_E, X86_CC_NE, X86_CC_L,  X86_CC_B,  X86_CC_G,
                                    X86_CC_A, X86_CC_LE, X86_CC_BE, X86_CC_GE, X86_CC_AE};
  if (op >= WR_OP_I32_EQ && op <= WR_OP_I32_GE_U) {
    x86_alu(cg, X86_CMP, false, x86_gpr(a->reg), b);
    x86_setcc_result(cg, cmp_cc[op - WR_OP_I32_EQ], dst);
    return true;
  }
  if (op >= WR_OP_I64_EQ && op <= WR_OP_I64_GE_U) {
    x86_alu(cg, X86_CMP, true, x86_gpr(a->reg), b);
    x86_setcc_result(cg, cmp_cc[op - WR_OP_I64_EQ], dst);
    return true;
  }
  if (x86_gpr(a->reg) != dst)
    x86_mov_rr(c, true, dst, x86_gpr(a->reg));
  switch (op) {
  case WR_OP_I32_ADD:
  case WR_OP_I64_ADD:
    x86_alu(cg, X86_ADD, w, dst, b);
    break;
  case WR_OP_I32_SUB:
  case WR_OP_I64_SUB:
    x86_alu(cg, X86_SUB, w, dst, b);
    break;
  case WR_OP_I32_AND:
  case WR_OP_I64_AND:
    x86_alu(cg, X86_AND, w, dst, b);
    break;
  case WR_OP_I32_OR:
  case WR_OP_I64_OR:
    x86_alu(cg, X86_OR, w, dst, b);
    break;
  case WR_OP_I32_XOR:
  case WR_OP_I64_XOR:
    x86_alu(cg, X86_XOR, w, dst, b);
    break;
  case WR_OP_I32_MUL:
  case WR_OP_I64_MUL:
    if (b->kind == WR_LOC_SLOT) {
      x86_mem m = x86_slot(cg, b->slot);
      x86_imul_rm(c, w, dst, &m);
    } else {
      x86_imul_rr(c, w, dst, x86_gpr_of(cg, b, X86_R11));
    }
    break;
  case WR_OP_I32_DIV_S:
  case WR_OP_I64_DIV_S:
    x86_divide(cg, w, true, false, dst, a, b);
    break;
  case WR_OP_I32_DIV_U:
  case WR_OP_I64_DIV_U:
    x86_divide(cg, w, false, false, dst, a, b);
    break;
  case WR_OP_I32_REM_S:
  case WR_OP_I64_REM_S:
    x86_divide(cg, w, true, true, dst, a, b);
    break;
  case WR_OP_I32_REM_U:
  case WR_OP_I64_REM_U:
    x86_divide(cg, w, false, true, dst, a, b);
    break;
  case WR_OP_I32_SHL:
  case WR_OP_I64_SHL:
    x86_shift(cg, X86_SHL, w, dst, b);
    break;
  case WR_OP_I32_SHR_S:
  case WR_OP_I64_SHR_S:
    x86_shift(cg, X86_SAR, w, dst, b);
    break;
  case WR_OP_I32_SHR_U:
  case WR_OP_I64_SHR_U:
    x86_shift(cg, X86_SHR, w, dst, b);
    break;
  case WR_OP_I32_ROTL:
  case WR_OP_I64_ROTL:
    x86_shift(cg, X86_ROL, w, dst, b);
    break;
  case WR_OP_I32_ROTR:
  case WR_OP_I64_ROTR:
    x86_shift(cg, X86_ROR, w, dst, b);
    break;
  default:
    return false;
  }
  return true;
}

/* ---- float operations --------------------------------------------------- */

static void x86_fconst(wr_cg *cg, x86_xmm dst, bool d, uint64_t bits)
{
  x86_mov_ri(&cg->code, d, X86_RAX, bits);
  x86_movq_to_xmm(&cg->code, d, dst, X86_RAX);
}

/* min/max with WebAssembly's NaN and signed-zero rules. */
static void x86_minmax(wr_cg *cg, bool d, bool is_min, x86_xmm x, x86_xmm y)
{
  wr_codebuf *b = &cg->code;
  x86_sse_rr(b, X86_SSE_UCOMI, d, x, y);
  size_t nan = x86_jcc32(b, X86_CC_P);
  size_t ordinary = x86_jcc32(b, X86_CC_NE);
  /* Equal: only the zeros' signs can differ. */
  x86_sse_rr(b, is_min ? X86_SSE_OR : X86_SSE_AND, d, x, y);
  size_t done1 = x86_jmp32(b);
  x86_patch_rel32(b, ordinary, b->len);
  x86_sse_rr(b, is_min ? X86_SSE_MIN : X86_SSE_MAX, d, x, y);
  size_t done2 = x86_jmp32(b);
  x86_patch_rel32(b, nan, b->len);
  x86_sse_rr(b, X86_SSE_ADD, d, x, y); /* a quiet NaN */
  x86_patch_rel32(b, done1, b->len);
  x86_patch_rel32(b, done2, b->len);
}

static void x86_copysign(wr_cg *cg, bool d, x86_xmm x, x86_xmm y)
{
  wr_codebuf *b = &cg->code;
  uint64_t sign = d ? 0x8000000000000000ull : 0x80000000ull;
  x86_movq_from_xmm(b, d, X86_RAX, x);
  x86_movq_from_xmm(b, d, X86_RCX, y);
  x86_mov_ri(b, d, X86_R11, ~sign & (d ? UINT64_MAX : UINT32_MAX));
  x86_alu_rr(b, X86_AND, d, X86_RAX, X86_R11);
  x86_mov_ri(b, d, X86_R11, sign);
  x86_alu_rr(b, X86_AND, d, X86_RCX, X86_R11);
  x86_alu_rr(b, X86_OR, d, X86_RAX, X86_RCX);
  x86_movq_to_xmm(b, d, x, X86_RAX);
}

static void x86_float_compare(wr_cg *cg, uint32_t op, x86_reg dst, const wr_loc *a, const wr_loc *b)
{
  wr_codebuf *c = &cg->code;
  bool d = a->type == WR_F64;
  unsigned rel = d ? op - WR_OP_F64_EQ : op - WR_OP_F32_EQ;
  x86_xmm x = x86_fpr(a->reg);
  x86_xmm y = x86_fpr_of(cg, b, X86_XSCRATCH);
  switch (rel) {
  case 0: /* eq: ZF set and not unordered */
  case 1: /* ne: ZF clear or unordered */
    x86_sse_rr(c, X86_SSE_UCOMI, d, x, y);
    x86_setcc(c, rel == 0 ? X86_CC_E : X86_CC_NE, X86_RAX);
    x86_setcc(c, rel == 0 ? X86_CC_NP : X86_CC_P, X86_RCX);
    x86_alu_rr(c, rel == 0 ? X86_AND : X86_OR, false, X86_RAX, X86_RCX);
    x86_movzx_r8(c, dst, X86_RAX);
    break;
  case 2: /* lt: y > x */
    x86_sse_rr(c, X86_SSE_UCOMI, d, y, x);
    x86_setcc_result(cg, X86_CC_A, dst);
    break;
  case 3: /* gt */
    x86_sse_rr(c, X86_SSE_UCOMI, d, x, y);
    x86_setcc_result(cg, X86_CC_A, dst);
    break;
  case 4: /* le: y >= x */
    x86_sse_rr(c, X86_SSE_UCOMI, d, y, x);
    x86_setcc_result(cg, X86_CC_AE, dst);
    break;
  default: /* ge */
    x86_sse_rr(c, X86_SSE_UCOMI, d, x, y);
    x86_setcc_result(cg, X86_CC_AE, dst);
    break;
  }
}

static bool x86_float_binary(wr_cg *cg, uint32_t op, wr_reg dst_reg, const wr_loc *a,
                             const wr_loc *b)
{
  wr_codebuf *c = &cg->code;
  bool d = op >= WR_OP_F64_ABS;
  x86_xmm dst = x86_fpr(dst_reg);
  if (x86_fpr(a->reg) != dst)
    x86_sse_rr(c, X86_SSE_MOV, true, dst, x86_fpr(a->reg));
  x86_sse_op sse;
  switch (op) {
  case WR_OP_F32_ADD:
  case WR_OP_F64_ADD:
    sse = X86_SSE_ADD;
    break;
  case WR_OP_F32_SUB:
  case WR_OP_F64_SUB:
    sse = X86_SSE_SUB;
    break;
  case WR_OP_F32_MUL:
  case WR_OP_F64_MUL:
    sse = X86_SSE_MUL;
    break;
  case WR_OP_F32_DIV:
  case WR_OP_F64_DIV:
    sse = X86_SSE_DIV;
    break;
  case WR_OP_F32_MIN:
  case WR_OP_F64_MIN:
  case WR_OP_F32_MAX:
  case WR_OP_F64_MAX:
    x86_minmax(cg, d, op == WR_OP_F32_MIN || op == WR_OP_F64_MIN, dst,
               x86_fpr_of(cg, b, X86_XSCRATCH));
    return true;
  case WR_OP_F32_COPYSIGN:
  case WR_OP_F64_COPYSIGN:
    x86_copysign(cg, d, dst, x86_fpr_of(cg, b, X86_XSCRATCH));
    return true;
  default:
    return false;
  }
  if (b->kind == WR_LOC_SLOT) {
    x86_mem m = x86_slot(cg, b->slot);
    x86_sse_rm(c, sse, d, dst, &m);
  } else {
    x86_sse_rr(c, sse, d, dst, x86_fpr_of(cg, b, X86_XSCRATCH));
  }
  return true;
}

static void x86_binary(wr_cg *cg, uint32_t op, wr_reg dst, const wr_loc *a, const wr_loc *b)
{
  if ((op >= WR_OP_F32_EQ && op <= WR_OP_F64_GE)) {
    x86_float_compare(cg, op, x86_gpr(dst), a, b);
    return;
  }
  if (op >= WR_OP_F32_ADD && op <= WR_OP_F64_COPYSIGN && x86_float_binary(cg, op, dst, a, b))
    return;
  x86_int_binary(cg, op, x86_gpr(dst), a, b);
}

/* ---- conversions -------------------------------------------------------- */

/* Float to integer. Trapping forms trap on NaN and out-of-range values;
 * saturating forms give 0 for NaN and clamp. */
static void x86_truncate(wr_cg *cg, bool from64, bool to64, bool is_signed, bool saturate,
                         x86_reg dst, const wr_loc *a)
{
  wr_codebuf *b = &cg->code;
  x86_xmm x = x86_fpr_of(cg, a, X86_XSCRATCH);
  x86_xmm k = X86_XSCRATCH2;
  wr_trunc_bounds bounds = wr_cg_trunc_bounds(from64, to64, is_signed);
  size_t to_zero = 0, to_min = 0, to_max = 0;
  x86_sse_rr(b, X86_SSE_UCOMI, from64, x, x);
  if (saturate)
    to_zero = x86_jcc32(b, X86_CC_P);
  else
    x86_trap_if(cg, X86_CC_P, WASMRT_TRAP_INVALID_CONVERSION);
  x86_fconst(cg, k, from64, bounds.lo_bits);
  x86_sse_rr(b, X86_SSE_UCOMI, from64, x, k);
  x86_cond below = bounds.lo_inclusive ? X86_CC_BE : X86_CC_B;
  if (saturate)
    to_min = x86_jcc32(b, below);
  else
    x86_trap_if(cg, below, WASMRT_TRAP_INTEGER_OVERFLOW);
  x86_fconst(cg, k, from64, bounds.hi_bits);
  x86_sse_rr(b, X86_SSE_UCOMI, from64, x, k);
  if (saturate)
    to_max = x86_jcc32(b, X86_CC_AE);
  else
    x86_trap_if(cg, X86_CC_AE, WASMRT_TRAP_INTEGER_OVERFLOW);

  /* In range. */
  if (to64 && !is_signed) {
    x86_fconst(cg, k, from64, wr_cg_float_bits(from64, 9223372036854775808.0));
    x86_sse_rr(b, X86_SSE_UCOMI, from64, x, k);
    size_t big = x86_jcc32(b, X86_CC_AE);
    x86_cvt_float_to_int(b, from64, true, X86_RAX, x);
    size_t done = x86_jmp32(b);
    x86_patch_rel32(b, big, b->len);
    /* x is consumed: subtracting in place is fine. */
    if (x != X86_XSCRATCH) {
      x86_sse_rr(b, X86_SSE_MOV, true, X86_XSCRATCH, x);
      x = X86_XSCRATCH;
    }
    x86_sse_rr(b, X86_SSE_SUB, from64, x, k);
    x86_cvt_float_to_int(b, from64, true, X86_RAX, x);
    x86_mov_ri(b, true, X86_RCX, 0x8000000000000000ull);
    x86_alu_rr(b, X86_XOR, true, X86_RAX, X86_RCX);
    x86_patch_rel32(b, done, b->len);
  } else {
    x86_cvt_float_to_int(b, from64, to64 || !is_signed, X86_RAX, x);
  }
  if (saturate) {
    size_t end = x86_jmp32(b);
    x86_patch_rel32(b, to_zero, b->len);
    x86_mov_ri(b, true, X86_RAX, 0);
    size_t end2 = x86_jmp32(b);
    x86_patch_rel32(b, to_min, b->len);
    x86_mov_ri(b, true, X86_RAX,
               is_signed ? (to64 ? (uint64_t)INT64_MIN : (uint32_t)INT32_MIN) : 0);
    size_t end3 = x86_jmp32(b);
    x86_patch_rel32(b, to_max, b->len);
    x86_mov_ri(b, true, X86_RAX,
               is_signed ? (to64 ? (uint64_t)INT64_MAX : (uint64_t)INT32_MAX)
                         : (to64 ? UINT64_MAX : UINT32_MAX));
    x86_patch_rel32(b, end, b->len);
    x86_patch_rel32(b, end2, b->len);
    x86_patch_rel32(b, end3, b->len);
  }
  x86_mov_rr(b, to64, dst, X86_RAX);
}

static void x86_convert(wr_cg *cg, bool to64, bool from64, bool is_signed, x86_xmm dst,
                        const wr_loc *a)
{
  wr_codebuf *b = &cg->code;
  x86_load_gpr(cg, X86_RAX, a);
  x86_sse_rr(b, X86_SSE_XOR, false, dst, dst);
  if (is_signed) {
    x86_cvt_int_to_float(b, to64, from64, dst, X86_RAX);
    return;
  }
  if (!from64) {
    /* A u32 is a non-negative i64 (the upper half is zero). */
    x86_cvt_int_to_float(b, to64, true, dst, X86_RAX);
    return;
  }
  x86_test_rr(b, true, X86_RAX, X86_RAX);
  size_t big = x86_jcc32(b, X86_CC_S);
  x86_cvt_int_to_float(b, to64, true, dst, X86_RAX);
  size_t done = x86_jmp32(b);
  x86_patch_rel32(b, big, b->len);
  /* Halve with the low bit kept sticky, convert, double: rounds right. */
  x86_mov_rr(b, true, X86_RCX, X86_RAX);
  x86_shift_ri(b, X86_SHR, true, X86_RCX, 1);
  x86_alu_ri(b, X86_AND, false, X86_RAX, 1);
  x86_alu_rr(b, X86_OR, true, X86_RCX, X86_RAX);
  x86_cvt_int_to_float(b, to64, true, dst, X86_RCX);
  x86_sse_rr(b, X86_SSE_ADD, to64, dst, dst);
  x86_patch_rel32(b, done, b->len);
}

static void x86_float_unary(wr_cg *cg, uint32_t op, x86_xmm dst, const wr_loc *a)
{
  wr_codebuf *b = &cg->code;
  bool d = op >= WR_OP_F64_ABS && op <= WR_OP_F64_SQRT;
  x86_load_fpr(cg, dst, a);
  switch (op) {
  case WR_OP_F32_ABS:
  case WR_OP_F64_ABS:
    x86_fconst(cg, X86_XSCRATCH, d, d ? 0x7fffffffffffffffull : 0x7fffffffu);
    x86_sse_rr(b, X86_SSE_AND, d, dst, X86_XSCRATCH);
    break;
  case WR_OP_F32_NEG:
  case WR_OP_F64_NEG:
    x86_fconst(cg, X86_XSCRATCH, d, d ? 0x8000000000000000ull : 0x80000000u);
    x86_sse_rr(b, X86_SSE_XOR, d, dst, X86_XSCRATCH);
    break;
  case WR_OP_F32_CEIL:
  case WR_OP_F64_CEIL:
    x86_sse_round(b, d, dst, dst, 2);
    break;
  case WR_OP_F32_FLOOR:
  case WR_OP_F64_FLOOR:
    x86_sse_round(b, d, dst, dst, 1);
    break;
  case WR_OP_F32_TRUNC:
  case WR_OP_F64_TRUNC:
    x86_sse_round(b, d, dst, dst, 3);
    break;
  case WR_OP_F32_NEAREST:
  case WR_OP_F64_NEAREST:
    x86_sse_round(b, d, dst, dst, 0);
    break;
  default: /* sqrt */
    x86_sse_rr(b, X86_SSE_SQRT, d, dst, dst);
    break;
  }
}

static void x86_truncate_op(wr_cg *cg, bool from64, bool to64, bool is_signed, bool saturate,
                            wr_reg dst, const wr_loc *a)
{
  x86_truncate(cg, from64, to64, is_signed, saturate, x86_gpr(dst), a);
}

static void x86_convert_op(wr_cg *cg, bool from64, bool to64, bool is_signed, wr_reg dst,
                           const wr_loc *a)
{
  x86_convert(cg, to64, from64, is_signed, x86_fpr(dst), a);
}

static void x86_unary(wr_cg *cg, uint32_t op, wr_reg dst_reg, const wr_loc *a)
{
  wr_codebuf *b = &cg->code;
  /* dst_reg is of the result's class: only one of the two names is used,
   * and a float register's number may be beyond the general ones. */
  x86_reg dst = dst_reg < sizeof x86_gprs / sizeof x86_gprs[0] ? x86_gpr(dst_reg) : X86_RAX;
  x86_xmm xdst = x86_fpr(dst_reg);
  switch (op) {
  case WR_OP_I32_EQZ:
  case WR_OP_I64_EQZ:
  case WR_OP_REF_IS_NULL: {
    bool w = op != WR_OP_I32_EQZ;
    x86_reg r = x86_gpr_of(cg, a, X86_RAX);
    x86_test_rr(b, w, r, r);
    x86_setcc_result(cg, X86_CC_E, dst);
    return;
  }
  case WR_OP_I32_CLZ:
  case WR_OP_I64_CLZ:
  case WR_OP_I32_CTZ:
  case WR_OP_I64_CTZ:
  case WR_OP_I32_POPCNT:
  case WR_OP_I64_POPCNT: {
    bool w = op >= WR_OP_I64_CLZ;
    unsigned k = w ? op - WR_OP_I64_CLZ : op - WR_OP_I32_CLZ;
    static const x86_bitcount_op bc[] = {X86_LZCNT, X86_TZCNT, X86_POPCNT};
    x86_bitcount(b, bc[k], w, dst, x86_gpr_of(cg, a, X86_RAX));
    return;
  }
  case WR_OP_I32_WRAP_I64:
  case WR_OP_I64_EXTEND_I32_U:
    if (a->kind == WR_LOC_REG)
      x86_mov_rr(b, false, dst, x86_gpr(a->reg));
    else if (a->kind == WR_LOC_SLOT) {
      x86_mem m = x86_slot(cg, a->slot);
      x86_load(b, X86_LOAD_U32, dst, &m);
    } else
      x86_mov_ri(b, false, dst, (uint32_t)a->imm);
    return;
  case WR_OP_I64_EXTEND_I32_S:
  case WR_OP_I64_EXTEND32_S:
    x86_movsx_rr(b, X86_LOAD_S32_64, dst, x86_gpr_of(cg, a, X86_RAX));
    return;
  case WR_OP_I32_EXTEND8_S:
    x86_movsx_rr(b, X86_LOAD_S8_32, dst, x86_gpr_of(cg, a, X86_RAX));
    return;
  case WR_OP_I32_EXTEND16_S:
    x86_movsx_rr(b, X86_LOAD_S16_32, dst, x86_gpr_of(cg, a, X86_RAX));
    return;
  case WR_OP_I64_EXTEND8_S:
    x86_movsx_rr(b, X86_LOAD_S8_64, dst, x86_gpr_of(cg, a, X86_RAX));
    return;
  case WR_OP_I64_EXTEND16_S:
    x86_movsx_rr(b, X86_LOAD_S16_64, dst, x86_gpr_of(cg, a, X86_RAX));
    return;
  case WR_OP_I32_REINTERPRET_F32:
  case WR_OP_I64_REINTERPRET_F64:
    x86_load_gpr(cg, dst, a);
    return;
  case WR_OP_F32_REINTERPRET_I32:
  case WR_OP_F64_REINTERPRET_I64:
    x86_load_fpr(cg, xdst, a);
    return;
  case WR_OP_F32_DEMOTE_F64:
  case WR_OP_F64_PROMOTE_F32: {
    bool from_double = op == WR_OP_F32_DEMOTE_F64;
    x86_xmm src = x86_fpr_of(cg, a, X86_XSCRATCH);
    x86_sse_rr(b, X86_SSE_CVT, from_double, xdst, src);
    return;
  }
  case WR_OP_MEMORY_SIZE: {
    x86_mem mem = x86_mem_base(X86_R14, WR_VMCTX_MEMORY);
    x86_load(b, X86_LOAD_64, dst, &mem);
    x86_mem pages = x86_mem_base(dst, WR_MEMORY_PAGES);
    x86_load(b, X86_LOAD_U32, dst, &pages);
    return;
  }
  case WR_OP_REF_FUNC: {
    x86_mem funcs = x86_mem_base(X86_R14, WR_VMCTX_FUNCS);
    x86_load(b, X86_LOAD_64, dst, &funcs);
    x86_mem f = x86_mem_base(dst, (int32_t)(8 * a->imm));
    x86_load(b, X86_LOAD_64, dst, &f);
    return;
  }
  default:
    x86_float_unary(cg, op, xdst, a);
    return;
  }
}

/* ---- memory ------------------------------------------------------------- */

/* The effective address [r15 + addr + offset] of an access. May use r11. */
static x86_mem x86_address(wr_cg *cg, const wr_loc *addr, uint32_t offset)
{
  wr_codebuf *b = &cg->code;
  if (addr->kind == WR_LOC_IMM) {
    uint64_t ea = (uint32_t)addr->imm + (uint64_t)offset;
    if (ea <= INT32_MAX)
      return x86_mem_base(X86_R15, (int32_t)ea);
    x86_mov_ri(b, true, X86_R11, ea);
    return x86_mem_index(X86_R15, X86_R11, 0, 0);
  }
  x86_reg r = x86_gpr_of(cg, addr, X86_R11);
  if (offset <= INT32_MAX)
    return x86_mem_index(X86_R15, r, 0, (int32_t)offset);
  if (r != X86_R11)
    x86_mov_rr(b, false, X86_R11, r);
  x86_mov_ri(b, true, X86_RCX, offset);
  x86_alu_rr(b, X86_ADD, true, X86_R11, X86_RCX);
  return x86_mem_index(X86_R15, X86_R11, 0, 0);
}

static void x86_mem_trap(wr_cg *cg, uint32_t at)
{
  wr_cg_trap_site(cg, at, WASMRT_TRAP_MEMORY_OUT_OF_BOUNDS, cg->wasm_offset);
}

static void x86_load_mem(wr_cg *cg, uint32_t op, wr_reg dst, const wr_loc *addr, uint32_t offset)
{
  x86_mem m = x86_address(cg, addr, offset);
  uint32_t at = wr_cg_pos(cg);
  x86_load_kind k;
  switch (op) {
  case WR_OP_F32_LOAD:
  case WR_OP_F64_LOAD:
    x86_sse_load(&cg->code, op == WR_OP_F64_LOAD, x86_fpr(dst), &m);
    x86_mem_trap(cg, at);
    return;
  case WR_OP_I32_LOAD:
  case WR_OP_I64_LOAD32_U:
    k = X86_LOAD_U32;
    break;
  case WR_OP_I64_LOAD:
    k = X86_LOAD_64;
    break;
  case WR_OP_I32_LOAD8_S:
    k = X86_LOAD_S8_32;
    break;
  case WR_OP_I32_LOAD8_U:
  case WR_OP_I64_LOAD8_U:
    k = X86_LOAD_U8;
    break;
  case WR_OP_I32_LOAD16_S:
    k = X86_LOAD_S16_32;
    break;
  case WR_OP_I32_LOAD16_U:
  case WR_OP_I64_LOAD16_U:
    k = X86_LOAD_U16;
    break;
  case WR_OP_I64_LOAD8_S:
    k = X86_LOAD_S8_64;
    break;
  case WR_OP_I64_LOAD16_S:
    k = X86_LOAD_S16_64;
    break;
  default: /* i64.load32_s */
    k = X86_LOAD_S32_64;
    break;
  }
  x86_load(&cg->code, k, x86_gpr(dst), &m);
  x86_mem_trap(cg, at);
}

static void x86_store_mem(wr_cg *cg, uint32_t op, const wr_loc *addr, const wr_loc *value,
                          uint32_t offset)
{
  if (op == WR_OP_F32_STORE || op == WR_OP_F64_STORE) {
    x86_xmm v = x86_fpr_of(cg, value, X86_XSCRATCH);
    x86_mem m = x86_address(cg, addr, offset);
    uint32_t at = wr_cg_pos(cg);
    x86_sse_store(&cg->code, op == WR_OP_F64_STORE, &m, v);
    x86_mem_trap(cg, at);
    return;
  }
  unsigned size;
  switch (op) {
  case WR_OP_I32_STORE8:
  case WR_OP_I64_STORE8:
    size = 1;
    break;
  case WR_OP_I32_STORE16:
  case WR_OP_I64_STORE16:
    size = 2;
    break;
  case WR_OP_I64_STORE:
    size = 8;
    break;
  default:
    size = 4;
    break;
  }
  x86_reg v = x86_gpr_of(cg, value, X86_RAX);
  x86_mem m = x86_address(cg, addr, offset);
  uint32_t at = wr_cg_pos(cg);
  x86_store(&cg->code, size, &m, v);
  x86_mem_trap(cg, at);
}

/* ---- select, globals ---------------------------------------------------- */

static void x86_select(wr_cg *cg, uint8_t type, wr_reg dst, const wr_loc *b, const wr_loc *cond)
{
  wr_codebuf *c = &cg->code;
  if (cond->kind == WR_LOC_IMM) {
    if ((uint32_t)cond->imm == 0) {
      wr_loc d = {WR_LOC_REG, type, dst, 0, 0};
      x86_move(cg, &d, b);
    }
    return;
  }
  x86_reg cr = x86_gpr_of(cg, cond, X86_RAX);
  if (wr_class_of(type) == WR_GPR) {
    x86_reg br = x86_gpr_of(cg, b, X86_R11);
    x86_test_rr(c, false, cr, cr);
    x86_cmov(c, X86_CC_E, x86_wide(type), x86_gpr(dst), br);
    return;
  }
  x86_test_rr(c, false, cr, cr);
  size_t keep = x86_jcc32(c, X86_CC_NE);
  x86_load_fpr(cg, x86_fpr(dst), b);
  x86_patch_rel32(c, keep, c->len);
}

/* Address of a global's cell: [r14 + offset] or through rax. */
static x86_mem x86_global(wr_cg *cg, uint32_t g)
{
  const wr_module *m = cg->m;
  if (g >= m->imported_global_count)
    return x86_mem_base(X86_R14, wr_vmctx_global_offset(m, g));
  x86_mem arr = x86_mem_base(X86_R14, WR_VMCTX_IMPORTED_GLOBALS);
  x86_load(&cg->code, X86_LOAD_64, X86_RAX, &arr);
  x86_mem cell = x86_mem_base(X86_RAX, (int32_t)(8 * g));
  x86_load(&cg->code, X86_LOAD_64, X86_RAX, &cell);
  return x86_mem_base(X86_RAX, 0);
}

static void x86_global_get(wr_cg *cg, uint32_t g, wr_reg dst)
{
  uint8_t type = cg->m->globals[g].type.type;
  x86_mem m = x86_global(cg, g);
  if (wr_class_of(type) == WR_FPR)
    x86_sse_load(&cg->code, type == WR_F64, x86_fpr(dst), &m);
  else
    x86_load(&cg->code, x86_wide(type) ? X86_LOAD_64 : X86_LOAD_U32, x86_gpr(dst), &m);
}

static void x86_global_set(wr_cg *cg, uint32_t g, const wr_loc *value)
{
  if (value->kind != WR_LOC_REG && g < cg->m->imported_global_count) {
    /* x86_global uses rax; the value goes through r11 first. */
    x86_load_gpr(cg, X86_R11, value);
    x86_mem m = x86_global(cg, g);
    x86_store(&cg->code, x86_wide(value->type) ? 8 : 4, &m, X86_R11);
    return;
  }
  x86_mem m = x86_global(cg, g);
  x86_store_loc(cg, &m, value);
}

/* ---- control flow ------------------------------------------------------- */

static void x86_jump(wr_cg *cg, uint32_t label)
{
  wr_cg_label_use(cg, label, (uint32_t)x86_jmp32(&cg->code));
}

static void x86_branch(wr_cg *cg, const wr_loc *cond, bool if_zero, uint32_t label)
{
  if (cond->kind == WR_LOC_IMM) {
    if (((uint32_t)cond->imm == 0) == if_zero)
      x86_jump(cg, label);
    return;
  }
  x86_reg r = x86_gpr_of(cg, cond, X86_RAX);
  x86_test_rr(&cg->code, false, r, r);
  wr_cg_label_use(cg, label, (uint32_t)x86_jcc32(&cg->code, if_zero ? X86_CC_E : X86_CC_NE));
}

static void x86_compare_branch(wr_cg *cg, uint32_t op, const wr_loc *a, const wr_loc *b,
                               bool if_false, uint32_t label)
{
  static const x86_cond cmp_cc[] = {X86_CC_E, X86_CC_NE, X86_CC_L,  X86_CC_B,  X86_CC_G,
                                    X86_CC_A, X86_CC_LE, X86_CC_BE, X86_CC_GE, X86_CC_AE};
  x86_cond cc;
  if (!b) {
    bool w = op == WR_OP_I64_EQZ;
    x86_reg r = x86_gpr_of(cg, a, X86_RAX);
    x86_test_rr(&cg->code, w, r, r);
    cc = X86_CC_E;
  } else {
    bool w = op >= WR_OP_I64_EQ;
    cc = cmp_cc[w ? op - WR_OP_I64_EQ : op - WR_OP_I32_EQ];
    x86_alu(cg, X86_CMP, w, x86_gpr_of(cg, a, X86_RAX), b);
  }
  if (if_false)
    cc = (x86_cond)(cc ^ 1); /* the encodings pair each condition with its negation */
  wr_cg_label_use(cg, label, (uint32_t)x86_jcc32(&cg->code, cc));
}

static void x86_br_table(wr_cg *cg, const wr_loc *index, const uint32_t *labels, uint32_t count)
{
  wr_codebuf *b = &cg->code;
  x86_load_gpr(cg, X86_RAX, index);
  if (count > INT32_MAX) /* cannot happen: the validator's limit is far lower */
    return;
  x86_alu_ri(b, X86_CMP, false, X86_RAX, (int32_t)count);
  wr_cg_label_use(cg, labels[count], (uint32_t)x86_jcc32(b, X86_CC_AE));
  size_t table = x86_lea_rip(b, X86_R11);
  x86_mem times5 = x86_mem_index(X86_RAX, X86_RAX, 2, 0);
  x86_lea(b, true, X86_RAX, &times5);
  x86_alu_rr(b, X86_ADD, true, X86_R11, X86_RAX);
  x86_jmp_r(b, X86_R11);
  x86_patch_rel32(b, table, b->len);
  for (uint32_t i = 0; i < count; i++)
    x86_jump(cg, labels[i]); /* each entry is a 5-byte jmp rel32 */
}

static bool x86_patch(wr_cg *cg, uint32_t at, uint32_t target)
{
  /* rel32 reaches all of the code, which is below 2 GiB. */
  x86_patch_rel32(&cg->code, at, target);
  return true;
}

static void x86_trap(wr_cg *cg, wasmrt_trap_kind kind)
{
  wr_cg_trap_site(cg, wr_cg_pos(cg), kind, cg->wasm_offset);
  x86_ud2(&cg->code);
}

static void x86_loop_check(wr_cg *cg, uint32_t point)
{
  x86_mem limit = x86_mem_base(X86_R14, WR_VMCTX_STACK_LIMIT);
  x86_alu_rm(&cg->code, X86_CMP, true, X86_RSP, &limit);
  uint32_t at = (uint32_t)x86_jcc32(&cg->code, X86_CC_B);
  wr_cg_add_slow(cg, at, point, false);
}

/* ---- frames and calls --------------------------------------------------- */

/* "lea dst, [base - FRAME]" with a disp32 patched when the frame is known. */
static void x86_lea_frame(wr_cg *cg, x86_reg dst, x86_reg base)
{
  x86_state *st = x86_st(cg);
  x86_mem m = x86_mem_base(base, -0x10000000); /* forces a disp32 */
  x86_lea(&cg->code, true, dst, &m);
  if (st && st->frame_patch_count < 2)
    st->frame_patch[st->frame_patch_count++] = wr_cg_pos(cg) - 4;
}

static void x86_begin_function(wr_cg *cg, uint32_t entry_point)
{
  wr_codebuf *b = &cg->code;
  x86_state *st = x86_st(cg);
  if (st)
    st->frame_patch_count = 0;
  x86_push(b, X86_RBP);
  x86_mov_rr(b, true, X86_RBP, X86_RSP);
  /* Check the new stack pointer before using the frame, so a frame that
   * would overflow never touches memory below the limit. */
  x86_lea_frame(cg, X86_RAX, X86_RSP);
  x86_mem limit = x86_mem_base(X86_R14, WR_VMCTX_STACK_LIMIT);
  x86_alu_rm(b, X86_CMP, true, X86_RAX, &limit);
  uint32_t at = (uint32_t)x86_jcc32(b, X86_CC_B);
  wr_cg_add_slow(cg, at, entry_point, true);
  x86_mov_rr(b, true, X86_RSP, X86_RAX);
  x86_mem saved = x86_mem_base(X86_RBP, WR_FP_SAVED_VMCTX);
  x86_store(b, 8, &saved, X86_R14);
  uint32_t zeroed = cg->local_count - cg->param_count;
  if (zeroed == 0)
    return;
  x86_alu_rr(b, X86_XOR, false, X86_RAX, X86_RAX);
  if (zeroed <= 16) {
    for (uint32_t i = cg->param_count; i < cg->local_count; i++) {
      x86_mem m = x86_slot(cg, i);
      x86_store(b, 8, &m, X86_RAX);
    }
    return;
  }
  x86_mem lowest = x86_slot(cg, cg->local_count - 1);
  x86_lea(b, true, X86_RDI, &lowest);
  x86_mov_ri(b, false, X86_RCX, zeroed);
  wr_codebuf_byte(b, 0xf3); /* rep stosq */
  wr_codebuf_byte(b, 0x48);
  wr_codebuf_byte(b, 0xab);
}

static void x86_call_helper_addr(wr_cg *cg, wr_helper h, uint32_t point)
{
  wr_codebuf *b = &cg->code;
  x86_mem fn = x86_mem_base(X86_R14, (int32_t)(WR_VMCTX_HELPERS + 8 * h));
  x86_load(b, X86_LOAD_64, X86_RAX, &fn);
  x86_call_r(b, X86_RAX);
  wr_cg_point_offset(cg, point, wr_cg_pos(cg));
}

static void x86_end_function(wr_cg *cg)
{
  wr_codebuf *b = &cg->code;
  x86_state *st = x86_st(cg);
  if (!st)
    return;
  for (uint32_t i = 0; i < cg->slow_count; i++) {
    const wr_cg_slow *s = &cg->slows[i];
    x86_patch_rel32(b, s->at, b->len);
    /* At the entry check no local has been loaded into its register yet. */
    if (!s->entry)
      wr_cg_save_pinned(cg);
    x86_mov_rr(b, true, X86_RDI, X86_R14);
    x86_mov_rr(b, true, X86_RSI, X86_RBP);
    x86_call_helper_addr(cg, WR_HELPER_STACK_CHECK, s->point);
    if (s->entry)
      x86_lea_frame(cg, X86_RAX, X86_RBP);
    else
      wr_cg_load_pinned(cg);
    x86_patch_rel32(b, x86_jmp32(b), s->resume);
  }
  for (uint32_t i = 0; i < cg->stub_count; i++) {
    const wr_cg_stub *s = &cg->stubs[i];
    x86_patch_rel32(b, s->at, b->len);
    wr_cg_trap_site(cg, wr_cg_pos(cg), s->kind, s->wasm_offset);
    x86_ud2(b);
  }
  if (!wr_cg_frame_size(cg))
    return;
  uint32_t frame = cg->frame_size;
  /* The entry lea is relative to rsp after `push rbp` (== rbp); the slow
   * path's to rbp: the same displacement. */
  for (unsigned i = 0; i < st->frame_patch_count; i++)
    wr_codebuf_patch_u32(b, st->frame_patch[i], (uint32_t) - (int32_t)frame);
}

static void x86_store_arg(wr_cg *cg, uint32_t i, const wr_loc *value)
{
  x86_mem m = x86_mem_base(X86_RSP, (int32_t)(8 * i));
  x86_store_loc(cg, &m, value);
}

static void x86_load_result(wr_cg *cg, uint32_t i, uint8_t type, wr_reg dst)
{
  x86_mem m = x86_mem_base(X86_RSP, (int32_t)(8 * i));
  if (wr_class_of(type) == WR_FPR)
    x86_sse_load(&cg->code, type == WR_F64, x86_fpr(dst), &m);
  else
    x86_load(&cg->code, x86_wide(type) ? X86_LOAD_64 : X86_LOAD_U32, x86_gpr(dst), &m);
}

/* Call the wr_funcref in rax: switch to its instance, call, switch back. */
static void x86_call_funcref(wr_cg *cg, uint32_t point)
{
  wr_codebuf *b = &cg->code;
  x86_mem ctx = x86_mem_base(X86_RAX, WR_FUNCREF_VMCTX);
  x86_load(b, X86_LOAD_64, X86_R14, &ctx);
  x86_mem base = x86_mem_base(X86_R14, WR_VMCTX_MEM_BASE);
  x86_load(b, X86_LOAD_64, X86_R15, &base);
  x86_mem code = x86_mem_base(X86_RAX, WR_FUNCREF_CODE);
  x86_load(b, X86_LOAD_64, X86_R11, &code);
  x86_call_r(b, X86_R11);
  wr_cg_point_offset(cg, point, wr_cg_pos(cg));
  x86_mem saved = x86_mem_base(X86_RBP, WR_FP_SAVED_VMCTX);
  x86_load(b, X86_LOAD_64, X86_R14, &saved);
  x86_load(b, X86_LOAD_64, X86_R15, &base);
}

static void x86_call(wr_cg *cg, uint32_t func_index, uint32_t point)
{
  wr_codebuf *b = &cg->code;
  if (func_index < cg->m->imported_function_count) {
    x86_mem funcs = x86_mem_base(X86_R14, WR_VMCTX_FUNCS);
    x86_load(b, X86_LOAD_64, X86_RAX, &funcs);
    x86_mem f = x86_mem_base(X86_RAX, (int32_t)(8 * func_index));
    x86_load(b, X86_LOAD_64, X86_RAX, &f);
    x86_call_funcref(cg, point);
    return;
  }
  uint32_t at = (uint32_t)x86_call32(b);
  wr_cg_call_fixup(cg, at, func_index);
  wr_cg_point_offset(cg, point, wr_cg_pos(cg));
}

static void x86_call_indirect(wr_cg *cg, uint32_t type_index, uint32_t table, const wr_loc *index,
                              uint32_t point)
{
  wr_codebuf *b = &cg->code;
  x86_load_gpr(cg, X86_RCX, index);
  x86_mem tables = x86_mem_base(X86_R14, WR_VMCTX_TABLES);
  x86_load(b, X86_LOAD_64, X86_RAX, &tables);
  x86_mem t = x86_mem_base(X86_RAX, (int32_t)(8 * table));
  x86_load(b, X86_LOAD_64, X86_RAX, &t);
  x86_mem size = x86_mem_base(X86_RAX, WR_TABLE_SIZE);
  x86_alu_rm(b, X86_CMP, false, X86_RCX, &size);
  x86_trap_if(cg, X86_CC_AE, WASMRT_TRAP_UNDEFINED_ELEMENT);
  x86_mem elems = x86_mem_base(X86_RAX, WR_TABLE_ELEMS);
  x86_load(b, X86_LOAD_64, X86_RAX, &elems);
  x86_mem e = x86_mem_index(X86_RAX, X86_RCX, 3, 0);
  x86_load(b, X86_LOAD_64, X86_RAX, &e);
  x86_test_rr(b, true, X86_RAX, X86_RAX);
  x86_trap_if(cg, X86_CC_E, WASMRT_TRAP_UNINITIALIZED_ELEMENT);
  x86_mem ids = x86_mem_base(X86_R14, WR_VMCTX_TYPE_IDS);
  x86_load(b, X86_LOAD_64, X86_R11, &ids);
  x86_mem id = x86_mem_base(X86_R11, (int32_t)(4 * type_index));
  x86_load(b, X86_LOAD_U32, X86_R11, &id);
  x86_mem fid = x86_mem_base(X86_RAX, WR_FUNCREF_TYPE_ID);
  x86_alu_rm(b, X86_CMP, false, X86_R11, &fid);
  x86_trap_if(cg, X86_CC_NE, WASMRT_TRAP_INDIRECT_CALL_TYPE);
  x86_call_funcref(cg, point);
}

static void x86_call_helper(wr_cg *cg, wr_helper h, const wr_loc *args, unsigned count,
                            uint32_t point, uint8_t dst_type, wr_reg dst)
{
  static const x86_reg arg_regs[] = {X86_RSI, X86_RDX, X86_RCX, X86_R8, X86_R9};
  for (unsigned i = 0; i < count && i < 5; i++)
    x86_load_gpr(cg, arg_regs[i], &args[i]);
  x86_mov_rr(&cg->code, true, X86_RDI, X86_R14);
  x86_call_helper_addr(cg, h, point);
  if (dst_type)
    x86_mov_rr(&cg->code, x86_wide(dst_type), x86_gpr(dst), X86_RAX);
}

static void x86_store_return(wr_cg *cg, uint32_t i, const wr_loc *value)
{
  x86_mem m = x86_mem_base(X86_RBP, (int32_t)(16 + 8 * i));
  if (value->kind == WR_LOC_SLOT) {
    /* Through a register: a parameter slot may be read and written. */
    x86_load_gpr(cg, X86_R11, &(wr_loc){WR_LOC_SLOT, WR_I64, 0, value->slot, 0});
    x86_store(&cg->code, 8, &m, X86_R11);
    return;
  }
  x86_store_loc(cg, &m, value);
}

static void x86_return(wr_cg *cg)
{
  x86_mov_rr(&cg->code, true, X86_RSP, X86_RBP);
  x86_pop(&cg->code, X86_RBP);
  x86_ret(&cg->code);
}

static void x86_release(wr_cg *cg)
{
  x86_state *st = cg->backend;
  if (!st)
    return;
  free(st);
  cg->backend = NULL;
}

const wr_target wr_target_x86_64 = {
    .name = "x86_64",
    .id = WASMRT_TARGET_X86_64,
    .gpr_count = sizeof x86_gprs / sizeof x86_gprs[0],
    .fpr_count = X86_FPR_COUNT,
    .pinned_gpr_max = 5,
    .pinned_fpr_max = 8,
    .begin_function = x86_begin_function,
    .end_function = x86_end_function,
    .move = x86_move,
    .unary = x86_unary,
    .truncate = x86_truncate_op,
    .convert = x86_convert_op,
    .binary = x86_binary,
    .load = x86_load_mem,
    .store = x86_store_mem,
    .select = x86_select,
    .global_get = x86_global_get,
    .global_set = x86_global_set,
    .jump = x86_jump,
    .branch = x86_branch,
    .compare_branch = x86_compare_branch,
    .br_table = x86_br_table,
    .patch = x86_patch,
    .trap = x86_trap,
    .loop_check = x86_loop_check,
    .store_arg = x86_store_arg,
    .load_result = x86_load_result,
    .call = x86_call,
    .call_indirect = x86_call_indirect,
    .call_helper = x86_call_helper,
    .store_return = x86_store_return,
    .ret = x86_return,
    .release = x86_release,
};
