/* test_instance.c - the runtime without running compiled code: stores and
 * host objects, import matching and its messages, globals, segments and
 * their bounds at instantiation, exports, growth limits. Objects are made
 * by hand (object_builder.h) with placeholder code (one `ret` per function
 * for the host's architecture; one test calls it). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "object_builder.h"
#include "runtime/runtime.h"
#include "wasmrt.h"

static wb b;

/* The module in `b`, decoded, and a placeholder object for it. */
typedef struct loaded {
  wasmrt_module *module;
  wasmrt_compiled *compiled;
} loaded;

static loaded load(void)
{
  loaded l;
  wasmrt_error err;
  wasmrt_result r = wasmrt_module_decode(b.data, b.len, &l.module, &err);
  if (r != WASMRT_OK) {
    print_error("decode: %s\n", err.message);
    fail();
  }
  l.compiled = ob_placeholder(l.module, ob_host_target());
  return l;
}

static void unload(loaded *l)
{
  wasmrt_compiled_free(l->compiled);
  wasmrt_module_free(l->module);
}

static wasmrt_store *new_store(void)
{
  wasmrt_store *s = NULL;
  assert_int_equal(wasmrt_store_new(&s, NULL), WASMRT_OK);
  return s;
}

static const char *host_sum(void *env, const wasmrt_val *params, wasmrt_val *results)
{
  (void)env;
  results[0].of.i32 = params[0].of.i32 + params[1].of.i32;
  return NULL;
}

static const char *host_fail(void *env, const wasmrt_val *params, wasmrt_val *results)
{
  (void)env;
  (void)params;
  (void)results;
  return "the host says no";
}

static void test_store_and_host_objects(void **state)
{
  (void)state;
  wasmrt_store_free(NULL);
  wasmrt_compiled_free(NULL);
  wasmrt_store *s = new_store();
  wasmrt_error err;
  const wasmrt_valtype ii[2] = {WASMRT_I32, WASMRT_I32};
  wasmrt_func *f = NULL;
  assert_int_equal(wasmrt_func_new_host(s, ii, 2, ii, 1, host_sum, NULL, &f, &err), WASMRT_OK);
  const wasmrt_valtype *params, *results;
  size_t pc, rc;
  wasmrt_func_type(f, &params, &pc, &results, &rc);
  assert_int_equal(pc, 2);
  assert_int_equal(rc, 1);
  assert_int_equal(params[1], WASMRT_I32);
  assert_int_equal(results[0], WASMRT_I32);

  /* Called from C, a host function runs directly. */
  wasmrt_val args[2] = {{.type = WASMRT_I32, .of.i32 = 40}, {.type = WASMRT_I32, .of.i32 = 2}};
  wasmrt_val res[1];
  assert_int_equal(wasmrt_func_call(s, f, args, 2, res, 1, &err), WASMRT_OK);
  assert_int_equal(res[0].type, WASMRT_I32);
  assert_int_equal(res[0].of.i32, 42);
  assert_int_equal(wasmrt_func_call(s, f, args, 1, res, 1, &err), WASMRT_ERROR_ARGUMENT);
  args[1].type = WASMRT_I64;
  assert_int_equal(wasmrt_func_call(s, f, args, 2, res, 1, &err), WASMRT_ERROR_ARGUMENT);
  assert_non_null(strstr(err.message, "argument 1 is i64"));

  wasmrt_func *g = NULL;
  assert_int_equal(wasmrt_func_new_host(s, NULL, 0, NULL, 0, host_fail, NULL, &g, &err), WASMRT_OK);
  assert_int_equal(wasmrt_func_call(s, g, NULL, 0, NULL, 0, &err), WASMRT_ERROR_TRAP);
  assert_int_equal(err.trap, WASMRT_TRAP_HOST);
  assert_string_equal(err.message, "the host says no");
  assert_int_equal(err.function, -1);

  const wasmrt_valtype bad = (wasmrt_valtype)0x40;
  assert_int_equal(wasmrt_func_new_host(s, &bad, 1, NULL, 0, host_fail, NULL, &g, &err),
                   WASMRT_ERROR_ARGUMENT);
  const wasmrt_valtype v128 = WASMRT_V128;
  assert_int_equal(wasmrt_func_new_host(s, &v128, 1, NULL, 0, host_fail, NULL, &g, &err),
                   WASMRT_ERROR_UNSUPPORTED);

  wasmrt_global *gl = NULL;
  wasmrt_val init = {.type = WASMRT_F64, .of.f64_bits = 0x7ff8000000000001ull};
  assert_int_equal(wasmrt_global_new(s, WASMRT_F64, 1, &init, &gl, &err), WASMRT_OK);
  int mut = 0;
  assert_int_equal(wasmrt_global_type(gl, &mut), WASMRT_F64);
  assert_int_equal(mut, 1);
  wasmrt_val v = wasmrt_global_get(gl);
  assert_int_equal(v.type, WASMRT_F64);
  assert_true(v.of.f64_bits == 0x7ff8000000000001ull); /* NaN payload kept */
  assert_int_equal(wasmrt_global_new(s, WASMRT_I32, 0, &init, &gl, &err), WASMRT_ERROR_ARGUMENT);

  wasmrt_table *t = NULL;
  assert_int_equal(wasmrt_table_new(s, WASMRT_FUNCREF, 3, 0, 0, &t, &err), WASMRT_OK);
  assert_int_equal(wasmrt_table_size(t), 3);
  assert_int_equal(wasmrt_table_new(s, WASMRT_I32, 3, 0, 0, &t, &err), WASMRT_ERROR_ARGUMENT);
  assert_int_equal(wasmrt_table_new(s, WASMRT_FUNCREF, 3, 1, 2, &t, &err), WASMRT_ERROR_ARGUMENT);
  assert_int_equal(wasmrt_table_new(s, WASMRT_EXTERNREF, 10000001, 0, 0, &t, &err),
                   WASMRT_ERROR_LIMIT);

  wasmrt_memory *mem = NULL;
  assert_int_equal(wasmrt_memory_new(s, 2, 0, 0, &mem, &err), WASMRT_OK);
  uint64_t size = 0;
  uint8_t *data = wasmrt_memory_data(mem, &size);
  assert_int_equal(size, 2 * 65536);
  assert_int_equal(data[0] | data[size - 1], 0); /* zeroed */
  data[size - 1] = 7;
  assert_int_equal(wasmrt_memory_new(s, 2, 1, 1, &mem, &err), WASMRT_ERROR_ARGUMENT);
  assert_int_equal(wasmrt_memory_new(s, 65537, 0, 0, &mem, &err), WASMRT_ERROR_ARGUMENT);
  wasmrt_store_free(s);
}

