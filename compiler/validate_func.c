/*
 * validate_func.c - type-checks function bodies and constant expressions.
 *
 * This is the algorithm of the spec's validation appendix: an operand stack
 * of value types (WR_UNKNOWN in unreachable code) and a stack of control
 * frames. The same two stacks are what the code generator will track: the
 * type stack becomes the compiler's operand stack, the control frames its
 * labels. Instructions with a fixed signature are checked from the opcode
 * table (opcodes_*.def); the rest by hand below.
 *
 * When a body fails validation, the error is recorded (decoder.h) and the
 * body is decoded again from the start in decode-only mode (wr_skip_expr),
 * so that a malformed byte later in the module still wins.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compiler/decoder.h"
#include "compiler/limits.h"
#include "compiler/opcodes.h"

struct wr_ctrl_frame {
  uint8_t opcode;   /* WR_OP_BLOCK, _LOOP, _IF, _ELSE; WR_OP_END for the body */
  bool unreachable; /* the rest of this block is unreachable */
  uint32_t height;  /* operand count when the block started */
  uint32_t param_count, result_count;
  const uint8_t *params, *results;
};

/* A fixed signature: up to three params and at most one result. */
typedef struct wr_sig {
  uint8_t param_count;
  uint8_t params[3];
  uint8_t result; /* 0 when none */
} wr_sig;

#define I WR_I32
#define L WR_I64
#define F WR_F32
#define D WR_F64
#define V WR_V128
/* Names read params_results (i=i32 I=i64 f=f32 F=f64 v=v128, x=nothing). */
static const wr_sig wr_sig_i_i = {1, {I}, I}, wr_sig_ii_i = {2, {I, I}, I},
                    wr_sig_I_i = {1, {L}, I}, wr_sig_II_i = {2, {L, L}, I},
                    wr_sig_ff_i = {2, {F, F}, I}, wr_sig_FF_i = {2, {D, D}, I},
                    wr_sig_I_I = {1, {L}, L}, wr_sig_II_I = {2, {L, L}, L},
                    wr_sig_f_f = {1, {F}, F}, wr_sig_ff_f = {2, {F, F}, F},
                    wr_sig_F_F = {1, {D}, D}, wr_sig_FF_F = {2, {D, D}, D},
                    wr_sig_f_i = {1, {F}, I}, wr_sig_F_i = {1, {D}, I}, wr_sig_i_I = {1, {I}, L},
                    wr_sig_f_I = {1, {F}, L}, wr_sig_F_I = {1, {D}, L}, wr_sig_i_f = {1, {I}, F},
                    wr_sig_I_f = {1, {L}, F}, wr_sig_F_f = {1, {D}, F}, wr_sig_i_F = {1, {I}, D},
                    wr_sig_I_F = {1, {L}, D}, wr_sig_f_F = {1, {F}, D},
                    wr_sig_ii_x = {2, {I, I}, 0}, wr_sig_iI_x = {2, {I, L}, 0},
                    wr_sig_if_x = {2, {I, F}, 0}, wr_sig_iF_x = {2, {I, D}, 0},
                    wr_sig_i_v = {1, {I}, V}, wr_sig_iii_x = {3, {I, I, I}, 0},
                    wr_sig_iv_x = {2, {I, V}, 0}, wr_sig_iv_v = {2, {I, V}, V},
                    wr_sig_vv_v = {2, {V, V}, V}, wr_sig_I_v = {1, {L}, V},
                    wr_sig_f_v = {1, {F}, V}, wr_sig_F_v = {1, {D}, V}, wr_sig_v_v = {1, {V}, V},
                    wr_sig_vvv_v = {3, {V, V, V}, V}, wr_sig_v_i = {1, {V}, I},
                    wr_sig_vi_v = {2, {V, I}, V}, wr_sig_v_I = {1, {V}, L},
                    wr_sig_vI_v = {2, {V, L}, V}, wr_sig_v_f = {1, {V}, F},
                    wr_sig_vf_v = {2, {V, F}, V}, wr_sig_v_F = {1, {V}, D},
                    wr_sig_vF_v = {2, {V, D}, V};
#undef I
#undef L
#undef F
#undef D
#undef V

/* Single value types as one-element arrays, for block types like (result i32). */
static const uint8_t wr_single_type[256] = {
    [WR_I32] = WR_I32,
    [WR_I64] = WR_I64,
    [WR_F32] = WR_F32,
    [WR_F64] = WR_F64,
    [WR_V128] = WR_V128,
    [WR_FUNCREF] = WR_FUNCREF,
    [WR_EXTERNREF] = WR_EXTERNREF,
};

const char *wr_valtype_name(uint8_t type)
{
  switch (type) {
  case WR_I32:
    return "i32";
  case WR_I64:
    return "i64";
  case WR_F32:
    return "f32";
  case WR_F64:
    return "f64";
  case WR_V128:
    return "v128";
  case WR_FUNCREF:
    return "funcref";
  case WR_EXTERNREF:
    return "externref";
  case WR_UNKNOWN:
    return "unknown";
  }
  return "not a value type";
}

void wr_func_state_free(wr_func_state *fs)
{
  free(fs->operands);
  free(fs->frames);
  free(fs->local_types);
  memset(fs, 0, sizeof *fs);
}

/* ---- the validator proper ---------------------------------------------- */

/* Per-body validation context; lives on the C stack. */
typedef struct wr_validator {
  wr_decoder *d;
  wr_func_state *fs;
  const wr_module *m;
  const uint8_t *at; /* start of the instruction being validated */
  /* The innermost frame's height and unreachable flag, cached: every pop
   * compares against them. Kept in step by wr_sync_floor. */
  uint32_t floor;
  bool floor_unreachable;
  /* Set by the checks below when they fail; the caller records it. */
  const char *problem;
  uint8_t expected, found;
  bool fatal; /* a limit or allocation failure was already reported */
} wr_validator;

/* Doubles a buffer of `elem`-byte entries up to `limit` entries. Returns
 * the new buffer (the old one is then gone), or NULL after reporting the
 * limit or the allocation failure (the old one is kept). */
static void *wr_grow(wr_validator *v, void *buf, uint32_t *cap, size_t elem, uint32_t limit,
                     const char *what)
{
  uint32_t new_cap = *cap ? *cap * 2 : 64;
  if (new_cap > limit)
    new_cap = limit;
  if (new_cap <= *cap) {
    wr_limit(v->d, v->at, "more than %u %s", limit, what);
    v->fatal = true;
    return NULL;
  }
  void *p = realloc(buf, (size_t)new_cap * elem);
  if (!p) {
    wr_nomem(v->d, v->at, what);
    v->fatal = true;
    return NULL;
  }
  *cap = new_cap;
  return p;
}

