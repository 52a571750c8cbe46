/* test_validate.c - the validator's type rules, one small function body at
 * a time: what must pass, what is invalid, what is malformed, and what hits
 * a wasmrt limit. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

#include "compiler/limits.h"
#include "wasm_builder.h"
#include "wasmrt.h"

static wb module;

static void check_body(wasmrt_result expected, const char *params, const char *results,
                       unsigned flags, const uint8_t *body, size_t len, int line,
                       const char *needle)
{
  wb_func_module(&module, params, results, body, len, flags);
  wasmrt_error err;
  wasmrt_result r = wasmrt_validate(module.data, module.len, &err);
  if (r != expected) {
    print_error("line %d: expected %s, got %s: %s\n", line, wasmrt_errname(expected),
                wasmrt_errname(r), r ? err.message : "");
    fail();
  }
  if (needle && !strstr(err.message, needle)) {
    print_error("line %d: message \"%s\" lacks \"%s\"\n", line, err.message, needle);
    fail();
  }
}

#define BODY(...) (const uint8_t[]){__VA_ARGS__}, sizeof((const uint8_t[]){__VA_ARGS__})
#define VALID(params, results, flags, ...)                                                         \
  check_body(WASMRT_OK, params, results, flags, BODY(__VA_ARGS__), __LINE__, NULL)
#define INVALID(needle, params, results, flags, ...)                                               \
  check_body(WASMRT_ERROR_INVALID, params, results, flags, BODY(__VA_ARGS__), __LINE__, needle)
#define MALFORMED(needle, params, results, flags, ...)                                             \
  check_body(WASMRT_ERROR_MALFORMED, params, results, flags, BODY(__VA_ARGS__), __LINE__, needle)

/* Opcodes used below, named for readability. */
enum {
  UNREACHABLE = 0x00,
  BLOCK = 0x02,
  LOOP = 0x03,
  IF = 0x04,
  ELSE = 0x05,
  END = 0x0b,
  BR = 0x0c,
  BR_IF = 0x0d,
  BR_TABLE = 0x0e,
  RETURN = 0x0f,
  CALL = 0x10,
  DROP = 0x1a,
  SELECT = 0x1b,
  SELECT_T = 0x1c,
  LOCAL_GET = 0x20,
  LOCAL_SET = 0x21,
  GLOBAL_GET = 0x23,
  GLOBAL_SET = 0x24,
  I32_LOAD = 0x28,
  I64_LOAD = 0x29,
  I32_STORE = 0x36,
  I32_CONST = 0x41,
  I64_CONST = 0x42,
  F32_CONST = 0x43,
  I32_ADD = 0x6a,
  I64_ADD = 0x7c,
  F64_ADD = 0xa0,
  REF_NULL = 0xd0,
  REF_IS_NULL = 0xd1,
  REF_FUNC = 0xd2,
  EMPTY = 0x40,
  I32 = 0x7f,
  I64 = 0x7e,
  F32 = 0x7d,
  F64 = 0x7c,
  V128 = 0x7b,
  FUNCREF = 0x70,
  FC = 0xfc,
  FD = 0xfd,
};

static void test_numeric_signatures(void **state)
{
  (void)state;
  VALID("ii", "i", 0, 0x00, LOCAL_GET, 0, LOCAL_GET, 1, I32_ADD, END);
  INVALID("type mismatch: expected i32, found i64", "iI", "i", 0, 0x00, LOCAL_GET, 0, LOCAL_GET, 1,
          I32_ADD, END);
  INVALID("operand stack is empty", "", "i", 0, 0x00, I32_CONST, 1, I32_ADD, END);
  INVALID("expected f64, found i32", "", "F", 0, 0x00, I32_CONST, 1, I32_CONST, 1, F64_ADD, END);
  /* Results must match exactly: one value too many. */
  INVALID("values remain", "", "i", 0, 0x00, I32_CONST, 1, I32_CONST, 2, END);
  INVALID("expected i64, found i32", "", "I", 0, 0x00, I32_CONST, 1, END);
  /* Error messages carry section, function and offset. */
  INVALID("code section, function 0, offset 0x", "", "I", 0, 0x00, I32_CONST, 1, END);
}

static void test_unreachable_is_polymorphic(void **state)
{
  (void)state;
  VALID("", "i", 0, 0x00, UNREACHABLE, END);
  VALID("", "i", 0, 0x00, UNREACHABLE, I32_ADD, END);
  VALID("", "I", 0, 0x00, UNREACHABLE, SELECT, DROP, I64_CONST, 1, END);
  /* A known type below the polymorphic base still counts. */
  INVALID("expected i64, found i32", "", "", 0, 0x00, UNREACHABLE, I32_CONST, 0, I64_ADD, DROP,
          END);
  VALID("", "", 0, 0x00, RETURN, I32_ADD, DROP, END);
}

