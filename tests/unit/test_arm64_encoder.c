/*
 * test_arm64_encoder.c - emits one encoder case after another and writes
 * the bytes to OUT.bin and "offset<TAB>expected objdump text" lines to
 * OUT.txt; encoder_check.sh disassembles OUT.bin with GNU objdump
 * and compares. The expected text is written by hand from the Arm
 * Architecture Reference Manual's forms (in objdump's preferred alias
 * spelling), so objdump, not this encoder, is the judge.
 *
 * A case may expect several instructions (arm64_mov_imm), separated by
 * " ; "; each is written on its own line at its own offset, 4 bytes apart.
 *
 * Branch range refusal is checked here directly, since a refused patch
 * leaves nothing new for objdump to see: the program fails if
 * arm64_patch_branch accepts an out-of-range displacement or changes the
 * instruction while refusing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/arm64/arm64_encoder.h"

static wr_codebuf code;
static FILE *expected;

/* Writes the expected lines for the instructions about to be emitted. */
static void expect(const char *text)
{
  size_t at = code.len;
  for (;;) {
    const char *sep = strstr(text, " ; ");
    int len = sep ? (int)(sep - text) : (int)strlen(text);
    fprintf(expected, "%zx\t%.*s\n", at, len, text);
    if (!sep)
      break;
    text = sep + 3;
    at += 4;
  }
}

#define CASE(text, call)                                                                           \
  do {                                                                                             \
    expect(text);                                                                                  \
    call;                                                                                          \
  } while (0)

static uint32_t word_at(const wr_codebuf *b, size_t at)
{
  uint32_t v = 0;
  for (int i = 0; i < 4; i++)
    v |= (uint32_t)b->data[at + (size_t)i] << (8 * i);
  return v;
}

static int range_failures;

/* Checks that a patch is refused and leaves the instruction as it was. */
static void expect_refused(wr_codebuf *b, size_t at, size_t target, const char *what)
{
  uint32_t before = word_at(b, at);
  if (arm64_patch_branch(b, at, target) || word_at(b, at) != before) {
    fprintf(stderr, "test_arm64_encoder: %s was not refused\n", what);
    range_failures++;
  }
}

static void expect_accepted(wr_codebuf *b, size_t at, size_t target, const char *what)
{
  if (!arm64_patch_branch(b, at, target)) {
    fprintf(stderr, "test_arm64_encoder: %s was refused\n", what);
    range_failures++;
  }
}

/* Branch displacement limits, outside the objdump comparison. */
static void check_branch_ranges(void)
{
  wr_codebuf s = {0};
  size_t b = arm64_b(&s);
  size_t bc = arm64_b_cond(&s, ARM64_NE);
  size_t cbz = arm64_cbz(&s, true, ARM64_X0);
  wr_codebuf_u32(&s, 0x8b020020);       /* add x0, x1, x2: not a branch */
  size_t max26 = ((size_t)1 << 27) - 4; /* (2^25 - 1) words */
  expect_accepted(&s, b, b + max26, "B at +128 MiB - 4");
  expect_refused(&s, b, b + max26 + 4, "B at +128 MiB");
  size_t max19 = ((size_t)1 << 20) - 4;
  expect_accepted(&s, bc, bc + max19, "B.cond at +1 MiB - 4");
  expect_refused(&s, bc, bc + max19 + 4, "B.cond at +1 MiB");
  expect_refused(&s, cbz, cbz + max19 + 4 + 8, "CBZ beyond +1 MiB");
  expect_refused(&s, bc, bc + 2, "B.cond to a misaligned target");
  expect_refused(&s, 12, 0, "patching a non-branch");
  expect_refused(&s, 16, 0, "patching past the end");
  /* Backwards: the most negative imm19 (-2^18 words) is the limit. */
  while (s.len < ((size_t)1 << 20) + 16 && !s.failed)
    arm64_nop(&s);
  size_t back = arm64_b_cond(&s, ARM64_EQ);
  expect_accepted(&s, back, back - ((size_t)1 << 20), "B.cond at -1 MiB");
  expect_refused(&s, back, back - ((size_t)1 << 20) - 4, "B.cond at -1 MiB - 4");
  size_t back_cbnz = arm64_cbnz(&s, false, ARM64_X15);
  expect_refused(&s, back_cbnz, 0, "CBNZ beyond -1 MiB");
  size_t back_b = arm64_b(&s);
  expect_accepted(&s, back_b, 0, "B back to 0");
  if (s.failed) {
    fprintf(stderr, "test_arm64_encoder: out of memory\n");
    range_failures++;
  }
  wr_codebuf_free(&s);
}

