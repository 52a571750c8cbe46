/*
 * arm64_encoder.h - AArch64 machine-code encoder (internal to the backend).
 *
 * One function per instruction form the code generator needs; each writes
 * exactly one 32-bit little-endian instruction into a wr_codebuf, except
 * arm64_mov_imm, which writes the shortest MOVZ/MOVN + MOVK sequence. The
 * encoder never fails; the buffer records allocation failure.
 * tests/unit/test_arm64_encoder.c checks every form against objdump.
 *
 * Register number 31 means SP in some operand positions and XZR/WZR in
 * others. To keep that from being silently wrong, the API gives them
 * different values: ARM64_XZR (31) is accepted only where the comment says
 * "ZR ok", ARM64_SP (32) only where it says "SP ok"; passing the other one
 * aborts (compiler/require.h) in every build.
 */
#ifndef WASMRT_BACKEND_ARM64_ENCODER_H
#define WASMRT_BACKEND_ARM64_ENCODER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "compiler/codebuf.h"

/* The enums keep their hand-made rows. */
/* clang-format off */
/* General registers x0..x30 (w0..w30 in 32-bit forms), the zero register
 * and the stack pointer; see the file comment for where 31 and 32 go. */
typedef enum arm64_reg {
  ARM64_X0, ARM64_X1, ARM64_X2, ARM64_X3, ARM64_X4, ARM64_X5, ARM64_X6, ARM64_X7,
  ARM64_X8, ARM64_X9, ARM64_X10, ARM64_X11, ARM64_X12, ARM64_X13, ARM64_X14, ARM64_X15,
  ARM64_X16, ARM64_X17, ARM64_X18, ARM64_X19, ARM64_X20, ARM64_X21, ARM64_X22, ARM64_X23,
  ARM64_X24, ARM64_X25, ARM64_X26, ARM64_X27, ARM64_X28, ARM64_X29, ARM64_X30,
  ARM64_XZR = 31,
  ARM64_SP = 32,
} arm64_reg;

/* FP/SIMD registers v0..v31, used as s0..s31 or d0..d31. */
typedef unsigned arm64_vreg;

/* Data-processing operations on two registers (shifted-register forms).
 * ADD/ADDS/SUB/SUBS also have immediate forms (arm64_addsub_imm). */
typedef enum arm64_alu_op {
  ARM64_ADD, ARM64_ADDS, ARM64_SUB, ARM64_SUBS,
  ARM64_AND, ARM64_ANDS, ARM64_ORR, ARM64_EOR,
  ARM64_BIC, ARM64_ORN, /* and/or with the inverted second operand */
} arm64_alu_op;

/* Shift applied to the last register operand. ROR is valid only for the
 * logical operations. */
typedef enum arm64_shift {
  ARM64_LSL = 0, ARM64_LSR = 1, ARM64_ASR = 2, ARM64_ROR = 3,
} arm64_shift;

/* Condition codes, numbered as in the encoding. */
typedef enum arm64_cond {
  ARM64_EQ = 0x0, ARM64_NE = 0x1, ARM64_HS = 0x2, ARM64_LO = 0x3, ARM64_MI = 0x4,
  ARM64_PL = 0x5, ARM64_VS = 0x6, ARM64_VC = 0x7, ARM64_HI = 0x8, ARM64_LS = 0x9,
  ARM64_GE = 0xa, ARM64_LT = 0xb, ARM64_GT = 0xc, ARM64_LE = 0xd, ARM64_AL = 0xe,
} arm64_cond;

/* The opposite condition (EQ <-> NE, ...); not defined for AL. */
static inline arm64_cond arm64_invert_cond(arm64_cond cc)
{
  return (arm64_cond)(cc ^ 1);
}

