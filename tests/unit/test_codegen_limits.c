/*
 * test_codegen_limits.c - modules at the edges of what a function may hold
 * (docs/LIMITS.md) compile and compute the right answer: the most locals,
 * the deepest nesting, the deepest operand stack, a large body with long
 * branches, many live values of every type across calls.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "compiler/codegen.h"
#include "compiler/limits.h"
#include "runtime/compiled.h"
#include "runtime/runtime.h"
#include "tests/unit/wasm_builder.h"
#include "wasmrt.h"

static wb module, body;

/* Compile `module` with `opts`, call its export "f" with `arg` (i32 or
 * i64 by `arg_type`); the call's result code, the result zero-extended in
 * *out, the error in *err. */
static wasmrt_result call_f(const wr_compile_options *opts, wasmrt_valtype arg_type, uint64_t arg,
                            wasmrt_valtype result_type, uint64_t *out, wasmrt_error *err)
{
  wasmrt_module *m = NULL;
  wasmrt_compiled *c = NULL;
  wasmrt_store *s = NULL;
  wasmrt_instance *inst = NULL;
  wasmrt_extern e;
  assert_int_equal(wasmrt_module_decode(module.data, module.len, &m, err), WASMRT_OK);
  if (wr_compile_with(m, WASMRT_TARGET_HOST, opts, &c, err) != WASMRT_OK)
    fail_msg("compile: %s", err->message);
  assert_int_equal(wasmrt_store_new(&s, err), WASMRT_OK);
  assert_int_equal(wasmrt_instantiate(s, c, NULL, 0, &inst, err), WASMRT_OK);
  assert_int_equal(wasmrt_instance_export(inst, "f", 1, &e), WASMRT_OK);
  wasmrt_val a = {arg_type, {.i64 = arg}}, r;
  wasmrt_result rc = wasmrt_func_call(s, e.of.func, &a, arg_type ? 1 : 0, &r, 1, err);
  if (rc == WASMRT_OK) {
    assert_int_equal(r.type, result_type);
    *out = result_type == WASMRT_I32 ? r.of.i32 : r.of.i64;
  }
  wasmrt_store_free(s);
  wasmrt_compiled_free(c);
  wasmrt_module_free(m);
  return rc;
}

/* call_f with the default options, where the call must succeed. */
static uint64_t run_f(wasmrt_valtype arg_type, uint64_t arg, wasmrt_valtype result_type)
{
  wr_compile_options opts = {false, false};
  wasmrt_error err;
  uint64_t v = 0;
  if (call_f(&opts, arg_type, arg, result_type, &v, &err) != WASMRT_OK)
    fail_msg("call: %s", err.message);
  return v;
}

/* WR_MAX_LOCALS locals: the frame is large and zeroed, the last local is
 * addressed far below the frame pointer. */
static void test_most_locals(void **state)
{
  (void)state;
  uint32_t last = WR_MAX_LOCALS - 1;
  body.len = 0;
  wb_u32(&body, 1);
  wb_u32(&body, WR_MAX_LOCALS - 1); /* plus the parameter */
  wb_byte(&body, 0x7e);
  /* local[last] = param + 5; result = local[last] + local[last - 1] (zero) */
  static const uint8_t get0[] = {0x20, 0x00, 0xad, 0x42, 0x05, 0x7c}; /* i64.extend_i32_u, +5 */
  wb_bytes(&body, get0, sizeof get0);
  wb_byte(&body, 0x21);
  wb_u32(&body, last);
  wb_byte(&body, 0x20);
  wb_u32(&body, last);
  wb_byte(&body, 0x20);
  wb_u32(&body, last - 1);
  wb_byte(&body, 0x7c);
  wb_byte(&body, 0x0b);
  wb_func_module(&module, "i", "I", body.data, body.len, WB_EXPORT);
  assert_int_equal(run_f(WASMRT_I32, 37, WASMRT_I64), 42);
}

/* WR_MAX_NESTING - 1 blocks, each passing an i32 result outwards, with a
 * branch from the innermost one to the outermost. */
static void test_deepest_nesting(void **state)
{
  (void)state;
  uint32_t depth = WR_MAX_NESTING - 1;
  body.len = 0;
  wb_u32(&body, 0);
  for (uint32_t i = 0; i < depth; i++) {
    wb_byte(&body, 0x02);
    wb_byte(&body, 0x7f);
  }
  static const uint8_t inner[] = {0x20, 0x00, 0x41, 0x03, 0x6a}; /* param + 3 */
  wb_bytes(&body, inner, sizeof inner);
  wb_byte(&body, 0x0c); /* br to the outermost block */
  wb_u32(&body, depth - 1);
  for (uint32_t i = 0; i < depth; i++)
    wb_byte(&body, 0x0b);
  wb_byte(&body, 0x0b);
  wb_func_module(&module, "i", "i", body.data, body.len, WB_EXPORT);
  assert_int_equal(run_f(WASMRT_I32, 39, WASMRT_I32), 42);
}

/* 60000 values on the operand stack: registers run out and the rest is
 * spilled to slots reaching half a megabyte below the frame pointer. */
static void test_deep_operand_stack(void **state)
{
  (void)state;
  uint32_t n = 60000;
  body.len = 0;
  wb_u32(&body, 0);
  for (uint32_t i = 0; i < n; i++) {
    wb_byte(&body, 0x20); /* local.get 0: the parameter */
    wb_byte(&body, 0x00);
  }
  for (uint32_t i = 1; i < n; i++)
    wb_byte(&body, 0x6a); /* i32.add */
  wb_byte(&body, 0x0b);
  wb_func_module(&module, "i", "i", body.data, body.len, WB_EXPORT);
  assert_int_equal(run_f(WASMRT_I32, 7, WASMRT_I32), 7u * n);
}

