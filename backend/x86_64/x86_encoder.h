/*
 * x86_encoder.h - x86-64 machine-code encoder (internal to the backend).
 *
 * One function per instruction form the code generator needs, each writing
 * the exact bytes into a wr_codebuf. The encoder chooses encodings (short
 * immediates, REX prefixes, SIB bytes, the RBP/R13 and RSP/R12 special
 * cases) and never fails; the buffer records allocation failure.
 * tests/unit/test_x86_encoder.c checks every form against objdump.
 */
#ifndef WASMRT_BACKEND_X86_ENCODER_H
#define WASMRT_BACKEND_X86_ENCODER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "compiler/codebuf.h"

typedef enum x86_reg {
  X86_RAX,
  X86_RCX,
  X86_RDX,
  X86_RBX,
  X86_RSP,
  X86_RBP,
  X86_RSI,
  X86_RDI,
  X86_R8,
  X86_R9,
  X86_R10,
  X86_R11,
  X86_R12,
  X86_R13,
  X86_R14,
  X86_R15,
} x86_reg;

/* XMM registers are numbered 0..15 as plain unsigned values. */
typedef unsigned x86_xmm;

/* A memory operand: [base + index * 2^scale + disp]. */
typedef struct x86_mem {
  x86_reg base;
  bool has_index;
  x86_reg index; /* never X86_RSP */
  uint8_t scale; /* log2 of the scale: 0..3 */
  int32_t disp;
} x86_mem;

static inline x86_mem x86_mem_base(x86_reg base, int32_t disp)
{
  x86_mem m = {base, false, X86_RAX, 0, disp};
  return m;
}

static inline x86_mem x86_mem_index(x86_reg base, x86_reg index, uint8_t scale, int32_t disp)
{
  x86_mem m = {base, true, index, scale, disp};
  return m;
}

/* Group-1 arithmetic, numbered as their /digit in the encoding. */
typedef enum x86_alu_op {
  X86_ADD = 0,
  X86_OR = 1,
  X86_ADC = 2,
  X86_SBB = 3,
  X86_AND = 4,
  X86_SUB = 5,
  X86_XOR = 6,
  X86_CMP = 7,
} x86_alu_op;

/* Group-2 shifts and rotates, numbered as their /digit. */
typedef enum x86_shift_op {
  X86_ROL = 0,
  X86_ROR = 1,
  X86_SHL = 4,
  X86_SHR = 5,
  X86_SAR = 7,
} x86_shift_op;

/* Condition codes, numbered as in Jcc/SETcc/CMOVcc. */
typedef enum x86_cond {
  X86_CC_O = 0x0,
  X86_CC_NO = 0x1,
  X86_CC_B = 0x2,
  X86_CC_AE = 0x3,
  X86_CC_E = 0x4,
  X86_CC_NE = 0x5,
  X86_CC_BE = 0x6,
  X86_CC_A = 0x7,
  X86_CC_S = 0x8,
  X86_CC_NS = 0x9,
  X86_CC_P = 0xa,
  X86_CC_NP = 0xb,
  X86_CC_L = 0xc,
  X86_CC_GE = 0xd,
  X86_CC_LE = 0xe,
  X86_CC_G = 0xf,
} x86_cond;

/* Loads into a general register, with the extension each wasm load needs. */
typedef enum x86_load_kind {
  X86_LOAD_U8,     /* movzx r32, byte: also serves 64-bit zero extension */
  X86_LOAD_S8_32,  /* movsx r32, byte */
  X86_LOAD_S8_64,  /* movsx r64, byte */
  X86_LOAD_U16,    /* movzx r32, word */
  X86_LOAD_S16_32, /* movsx r32, word */
  X86_LOAD_S16_64, /* movsx r64, word */
  X86_LOAD_U32,    /* mov r32, dword: zero-extends to 64 bits */
  X86_LOAD_S32_64, /* movsxd r64, dword */
  X86_LOAD_64,     /* mov r64, qword */
} x86_load_kind;

/* Scalar SSE operations on the low lane (0F-map opcode bytes). */
typedef enum x86_sse_op {
  X86_SSE_MOV = 0x10, /* movss/movsd register to register */
  X86_SSE_SQRT = 0x51,
  X86_SSE_AND = 0x54, /* andps/andpd (whole register) */
  X86_SSE_ANDN = 0x55,
  X86_SSE_OR = 0x56,
  X86_SSE_XOR = 0x57,
  X86_SSE_ADD = 0x58,
  X86_SSE_MUL = 0x59,
  X86_SSE_CVT = 0x5a, /* cvtss2sd (single) / cvtsd2ss (double) */
  X86_SSE_SUB = 0x5c,
  X86_SSE_MIN = 0x5d,
  X86_SSE_DIV = 0x5e,
  X86_SSE_MAX = 0x5f,
  X86_SSE_UCOMI = 0x2e, /* ucomiss/ucomisd */
} x86_sse_op;

/* Bit counting (LZCNT, TZCNT need BMI/ABM; POPCNT its own CPUID bit). */
typedef enum x86_bitcount_op {
  X86_POPCNT = 0xb8,
  X86_TZCNT = 0xbc,
  X86_LZCNT = 0xbd,
} x86_bitcount_op;