static void test_trap_messages(void **state)
{
  (void)state;
  assert_string_equal(wasmrt_trap_message(WASMRT_TRAP_UNREACHABLE), "unreachable");
  assert_string_equal(wasmrt_trap_message(WASMRT_TRAP_MEMORY_OUT_OF_BOUNDS),
                      "out of bounds memory access");
  assert_string_equal(wasmrt_trap_message(WASMRT_TRAP_TABLE_OUT_OF_BOUNDS),
                      "out of bounds table access");
  assert_string_equal(wasmrt_trap_message(WASMRT_TRAP_UNDEFINED_ELEMENT), "undefined element");
  assert_string_equal(wasmrt_trap_message(WASMRT_TRAP_UNINITIALIZED_ELEMENT),
                      "uninitialized element");
  assert_string_equal(wasmrt_trap_message(WASMRT_TRAP_INDIRECT_CALL_TYPE),
                      "indirect call type mismatch");
  assert_string_equal(wasmrt_trap_message(WASMRT_TRAP_INTEGER_DIVIDE_BY_ZERO),
                      "integer divide by zero");
  assert_string_equal(wasmrt_trap_message(WASMRT_TRAP_INTEGER_OVERFLOW), "integer overflow");
  assert_string_equal(wasmrt_trap_message(WASMRT_TRAP_INVALID_CONVERSION),
                      "invalid conversion to integer");
  assert_string_equal(wasmrt_trap_message(WASMRT_TRAP_STACK_EXHAUSTED), "call stack exhausted");
  assert_string_equal(wasmrt_trap_message(WASMRT_TRAP_HOST), "host function trapped");
}

/* Imports: 0 func [i32] -> [], 1 table funcref 2..5, 2 memory 1..2, 3 global mut i64. */
static void link_module(void)
{
  wb_header(&b);
  WB_SECTION(&b, 1, 0x01, 0x60, 0x01, 0x7f, 0x00);
  WB_SECTION(&b, 2, 0x04,                                                  /* imports */
             0x03, 'e', 'n', 'v', 0x01, 'f', 0x00, 0x00,                   /* func type 0 */
             0x03, 'e', 'n', 'v', 0x01, 't', 0x01, 0x70, 0x01, 0x02, 0x05, /* table */
             0x03, 'e', 'n', 'v', 0x01, 'm', 0x02, 0x01, 0x01, 0x02,       /* memory */
             0x03, 'e', 'n', 'v', 0x01, 'g', 0x03, 0x7e, 0x01);            /* global */
}