/* A loop whose back-edge jumps over more than 1 MiB of code, and a forward
 * branch over the same: long displacements both ways, beyond the reach of
 * AArch64's conditional branches (which makes the compiler redo the
 * function with far branches). */
#define FILLERS 120000
static void test_long_branches(void **state)
{
  (void)state;
  body.len = 0;
  wb_u32(&body, 1);
  wb_u32(&body, 1);
  wb_byte(&body, 0x7f);                                   /* local 1: counter */
  static const uint8_t head[] = {0x02, 0x40, 0x03, 0x40}; /* block, loop */
  wb_bytes(&body, head, sizeof head);
  /* counter += 1; if counter == 3 br out (forward over the filler) */
  static const uint8_t step[] = {0x20, 0x01, 0x41, 0x01, 0x6a, 0x21, 0x01,
                                 0x20, 0x01, 0x41, 0x03, 0x46, 0x0d, 0x01};
  wb_bytes(&body, step, sizeof step);
  for (int i = 0; i < FILLERS; i++) { /* param = param * 3 + 1, many times */
    static const uint8_t filler[] = {0x20, 0x00, 0x41, 0x03, 0x6c, 0x41, 0x01, 0x6a, 0x21, 0x00};
    wb_bytes(&body, filler, sizeof filler);
  }
  static const uint8_t tail[] = {0x0c, 0x00, 0x0b, 0x0b, 0x20, 0x00, 0x0b}; /* br 0 */
  wb_bytes(&body, tail, sizeof tail);
  wb_func_module(&module, "i", "i", body.data, body.len, WB_EXPORT);
  uint32_t expect = 5;
  for (int round = 0; round < 2; round++)
    for (int i = 0; i < FILLERS; i++)
      expect = expect * 3 + 1;
  assert_int_equal(run_f(WASMRT_I32, 5, WASMRT_I32), expect);
}

/* f(n) = f(n - 1) + (7, 6 or 4 by n % 3, through br_table) + 1000 / (n % 7
 * + 1), f(0) = 0, and f(99999) divides by zero: compiled with the far
 * branch and call forms forced, so that the tests cover them with a small
 * function (on AArch64: a conditional branch over a B for every branch to
 * a label or trap stub, calls through the function table). */
static void test_forced_far_forms(void **state)
{
  (void)state;
  wr_traps_reinstall(); /* cmocka puts its own handlers in place around each test */
  static const uint8_t code[] = {
      0x01, 0x01, 0x7f,                               /* one i32 local */
      0x20, 0x00, 0x41, 0x9f, 0x8d, 0x06, 0x46,       /* n == 99999 */
      0x04, 0x40, 0x41, 0x01, 0x20, 0x00, 0x41, 0x9f, /* if: 1 / (n - 99999) */
      0x8d, 0x06, 0x6b, 0x6e, 0x0f, 0x0b,             /* return, end */
      0x20, 0x00, 0x45, 0x04, 0x40, 0x41, 0x00, 0x0f, /* n == 0: return 0 */
      0x0b, 0x02, 0x40, 0x02, 0x40, 0x02, 0x40,       /* block block block */
      0x20, 0x00, 0x41, 0x03, 0x70,                   /* n % 3 */
      0x0e, 0x02, 0x00, 0x01, 0x02, 0x0b,             /* br_table 0 1 2, end */
      0x20, 0x01, 0x41, 0x01, 0x6a, 0x21, 0x01, 0x0b, /* local += 1, end */
      0x20, 0x01, 0x41, 0x02, 0x6a, 0x21, 0x01, 0x0b, /* local += 2, end */
      0x20, 0x01, 0x41, 0x04, 0x6a, 0x21, 0x01,       /* local += 4 */
      0x20, 0x00, 0x41, 0x01, 0x6b, 0x10, 0x00,       /* f(n - 1) */
      0x20, 0x01, 0x6a, 0x41, 0xe8, 0x07,             /* + local, 1000 */
      0x20, 0x00, 0x41, 0x07, 0x70, 0x41, 0x01, 0x6a, /* n % 7 + 1 */
      0x6e, 0x6a, 0x0b,                               /* div_u, add, end */
  };
  wb_func_module(&module, "i", "i", code, sizeof code, WB_EXPORT);
  uint32_t expect = 0;
  for (uint32_t n = 1; n <= 500; n++)
    expect += (n % 3 == 0 ? 7u : n % 3 == 1 ? 6u : 4u) + 1000 / (n % 7 + 1);
  for (int mode = 0; mode < 3; mode++) {
    wr_compile_options opts = {mode != 1, mode != 0};
    wasmrt_error err;
    uint64_t v = 0;
    if (call_f(&opts, WASMRT_I32, 500, WASMRT_I32, &v, &err) != WASMRT_OK)
      fail_msg("mode %d: %s", mode, err.message);
    assert_int_equal(v, expect);
    assert_int_equal(call_f(&opts, WASMRT_I32, 99999, WASMRT_I32, &v, &err), WASMRT_ERROR_TRAP);
    assert_int_equal(err.trap, WASMRT_TRAP_INTEGER_DIVIDE_BY_ZERO);
  }
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_most_locals),        cmocka_unit_test(test_deepest_nesting),
      cmocka_unit_test(test_deep_operand_stack), cmocka_unit_test(test_long_branches),
      cmocka_unit_test(test_forced_far_forms),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
