/*
 * arm64_encoder.c - the bits of each AArch64 instruction form.
 *
 * Every instruction is one 32-bit word built from a fixed opcode pattern
 * (named after the Arm ARM's encoding class) and its register, immediate
 * and size fields. Register 31 is SP or ZR depending on the field; the
 * field helpers below check the caller passed the one the field means.
 */
#include "backend/arm64/arm64_encoder.h"

#include "compiler/require.h"

/* A register field where 31 means the zero register. */
static uint32_t arm64_rz(arm64_reg r)
{
  WR_REQUIRE(r <= ARM64_XZR);
  return (uint32_t)r & 31;
}

/* A register field where 31 means the stack pointer. */
static uint32_t arm64_rsp(arm64_reg r)
{
  WR_REQUIRE(r != ARM64_XZR && r <= ARM64_SP);
  return r == ARM64_SP ? 31 : (uint32_t)r & 31;
}

/* A register field that must name x0..x30 (branch targets, MOVZ). */
static uint32_t arm64_rgen(arm64_reg r)
{
  WR_REQUIRE(r < ARM64_XZR);
  return (uint32_t)r & 31;
}

static uint32_t arm64_sf(bool is64) { return is64 ? 1u << 31 : 0; }

static void arm64_emit(wr_codebuf *b, uint32_t insn) { wr_codebuf_u32(b, insn); }

void arm64_alu_reg(wr_codebuf *b, arm64_alu_op op, bool is64, arm64_reg rd, arm64_reg rn,
                   arm64_reg rm, arm64_shift shift, unsigned amount)
{
  /* Add/subtract (shifted register): sf op S 01011 shift 0 Rm imm6 Rn Rd;
   * logical (shifted register): sf opc 01010 shift N Rm imm6 Rn Rd. */
  static const uint32_t base[] = {
      [ARM64_ADD] = 0x0b000000,  [ARM64_ADDS] = 0x2b000000, [ARM64_SUB] = 0x4b000000,
      [ARM64_SUBS] = 0x6b000000, [ARM64_AND] = 0x0a000000,  [ARM64_ANDS] = 0x6a000000,
      [ARM64_ORR] = 0x2a000000,  [ARM64_EOR] = 0x4a000000,  [ARM64_BIC] = 0x0a200000,
      [ARM64_ORN] = 0x2a200000,
  };
  WR_REQUIRE(amount < (is64 ? 64u : 32u));
  WR_REQUIRE(shift != ARM64_ROR || op >= ARM64_AND);
  arm64_emit(b, base[op] | arm64_sf(is64) | (uint32_t)shift << 22 | arm64_rz(rm) << 16 |
                    (uint32_t)amount << 10 | arm64_rz(rn) << 5 | arm64_rz(rd));
}

bool arm64_addsub_imm_fits(uint64_t value)
{
  return value < 0x1000 || ((value & 0xfff) == 0 && value < 0x1000000);
}

void arm64_addsub_imm(wr_codebuf *b, arm64_alu_op op, bool is64, arm64_reg rd, arm64_reg rn,
                      uint32_t value)
{
  /* sf op S 100010 sh imm12 Rn Rd */
  static const uint32_t base[] = {
      [ARM64_ADD] = 0x11000000,
      [ARM64_ADDS] = 0x31000000,
      [ARM64_SUB] = 0x51000000,
      [ARM64_SUBS] = 0x71000000,
  };
  WR_REQUIRE(op <= ARM64_SUBS && arm64_addsub_imm_fits(value));
  bool sets_flags = op == ARM64_ADDS || op == ARM64_SUBS;
  uint32_t d = sets_flags ? arm64_rz(rd) : arm64_rsp(rd);
  uint32_t field = value < 0x1000 ? value << 10 : 1u << 22 | (value >> 12) << 10;
  arm64_emit(b, base[op] | arm64_sf(is64) | field | arm64_rsp(rn) << 5 | d);
}

void arm64_cmp_reg(wr_codebuf *b, bool is64, arm64_reg rn, arm64_reg rm)
{
  arm64_alu_reg(b, ARM64_SUBS, is64, ARM64_XZR, rn, rm, ARM64_LSL, 0);
}