/* Two-source data processing (sf 0 0 11010110 Rm opcode Rn Rd). */
typedef enum arm64_dp2_op {
  ARM64_UDIV = 0x02, ARM64_SDIV = 0x03,
  ARM64_LSLV = 0x08, ARM64_LSRV = 0x09, ARM64_ASRV = 0x0a, ARM64_RORV = 0x0b,
} arm64_dp2_op;

/* One-source data processing (sf 1 0 11010110 00000 opcode Rn Rd). */
typedef enum arm64_dp1_op {
  ARM64_RBIT = 0x00, ARM64_CLZ = 0x04,
} arm64_dp1_op;

/* Integer loads and stores; the value is (size << 2) | opc from the
 * encoding, so the access size in bytes is 1 << (value >> 2). The S forms
 * sign-extend to 32 (_W) or 64 (_X) bits; the unsigned loads zero-extend
 * to 64 bits. */
typedef enum arm64_ldst_op {
  ARM64_STRB = 0x0, ARM64_LDRB = 0x1, ARM64_LDRSB_X = 0x2, ARM64_LDRSB_W = 0x3,
  ARM64_STRH = 0x4, ARM64_LDRH = 0x5, ARM64_LDRSH_X = 0x6, ARM64_LDRSH_W = 0x7,
  ARM64_STR_W = 0x8, ARM64_LDR_W = 0x9, ARM64_LDRSW = 0xa,
  ARM64_STR_X = 0xc, ARM64_LDR_X = 0xd,
} arm64_ldst_op;

/* How the index register of a register-offset access is used: a full
 * 64-bit X register, or a W register zero-extended (wasm's i32 address). */
typedef enum arm64_index_ext {
  ARM64_INDEX_X = 3,    /* option LSL/UXTX: [Xn, Xm] */
  ARM64_INDEX_UXTW = 2, /* [Xn, Wm, uxtw] */
} arm64_index_ext;

/* Writeback addressing of STP/LDP. */
typedef enum arm64_pair_mode {
  ARM64_PAIR_POST_INDEX = 1, /* access [Xn], then Xn += offset */
  ARM64_PAIR_OFFSET = 2,     /* access [Xn + offset], no writeback */
  ARM64_PAIR_PRE_INDEX = 3,  /* Xn += offset, then access [Xn] */
} arm64_pair_mode;

/* Scalar FP two-source operations (the opcode field). */
typedef enum arm64_fp2_op {
  ARM64_FMUL = 0x0, ARM64_FDIV = 0x1, ARM64_FADD = 0x2, ARM64_FSUB = 0x3,
  ARM64_FMAX = 0x4, ARM64_FMIN = 0x5,
} arm64_fp2_op;

/* Scalar FP one-source operations (the opcode field). FCVT has its own
 * function since its operands differ in precision. */
typedef enum arm64_fp1_op {
  ARM64_FMOV = 0x00, ARM64_FABS = 0x01, ARM64_FNEG = 0x02, ARM64_FSQRT = 0x03,
  ARM64_FRINTN = 0x08, ARM64_FRINTP = 0x09, ARM64_FRINTM = 0x0a, ARM64_FRINTZ = 0x0b,
} arm64_fp1_op;

/* Conversions between general and FP registers ((rmode << 3) | opcode). */
typedef enum arm64_fcvt_int_op {
  ARM64_SCVTF = 0x02,  /* signed integer to float */
  ARM64_UCVTF = 0x03,  /* unsigned integer to float */
  ARM64_FCVTZS = 0x18, /* float to signed integer, rounding toward zero */
  ARM64_FCVTZU = 0x19, /* float to unsigned integer, rounding toward zero */
} arm64_fcvt_int_op;

/* clang-format on */

/* Data processing. Unless noted, rd/rn/rm: ZR ok, SP not. `is64` picks
 * the X (64-bit) form over the W form throughout. */
void arm64_alu_reg(wr_codebuf *b, arm64_alu_op op, bool is64, arm64_reg rd, arm64_reg rn,
                   arm64_reg rm, arm64_shift shift, unsigned amount);