static void test_blocks_and_branches(void **state)
{
  (void)state;
  VALID("", "i", 0, 0x00, BLOCK, I32, I32_CONST, 1, END, END);
  INVALID("type mismatch", "", "i", 0, 0x00, BLOCK, I32, END, END);
  VALID("", "i", 0, 0x00, BLOCK, I32, I32_CONST, 1, BR, 0, END, END);
  INVALID("unknown label", "", "", 0, 0x00, BR, 1, END);
  /* A loop's label takes its params (none here), not its results. */
  VALID("", "i", 0, 0x00, LOOP, I32, BR, 0, END, END);
  INVALID("operand stack is empty", "", "i", 0, 0x00, BLOCK, I32, BR, 0, END, END);
  /* if without else must leave the stack's types unchanged. */
  INVALID("if without else", "", "i", 0, 0x00, I32_CONST, 1, IF, I32, I32_CONST, 1, END, END);
  VALID("", "i", 0, 0x00, I32_CONST, 1, IF, I32, I32_CONST, 1, ELSE, I32_CONST, 2, END, END);
  MALFORMED("else without matching if", "", "", 0, 0x00, BLOCK, EMPTY, ELSE, END, END);
  VALID("", "i", 0, 0x00, BLOCK, I32, I32_CONST, 1, I32_CONST, 0, BR_IF, 0, END, END);
  MALFORMED("END opcode expected", "", "", 0, 0x00, BLOCK, EMPTY, END);
  MALFORMED("bytes after", "", "", 0, 0x00, END, 0x01);
}

static void test_br_table(void **state)
{
  (void)state;
  VALID("", "i", 0, 0x00, BLOCK, I32, BLOCK, I32, I32_CONST, 7, I32_CONST, 0, BR_TABLE, 1, 0, 1,
        END, END, END);
  /* Targets must agree in arity with the default. */
  INVALID("arity", "", "", 0, 0x00, BLOCK, EMPTY, BLOCK, I32, I32_CONST, 7, I32_CONST, 0, BR_TABLE,
          1, 0, 1, END, DROP, END, END);
  INVALID("unknown label", "", "", 0, 0x00, I32_CONST, 0, BR_TABLE, 0, 5, END);
  /* 2^32-1 targets in a few bytes: malformed, not a wasmrt limit (the
   * differential test found this ordering wrong once). */
  MALFORMED("length out of bounds", "", "", 0, 0x00, I32_CONST, 0, BR_TABLE, 0xff, 0xff, 0xff, 0xff,
            0x0f, 0x00, END);
}

static void test_select_and_refs(void **state)
{
  (void)state;
  VALID("ii", "i", 0, 0x00, LOCAL_GET, 0, LOCAL_GET, 1, I32_CONST, 1, SELECT, END);
  INVALID("select operands differ", "iI", "i", 0, 0x00, LOCAL_GET, 0, LOCAL_GET, 1, I32_CONST, 1,
          SELECT, END);
  INVALID("references", "rr", "r", 0, 0x00, LOCAL_GET, 0, LOCAL_GET, 1, I32_CONST, 1, SELECT, END);
  VALID("rr", "r", 0, 0x00, LOCAL_GET, 0, LOCAL_GET, 1, I32_CONST, 1, SELECT_T, 1, FUNCREF, END);
  INVALID("select takes exactly one type", "ii", "i", 0, 0x00, LOCAL_GET, 0, LOCAL_GET, 1,
          I32_CONST, 1, SELECT_T, 2, I32, I32, END);
  VALID("", "i", 0, 0x00, REF_NULL, FUNCREF, REF_IS_NULL, END);
  INVALID("ref.is_null needs a reference", "", "i", 0, 0x00, I32_CONST, 0, REF_IS_NULL, END);
  MALFORMED("malformed reference type", "", "", 0, 0x00, REF_NULL, I32, DROP, END);
  /* ref.func needs the function declared outside function bodies. */
  INVALID("undeclared function reference", "", "", 0, 0x00, REF_FUNC, 0, DROP, END);
  VALID("", "", WB_EXPORT, 0x00, REF_FUNC, 0, DROP, END);
}

static void test_locals_and_globals(void **state)
{
  (void)state;
  VALID("", "I", 0, 0x01, 0x02, I64, LOCAL_GET, 1, END);
  INVALID("unknown local", "", "", 0, 0x01, 0x02, I64, LOCAL_GET, 2, DROP, END);
  INVALID("expected i64, found i32", "", "", 0, 0x01, 0x01, I64, I32_CONST, 0, LOCAL_SET, 0, END);
  VALID("", "", WB_GLOBALS, 0x00, I64_CONST, 0, GLOBAL_SET, 1, END);
  INVALID("global is immutable", "", "", WB_GLOBALS, 0x00, I32_CONST, 0, GLOBAL_SET, 0, END);
  INVALID("unknown global", "", "", 0, 0x00, GLOBAL_GET, 0, DROP, END);
  MALFORMED("malformed value type", "", "", 0, 0x01, 0x01, 0x55, END);
  /* Two groups of 2^32-1 locals overflow the format's own count. */
  MALFORMED("too many locals", "", "", 0, 0x02, 0xff, 0xff, 0xff, 0xff, 0x0f, I32, 0xff, 0xff, 0xff,
            0xff, 0x0f, I32, END);
}

