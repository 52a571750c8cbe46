/*
 * codegen.c - the code generator's front end: one walk over each validated
 * function body, driving a target record (codegen.h).
 *
 * The walk runs after validation, over bodies the validator accepted, so it
 * checks nothing: every immediate is well formed and every stack effect
 * type-checks. Keeping it out of the validator's loop keeps `wasmrt
 * validate` fast and lets this file care only about where values are.
 *
 * The operand stack is virtual: each entry is a constant, a reference to a
 * local not yet copied, a register, or its home slot. Values are put in
 * registers when an operation needs them and spilled (the oldest first) when
 * registers run out. At labels and suspension points everything goes to its
 * home slot, which is what makes frames portable (docs/BACKEND.md).
 */
#include "compiler/codegen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compiler/limits.h"
#include "compiler/opcodes.h"
#include "compiler/reader.h"

enum { CG_LOCAL = 3 }; /* a value kind beyond wr_loc_kind: a local's value */

typedef struct cg_value {
  uint8_t type;
  uint8_t kind; /* wr_loc_kind or CG_LOCAL */
  wr_reg reg;
  uint32_t local;
  uint64_t imm;
} cg_value;

typedef enum cg_frame_kind { CG_FUNC, CG_BLOCK, CG_LOOP, CG_IF } cg_frame_kind;

typedef struct cg_frame {
  uint8_t kind;
  bool dead;         /* entered in unreachable code: nothing is emitted */
  bool unreachable;  /* the rest of the current arm cannot run */
  bool label_used;   /* some branch targets the label */
  bool else_pending; /* an `if` whose false edge still needs binding */
  uint32_t height;   /* operand depth below the block's parameters */
  uint32_t param_count, result_count;
  const uint8_t *params, *results;
  uint32_t label, else_label;
} cg_frame;

#define CG_MAX_REGS 32

typedef struct cg_state {
  wr_cg *cg;
  cg_value *stack;
  uint32_t depth, stack_cap;
  cg_frame *frames;
  uint32_t frame_count, frame_cap;
  bool busy[2][CG_MAX_REGS];
  bool pinned[2][CG_MAX_REGS]; /* registers holding locals for the whole function */
  uint64_t *weights;           /* per local: uses, weighted by loop depth */
  uint32_t weights_cap;
  uint8_t *nesting; /* pre-scan: 1 for each open loop, 0 for other blocks */
  uint32_t nesting_cap;
  uint32_t *tramp; /* br_table: label per frame index */
  uint32_t tramp_cap;
  const char *unsupported; /* set when the body needs what is not compiled */
} cg_state;

/* ---- metadata ---------------------------------------------------------- */

bool wr_cg_grow(wr_cg *cg, void **buf, uint32_t *cap, uint32_t need, size_t elem)
{
  if (need <= *cap)
    return true;
  uint32_t n = *cap ? *cap : 16;
  while (n < need)
    n *= 2;
  void *p = realloc(*buf, (size_t)n * elem);
  if (!p) {
    cg->nomem = true;
    return false;
  }
  *buf = p;
  *cap = n;
  return true;
}

void wr_cg_trap_site(wr_cg *cg, uint32_t native_offset, wasmrt_trap_kind kind, uint32_t wasm_offset)
{
  wr_object *o = cg->obj;
  if (!wr_cg_grow(cg, (void **)&o->traps, &cg->trap_cap, o->trap_count + 1, sizeof *o->traps))
    return;
  o->traps[o->trap_count++] =
      (wr_trap_site){native_offset, cg->func_index, wasm_offset, (uint8_t)kind};
}

void wr_cg_add_stub(wr_cg *cg, uint32_t at, wasmrt_trap_kind kind)
{
  if (wr_cg_grow(cg, (void **)&cg->stubs, &cg->stub_cap, cg->stub_count + 1, sizeof *cg->stubs))
    cg->stubs[cg->stub_count++] = (wr_cg_stub){at, cg->wasm_offset, (uint8_t)kind};
}

void wr_cg_add_slow(wr_cg *cg, uint32_t at, uint32_t point, bool entry)
{
  if (wr_cg_grow(cg, (void **)&cg->slows, &cg->slow_cap, cg->slow_count + 1, sizeof *cg->slows))
    cg->slows[cg->slow_count++] = (wr_cg_slow){at, wr_cg_pos(cg), point, entry};
}

bool wr_cg_frame_size(wr_cg *cg)
{
  uint64_t slots = (uint64_t)(cg->local_count - cg->param_count) + cg->max_depth;
  uint64_t frame = 8 + 8 * slots + 8 * (uint64_t)cg->max_outgoing;
  frame = (frame + 15) & ~(uint64_t)15;
  if (frame > INT32_MAX / 2) {
    cg->nomem = true;
    return false;
  }
  cg->frame_size = (uint32_t)frame;
  return true;
}

uint64_t wr_cg_float_bits(bool is_double, double value)
{
  if (is_double) {
    uint64_t bits;
    memcpy(&bits, &value, 8);
    return bits;
  }
  float f = (float)value;
  uint32_t bits;
  memcpy(&bits, &f, 4);
  return bits;
}

wr_trunc_bounds wr_cg_trunc_bounds(bool from64, bool to64, bool is_signed)
{
  double lo, hi;
  bool lo_inclusive;
  if (is_signed) {
    hi = to64 ? 9223372036854775808.0 : 2147483648.0;
    /* -2^31 - 1 is an f64 but no f32: below -2^31 an f32 is <= -2^31 - 256. */
    lo_inclusive = !to64 && from64;
    lo = to64 ? -9223372036854775808.0 : (lo_inclusive ? -2147483649.0 : -2147483648.0);
  } else {
    hi = to64 ? 18446744073709551616.0 : 4294967296.0;
    lo = -1.0;
    lo_inclusive = true;
  }
  return (wr_trunc_bounds){wr_cg_float_bits(from64, lo), wr_cg_float_bits(from64, hi),
                           lo_inclusive};
}

void wr_cg_point_offset(wr_cg *cg, uint32_t point, uint32_t native_offset)
{
  if (point < cg->obj->point_count)
    cg->obj->points[point].native_offset = native_offset;
}

static uint32_t cg_pool_add(wr_cg *cg, const uint8_t *types, uint32_t count)
{
  wr_object *o = cg->obj;
  if (!wr_cg_grow(cg, (void **)&o->type_pool, &cg->pool_cap, o->type_pool_size + count + 1, 1))
    return 0;
  uint32_t at = o->type_pool_size;
  if (count)
    memcpy(o->type_pool + at, types, count);
  o->type_pool_size += count;
  return at;
}

/* A suspension point with the current operand stack. */
static uint32_t cg_point(cg_state *s, wr_point_kind kind)
{
  wr_cg *cg = s->cg;
  wr_object *o = cg->obj;
  if (!wr_cg_grow(cg, (void **)&o->points, &cg->point_cap, o->point_count + 1, sizeof *o->points))
    return UINT32_MAX;
  uint8_t small[64];
  uint8_t *types = s->depth <= sizeof small ? small : malloc(s->depth);
  if (!types) {
    cg->nomem = true;
    return UINT32_MAX;
  }
  for (uint32_t i = 0; i < s->depth; i++)
    types[i] = s->stack[i].type;
  uint32_t pool = cg_pool_add(cg, types, s->depth);
  if (types != small)
    free(types);
  wr_frame_point *p = &o->points[o->point_count];
  *p = (wr_frame_point){0, cg->func_index, cg->wasm_offset, s->depth, pool, (uint8_t)kind};
  return o->point_count++;
}

/* ---- labels ------------------------------------------------------------ */

static uint32_t cg_new_label(wr_cg *cg)
{
  if (!wr_cg_grow(cg, (void **)&cg->labels, &cg->label_cap, cg->label_count + 1,
                  sizeof *cg->labels))
    return 0;
  cg->labels[cg->label_count] = (wr_cg_label){-1, UINT32_MAX};
  return cg->label_count++;
}

void wr_cg_label_use(wr_cg *cg, uint32_t label, uint32_t at)
{
  if (label >= cg->label_count)
    return;
  wr_cg_label *l = &cg->labels[label];
  if (l->offset >= 0) {
    cg->t->patch(cg, at, (uint32_t)l->offset);
    return;
  }
  if (!wr_cg_grow(cg, (void **)&cg->fixups, &cg->fixup_cap, cg->fixup_count + 1,
                  sizeof *cg->fixups))
    return;
  cg->fixups[cg->fixup_count] = (wr_cg_fixup){at, l->fixups};
  l->fixups = cg->fixup_count++;
}

void wr_cg_call_fixup(wr_cg *cg, uint32_t at, uint32_t func_index)
{
  if (!wr_cg_grow(cg, (void **)&cg->calls, &cg->call_cap, cg->call_count + 1, sizeof *cg->calls))
    return;
  cg->calls[cg->call_count++] = (wr_cg_fixup){at, func_index};
}