void arm64_cmp_imm(wr_codebuf *b, bool is64, arm64_reg rn, uint32_t value)
{
  arm64_addsub_imm(b, ARM64_SUBS, is64, ARM64_XZR, rn, value);
}

void arm64_mov_reg(wr_codebuf *b, bool is64, arm64_reg rd, arm64_reg rm)
{
  /* ORR reads register 31 as ZR, so moves to or from SP need ADD #0. */
  if (rd == ARM64_SP || rm == ARM64_SP)
    arm64_addsub_imm(b, ARM64_ADD, is64, rd, rm, 0);
  else
    arm64_alu_reg(b, ARM64_ORR, is64, rd, ARM64_XZR, rm, ARM64_LSL, 0);
}

void arm64_mov_imm(wr_codebuf *b, bool is64, arm64_reg rd, uint64_t value)
{
  /* MOVZ starts from zeros and MOVN from ones; whichever matches more of
   * the 16-bit chunks needs fewer MOVKs to fill in the rest. */
  unsigned chunks = is64 ? 4 : 2;
  unsigned zeros = 0, ones = 0;
  for (unsigned i = 0; i < chunks; i++) {
    uint16_t c = (uint16_t)(value >> (16 * i));
    zeros += c == 0;
    ones += c == 0xffff;
  }
  bool inverted = ones > zeros;
  uint16_t skip = inverted ? 0xffff : 0;
  uint32_t d = arm64_rgen(rd);
  bool first = true;
  for (unsigned i = 0; i < chunks; i++) {
    uint16_t c = (uint16_t)(value >> (16 * i));
    if (c == skip)
      continue;
    uint32_t hw = (uint32_t)i << 21;
    if (first) {
      /* MOVN writes the inverse of its immediate. */
      uint32_t base = inverted ? 0x12800000 : 0x52800000;
      arm64_emit(b, base | arm64_sf(is64) | hw | (uint32_t)(inverted ? (uint16_t)~c : c) << 5 | d);
      first = false;
    } else {
      arm64_emit(b, 0x72800000 | arm64_sf(is64) | hw | (uint32_t)c << 5 | d);
    }
  }
  if (first) /* every chunk was `skip`: 0 or all ones */
    arm64_emit(b, (inverted ? 0x12800000 : 0x52800000) | arm64_sf(is64) | d);
}

static void arm64_dp3(wr_codebuf *b, uint32_t base, bool is64, arm64_reg rd, arm64_reg rn,
                      arm64_reg rm, arm64_reg ra)
{
  /* sf 00 11011 000 Rm o0 Ra Rn Rd */
  arm64_emit(b, base | arm64_sf(is64) | arm64_rz(rm) << 16 | arm64_rz(ra) << 10 |
                    arm64_rz(rn) << 5 | arm64_rz(rd));
}

void arm64_madd(wr_codebuf *b, bool is64, arm64_reg rd, arm64_reg rn, arm64_reg rm, arm64_reg ra)
{
  arm64_dp3(b, 0x1b000000, is64, rd, rn, rm, ra);
}

void arm64_msub(wr_codebuf *b, bool is64, arm64_reg rd, arm64_reg rn, arm64_reg rm, arm64_reg ra)
{
  arm64_dp3(b, 0x1b008000, is64, rd, rn, rm, ra);
}

void arm64_mul(wr_codebuf *b, bool is64, arm64_reg rd, arm64_reg rn, arm64_reg rm)
{
  arm64_madd(b, is64, rd, rn, rm, ARM64_XZR);
}

void arm64_dp2(wr_codebuf *b, arm64_dp2_op op, bool is64, arm64_reg rd, arm64_reg rn, arm64_reg rm)
{
  arm64_emit(b, 0x1ac00000 | arm64_sf(is64) | arm64_rz(rm) << 16 | (uint32_t)op << 10 |
                    arm64_rz(rn) << 5 | arm64_rz(rd));
}

void arm64_dp1(wr_codebuf *b, arm64_dp1_op op, bool is64, arm64_reg rd, arm64_reg rn)
{
  arm64_emit(b,
             0x5ac00000 | arm64_sf(is64) | (uint32_t)op << 10 | arm64_rz(rn) << 5 | arm64_rz(rd));
}

