/* test_decode.c - the section decoders: what each keeps, and how each
 * rejects truncated, oversized, out-of-order and otherwise bad input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "compiler/module.h"
#include "wasm_builder.h"
#include "wasmrt.h"

static wb b;

static wasmrt_result verdict(const char *needle)
{
  wasmrt_error err;
  wasmrt_result r = wasmrt_validate(b.data, b.len, &err);
  if (r != WASMRT_OK && needle && !strstr(err.message, needle)) {
    print_error("message \"%s\" lacks \"%s\"\n", err.message, needle);
    fail();
  }
  return r;
}

static wr_module *decode_ok(void)
{
  wr_module *m = NULL;
  wasmrt_error err;
  wasmrt_result r = wr_module_decode(b.data, b.len, false, &m, &err);
  if (r != WASMRT_OK) {
    print_error("unexpected error: %s\n", err.message);
    fail();
  }
  return m;
}

static void test_header(void **state)
{
  (void)state;
  wb_header(&b);
  assert_int_equal(verdict(NULL), WASMRT_OK);
  b.len = 0;
  assert_int_equal(verdict("magic header not detected"), WASMRT_ERROR_MALFORMED);
  wb_bytes(&b, "\0asm", 4);
  assert_int_equal(verdict("unexpected end"), WASMRT_ERROR_MALFORMED);
  wb_bytes(&b, "\x02\0\0\0", 4);
  assert_int_equal(verdict("unknown binary version"), WASMRT_ERROR_MALFORMED);
  b.len = 0;
  wb_bytes(&b, "\0ASM\x01\0\0\0", 8);
  assert_int_equal(verdict("magic header"), WASMRT_ERROR_MALFORMED);
}

static void test_type_section(void **state)
{
  (void)state;
  wb_header(&b);
  WB_SECTION(&b, 1, 0x02, 0x60, 0x02, 0x7f, 0x7e, 0x01, 0x7d, 0x60, 0x00, 0x00);
  wr_module *m = decode_ok();
  assert_int_equal(m->type_count, 2);
  assert_int_equal(m->types[0].param_count, 2);
  assert_int_equal(m->types[0].result_count, 1);
  assert_int_equal(wr_functype_params(m, &m->types[0])[1], WR_I64);
  assert_int_equal(wr_functype_results(m, &m->types[0])[0], WR_F32);
  assert_int_equal(m->types[1].param_count, 0);
  wr_module_free(m);
  wb_header(&b);
  WB_SECTION(&b, 1, 0x01, 0x61, 0x00, 0x00);
  assert_int_equal(verdict("0x60"), WASMRT_ERROR_MALFORMED);
  wb_header(&b);
  WB_SECTION(&b, 1, 0x01, 0x60, 0x01, 0x55, 0x00);
  assert_int_equal(verdict("malformed value type"), WASMRT_ERROR_MALFORMED);
}

static void test_import_section(void **state)
{
  (void)state;
  wb_header(&b);
  WB_SECTION(&b, 1, 0x01, 0x60, 0x00, 0x00);
  WB_SECTION(&b, 2, 0x04, 0x01, 'm', 0x01, 'f', 0x00, 0x00,      /* func type 0 */
             0x01, 'm', 0x01, 't', 0x01, 0x70, 0x01, 0x01, 0x02, /* table funcref 1..2 */
             0x01, 'm', 0x02, 'm', 'm', 0x02, 0x00, 0x01,        /* memory min 1 */
             0x01, 'm', 0x01, 'g', 0x03, 0x7e, 0x01);            /* global mut i64 */
  wr_module *m = decode_ok();
  assert_int_equal(m->import_count, 4);
  assert_int_equal(m->function_count, 1);
  assert_int_equal(m->table_count, 1);
  assert_true(m->tables[0].limits.has_max);
  assert_int_equal(m->tables[0].limits.max, 2);
  assert_int_equal(m->memory_count, 1);
  assert_int_equal(m->global_count, 1);
  assert_true(m->globals[0].type.mutable_);
  assert_memory_equal(m->bytes + m->imports[2].name.offset, "mm", 2);
  wr_module_free(m);

  wb_header(&b);
  WB_SECTION(&b, 2, 0x01, 0x01, 'm', 0x01, 'f', 0x04, 0x00);
  assert_int_equal(verdict("malformed import kind"), WASMRT_ERROR_MALFORMED);
  wb_header(&b);
  WB_SECTION(&b, 2, 0x01, 0x01, 0xff, 0x01, 'f', 0x00, 0x00);
  assert_int_equal(verdict("malformed UTF-8"), WASMRT_ERROR_MALFORMED);
  wb_header(&b);
  WB_SECTION(&b, 2, 0x01, 0x01, 'm', 0x01, 'f', 0x00, 0x05);
  assert_int_equal(verdict("unknown type"), WASMRT_ERROR_INVALID);
}