static inline bool wr_push(wr_validator *v, uint8_t type)
{
  wr_func_state *fs = v->fs;
  if (__builtin_expect(fs->operand_count == fs->operand_capacity, 0)) {
    uint8_t *grown = wr_grow(v, fs->operands, &fs->operand_capacity, 1, WR_MAX_OPERAND_STACK,
                             "values on the operand stack");
    if (!grown)
      return false;
    fs->operands = grown;
  }
  fs->operands[fs->operand_count++] = type;
  return true;
}

static inline wr_ctrl_frame *wr_top(wr_validator *v)
{
  return &v->fs->frames[v->fs->frame_count - 1];
}

/* Call whenever the innermost frame changes or its flag does. */
static inline void wr_sync_floor(wr_validator *v)
{
  const wr_ctrl_frame *top = wr_top(v);
  v->floor = top->height;
  v->floor_unreachable = top->unreachable;
}

/* Pops any value; WR_UNKNOWN in unreachable code. */
static inline bool wr_pop_any(wr_validator *v, uint8_t *out)
{
  wr_func_state *fs = v->fs;
  if (fs->operand_count == v->floor) {
    if (v->floor_unreachable) {
      *out = WR_UNKNOWN;
      return true;
    }
    v->problem = "type mismatch: operand stack is empty";
    return false;
  }
  *out = fs->operands[--fs->operand_count];
  return true;
}

static inline bool wr_pop_expect(wr_validator *v, uint8_t expected, uint8_t *out)
{
  wr_func_state *fs = v->fs;
  if (__builtin_expect(fs->operand_count > v->floor, 1)) {
    uint8_t t = fs->operands[fs->operand_count - 1];
    if (t == expected || t == WR_UNKNOWN || expected == WR_UNKNOWN) {
      fs->operand_count--;
      if (out)
        *out = t;
      return true;
    }
    v->problem = "type mismatch";
    v->expected = expected;
    v->found = t;
    return false;
  }
  if (v->floor_unreachable) {
    if (out)
      *out = WR_UNKNOWN;
    return true;
  }
  v->problem = "type mismatch: operand stack is empty";
  v->expected = expected;
  return false;
}

static inline bool wr_pop(wr_validator *v, uint8_t expected)
{
  return wr_pop_expect(v, expected, NULL);
}

static bool wr_pop_types(wr_validator *v, const uint8_t *types, uint32_t count)
{
  for (uint32_t i = count; i-- > 0;)
    if (!wr_pop(v, types[i]))
      return false;
  return true;
}

static bool wr_push_types(wr_validator *v, const uint8_t *types, uint32_t count)
{
  for (uint32_t i = 0; i < count; i++)
    if (!wr_push(v, types[i]))
      return false;
  return true;
}

static inline __attribute__((always_inline)) bool wr_apply_sig(wr_validator *v, const wr_sig *sig)
{
  /* Fast path: every operand present and of exactly the expected type; the
   * result then takes the place of the first operand, so no growth check. */
  wr_func_state *fs = v->fs;
  uint32_t k = sig->param_count;
  if (__builtin_expect(fs->operand_count >= v->floor + k, 1)) {
    uint8_t *top = fs->operands + fs->operand_count - k;
    bool same = top[0] == sig->params[0];
    if (k > 1)
      same &= top[1] == sig->params[1];
    if (k > 2)
      same &= top[2] == sig->params[2];
    if (__builtin_expect(same, 1)) {
      if (sig->result) {
        top[0] = sig->result;
        fs->operand_count -= k - 1;
      } else {
        fs->operand_count -= k;
      }
      return true;
    }
  }
  for (unsigned i = sig->param_count; i-- > 0;)
    if (!wr_pop(v, sig->params[i]))
      return false;
  return sig->result == 0 || wr_push(v, sig->result);
}

static bool wr_push_frame(wr_validator *v, uint8_t opcode, uint32_t param_count,
                          const uint8_t *params, uint32_t result_count, const uint8_t *results)
{
  wr_func_state *fs = v->fs;
  if (fs->frame_count == fs->frame_capacity) {
    wr_ctrl_frame *grown = wr_grow(v, fs->frames, &fs->frame_capacity, sizeof(wr_ctrl_frame),
                                   WR_MAX_NESTING + 1, "nested blocks");
    if (!grown)
      return false;
    fs->frames = grown;
  }
  wr_ctrl_frame *f = &fs->frames[fs->frame_count++];
  f->opcode = opcode;
  f->unreachable = false;
  f->height = fs->operand_count;
  f->param_count = param_count;
  f->params = params;
  f->result_count = result_count;
  f->results = results;
  wr_sync_floor(v);
  return wr_push_types(v, params, param_count);
}

/* Checks the block's results are exactly what is left above its height. */
static bool wr_check_frame_end(wr_validator *v, const wr_ctrl_frame *f)
{
  if (!wr_pop_types(v, f->results, f->result_count))
    return false;
  if (v->fs->operand_count != f->height) {
    v->problem = "type mismatch: values remain on the stack at the end of the block";
    return false;
  }
  return true;
}

static void wr_set_unreachable(wr_validator *v)
{
  wr_ctrl_frame *top = wr_top(v);
  v->fs->operand_count = top->height;
  top->unreachable = true;
  v->floor_unreachable = true;
}

static inline void wr_label_types(const wr_ctrl_frame *f, const uint8_t **types, uint32_t *count)
{
  if (f->opcode == WR_OP_LOOP) {
    *types = f->params;
    *count = f->param_count;
  } else {
    *types = f->results;
    *count = f->result_count;
  }
}

/* ---- reading immediates ------------------------------------------------ */

#define WR_READ(call, what)                                                                        \
  do {                                                                                             \
    wr_read_status wr_st_ = (call);                                                                \
    if (wr_st_ != WR_READ_OK) {                                                                    \
      wr_read_failed(d, p, wr_st_, what);                                                          \
      goto fatal;                                                                                  \
    }                                                                                              \
  } while (0)

/* Reads a block type. On success sets params/results; returns false on a
 * fatal error, and sets *invalid_index when it names an unknown type. */
static bool wr_read_blocktype(wr_decoder *d, const uint8_t **pp, const uint8_t *end, bool resolve,
                              uint32_t *param_count, const uint8_t **params, uint32_t *result_count,
                              const uint8_t **results, bool *unknown_type)
{
  const uint8_t *p = *pp;
  *unknown_type = false;
  *param_count = 0;
  *params = NULL;
  *result_count = 0;
  *results = NULL;
  if (p >= end)
    return wr_read_failed(d, p, WR_READ_END, "block type");
  uint8_t b = *p;
  if (b == 0x40) {
    *pp = p + 1;
    return true;
  }
  if (wr_is_valtype(b)) {
    *result_count = 1;
    *results = &wr_single_type[b];
    *pp = p + 1;
    return true;
  }
  int64_t index;
  wr_read_status st = wr_read_s33(&p, end, &index);
  if (st != WR_READ_OK)
    return wr_read_failed(d, p, st, "block type");
  if (index < 0)
    return wr_malformed(d, *pp, "malformed block type 0x%02x", b);
  *pp = p;
  if (!resolve)
    return true;
  const wr_module *m = d->m;
  if ((uint64_t)index >= m->type_count) {
    *unknown_type = true;
    return true;
  }
  const wr_functype *t = &m->types[index];
  *param_count = t->param_count;
  *params = wr_functype_params(m, t);
  *result_count = t->result_count;
  *results = wr_functype_results(m, t);
  return true;
}