static void cg_bind(wr_cg *cg, uint32_t label)
{
  if (label >= cg->label_count)
    return;
  wr_cg_label *l = &cg->labels[label];
  l->offset = wr_cg_pos(cg);
  for (uint32_t f = l->fixups; f != UINT32_MAX; f = cg->fixups[f].next)
    cg->t->patch(cg, cg->fixups[f].at, (uint32_t)l->offset);
  l->fixups = UINT32_MAX;
}

/* ---- the virtual operand stack ----------------------------------------- */

static uint32_t cg_home(const cg_state *s, uint32_t depth) { return s->cg->local_count + depth; }

static wr_loc cg_loc_of(const cg_state *s, const cg_value *v, uint32_t depth)
{
  wr_loc l = {0, v->type, 0, 0, 0};
  switch (v->kind) {
  case WR_LOC_REG:
    l.kind = WR_LOC_REG;
    l.reg = v->reg;
    break;
  case WR_LOC_IMM:
    l.kind = WR_LOC_IMM;
    l.imm = v->imm;
    break;
  case CG_LOCAL:
    if (s->cg->local_regs[v->local] != WR_NO_REG) {
      l.kind = WR_LOC_REG;
      l.reg = s->cg->local_regs[v->local];
    } else {
      l.kind = WR_LOC_SLOT;
      l.slot = v->local;
    }
    break;
  default:
    l.kind = WR_LOC_SLOT;
    l.slot = cg_home(s, depth);
    break;
  }
  return l;
}

static wr_loc cg_slot_loc(uint8_t type, uint32_t slot)
{
  wr_loc l = {WR_LOC_SLOT, type, 0, slot, 0};
  return l;
}

static inline bool cg_push(cg_state *s, cg_value v)
{
  if (s->depth >= s->stack_cap &&
      !wr_cg_grow(s->cg, (void **)&s->stack, &s->stack_cap, s->depth + 1, sizeof *s->stack))
    return false;
  s->stack[s->depth++] = v;
  if (s->depth > s->cg->max_depth)
    s->cg->max_depth = s->depth;
  return true;
}

static void cg_push_reg(cg_state *s, uint8_t type, wr_reg r)
{
  cg_value v = {type, WR_LOC_REG, r, 0, 0};
  cg_push(s, v);
}

/* Move entry `i` to its home slot and free its register. */
static void cg_spill(cg_state *s, uint32_t i)
{
  cg_value *v = &s->stack[i];
  if (v->kind == WR_LOC_SLOT)
    return;
  wr_loc dst = cg_slot_loc(v->type, cg_home(s, i));
  wr_loc src = cg_loc_of(s, v, i);
  s->cg->t->move(s->cg, &dst, &src);
  if (v->kind == WR_LOC_REG)
    s->busy[wr_class_of(v->type)][v->reg] = false;
  v->kind = WR_LOC_SLOT;
}

static wr_reg cg_alloc(cg_state *s, wr_regclass cls)
{
  unsigned n = cls == WR_GPR ? s->cg->t->gpr_count : s->cg->t->fpr_count;
  for (unsigned r = 0; r < n; r++) {
    if (!s->busy[cls][r]) {
      s->busy[cls][r] = true;
      return (wr_reg)r;
    }
  }
  /* All taken: spill the oldest stack value holding one. Popped operands
   * of the instruction in progress are not on the stack, so they stay. */
  for (uint32_t i = 0; i < s->depth; i++) {
    cg_value *v = &s->stack[i];
    if (v->kind == WR_LOC_REG && wr_class_of(v->type) == cls) {
      wr_reg r = v->reg;
      cg_spill(s, i);
      s->busy[cls][r] = true;
      return r;
    }
  }
  /* Unreachable with the register counts the targets declare (an
   * instruction holds at most three operands). */
  s->cg->nomem = true;
  return 0;
}

static bool cg_is_pinned(const cg_state *s, const wr_loc *l)
{
  return l->kind == WR_LOC_REG && s->pinned[wr_class_of(l->type)][l->reg];
}

/* A register the instruction may overwrite: not a pinned local's. */
static bool cg_owned(const cg_state *s, const wr_loc *l)
{
  return l->kind == WR_LOC_REG && !cg_is_pinned(s, l);
}

static void cg_release(cg_state *s, const wr_loc *l)
{
  if (l->kind == WR_LOC_REG && !cg_is_pinned(s, l))
    s->busy[wr_class_of(l->type)][l->reg] = false;
}

/* Pop the top entry as a location; a register stays reserved until
 * cg_release. */
static wr_loc cg_pop(cg_state *s)
{
  s->depth--;
  return cg_loc_of(s, &s->stack[s->depth], s->depth);
}

/* Into a register the instruction may overwrite. */
static void cg_into_owned(cg_state *s, wr_loc *l)
{
  if (cg_owned(s, l))
    return;
  wr_loc dst = {WR_LOC_REG, l->type, cg_alloc(s, wr_class_of(l->type)), 0, 0};
  s->cg->t->move(s->cg, &dst, l);
  *l = dst;
}

/* Into some register (a pinned local's is fine: only read). */
static void cg_into_reg(cg_state *s, wr_loc *l)
{
  if (l->kind == WR_LOC_REG)
    return;
  wr_loc dst = {WR_LOC_REG, l->type, cg_alloc(s, wr_class_of(l->type)), 0, 0};
  s->cg->t->move(s->cg, &dst, l);
  *l = dst;
}

/* Everything to its home slot: before labels, calls and helper calls. */
static void cg_flush(cg_state *s, uint32_t count)
{
  for (uint32_t i = 0; i < count; i++)
    cg_spill(s, i);
}

/* Copy the values that still refer to local `index` before it changes. */
static void cg_detach_local(cg_state *s, uint32_t index)
{
  for (uint32_t i = 0; i < s->depth; i++) {
    cg_value *v = &s->stack[i];
    if (v->kind == CG_LOCAL && v->local == index)
      cg_spill(s, i);
  }
}

static void cg_reset_regs(cg_state *s) { memcpy(s->busy, s->pinned, sizeof s->busy); }

/* Pinned locals to their home slots (before a suspension point) and back
 * (after it: the callee clobbers every register). */
void wr_cg_save_pinned(wr_cg *cg)
{
  for (uint32_t i = 0; i < cg->local_count; i++) {
    if (cg->local_regs[i] == WR_NO_REG)
      continue;
    wr_loc dst = {WR_LOC_SLOT, cg->local_types[i], 0, i, 0};
    wr_loc src = {WR_LOC_REG, cg->local_types[i], cg->local_regs[i], 0, 0};
    cg->t->move(cg, &dst, &src);
  }
}

void wr_cg_load_pinned(wr_cg *cg)
{
  for (uint32_t i = 0; i < cg->local_count; i++) {
    if (cg->local_regs[i] == WR_NO_REG)
      continue;
    wr_loc dst = {WR_LOC_REG, cg->local_types[i], cg->local_regs[i], 0, 0};
    wr_loc src = {WR_LOC_SLOT, cg->local_types[i], 0, i, 0};
    cg->t->move(cg, &dst, &src);
  }
}

/* After a label: the stack is `height` values plus `count` of `types`, all
 * in their slots. */
static void cg_reset_stack(cg_state *s, uint32_t height, const uint8_t *types, uint32_t count)
{
  s->depth = height;
  for (uint32_t i = 0; i < count; i++) {
    cg_value v = {types[i], WR_LOC_SLOT, 0, 0, 0};
    cg_push(s, v);
  }
  cg_reset_regs(s);
}

/* ---- immediates -------------------------------------------------------- */

static uint32_t cg_u32(const uint8_t **p, const uint8_t *end)
{
  uint32_t v = 0;
  (void)wr_read_u32(p, end, &v);
  return v;
}

/* Block type: params and results as type bytes. */
static void cg_blocktype(cg_state *s, const uint8_t **p, const uint8_t *end, cg_frame *f)
{
  static const uint8_t single[256] = {[WR_I32] = WR_I32,
                                      [WR_I64] = WR_I64,
                                      [WR_F32] = WR_F32,
                                      [WR_F64] = WR_F64,
                                      [WR_V128] = WR_V128,
                                      [WR_FUNCREF] = WR_FUNCREF,
                                      [WR_EXTERNREF] = WR_EXTERNREF};
  uint8_t b = **p;
  f->param_count = f->result_count = 0;
  f->params = f->results = NULL;
  if (b == 0x40) {
    (*p)++;
  } else if (wr_is_valtype(b)) {
    (*p)++;
    f->result_count = 1;
    f->results = &single[b];
  } else {
    int64_t idx = 0;
    (void)wr_read_s33(p, end, &idx);
    const wr_functype *t = &s->cg->m->types[idx];
    f->param_count = t->param_count;
    f->result_count = t->result_count;
    f->params = wr_functype_params(s->cg->m, t);
    f->results = wr_functype_results(s->cg->m, t);
  }
}

/* Past one LEB128 number of a validated body, whatever its size. */
static inline void cg_skip_leb(const uint8_t **p)
{
  while (*(*p)++ & 0x80)
    ;
}

/* Past the immediates of a validated instruction (the pre-scan and
 * unreachable code need no values). */