static void test_counts_follow_bytes(void **state)
{
  (void)state;
  /* A count of 2^32-1 imports in a 6-byte section: malformed, rejected
   * before any allocation sized by the count. */
  wb_header(&b);
  WB_SECTION(&b, 2, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x00);
  assert_int_equal(verdict("length out of bounds"), WASMRT_ERROR_MALFORMED);
  /* 100,001 imports whose bytes could be present: over our limit. */
  static wb content;
  content.len = 0;
  wb_u32(&content, 100001);
  for (int i = 0; i < 100001 * 4; i++)
    wb_byte(&content, 0);
  wb_header(&b);
  wb_section(&b, 2, &content);
  assert_int_equal(verdict("exceed the limit of 100000"), WASMRT_ERROR_LIMIT);
  wb_header(&b);
  WB_SECTION(&b, 2, 0x80, 0x80, 0x04, 0x00); /* 65536 imports, 1 byte left */
  assert_int_equal(verdict("length out of bounds"), WASMRT_ERROR_MALFORMED);
  /* A section claiming more bytes than the file has. */
  wb_header(&b);
  wb_byte(&b, 1);
  wb_u32(&b, 1000);
  wb_byte(&b, 0);
  assert_int_equal(verdict("length out of bounds"), WASMRT_ERROR_MALFORMED);
  /* A huge LEB128 section size. */
  wb_header(&b);
  wb_bytes(&b, "\x01\xff\xff\xff\xff\xff\x01", 7);
  assert_int_equal(verdict("integer representation too long"), WASMRT_ERROR_MALFORMED);
}

static void test_section_order(void **state)
{
  (void)state;
  wb_header(&b);
  WB_SECTION(&b, 1, 0x00);
  WB_SECTION(&b, 1, 0x00);
  assert_int_equal(verdict("repeated"), WASMRT_ERROR_MALFORMED);
  wb_header(&b);
  WB_SECTION(&b, 3, 0x00);
  WB_SECTION(&b, 1, 0x00);
  assert_int_equal(verdict("out of order"), WASMRT_ERROR_MALFORMED);
  /* Data count sits between element and code. */
  wb_header(&b);
  WB_SECTION(&b, 12, 0x00);
  WB_SECTION(&b, 9, 0x00);
  assert_int_equal(verdict("out of order"), WASMRT_ERROR_MALFORMED);
  wb_header(&b);
  WB_SECTION(&b, 13, 0x00);
  assert_int_equal(verdict("malformed section id"), WASMRT_ERROR_MALFORMED);
  /* Custom sections may stand anywhere, even between ordered ones. */
  wb_header(&b);
  WB_SECTION(&b, 1, 0x00);
  WB_SECTION(&b, 0, 0x03, 'a', 'b', 'c', 0x99);
  WB_SECTION(&b, 3, 0x00);
  assert_int_equal(verdict(NULL), WASMRT_OK);
  /* ...but their names must be UTF-8. */
  wb_header(&b);
  WB_SECTION(&b, 0, 0x01, 0xc0);
  assert_int_equal(verdict("UTF-8"), WASMRT_ERROR_MALFORMED);
  /* A section whose content ends before its declared size. */
  wb_header(&b);
  WB_SECTION(&b, 1, 0x00, 0x00);
  assert_int_equal(verdict("section size mismatch"), WASMRT_ERROR_MALFORMED);
}

static void test_memory_and_table_limits(void **state)
{
  (void)state;
  wb_header(&b);
  WB_SECTION(&b, 5, 0x01, 0x01, 0x01, 0x02);
  wr_module *m = decode_ok();
  assert_int_equal(m->memories[0].min, 1);
  assert_int_equal(m->memories[0].max, 2);
  wr_module_free(m);
  wb_header(&b);
  WB_SECTION(&b, 5, 0x01, 0x00, 0x81, 0x80, 0x04); /* 65537 pages */
  assert_int_equal(verdict("at most 65536"), WASMRT_ERROR_INVALID);
  wb_header(&b);
  WB_SECTION(&b, 5, 0x01, 0x01, 0x02, 0x01);
  assert_int_equal(verdict("minimum must not be greater than maximum"), WASMRT_ERROR_INVALID);
  wb_header(&b);
  WB_SECTION(&b, 5, 0x02, 0x00, 0x01, 0x00, 0x01);
  assert_int_equal(verdict("multiple memories"), WASMRT_ERROR_INVALID);
  wb_header(&b);
  WB_SECTION(&b, 5, 0x01, 0x04, 0x01);
  assert_int_equal(verdict("limits flags"), WASMRT_ERROR_MALFORMED);
  wb_header(&b);
  WB_SECTION(&b, 4, 0x01, 0x6f, 0x00, 0x10);
  m = decode_ok();
  assert_int_equal(m->tables[0].elem_type, WR_EXTERNREF);
  assert_int_equal(m->tables[0].limits.min, 16);
  wr_module_free(m);
}