void arm64_bitfield(wr_codebuf *b, bool is_signed, bool is64, arm64_reg rd, arm64_reg rn,
                    unsigned immr, unsigned imms)
{
  /* sf opc 100110 N immr imms Rn Rd, with N = sf */
  WR_REQUIRE(immr < (is64 ? 64u : 32u) && imms < (is64 ? 64u : 32u));
  uint32_t base = is_signed ? 0x13000000 : 0x53000000;
  uint32_t n = is64 ? 1u << 22 : 0;
  arm64_emit(b, base | arm64_sf(is64) | n | (uint32_t)immr << 16 | (uint32_t)imms << 10 |
                    arm64_rz(rn) << 5 | arm64_rz(rd));
}

void arm64_shift_imm(wr_codebuf *b, arm64_shift shift, bool is64, arm64_reg rd, arm64_reg rn,
                     unsigned amount)
{
  unsigned width = is64 ? 64 : 32;
  WR_REQUIRE(amount < width && shift != ARM64_ROR);
  if (shift == ARM64_LSL)
    arm64_bitfield(b, false, is64, rd, rn, (width - amount) % width, width - 1 - amount);
  else
    arm64_bitfield(b, shift == ARM64_ASR, is64, rd, rn, amount, width - 1);
}

static void arm64_cond_select(wr_codebuf *b, uint32_t base, arm64_cond cc, bool is64, arm64_reg rd,
                              arm64_reg rn, arm64_reg rm)
{
  /* sf op S 11010100 Rm cond op2 Rn Rd */
  arm64_emit(b, base | arm64_sf(is64) | arm64_rz(rm) << 16 | (uint32_t)cc << 12 |
                    arm64_rz(rn) << 5 | arm64_rz(rd));
}

void arm64_csel(wr_codebuf *b, arm64_cond cc, bool is64, arm64_reg rd, arm64_reg rn, arm64_reg rm)
{
  arm64_cond_select(b, 0x1a800000, cc, is64, rd, rn, rm);
}

void arm64_csinc(wr_codebuf *b, arm64_cond cc, bool is64, arm64_reg rd, arm64_reg rn, arm64_reg rm)
{
  arm64_cond_select(b, 0x1a800400, cc, is64, rd, rn, rm);
}

void arm64_cset(wr_codebuf *b, arm64_cond cc, bool is64, arm64_reg rd)
{
  WR_REQUIRE(cc != ARM64_AL);
  arm64_csinc(b, arm64_invert_cond(cc), is64, rd, ARM64_XZR, ARM64_XZR);
}

static unsigned arm64_ldst_log2_size(arm64_ldst_op op) { return (unsigned)op >> 2; }

bool arm64_ldst_offset_fits(arm64_ldst_op op, uint64_t offset)
{
  unsigned shift = arm64_ldst_log2_size(op);
  return (offset & ((1u << shift) - 1)) == 0 && (offset >> shift) < 0x1000;
}

void arm64_ldst_imm(wr_codebuf *b, arm64_ldst_op op, arm64_reg rt, arm64_reg rn, uint32_t offset)
{
  /* size 111 0 01 opc imm12 Rn Rt; size and opc come from op */
  WR_REQUIRE(arm64_ldst_offset_fits(op, offset));
  uint32_t size_opc = (uint32_t)(op >> 2) << 30 | (uint32_t)(op & 3) << 22;
  arm64_emit(b, 0x39000000 | size_opc | (offset >> arm64_ldst_log2_size(op)) << 10 |
                    arm64_rsp(rn) << 5 | arm64_rz(rt));
}

/* size 111 V 00 opc 1 Rm option S 10 Rn Rt, with S = 0: the index is
 * added unscaled, as wasm addresses are byte addresses. */
static void arm64_ldst_reg_raw(wr_codebuf *b, uint32_t base, uint32_t rt, arm64_reg rn,
                               arm64_reg rm, arm64_index_ext ext)
{
  arm64_emit(b, base | arm64_rz(rm) << 16 | (uint32_t)ext << 13 | arm64_rsp(rn) << 5 | rt);
}

void arm64_ldst_reg(wr_codebuf *b, arm64_ldst_op op, arm64_reg rt, arm64_reg rn, arm64_reg rm,
                    arm64_index_ext ext)
{
  uint32_t size_opc = (uint32_t)(op >> 2) << 30 | (uint32_t)(op & 3) << 22;
  arm64_ldst_reg_raw(b, 0x38200800 | size_opc, arm64_rz(rt), rn, rm, ext);
}