static void cg_skip_imm(wr_imm_kind imm, const uint8_t **p, const uint8_t *end)
{
  uint32_t n;
  switch (imm) {
  case WR_IMM_BLOCKTYPE:
  case WR_IMM_U32:
  case WR_IMM_S32:
  case WR_IMM_S64:
    /* A block type's single byte (0x40, a value type) is a LEB128 byte too. */
    cg_skip_leb(p);
    break;
  case WR_IMM_U32_U32:
  case WR_IMM_MEMARG:
    cg_skip_leb(p);
    cg_skip_leb(p);
    break;
  case WR_IMM_BR_TABLE:
    n = cg_u32(p, end);
    for (uint32_t i = 0; i <= n; i++)
      cg_skip_leb(p);
    break;
  case WR_IMM_VALTYPES:
    n = cg_u32(p, end);
    *p += n;
    break;
  case WR_IMM_MEMARG_LANE:
    cg_skip_leb(p);
    cg_skip_leb(p);
    (*p)++;
    break;
  case WR_IMM_LANE:
  case WR_IMM_ZERO_BYTE:
  case WR_IMM_REFTYPE:
    (*p)++;
    break;
  case WR_IMM_TWO_ZERO_BYTES:
    *p += 2;
    break;
  case WR_IMM_U32_ZERO_BYTE:
    cg_skip_leb(p);
    (*p)++;
    break;
  case WR_IMM_BYTES4:
    *p += 4;
    break;
  case WR_IMM_BYTES8:
    *p += 8;
    break;
  case WR_IMM_BYTES16:
  case WR_IMM_SHUFFLE:
    *p += 16;
    break;
  default:
    break;
  }
}

/* Result type of the fixed-signature opcodes, from the opcode table's
 * signature strings ("ii_i": the letter after '_'). */
static const char *const cg_sig_main[256] = {
#define WR_SIMPLE(code, name, text, sig) [code] = #sig,
#define WR_MEMOP(code, name, text, sig, align) [code] = #sig,
#include "compiler/opcodes_main.def"
};
static const char *const cg_sig_fc[32] = {
#define WR_SIMPLE(code, name, text, sig) [code] = #sig,
#define WR_MEMOP(code, name, text, sig, align) [code] = #sig,
#include "compiler/opcodes_fc.def"
};

static uint8_t cg_sig_type(char c)
{
  switch (c) {
  case 'i':
    return WR_I32;
  case 'I':
    return WR_I64;
  case 'f':
    return WR_F32;
  case 'F':
    return WR_F64;
  case 'v':
    return WR_V128;
  default:
    return 0;
  }
}

/* Operand count and result type of a fixed-signature opcode. */
static void cg_sig(const char *sig, unsigned *operands, uint8_t *result)
{
  /* Signatures are at most "pp_r": the '_' is at index 0, 1 or 2. */
  unsigned us = sig[1] == '_' ? 1 : sig[2] == '_' ? 2 : 0;
  *operands = sig[0] == 'x' ? 0 : us;
  *result = cg_sig_type(sig[us + 1]);
}

/* ---- branches ---------------------------------------------------------- */

static uint32_t cg_arity(const cg_frame *f)
{
  return f->kind == CG_LOOP ? f->param_count : f->result_count;
}

/* Values of the top `n` entries must not refer to parameters' slots when
 * results overwrite them (the caller's area holds both). */
static void cg_emit_return(cg_state *s)
{
  wr_cg *cg = s->cg;
  uint32_t n = cg->type->result_count;
  if (n > 1) {
    for (uint32_t k = 0; k < n; k++) {
      cg_value *v = &s->stack[s->depth - n + k];
      if (v->kind == CG_LOCAL && v->local < cg->param_count) {
        wr_loc l = cg_loc_of(s, v, s->depth - n + k);
        cg_into_reg(s, &l);
        v->kind = WR_LOC_REG;
        v->reg = l.reg;
      }
    }
  }
  for (uint32_t k = 0; k < n; k++) {
    uint32_t d = s->depth - n + k;
    wr_loc l = cg_loc_of(s, &s->stack[d], d);
    cg->t->store_return(cg, k, &l);
  }
  cg->t->ret(cg);
}

/* Do the top `arity` values already sit in the target's result slots? */
static bool cg_in_place(const cg_state *s, const cg_frame *t)
{
  uint32_t n = cg_arity(t);
  if (s->depth - n != t->height)
    return false;
  for (uint32_t k = 0; k < n; k++)
    if (s->stack[t->height + k].kind != WR_LOC_SLOT)
      return false;
  return true;
}

/* Move the branch values to the target's slots and jump; the front-end
 * state is left as it was (conditional branches continue after this). */
static void cg_emit_branch(cg_state *s, uint32_t frame_index)
{
  wr_cg *cg = s->cg;
  cg_frame *t = &s->frames[frame_index];
  if (frame_index == 0) {
    cg_emit_return(s);
    return;
  }
  uint32_t n = cg_arity(t);
  for (uint32_t k = 0; k < n; k++) {
    uint32_t d = s->depth - n + k;
    cg_value *v = &s->stack[d];
    if (v->kind == WR_LOC_SLOT && d == t->height + k)
      continue;
    wr_loc dst = cg_slot_loc(v->type, cg_home(s, t->height + k));
    wr_loc src = cg_loc_of(s, v, d);
    cg->t->move(cg, &dst, &src);
  }
  t->label_used = true;
  cg->t->jump(cg, t->label);
}

/* ---- calls ------------------------------------------------------------- */

/* Arguments to the outgoing area, everything else to its slot. */
static void cg_call_args(cg_state *s, uint32_t n)
{
  wr_cg *cg = s->cg;
  cg_flush(s, s->depth - n);
  for (uint32_t k = 0; k < n; k++) {
    uint32_t d = s->depth - n + k;
    wr_loc l = cg_loc_of(s, &s->stack[d], d);
    cg->t->store_arg(cg, k, &l);
    cg_release(s, &l);
  }
  s->depth -= n;
}

static void cg_call_results(cg_state *s, const wr_functype *ft)
{
  wr_cg *cg = s->cg;
  cg_reset_regs(s);
  const uint8_t *rt = wr_functype_results(cg->m, ft);
  uint32_t out = ft->param_count > ft->result_count ? ft->param_count : ft->result_count;
  if (out > cg->max_outgoing)
    cg->max_outgoing = out;
  for (uint32_t k = 0; k < ft->result_count; k++) {
    wr_reg r = cg_alloc(s, wr_class_of(rt[k]));
    cg->t->load_result(cg, k, rt[k], r);
    cg_push_reg(s, rt[k], r);
  }
}

/* A runtime helper: `operands` values popped from the stack after
 * `imm_count` immediates. */
static void cg_helper(cg_state *s, wr_helper h, const uint64_t *imms, unsigned imm_count,
                      unsigned operands, uint8_t result_type)
{
  wr_cg *cg = s->cg;
  wr_loc args[5];
  cg_flush(s, s->depth);
  for (unsigned i = 0; i < imm_count; i++)
    args[i] = (wr_loc){WR_LOC_IMM, WR_I64, 0, 0, imms[i]};
  s->depth -= operands;
  for (unsigned i = 0; i < operands; i++)
    args[imm_count + i] = cg_loc_of(s, &s->stack[s->depth + i], s->depth + i);
  wr_cg_save_pinned(cg);
  uint32_t point = cg_point(s, WR_POINT_CALL);
  cg_reset_regs(s);
  wr_reg dst = 0;
  if (result_type)
    dst = cg_alloc(s, WR_GPR);
  cg->t->call_helper(cg, h, args, imm_count + operands, point, result_type, dst);
  wr_cg_load_pinned(cg);
  if (result_type)
    cg_push_reg(s, result_type, dst);
}

/* ---- conditions --------------------------------------------------------- */

/* A branch condition: a value, or an integer comparison not yet computed
 * (fused with the br_if/if that follows it). */
typedef struct cg_cond {
  bool fused;
  uint32_t op;
  wr_loc a, b; /* b unused for eqz */
} cg_cond;

static bool cg_fusable(uint8_t op)
{
  return op == WR_OP_I32_EQZ || op == WR_OP_I64_EQZ ||
         (op >= WR_OP_I32_EQ && op <= WR_OP_I32_GE_U) ||
         (op >= WR_OP_I64_EQ && op <= WR_OP_I64_GE_U);
}

static cg_cond cg_pop_cond(cg_state *s)
{
  cg_cond c = {false, 0, cg_pop(s), {0}};
  return c;
}

static bool cg_cond_unary(const cg_cond *c)
{
  return c->op == WR_OP_I32_EQZ || c->op == WR_OP_I64_EQZ;
}

static void cg_branch_on(cg_state *s, const cg_cond *c, bool if_zero, uint32_t label)
{
  wr_cg *cg = s->cg;
  if (c->fused) {
    cg->t->compare_branch(cg, c->op, &c->a, cg_cond_unary(c) ? NULL : &c->b, if_zero, label);
  } else {
    cg->t->branch(cg, &c->a, if_zero, label);
  }
}

