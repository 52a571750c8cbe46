/*
 * x86_encoder.c - the bytes of each x86-64 instruction form.
 *
 * Every form goes through x86_emit: optional mandatory prefix, REX when any
 * of W/R/X/B is needed (or a byte register 4..7 is used, which without REX
 * would mean AH..BH), the opcode bytes, then ModRM with SIB and
 * displacement for memory or mod=11 for a register.
 */
#include "backend/x86_64/x86_encoder.h"

#include "compiler/require.h"

/* The r/m operand of an instruction: a register or a memory reference. */
typedef struct x86_rm {
  const x86_mem *mem; /* NULL: register `reg` */
  unsigned reg;
} x86_rm;

static inline x86_rm x86_rm_reg(unsigned reg)
{
  x86_rm rm = {NULL, reg};
  return rm;
}

static inline x86_rm x86_rm_mem(const x86_mem *mem)
{
  x86_rm rm = {mem, 0};
  return rm;
}

static bool x86_fits_i8(int64_t v) { return v >= -128 && v <= 127; }

/* Encodes `prefix` (0 for none), REX, `op_len` opcode bytes, and the ModRM
 * operands (`reg` in the reg field: a register or a /digit). `byte_regs`
 * means 8-bit register operands, which need REX for SPL/BPL/SIL/DIL. */
static void x86_emit(wr_codebuf *b, uint8_t prefix, bool w, bool byte_regs, const uint8_t *op,
                     size_t op_len, unsigned reg, x86_rm rm)
{
  /* The longest form is 15 bytes: check room once, assemble the bytes
   * here, copy them once (wr_codebuf_u32 says why). */
  if (!wr_codebuf_reserve(b, 16))
    return;
  uint8_t out[16];
  size_t n = 0;
  unsigned base = rm.mem ? rm.mem->base : rm.reg;
  unsigned index = rm.mem && rm.mem->has_index ? rm.mem->index : 0;
  uint8_t rex = 0x40 | (w ? 8 : 0) | ((reg >> 3) << 2) | ((index >> 3) << 1) | (base >> 3);
  bool need_rex = rex != 0x40;
  if (byte_regs && (reg >= 4 || (!rm.mem && rm.reg >= 4)))
    need_rex = true;
  if (prefix)
    out[n++] = prefix;
  if (need_rex)
    out[n++] = rex;
  for (size_t i = 0; i < op_len; i++)
    out[n++] = op[i];
  uint8_t reg_field = (uint8_t)((reg & 7) << 3);
  if (!rm.mem) {
    out[n++] = (uint8_t)(0xc0 | reg_field | (rm.reg & 7));
    wr_codebuf_put16(b, out, n);
    return;
  }
  const x86_mem *m = rm.mem;
  WR_REQUIRE(!m->has_index || (m->index != X86_RSP && m->scale <= 3));
  /* mod=00 with base RBP/R13 means RIP-relative / no base: use disp8 0. */
  unsigned mod = (m->disp == 0 && (base & 7) != 5) ? 0 : x86_fits_i8(m->disp) ? 1 : 2;
  bool sib = m->has_index || (base & 7) == 4; /* RSP/R12 as base need a SIB */
  out[n++] = (uint8_t)((mod << 6) | reg_field | (sib ? 4 : (base & 7)));
  if (sib) {
    unsigned idx = m->has_index ? (index & 7) : 4; /* 100: no index */
    out[n++] = (uint8_t)((m->has_index ? m->scale : 0) << 6 | idx << 3 | (base & 7));
  }
  if (mod == 1) {
    out[n++] = (uint8_t)(int8_t)m->disp;
  } else if (mod == 2) {
    for (int i = 0; i < 4; i++)
      out[n++] = (uint8_t)((uint32_t)m->disp >> (8 * i));
  }
  wr_codebuf_put16(b, out, n);
}

#define X86_OP(...) ((const uint8_t[]){__VA_ARGS__}), sizeof((const uint8_t[]){__VA_ARGS__})

void x86_alu_rr(wr_codebuf *b, x86_alu_op op, bool is64, x86_reg dst, x86_reg src)
{
  x86_emit(b, 0, is64, false, X86_OP((uint8_t)(op * 8 + 1)), src, x86_rm_reg(dst));
}

void x86_alu_ri(wr_codebuf *b, x86_alu_op op, bool is64, x86_reg dst, int32_t imm)
{
  if (x86_fits_i8(imm)) {
    x86_emit(b, 0, is64, false, X86_OP(0x83), op, x86_rm_reg(dst));
    wr_codebuf_byte(b, (uint8_t)(int8_t)imm);
  } else {
    x86_emit(b, 0, is64, false, X86_OP(0x81), op, x86_rm_reg(dst));
    wr_codebuf_u32(b, (uint32_t)imm);
  }
}