/* Whether `value` is an ADD/SUB immediate: 12 bits, optionally LSL 12. */
bool arm64_addsub_imm_fits(uint64_t value);
/* op is ADD/ADDS/SUB/SUBS and value must satisfy arm64_addsub_imm_fits.
 * rn: SP ok. rd: SP ok for ADD/SUB, ZR ok for ADDS/SUBS. */
void arm64_addsub_imm(wr_codebuf *b, arm64_alu_op op, bool is64, arm64_reg rd, arm64_reg rn,
                      uint32_t value);
/* CMP rn, rm (SUBS to ZR). */
void arm64_cmp_reg(wr_codebuf *b, bool is64, arm64_reg rn, arm64_reg rm);
/* CMP rn, #value (SUBS to ZR); rn: SP ok; value as for arm64_addsub_imm. */
void arm64_cmp_imm(wr_codebuf *b, bool is64, arm64_reg rn, uint32_t value);
/* Register move: ORR rd, ZR, rm, or ADD #0 when either side is SP.
 * rd/rm: SP ok, ZR ok (not both kinds in one move). */
void arm64_mov_reg(wr_codebuf *b, bool is64, arm64_reg rd, arm64_reg rm);
/* Loads any constant with the fewest MOVZ/MOVN + MOVK instructions (1..4;
 * only the low 32 bits, 1..2 instructions, when !is64). rd: not SP/ZR. */
void arm64_mov_imm(wr_codebuf *b, bool is64, arm64_reg rd, uint64_t value);
/* rd = ra + rn * rm (MADD) or ra - rn * rm (MSUB); ra = ZR gives MUL/MNEG. */
void arm64_madd(wr_codebuf *b, bool is64, arm64_reg rd, arm64_reg rn, arm64_reg rm, arm64_reg ra);
void arm64_msub(wr_codebuf *b, bool is64, arm64_reg rd, arm64_reg rn, arm64_reg rm, arm64_reg ra);
void arm64_mul(wr_codebuf *b, bool is64, arm64_reg rd, arm64_reg rn, arm64_reg rm);
void arm64_dp2(wr_codebuf *b, arm64_dp2_op op, bool is64, arm64_reg rd, arm64_reg rn, arm64_reg rm);
void arm64_dp1(wr_codebuf *b, arm64_dp1_op op, bool is64, arm64_reg rd, arm64_reg rn);
/* SBFM/UBFM: the base of SXTB/SXTH/SXTW, UXTB/UXTH and shifts by a
 * constant. immr, imms < 32 (64 when is64). */
void arm64_bitfield(wr_codebuf *b, bool is_signed, bool is64, arm64_reg rd, arm64_reg rn,
                    unsigned immr, unsigned imms);
/* LSL/LSR/ASR by a constant 0..31 (0..63 when is64), via UBFM/SBFM. */
void arm64_shift_imm(wr_codebuf *b, arm64_shift shift, bool is64, arm64_reg rd, arm64_reg rn,
                     unsigned amount);
/* rd = cc ? rn : rm (CSEL) or cc ? rn : rm + 1 (CSINC). */
void arm64_csel(wr_codebuf *b, arm64_cond cc, bool is64, arm64_reg rd, arm64_reg rn, arm64_reg rm);
void arm64_csinc(wr_codebuf *b, arm64_cond cc, bool is64, arm64_reg rd, arm64_reg rn, arm64_reg rm);
/* rd = cc ? 1 : 0 (CSINC rd, ZR, ZR, !cc); cc must not be AL. */
void arm64_cset(wr_codebuf *b, arm64_cond cc, bool is64, arm64_reg rd);

/* Loads and stores. rt: ZR ok. rn (base): SP ok. rm (index): ZR ok. */
/* Whether `offset` is a scaled unsigned 12-bit offset for op: a multiple of
 * the access size below 4096 times it. */