static bool arm64_is_mask(uint64_t v) { return v && ((v + 1) & v) == 0; }

static bool arm64_is_shifted_mask(uint64_t v) { return v && arm64_is_mask((v - 1) | v); }

static unsigned arm64_trailing_ones(uint64_t v)
{
  return v == ~(uint64_t)0 ? 64 : (unsigned)__builtin_ctzll(~v);
}

bool arm64_logical_imm_encode(uint64_t value, bool is64, uint32_t *fields)
{
  unsigned reg_size = is64 ? 64 : 32;
  if (!is64)
    value &= 0xffffffffu;
  uint64_t all = is64 ? ~(uint64_t)0 : 0xffffffffu;
  if (value == 0 || value == all)
    return false;
  /* The smallest element size whose repetition makes the value. */
  unsigned size = reg_size;
  do {
    size /= 2;
    uint64_t mask = ((uint64_t)1 << size) - 1;
    if ((value & mask) != ((value >> size) & mask)) {
      size *= 2;
      break;
    }
  } while (size > 2);
  uint64_t mask = ~(uint64_t)0 >> (64 - size);
  uint64_t elt = value & mask;
  unsigned rotation, ones;
  if (arm64_is_shifted_mask(elt)) {
    rotation = (unsigned)__builtin_ctzll(elt);
    ones = arm64_trailing_ones(elt >> rotation);
  } else {
    /* The run wraps around the element: its complement is a run. */
    elt |= ~mask;
    if (!arm64_is_shifted_mask(~elt))
      return false;
    unsigned leading_ones = (unsigned)__builtin_clzll(~elt);
    rotation = 64 - leading_ones;
    ones = leading_ones + arm64_trailing_ones(elt) - (64 - size);
  }
  unsigned immr = (size - rotation) & (size - 1);
  /* imms: the element size in its high bits (0, 10, 110, ...), ones - 1
   * below; N is set only for 64-bit elements. */
  uint64_t nimms = (~(uint64_t)(size - 1) << 1) | (ones - 1);
  uint32_t n = (uint32_t)((nimms >> 6) & 1) ^ 1;
  *fields = n << 12 | immr << 6 | (uint32_t)(nimms & 0x3f);
  return true;
}

void arm64_logical_imm(wr_codebuf *b, arm64_alu_op op, bool is64, arm64_reg rd, arm64_reg rn,
                       uint32_t fields)
{
  /* sf opc 100100 N immr imms Rn Rd */
  uint32_t opc;
  switch (op) {
  case ARM64_AND:
    opc = 0;
    break;
  case ARM64_ORR:
    opc = 1;
    break;
  case ARM64_EOR:
    opc = 2;
    break;
  default:
    WR_REQUIRE(op == ARM64_ANDS);
    opc = 3;
    break;
  }
  WR_REQUIRE(is64 || !(fields >> 12));
  uint32_t d = op == ARM64_ANDS ? arm64_rz(rd) : arm64_rsp(rd);
  arm64_emit(b, 0x12000000 | arm64_sf(is64) | opc << 29 | (fields & 0x1fff) << 10 |
                    arm64_rz(rn) << 5 | d);
}

void arm64_ror_imm(wr_codebuf *b, bool is64, arm64_reg rd, arm64_reg rn, unsigned amount)
{
  /* EXTR: sf 00 100111 N 0 Rm imms Rn Rd, N = sf, Rm = Rn */
  WR_REQUIRE(amount < (is64 ? 64u : 32u));
  uint32_t base = is64 ? 0x93c00000 : 0x13800000;
  arm64_emit(b,
             base | arm64_rz(rn) << 16 | (uint32_t)amount << 10 | arm64_rz(rn) << 5 | arm64_rz(rd));
}

bool arm64_unscaled_offset_fits(int64_t offset) { return offset >= -256 && offset <= 255; }

void arm64_ldst_unscaled(wr_codebuf *b, arm64_ldst_op op, arm64_reg rt, arm64_reg rn,
                         int32_t offset)
{
  /* size 111 0 00 opc 0 imm9 00 Rn Rt */
  WR_REQUIRE(arm64_unscaled_offset_fits(offset));
  uint32_t size_opc = (uint32_t)(op >> 2) << 30 | (uint32_t)(op & 3) << 22;
  arm64_emit(b, 0x38000000 | size_opc | ((uint32_t)offset & 0x1ff) << 12 | arm64_rsp(rn) << 5 |
                    arm64_rz(rt));
}