typedef struct link_env {
  wasmrt_store *s;
  loaded l;
  wasmrt_extern imports[4];
  wasmrt_error err;
} link_env;

static wasmrt_result try_link(link_env *e)
{
  wasmrt_instance *inst = NULL;
  wasmrt_result r = wasmrt_instantiate(e->s, e->l.compiled, e->imports, 4, &inst, &e->err);
  assert_true((r == WASMRT_OK) == (inst != NULL));
  return r;
}

static void expect_link_error(link_env *e, const char *message)
{
  assert_int_equal(try_link(e), WASMRT_ERROR_LINK);
  assert_int_equal(e->err.code, WASMRT_ERROR_LINK);
  assert_string_equal(e->err.message, message);
}

static void test_import_matching(void **state)
{
  (void)state;
  link_env e;
  memset(&e, 0, sizeof e);
  link_module();
  e.l = load();
  e.s = new_store();
  const wasmrt_valtype i32 = WASMRT_I32;
  wasmrt_func *f, *f_void;
  wasmrt_table *t25, *t15, *t2, *t35, *t26, *ext25;
  wasmrt_memory *m12, *m1, *m22;
  wasmrt_global *g_mut_i64, *g_i64, *g_mut_i32;
  wasmrt_val zero64 = {.type = WASMRT_I64}, zero32 = {.type = WASMRT_I32};
  assert_int_equal(wasmrt_func_new_host(e.s, &i32, 1, NULL, 0, host_fail, NULL, &f, NULL), 0);
  assert_int_equal(wasmrt_func_new_host(e.s, NULL, 0, NULL, 0, host_fail, NULL, &f_void, NULL), 0);
  assert_int_equal(wasmrt_table_new(e.s, WASMRT_FUNCREF, 2, 1, 5, &t25, NULL), 0);
  assert_int_equal(wasmrt_table_new(e.s, WASMRT_FUNCREF, 1, 1, 5, &t15, NULL), 0);
  assert_int_equal(wasmrt_table_new(e.s, WASMRT_FUNCREF, 2, 0, 0, &t2, NULL), 0);
  assert_int_equal(wasmrt_table_new(e.s, WASMRT_FUNCREF, 3, 1, 5, &t35, NULL), 0);
  assert_int_equal(wasmrt_table_new(e.s, WASMRT_FUNCREF, 2, 1, 6, &t26, NULL), 0);
  assert_int_equal(wasmrt_table_new(e.s, WASMRT_EXTERNREF, 2, 1, 5, &ext25, NULL), 0);
  assert_int_equal(wasmrt_memory_new(e.s, 1, 1, 2, &m12, NULL), 0);
  assert_int_equal(wasmrt_memory_new(e.s, 1, 0, 0, &m1, NULL), 0);
  assert_int_equal(wasmrt_memory_new(e.s, 2, 1, 2, &m22, NULL), 0);
  assert_int_equal(wasmrt_global_new(e.s, WASMRT_I64, 1, &zero64, &g_mut_i64, NULL), 0);
  assert_int_equal(wasmrt_global_new(e.s, WASMRT_I64, 0, &zero64, &g_i64, NULL), 0);
  assert_int_equal(wasmrt_global_new(e.s, WASMRT_I32, 1, &zero32, &g_mut_i32, NULL), 0);

  wasmrt_extern good[4] = {{WASMRT_EXTERN_FUNC, {.func = f}},
                           {WASMRT_EXTERN_TABLE, {.table = t25}},
                           {WASMRT_EXTERN_MEMORY, {.memory = m12}},
                           {WASMRT_EXTERN_GLOBAL, {.global = g_mut_i64}}};
  memcpy(e.imports, good, sizeof good);
  assert_int_equal(try_link(&e), WASMRT_OK);

  wasmrt_instance *inst = NULL;
  assert_int_equal(wasmrt_instantiate(e.s, e.l.compiled, e.imports, 3, &inst, &e.err),
                   WASMRT_ERROR_LINK);
  assert_string_equal(e.err.message, "the module has 4 imports, 3 were given");

  e.imports[0].of.func = f_void;
  expect_link_error(&e, "import 0 (\"env\" \"f\"): expected func [i32] -> [], got func [] -> []");
  e.imports[0] = (wasmrt_extern){WASMRT_EXTERN_MEMORY, {.memory = m1}};
  expect_link_error(&e,
                    "import 0 (\"env\" \"f\"): expected func [i32] -> [], got memory (min 1, no "
                    "max)");
  memcpy(e.imports, good, sizeof good);

  /* Tables: element type, then limits subtyping. */
  e.imports[1].of.table = t15;
  expect_link_error(&e, "import 1 (\"env\" \"t\"): expected table funcref (min 2, max 5), got "
                        "table funcref (min 1, max 5)");
  e.imports[1].of.table = t2;
  expect_link_error(&e, "import 1 (\"env\" \"t\"): expected table funcref (min 2, max 5), got "
                        "table funcref (min 2, no max)");
  e.imports[1].of.table = t26;
  assert_int_equal(try_link(&e), WASMRT_ERROR_LINK);
  e.imports[1].of.table = ext25;
  expect_link_error(&e, "import 1 (\"env\" \"t\"): expected table funcref (min 2, max 5), got "
                        "table externref (min 2, max 5)");
  e.imports[1].of.table = t35;
  assert_int_equal(try_link(&e), WASMRT_OK);
  /* A table that grew meets a larger minimum. */
  assert_int_equal(wr_table_grow(&t15->t, NULL, 1), 1);
  e.imports[1].of.table = t15;
  assert_int_equal(try_link(&e), WASMRT_OK);
  memcpy(e.imports, good, sizeof good);

  e.imports[2].of.memory = m1;
  expect_link_error(&e, "import 2 (\"env\" \"m\"): expected memory (min 1, max 2), got memory "
                        "(min 1, no max)");
  e.imports[2].of.memory = m22;
  assert_int_equal(try_link(&e), WASMRT_OK);
  memcpy(e.imports, good, sizeof good);

  e.imports[3].of.global = g_i64;
  expect_link_error(&e, "import 3 (\"env\" \"g\"): expected global mut i64, got global i64");
  e.imports[3].of.global = g_mut_i32;
  expect_link_error(&e, "import 3 (\"env\" \"g\"): expected global mut i64, got global mut i32");
  memcpy(e.imports, good, sizeof good);

  /* Misuse: no object, or one of another store. */
  e.imports[3].of.global = NULL;
  assert_int_equal(try_link(&e), WASMRT_ERROR_ARGUMENT);
  wasmrt_store *other = new_store();
  wasmrt_global *foreign = NULL;
  assert_int_equal(wasmrt_global_new(other, WASMRT_I64, 1, &zero64, &foreign, NULL), 0);
  e.imports[3].of.global = foreign;
  assert_int_equal(try_link(&e), WASMRT_ERROR_ARGUMENT);
  assert_non_null(strstr(e.err.message, "another store"));
  wasmrt_store_free(other);

  wasmrt_store_free(e.s);
  unload(&e.l);
}

