/*
 * object_builder.h - compiled objects made by hand for the runtime tests,
 * so the runtime is tested without the code generator: each test writes
 * the machine code of its functions with the host's encoder (or leaves
 * placeholder code that does nothing) and lists their trap sites and frame
 * points, then attaches the object to a module decoded from bytes made
 * with wasm_builder.h.
 *
 * Functions must be begun in function index order, every defined function
 * once, as wr_object requires.
 */
#ifndef WASMRT_TESTS_OBJECT_BUILDER_H
#define WASMRT_TESTS_OBJECT_BUILDER_H

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "backend/arm64/arm64_encoder.h"
#include "backend/x86_64/x86_encoder.h"
#include "compiler/abi.h"
#include "compiler/object.h"
#include "runtime/compiled.h"
#include "wasm_builder.h"
#include "wasmrt.h"

typedef struct ob {
  wr_codebuf code;
  wr_func_code funcs[64];
  uint32_t nfuncs;
  wr_trap_site traps[64];
  uint32_t ntraps;
  wr_frame_point points[64];
  uint32_t npoints;
  uint8_t pool[512];
  uint32_t npool;
  uint32_t func_index; /* of the function being written */
} ob;

/* Type letters as in wasm_builder.h (i I f F v r e) into the type pool. */
static inline uint32_t ob_types(ob *o, const char *letters)
{
  uint32_t at = o->npool;
  for (const char *c = letters; *c; c++) {
    assert(o->npool < sizeof o->pool);
    o->pool[o->npool++] = wb_type_char(*c);
  }
  return at;
}

/* Starts function `func_index` (imports counted) with `param_count`
 * params; `locals` gives the types of all locals, params first. */
static inline void ob_begin(ob *o, uint32_t func_index, uint32_t param_count, const char *locals)
{
  assert(o->nfuncs < 64);
  wr_func_code *f = &o->funcs[o->nfuncs++];
  memset(f, 0, sizeof *f);
  f->code_offset = (uint32_t)o->code.len;
  f->param_count = param_count;
  f->local_count = (uint32_t)strlen(locals);
  f->local_types = ob_types(o, locals);
  f->first_point = o->npoints;
  o->func_index = func_index;
}

static inline void ob_end(ob *o)
{
  wr_func_code *f = &o->funcs[o->nfuncs - 1];
  f->code_size = (uint32_t)o->code.len - f->code_offset;
  f->point_count = o->npoints - f->first_point;
}

/* The instruction emitted next is a trap site. */
static inline void ob_trap(ob *o, uint32_t wasm_offset, wasmrt_trap_kind kind)
{
  assert(o->ntraps < 64);
  wr_trap_site *t = &o->traps[o->ntraps++];
  t->native_offset = (uint32_t)o->code.len;
  t->func_index = o->func_index;
  t->wasm_offset = wasm_offset;
  t->kind = (uint8_t)kind;
}

/* The call just emitted is a frame point (its return address is here). */
static inline void ob_point(ob *o, uint32_t wasm_offset, wr_point_kind kind,
                            const char *operand_types)
{
  assert(o->npoints < 64);
  wr_frame_point *p = &o->points[o->npoints++];
  p->native_offset = (uint32_t)o->code.len;
  p->func_index = o->func_index;
  p->wasm_offset = wasm_offset;
  p->stack_depth = (uint32_t)strlen(operand_types);
  p->types = ob_types(o, operand_types);
  p->kind = (uint8_t)kind;
}

static inline void *ob_dup(const void *p, size_t n)
{
  void *q = malloc(n ? n : 1);
  assert(q);
  if (n)
    memcpy(q, p, n);
  return q;
}

/* The object for `module`, owned by the returned compiled (free it with
 * wasmrt_compiled_free before the module). */
static inline wasmrt_compiled *ob_finish(ob *o, const wasmrt_module *module, wasmrt_target target)
{
  assert(!o->code.failed);
  wr_object *obj = calloc(1, sizeof *obj);
  wasmrt_compiled *c = calloc(1, sizeof *c);
  assert(obj && c);
  obj->target = target;
  obj->code = ob_dup(o->code.data, o->code.len);
  obj->code_size = o->code.len;
  obj->funcs = ob_dup(o->funcs, o->nfuncs * sizeof *o->funcs);
  obj->func_count = o->nfuncs;
  obj->traps = ob_dup(o->traps, o->ntraps * sizeof *o->traps);
  obj->trap_count = o->ntraps;
  obj->points = ob_dup(o->points, o->npoints * sizeof *o->points);
  obj->point_count = o->npoints;
  obj->type_pool = ob_dup(o->pool, o->npool);
  obj->type_pool_size = o->npool;
  c->module = module->decoded;
  c->object = obj;
  wr_codebuf_free(&o->code);
  memset(o, 0, sizeof *o);
  return c;
}

/* An object whose functions are one `ret` each, for `target`: calling one
 * returns what its first argument slot held (instantiation tests). */
static inline wasmrt_compiled *ob_placeholder(const wasmrt_module *module, wasmrt_target target)
{
  static ob o;
  memset(&o, 0, sizeof o);
  const wr_module *m = module->decoded;
  for (uint32_t i = m->imported_function_count; i < m->function_count; i++) {
    const wr_functype *t = &m->types[m->functions[i].type_index];
    char locals[64] = {0};
    for (uint32_t k = 0; k < t->param_count && k < 63; k++) {
      static const char letters[] = "iIfFvre";
      for (const char *c = letters; *c; c++)
        if (wb_type_char(*c) == wr_functype_params(m, t)[k])
          locals[k] = *c;
    }
    ob_begin(&o, i, t->param_count, locals);
    if (target == WASMRT_TARGET_ARM64)
      arm64_ret(&o.code, ARM64_X30);
    else
      wr_codebuf_byte(&o.code, 0xc3); /* ret */
    ob_end(&o);
  }
  return ob_finish(&o, module, target);
}

/* The target the host can run (or instantiate for). */
static inline wasmrt_target ob_host_target(void)
{
#if defined(__aarch64__)
  return WASMRT_TARGET_ARM64;
#else
  return WASMRT_TARGET_X86_64;
#endif
}

#endif