static void cg_release_cond(cg_state *s, const cg_cond *c)
{
  cg_release(s, &c->a);
  /* eqz has no second operand: b is not a location at all. */
  if (c->fused && !cg_cond_unary(c))
    cg_release(s, &c->b);
}

/* ---- control frames ---------------------------------------------------- */

static cg_frame *cg_push_frame(cg_state *s, uint8_t kind)
{
  if (!wr_cg_grow(s->cg, (void **)&s->frames, &s->frame_cap, s->frame_count + 1, sizeof *s->frames))
    return NULL;
  cg_frame *f = &s->frames[s->frame_count++];
  memset(f, 0, sizeof *f);
  f->kind = kind;
  return f;
}

static void cg_else(cg_state *s)
{
  wr_cg *cg = s->cg;
  cg_frame *f = &s->frames[s->frame_count - 1];
  if (f->dead)
    return;
  if (!f->unreachable) {
    cg_flush(s, s->depth);
    f->label_used = true;
    cg->t->jump(cg, f->label);
  }
  cg_bind(cg, f->else_label);
  f->else_pending = false;
  cg_reset_stack(s, f->height, f->params, f->param_count);
  f->unreachable = false;
}

/* `end` of a block, loop or if (not of the function). */
static void cg_end(cg_state *s)
{
  wr_cg *cg = s->cg;
  cg_frame f = s->frames[--s->frame_count];
  cg_frame *parent = &s->frames[s->frame_count - 1];
  if (f.dead)
    return;
  bool reachable = !f.unreachable;
  if (!f.unreachable)
    cg_flush(s, s->depth);
  if (f.kind == CG_IF && f.else_pending) {
    cg_bind(cg, f.else_label);
    reachable = true;
  }
  if (f.kind != CG_LOOP) {
    if (f.label_used)
      reachable = true;
    cg_bind(cg, f.label);
  }
  cg_reset_stack(s, f.height, f.results, f.result_count);
  parent->unreachable = !reachable;
}

/* Enter block/loop/if: the stack goes to its slots so that every path
 * into the block's labels agrees on where values are. */
static bool cg_enter(cg_state *s, uint8_t kind, const uint8_t **p, const uint8_t *end,
                     const cg_cond *fused)
{
  wr_cg *cg = s->cg;
  cg_frame *parent = &s->frames[s->frame_count - 1];
  bool dead = parent->unreachable;
  cg_frame tmp;
  cg_blocktype(s, p, end, &tmp);
  cg_cond cond = {0};
  if (!dead && kind == CG_IF)
    cond = fused ? *fused : cg_pop_cond(s);
  cg_frame *f = cg_push_frame(s, kind);
  if (!f)
    return false;
  f->param_count = tmp.param_count;
  f->result_count = tmp.result_count;
  f->params = tmp.params;
  f->results = tmp.results;
  if (dead) {
    f->dead = f->unreachable = true;
    return true;
  }
  cg_flush(s, s->depth);
  f->height = s->depth - f->param_count;
  f->label = cg_new_label(cg);
  if (kind == CG_LOOP) {
    cg_bind(cg, f->label);
    uint32_t point = cg_point(s, WR_POINT_LOOP);
    cg->t->loop_check(cg, point);
  } else if (kind == CG_IF) {
    f->else_label = cg_new_label(cg);
    f->else_pending = true;
    cg_branch_on(s, &cond, true, f->else_label);
    cg_release_cond(s, &cond);
  }
  return true;
}

static void cg_br_if(cg_state *s, uint32_t depth_index, const cg_cond *fused)
{
  wr_cg *cg = s->cg;
  uint32_t fi = s->frame_count - 1 - depth_index;
  cg_cond cond = fused ? *fused : cg_pop_cond(s);
  cg_frame *t = &s->frames[fi];
  if (fi != 0 && cg_in_place(s, t)) {
    t->label_used = true;
    cg_branch_on(s, &cond, false, t->label);
  } else {
    uint32_t skip = cg_new_label(cg);
    cg_branch_on(s, &cond, true, skip);
    cg_release_cond(s, &cond);
    cg_emit_branch(s, fi);
    cg_bind(cg, skip);
    return;
  }
  cg_release_cond(s, &cond);
}

/* An integer comparison directly followed by br_if or if: compare and
 * branch without materializing the 0/1 value. Returns false when `op` is
 * not such a pair. */
static bool cg_fuse(cg_state *s, uint8_t op, const uint8_t **p, const uint8_t *end)
{
  wr_cg *cg = s->cg;
  if (!cg->t->compare_branch || !cg_fusable(op) || *p >= end ||
      (**p != WR_OP_BR_IF && **p != WR_OP_IF))
    return false;
  cg_cond c = {true, op, {0}, {0}};
  if (op != WR_OP_I32_EQZ && op != WR_OP_I64_EQZ)
    c.b = cg_pop(s);
  c.a = cg_pop(s);
  cg->wasm_offset = (uint32_t)(*p - cg->m->bytes);
  uint8_t next = *(*p)++;
  if (next == WR_OP_IF)
    cg_enter(s, CG_IF, p, end, &c);
  else
    cg_br_if(s, cg_u32(p, end), &c);
  return true;
}

static void cg_br_table(cg_state *s, const uint8_t **p, const uint8_t *end)
{
  wr_cg *cg = s->cg;
  uint32_t n = cg_u32(p, end);
  uint32_t *labels = malloc(((size_t)n + 1) * sizeof *labels);
  uint32_t *targets = malloc(((size_t)n + 1) * sizeof *targets);
  if (!labels || !targets ||
      !wr_cg_grow(cg, (void **)&s->tramp, &s->tramp_cap, s->frame_count, sizeof *s->tramp)) {
    cg->nomem = true;
    free(labels);
    free(targets);
    return;
  }
  wr_loc index = cg_pop(s);
  cg_flush(s, s->depth);
  for (uint32_t i = 0; i < s->frame_count; i++)
    s->tramp[i] = UINT32_MAX;
  for (uint32_t i = 0; i <= n; i++) {
    uint32_t fi = s->frame_count - 1 - cg_u32(p, end);
    targets[i] = fi;
    if (s->tramp[fi] == UINT32_MAX) {
      cg_frame *t = &s->frames[fi];
      if (fi != 0 && cg_in_place(s, t)) {
        s->tramp[fi] = t->label;
        t->label_used = true;
      } else {
        s->tramp[fi] = cg_new_label(cg);
      }
    }
    labels[i] = s->tramp[fi];
  }
  cg->t->br_table(cg, &index, labels, n);
  cg_release(s, &index);
  /* Trampolines for targets whose values move or that return. */
  for (uint32_t i = 0; i <= n; i++) {
    uint32_t fi = targets[i];
    if (s->tramp[fi] == UINT32_MAX || (fi != 0 && s->tramp[fi] == s->frames[fi].label))
      continue;
    cg_bind(cg, s->tramp[fi]);
    cg_emit_branch(s, fi);
    s->tramp[fi] = UINT32_MAX;
  }
  free(labels);
  free(targets);
}

/* ---- one function ------------------------------------------------------ */

static bool cg_unsupported_type(uint8_t t) { return t == WR_V128; }

/* Locals most used, weighting uses inside loops more, get registers for
 * the whole function: at most `max` per class, leaving the operand stack
 * at least three (the most one instruction holds). */

/* Immediate kind of each single-byte opcode; the prefixes are marked so
 * the pre-scan reads their sub-opcode. */
static const uint8_t cg_main_imm[256] = {
#define WR_SIMPLE(code, name, text, sig) [code] = WR_IMM_NONE,
#define WR_MEMOP(code, name, text, sig, align) [code] = WR_IMM_MEMARG,
#define WR_SPECIAL(code, name, text, imm) [code] = WR_IMM_##imm,
#include "compiler/opcodes_main.def"
    [WR_PREFIX_FC] = WR_IMM_U32,
    [WR_PREFIX_FD] = WR_IMM_U32,
};

/* Locals pinned regardless of calls (the counts x86-64 allows at all). */
#define CG_PIN_FREE_GPR 5
#define CG_PIN_FREE_FPR 8