static void build_two_exports(char second_name)
{
  wb_header(&b);
  WB_SECTION(&b, 1, 0x01, 0x60, 0x00, 0x00);
  WB_SECTION(&b, 3, 0x01, 0x00);
  wb_byte(&b, 7);
  wb_u32(&b, 9);
  wb_bytes(&b,
           "\x02\x01"
           "a"
           "\x00\x00\x01",
           6);
  wb_byte(&b, (uint8_t)second_name);
  wb_bytes(&b, "\x00\x00", 2);
  WB_SECTION(&b, 8, 0x00);
  WB_SECTION(&b, 10, 0x01, 0x02, 0x00, 0x0b);
}

static void test_exports_and_start(void **state)
{
  (void)state;
  build_two_exports('b');
  wr_module *m = decode_ok();
  assert_int_equal(m->export_count, 2);
  assert_true(m->has_start);
  assert_int_equal(m->start_function, 0);
  assert_int_equal(m->functions[0].body.size, 2);
  wr_module_free(m);
  build_two_exports('a');
  assert_int_equal(verdict("duplicate export name"), WASMRT_ERROR_INVALID);

  wb_header(&b);
  WB_SECTION(&b, 7, 0x01, 0x01, 'a', 0x00, 0x03);
  assert_int_equal(verdict("unknown function 3"), WASMRT_ERROR_INVALID);
  wb_header(&b);
  WB_SECTION(&b, 7, 0x01, 0x01, 'a', 0x07, 0x00);
  assert_int_equal(verdict("malformed export kind"), WASMRT_ERROR_MALFORMED);
  /* A start function must take and return nothing. */
  wb_header(&b);
  WB_SECTION(&b, 1, 0x01, 0x60, 0x01, 0x7f, 0x00);
  WB_SECTION(&b, 3, 0x01, 0x00);
  WB_SECTION(&b, 8, 0x00);
  WB_SECTION(&b, 10, 0x01, 0x02, 0x00, 0x0b);
  assert_int_equal(verdict("start function"), WASMRT_ERROR_INVALID);
}

static void test_function_code_counts(void **state)
{
  (void)state;
  wb_header(&b);
  WB_SECTION(&b, 1, 0x01, 0x60, 0x00, 0x00);
  WB_SECTION(&b, 3, 0x02, 0x00, 0x00);
  WB_SECTION(&b, 10, 0x01, 0x02, 0x00, 0x0b);
  assert_int_equal(verdict("inconsistent lengths"), WASMRT_ERROR_MALFORMED);
  wb_header(&b);
  WB_SECTION(&b, 1, 0x01, 0x60, 0x00, 0x00);
  WB_SECTION(&b, 3, 0x01, 0x00);
  assert_int_equal(verdict("no code section"), WASMRT_ERROR_MALFORMED);
}

static void test_segments(void **state)
{
  (void)state;
  /* Active data at offset 8 and a passive segment, with a data count. */
  wb_header(&b);
  WB_SECTION(&b, 5, 0x01, 0x00, 0x01);
  WB_SECTION(&b, 12, 0x02);
  WB_SECTION(&b, 11, 0x02, 0x00, 0x41, 0x08, 0x0b, 0x02, 'h', 'i', 0x01, 0x01, 'x');
  wr_module *m = decode_ok();
  assert_int_equal(m->data_count, 2);
  assert_int_equal(m->datas[0].mode, WR_SEGMENT_ACTIVE);
  assert_int_equal(m->datas[0].offset.kind, WR_CONST_I32);
  assert_int_equal(m->datas[0].offset.u.i32, 8);
  assert_memory_equal(m->bytes + m->datas[0].bytes.offset, "hi", 2);
  assert_int_equal(m->datas[1].mode, WR_SEGMENT_PASSIVE);
  wr_module_free(m);
  b.data[8 + 5 + 2] = 0x03; /* data count 3 vs 2 segments */
  assert_int_equal(verdict("inconsistent lengths"), WASMRT_ERROR_MALFORMED);
  /* A non-constant offset expression. */
  wb_header(&b);
  WB_SECTION(&b, 5, 0x01, 0x00, 0x01);
  WB_SECTION(&b, 11, 0x01, 0x00, 0x41, 0x00, 0x45, 0x0b, 0x00);
  assert_int_equal(verdict("constant expression required"), WASMRT_ERROR_INVALID);
  /* An i64 offset. */
  wb_header(&b);
  WB_SECTION(&b, 5, 0x01, 0x00, 0x01);
  WB_SECTION(&b, 11, 0x01, 0x00, 0x42, 0x00, 0x0b, 0x00);
  assert_int_equal(verdict("expected i32, found i64"), WASMRT_ERROR_INVALID);
  /* Element segment kinds beyond 7 are malformed. */
  wb_header(&b);
  WB_SECTION(&b, 9, 0x01, 0x08);
  assert_int_equal(verdict("elements segment kind"), WASMRT_ERROR_MALFORMED);
  /* A declarative segment declares functions for ref.func. */
  wb_header(&b);
  WB_SECTION(&b, 1, 0x01, 0x60, 0x00, 0x00);
  WB_SECTION(&b, 3, 0x01, 0x00);
  WB_SECTION(&b, 9, 0x01, 0x03, 0x00, 0x01, 0x00);
  WB_SECTION(&b, 10, 0x01, 0x05, 0x00, 0xd2, 0x00, 0x1a, 0x0b);
  assert_int_equal(verdict(NULL), WASMRT_OK);
}