void arm64_addsub_ext(wr_codebuf *b, arm64_alu_op op, arm64_reg rd, arm64_reg rn, arm64_reg rm,
                      arm64_index_ext ext, unsigned amount)
{
  /* sf op S 01011 00 1 Rm option imm3 Rn Rd, sf = 1 */
  static const uint32_t base[] = {
      [ARM64_ADD] = 0x8b200000,
      [ARM64_ADDS] = 0xab200000,
      [ARM64_SUB] = 0xcb200000,
      [ARM64_SUBS] = 0xeb200000,
  };
  WR_REQUIRE(op <= ARM64_SUBS && amount <= 4);
  bool sets_flags = op == ARM64_ADDS || op == ARM64_SUBS;
  uint32_t d = sets_flags ? arm64_rz(rd) : arm64_rsp(rd);
  arm64_emit(b, base[op] | arm64_rz(rm) << 16 | (uint32_t)ext << 13 | (uint32_t)amount << 10 |
                    arm64_rsp(rn) << 5 | d);
}

void arm64_adr(wr_codebuf *b, arm64_reg rd, int32_t displacement)
{
  /* 0 immlo 10000 immhi Rd */
  WR_REQUIRE(displacement >= -(1 << 20) && displacement < (1 << 20));
  uint32_t imm = (uint32_t)displacement & 0x1fffff;
  arm64_emit(b, 0x10000000 | (imm & 3) << 29 | (imm >> 2) << 5 | arm64_rgen(rd));
}

static void arm64_pair(wr_codebuf *b, bool is_load, arm64_pair_mode mode, bool is64, arm64_reg rt,
                       arm64_reg rt2, arm64_reg rn, int32_t offset)
{
  /* opc 101 0 mode L imm7 Rt2 Rn Rt; opc 10 is X, 00 is W */
  int32_t scale = is64 ? 8 : 4;
  WR_REQUIRE(offset % scale == 0 && offset / scale >= -64 && offset / scale <= 63);
  uint32_t imm7 = (uint32_t)(offset / scale) & 0x7f;
  uint32_t opc = is64 ? 2u << 30 : 0;
  arm64_emit(b, 0x28000000 | opc | (uint32_t)mode << 23 | (is_load ? 1u << 22 : 0) | imm7 << 15 |
                    arm64_rz(rt2) << 10 | arm64_rsp(rn) << 5 | arm64_rz(rt));
}

void arm64_stp(wr_codebuf *b, arm64_pair_mode mode, bool is64, arm64_reg rt, arm64_reg rt2,
               arm64_reg rn, int32_t offset)
{
  arm64_pair(b, false, mode, is64, rt, rt2, rn, offset);
}

void arm64_ldp(wr_codebuf *b, arm64_pair_mode mode, bool is64, arm64_reg rt, arm64_reg rt2,
               arm64_reg rn, int32_t offset)
{
  arm64_pair(b, true, mode, is64, rt, rt2, rn, offset);
}

/* Emits `insn` (displacement 0: a branch to itself) and returns its offset. */
static size_t arm64_branch(wr_codebuf *b, uint32_t insn)
{
  size_t at = b->len;
  arm64_emit(b, insn);
  return at;
}

size_t arm64_b(wr_codebuf *b) { return arm64_branch(b, 0x14000000); }

size_t arm64_bl(wr_codebuf *b) { return arm64_branch(b, 0x94000000); }

size_t arm64_b_cond(wr_codebuf *b, arm64_cond cc)
{
  return arm64_branch(b, 0x54000000 | (uint32_t)cc);
}

size_t arm64_cbz(wr_codebuf *b, bool is64, arm64_reg rt)
{
  return arm64_branch(b, 0x34000000 | arm64_sf(is64) | arm64_rz(rt));
}

size_t arm64_cbnz(wr_codebuf *b, bool is64, arm64_reg rt)
{
  return arm64_branch(b, 0x35000000 | arm64_sf(is64) | arm64_rz(rt));
}