static void cg_choose_pinned(cg_state *s, const uint8_t *p, const uint8_t *end)
{
  wr_cg *cg = s->cg;
  memset(cg->local_regs, WR_NO_REG, cg->local_count);
  memset(s->pinned, 0, sizeof s->pinned);
  if (cg->local_count == 0)
    return;
  if (!wr_cg_grow(cg, (void **)&s->weights, &s->weights_cap, cg->local_count, sizeof *s->weights))
    return;
  memset(s->weights, 0, cg->local_count * sizeof *s->weights);
  uint32_t open = 0, loops = 0;
  uint64_t calls = 0; /* calls, weighted like uses */
  while (p < end) {
    uint8_t op = *p++;
    switch (op) {
    case WR_OP_CALL:
    case WR_OP_CALL_INDIRECT:
      calls += (uint64_t)1 << (3 * (loops < 6 ? loops : 6));
      cg_skip_imm((wr_imm_kind)cg_main_imm[op], &p, end);
      break;
    case WR_OP_BLOCK:
    case WR_OP_LOOP:
    case WR_OP_IF:
      if (!wr_cg_grow(cg, (void **)&s->nesting, &s->nesting_cap, open + 1, 1))
        return;
      s->nesting[open++] = op == WR_OP_LOOP;
      loops += op == WR_OP_LOOP;
      cg_skip_imm(WR_IMM_BLOCKTYPE, &p, end);
      break;
    case WR_OP_END:
      if (open > 0)
        loops -= s->nesting[--open];
      break;
    case WR_OP_LOCAL_GET:
    case WR_OP_LOCAL_SET:
    case WR_OP_LOCAL_TEE: {
      uint32_t i = cg_u32(&p, end);
      s->weights[i] += (uint64_t)1 << (3 * (loops < 6 ? loops : 6));
      break;
    }
    default: {
      /* Most instructions have no immediate: one table lookup. */
      uint8_t imm = cg_main_imm[op];
      if (imm == WR_IMM_NONE)
        break;
      if (op == WR_PREFIX_FC || op == WR_PREFIX_FD) {
        uint32_t code = cg_u32(&p, end);
        cg_skip_imm(wr_opcode_imm(op, code), &p, end);
      } else {
        cg_skip_imm((wr_imm_kind)imm, &p, end);
      }
      break;
    }
    }
  }
  for (int cls = 0; cls < 2; cls++) {
    unsigned pool = cls == WR_GPR ? cg->t->gpr_count : cg->t->fpr_count;
    unsigned max = cls == WR_GPR ? cg->t->pinned_gpr_max : cg->t->pinned_fpr_max;
    if (pool < max + 3)
      max = pool > 3 ? pool - 3 : 0;
    /* Past the first few, a pinned local must pay for itself: it is
     * stored and reloaded around every call, so its uses must outweigh
     * two memory accesses per call. */
    unsigned free_pins = cls == WR_GPR ? CG_PIN_FREE_GPR : CG_PIN_FREE_FPR;
    for (unsigned k = 0; k < max; k++) {
      uint32_t best = UINT32_MAX;
      for (uint32_t i = 0; i < cg->local_count; i++) {
        uint8_t t = cg->local_types[i];
        if (cg->local_regs[i] != WR_NO_REG || s->weights[i] == 0 || (int)wr_class_of(t) != cls ||
            wr_is_reftype(t) || t == WR_V128)
          continue;
        if (best == UINT32_MAX || s->weights[i] > s->weights[best])
          best = i;
      }
      if (best == UINT32_MAX || (k >= free_pins && s->weights[best] <= 2 * calls))
        break;
      wr_reg r = (wr_reg)(pool - 1 - k);
      cg->local_regs[best] = r;
      s->pinned[cls][r] = true;
    }
  }
}

static bool cg_read_locals(cg_state *s, const uint8_t **p, const uint8_t *end)
{
  wr_cg *cg = s->cg;
  const uint8_t *params = wr_functype_params(cg->m, cg->type);
  uint32_t groups = cg_u32(p, end), total = cg->type->param_count;
  const uint8_t *q = *p;
  for (uint32_t g = 0; g < groups; g++) {
    total += cg_u32(&q, end);
    q++;
  }
  free(cg->local_types);
  free(cg->local_regs);
  cg->local_types = malloc(total ? total : 1);
  cg->local_regs = malloc(total ? total : 1);
  if (!cg->local_types || !cg->local_regs) {
    cg->nomem = true;
    return false;
  }
  memcpy(cg->local_types, params, cg->type->param_count);
  uint32_t at = cg->type->param_count;
  for (uint32_t g = 0; g < groups; g++) {
    uint32_t count = cg_u32(p, end);
    uint8_t type = *(*p)++;
    memset(cg->local_types + at, type, count);
    at += count;
  }
  cg->param_count = cg->type->param_count;
  cg->local_count = total;
  for (uint32_t i = 0; i < total; i++)
    if (cg_unsupported_type(cg->local_types[i]))
      s->unsupported = "v128 values";
  for (uint32_t i = 0; i < cg->type->result_count; i++)
    if (cg_unsupported_type(wr_functype_results(cg->m, cg->type)[i]))
      s->unsupported = "v128 values";
  if (!s->unsupported)
    cg_choose_pinned(s, *p, end);
  return !cg->nomem;
}

/* The instructions of a 0xfc-prefixed opcode `sub`. */
/* A one-operand instruction; the conversions between integers and floats
 * reach the target already decoded. */
static void cg_unary(wr_cg *cg, uint32_t op, wr_reg dst, const wr_loc *a)
{
  if (op >= WR_CG_OP_FC(0) && op <= WR_CG_OP_FC(7)) {
    unsigned k = op & 7; /* the saturating truncations */
    cg->t->truncate(cg, (k & 2) != 0, k >= 4, (k & 1) == 0, true, dst, a);
  } else if (op >= WR_OP_I32_TRUNC_F32_S && op <= WR_OP_I32_TRUNC_F64_U) {
    unsigned k = op - WR_OP_I32_TRUNC_F32_S;
    cg->t->truncate(cg, (k & 2) != 0, false, (k & 1) == 0, false, dst, a);
  } else if (op >= WR_OP_I64_TRUNC_F32_S && op <= WR_OP_I64_TRUNC_F64_U) {
    unsigned k = op - WR_OP_I64_TRUNC_F32_S;
    cg->t->truncate(cg, (k & 2) != 0, true, (k & 1) == 0, false, dst, a);
  } else if (op >= WR_OP_F32_CONVERT_I32_S && op <= WR_OP_F32_CONVERT_I64_U) {
    unsigned k = op - WR_OP_F32_CONVERT_I32_S;
    cg->t->convert(cg, k >= 2, false, (k & 1) == 0, dst, a);
  } else if (op >= WR_OP_F64_CONVERT_I32_S && op <= WR_OP_F64_CONVERT_I64_U) {
    unsigned k = op - WR_OP_F64_CONVERT_I32_S;
    cg->t->convert(cg, k >= 2, true, (k & 1) == 0, dst, a);
  } else {
    cg->t->unary(cg, op, dst, a);
  }
}

static void cg_op_fc(cg_state *s, uint32_t sub, const uint8_t **p, const uint8_t *end)
{
  wr_cg *cg = s->cg;
  uint64_t imm[2];
  switch (sub) {
  case WR_OPFC_MEMORY_INIT:
    imm[0] = cg_u32(p, end);
    (*p)++;
    imm[1] = 0;
    cg_helper(s, WR_HELPER_MEMORY_INIT, imm, 2, 3, 0);
    return;
  case WR_OPFC_DATA_DROP:
    imm[0] = cg_u32(p, end);
    cg_helper(s, WR_HELPER_DATA_DROP, imm, 1, 0, 0);
    return;
  case WR_OPFC_MEMORY_COPY:
    *p += 2;
    imm[0] = imm[1] = 0;
    cg_helper(s, WR_HELPER_MEMORY_COPY, imm, 2, 3, 0);
    return;
  case WR_OPFC_MEMORY_FILL:
    (*p)++;
    imm[0] = 0;
    cg_helper(s, WR_HELPER_MEMORY_FILL, imm, 1, 3, 0);
    return;
  case WR_OPFC_TABLE_INIT:
    imm[0] = cg_u32(p, end);
    imm[1] = cg_u32(p, end);
    cg_helper(s, WR_HELPER_TABLE_INIT, imm, 2, 3, 0);
    return;
  case WR_OPFC_ELEM_DROP:
    imm[0] = cg_u32(p, end);
    cg_helper(s, WR_HELPER_ELEM_DROP, imm, 1, 0, 0);
    return;
  case WR_OPFC_TABLE_COPY:
    imm[0] = cg_u32(p, end);
    imm[1] = cg_u32(p, end);
    cg_helper(s, WR_HELPER_TABLE_COPY, imm, 2, 3, 0);
    return;
  case WR_OPFC_TABLE_GROW:
    imm[0] = cg_u32(p, end);
    cg_helper(s, WR_HELPER_TABLE_GROW, imm, 1, 2, WR_I32);
    return;
  case WR_OPFC_TABLE_SIZE:
    imm[0] = cg_u32(p, end);
    cg_helper(s, WR_HELPER_TABLE_SIZE, imm, 1, 0, WR_I32);
    return;
  case WR_OPFC_TABLE_FILL:
    imm[0] = cg_u32(p, end);
    cg_helper(s, WR_HELPER_TABLE_FILL, imm, 1, 3, 0);
    return;
  default: {
    /* The saturating conversions. */
    unsigned operands;
    uint8_t rt;
    cg_sig(cg_sig_fc[sub], &operands, &rt);
    wr_loc a = cg_pop(s);
    wr_reg dst = cg_alloc(s, wr_class_of(rt));
    cg_unary(cg, WR_CG_OP_FC(sub), dst, &a);
    cg_release(s, &a);
    cg_push_reg(s, rt, dst);
    return;
  }
  }
}