int main(int argc, char **argv)
{
  if (argc != 3) {
    fprintf(stderr, "usage: test_arm64_encoder OUT.bin OUT.txt\n");
    return 2;
  }
  check_branch_ranges();
  expected = fopen(argv[2], "w");
  if (!expected)
    return 2;

  /* Shifted-register arithmetic and logic; register 31 is ZR here. */
  /* One case per line, however long. */
  /* clang-format off */
  CASE("add x0, x1, x2", arm64_alu_reg(&code, ARM64_ADD, true, ARM64_X0, ARM64_X1, ARM64_X2, ARM64_LSL, 0));
  CASE("add w15, w28, w30, lsl #3",
       arm64_alu_reg(&code, ARM64_ADD, false, ARM64_X15, ARM64_X28, ARM64_X30, ARM64_LSL, 3));
  CASE("sub x28, x30, x0, asr #63",
       arm64_alu_reg(&code, ARM64_SUB, true, ARM64_X28, ARM64_X30, ARM64_X0, ARM64_ASR, 63));
  CASE("neg x0, x1", arm64_alu_reg(&code, ARM64_SUB, true, ARM64_X0, ARM64_XZR, ARM64_X1, ARM64_LSL, 0));
  CASE("adds w0, w1, w2", arm64_alu_reg(&code, ARM64_ADDS, false, ARM64_X0, ARM64_X1, ARM64_X2, ARM64_LSL, 0));
  CASE("subs x15, x0, x28, lsr #1",
       arm64_alu_reg(&code, ARM64_SUBS, true, ARM64_X15, ARM64_X0, ARM64_X28, ARM64_LSR, 1));
  CASE("cmp x0, x15", arm64_cmp_reg(&code, true, ARM64_X0, ARM64_X15));
  CASE("cmp w30, wzr", arm64_cmp_reg(&code, false, ARM64_X30, ARM64_XZR));
  CASE("and x0, x1, x2", arm64_alu_reg(&code, ARM64_AND, true, ARM64_X0, ARM64_X1, ARM64_X2, ARM64_LSL, 0));
  CASE("tst x1, x2", arm64_alu_reg(&code, ARM64_ANDS, true, ARM64_XZR, ARM64_X1, ARM64_X2, ARM64_LSL, 0));
  CASE("ands w3, w4, w5", arm64_alu_reg(&code, ARM64_ANDS, false, ARM64_X3, ARM64_X4, ARM64_X5, ARM64_LSL, 0));
  CASE("orr w0, w1, w2, ror #4",
       arm64_alu_reg(&code, ARM64_ORR, false, ARM64_X0, ARM64_X1, ARM64_X2, ARM64_ROR, 4));
  CASE("eor x30, x28, x15", arm64_alu_reg(&code, ARM64_EOR, true, ARM64_X30, ARM64_X28, ARM64_X15, ARM64_LSL, 0));
  CASE("bic x0, x1, x2", arm64_alu_reg(&code, ARM64_BIC, true, ARM64_X0, ARM64_X1, ARM64_X2, ARM64_LSL, 0));
  CASE("mvn w0, w1", arm64_alu_reg(&code, ARM64_ORN, false, ARM64_X0, ARM64_XZR, ARM64_X1, ARM64_LSL, 0));
  CASE("mov x0, x15", arm64_mov_reg(&code, true, ARM64_X0, ARM64_X15));
  CASE("mov w28, wzr", arm64_mov_reg(&code, false, ARM64_X28, ARM64_XZR));

  /* Immediate add/sub; register 31 is SP except as a flag-setting dest. */
  CASE("add x0, x1, #0xfff", arm64_addsub_imm(&code, ARM64_ADD, true, ARM64_X0, ARM64_X1, 0xfff));
  CASE("add sp, sp, #0x10", arm64_addsub_imm(&code, ARM64_ADD, true, ARM64_SP, ARM64_SP, 0x10));
  CASE("sub sp, sp, #0x1, lsl #12", arm64_addsub_imm(&code, ARM64_SUB, true, ARM64_SP, ARM64_SP, 0x1000));
  CASE("sub w15, w28, #0xfff, lsl #12",
       arm64_addsub_imm(&code, ARM64_SUB, false, ARM64_X15, ARM64_X28, 0xfff000));
  CASE("mov x29, sp", arm64_mov_reg(&code, true, ARM64_X29, ARM64_SP));
  CASE("mov sp, x29", arm64_mov_reg(&code, true, ARM64_SP, ARM64_X29));
  CASE("adds w0, w1, #0x1", arm64_addsub_imm(&code, ARM64_ADDS, false, ARM64_X0, ARM64_X1, 1));
  CASE("subs x30, sp, #0x8", arm64_addsub_imm(&code, ARM64_SUBS, true, ARM64_X30, ARM64_SP, 8));
  CASE("cmp sp, #0x8", arm64_cmp_imm(&code, true, ARM64_SP, 8));
  CASE("cmp w28, #0x5, lsl #12", arm64_cmp_imm(&code, false, ARM64_X28, 0x5000));
  CASE("cmn x0, #0x1", arm64_addsub_imm(&code, ARM64_ADDS, true, ARM64_XZR, ARM64_X0, 1));

  /* Constants: the whole MOVZ/MOVN + MOVK sequence of each. */
  CASE("mov x0, #0x0", arm64_mov_imm(&code, true, ARM64_X0, 0));
  CASE("mov x0, #0x1234", arm64_mov_imm(&code, true, ARM64_X0, 0x1234));
  CASE("mov x15, #0x12340000", arm64_mov_imm(&code, true, ARM64_X15, 0x12340000));
  CASE("mov x28, #0xdef0 ; movk x28, #0x9abc, lsl #16 ; movk x28, #0x5678, lsl #32 ; "
       "movk x28, #0x1234, lsl #48",
       arm64_mov_imm(&code, true, ARM64_X28, 0x123456789abcdef0ull));
  CASE("mov x30, #0xffffffffffffffff", arm64_mov_imm(&code, true, ARM64_X30, UINT64_MAX));
  CASE("mov x1, #0xfffffffffffffffe", arm64_mov_imm(&code, true, ARM64_X1, 0xfffffffffffffffeull));
  CASE("mov x2, #0xffff1234ffffffff", arm64_mov_imm(&code, true, ARM64_X2, 0xffff1234ffffffffull));
  CASE("mov x3, #0xffffffffffffedcb ; movk x3, #0x0, lsl #16",
       arm64_mov_imm(&code, true, ARM64_X3, 0xffffffff0000edcbull));
  CASE("mov x4, #0x1 ; movk x4, #0x1, lsl #32", arm64_mov_imm(&code, true, ARM64_X4, 0x100000001ull));
  CASE("mov x9, #0xffff000000000000", arm64_mov_imm(&code, true, ARM64_X9, 0xffff000000000000ull));
  CASE("mov x10, #0xffff0000ffffffff ; movk x10, #0x8000, lsl #48",
       arm64_mov_imm(&code, true, ARM64_X10, 0x80000000ffffffffull));
  CASE("mov w5, #0xffffffff", arm64_mov_imm(&code, false, ARM64_X5, 0xffffffffu));
  CASE("mov w6, #0x5678 ; movk w6, #0x1234, lsl #16", arm64_mov_imm(&code, false, ARM64_X6, 0x12345678));
  CASE("mov w7, #0xffff8000", arm64_mov_imm(&code, false, ARM64_X7, 0xffff8000u));
  CASE("mov w8, #0x0", arm64_mov_imm(&code, false, ARM64_X8, 0xffffffff00000000ull));
  CASE("mov w30, #0xffff0000", arm64_mov_imm(&code, false, ARM64_X30, 0xffff0000u));

  /* Multiply, divide, variable shifts, bit operations, bitfields. */
  CASE("madd x0, x1, x2, x3", arm64_madd(&code, true, ARM64_X0, ARM64_X1, ARM64_X2, ARM64_X3));
  CASE("msub w15, w28, w30, w0", arm64_msub(&code, false, ARM64_X15, ARM64_X28, ARM64_X30, ARM64_X0));
  CASE("mul x0, x1, x2", arm64_mul(&code, true, ARM64_X0, ARM64_X1, ARM64_X2));
  CASE("mul w28, w15, w30", arm64_mul(&code, false, ARM64_X28, ARM64_X15, ARM64_X30));
  CASE("mneg x0, x1, x2", arm64_msub(&code, true, ARM64_X0, ARM64_X1, ARM64_X2, ARM64_XZR));
  CASE("sdiv x0, x1, x2", arm64_dp2(&code, ARM64_SDIV, true, ARM64_X0, ARM64_X1, ARM64_X2));
  CASE("udiv w28, w15, w30", arm64_dp2(&code, ARM64_UDIV, false, ARM64_X28, ARM64_X15, ARM64_X30));
  CASE("lsl x0, x1, x2", arm64_dp2(&code, ARM64_LSLV, true, ARM64_X0, ARM64_X1, ARM64_X2));
  CASE("lsr w0, w1, w2", arm64_dp2(&code, ARM64_LSRV, false, ARM64_X0, ARM64_X1, ARM64_X2));
  CASE("asr x15, x28, x30", arm64_dp2(&code, ARM64_ASRV, true, ARM64_X15, ARM64_X28, ARM64_X30));
  CASE("ror w0, w1, w2", arm64_dp2(&code, ARM64_RORV, false, ARM64_X0, ARM64_X1, ARM64_X2));
  CASE("clz x0, x1", arm64_dp1(&code, ARM64_CLZ, true, ARM64_X0, ARM64_X1));
  CASE("clz w30, w28", arm64_dp1(&code, ARM64_CLZ, false, ARM64_X30, ARM64_X28));
  CASE("rbit w0, w15", arm64_dp1(&code, ARM64_RBIT, false, ARM64_X0, ARM64_X15));
  CASE("rbit x0, x1", arm64_dp1(&code, ARM64_RBIT, true, ARM64_X0, ARM64_X1));
  CASE("sxtw x0, w1", arm64_bitfield(&code, true, true, ARM64_X0, ARM64_X1, 0, 31));
  CASE("sxtb w0, w1", arm64_bitfield(&code, true, false, ARM64_X0, ARM64_X1, 0, 7));
  CASE("sxth x15, w28", arm64_bitfield(&code, true, true, ARM64_X15, ARM64_X28, 0, 15));
  CASE("uxtb w0, w1", arm64_bitfield(&code, false, false, ARM64_X0, ARM64_X1, 0, 7));
  CASE("uxth w0, w1", arm64_bitfield(&code, false, false, ARM64_X0, ARM64_X1, 0, 15));
  CASE("lsl x0, x1, #3", arm64_shift_imm(&code, ARM64_LSL, true, ARM64_X0, ARM64_X1, 3));
  CASE("lsl w0, w1, #31", arm64_shift_imm(&code, ARM64_LSL, false, ARM64_X0, ARM64_X1, 31));
  CASE("lsr w0, w1, #31", arm64_shift_imm(&code, ARM64_LSR, false, ARM64_X0, ARM64_X1, 31));
  CASE("asr x30, x28, #63", arm64_shift_imm(&code, ARM64_ASR, true, ARM64_X30, ARM64_X28, 63));

  /* Conditional select; CSET is CSINC from ZR with the inverse condition. */
  CASE("csel x0, x1, x2, eq", arm64_csel(&code, ARM64_EQ, true, ARM64_X0, ARM64_X1, ARM64_X2));
  CASE("csel w15, w28, wzr, lt", arm64_csel(&code, ARM64_LT, false, ARM64_X15, ARM64_X28, ARM64_XZR));
  CASE("csinc x0, x1, x2, ge", arm64_csinc(&code, ARM64_GE, true, ARM64_X0, ARM64_X1, ARM64_X2));
  CASE("cset w0, ne", arm64_cset(&code, ARM64_NE, false, ARM64_X0));
  CASE("cset x30, hi", arm64_cset(&code, ARM64_HI, true, ARM64_X30));
  CASE("cset w1, cc", arm64_cset(&code, ARM64_LO, false, ARM64_X1));
  CASE("cset w2, cs", arm64_cset(&code, ARM64_HS, false, ARM64_X2));
  CASE("cset w3, le", arm64_cset(&code, ARM64_LE, false, ARM64_X3));

  /* Loads and stores with a scaled unsigned offset; the base may be SP. */
  CASE("ldr x0, [x28, #8]", arm64_ldst_imm(&code, ARM64_LDR_X, ARM64_X0, ARM64_X28, 8));
  CASE("ldr x0, [x1]", arm64_ldst_imm(&code, ARM64_LDR_X, ARM64_X0, ARM64_X1, 0));
  CASE("ldr x30, [x29, #32760]", arm64_ldst_imm(&code, ARM64_LDR_X, ARM64_X30, ARM64_X29, 32760));
  CASE("str xzr, [sp, #32760]", arm64_ldst_imm(&code, ARM64_STR_X, ARM64_XZR, ARM64_SP, 32760));
  CASE("str w15, [sp, #4]", arm64_ldst_imm(&code, ARM64_STR_W, ARM64_X15, ARM64_SP, 4));
  CASE("ldr w0, [x27, #16380]", arm64_ldst_imm(&code, ARM64_LDR_W, ARM64_X0, ARM64_X27, 16380));
  CASE("ldrb w0, [x1, #4095]", arm64_ldst_imm(&code, ARM64_LDRB, ARM64_X0, ARM64_X1, 4095));
  CASE("ldrsb w0, [x1, #1]", arm64_ldst_imm(&code, ARM64_LDRSB_W, ARM64_X0, ARM64_X1, 1));
  CASE("ldrsb x0, [x1, #1]", arm64_ldst_imm(&code, ARM64_LDRSB_X, ARM64_X0, ARM64_X1, 1));
  CASE("ldrh w30, [x27, #2]", arm64_ldst_imm(&code, ARM64_LDRH, ARM64_X30, ARM64_X27, 2));
  CASE("ldrsh w0, [x1, #6]", arm64_ldst_imm(&code, ARM64_LDRSH_W, ARM64_X0, ARM64_X1, 6));
  CASE("ldrsh x0, [x1, #8190]", arm64_ldst_imm(&code, ARM64_LDRSH_X, ARM64_X0, ARM64_X1, 8190));
  CASE("ldrsw x0, [x1, #4]", arm64_ldst_imm(&code, ARM64_LDRSW, ARM64_X0, ARM64_X1, 4));
  CASE("strb w0, [x1]", arm64_ldst_imm(&code, ARM64_STRB, ARM64_X0, ARM64_X1, 0));
  CASE("strh wzr, [x1, #2]", arm64_ldst_imm(&code, ARM64_STRH, ARM64_XZR, ARM64_X1, 2));

  /* Register offset: a 64-bit index, or wasm's 32-bit index zero-extended. */
  CASE("ldr x0, [x1, x2]", arm64_ldst_reg(&code, ARM64_LDR_X, ARM64_X0, ARM64_X1, ARM64_X2, ARM64_INDEX_X));
  CASE("ldr w0, [x28, w1, uxtw]",
       arm64_ldst_reg(&code, ARM64_LDR_W, ARM64_X0, ARM64_X28, ARM64_X1, ARM64_INDEX_UXTW));
  CASE("ldr x15, [x28, w30, uxtw]",
       arm64_ldst_reg(&code, ARM64_LDR_X, ARM64_X15, ARM64_X28, ARM64_X30, ARM64_INDEX_UXTW));
  CASE("strb w15, [x28, w30, uxtw]",
       arm64_ldst_reg(&code, ARM64_STRB, ARM64_X15, ARM64_X28, ARM64_X30, ARM64_INDEX_UXTW));
  CASE("ldrb w0, [x28, x1]", arm64_ldst_reg(&code, ARM64_LDRB, ARM64_X0, ARM64_X28, ARM64_X1, ARM64_INDEX_X));
  CASE("ldrsh w0, [x28, w1, uxtw]",
       arm64_ldst_reg(&code, ARM64_LDRSH_W, ARM64_X0, ARM64_X28, ARM64_X1, ARM64_INDEX_UXTW));
  CASE("ldrsw x0, [x28, w1, uxtw]",
       arm64_ldst_reg(&code, ARM64_LDRSW, ARM64_X0, ARM64_X28, ARM64_X1, ARM64_INDEX_UXTW));
  CASE("strh w2, [sp, x3]", arm64_ldst_reg(&code, ARM64_STRH, ARM64_X2, ARM64_SP, ARM64_X3, ARM64_INDEX_X));
  CASE("str xzr, [x28, w0, uxtw]",
       arm64_ldst_reg(&code, ARM64_STR_X, ARM64_XZR, ARM64_X28, ARM64_X0, ARM64_INDEX_UXTW));

  /* Pairs for prologues and epilogues. */
  CASE("stp x29, x30, [sp, #-16]!",
       arm64_stp(&code, ARM64_PAIR_PRE_INDEX, true, ARM64_X29, ARM64_X30, ARM64_SP, -16));
  CASE("ldp x29, x30, [sp], #16",
       arm64_ldp(&code, ARM64_PAIR_POST_INDEX, true, ARM64_X29, ARM64_X30, ARM64_SP, 16));
  CASE("stp x27, x28, [sp, #16]", arm64_stp(&code, ARM64_PAIR_OFFSET, true, ARM64_X27, ARM64_X28, ARM64_SP, 16));
  CASE("ldp x27, x28, [x29, #-512]",
       arm64_ldp(&code, ARM64_PAIR_OFFSET, true, ARM64_X27, ARM64_X28, ARM64_X29, -512));
  CASE("stp w0, w1, [x2, #-256]!", arm64_stp(&code, ARM64_PAIR_PRE_INDEX, false, ARM64_X0, ARM64_X1, ARM64_X2, -256));
  CASE("stp xzr, xzr, [sp, #504]", arm64_stp(&code, ARM64_PAIR_OFFSET, true, ARM64_XZR, ARM64_XZR, ARM64_SP, 504));
  CASE("ldp w15, w0, [sp], #252", arm64_ldp(&code, ARM64_PAIR_POST_INDEX, false, ARM64_X15, ARM64_X0, ARM64_SP, 252));

  /* Branches: forward ones patched to the ret below, backward ones to top. */
  char text[64];
  size_t top = code.len;
  fprintf(expected, "%zx\tFORWARD b.ne\n", code.len);
  size_t fwd_bcond = arm64_b_cond(&code, ARM64_NE);
  fprintf(expected, "%zx\tFORWARD cbz x0,\n", code.len);
  size_t fwd_cbz = arm64_cbz(&code, true, ARM64_X0);
  fprintf(expected, "%zx\tFORWARD cbnz w15,\n", code.len);
  size_t fwd_cbnz = arm64_cbnz(&code, false, ARM64_X15);
  fprintf(expected, "%zx\tFORWARD b\n", code.len);
  size_t fwd_b = arm64_b(&code);
  fprintf(expected, "%zx\tFORWARD bl\n", code.len);
  size_t fwd_bl = arm64_bl(&code);
  CASE("br x16", arm64_br(&code, ARM64_X16));
  CASE("blr x17", arm64_blr(&code, ARM64_X17));
  CASE("ret x1", arm64_ret(&code, ARM64_X1));
  size_t target = code.len;
  fprintf(expected, "%zx\tTARGET\n", code.len);
  CASE("ret", arm64_ret(&code, ARM64_X30));
  bool ok = arm64_patch_branch(&code, fwd_bcond, target) && arm64_patch_branch(&code, fwd_cbz, target) &&
            arm64_patch_branch(&code, fwd_cbnz, target) && arm64_patch_branch(&code, fwd_b, target) &&
            arm64_patch_branch(&code, fwd_bl, target);
  snprintf(text, sizeof text, "b 0x%zx", top);
  CASE(text, ok = arm64_patch_branch(&code, arm64_b(&code), top) && ok);
  snprintf(text, sizeof text, "bl 0x%zx", top);
  CASE(text, ok = arm64_patch_branch(&code, arm64_bl(&code), top) && ok);
  snprintf(text, sizeof text, "b.le 0x%zx", top);
  CASE(text, ok = arm64_patch_branch(&code, arm64_b_cond(&code, ARM64_LE), top) && ok);
  snprintf(text, sizeof text, "cbnz xzr, 0x%zx", top);
  CASE(text, ok = arm64_patch_branch(&code, arm64_cbnz(&code, true, ARM64_XZR), top) && ok);
  size_t self = code.len; /* a branch to itself, as emitted, re-patched */
  snprintf(text, sizeof text, "cbz w28, 0x%zx", self);
  CASE(text, ok = arm64_patch_branch(&code, arm64_cbz(&code, false, ARM64_X28), self) && ok);
  if (!ok) {
    fprintf(stderr, "test_arm64_encoder: an in-range branch patch was refused\n");
    range_failures++;
  }

  /* Traps. */
  CASE("brk #0x0", arm64_brk(&code, 0));
  CASE("brk #0xf000", arm64_brk(&code, 0xf000));
  CASE("udf #1", arm64_udf(&code, 1));
  CASE("udf #65535", arm64_udf(&code, 0xffff));
  CASE("nop", arm64_nop(&code));

  /* Scalar floating point. */
  CASE("fadd s0, s1, s2", arm64_fp2(&code, ARM64_FADD, false, 0, 1, 2));
  CASE("fadd d31, d15, d0", arm64_fp2(&code, ARM64_FADD, true, 31, 15, 0));
  CASE("fsub d0, d1, d2", arm64_fp2(&code, ARM64_FSUB, true, 0, 1, 2));
  CASE("fmul s3, s4, s5", arm64_fp2(&code, ARM64_FMUL, false, 3, 4, 5));
  CASE("fdiv d6, d7, d8", arm64_fp2(&code, ARM64_FDIV, true, 6, 7, 8));
  CASE("fmin s9, s10, s11", arm64_fp2(&code, ARM64_FMIN, false, 9, 10, 11));
  CASE("fmax d12, d13, d14", arm64_fp2(&code, ARM64_FMAX, true, 12, 13, 14));
  CASE("fmov d0, d1", arm64_fp1(&code, ARM64_FMOV, true, 0, 1));
  CASE("fmov s30, s31", arm64_fp1(&code, ARM64_FMOV, false, 30, 31));
  CASE("fabs s0, s1", arm64_fp1(&code, ARM64_FABS, false, 0, 1));
  CASE("fneg d2, d3", arm64_fp1(&code, ARM64_FNEG, true, 2, 3));
  CASE("fsqrt d4, d5", arm64_fp1(&code, ARM64_FSQRT, true, 4, 5));
  CASE("fsqrt s4, s5", arm64_fp1(&code, ARM64_FSQRT, false, 4, 5));
  CASE("frintn s6, s7", arm64_fp1(&code, ARM64_FRINTN, false, 6, 7));
  CASE("frintm d8, d9", arm64_fp1(&code, ARM64_FRINTM, true, 8, 9));
  CASE("frintp s10, s11", arm64_fp1(&code, ARM64_FRINTP, false, 10, 11));
  CASE("frintz d12, d13", arm64_fp1(&code, ARM64_FRINTZ, true, 12, 13));
  CASE("fcmp s0, s1", arm64_fcmp(&code, false, 0, 1));
  CASE("fcmp d15, d31", arm64_fcmp(&code, true, 15, 31));
  CASE("fcvt d0, s1", arm64_fcvt(&code, true, 0, 1));
  CASE("fcvt s2, d3", arm64_fcvt(&code, false, 2, 3));
  CASE("scvtf d0, x1", arm64_fcvt_int(&code, ARM64_SCVTF, true, true, ARM64_X1, 0));
  CASE("scvtf s0, w1", arm64_fcvt_int(&code, ARM64_SCVTF, false, false, ARM64_X1, 0));
  CASE("ucvtf d0, w28", arm64_fcvt_int(&code, ARM64_UCVTF, false, true, ARM64_X28, 0));
  CASE("ucvtf s31, x30", arm64_fcvt_int(&code, ARM64_UCVTF, true, false, ARM64_X30, 31));
  CASE("fcvtzs w0, s1", arm64_fcvt_int(&code, ARM64_FCVTZS, false, false, ARM64_X0, 1));
  CASE("fcvtzs x15, d0", arm64_fcvt_int(&code, ARM64_FCVTZS, true, true, ARM64_X15, 0));
  CASE("fcvtzu w0, d1", arm64_fcvt_int(&code, ARM64_FCVTZU, false, true, ARM64_X0, 1));
  CASE("fcvtzu x0, s1", arm64_fcvt_int(&code, ARM64_FCVTZU, true, false, ARM64_X0, 1));
  CASE("fmov s0, w1", arm64_fmov_to_fp(&code, false, 0, ARM64_X1));
  CASE("fmov d15, x28", arm64_fmov_to_fp(&code, true, 15, ARM64_X28));
  CASE("fmov d0, xzr", arm64_fmov_to_fp(&code, true, 0, ARM64_XZR));
  CASE("fmov w0, s1", arm64_fmov_from_fp(&code, false, ARM64_X0, 1));
  CASE("fmov x30, d31", arm64_fmov_from_fp(&code, true, ARM64_X30, 31));
  CASE("ldr s0, [x28, #4]", arm64_fp_ldst_imm(&code, true, false, 0, ARM64_X28, 4));
  CASE("ldr d1, [sp, #8]", arm64_fp_ldst_imm(&code, true, true, 1, ARM64_SP, 8));
  CASE("str d31, [x29, #32760]", arm64_fp_ldst_imm(&code, false, true, 31, ARM64_X29, 32760));
  CASE("str s0, [x1]", arm64_fp_ldst_imm(&code, false, false, 0, ARM64_X1, 0));
  CASE("ldr s0, [x28, w1, uxtw]", arm64_fp_ldst_reg(&code, true, false, 0, ARM64_X28, ARM64_X1, ARM64_INDEX_UXTW));
  CASE("str d1, [x28, x2]", arm64_fp_ldst_reg(&code, false, true, 1, ARM64_X28, ARM64_X2, ARM64_INDEX_X));
  CASE("ldr d2, [x28, w3, uxtw]", arm64_fp_ldst_reg(&code, true, true, 2, ARM64_X28, ARM64_X3, ARM64_INDEX_UXTW));

  CASE("ldur x0, [x29, #-16]", arm64_ldst_unscaled(&code, ARM64_LDR_X, ARM64_X0, ARM64_X29, -16));
  CASE("stur w1, [x29, #-256]", arm64_ldst_unscaled(&code, ARM64_STR_W, ARM64_X1, ARM64_X29, -256));
  CASE("stur xzr, [sp, #255]", arm64_ldst_unscaled(&code, ARM64_STR_X, ARM64_XZR, ARM64_SP, 255));
  CASE("ldur d3, [x29, #-24]", arm64_fp_ldst_unscaled(&code, true, true, 3, ARM64_X29, -24));
  CASE("stur s31, [x29, #-8]", arm64_fp_ldst_unscaled(&code, false, false, 31, ARM64_X29, -8));
  CASE("add x16, x28, w1, uxtw", arm64_addsub_ext(&code, ARM64_ADD, ARM64_X16, ARM64_X28, ARM64_X1, ARM64_INDEX_UXTW, 0));
  CASE("add x16, x16, w0, uxtw #2", arm64_addsub_ext(&code, ARM64_ADD, ARM64_X16, ARM64_X16, ARM64_X0, ARM64_INDEX_UXTW, 2));
  CASE("sub x16, sp, x16", arm64_addsub_ext(&code, ARM64_SUB, ARM64_X16, ARM64_SP, ARM64_X16, ARM64_INDEX_X, 0));
  CASE("mov sp, x16", arm64_mov_reg(&code, true, ARM64_SP, ARM64_X16));
  CASE("cmp sp, x17", arm64_addsub_ext(&code, ARM64_SUBS, ARM64_XZR, ARM64_SP, ARM64_X17, ARM64_INDEX_X, 0));
  {
    char adr_text[64];
    snprintf(adr_text, sizeof adr_text, "adr x16, 0x%zx", code.len + 12);
    CASE(adr_text, arm64_adr(&code, ARM64_X16, 12));
    snprintf(adr_text, sizeof adr_text, "adr x0, 0x%zx", code.len - 4);
    CASE(adr_text, arm64_adr(&code, ARM64_X0, -4));
  }
  {
    /* Logical immediates: each value encoded, emitted and judged by objdump;
     * the registers are x0/x1, x2/x3, ... as the texts say. */
    static const struct {
      const char *text;
      arm64_alu_op op;
      bool is64;
      uint64_t value;
    } logical[] = {
      {"and x0, x1, #0xff", ARM64_AND, true, 0xff},
      {"and w2, w3, #0xffff", ARM64_AND, false, 0xffff},
      {"orr x4, x5, #0xffffffff00000000", ARM64_ORR, true, 0xffffffff00000000ull},
      {"eor x6, x7, #0x5555555555555555", ARM64_EOR, true, 0x5555555555555555ull},
      {"eor w8, w9, #0x80000001", ARM64_EOR, false, 0x80000001u},
      {"and x10, x11, #0x7fffffffffffffff", ARM64_AND, true, 0x7fffffffffffffffull},
      {"orr w12, w13, #0xf0f0f0f0", ARM64_ORR, false, 0xf0f0f0f0u},
      {"and x0, x1, #0x3c", ARM64_AND, true, 0x3c},
      {"tst x1, #0x8000000000000000", ARM64_ANDS, true, 0x8000000000000000ull},
      {"eor x0, x0, #0xfffffffffffffffe", ARM64_EOR, true, 0xfffffffffffffffeull},
    };
    for (size_t i = 0; i < sizeof logical / sizeof logical[0]; i++) {
      uint32_t fields;
      if (!arm64_logical_imm_encode(logical[i].value, logical[i].is64, &fields)) {
        fprintf(stderr, "logical immediate 0x%llx refused\n", (unsigned long long)logical[i].value);
        range_failures++;
        continue;
      }
      arm64_reg rd = (arm64_reg)(2 * i % 14), rn = (arm64_reg)((2 * i + 1) % 14);
      if (logical[i].op == ARM64_ANDS)
        rd = ARM64_XZR, rn = ARM64_X1;
      if (i == 9)
        rd = rn = ARM64_X0;
      CASE(logical[i].text, arm64_logical_imm(&code, logical[i].op, logical[i].is64, rd, rn, fields));
    }
    static const uint64_t no_form[] = {0, ~(uint64_t)0, 0x1234, 0x5, 0xffffffff12345678ull};
    for (size_t i = 0; i < sizeof no_form / sizeof no_form[0]; i++) {
      uint32_t fields;
      if (arm64_logical_imm_encode(no_form[i], true, &fields)) {
        fprintf(stderr, "0x%llx accepted as a logical immediate\n", (unsigned long long)no_form[i]);
        range_failures++;
      }
    }
    uint32_t fields;
    if (arm64_logical_imm_encode(0xffffffffu, false, &fields)) {
      fprintf(stderr, "all ones accepted as a 32-bit logical immediate\n");
      range_failures++;
    }
  }
  CASE("ror x0, x1, #3", arm64_ror_imm(&code, true, ARM64_X0, ARM64_X1, 3));
  CASE("ror w2, w3, #31", arm64_ror_imm(&code, false, ARM64_X2, ARM64_X3, 31));
  CASE("mvn x4, x5", arm64_alu_reg(&code, ARM64_ORN, true, ARM64_X4, ARM64_XZR, ARM64_X5, ARM64_LSL, 0));
  CASE("fcsel d0, d1, d2, ne", arm64_fcsel(&code, ARM64_NE, true, 0, 1, 2));
  CASE("fcsel s30, s31, s0, eq", arm64_fcsel(&code, ARM64_EQ, false, 30, 31, 0));
  CASE("cnt v31.8b, v31.8b", arm64_cnt_8b(&code, 31, 31));
  CASE("addv b31, v31.8b", arm64_addv_8b(&code, 31, 31));
  /* clang-format on */
  fprintf(expected, "%zx\tEND\n", code.len);
  FILE *out = fopen(argv[1], "wb");
  if (code.failed || !out || fwrite(code.data, 1, code.len, out) != code.len || fclose(out) ||
      fclose(expected)) {
    fprintf(stderr, "test_arm64_encoder: cannot write output\n");
    return 2;
  }
  wr_codebuf_free(&code);
  return range_failures ? 1 : 0;
}