/* Imports table "env" "t" (funcref, min 2) and memory "env" "m" (min 1);
 * defines function 0 : [] -> []; element segments: [f0] at 0, then [f0 f0]
 * at `elem2_offset`; data: "hi" at 0, then "xyz" at `data2_offset`. */
static void segment_module(uint8_t elem2_offset, bool data2_out)
{
  wb_header(&b);
  WB_SECTION(&b, 1, 0x01, 0x60, 0x00, 0x00);
  WB_SECTION(&b, 2, 0x02, 0x03, 'e', 'n', 'v', 0x01, 't', 0x01, 0x70, 0x00, 0x02, /* table */
             0x03, 'e', 'n', 'v', 0x01, 'm', 0x02, 0x00, 0x01);                   /* memory */
  WB_SECTION(&b, 3, 0x01, 0x00);
  static wb s;
  s.len = 0;
  wb_u32(&s, 2);
  wb_bytes(&s, "\x00\x41\x00\x0b\x01\x00", 6);
  wb_bytes(&s, "\x00\x41", 2);
  wb_byte(&s, elem2_offset);
  wb_bytes(&s, "\x0b\x02\x00\x00", 4);
  wb_section(&b, 9, &s);
  WB_SECTION(&b, 10, 0x01, 0x02, 0x00, 0x0b);
  s.len = 0;
  wb_u32(&s, 2);
  wb_bytes(&s, "\x00\x41\x00\x0b\x02hi", 7);
  wb_bytes(&s, "\x00\x41", 2);
  wb_s64(&s, data2_out ? 65535 : 100);
  wb_bytes(&s, "\x0b\x03xyz", 5);
  wb_section(&b, 11, &s);
}