static void cg_local_set(cg_state *s, uint32_t index, bool tee)
{
  wr_cg *cg = s->cg;
  uint8_t type = cg->local_types[index];
  cg_value top = s->stack[s->depth - 1];
  wr_loc v = cg_pop(s);
  cg_detach_local(s, index);
  wr_loc dst = cg_slot_loc(type, index);
  if (cg->local_regs[index] != WR_NO_REG) {
    dst.kind = WR_LOC_REG;
    dst.reg = cg->local_regs[index];
  }
  if (!(v.kind == WR_LOC_SLOT && v.slot == index) &&
      !(v.kind == WR_LOC_REG && dst.kind == WR_LOC_REG && v.reg == dst.reg))
    cg->t->move(cg, &dst, &v);
  if (!tee) {
    cg_release(s, &v);
    return;
  }
  if (top.kind == WR_LOC_REG && cg_owned(s, &v)) {
    cg_push_reg(s, type, top.reg);
  } else {
    cg_release(s, &v);
    cg_value l = {type, CG_LOCAL, 0, index, 0};
    cg_push(s, l);
  }
}

/* Operand order does not matter (for floats up to which NaN comes out,
 * which WebAssembly leaves open). */
static bool cg_commutes(uint32_t op)
{
  switch (op) {
  case WR_OP_I32_ADD:
  case WR_OP_I32_MUL:
  case WR_OP_I32_AND:
  case WR_OP_I32_OR:
  case WR_OP_I32_XOR:
  case WR_OP_I64_ADD:
  case WR_OP_I64_MUL:
  case WR_OP_I64_AND:
  case WR_OP_I64_OR:
  case WR_OP_I64_XOR:
  case WR_OP_F32_ADD:
  case WR_OP_F32_MUL:
  case WR_OP_F64_ADD:
  case WR_OP_F64_MUL:
    return true;
  default:
    return false;
  }
}

/* When the next instruction is local.set of a pinned local of the
 * result's type, the result can be computed straight into that
 * local's register, saving the move local.set would make. Not when `b`
 * (read after the target may have written the destination) is that
 * register. On success *p is past the local.set/tee. */
static bool cg_result_to_local(cg_state *s, uint8_t rt, const wr_loc *b, const uint8_t **p,
                               const uint8_t *end, uint32_t *index)
{
  /* Not local.tee: its value stays on the stack as a reference to the
   * local, which a later write to the local would have to spill; the move
   * into a register of its own is cheaper. */
  if (!p || *p >= end || **p != WR_OP_LOCAL_SET)
    return false;
  const uint8_t *q = *p + 1;
  uint32_t i = cg_u32(&q, end);
  wr_cg *cg = s->cg;
  wr_reg r = cg->local_regs[i];
  if (r == WR_NO_REG || cg->local_types[i] != rt)
    return false;
  if (b && b->kind == WR_LOC_REG && wr_class_of(b->type) == wr_class_of(rt) && b->reg == r)
    return false;
  *index = i;
  *p = q;
  cg_detach_local(s, i); /* stack values that read the local keep its old value */
  return true;
}

/* A fixed-signature instruction; `p`, when not NULL, lets a following
 * local.set/tee take the result (cg_result_to_local). */
static void cg_simple(cg_state *s, uint32_t op, const char *sig, const uint8_t **p,
                      const uint8_t *end)
{
  wr_cg *cg = s->cg;
  unsigned operands;
  uint8_t rt;
  uint32_t local;
  cg_sig(sig, &operands, &rt);
  wr_regclass rc = wr_class_of(rt);
  if (operands == 1) {
    wr_loc a = cg_pop(s);
    if (cg_result_to_local(s, rt, NULL, p, end, &local)) {
      cg_unary(cg, op, cg->local_regs[local], &a);
      cg_release(s, &a);
      return;
    }
    bool reuse = cg_owned(s, &a) && wr_class_of(a.type) == rc;
    wr_reg dst = reuse ? a.reg : cg_alloc(s, rc);
    cg_unary(cg, op, dst, &a);
    if (!reuse)
      cg_release(s, &a);
    cg_push_reg(s, rt, dst);
    return;
  }
  wr_loc b = cg_pop(s);
  wr_loc a = cg_pop(s);
  if (cg_commutes(op) && !cg_owned(s, &a) && cg_owned(s, &b)) {
    /* Compute into b's register rather than copy a (often a pinned
     * local) into a new one. */
    wr_loc t = a;
    a = b;
    b = t;
  }
  cg_into_reg(s, &a);
  if (cg_result_to_local(s, rt, &b, p, end, &local)) {
    cg->t->binary(cg, op, cg->local_regs[local], &a, &b);
    cg_release(s, &b);
    cg_release(s, &a);
    return;
  }
  bool reuse = cg_owned(s, &a) && wr_class_of(a.type) == rc;
  wr_reg dst = reuse ? a.reg : cg_alloc(s, rc);
  cg->t->binary(cg, op, dst, &a, &b);
  cg_release(s, &b);
  if (!reuse)
    cg_release(s, &a);
  cg_push_reg(s, rt, dst);
}

static void cg_memop(cg_state *s, uint32_t op, const char *sig, const uint8_t **p,
                     const uint8_t *end)
{
  wr_cg *cg = s->cg;
  cg_u32(p, end); /* alignment: a hint only */
  uint32_t offset = cg_u32(p, end);
  unsigned operands;
  uint8_t rt;
  cg_sig(sig, &operands, &rt);
  if (rt) {
    wr_loc addr = cg_pop(s);
    wr_regclass rc = wr_class_of(rt);
    bool reuse = cg_owned(s, &addr) && rc == WR_GPR;
    wr_reg dst = reuse ? addr.reg : cg_alloc(s, rc);
    cg->t->load(cg, op, dst, &addr, offset);
    if (!reuse)
      cg_release(s, &addr);
    cg_push_reg(s, rt, dst);
  } else {
    wr_loc value = cg_pop(s);
    wr_loc addr = cg_pop(s);
    cg->t->store(cg, op, &addr, &value, offset);
    cg_release(s, &value);
    cg_release(s, &addr);
  }
}

/* Compile one instruction in reachable code. Returns false at the
 * function's final `end`. */