static bool wr_read_memarg(wr_decoder *d, const uint8_t **pp, const uint8_t *end, uint32_t *align,
                           uint32_t *offset)
{
  wr_read_status st = wr_read_u32(pp, end, align);
  if (st != WR_READ_OK)
    return wr_read_failed(d, *pp, st, "memory alignment");
  st = wr_read_u32(pp, end, offset);
  if (st != WR_READ_OK)
    return wr_read_failed(d, *pp, st, "memory offset");
  return true;
}

static bool wr_expect_zero_byte(wr_decoder *d, const uint8_t **pp, const uint8_t *end)
{
  const uint8_t *p = *pp;
  if (p >= end)
    return wr_read_failed(d, p, WR_READ_END, "reserved byte");
  if (*p != 0)
    return wr_malformed(d, p, "zero byte expected");
  *pp = p + 1;
  return true;
}

static bool wr_require_data_count(wr_decoder *d, const uint8_t *at)
{
  if (!d->m->has_data_count)
    return wr_malformed(d, at, "data count section required");
  return true;
}

/* ---- decode-only pass --------------------------------------------------- */

/* Skips one instruction's immediates. `at` is the opcode's first byte. */
static bool wr_skip_immediates(wr_decoder *d, const uint8_t *at, wr_imm_kind imm,
                               const uint8_t **pp, const uint8_t *end)
{
  const uint8_t *p = *pp;
  uint32_t u, n;
  int32_t s32;
  int64_t s64;
  switch (imm) {
  case WR_IMM_UNKNOWN:
    return wr_malformed(d, at, "illegal opcode 0x%02x", *at);
  case WR_IMM_NONE:
    break;
  case WR_IMM_BLOCKTYPE: {
    uint32_t pc, rc;
    const uint8_t *pt, *rt;
    bool unknown;
    if (!wr_read_blocktype(d, &p, end, false, &pc, &pt, &rc, &rt, &unknown))
      return false;
    break;
  }
  case WR_IMM_U32:
    WR_READ(wr_read_u32(&p, end, &u), "index");
    break;
  case WR_IMM_U32_U32:
    WR_READ(wr_read_u32(&p, end, &u), "index");
    WR_READ(wr_read_u32(&p, end, &u), "index");
    break;
  case WR_IMM_BR_TABLE:
    WR_READ(wr_read_u32(&p, end, &n), "br_table size");
    if ((size_t)(end - p) < n)
      return wr_read_failed(d, end, WR_READ_END, "br_table targets");
    for (uint32_t i = 0; i <= n; i++)
      WR_READ(wr_read_u32(&p, end, &u), "br_table target");
    break;
  case WR_IMM_VALTYPES:
    WR_READ(wr_read_u32(&p, end, &n), "select type count");
    for (uint32_t i = 0; i < n; i++) {
      if (p >= end)
        return wr_read_failed(d, p, WR_READ_END, "select type");
      if (!wr_is_valtype(*p))
        return wr_malformed(d, p, "malformed value type 0x%02x", *p);
      p++;
    }
    break;
  case WR_IMM_MEMARG:
    if (!wr_read_memarg(d, &p, end, &u, &n))
      return false;
    break;
  case WR_IMM_MEMARG_LANE:
    if (!wr_read_memarg(d, &p, end, &u, &n))
      return false;
    if (p >= end)
      return wr_read_failed(d, p, WR_READ_END, "lane index");
    p++;
    break;
  case WR_IMM_LANE:
    if (p >= end)
      return wr_read_failed(d, p, WR_READ_END, "lane index");
    p++;
    break;
  case WR_IMM_ZERO_BYTE:
    if (!wr_expect_zero_byte(d, &p, end))
      return false;
    break;
  case WR_IMM_TWO_ZERO_BYTES:
    if (!wr_expect_zero_byte(d, &p, end) || !wr_expect_zero_byte(d, &p, end))
      return false;
    break;
  case WR_IMM_U32_ZERO_BYTE:
    WR_READ(wr_read_u32(&p, end, &u), "index");
    if (!wr_expect_zero_byte(d, &p, end))
      return false;
    break;
  case WR_IMM_S32:
    WR_READ(wr_read_s32(&p, end, &s32), "i32 constant");
    break;
  case WR_IMM_S64:
    WR_READ(wr_read_s64(&p, end, &s64), "i64 constant");
    break;
  case WR_IMM_BYTES4:
  case WR_IMM_BYTES8:
  case WR_IMM_BYTES16:
  case WR_IMM_SHUFFLE: {
    size_t size = imm == WR_IMM_BYTES4 ? 4 : imm == WR_IMM_BYTES8 ? 8 : 16;
    if ((size_t)(end - p) < size)
      return wr_read_failed(d, end, WR_READ_END, "constant");
    p += size;
    break;
  }
  case WR_IMM_REFTYPE:
    if (p >= end)
      return wr_read_failed(d, p, WR_READ_END, "reference type");
    if (!wr_is_reftype(*p))
      return wr_malformed(d, p, "malformed reference type 0x%02x", *p);
    p++;
    break;
  }
  *pp = p;
  return true;
fatal:
  return false;
}

/*
 * Decodes instructions from *pp without type checking, up to and including
 * the `end` that closes `depth` open blocks (1 for a body or a constant
 * expression). Checks everything the binary format itself requires: known
 * opcodes, well-formed immediates, `else` only inside `if`, and (for
 * bodies) that the closing `end` is the last byte.
 */