static void test_segments_out_of_bounds(void **state)
{
  (void)state;
  wasmrt_store *s = new_store();
  wasmrt_error err;
  wasmrt_table *t;
  wasmrt_memory *mem;
  assert_int_equal(wasmrt_table_new(s, WASMRT_FUNCREF, 2, 0, 0, &t, NULL), 0);
  assert_int_equal(wasmrt_memory_new(s, 1, 0, 0, &mem, NULL), 0);
  wasmrt_extern imports[2] = {{WASMRT_EXTERN_TABLE, {.table = t}},
                              {WASMRT_EXTERN_MEMORY, {.memory = mem}}};
  uint8_t *data = wasmrt_memory_data(mem, NULL);
  wasmrt_instance *inst = NULL;

  /* The second element segment is out of bounds: the first stays written,
   * no data segment is applied. */
  segment_module(1, false);
  loaded l1 = load();
  assert_int_equal(wasmrt_instantiate(s, l1.compiled, imports, 2, &inst, &err), WASMRT_ERROR_TRAP);
  assert_null(inst);
  assert_int_equal(err.trap, WASMRT_TRAP_TABLE_OUT_OF_BOUNDS);
  assert_string_equal(err.message, "wasm trap: out of bounds table access, element segment 1");
  wasmrt_func *written = (wasmrt_func *)t->t.elems[0];
  assert_non_null(written);
  assert_null(t->t.elems[1]);
  assert_int_equal(data[0], 0);
  /* The failed instance's function stays alive in the store. */
  size_t pc = 9, rc = 9;
  wasmrt_func_type(written, NULL, &pc, NULL, &rc);
  assert_int_equal(pc + rc, 0);

  /* Elements fit; the second data segment is out of bounds. */
  t->t.elems[0] = NULL;
  segment_module(0, true);
  loaded l2 = load();
  assert_int_equal(wasmrt_instantiate(s, l2.compiled, imports, 2, &inst, &err), WASMRT_ERROR_TRAP);
  assert_int_equal(err.trap, WASMRT_TRAP_MEMORY_OUT_OF_BOUNDS);
  assert_string_equal(err.message, "wasm trap: out of bounds memory access, data segment 1");
  assert_non_null(t->t.elems[0]);
  assert_non_null(t->t.elems[1]);
  assert_memory_equal(data, "hi", 2);
  assert_int_equal(data[65535], 0);

  /* All in bounds. */
  memset(data, 0, 2);
  segment_module(0, false);
  loaded l3 = load();
  assert_int_equal(wasmrt_instantiate(s, l3.compiled, imports, 2, &inst, &err), WASMRT_OK);
  assert_memory_equal(data, "hi", 2);
  assert_memory_equal(data + 100, "xyz", 3);
  assert_true(t->t.elems[0] == t->t.elems[1]);
  assert_ptr_equal(((wasmrt_func *)t->t.elems[0])->instance, inst);

  wasmrt_store_free(s);
  unload(&l1);
  unload(&l2);
  unload(&l3);
}