static bool cg_instr(cg_state *s, uint8_t op, const uint8_t **p, const uint8_t *end)
{
  wr_cg *cg = s->cg;
  const wr_module *m = cg->m;
  cg_frame *top = &s->frames[s->frame_count - 1];
  switch (op) {
  case WR_OP_UNREACHABLE:
    cg->t->trap(cg, WASMRT_TRAP_UNREACHABLE);
    top->unreachable = true;
    break;
  case WR_OP_NOP:
    break;
  case WR_OP_BLOCK:
    cg_enter(s, CG_BLOCK, p, end, NULL);
    break;
  case WR_OP_LOOP:
    cg_enter(s, CG_LOOP, p, end, NULL);
    break;
  case WR_OP_IF:
    cg_enter(s, CG_IF, p, end, NULL);
    break;
  case WR_OP_ELSE:
    cg_else(s);
    break;
  case WR_OP_END:
    if (s->frame_count == 1) {
      if (!top->unreachable)
        cg_emit_return(s);
      return false;
    }
    cg_end(s);
    break;
  case WR_OP_BR:
    cg_emit_branch(s, s->frame_count - 1 - cg_u32(p, end));
    top->unreachable = true;
    break;
  case WR_OP_BR_IF:
    cg_br_if(s, cg_u32(p, end), NULL);
    break;
  case WR_OP_BR_TABLE:
    cg_br_table(s, p, end);
    top->unreachable = true;
    break;
  case WR_OP_RETURN:
    cg_emit_return(s);
    top->unreachable = true;
    break;
  case WR_OP_CALL: {
    uint32_t f = cg_u32(p, end);
    const wr_functype *ft = &m->types[m->functions[f].type_index];
    cg_call_args(s, ft->param_count);
    wr_cg_save_pinned(cg);
    uint32_t point = cg_point(s, WR_POINT_CALL);
    cg->t->call(cg, f, point);
    wr_cg_load_pinned(cg);
    cg_call_results(s, ft);
    break;
  }
  case WR_OP_CALL_INDIRECT: {
    uint32_t ti = cg_u32(p, end);
    uint32_t table = cg_u32(p, end);
    const wr_functype *ft = &m->types[ti];
    wr_loc index = cg_pop(s);
    cg_call_args(s, ft->param_count);
    wr_cg_save_pinned(cg);
    uint32_t point = cg_point(s, WR_POINT_CALL);
    cg->t->call_indirect(cg, ti, table, &index, point);
    wr_cg_load_pinned(cg);
    cg_release(s, &index);
    cg_call_results(s, ft);
    break;
  }
  case WR_OP_DROP: {
    wr_loc v = cg_pop(s);
    cg_release(s, &v);
    break;
  }
  case WR_OP_SELECT:
  case WR_OP_SELECT_T: {
    if (op == WR_OP_SELECT_T) {
      uint32_t n = cg_u32(p, end);
      *p += n;
    }
    wr_loc cond = cg_pop(s);
    wr_loc b = cg_pop(s);
    wr_loc a = cg_pop(s);
    cg_into_owned(s, &a);
    cg->t->select(cg, a.type, a.reg, &b, &cond);
    cg_release(s, &b);
    cg_release(s, &cond);
    cg_push_reg(s, a.type, a.reg);
    break;
  }
  case WR_OP_LOCAL_GET: {
    uint32_t i = cg_u32(p, end);
    cg_value v = {cg->local_types[i], CG_LOCAL, 0, i, 0};
    cg_push(s, v);
    break;
  }
  case WR_OP_LOCAL_SET:
    cg_local_set(s, cg_u32(p, end), false);
    break;
  case WR_OP_LOCAL_TEE:
    cg_local_set(s, cg_u32(p, end), true);
    break;
  case WR_OP_GLOBAL_GET: {
    uint32_t g = cg_u32(p, end);
    uint8_t type = m->globals[g].type.type;
    wr_reg dst = cg_alloc(s, wr_class_of(type));
    cg->t->global_get(cg, g, dst);
    cg_push_reg(s, type, dst);
    break;
  }
  case WR_OP_GLOBAL_SET: {
    uint32_t g = cg_u32(p, end);
    wr_loc v = cg_pop(s);
    cg->t->global_set(cg, g, &v);
    cg_release(s, &v);
    break;
  }
  case WR_OP_TABLE_GET: {
    uint64_t t = cg_u32(p, end);
    cg_helper(s, WR_HELPER_TABLE_GET, &t, 1, 1, m->tables[t].elem_type);
    break;
  }
  case WR_OP_TABLE_SET: {
    uint64_t t = cg_u32(p, end);
    cg_helper(s, WR_HELPER_TABLE_SET, &t, 1, 2, 0);
    break;
  }
  case WR_OP_MEMORY_SIZE: {
    (*p)++;
    wr_reg dst = cg_alloc(s, WR_GPR);
    wr_loc none = {WR_LOC_IMM, WR_I32, 0, 0, 0};
    cg->t->unary(cg, op, dst, &none);
    cg_push_reg(s, WR_I32, dst);
    break;
  }
  case WR_OP_MEMORY_GROW: {
    (*p)++;
    uint64_t mem = 0;
    cg_helper(s, WR_HELPER_MEMORY_GROW, &mem, 1, 1, WR_I32);
    break;
  }
  case WR_OP_I32_CONST: {
    int32_t v = 0;
    (void)wr_read_s32(p, end, &v);
    cg_value c = {WR_I32, WR_LOC_IMM, 0, 0, (uint32_t)v};
    cg_push(s, c);
    break;
  }
  case WR_OP_I64_CONST: {
    int64_t v = 0;
    (void)wr_read_s64(p, end, &v);
    cg_value c = {WR_I64, WR_LOC_IMM, 0, 0, (uint64_t)v};
    cg_push(s, c);
    break;
  }
  case WR_OP_F32_CONST: {
    uint32_t bits;
    memcpy(&bits, *p, 4);
    *p += 4;
    cg_value c = {WR_F32, WR_LOC_IMM, 0, 0, bits};
    cg_push(s, c);
    break;
  }
  case WR_OP_F64_CONST: {
    uint64_t bits;
    memcpy(&bits, *p, 8);
    *p += 8;
    cg_value c = {WR_F64, WR_LOC_IMM, 0, 0, bits};
    cg_push(s, c);
    break;
  }
  case WR_OP_REF_NULL: {
    uint8_t type = *(*p)++;
    cg_value c = {type, WR_LOC_IMM, 0, 0, 0};
    cg_push(s, c);
    break;
  }
  case WR_OP_REF_IS_NULL:
    cg_simple(s, op, "i_i", NULL, NULL);
    break;
  case WR_OP_REF_FUNC: {
    wr_loc index = {WR_LOC_IMM, WR_I32, 0, 0, cg_u32(p, end)};
    wr_reg dst = cg_alloc(s, WR_GPR);
    cg->t->unary(cg, op, dst, &index);
    cg_push_reg(s, WR_FUNCREF, dst);
    break;
  }
  case WR_PREFIX_FC:
    cg_op_fc(s, cg_u32(p, end), p, end);
    break;
  case WR_PREFIX_FD:
    s->unsupported = "SIMD instructions";
    return false;
  default:
    if (cg_fuse(s, op, p, end))
      break;
    if (cg_sig_main[op] && wr_opcode_imm(WR_PREFIX_NONE, op) == WR_IMM_MEMARG)
      cg_memop(s, op, cg_sig_main[op], p, end);
    else if (cg_sig_main[op])
      cg_simple(s, op, cg_sig_main[op], p, end);
    break;
  }
  return true;
}

/* Skip one instruction of unreachable code, keeping block structure. */
static bool cg_skip(cg_state *s, uint8_t op, const uint8_t **p, const uint8_t *end)
{
  cg_frame *top = &s->frames[s->frame_count - 1];
  switch (op) {
  case WR_OP_BLOCK:
  case WR_OP_LOOP:
  case WR_OP_IF:
    cg_enter(s, op == WR_OP_BLOCK ? CG_BLOCK : op == WR_OP_LOOP ? CG_LOOP : CG_IF, p, end, NULL);
    return true;
  case WR_OP_ELSE:
    cg_else(s);
    return true;
  case WR_OP_END:
    if (s->frame_count == 1)
      return false;
    if (top->dead)
      s->frame_count--;
    else
      cg_end(s);
    return true;
  default: {
    unsigned prefix = WR_PREFIX_NONE;
    uint32_t code = op;
    if (op == WR_PREFIX_FC || op == WR_PREFIX_FD) {
      prefix = op;
      code = cg_u32(p, end);
    }
    cg_skip_imm(wr_opcode_imm(prefix, code), p, end);
    return true;
  }
  }
}

static bool cg_function(cg_state *s, uint32_t func_index)
{
  wr_cg *cg = s->cg;
  const wr_module *m = cg->m;
  const wr_function *fn = &m->functions[func_index];
  const uint8_t *p = m->bytes + fn->body.offset;
  const uint8_t *end = p + fn->body.size;
  cg->func_index = func_index;
  cg->type = &m->types[fn->type_index];
  cg->func_start = wr_cg_pos(cg);
  cg->max_depth = cg->max_outgoing = 0;
  cg->label_count = cg->fixup_count = 0;
  cg->stub_count = cg->slow_count = 0;
  cg->wasm_offset = fn->body.offset;
  cg->func_first_point = cg->obj->point_count;
  s->depth = s->frame_count = 0;
  if (!cg_read_locals(s, &p, end) || s->unsupported)
    return false;

  cg_frame *f = cg_push_frame(s, CG_FUNC);
  if (!f)
    return false;
  f->result_count = cg->type->result_count;
  f->results = wr_functype_results(m, cg->type);
  f->label = cg_new_label(cg);
  uint32_t entry = cg_point(s, WR_POINT_ENTRY);
  cg->t->begin_function(cg, entry);
  cg_reset_regs(s);
  for (uint32_t i = 0; i < cg->local_count; i++) {
    if (cg->local_regs[i] == WR_NO_REG)
      continue;
    wr_loc dst = {WR_LOC_REG, cg->local_types[i], cg->local_regs[i], 0, 0};
    wr_loc src = {i < cg->param_count ? WR_LOC_SLOT : WR_LOC_IMM, cg->local_types[i], 0, i, 0};
    cg->t->move(cg, &dst, &src);
  }

  while (p < end && !cg->nomem && !cg->code.failed) {
    cg->wasm_offset = (uint32_t)(p - m->bytes);
    uint8_t op = *p++;
    bool more = s->frames[s->frame_count - 1].unreachable ? cg_skip(s, op, &p, end)
                                                          : cg_instr(s, op, &p, end);
    if (s->unsupported)
      return false;
    if (!more)
      break;
  }
  cg->t->end_function(cg);
  return !cg->nomem && !cg->code.failed;
}

static bool cg_module_unsupported(const wr_module *m, const char **what)
{
  for (uint32_t i = 0; i < m->type_count; i++) {
    const wr_functype *t = &m->types[i];
    const uint8_t *v = wr_functype_params(m, t);
    for (uint32_t k = 0; k < t->param_count + t->result_count; k++)
      if (cg_unsupported_type(v[k])) {
        *what = "v128 values";
        return true;
      }
  }
  for (uint32_t i = 0; i < m->global_count; i++)
    if (cg_unsupported_type(m->globals[i].type.type)) {
      *what = "v128 globals";
      return true;
    }
  return false;
}

/* Sorts the points of the function just compiled by native offset. They
 * are in order but for those whose native offset is a slow path's at the
 * function's end (entry and loop checks): an insertion sort moves those
 * few, and a whole-module sort is then not needed. */