static void test_name_section(void **state)
{
  (void)state;
  wb_header(&b);
  WB_SECTION(&b, 1, 0x01, 0x60, 0x00, 0x00);
  WB_SECTION(&b, 3, 0x02, 0x00, 0x00);
  WB_SECTION(&b, 10, 0x02, 0x02, 0x00, 0x0b, 0x02, 0x00, 0x0b);
  WB_SECTION(&b, 0, 0x04, 'n', 'a', 'm', 'e', 0x01, 0x0b, 0x02, 0x00, 0x03, 'o', 'n', 'e', 0x01,
             0x03, 't', 'w', 'o');
  wr_module *m = decode_ok();
  size_t len;
  const char *name = wr_module_func_name(m, 1, &len);
  assert_non_null(name);
  assert_int_equal(len, 3);
  assert_memory_equal(name, "two", 3);
  assert_null(wr_module_func_name(m, 2, &len));
  wr_module_free(m);
  /* A broken name section is ignored, never fatal. */
  wb_header(&b);
  WB_SECTION(&b, 0, 0x04, 'n', 'a', 'm', 'e', 0x01, 0x7f, 0x05);
  assert_int_equal(verdict(NULL), WASMRT_OK);
}

static void test_public_module_api(void **state)
{
  (void)state;
  wb_header(&b);
  WB_SECTION(&b, 1, 0x01, 0x60, 0x00, 0x00);
  WB_SECTION(&b, 2, 0x01, 0x03, 'e', 'n', 'v', 0x01, 'f', 0x00, 0x00);
  WB_SECTION(&b, 7, 0x01, 0x03, 'r', 'u', 'n', 0x00, 0x00);
  wasmrt_module *mod = NULL;
  assert_int_equal(wasmrt_module_decode(b.data, b.len, &mod, NULL), WASMRT_OK);
  memset(b.data, 0, b.len); /* the module keeps its own copy */
  assert_int_equal(wasmrt_module_import_count(mod), 1);
  wasmrt_import_info imp;
  assert_int_equal(wasmrt_module_import(mod, 0, &imp), WASMRT_OK);
  assert_int_equal(imp.module.size, 3);
  assert_memory_equal(imp.module.data, "env", 3);
  assert_int_equal(imp.kind, WASMRT_EXTERN_FUNC);
  assert_int_equal(wasmrt_module_import(mod, 1, &imp), WASMRT_ERROR_ARGUMENT);
  wasmrt_export_info exp;
  assert_int_equal(wasmrt_module_export(mod, 0, &exp), WASMRT_OK);
  assert_memory_equal(exp.name.data, "run", 3);
  wasmrt_module_free(mod);
  wasmrt_module_free(NULL);
  assert_string_equal(wasmrt_errname(WASMRT_ERROR_MALFORMED), "malformed");
  assert_string_equal(wasmrt_errname((wasmrt_result)99), "unknown");
  assert_int_equal(wasmrt_version_number(), WASMRT_VERSION_NUMBER);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_header),
      cmocka_unit_test(test_type_section),
      cmocka_unit_test(test_import_section),
      cmocka_unit_test(test_counts_follow_bytes),
      cmocka_unit_test(test_section_order),
      cmocka_unit_test(test_memory_and_table_limits),
      cmocka_unit_test(test_exports_and_start),
      cmocka_unit_test(test_function_code_counts),
      cmocka_unit_test(test_segments),
      cmocka_unit_test(test_name_section),
      cmocka_unit_test(test_public_module_api),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