static void test_globals_and_exports(void **state)
{
  (void)state;
  /* Imports global i32 "env" "g"; defines function 0 and globals 1..6:
   * i64 -5, f32 1.5, mut i32 = global.get 0, funcref = ref.func 0,
   * externref null, f64 2.5; exports all of them, the function, and the
   * imported global again. */
  wb_header(&b);
  WB_SECTION(&b, 1, 0x01, 0x60, 0x00, 0x00);
  WB_SECTION(&b, 2, 0x01, 0x03, 'e', 'n', 'v', 0x01, 'g', 0x03, 0x7f, 0x00);
  WB_SECTION(&b, 3, 0x01, 0x00);
  WB_SECTION(&b, 6, 0x06,                                           /* globals */
             0x7e, 0x00, 0x42, 0x7b, 0x0b,                          /* i64 -5 */
             0x7d, 0x00, 0x43, 0x00, 0x00, 0xc0, 0x3f, 0x0b,        /* f32 1.5 */
             0x7f, 0x01, 0x23, 0x00, 0x0b,                          /* global.get */
             0x70, 0x00, 0xd2, 0x00, 0x0b,                          /* ref.func 0 */
             0x6f, 0x00, 0xd0, 0x6f, 0x0b,                          /* null */
             0x7c, 0x00, 0x44, 0, 0, 0, 0, 0, 0, 0x04, 0x40, 0x0b); /* f64 2.5 */
  WB_SECTION(&b, 7, 0x08, 0x02, 'g', '1', 0x03, 0x01, 0x02, 'g', '2', 0x03, 0x02, 0x02, 'g', '3',
             0x03, 0x03, 0x02, 'g', '4', 0x03, 0x04, 0x02, 'g', '5', 0x03, 0x05, 0x02, 'g', '6',
             0x03, 0x06, 0x01, 'f', 0x00, 0x00, 0x01, 'g', 0x03, 0x00);
  WB_SECTION(&b, 10, 0x01, 0x02, 0x00, 0x0b);
  loaded l = load();
  wasmrt_store *s = new_store();
  wasmrt_error err;
  wasmrt_global *imported;
  wasmrt_val v77 = {.type = WASMRT_I32, .of.i32 = 77};
  assert_int_equal(wasmrt_global_new(s, WASMRT_I32, 0, &v77, &imported, NULL), 0);
  wasmrt_extern imports[1] = {{WASMRT_EXTERN_GLOBAL, {.global = imported}}};
  wasmrt_instance *inst = NULL;
  assert_int_equal(wasmrt_instantiate(s, l.compiled, imports, 1, &inst, &err), WASMRT_OK);

  wasmrt_extern x[8];
  static const char *const names[8] = {"g1", "g2", "g3", "g4", "g5", "g6", "f", "g"};
  for (int i = 0; i < 8; i++)
    assert_int_equal(wasmrt_instance_export(inst, names[i], strlen(names[i]), &x[i]), WASMRT_OK);
  assert_int_equal(wasmrt_instance_export(inst, "nope", 4, &x[0]), WASMRT_ERROR_ARGUMENT);
  assert_int_equal(wasmrt_instance_export(inst, "g", 0, &x[0]), WASMRT_ERROR_ARGUMENT);

  wasmrt_val v = wasmrt_global_get(x[0].of.global);
  assert_int_equal(v.type, WASMRT_I64);
  assert_true(v.of.i64 == (uint64_t)-5);
  v = wasmrt_global_get(x[1].of.global);
  assert_int_equal(v.type, WASMRT_F32);
  assert_int_equal(v.of.f32_bits, 0x3fc00000);
  int mut = 0;
  assert_int_equal(wasmrt_global_type(x[2].of.global, &mut), WASMRT_I32);
  assert_int_equal(mut, 1);
  assert_int_equal(wasmrt_global_get(x[2].of.global).of.i32, 77);
  assert_int_equal(x[6].kind, WASMRT_EXTERN_FUNC);
  assert_ptr_equal(wasmrt_global_get(x[3].of.global).of.funcref, x[6].of.func);
  assert_null(wasmrt_global_get(x[4].of.global).of.externref);
  assert_true(wasmrt_global_get(x[5].of.global).of.f64_bits == 0x4004000000000000ull);
  /* An imported global is re-exported as the same object. */
  assert_ptr_equal(x[7].of.global, imported);

  /* A defined global's cell is in the vmctx, where compiled code reads it. */
  const wr_module *m = l.module->decoded;
  uint64_t *cell = (uint64_t *)((uint8_t *)inst->vmctx + wr_vmctx_global_offset(m, 3));
  assert_ptr_equal(cell, x[2].of.global->cell);
  assert_ptr_equal(inst->vmctx->imported_globals[0], imported->cell);
  assert_ptr_equal(inst->vmctx->funcs[0], &x[6].of.func->ref);
  assert_ptr_equal(x[6].of.func->ref.vmctx, inst->vmctx);

  wasmrt_store_free(s);
  unload(&l);
}