static bool wr_skip_expr(wr_decoder *d, const uint8_t **pp, const uint8_t *end, bool is_body)
{
  const uint8_t *p = *pp;
  /* One byte per open block: 1 for an `if` still without `else`. The
   * operand buffer is free while skipping. */
  wr_func_state *fs = &d->fs;
  uint32_t depth = 0;
  for (;;) {
    if (p >= end) {
      if (is_body)
        return wr_malformed(d, p, "END opcode expected");
      return wr_read_failed(d, p, WR_READ_END, "constant expression");
    }
    const uint8_t *at = p;
    uint8_t op = *p++;
    unsigned prefix = WR_PREFIX_NONE;
    uint32_t code = op;
    if (op == WR_PREFIX_FC || op == WR_PREFIX_FD) {
      prefix = op;
      WR_READ(wr_read_u32(&p, end, &code), "opcode");
    }
    wr_imm_kind imm = wr_opcode_imm(prefix, code);
    if (imm == WR_IMM_UNKNOWN) {
      if (prefix)
        return wr_malformed(d, at, "illegal opcode 0x%02x 0x%x", prefix, code);
      return wr_malformed(d, at, "illegal opcode 0x%02x", op);
    }
    if (prefix == WR_PREFIX_FC && (code == WR_OPFC_MEMORY_INIT || code == WR_OPFC_DATA_DROP) &&
        !wr_require_data_count(d, at))
      return false;
    if (!wr_skip_immediates(d, at, imm, &p, end))
      return false;
    if (prefix)
      continue;
    if (op == WR_OP_BLOCK || op == WR_OP_LOOP || op == WR_OP_IF) {
      if (depth == fs->operand_capacity) {
        wr_validator v = {.d = d, .fs = fs, .m = d->m, .at = at};
        uint8_t *grown =
            wr_grow(&v, fs->operands, &fs->operand_capacity, 1, WR_MAX_NESTING, "nested blocks");
        if (!grown)
          return false;
        fs->operands = grown;
      }
      fs->operands[depth++] = op == WR_OP_IF;
    } else if (op == WR_OP_ELSE) {
      if (depth == 0 || !fs->operands[depth - 1])
        return wr_malformed(d, at, "else without matching if");
      fs->operands[depth - 1] = 0;
    } else if (op == WR_OP_END) {
      if (depth == 0)
        break;
      depth--;
    }
  }
  if (is_body && p != end)
    return wr_malformed(d, p, "section size mismatch: bytes after the function's final end");
  *pp = p;
  return true;
fatal:
  return false;
}

/* ---- locals ------------------------------------------------------------- */

static bool wr_read_locals(wr_decoder *d, const wr_functype *type, const uint8_t **pp,
                           const uint8_t *end)
{
  const uint8_t *p = *pp;
  wr_func_state *fs = &d->fs;
  uint32_t groups;
  WR_READ(wr_read_u32(&p, end, &groups), "local declaration count");
  /* First pass: the total, so that "too many locals" (malformed at 2^32)
   * is told apart from our own limit. */
  const uint8_t *groups_start = p;
  uint64_t total = type ? type->param_count : 0;
  for (uint32_t i = 0; i < groups; i++) {
    uint32_t n;
    WR_READ(wr_read_u32(&p, end, &n), "local count");
    if (p >= end)
      return wr_read_failed(d, p, WR_READ_END, "local type");
    if (!wr_is_valtype(*p))
      return wr_malformed(d, p, "malformed value type 0x%02x", *p);
    p++;
    total += n;
    if (total > UINT32_MAX)
      return wr_malformed(d, p, "too many locals");
  }
  if (total > WR_MAX_LOCALS)
    return wr_limit(d, groups_start, "%llu locals exceed the limit of %u",
                    (unsigned long long)total, WR_MAX_LOCALS);
  if (type) {
    if (total > fs->local_capacity || !fs->local_types) {
      /* Never zero bytes: memcpy and memset below want a real pointer. */
      uint8_t *buf = realloc(fs->local_types, total ? (size_t)total : 1);
      if (!buf)
        return wr_nomem(d, p, "local types");
      fs->local_types = buf;
      fs->local_capacity = (uint32_t)total;
    }
    memcpy(fs->local_types, wr_functype_params(d->m, type), type->param_count);
    uint32_t k = type->param_count;
    const uint8_t *q = groups_start;
    for (uint32_t i = 0; i < groups; i++) {
      uint32_t n;
      (void)wr_read_u32(&q, end, &n);
      memset(fs->local_types + k, *q++, n);
      k += n;
    }
    fs->local_count = k;
  }
  *pp = p;
  return true;
fatal:
  return false;
}

/* ---- function bodies ---------------------------------------------------- */

static const char *wr_type_pair_text(uint8_t expected, char *buf, size_t size, uint8_t found,
                                     bool have_found)
{
  if (have_found)
    snprintf(buf, size, ": expected %s, found %s", wr_valtype_name(expected),
             wr_valtype_name(found));
  else
    snprintf(buf, size, ": expected %s", wr_valtype_name(expected));
  return buf;
}

typedef enum wr_memarg_check {
  WR_MEMARG_OK,
  WR_MEMARG_INVALID, /* v->problem says why */
  WR_MEMARG_FATAL,   /* already reported */
} wr_memarg_check;

/* Reads a memarg and checks it against the module's memory and the
 * access's natural alignment (2^natural_align bytes). */
static inline wr_memarg_check wr_check_memarg(wr_validator *v, const uint8_t **pp,
                                              const uint8_t *end, uint32_t natural_align)
{
  uint32_t align, offset;
  if (!wr_read_memarg(v->d, pp, end, &align, &offset))
    return WR_MEMARG_FATAL;
  if (v->m->memory_count == 0) {
    v->problem = "unknown memory 0";
    return WR_MEMARG_INVALID;
  }
  if (align > natural_align) {
    v->problem = "alignment must not be larger than natural";
    return WR_MEMARG_INVALID;
  }
  return WR_MEMARG_OK;
}

/* Validates the instructions of a body whose locals were read; on a
 * validation error fills v->problem (and returns false with !v->fatal). */
static bool wr_check_body(wr_validator *v, const wr_functype *type, const uint8_t **pp,
                          const uint8_t *end);

bool wr_validate_function(wr_decoder *d, uint32_t func_index, const uint8_t **pp,
                          const uint8_t *end)
{
  const wr_module *m = d->m;
  const wr_functype *type = NULL;
  if (!d->invalid) {
    uint32_t ti = m->functions[func_index].type_index;
    type = &m->types[ti];
  }
  if (!wr_read_locals(d, type, pp, end))
    return false;
  const uint8_t *body = *pp;
  if (!d->invalid) {
    wr_validator v = {.d = d, .fs = &d->fs, .m = m, .at = body};
    if (wr_check_body(&v, type, pp, end))
      return true;
    if (v.fatal)
      return false;
    char detail[96] = "";
    if (strcmp(v.problem, "type mismatch") == 0)
      wr_type_pair_text(v.expected, detail, sizeof detail, v.found, true);
    const char *name = NULL;
    uint32_t code = *v.at;
    unsigned prefix = WR_PREFIX_NONE;
    if (code == WR_PREFIX_FC || code == WR_PREFIX_FD) {
      const uint8_t *q = v.at + 1;
      prefix = code;
      if (wr_read_u32(&q, end, &code) != WR_READ_OK)
        code = 0x100;
    }
    name = wr_opcode_name(prefix, code);
    wr_invalid(d, v.at, "%s%s (at %s)", v.problem, detail, name ? name : "?");
    *pp = body;
  }
  return wr_skip_expr(d, pp, end, true);
}