void x86_alu_rm(wr_codebuf *b, x86_alu_op op, bool is64, x86_reg dst, const x86_mem *src)
{
  x86_emit(b, 0, is64, false, X86_OP((uint8_t)(op * 8 + 3)), dst, x86_rm_mem(src));
}

void x86_mov_rr(wr_codebuf *b, bool is64, x86_reg dst, x86_reg src)
{
  x86_emit(b, 0, is64, false, X86_OP(0x89), src, x86_rm_reg(dst));
}

void x86_mov_ri(wr_codebuf *b, bool is64, x86_reg dst, uint64_t imm)
{
  if (!is64)
    imm = (uint32_t)imm;
  if (imm <= UINT32_MAX) {
    /* mov r32, imm32 zero-extends into the whole register. */
    if (dst >= 8)
      wr_codebuf_byte(b, 0x41);
    wr_codebuf_byte(b, (uint8_t)(0xb8 + (dst & 7)));
    wr_codebuf_u32(b, (uint32_t)imm);
  } else if ((int64_t)imm >= INT32_MIN && (int64_t)imm <= INT32_MAX) {
    x86_emit(b, 0, true, false, X86_OP(0xc7), 0, x86_rm_reg(dst));
    wr_codebuf_u32(b, (uint32_t)imm);
  } else {
    wr_codebuf_byte(b, (uint8_t)(0x48 | (dst >> 3)));
    wr_codebuf_byte(b, (uint8_t)(0xb8 + (dst & 7)));
    wr_codebuf_u64(b, imm);
  }
}

/* Opcode bytes and REX.W of each load/extension form, by x86_load_kind. */
static const struct {
  uint8_t op[2];
  uint8_t len;
  bool w;
} x86_load_forms[] = {
    [X86_LOAD_U8] = {{0x0f, 0xb6}, 2, false},
    [X86_LOAD_S8_32] = {{0x0f, 0xbe}, 2, false},
    [X86_LOAD_S8_64] = {{0x0f, 0xbe}, 2, true},
    [X86_LOAD_U16] = {{0x0f, 0xb7}, 2, false},
    [X86_LOAD_S16_32] = {{0x0f, 0xbf}, 2, false},
    [X86_LOAD_S16_64] = {{0x0f, 0xbf}, 2, true},
    [X86_LOAD_U32] = {{0x8b}, 1, false},
    [X86_LOAD_S32_64] = {{0x63}, 1, true},
    [X86_LOAD_64] = {{0x8b}, 1, true},
};

void x86_load(wr_codebuf *b, x86_load_kind kind, x86_reg dst, const x86_mem *src)
{
  x86_emit(b, 0, x86_load_forms[kind].w, false, x86_load_forms[kind].op, x86_load_forms[kind].len,
           dst, x86_rm_mem(src));
}

void x86_store(wr_codebuf *b, unsigned size, const x86_mem *dst, x86_reg src)
{
  x86_rm rm = x86_rm_mem(dst);
  switch (size) {
  case 1:
    x86_emit(b, 0, false, true, X86_OP(0x88), src, rm);
    break;
  case 2:
    x86_emit(b, 0x66, false, false, X86_OP(0x89), src, rm);
    break;
  case 4:
    x86_emit(b, 0, false, false, X86_OP(0x89), src, rm);
    break;
  default:
    x86_emit(b, 0, true, false, X86_OP(0x89), src, rm);
    break;
  }
}

void x86_lea(wr_codebuf *b, bool is64, x86_reg dst, const x86_mem *src)
{
  x86_emit(b, 0, is64, false, X86_OP(0x8d), dst, x86_rm_mem(src));
}

void x86_shift_cl(wr_codebuf *b, x86_shift_op op, bool is64, x86_reg dst)
{
  x86_emit(b, 0, is64, false, X86_OP(0xd3), op, x86_rm_reg(dst));
}

void x86_shift_ri(wr_codebuf *b, x86_shift_op op, bool is64, x86_reg dst, uint8_t count)
{
  x86_emit(b, 0, is64, false, X86_OP(0xc1), op, x86_rm_reg(dst));
  wr_codebuf_byte(b, count);
}

void x86_imul_rr(wr_codebuf *b, bool is64, x86_reg dst, x86_reg src)
{
  x86_emit(b, 0, is64, false, X86_OP(0x0f, 0xaf), dst, x86_rm_reg(src));
}

void x86_div(wr_codebuf *b, bool is_signed, bool is64, x86_reg src)
{
  x86_emit(b, 0, is64, false, X86_OP(0xf7), is_signed ? 7 : 6, x86_rm_reg(src));
}