bool arm64_ldst_offset_fits(arm64_ldst_op op, uint64_t offset);
void arm64_ldst_imm(wr_codebuf *b, arm64_ldst_op op, arm64_reg rt, arm64_reg rn, uint32_t offset);
/* [rn + rm] (ARM64_INDEX_X) or [rn + zero-extended wm] (ARM64_INDEX_UXTW),
 * unscaled. */
void arm64_ldst_reg(wr_codebuf *b, arm64_ldst_op op, arm64_reg rt, arm64_reg rn, arm64_reg rm,
                    arm64_index_ext ext);
/* STP/LDP of X (is64) or W registers; offset a multiple of 8 (4) in
 * -64..63 times that. rt, rt2: ZR ok; rn: SP ok. */
void arm64_stp(wr_codebuf *b, arm64_pair_mode mode, bool is64, arm64_reg rt, arm64_reg rt2,
               arm64_reg rn, int32_t offset);
void arm64_ldp(wr_codebuf *b, arm64_pair_mode mode, bool is64, arm64_reg rt, arm64_reg rt2,
               arm64_reg rn, int32_t offset);

/* Logical immediates (AND/ORR/EOR/ANDS with a "bitmask immediate": a
 * rotated run of ones, repeated in 2-, 4-, ..., 64-bit elements). Returns
 * false when `value` (its low 32 bits when !is64) has no such form (0 and
 * all ones never do); else *fields is N:immr:imms for arm64_logical_imm. */
bool arm64_logical_imm_encode(uint64_t value, bool is64, uint32_t *fields);
/* op is ARM64_AND, ARM64_ANDS, ARM64_ORR or ARM64_EOR. rd: SP ok except
 * for ANDS (ZR ok there); rn: ZR ok. */
void arm64_logical_imm(wr_codebuf *b, arm64_alu_op op, bool is64, arm64_reg rd, arm64_reg rn,
                       uint32_t fields);
/* ROR by a constant, amount < 32 (64 when is64): EXTR rd, rn, rn, #amount. */
void arm64_ror_imm(wr_codebuf *b, bool is64, arm64_reg rd, arm64_reg rn, unsigned amount);
/* LDUR/STUR: a signed, unscaled 9-bit offset (-256..255), for the home
 * slots below the frame pointer. rt: ZR ok; rn: SP ok. */
bool arm64_unscaled_offset_fits(int64_t offset);
void arm64_ldst_unscaled(wr_codebuf *b, arm64_ldst_op op, arm64_reg rt, arm64_reg rn,
                         int32_t offset);
/* ADD/ADDS/SUB/SUBS (extended register), 64-bit: rd = rn op (extend(rm)
 * << amount), amount 0..4; ARM64_INDEX_UXTW zero-extends a W register,
 * ARM64_INDEX_X takes the whole X register. The form that reads SP as
 * rn: SP ok; rd: SP ok for ADD/SUB, ZR ok for ADDS/SUBS; rm: ZR ok. */
void arm64_addsub_ext(wr_codebuf *b, arm64_alu_op op, arm64_reg rd, arm64_reg rn, arm64_reg rm,
                      arm64_index_ext ext, unsigned amount);
/* ADR rd, . + displacement (within +-1 MiB). rd: not SP/ZR. */
void arm64_adr(wr_codebuf *b, arm64_reg rd, int32_t displacement);

/* Branches. Each emits a branch to itself and returns its offset, for
 * arm64_patch_branch; backward branches are emitted then patched at once.
 * rt: ZR ok. */
size_t arm64_b(wr_codebuf *b);
size_t arm64_bl(wr_codebuf *b);
size_t arm64_b_cond(wr_codebuf *b, arm64_cond cc);
size_t arm64_cbz(wr_codebuf *b, bool is64, arm64_reg rt);
size_t arm64_cbnz(wr_codebuf *b, bool is64, arm64_reg rt);
/* Points the branch at `at` to code offset `target`. Returns false, leaving
 * the instruction untouched, when the displacement does not fit (+-128 MiB
 * for B/BL, +-1 MiB for B.cond/CBZ/CBNZ), is not a multiple of 4, `at` is
 * not one of those branches, or the buffer has failed. */