static void test_locals_limit(void **state)
{
  (void)state;
  /* WR_MAX_LOCALS + 1 in one group: valid WebAssembly, over our limit. */
  uint32_t n = WR_MAX_LOCALS + 1;
  uint8_t body[] = {0x01,
                    (uint8_t)(0x80 | (n & 0x7f)),
                    (uint8_t)(0x80 | ((n >> 7) & 0x7f)),
                    (uint8_t)(n >> 14),
                    I32,
                    END};
  check_body(WASMRT_ERROR_LIMIT, "", "", 0, body, sizeof body, __LINE__, "locals");
}

static void test_memory_rules(void **state)
{
  (void)state;
  VALID("", "i", WB_MEMORY, 0x00, I32_CONST, 0, I32_LOAD, 2, 0, END);
  INVALID("unknown memory", "", "i", 0, 0x00, I32_CONST, 0, I32_LOAD, 2, 0, END);
  INVALID("alignment must not be larger than natural", "", "i", WB_MEMORY, 0x00, I32_CONST, 0,
          I32_LOAD, 3, 0, END);
  VALID("", "I", WB_MEMORY, 0x00, I32_CONST, 0, I64_LOAD, 3, 8, END);
  MALFORMED("zero byte expected", "", "i", WB_MEMORY, 0x00, 0x3f, 0x01, END);
  /* memory.init needs the data count section: malformed without it. */
  MALFORMED("data count section required", "", "", WB_MEMORY, 0x00, I32_CONST, 0, I32_CONST, 0,
            I32_CONST, 0, FC, 0x08, 0x00, 0x00, END);
  VALID("", "", WB_MEMORY | WB_DATACOUNT, 0x00, I32_CONST, 0, I32_CONST, 0, I32_CONST, 0, FC, 0x08,
        0x00, 0x00, END);
  INVALID("unknown data segment", "", "", WB_MEMORY | WB_DATACOUNT, 0x00, FC, 0x09, 0x01, END);
}

static void test_malformed_beats_invalid(void **state)
{
  (void)state;
  /* A type error first, then an unknown opcode: decoding precedes
   * validation in the spec, so the verdict is malformed. */
  MALFORMED("illegal opcode", "", "", 0, 0x00, I32_CONST, 0, I64_ADD, 0xff, END);
  MALFORMED("illegal opcode", "", "", 0, 0x00, FC, 0x7f, END);
}

static void test_simd(void **state)
{
  (void)state;
  VALID("v", "i", 0, 0x00, LOCAL_GET, 0, FD, 0x15, 15, END); /* i8x16.extract_lane_s 15 */
  INVALID("invalid lane index", "v", "i", 0, 0x00, LOCAL_GET, 0, FD, 0x15, 16, END);
  VALID("vv", "v", 0, 0x00, LOCAL_GET, 0, LOCAL_GET, 1, FD, 0xae, 0x01, END); /* i32x4.add */
  INVALID("expected v128, found i32", "", "v", 0, 0x00, I32_CONST, 0, FD, 0x0f, FD, 0x60, FD, 0x60,
          I32_CONST, 0, FD, 0xae, 0x01, END);
  VALID("", "v", WB_MEMORY, 0x00, I32_CONST, 0, FD, 0x00, 4, 0, END); /* v128.load align 16 */
  INVALID("alignment", "", "v", WB_MEMORY, 0x00, I32_CONST, 0, FD, 0x00, 5, 0, END);
}

static void test_nesting_limit(void **state)
{
  (void)state;
  static uint8_t body[3 * (WR_MAX_NESTING + 2)];
  size_t n = 0;
  body[n++] = 0x00;
  for (unsigned i = 0; i < WR_MAX_NESTING + 1; i++) {
    body[n++] = BLOCK;
    body[n++] = EMPTY;
  }
  for (unsigned i = 0; i < WR_MAX_NESTING + 1; i++)
    body[n++] = END;
  body[n++] = END;
  check_body(WASMRT_ERROR_LIMIT, "", "", 0, body, n, __LINE__, "nested blocks");
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_numeric_signatures),
      cmocka_unit_test(test_unreachable_is_polymorphic),
      cmocka_unit_test(test_blocks_and_branches),
      cmocka_unit_test(test_br_table),
      cmocka_unit_test(test_select_and_refs),
      cmocka_unit_test(test_locals_and_globals),
      cmocka_unit_test(test_locals_limit),
      cmocka_unit_test(test_memory_rules),
      cmocka_unit_test(test_malformed_beats_invalid),
      cmocka_unit_test(test_simd),
      cmocka_unit_test(test_nesting_limit),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