void x86_sign_extend_ax(wr_codebuf *b, bool is64)
{
  if (is64)
    wr_codebuf_byte(b, 0x48);
  wr_codebuf_byte(b, 0x99);
}

void x86_neg(wr_codebuf *b, bool is64, x86_reg dst)
{
  x86_emit(b, 0, is64, false, X86_OP(0xf7), 3, x86_rm_reg(dst));
}

void x86_not(wr_codebuf *b, bool is64, x86_reg dst)
{
  x86_emit(b, 0, is64, false, X86_OP(0xf7), 2, x86_rm_reg(dst));
}

void x86_test_rr(wr_codebuf *b, bool is64, x86_reg a, x86_reg c)
{
  x86_emit(b, 0, is64, false, X86_OP(0x85), c, x86_rm_reg(a));
}

void x86_setcc(wr_codebuf *b, x86_cond cc, x86_reg dst)
{
  x86_emit(b, 0, false, true, X86_OP(0x0f, (uint8_t)(0x90 + cc)), 0, x86_rm_reg(dst));
}

void x86_movzx_r8(wr_codebuf *b, x86_reg dst, x86_reg src)
{
  x86_emit(b, 0, false, true, X86_OP(0x0f, 0xb6), dst, x86_rm_reg(src));
}

void x86_cmov(wr_codebuf *b, x86_cond cc, bool is64, x86_reg dst, x86_reg src)
{
  x86_emit(b, 0, is64, false, X86_OP(0x0f, (uint8_t)(0x40 + cc)), dst, x86_rm_reg(src));
}

void x86_bitcount(wr_codebuf *b, x86_bitcount_op op, bool is64, x86_reg dst, x86_reg src)
{
  x86_emit(b, 0xf3, is64, false, X86_OP(0x0f, (uint8_t)op), dst, x86_rm_reg(src));
}

size_t x86_jcc32(wr_codebuf *b, x86_cond cc)
{
  wr_codebuf_byte(b, 0x0f);
  wr_codebuf_byte(b, (uint8_t)(0x80 + cc));
  size_t at = b->len;
  wr_codebuf_u32(b, 0);
  return at;
}

static size_t x86_rel32_op(wr_codebuf *b, uint8_t op)
{
  wr_codebuf_byte(b, op);
  size_t at = b->len;
  wr_codebuf_u32(b, 0);
  return at;
}

size_t x86_jmp32(wr_codebuf *b) { return x86_rel32_op(b, 0xe9); }

size_t x86_call32(wr_codebuf *b) { return x86_rel32_op(b, 0xe8); }

void x86_patch_rel32(wr_codebuf *b, size_t at, size_t target)
{
  /* Displacements count from the end of the 4-byte field. */
  int64_t rel = (int64_t)target - (int64_t)(at + 4);
  wr_codebuf_patch_u32(b, at, (uint32_t)(int32_t)rel);
}

void x86_call_r(wr_codebuf *b, x86_reg target)
{
  x86_emit(b, 0, false, false, X86_OP(0xff), 2, x86_rm_reg(target));
}

void x86_jmp_r(wr_codebuf *b, x86_reg target)
{
  x86_emit(b, 0, false, false, X86_OP(0xff), 4, x86_rm_reg(target));
}

void x86_ret(wr_codebuf *b) { wr_codebuf_byte(b, 0xc3); }

void x86_ud2(wr_codebuf *b)
{
  wr_codebuf_byte(b, 0x0f);
  wr_codebuf_byte(b, 0x0b);
}

void x86_push(wr_codebuf *b, x86_reg r)
{
  if (r >= 8)
    wr_codebuf_byte(b, 0x41);
  wr_codebuf_byte(b, (uint8_t)(0x50 + (r & 7)));
}

void x86_pop(wr_codebuf *b, x86_reg r)
{
  if (r >= 8)
    wr_codebuf_byte(b, 0x41);
  wr_codebuf_byte(b, (uint8_t)(0x58 + (r & 7)));
}

/* The prefix that selects the scalar single/double or packed form. */
static uint8_t x86_sse_prefix(x86_sse_op op, bool is_double)
{
  switch (op) {
  case X86_SSE_AND:
  case X86_SSE_ANDN:
  case X86_SSE_OR:
  case X86_SSE_XOR:
  case X86_SSE_UCOMI:
    /* packed/compare forms: none for single, 66 for double */
    return is_double ? 0x66 : 0;
  default:
    return is_double ? 0xf2 : 0xf3;
  }
}