static void test_growth_limits(void **state)
{
  (void)state;
  wasmrt_store *s = new_store();
  wasmrt_memory *mem;
  assert_int_equal(wasmrt_memory_new(s, 1, 1, 3, &mem, NULL), 0);
  assert_int_equal(wr_memory_grow(&mem->m, 0), 1);
  assert_int_equal(wr_memory_grow(&mem->m, 1), 1);
  assert_int_equal(wr_memory_grow(&mem->m, 2), UINT64_MAX);
  assert_int_equal(wr_memory_grow(&mem->m, 1), 2);
  assert_int_equal(wr_memory_grow(&mem->m, 1), UINT64_MAX);
  uint64_t size;
  uint8_t *data = wasmrt_memory_data(mem, &size);
  assert_int_equal(size, 3 * 65536);
  data[size - 1] = 1; /* the grown pages are accessible */

  /* Without a maximum, 65536 pages (4 GiB of address space) and no more. */
  assert_int_equal(wasmrt_memory_new(s, 0, 0, 0, &mem, NULL), 0);
  assert_int_equal(wr_memory_grow(&mem->m, 65537u), UINT64_MAX);
  assert_int_equal(wr_memory_grow(&mem->m, 65536u), 0);
  assert_int_equal(wr_memory_grow(&mem->m, 1), UINT64_MAX);

  wasmrt_table *t;
  assert_int_equal(wasmrt_table_new(s, WASMRT_FUNCREF, 1, 1, 3, &t, NULL), 0);
  int marker;
  assert_int_equal(wr_table_grow(&t->t, &marker, 2), 1);
  assert_int_equal(wasmrt_table_size(t), 3);
  assert_ptr_equal(t->t.elems[2], &marker);
  assert_null(t->t.elems[0]);
  assert_int_equal(wr_table_grow(&t->t, NULL, 1), UINT64_MAX);
  assert_int_equal(wr_table_grow(&t->t, NULL, 0), 3);
  assert_int_equal(wasmrt_table_new(s, WASMRT_EXTERNREF, 1, 0, 0, &t, NULL), 0);
  assert_int_equal(wr_table_grow(&t->t, NULL, 10000000u), UINT64_MAX); /* wasmrt's limit */
  assert_int_equal(wr_table_grow(&t->t, NULL, 1000), 1);
  wasmrt_store_free(s);
}

static void test_bulk_operations(void **state)
{
  (void)state;
  wasmrt_store *s = new_store();
  wasmrt_memory *mem;
  assert_int_equal(wasmrt_memory_new(s, 1, 0, 0, &mem, NULL), 0);
  wr_memory *m = &mem->m;
  memcpy(m->base + 10, "abcdef", 6);
  assert_int_equal(wr_memory_copy(m, m, 11, 10, 5), WASMRT_TRAP_NONE); /* overlapping */
  assert_memory_equal(m->base + 10, "aabcde", 6);
  assert_int_equal(wr_memory_copy(m, m, 65530, 10, 7), WASMRT_TRAP_MEMORY_OUT_OF_BOUNDS);
  assert_int_equal(m->base[65530], 0); /* nothing written */
  assert_int_equal(wr_memory_copy(m, m, 65536, 0, 0), WASMRT_TRAP_NONE);
  assert_int_equal(wr_memory_copy(m, m, 65537, 0, 0), WASMRT_TRAP_MEMORY_OUT_OF_BOUNDS);
  assert_int_equal(wr_memory_fill(m, 65535, 9, 2), WASMRT_TRAP_MEMORY_OUT_OF_BOUNDS);
  assert_int_equal(m->base[65535], 0);
  assert_int_equal(wr_memory_fill(m, 65535, 9, 1), WASMRT_TRAP_NONE);
  assert_int_equal(m->base[65535], 9);
  assert_int_equal(wr_memory_fill(m, 0xffffffffu, 9, 0xffffffffu),
                   WASMRT_TRAP_MEMORY_OUT_OF_BOUNDS);
  /* A dropped segment is empty: length 0 at offset 0 succeeds. */
  assert_int_equal(wr_memory_init(m, (const uint8_t *)"xyz", 3, 0, 1, 2), WASMRT_TRAP_NONE);
  assert_memory_equal(m->base, "yz", 2);
  assert_int_equal(wr_memory_init(m, NULL, 0, 0, 0, 0), WASMRT_TRAP_NONE);
  assert_int_equal(wr_memory_init(m, NULL, 0, 0, 0, 1), WASMRT_TRAP_MEMORY_OUT_OF_BOUNDS);
  assert_int_equal(wr_memory_init(m, NULL, 0, 0, 1, 0), WASMRT_TRAP_MEMORY_OUT_OF_BOUNDS);

  wasmrt_table *t;
  assert_int_equal(wasmrt_table_new(s, WASMRT_EXTERNREF, 4, 0, 0, &t, NULL), 0);
  int a, c;
  void *items[2] = {&a, &c};
  assert_int_equal(wr_table_init(&t->t, items, 2, 1, 0, 2), WASMRT_TRAP_NONE);
  assert_int_equal(wr_table_init(&t->t, items, 2, 3, 0, 2), WASMRT_TRAP_TABLE_OUT_OF_BOUNDS);
  assert_null(t->t.elems[3]);
  assert_int_equal(wr_table_copy(&t->t, &t->t, 2, 1, 2), WASMRT_TRAP_NONE);
  assert_ptr_equal(t->t.elems[2], &a);
  assert_ptr_equal(t->t.elems[3], &c);
  assert_int_equal(wr_table_fill(&t->t, 0, &c, 2), WASMRT_TRAP_NONE);
  assert_ptr_equal(t->t.elems[1], &c);
  assert_int_equal(wr_table_fill(&t->t, 3, NULL, 2), WASMRT_TRAP_TABLE_OUT_OF_BOUNDS);
  assert_ptr_equal(t->t.elems[3], &c);
  void *out = NULL;
  assert_int_equal(wr_table_get(&t->t, 4, &out), WASMRT_TRAP_TABLE_OUT_OF_BOUNDS);
  assert_int_equal(wr_table_set(&t->t, 4, NULL), WASMRT_TRAP_TABLE_OUT_OF_BOUNDS);
  assert_int_equal(wr_table_get(&t->t, 2, &out), WASMRT_TRAP_NONE);
  assert_ptr_equal(out, &a);
  wasmrt_store_free(s);
}