#undef WR_READ
#define WR_READ(call, what)                                                                        \
  do {                                                                                             \
    wr_read_status wr_st_ = (call);                                                                \
    if (wr_st_ != WR_READ_OK) {                                                                    \
      wr_read_failed(d, p, wr_st_, what);                                                          \
      goto fatal;                                                                                  \
    }                                                                                              \
  } while (0)
#define FAIL(text)                                                                                 \
  do {                                                                                             \
    v->problem = (text);                                                                           \
    goto invalid;                                                                                  \
  } while (0)
/* Reads a table index into `et` as that table's element type. */
#define READ_TABLE(et)                                                                             \
  do {                                                                                             \
    uint32_t table_;                                                                               \
    WR_READ(wr_read_u32(&p, end, &table_), "table index");                                         \
    if (table_ >= m->table_count)                                                                  \
      FAIL("unknown table");                                                                       \
    (et) = m->tables[table_].elem_type;                                                            \
  } while (0)
#define CHECK_MEMARG(natural_align)                                                                \
  do {                                                                                             \
    wr_memarg_check memarg_ = wr_check_memarg(v, &p, end, (natural_align));                        \
    if (memarg_ == WR_MEMARG_FATAL)                                                                \
      goto fatal;                                                                                  \
    if (memarg_ == WR_MEMARG_INVALID)                                                              \
      goto invalid;                                                                                \
  } while (0)
#define CHECK(expr)                                                                                \
  do {                                                                                             \
    if (!(expr))                                                                                   \
      goto check_failed;                                                                           \
  } while (0)