bool arm64_patch_branch(wr_codebuf *b, size_t at, size_t target);
/* Indirect branches; rn: not SP/ZR. RET through x30 is arm64_ret(b, ARM64_X30). */
void arm64_br(wr_codebuf *b, arm64_reg rn);
void arm64_blr(wr_codebuf *b, arm64_reg rn);
void arm64_ret(wr_codebuf *b, arm64_reg rn);
/* Traps: BRK raises SIGTRAP, UDF SIGILL; the immediate tells them apart. */
void arm64_brk(wr_codebuf *b, uint16_t imm);
void arm64_udf(wr_codebuf *b, uint16_t imm);
void arm64_nop(wr_codebuf *b);

/* Scalar floating point: `is_double` picks d registers over s registers. */
void arm64_fp2(wr_codebuf *b, arm64_fp2_op op, bool is_double, arm64_vreg rd, arm64_vreg rn,
               arm64_vreg rm);
void arm64_fp1(wr_codebuf *b, arm64_fp1_op op, bool is_double, arm64_vreg rd, arm64_vreg rn);
/* FCMP rn, rm (sets NZCV; unordered gives C and V). */
void arm64_fcmp(wr_codebuf *b, bool is_double, arm64_vreg rn, arm64_vreg rm);
/* FCVT: single to double (to_double) or double to single. */
void arm64_fcvt(wr_codebuf *b, bool to_double, arm64_vreg rd, arm64_vreg rn);
/* SCVTF/UCVTF write the FP register `v` from general register `r`;
 * FCVTZS/FCVTZU write `r` from `v`. `int64` sizes r, `is_double` v.
 * r: not SP (ZR ok). */
void arm64_fcvt_int(wr_codebuf *b, arm64_fcvt_int_op op, bool int64, bool is_double, arm64_reg r,
                    arm64_vreg v);
/* FMOV bits between a general register and an FP register of the same
 * width (w <-> s, x <-> d). */
void arm64_fmov_to_fp(wr_codebuf *b, bool is64, arm64_vreg rd, arm64_reg rn);
void arm64_fmov_from_fp(wr_codebuf *b, bool is64, arm64_reg rd, arm64_vreg rn);
/* FCSEL rd, rn, rm, cc: rd = cc ? rn : rm. */
void arm64_fcsel(wr_codebuf *b, arm64_cond cc, bool is_double, arm64_vreg rd, arm64_vreg rn,
                 arm64_vreg rm);
/* CNT vd.8b, vn.8b (bits set per byte) and ADDV bd, vn.8b (their sum):
 * together a 64-bit population count, which A64 lacks for X registers. */
void arm64_cnt_8b(wr_codebuf *b, arm64_vreg rd, arm64_vreg rn);
void arm64_addv_8b(wr_codebuf *b, arm64_vreg rd, arm64_vreg rn);
/* LDR/STR of s (4-byte) or d (8-byte) registers: offset scaled as for
 * integer accesses of that size, or a register index as arm64_ldst_reg. */
void arm64_fp_ldst_imm(wr_codebuf *b, bool is_load, bool is_double, arm64_vreg rt, arm64_reg rn,
                       uint32_t offset);
void arm64_fp_ldst_reg(wr_codebuf *b, bool is_load, bool is_double, arm64_vreg rt, arm64_reg rn,
                       arm64_reg rm, arm64_index_ext ext);
void arm64_fp_ldst_unscaled(wr_codebuf *b, bool is_load, bool is_double, arm64_vreg rt,
                            arm64_reg rn, int32_t offset);

#endif