static void test_canonical_types_and_targets(void **state)
{
  (void)state;
  /* Two types, the same signature: one canonical id. */
  wb_header(&b);
  WB_SECTION(&b, 1, 0x03, 0x60, 0x01, 0x7f, 0x01, 0x7e, 0x60, 0x00, 0x00, 0x60, 0x01, 0x7f, 0x01,
             0x7e);
  WB_SECTION(&b, 3, 0x02, 0x00, 0x02);
  WB_SECTION(&b, 10, 0x02, 0x04, 0x00, 0x42, 0x00, 0x0b, 0x04, 0x00, 0x42, 0x00, 0x0b);
  loaded l = load();
  wasmrt_store *s = new_store();
  wasmrt_instance *inst = NULL;
  wasmrt_error err;
  assert_int_equal(wasmrt_instantiate(s, l.compiled, NULL, 0, &inst, &err), WASMRT_OK);
  assert_int_equal(inst->type_ids[0], inst->type_ids[2]);
  assert_int_not_equal(inst->type_ids[0], inst->type_ids[1]);
  assert_int_equal(inst->funcs[0]->type_id, inst->funcs[1]->type_id);
  /* A host function of that signature has the same id. */
  const wasmrt_valtype p = WASMRT_I32, r = WASMRT_I64;
  wasmrt_func *h;
  assert_int_equal(wasmrt_func_new_host(s, &p, 1, &r, 1, host_fail, NULL, &h, NULL), 0);
  assert_int_equal(h->ref.type_id, inst->type_ids[0]);
  assert_int_equal(wasmrt_compiled_target(l.compiled), ob_host_target());

  /* Running: the placeholder code is a bare `ret`, so the result is what
   * the argument's slot held. */
  wasmrt_val arg = {.type = WASMRT_I32, .of.i32 = 5}, res;
  assert_int_equal(wasmrt_func_call(s, wr_func_of(inst->funcs[0]), &arg, 1, &res, 1, &err),
                   WASMRT_OK);
  assert_int_equal(res.type, WASMRT_I64);
  assert_int_equal(res.of.i64, 5);

  /* Code for the other architecture is refused. */
  wasmrt_compiled *foreign =
      ob_placeholder(l.module, ob_host_target() == WASMRT_TARGET_X86_64 ? WASMRT_TARGET_ARM64
                                                                        : WASMRT_TARGET_X86_64);
  assert_int_equal(wasmrt_instantiate(s, foreign, NULL, 0, &inst, &err), WASMRT_ERROR_UNSUPPORTED);
  assert_non_null(strstr(err.message, "compiled for"));
  wasmrt_store_free(s);
  wasmrt_compiled_free(foreign);
  unload(&l);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_store_and_host_objects),
      cmocka_unit_test(test_trap_messages),
      cmocka_unit_test(test_import_matching),
      cmocka_unit_test(test_segments_out_of_bounds),
      cmocka_unit_test(test_globals_and_exports),
      cmocka_unit_test(test_growth_limits),
      cmocka_unit_test(test_bulk_operations),
      cmocka_unit_test(test_canonical_types_and_targets),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