static bool wr_check_body(wr_validator *v, const wr_functype *type, const uint8_t **pp,
                          const uint8_t *end)
{
  wr_decoder *d = v->d;
  wr_func_state *fs = v->fs;
  const wr_module *m = v->m;
  const uint8_t *p = *pp;
  fs->operand_count = 0;
  fs->frame_count = 0;
  CHECK(wr_push_frame(v, WR_OP_END, 0, NULL, type->result_count, wr_functype_results(m, type)));
  const uint8_t *results = wr_functype_results(m, type);

  for (;;) {
    if (__builtin_expect(p >= end, 0)) {
      wr_malformed(d, p, "END opcode expected");
      goto fatal;
    }
    v->at = p;
    uint8_t op = *p++;
    const wr_sig *sig;
    uint32_t natural_align;
    switch (op) {
      /* The single-byte numeric instructions are the bulk of real code: each
       * gets its own copy of the signature check, specialized by the compiler
       * for its constant signature. */
#define WR_SIMPLE(code, name, text, sg)                                                            \
  case code:                                                                                       \
    CHECK(wr_apply_sig(v, &wr_sig_##sg));                                                          \
    continue;
#define WR_MEMOP(code, name, text, sg, align)                                                      \
  case code:                                                                                       \
    CHECK_MEMARG(align);                                                                           \
    CHECK(wr_apply_sig(v, &wr_sig_##sg));                                                          \
    continue;
#include "compiler/opcodes_main.def"

    case WR_OP_UNREACHABLE:
      wr_set_unreachable(v);
      continue;
    case WR_OP_NOP:
      continue;
    case WR_OP_BLOCK:
    case WR_OP_LOOP:
    case WR_OP_IF: {
      uint32_t pc, rc;
      const uint8_t *pt, *rt;
      bool unknown;
      if (!wr_read_blocktype(d, &p, end, true, &pc, &pt, &rc, &rt, &unknown))
        goto fatal;
      if (unknown)
        FAIL("unknown type");
      if (op == WR_OP_IF)
        CHECK(wr_pop(v, WR_I32));
      CHECK(wr_pop_types(v, pt, pc));
      CHECK(wr_push_frame(v, op, pc, pt, rc, rt));
      continue;
    }
    case WR_OP_ELSE: {
      wr_ctrl_frame *top = wr_top(v);
      if (top->opcode != WR_OP_IF) {
        wr_malformed(d, v->at, "else without matching if");
        goto fatal;
      }
      CHECK(wr_check_frame_end(v, top));
      top->opcode = WR_OP_ELSE;
      top->unreachable = false;
      v->floor_unreachable = false;
      CHECK(wr_push_types(v, top->params, top->param_count));
      continue;
    }
    case WR_OP_END: {
      wr_ctrl_frame *top = wr_top(v);
      CHECK(wr_check_frame_end(v, top));
      if (top->opcode == WR_OP_IF) {
        /* An `if` without `else` has an empty else branch: it must turn its
         * params into its results unchanged. */
        bool same =
            top->param_count == top->result_count &&
            (top->param_count == 0 || memcmp(top->params, top->results, top->param_count) == 0);
        if (!same)
          FAIL("type mismatch: if without else must not change the stack's types");
      }
      fs->frame_count--;
      if (fs->frame_count == 0) {
        if (p != end) {
          wr_malformed(d, p, "section size mismatch: bytes after the function's final end");
          goto fatal;
        }
        *pp = p;
        return true;
      }
      wr_sync_floor(v);
      CHECK(wr_push_types(v, top->results, top->result_count));
      continue;
    }
    case WR_OP_BR:
    case WR_OP_BR_IF: {
      uint32_t label;
      WR_READ(wr_read_u32(&p, end, &label), "label");
      if (label >= fs->frame_count)
        FAIL("unknown label");
      if (op == WR_OP_BR_IF)
        CHECK(wr_pop(v, WR_I32));
      const uint8_t *lt;
      uint32_t ln;
      wr_label_types(&fs->frames[fs->frame_count - 1 - label], &lt, &ln);
      CHECK(wr_pop_types(v, lt, ln));
      if (op == WR_OP_BR)
        wr_set_unreachable(v);
      else
        CHECK(wr_push_types(v, lt, ln));
      continue;
    }
    case WR_OP_BR_TABLE: {
      uint32_t count;
      WR_READ(wr_read_u32(&p, end, &count), "br_table size");
      if (count > (size_t)(end - p)) {
        wr_malformed(d, v->at, "length out of bounds: br_table of %u targets", count);
        goto fatal;
      }
      if (count > WR_MAX_BR_TABLE_SIZE) {
        wr_limit(d, v->at, "br_table with %u targets exceeds the limit of %u", count,
                 WR_MAX_BR_TABLE_SIZE);
        goto fatal;
      }
      /* The default target comes last but fixes the arity: find it first. */
      const uint8_t *targets = p;
      uint32_t label;
      for (uint32_t i = 0; i < count; i++)
        WR_READ(wr_read_u32(&p, end, &label), "br_table target");
      uint32_t default_label;
      WR_READ(wr_read_u32(&p, end, &default_label), "br_table default");
      CHECK(wr_pop(v, WR_I32));
      if (default_label >= fs->frame_count)
        FAIL("unknown label");
      const uint8_t *dt;
      uint32_t arity;
      wr_label_types(&fs->frames[fs->frame_count - 1 - default_label], &dt, &arity);
      const uint8_t *q = targets;
      for (uint32_t i = 0; i < count; i++) {
        (void)wr_read_u32(&q, end, &label);
        if (label >= fs->frame_count)
          FAIL("unknown label");
        const uint8_t *lt;
        uint32_t ln;
        wr_label_types(&fs->frames[fs->frame_count - 1 - label], &lt, &ln);
        if (ln != arity)
          FAIL("type mismatch: br_table targets differ in arity");
        /* Pop against this label, then put back what was really there, so
         * that unknown types stay unknown for the next target. */
        uint8_t popped[16];
        if (ln <= sizeof popped) {
          /* k - 1 < ln <= 16: the mask changes nothing but lets gcc -O3 see
           * the index is in range (it warned of a write at offset 2^32-1). */
          for (uint32_t k = ln; k > 0; k--)
            CHECK(wr_pop_expect(v, lt[k - 1], &popped[(k - 1) & 15]));
          CHECK(wr_push_types(v, popped, ln));
        } else {
          uint32_t saved = fs->operand_count;
          CHECK(wr_pop_types(v, lt, ln));
          fs->operand_count = saved;
        }
      }
      CHECK(wr_pop_types(v, dt, arity));
      wr_set_unreachable(v);
      continue;
    }
    case WR_OP_RETURN:
      CHECK(wr_pop_types(v, results, type->result_count));
      wr_set_unreachable(v);
      continue;
    case WR_OP_CALL: {
      uint32_t fi;
      WR_READ(wr_read_u32(&p, end, &fi), "function index");
      if (fi >= m->function_count)
        FAIL("unknown function");
      const wr_functype *t = &m->types[m->functions[fi].type_index];
      CHECK(wr_pop_types(v, wr_functype_params(m, t), t->param_count));
      CHECK(wr_push_types(v, wr_functype_results(m, t), t->result_count));
      continue;
    }
    case WR_OP_CALL_INDIRECT: {
      uint32_t ti;
      uint8_t et;
      WR_READ(wr_read_u32(&p, end, &ti), "type index");
      READ_TABLE(et);
      if (et != WR_FUNCREF)
        FAIL("type mismatch: call_indirect needs a funcref table");
      if (ti >= m->type_count)
        FAIL("unknown type");
      CHECK(wr_pop(v, WR_I32));
      const wr_functype *t = &m->types[ti];
      CHECK(wr_pop_types(v, wr_functype_params(m, t), t->param_count));
      CHECK(wr_push_types(v, wr_functype_results(m, t), t->result_count));
      continue;
    }
    case WR_OP_DROP: {
      uint8_t t;
      CHECK(wr_pop_any(v, &t));
      continue;
    }
    case WR_OP_SELECT: {
      uint8_t t1, t2;
      CHECK(wr_pop(v, WR_I32));
      CHECK(wr_pop_any(v, &t1));
      CHECK(wr_pop_any(v, &t2));
      if (wr_is_reftype(t1) || wr_is_reftype(t2))
        FAIL("type mismatch: select without a type cannot choose references");
      if (t1 != t2 && t1 != WR_UNKNOWN && t2 != WR_UNKNOWN)
        FAIL("type mismatch: select operands differ");
      CHECK(wr_push(v, t1 == WR_UNKNOWN ? t2 : t1));
      continue;
    }
    case WR_OP_SELECT_T: {
      uint32_t n;
      WR_READ(wr_read_u32(&p, end, &n), "select type count");
      if (n != 1) {
        /* Decode the vector (it must be well-formed) before judging it. */
        for (uint32_t i = 0; i < n; i++) {
          if (p >= end) {
            wr_read_failed(d, p, WR_READ_END, "select type");
            goto fatal;
          }
          if (!wr_is_valtype(*p)) {
            wr_malformed(d, p, "malformed value type 0x%02x", *p);
            goto fatal;
          }
          p++;
        }
        FAIL("invalid result arity: select takes exactly one type");
      }
      if (p >= end) {
        wr_read_failed(d, p, WR_READ_END, "select type");
        goto fatal;
      }
      uint8_t t = *p++;
      if (!wr_is_valtype(t)) {
        wr_malformed(d, p - 1, "malformed value type 0x%02x", t);
        goto fatal;
      }
      CHECK(wr_pop(v, WR_I32));
      CHECK(wr_pop(v, t));
      CHECK(wr_pop(v, t));
      CHECK(wr_push(v, t));
      continue;
    }
    case WR_OP_LOCAL_GET:
    case WR_OP_LOCAL_SET:
    case WR_OP_LOCAL_TEE: {
      uint32_t li;
      WR_READ(wr_read_u32(&p, end, &li), "local index");
      if (li >= fs->local_count)
        FAIL("unknown local");
      uint8_t t = fs->local_types[li];
      if (op != WR_OP_LOCAL_GET)
        CHECK(wr_pop(v, t));
      if (op != WR_OP_LOCAL_SET)
        CHECK(wr_push(v, t));
      continue;
    }
    case WR_OP_GLOBAL_GET:
    case WR_OP_GLOBAL_SET: {
      uint32_t gi;
      WR_READ(wr_read_u32(&p, end, &gi), "global index");
      if (gi >= m->global_count)
        FAIL("unknown global");
      const wr_globaltype *g = &m->globals[gi].type;
      if (op == WR_OP_GLOBAL_GET) {
        CHECK(wr_push(v, g->type));
      } else {
        if (!g->mutable_)
          FAIL("global is immutable");
        CHECK(wr_pop(v, g->type));
      }
      continue;
    }
    case WR_OP_TABLE_GET:
    case WR_OP_TABLE_SET: {
      uint8_t et;
      READ_TABLE(et);
      if (op == WR_OP_TABLE_GET) {
        CHECK(wr_pop(v, WR_I32));
        CHECK(wr_push(v, et));
      } else {
        CHECK(wr_pop(v, et));
        CHECK(wr_pop(v, WR_I32));
      }
      continue;
    }
    case WR_OP_MEMORY_SIZE:
    case WR_OP_MEMORY_GROW:
      if (!wr_expect_zero_byte(d, &p, end))
        goto fatal;
      if (m->memory_count == 0)
        FAIL("unknown memory 0");
      if (op == WR_OP_MEMORY_GROW)
        CHECK(wr_pop(v, WR_I32));
      CHECK(wr_push(v, WR_I32));
      continue;
    case WR_OP_I32_CONST: {
      int32_t c;
      WR_READ(wr_read_s32(&p, end, &c), "i32 constant");
      CHECK(wr_push(v, WR_I32));
      continue;
    }
    case WR_OP_I64_CONST: {
      int64_t c;
      WR_READ(wr_read_s64(&p, end, &c), "i64 constant");
      CHECK(wr_push(v, WR_I64));
      continue;
    }
    case WR_OP_F32_CONST:
    case WR_OP_F64_CONST: {
      size_t size = op == WR_OP_F32_CONST ? 4 : 8;
      if ((size_t)(end - p) < size) {
        wr_read_failed(d, end, WR_READ_END, "float constant");
        goto fatal;
      }
      p += size;
      CHECK(wr_push(v, op == WR_OP_F32_CONST ? WR_F32 : WR_F64));
      continue;
    }
    case WR_OP_REF_NULL:
      if (p >= end) {
        wr_read_failed(d, p, WR_READ_END, "reference type");
        goto fatal;
      }
      if (!wr_is_reftype(*p)) {
        wr_malformed(d, p, "malformed reference type 0x%02x", *p);
        goto fatal;
      }
      CHECK(wr_push(v, *p++));
      continue;
    case WR_OP_REF_IS_NULL: {
      uint8_t t;
      CHECK(wr_pop_any(v, &t));
      if (t != WR_UNKNOWN && !wr_is_reftype(t))
        FAIL("type mismatch: ref.is_null needs a reference");
      CHECK(wr_push(v, WR_I32));
      continue;
    }
    case WR_OP_REF_FUNC: {
      uint32_t fi;
      WR_READ(wr_read_u32(&p, end, &fi), "function index");
      if (fi >= m->function_count)
        FAIL("unknown function");
      if (!(d->declared_refs[fi >> 3] & (1u << (fi & 7))))
        FAIL("undeclared function reference");
      CHECK(wr_push(v, WR_FUNCREF));
      continue;
    }
    case WR_PREFIX_FC: {
      uint32_t sub;
      WR_READ(wr_read_u32(&p, end, &sub), "opcode");
      switch (sub) {
#undef WR_SIMPLE
#undef WR_MEMOP
#define WR_SIMPLE(code, name, text, sg)                                                            \
  case code:                                                                                       \
    sig = &wr_sig_##sg;                                                                            \
    goto apply_sig;
#include "compiler/opcodes_fc.def"
      case WR_OPFC_MEMORY_INIT:
      case WR_OPFC_DATA_DROP: {
        uint32_t seg;
        if (!wr_require_data_count(d, v->at))
          goto fatal;
        WR_READ(wr_read_u32(&p, end, &seg), "data segment index");
        if (sub == WR_OPFC_MEMORY_INIT && !wr_expect_zero_byte(d, &p, end))
          goto fatal;
        if (sub == WR_OPFC_MEMORY_INIT && m->memory_count == 0)
          FAIL("unknown memory 0");
        if (seg >= m->data_count_declared)
          FAIL("unknown data segment");
        if (sub == WR_OPFC_MEMORY_INIT)
          CHECK(wr_apply_sig(v, &wr_sig_iii_x));
        continue;
      }
      case WR_OPFC_MEMORY_COPY:
      case WR_OPFC_MEMORY_FILL:
        if (!wr_expect_zero_byte(d, &p, end))
          goto fatal;
        if (sub == WR_OPFC_MEMORY_COPY && !wr_expect_zero_byte(d, &p, end))
          goto fatal;
        if (m->memory_count == 0)
          FAIL("unknown memory 0");
        CHECK(wr_apply_sig(v, &wr_sig_iii_x));
        continue;
      case WR_OPFC_TABLE_INIT: {
        uint32_t seg;
        uint8_t et;
        WR_READ(wr_read_u32(&p, end, &seg), "element segment index");
        READ_TABLE(et);
        if (seg >= m->elem_count)
          FAIL("unknown elem segment");
        if (m->elems[seg].elem_type != et)
          FAIL("type mismatch: element segment and table differ in type");
        CHECK(wr_apply_sig(v, &wr_sig_iii_x));
        continue;
      }
      case WR_OPFC_ELEM_DROP: {
        uint32_t seg;
        WR_READ(wr_read_u32(&p, end, &seg), "element segment index");
        if (seg >= m->elem_count)
          FAIL("unknown elem segment");
        continue;
      }
      case WR_OPFC_TABLE_COPY: {
        uint8_t dst_et, src_et;
        READ_TABLE(dst_et);
        READ_TABLE(src_et);
        if (dst_et != src_et)
          FAIL("type mismatch: tables differ in element type");
        CHECK(wr_apply_sig(v, &wr_sig_iii_x));
        continue;
      }
      case WR_OPFC_TABLE_GROW:
      case WR_OPFC_TABLE_SIZE:
      case WR_OPFC_TABLE_FILL: {
        uint8_t et;
        READ_TABLE(et);
        if (sub == WR_OPFC_TABLE_GROW) {
          CHECK(wr_pop(v, WR_I32));
          CHECK(wr_pop(v, et));
          CHECK(wr_push(v, WR_I32));
        } else if (sub == WR_OPFC_TABLE_SIZE) {
          CHECK(wr_push(v, WR_I32));
        } else {
          CHECK(wr_pop(v, WR_I32));
          CHECK(wr_pop(v, et));
          CHECK(wr_pop(v, WR_I32));
        }
        continue;
      }
      default:
        wr_malformed(d, v->at, "illegal opcode 0xfc 0x%x", sub);
        goto fatal;
      }
    }
    case WR_PREFIX_FD: {
      uint32_t sub, lanes = 0;
      WR_READ(wr_read_u32(&p, end, &sub), "opcode");
      switch (sub) {
#undef WR_SIMPLE
#define WR_SIMPLE(code, name, text, sg)                                                            \
  case code:                                                                                       \
    sig = &wr_sig_##sg;                                                                            \
    goto apply_sig;
#define WR_MEMOP(code, name, text, sg, align)                                                      \
  case code:                                                                                       \
    CHECK_MEMARG(align);                                                                           \
    sig = &wr_sig_##sg;                                                                            \
    goto apply_sig;
#define WR_LANEOP(code, name, text, sg, n)                                                         \
  case code:                                                                                       \
    sig = &wr_sig_##sg;                                                                            \
    lanes = n;                                                                                     \
    goto laneop;
#define WR_MEMLANEOP(code, name, text, sg, align, n)                                               \
  case code:                                                                                       \
    sig = &wr_sig_##sg;                                                                            \
    natural_align = align;                                                                         \
    lanes = n;                                                                                     \
    goto memlaneop;
#include "compiler/opcodes_fd.def"
      case WR_OPFD_V128_CONST:
        if ((size_t)(end - p) < 16) {
          wr_read_failed(d, end, WR_READ_END, "v128 constant");
          goto fatal;
        }
        p += 16;
        CHECK(wr_push(v, WR_V128));
        continue;
      case WR_OPFD_I8X16_SHUFFLE:
        if ((size_t)(end - p) < 16) {
          wr_read_failed(d, end, WR_READ_END, "shuffle lanes");
          goto fatal;
        }
        for (int i = 0; i < 16; i++)
          if (p[i] >= 32) {
            p += 16;
            FAIL("invalid lane index");
          }
        p += 16;
        CHECK(wr_apply_sig(v, &wr_sig_vv_v));
        continue;
      default:
        wr_malformed(d, v->at, "illegal opcode 0xfd 0x%x", sub);
        goto fatal;
      }
    laneop:
      if (p >= end) {
        wr_read_failed(d, p, WR_READ_END, "lane index");
        goto fatal;
      }
      if (*p++ >= lanes)
        FAIL("invalid lane index");
      goto apply_sig;
    memlaneop : {
      CHECK_MEMARG(natural_align);
      if (p >= end) {
        wr_read_failed(d, p, WR_READ_END, "lane index");
        goto fatal;
      }
      uint8_t lane = *p++;
      if (lane >= lanes)
        FAIL("invalid lane index");
      goto apply_sig;
    }
    }
    default:
      wr_malformed(d, v->at, "illegal opcode 0x%02x", op);
      goto fatal;
    }
  apply_sig:
    CHECK(wr_apply_sig(v, sig));
  }

check_failed: /* the check set v->problem, or v->fatal after reporting */
invalid:
  return false;
fatal:
  v->fatal = true;
  return false;
}

#undef FAIL
#undef CHECK
#undef CHECK_MEMARG
#undef READ_TABLE
#undef WR_READ

/* ---- constant expressions ---------------------------------------------- */

bool wr_validate_const_expr(wr_decoder *d, const uint8_t **pp, const uint8_t *end, uint8_t type,
                            uint32_t global_limit, wr_const_expr *out)
{
  const uint8_t *p = *pp;
  const uint8_t *start = p;
  const wr_module *m = d->m;
  uint32_t produced = 0;
  uint8_t produced_type = WR_UNKNOWN;
  memset(out, 0, sizeof *out);
  for (;;) {
    if (p >= end)
      return wr_read_failed(d, p, WR_READ_END, "constant expression");
    const uint8_t *at = p;
    uint8_t op = *p++;
    wr_read_status st = WR_READ_OK;
    uint8_t t = WR_UNKNOWN;
    switch (op) {
    case WR_OP_END:
      goto done;
    case WR_OP_I32_CONST: {
      int32_t c;
      st = wr_read_s32(&p, end, &c);
      out->kind = WR_CONST_I32;
      out->u.i32 = (uint32_t)c;
      t = WR_I32;
      break;
    }
    case WR_OP_I64_CONST: {
      int64_t c;
      st = wr_read_s64(&p, end, &c);
      out->kind = WR_CONST_I64;
      out->u.i64 = (uint64_t)c;
      t = WR_I64;
      break;
    }
    case WR_OP_F32_CONST:
      if (end - p < 4)
        return wr_read_failed(d, end, WR_READ_END, "f32 constant");
      out->kind = WR_CONST_F32;
      memcpy(&out->u.f32_bits, p, 4); /* little-endian hosts only (x86-64, AArch64) */
      p += 4;
      t = WR_F32;
      break;
    case WR_OP_F64_CONST:
      if (end - p < 8)
        return wr_read_failed(d, end, WR_READ_END, "f64 constant");
      out->kind = WR_CONST_F64;
      memcpy(&out->u.f64_bits, p, 8);
      p += 8;
      t = WR_F64;
      break;
    case WR_OP_REF_NULL:
      if (p >= end)
        return wr_read_failed(d, p, WR_READ_END, "reference type");
      if (!wr_is_reftype(*p))
        return wr_malformed(d, p, "malformed reference type 0x%02x", *p);
      out->kind = WR_CONST_REF_NULL;
      t = *p++;
      break;
    case WR_OP_REF_FUNC: {
      uint32_t fi;
      st = wr_read_u32(&p, end, &fi);
      if (st != WR_READ_OK)
        break;
      out->kind = WR_CONST_REF_FUNC;
      out->u.index = fi;
      t = WR_FUNCREF;
      if (fi >= m->function_count)
        wr_invalid(d, at, "unknown function %u", fi);
      else if (d->declared_refs)
        d->declared_refs[fi >> 3] |= (uint8_t)(1u << (fi & 7));
      break;
    }
    case WR_OP_GLOBAL_GET: {
      uint32_t gi;
      st = wr_read_u32(&p, end, &gi);
      if (st != WR_READ_OK)
        break;
      out->kind = WR_CONST_GLOBAL_GET;
      out->u.index = gi;
      if (gi >= global_limit || gi >= m->global_count) {
        wr_invalid(d, at, "unknown global %u", gi);
      } else if (m->globals[gi].type.mutable_) {
        wr_invalid(d, at, "constant expression required: global %u is mutable", gi);
      } else {
        t = m->globals[gi].type.type;
      }
      break;
    }
    case WR_PREFIX_FD: {
      uint32_t sub;
      const uint8_t *q = p;
      if (wr_read_u32(&q, end, &sub) == WR_READ_OK && sub == WR_OPFD_V128_CONST) {
        if (end - q < 16)
          return wr_read_failed(d, end, WR_READ_END, "v128 constant");
        out->kind = WR_CONST_V128;
        memcpy(out->u.v128, q, 16);
        p = q + 16;
        t = WR_V128;
        break;
      }
      goto not_constant;
    }
    default:
    not_constant : {
      /* Not a constant instruction: it must still be well-formed. */
      p = at;
      const uint8_t *q = p;
      unsigned prefix = WR_PREFIX_NONE;
      uint32_t code = *q++;
      if (code == WR_PREFIX_FC || code == WR_PREFIX_FD) {
        prefix = code;
        st = wr_read_u32(&q, end, &code);
        if (st != WR_READ_OK)
          return wr_read_failed(d, q, st, "opcode");
      }
      if (wr_opcode_imm(prefix, code) == WR_IMM_UNKNOWN)
        return wr_malformed(d, at, "illegal opcode 0x%02x", *at);
      wr_invalid(d, at, "constant expression required: %s is not constant",
                 wr_opcode_name(prefix, code));
      if (!wr_skip_expr(d, &p, end, false))
        return false;
      *pp = p;
      out->code.offset = (uint32_t)(start - d->base);
      out->code.size = (uint32_t)(p - 1 - start);
      return true;
    }
    }
    if (st != WR_READ_OK)
      return wr_read_failed(d, p, st, "constant expression immediate");
    produced++;
    produced_type = t;
  }
done:
  out->code.offset = (uint32_t)(start - d->base);
  out->code.size = (uint32_t)(p - 1 - start);
  out->type = produced_type;
  if (produced != 1)
    wr_invalid(d, start, "type mismatch: constant expression must produce exactly one %s",
               wr_valtype_name(type));
  else if (produced_type != type && produced_type != WR_UNKNOWN)
    wr_invalid(d, start, "type mismatch: expected %s, found %s", wr_valtype_name(type),
               wr_valtype_name(produced_type));
  *pp = p;
  return true;
}