bool arm64_patch_branch(wr_codebuf *b, size_t at, size_t target)
{
  if (b->failed || at + 4 > b->len || at % 4 || target % 4)
    return false;
  uint32_t insn = 0;
  for (int i = 0; i < 4; i++)
    insn |= (uint32_t)b->data[at + (size_t)i] << (8 * i);
  /* Word displacement, computed without overflow for any size_t pair. */
  int64_t words;
  if (target >= at) {
    if ((target - at) / 4 > (size_t)INT32_MAX)
      return false;
    words = (int64_t)((target - at) / 4);
  } else {
    if ((at - target) / 4 > (size_t)INT32_MAX)
      return false;
    words = -(int64_t)((at - target) / 4);
  }
  unsigned bits;
  unsigned shift;
  if ((insn & 0x7c000000) == 0x14000000) { /* B, BL: imm26 at bit 0 */
    bits = 26;
    shift = 0;
  } else if ((insn & 0xff000010) == 0x54000000 || /* B.cond: imm19 at bit 5 */
             (insn & 0x7e000000) == 0x34000000) { /* CBZ, CBNZ */
    bits = 19;
    shift = 5;
  } else {
    return false;
  }
  int64_t limit = (int64_t)1 << (bits - 1);
  if (words < -limit || words >= limit)
    return false;
  uint32_t mask = (uint32_t)((1u << bits) - 1) << shift;
  insn = (insn & ~mask) | (((uint32_t)words << shift) & mask);
  wr_codebuf_patch_u32(b, at, insn);
  return true;
}

void arm64_br(wr_codebuf *b, arm64_reg rn) { arm64_emit(b, 0xd61f0000 | arm64_rgen(rn) << 5); }

void arm64_blr(wr_codebuf *b, arm64_reg rn) { arm64_emit(b, 0xd63f0000 | arm64_rgen(rn) << 5); }

void arm64_ret(wr_codebuf *b, arm64_reg rn) { arm64_emit(b, 0xd65f0000 | arm64_rgen(rn) << 5); }

void arm64_brk(wr_codebuf *b, uint16_t imm) { arm64_emit(b, 0xd4200000 | (uint32_t)imm << 5); }

void arm64_udf(wr_codebuf *b, uint16_t imm)
{
  /* The permanently undefined encoding: all zeros but the immediate. */
  arm64_emit(b, imm);
}

void arm64_nop(wr_codebuf *b) { arm64_emit(b, 0xd503201f); }

static uint32_t arm64_fp_type(bool is_double) { return is_double ? 1u << 22 : 0; }

static uint32_t arm64_v(arm64_vreg v)
{
  WR_REQUIRE(v < 32);
  return v & 31;
}

void arm64_fp2(wr_codebuf *b, arm64_fp2_op op, bool is_double, arm64_vreg rd, arm64_vreg rn,
               arm64_vreg rm)
{
  /* 000 11110 type 1 Rm opcode 10 Rn Rd */
  arm64_emit(b, 0x1e200800 | arm64_fp_type(is_double) | arm64_v(rm) << 16 | (uint32_t)op << 12 |
                    arm64_v(rn) << 5 | arm64_v(rd));
}

void arm64_fp1(wr_codebuf *b, arm64_fp1_op op, bool is_double, arm64_vreg rd, arm64_vreg rn)
{
  /* 000 11110 type 1 opcode(6) 10000 Rn Rd */
  arm64_emit(b, 0x1e204000 | arm64_fp_type(is_double) | (uint32_t)op << 15 | arm64_v(rn) << 5 |
                    arm64_v(rd));
}

void arm64_fcmp(wr_codebuf *b, bool is_double, arm64_vreg rn, arm64_vreg rm)
{
  /* 000 11110 type 1 Rm 00 1000 Rn 00000 */
  arm64_emit(b, 0x1e202000 | arm64_fp_type(is_double) | arm64_v(rm) << 16 | arm64_v(rn) << 5);
}

void arm64_fcvt(wr_codebuf *b, bool to_double, arm64_vreg rd, arm64_vreg rn)
{
  /* FP one-source with type = source precision, opcode 0001 0 opc where
   * opc is the destination precision (00 single, 01 double). */
  uint32_t opcode = to_double ? 0x05 : 0x04;
  arm64_emit(b, 0x1e204000 | arm64_fp_type(!to_double) | opcode << 15 | arm64_v(rn) << 5 |
                    arm64_v(rd));
}