void x86_sse_rr(wr_codebuf *b, x86_sse_op op, bool is_double, x86_xmm dst, x86_xmm src)
{
  x86_emit(b, x86_sse_prefix(op, is_double), false, false, X86_OP(0x0f, (uint8_t)op), dst,
           x86_rm_reg(src));
}

void x86_sse_load(wr_codebuf *b, bool is_double, x86_xmm dst, const x86_mem *src)
{
  x86_emit(b, is_double ? 0xf2 : 0xf3, false, false, X86_OP(0x0f, 0x10), dst, x86_rm_mem(src));
}

void x86_sse_store(wr_codebuf *b, bool is_double, const x86_mem *dst, x86_xmm src)
{
  x86_emit(b, is_double ? 0xf2 : 0xf3, false, false, X86_OP(0x0f, 0x11), src, x86_rm_mem(dst));
}

void x86_movq_to_xmm(wr_codebuf *b, bool is64, x86_xmm dst, x86_reg src)
{
  x86_emit(b, 0x66, is64, false, X86_OP(0x0f, 0x6e), dst, x86_rm_reg(src));
}

void x86_movq_from_xmm(wr_codebuf *b, bool is64, x86_reg dst, x86_xmm src)
{
  x86_emit(b, 0x66, is64, false, X86_OP(0x0f, 0x7e), src, x86_rm_reg(dst));
}

void x86_cvt_int_to_float(wr_codebuf *b, bool is_double, bool is64, x86_xmm dst, x86_reg src)
{
  x86_emit(b, is_double ? 0xf2 : 0xf3, is64, false, X86_OP(0x0f, 0x2a), dst, x86_rm_reg(src));
}

void x86_cvt_float_to_int(wr_codebuf *b, bool is_double, bool is64, x86_reg dst, x86_xmm src)
{
  x86_emit(b, is_double ? 0xf2 : 0xf3, is64, false, X86_OP(0x0f, 0x2c), dst, x86_rm_reg(src));
}

void x86_sse_round(wr_codebuf *b, bool is_double, x86_xmm dst, x86_xmm src, uint8_t mode)
{
  x86_emit(b, 0x66, false, false, X86_OP(0x0f, 0x3a, is_double ? 0x0b : 0x0a), dst,
           x86_rm_reg(src));
  wr_codebuf_byte(b, (uint8_t)(0x08 | (mode & 3))); /* 8: don't raise precision exceptions */
}

void x86_movsx_rr(wr_codebuf *b, x86_load_kind kind, x86_reg dst, x86_reg src)
{
  WR_REQUIRE(kind == X86_LOAD_S8_32 || kind == X86_LOAD_S8_64 || kind == X86_LOAD_S16_32 ||
             kind == X86_LOAD_S16_64 || kind == X86_LOAD_S32_64);
  /* An 8-bit source register 4..7 needs REX to mean SPL..DIL. */
  bool byte_src = kind == X86_LOAD_S8_32 || kind == X86_LOAD_S8_64;
  x86_emit(b, 0, x86_load_forms[kind].w, byte_src, x86_load_forms[kind].op,
           x86_load_forms[kind].len, dst, x86_rm_reg(src));
}

size_t x86_lea_rip(wr_codebuf *b, x86_reg dst)
{
  /* mod=00, r/m=101: [rip + disp32] */
  wr_codebuf_byte(b, (uint8_t)(0x48 | ((dst >> 3) << 2)));
  wr_codebuf_byte(b, 0x8d);
  wr_codebuf_byte(b, (uint8_t)(((dst & 7) << 3) | 5));
  size_t at = b->len;
  wr_codebuf_u32(b, 0);
  return at;
}

void x86_sse_rm(wr_codebuf *b, x86_sse_op op, bool is_double, x86_xmm dst, const x86_mem *src)
{
  x86_emit(b, x86_sse_prefix(op, is_double), false, false, X86_OP(0x0f, (uint8_t)op), dst,
           x86_rm_mem(src));
}

void x86_store_imm32(wr_codebuf *b, bool is64, const x86_mem *dst, int32_t imm)
{
  x86_emit(b, 0, is64, false, X86_OP(0xc7), 0, x86_rm_mem(dst));
  wr_codebuf_u32(b, (uint32_t)imm);
}

void x86_imul_rm(wr_codebuf *b, bool is64, x86_reg dst, const x86_mem *src)
{
  x86_emit(b, 0, is64, false, X86_OP(0x0f, 0xaf), dst, x86_rm_mem(src));
}

void x86_cmp_mr(wr_codebuf *b, bool is64, const x86_mem *a, x86_reg c)
{
  x86_emit(b, 0, is64, false, X86_OP(0x39), c, x86_rm_mem(a));
}