static void cg_sort_function_points(wr_cg *cg)
{
  wr_frame_point *p = cg->obj->points;
  for (uint32_t i = cg->func_first_point + 1; i < cg->obj->point_count; i++) {
    wr_frame_point v = p[i];
    uint32_t k = i;
    while (k > cg->func_first_point && p[k - 1].native_offset > v.native_offset) {
      p[k] = p[k - 1];
      k--;
    }
    p[k] = v;
  }
}

static int cg_cmp_point(const void *a, const void *b)
{
  const wr_frame_point *x = a, *y = b;
  return (x->native_offset > y->native_offset) - (x->native_offset < y->native_offset);
}

static int cg_cmp_trap(const void *a, const void *b)
{
  const wr_trap_site *x = a, *y = b;
  return (x->native_offset > y->native_offset) - (x->native_offset < y->native_offset);
}

static bool cg_sorted(const void *base, uint32_t count, size_t size,
                      int (*cmp)(const void *, const void *))
{
  const char *p = base;
  for (uint32_t i = 1; i < count; i++)
    if (cmp(p + (i - 1) * size, p + i * size) > 0)
      return false;
  return true;
}

static void cg_error(wasmrt_error *err, wasmrt_result code, int64_t function, uint64_t offset,
                     const char *what)
{
  if (!err)
    return;
  memset(err, 0, sizeof *err);
  err->code = code;
  err->section = "code section";
  err->function = function;
  err->offset = offset;
  snprintf(err->message, sizeof err->message, "code section, function %lld, offset 0x%llx: %s",
           (long long)function, (unsigned long long)offset, what);
}

/* Where the compilation stood before a function, to compile it again. */
typedef struct cg_mark {
  size_t code_len;
  uint32_t traps, points, pool, calls;
} cg_mark;

static cg_mark cg_mark_take(const wr_cg *cg)
{
  return (cg_mark){cg->code.len, cg->obj->trap_count, cg->obj->point_count, cg->obj->type_pool_size,
                   cg->call_count};
}

static void cg_mark_restore(wr_cg *cg, const cg_mark *k)
{
  cg->code.len = k->code_len;
  cg->obj->trap_count = k->traps;
  cg->obj->point_count = k->points;
  cg->obj->type_pool_size = k->pool;
  cg->call_count = k->calls;
}

/* Compiles function `fi`, again with far branches when the target says a
 * branch did not reach. */
static bool cg_function_in_reach(cg_state *s, uint32_t fi, bool force_far)
{
  wr_cg *cg = s->cg;
  cg_mark mark = cg_mark_take(cg);
  cg->far_branches = force_far;
  cg->out_of_range = false;
  bool ok = cg_function(s, fi);
  if (!ok || !cg->out_of_range || cg->far_branches)
    return ok;
  cg_mark_restore(cg, &mark);
  cg->far_branches = true;
  cg->out_of_range = false;
  return cg_function(s, fi);
}

static wasmrt_result cg_compile(const wr_module *m, const wr_target *target,
                                const wr_compile_options *opts, bool far_calls,
                                bool *calls_out_of_range, wr_object **out, wasmrt_error *err)
{
  *out = NULL;
  wr_object *obj = calloc(1, sizeof *obj);
  wr_cg cg;
  cg_state s;
  memset(&cg, 0, sizeof cg);
  memset(&s, 0, sizeof s);
  s.cg = &cg;
  cg.m = m;
  cg.t = target;
  cg.obj = obj;
  cg.far_calls = far_calls;
  const char *what = NULL;
  wasmrt_result rc = WASMRT_OK;
  if (!obj) {
    cg_error(err, WASMRT_ERROR_NOMEM, -1, 0, "out of memory");
    return WASMRT_ERROR_NOMEM;
  }
  obj->target = target->id;
  /* Native code is about twice the size of the code section: reserving
   * it at once saves the copies of a growing buffer. */
  for (uint32_t i = 0; i < m->section_count; i++)
    if (m->sections[i].id == WR_SEC_CODE)
      wr_codebuf_reserve(&cg.code, (size_t)m->sections[i].size * 5 / 2 + 4096);
  uint32_t defined = m->function_count - m->imported_function_count;
  obj->funcs = calloc(defined ? defined : 1, sizeof *obj->funcs);
  obj->func_count = defined;
  if (!obj->funcs)
    cg.nomem = true;
  if (cg_module_unsupported(m, &what)) {
    char msg[160];
    snprintf(msg, sizeof msg, "%s are not compiled in this version", what);
    cg_error(err, WASMRT_ERROR_UNSUPPORTED, -1, 0, msg);
    if (err)
      snprintf(err->message, sizeof err->message, "%s", msg);
    rc = WASMRT_ERROR_UNSUPPORTED;
    goto fail;
  }
  for (uint32_t i = 0; i < defined && !cg.nomem; i++) {
    uint32_t fi = m->imported_function_count + i;
    bool ok = cg_function_in_reach(&s, fi, opts->far_branches);
    if (s.unsupported) {
      char msg[160];
      snprintf(msg, sizeof msg, "%s are not compiled in this version", s.unsupported);
      cg_error(err, WASMRT_ERROR_UNSUPPORTED, fi, cg.wasm_offset, msg);
      rc = WASMRT_ERROR_UNSUPPORTED;
      goto fail;
    }
    if (!ok)
      break;
    if (cg.out_of_range) {
      cg_error(err, WASMRT_ERROR_LIMIT, fi, m->functions[fi].body.offset,
               "function too large: a branch cannot reach its target");
      rc = WASMRT_ERROR_LIMIT;
      goto fail;
    }
    cg_sort_function_points(&cg);
    wr_func_code *fc = &obj->funcs[i];
    fc->code_offset = cg.func_start;
    fc->code_size = wr_cg_pos(&cg) - cg.func_start;
    fc->param_count = cg.param_count;
    fc->local_count = cg.local_count;
    fc->local_types = cg_pool_add(&cg, cg.local_types, cg.local_count);
    fc->frame_size = cg.frame_size;
  }
  if (cg.nomem || cg.code.failed) {
    cg_error(err, WASMRT_ERROR_NOMEM, cg.func_index, cg.wasm_offset, "out of memory");
    rc = WASMRT_ERROR_NOMEM;
    goto fail;
  }
  if (cg.code.len > INT32_MAX) {
    cg_error(err, WASMRT_ERROR_LIMIT, -1, 0, "native code exceeds 2 GiB");
    rc = WASMRT_ERROR_LIMIT;
    goto fail;
  }
  for (uint32_t i = 0; i < cg.call_count; i++) {
    uint32_t callee = cg.calls[i].next - m->imported_function_count;
    if (!target->patch(&cg, cg.calls[i].at, obj->funcs[callee].code_offset)) {
      *calls_out_of_range = true;
      cg_error(err, WASMRT_ERROR_LIMIT, -1, 0, "native code too large: a call cannot reach");
      rc = WASMRT_ERROR_LIMIT;
      goto fail;
    }
  }
  /* Each function's points are sorted already (cg_sort_function_points)
   * and traps are usually in order: the sorts are a safety net. */
  if (!cg_sorted(obj->points, obj->point_count, sizeof *obj->points, cg_cmp_point))
    qsort(obj->points, obj->point_count, sizeof *obj->points, cg_cmp_point);
  if (!cg_sorted(obj->traps, obj->trap_count, sizeof *obj->traps, cg_cmp_trap))
    qsort(obj->traps, obj->trap_count, sizeof *obj->traps, cg_cmp_trap);
  for (uint32_t i = 0, pt = 0; i < defined; i++) {
    wr_func_code *fc = &obj->funcs[i];
    fc->first_point = pt;
    while (pt < obj->point_count && obj->points[pt].native_offset < fc->code_offset + fc->code_size)
      pt++;
    fc->point_count = pt - fc->first_point;
  }
  obj->code = cg.code.data;
  obj->code_size = cg.code.len;
  obj->code_mapping = cg.code.mapped ? cg.code.cap : 0;
  memset(&cg.code, 0, sizeof cg.code);
  *out = obj;
  goto done;
fail:
  wr_object_free(obj);
done:
  wr_codebuf_free(&cg.code);
  free(cg.labels);
  free(cg.fixups);
  free(cg.local_types);
  free(cg.local_regs);
  free(s.weights);
  free(s.nesting);
  free(cg.calls);
  free(cg.stubs);
  free(cg.slows);
  target->release(&cg);
  free(s.stack);
  free(s.frames);
  free(s.tramp);
  return rc;
}

wasmrt_result wr_compile_module_with(const wr_module *m, const wr_target *target,
                                     const wr_compile_options *opts, wr_object **out,
                                     wasmrt_error *err)
{
  bool retry = false;
  wasmrt_result rc = cg_compile(m, target, opts, opts->far_calls, &retry, out, err);
  if (retry && !opts->far_calls)
    rc = cg_compile(m, target, opts, true, &retry, out, err);
  return rc;
}

wasmrt_result wr_compile_module(const wr_module *m, const wr_target *target, wr_object **out,
                                wasmrt_error *err)
{
  wr_compile_options opts = {false, false};
  return wr_compile_module_with(m, target, &opts, out, err);
}