void x86_alu_rr(wr_codebuf *b, x86_alu_op op, bool is64, x86_reg dst, x86_reg src);
void x86_alu_ri(wr_codebuf *b, x86_alu_op op, bool is64, x86_reg dst, int32_t imm);
void x86_alu_rm(wr_codebuf *b, x86_alu_op op, bool is64, x86_reg dst, const x86_mem *src);
void x86_mov_rr(wr_codebuf *b, bool is64, x86_reg dst, x86_reg src);
/* Loads a constant in the shortest form: mov r32 (zero-extends), mov r64
 * with a sign-extended imm32, or movabs. */
void x86_mov_ri(wr_codebuf *b, bool is64, x86_reg dst, uint64_t imm);
void x86_load(wr_codebuf *b, x86_load_kind kind, x86_reg dst, const x86_mem *src);
/* Stores the low `size` bytes (1, 2, 4 or 8) of src. */
void x86_store(wr_codebuf *b, unsigned size, const x86_mem *dst, x86_reg src);
void x86_lea(wr_codebuf *b, bool is64, x86_reg dst, const x86_mem *src);
void x86_shift_cl(wr_codebuf *b, x86_shift_op op, bool is64, x86_reg dst);
void x86_shift_ri(wr_codebuf *b, x86_shift_op op, bool is64, x86_reg dst, uint8_t count);
void x86_imul_rr(wr_codebuf *b, bool is64, x86_reg dst, x86_reg src);
/* Divides rdx:rax (edx:eax) by src: quotient in rax, remainder in rdx. */
void x86_div(wr_codebuf *b, bool is_signed, bool is64, x86_reg src);
/* cdq / cqo: sign-extend eax into edx (rax into rdx) before idiv. */
void x86_sign_extend_ax(wr_codebuf *b, bool is64);
void x86_neg(wr_codebuf *b, bool is64, x86_reg dst);
void x86_not(wr_codebuf *b, bool is64, x86_reg dst);
void x86_test_rr(wr_codebuf *b, bool is64, x86_reg a, x86_reg c);
void x86_setcc(wr_codebuf *b, x86_cond cc, x86_reg dst);
void x86_movzx_r8(wr_codebuf *b, x86_reg dst, x86_reg src);
void x86_cmov(wr_codebuf *b, x86_cond cc, bool is64, x86_reg dst, x86_reg src);
void x86_bitcount(wr_codebuf *b, x86_bitcount_op op, bool is64, x86_reg dst, x86_reg src);

/* Branches with a 32-bit displacement; each returns the offset of the
 * displacement for x86_patch_rel32. */
size_t x86_jcc32(wr_codebuf *b, x86_cond cc);
size_t x86_jmp32(wr_codebuf *b);
size_t x86_call32(wr_codebuf *b);
/* Points the displacement at `at` to code offset `target`. */
void x86_patch_rel32(wr_codebuf *b, size_t at, size_t target);
void x86_call_r(wr_codebuf *b, x86_reg target);
void x86_jmp_r(wr_codebuf *b, x86_reg target);
void x86_ret(wr_codebuf *b);
void x86_ud2(wr_codebuf *b);
void x86_push(wr_codebuf *b, x86_reg r);
void x86_pop(wr_codebuf *b, x86_reg r);

/* Scalar float: `is_double` picks the sd/pd form over ss/ps. */
void x86_sse_rr(wr_codebuf *b, x86_sse_op op, bool is_double, x86_xmm dst, x86_xmm src);
void x86_sse_load(wr_codebuf *b, bool is_double, x86_xmm dst, const x86_mem *src);
void x86_sse_store(wr_codebuf *b, bool is_double, const x86_mem *dst, x86_xmm src);
/* movd/movq between a general register and an XMM register. */
void x86_movq_to_xmm(wr_codebuf *b, bool is64, x86_xmm dst, x86_reg src);
void x86_movq_from_xmm(wr_codebuf *b, bool is64, x86_reg dst, x86_xmm src);
/* cvtsi2ss/sd from a 32- or 64-bit signed integer. */
void x86_cvt_int_to_float(wr_codebuf *b, bool is_double, bool is64, x86_xmm dst, x86_reg src);
/* cvttss2si/cvttsd2si: truncating, into a 32- or 64-bit register. */
void x86_cvt_float_to_int(wr_codebuf *b, bool is_double, bool is64, x86_reg dst, x86_xmm src);
/* roundss/roundsd (SSE4.1) with rounding mode `mode` (0 nearest, 1 down,
 * 2 up, 3 toward zero; the encoder adds the "suppress precision" bit). */
void x86_sse_round(wr_codebuf *b, bool is_double, x86_xmm dst, x86_xmm src, uint8_t mode);

/* movsx/movsxd between registers; `kind` is one of the sign-extending
 * X86_LOAD_S* kinds (it names the source width). */
void x86_movsx_rr(wr_codebuf *b, x86_load_kind kind, x86_reg dst, x86_reg src);
/* lea dst, [rip + disp32]; returns the displacement's offset for
 * x86_patch_rel32. */
size_t x86_lea_rip(wr_codebuf *b, x86_reg dst);
/* Scalar SSE operation with a memory source. */
void x86_sse_rm(wr_codebuf *b, x86_sse_op op, bool is_double, x86_xmm dst, const x86_mem *src);
/* mov dword/qword [dst], imm32 (sign-extended for qword). */
void x86_store_imm32(wr_codebuf *b, bool is64, const x86_mem *dst, int32_t imm);
void x86_imul_rm(wr_codebuf *b, bool is64, x86_reg dst, const x86_mem *src);
/* cmp [a], c */
void x86_cmp_mr(wr_codebuf *b, bool is64, const x86_mem *a, x86_reg c);

#endif