/* sf 00 11110 type 1 rmode opcode 000000 Rn Rd */
static void arm64_fp_int(wr_codebuf *b, uint32_t rmode_opcode, bool is64, bool is_double,
                         uint32_t rd, uint32_t rn)
{
  arm64_emit(b, 0x1e200000 | arm64_sf(is64) | arm64_fp_type(is_double) | rmode_opcode << 16 |
                    rn << 5 | rd);
}

void arm64_fcvt_int(wr_codebuf *b, arm64_fcvt_int_op op, bool int64, bool is_double, arm64_reg r,
                    arm64_vreg v)
{
  if (op == ARM64_SCVTF || op == ARM64_UCVTF)
    arm64_fp_int(b, (uint32_t)op, int64, is_double, arm64_v(v), arm64_rz(r));
  else
    arm64_fp_int(b, (uint32_t)op, int64, is_double, arm64_rz(r), arm64_v(v));
}

void arm64_fmov_to_fp(wr_codebuf *b, bool is64, arm64_vreg rd, arm64_reg rn)
{
  arm64_fp_int(b, 0x07, is64, is64, arm64_v(rd), arm64_rz(rn));
}

void arm64_fmov_from_fp(wr_codebuf *b, bool is64, arm64_reg rd, arm64_vreg rn)
{
  arm64_fp_int(b, 0x06, is64, is64, arm64_rz(rd), arm64_v(rn));
}

void arm64_fp_ldst_imm(wr_codebuf *b, bool is_load, bool is_double, arm64_vreg rt, arm64_reg rn,
                       uint32_t offset)
{
  /* size 111 1 01 opc imm12 Rn Rt: size 10 for s, 11 for d; opc 01 loads */
  unsigned shift = is_double ? 3 : 2;
  WR_REQUIRE((offset & ((1u << shift) - 1)) == 0 && (offset >> shift) < 0x1000);
  uint32_t size = (is_double ? 3u : 2u) << 30;
  arm64_emit(b, 0x3d000000 | size | (is_load ? 1u << 22 : 0) | (offset >> shift) << 10 |
                    arm64_rsp(rn) << 5 | arm64_v(rt));
}

void arm64_fp_ldst_reg(wr_codebuf *b, bool is_load, bool is_double, arm64_vreg rt, arm64_reg rn,
                       arm64_reg rm, arm64_index_ext ext)
{
  uint32_t size = (is_double ? 3u : 2u) << 30;
  arm64_ldst_reg_raw(b, 0x3c200800 | size | (is_load ? 1u << 22 : 0), arm64_v(rt), rn, rm, ext);
}

void arm64_fp_ldst_unscaled(wr_codebuf *b, bool is_load, bool is_double, arm64_vreg rt,
                            arm64_reg rn, int32_t offset)
{
  /* size 111 1 00 opc 0 imm9 00 Rn Rt */
  WR_REQUIRE(arm64_unscaled_offset_fits(offset));
  uint32_t size = (is_double ? 3u : 2u) << 30;
  arm64_emit(b, 0x3c000000 | size | (is_load ? 1u << 22 : 0) | ((uint32_t)offset & 0x1ff) << 12 |
                    arm64_rsp(rn) << 5 | arm64_v(rt));
}

void arm64_fcsel(wr_codebuf *b, arm64_cond cc, bool is_double, arm64_vreg rd, arm64_vreg rn,
                 arm64_vreg rm)
{
  /* 000 11110 type 1 Rm cond 11 Rn Rd */
  arm64_emit(b, 0x1e200c00 | arm64_fp_type(is_double) | arm64_v(rm) << 16 | (uint32_t)cc << 12 |
                    arm64_v(rn) << 5 | arm64_v(rd));
}

void arm64_cnt_8b(wr_codebuf *b, arm64_vreg rd, arm64_vreg rn)
{
  arm64_emit(b, 0x0e205800 | arm64_v(rn) << 5 | arm64_v(rd));
}

void arm64_addv_8b(wr_codebuf *b, arm64_vreg rd, arm64_vreg rn)
{
  arm64_emit(b, 0x0e31b800 | arm64_v(rn) << 5 | arm64_v(rd));
}
