/* test_object_file.c - the .wrtobj format (compiler/object_file.c) and the
 * object API (runtime/api_object.c), with objects built by hand so that no
 * code generator is needed: round trips field by field, every refusal with
 * its message, lookups, atomic saving, and hostile bytes (every truncation,
 * every flipped byte, and re-sealed mutations that pass the checksum). */
#include <dirent.h>
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "compiler/object.h"
#include "compiler/object_file.h"
#include "runtime/compiled.h"
#include "wasm_builder.h"
#include "wasmrt.h"

static wb b;

/*
 * The module: type 0 (i32 i64) -> (i32), type 1 () -> (); function 0
 * imported ("env" "f", type 1); function 1 (type 0) declares two f32
 * locals; function 2 (type 1) declares none.
 */
static wasmrt_module *make_module(uint8_t variant)
{
  wb_header(&b);
  WB_SECTION(&b, 1, 0x02, 0x60, 0x02, 0x7f, 0x7e, 0x01, 0x7f, 0x60, 0x00, 0x00);
  WB_SECTION(&b, 2, 0x01, 0x03, 'e', 'n', 'v', 0x01, 'f', 0x00, 0x01);
  WB_SECTION(&b, 3, 0x02, 0x00, 0x01);
  /* `variant` is the constant function 1 returns: a different module with
   * the same shape. */
  static wb code;
  const uint8_t bodies[] = {0x02, 0x06, 0x01, 0x02, 0x7d, 0x41, variant, 0x0b, 0x02, 0x00, 0x0b};
  code.len = 0;
  wb_bytes(&code, bodies, sizeof bodies);
  wb_section(&b, 10, &code);
  wasmrt_module *mod = NULL;
  wasmrt_error err;
  if (wasmrt_module_decode(b.data, b.len, &mod, &err) != WASMRT_OK) {
    print_error("test module does not decode: %s\n", err.message);
    fail();
  }
  return mod;
}

static void *dup_bytes(const void *p, size_t n)
{
  void *q = malloc(n);
  assert_non_null(q);
  memcpy(q, p, n);
  return q;
}

/* An object for make_module's module, consistent in every field. */
static wr_object *make_object(const wasmrt_module *mod)
{
  const wr_module *m = mod->decoded;
  wr_object *o = calloc(1, sizeof *o);
  assert_non_null(o);
  o->target = WASMRT_TARGET_ARM64;
  o->code_size = 64;
  o->code = malloc(o->code_size);
  assert_non_null(o->code);
  for (size_t i = 0; i < o->code_size; i++)
    o->code[i] = (uint8_t)(0xa0 + i);
  static const wr_func_code funcs[] = {
      {.code_offset = 0,
       .code_size = 40,
       .param_count = 2,
       .local_count = 4,
       .local_types = 0,
       .frame_size = 48,
       .first_point = 0,
       .point_count = 2},
      {.code_offset = 40,
       .code_size = 24,
       .param_count = 0,
       .local_count = 0,
       .local_types = 4,
       .frame_size = 16,
       .first_point = 2,
       .point_count = 1},
  };
  o->funcs = dup_bytes(funcs, sizeof funcs);
  o->func_count = 2;
  const uint32_t w = (uint32_t)m->size - 3; /* any offset inside the module */
  const wr_trap_site traps[] = {
      {12, 1, w, WASMRT_TRAP_UNREACHABLE},
      {30, 1, w - 1, WASMRT_TRAP_INTEGER_DIVIDE_BY_ZERO},
      {30, 1, w - 2, WASMRT_TRAP_INTEGER_OVERFLOW}, /* two sites may share a stub */
      {50, 2, w, WASMRT_TRAP_MEMORY_OUT_OF_BOUNDS},
  };
  o->traps = dup_bytes(traps, sizeof traps);
  o->trap_count = 4;
  const wr_frame_point points[] = {
      {8, 1, w - 4, 0, 4, WR_POINT_ENTRY},
      {20, 1, w - 2, 2, 4, WR_POINT_CALL},
      {44, 2, w, 1, 5, WR_POINT_LOOP},
  };
  o->points = dup_bytes(points, sizeof points);
  o->point_count = 3;
  static const uint8_t pool[] = {0x7f, 0x7e, 0x7d, 0x7d, 0x7f, 0x7e};
  o->type_pool = dup_bytes(pool, sizeof pool);
  o->type_pool_size = sizeof pool;
  wr_blake2b256(m->bytes, m->size, o->module_hash);
  return o;
}

static void assert_objects_equal(const wr_object *a, const wr_object *c)
{
  assert_int_equal(a->target, c->target);
  assert_int_equal(a->code_size, c->code_size);
  assert_memory_equal(a->code, c->code, a->code_size);
  assert_int_equal(a->func_count, c->func_count);
  for (uint32_t i = 0; i < a->func_count; i++) {
    const wr_func_code *x = &a->funcs[i], *y = &c->funcs[i];
    assert_int_equal(x->code_offset, y->code_offset);
    assert_int_equal(x->code_size, y->code_size);
    assert_int_equal(x->param_count, y->param_count);
    assert_int_equal(x->local_count, y->local_count);
    assert_int_equal(x->local_types, y->local_types);
    assert_int_equal(x->frame_size, y->frame_size);
    assert_int_equal(x->first_point, y->first_point);
    assert_int_equal(x->point_count, y->point_count);
  }
  assert_int_equal(a->trap_count, c->trap_count);
  for (uint32_t i = 0; i < a->trap_count; i++) {
    assert_int_equal(a->traps[i].native_offset, c->traps[i].native_offset);
    assert_int_equal(a->traps[i].func_index, c->traps[i].func_index);
    assert_int_equal(a->traps[i].wasm_offset, c->traps[i].wasm_offset);
    assert_int_equal(a->traps[i].kind, c->traps[i].kind);
  }
  assert_int_equal(a->point_count, c->point_count);
  for (uint32_t i = 0; i < a->point_count; i++) {
    const wr_frame_point *x = &a->points[i], *y = &c->points[i];
    assert_int_equal(x->native_offset, y->native_offset);
    assert_int_equal(x->func_index, y->func_index);
    assert_int_equal(x->wasm_offset, y->wasm_offset);
    assert_int_equal(x->stack_depth, y->stack_depth);
    assert_int_equal(x->types, y->types);
    assert_int_equal(x->kind, y->kind);
  }
  assert_int_equal(a->type_pool_size, c->type_pool_size);
  assert_memory_equal(a->type_pool, c->type_pool, a->type_pool_size);
  assert_memory_equal(a->module_hash, c->module_hash, sizeof a->module_hash);
}

static void write_ok(const wr_object *o, uint8_t **bytes, size_t *size)
{
  wasmrt_error err;
  if (wr_object_write(o, bytes, size, &err) != WASMRT_OK) {
    print_error("write failed: %s\n", err.message);
    fail();
  }
}

/* Recomputes the trailing checksum after a test edited the bytes. */
static void reseal(uint8_t *bytes, size_t size)
{
  wr_blake2b256(bytes, size - WR_OBJECT_HASH_SIZE, bytes + size - WR_OBJECT_HASH_SIZE);
}

static void put_u32(uint8_t *p, uint32_t v)
{
  for (int i = 0; i < 4; i++)
    p[i] = (uint8_t)(v >> (8 * i));
}

/* Reads `bytes` and expects WASMRT_ERROR_OBJECT with `needle` in the message. */
static void expect_refused(const uint8_t *bytes, size_t size, const wr_module *m,
                           const char *needle)
{
  wr_object *o = (wr_object *)1;
  wasmrt_error err;
  wasmrt_result r = wr_object_read(bytes, size, m, &o, &err);
  if (r != WASMRT_ERROR_OBJECT || !strstr(err.message, needle)) {
    print_error("wanted refusal with \"%s\", got %s: \"%s\"\n", needle, wasmrt_errname(r),
                r ? err.message : "");
    if (r == WASMRT_OK)
      wr_object_free(o);
    fail();
  }
  assert_null(o);
  assert_int_equal(err.code, WASMRT_ERROR_OBJECT);
  assert_null(strchr(err.message, '\n'));
}

/* Writes `o` and expects the read against `m` to be refused with `needle`. */
static void expect_write_refused(const wr_object *o, const wr_module *m, const char *needle)
{
  uint8_t *bytes;
  size_t size;
  write_ok(o, &bytes, &size);
  expect_refused(bytes, size, m, needle);
  free(bytes);
}

static void test_round_trip_memory(void **state)
{
  (void)state;
  wasmrt_module *mod = make_module(7);
  wr_object *o = make_object(mod);
  uint8_t *bytes;
  size_t size;
  write_ok(o, &bytes, &size);
  assert_true(wr_object_has_magic(bytes, size));
  assert_memory_equal(bytes, "\0wrtobj\n", 8);
  assert_int_equal(bytes[8], 1); /* format version, little-endian */
  assert_int_equal(bytes[12], WASMRT_TARGET_ARM64);

  wr_object *back = NULL;
  wasmrt_error err;
  assert_int_equal(wr_object_read(bytes, size, mod->decoded, &back, &err), WASMRT_OK);
  assert_objects_equal(o, back);
  /* Without the module (inspect): the same object. */
  wr_object *alone = NULL;
  assert_int_equal(wr_object_read(bytes, size, NULL, &alone, &err), WASMRT_OK);
  assert_objects_equal(o, alone);
  /* Written again: the same bytes. */
  uint8_t *again;
  size_t again_size;
  write_ok(back, &again, &again_size);
  assert_int_equal(again_size, size);
  assert_memory_equal(again, bytes, size);

  /* An object with nothing in it round-trips too. */
  wr_object empty = {.target = WASMRT_TARGET_X86_64};
  memcpy(empty.module_hash, o->module_hash, sizeof empty.module_hash);
  uint8_t *eb;
  size_t es;
  write_ok(&empty, &eb, &es);
  wr_object *eo = NULL;
  assert_int_equal(wr_object_read(eb, es, NULL, &eo, &err), WASMRT_OK);
  assert_objects_equal(&empty, eo);
  expect_refused(eb, es, mod->decoded, "it has 0 functions, the module defines 2");

  free(eb);
  wr_object_free(eo);
  free(again);
  wr_object_free(alone);
  wr_object_free(back);
  free(bytes);
  wr_object_free(o);
  wasmrt_module_free(mod);
}

static void test_lookups(void **state)
{
  (void)state;
  wasmrt_module *mod = make_module(7);
  wr_object *o = make_object(mod);
  assert_ptr_equal(wr_object_find_trap(o, 12), &o->traps[0]);
  assert_ptr_equal(wr_object_find_trap(o, 30), &o->traps[1]); /* the first of equal ones */
  assert_ptr_equal(wr_object_find_trap(o, 50), &o->traps[3]);
  assert_null(wr_object_find_trap(o, 0));
  assert_null(wr_object_find_trap(o, 13));
  assert_null(wr_object_find_trap(o, 51));
  assert_null(wr_object_find_trap(o, UINT32_MAX));
  assert_ptr_equal(wr_object_find_point(o, 8), &o->points[0]);
  assert_ptr_equal(wr_object_find_point(o, 20), &o->points[1]);
  assert_ptr_equal(wr_object_find_point(o, 44), &o->points[2]);
  assert_null(wr_object_find_point(o, 9));
  assert_null(wr_object_find_point(o, 0));
  assert_null(wr_object_find_point(o, 45));
  assert_ptr_equal(wr_object_find_func(o, 0), &o->funcs[0]);
  assert_ptr_equal(wr_object_find_func(o, 39), &o->funcs[0]);
  assert_ptr_equal(wr_object_find_func(o, 40), &o->funcs[1]);
  assert_ptr_equal(wr_object_find_func(o, 63), &o->funcs[1]);
  assert_null(wr_object_find_func(o, 64));
  assert_null(wr_object_find_func(o, UINT32_MAX));
  /* A gap between functions (stubs, padding) belongs to none. */
  o->funcs[0].code_size = 30;
  assert_ptr_equal(wr_object_find_func(o, 29), &o->funcs[0]);
  assert_null(wr_object_find_func(o, 30));
  assert_null(wr_object_find_func(o, 39));
  o->funcs[0].code_offset = 4;
  assert_null(wr_object_find_func(o, 3));
  wr_object empty = {.target = WASMRT_TARGET_X86_64};
  assert_null(wr_object_find_trap(&empty, 0));
  assert_null(wr_object_find_point(&empty, 0));
  assert_null(wr_object_find_func(&empty, 0));
  wr_object_free(o);
  wr_object_free(NULL);
  wasmrt_module_free(mod);
}

static void test_header_refusals(void **state)
{
  (void)state;
  wasmrt_module *mod = make_module(7);
  const wr_module *m = mod->decoded;
  wr_object *o = make_object(mod);
  uint8_t *bytes;
  size_t size;
  write_ok(o, &bytes, &size);
  uint8_t *copy = malloc(size + 16);
  assert_non_null(copy);

  /* Not an object at all: a wasm module, text, nothing. */
  expect_refused(b.data, b.len, m, "not a wasmrt object (bad magic)");
  expect_refused((const uint8_t *)"hello, world\n", 13, m, "not a wasmrt object (bad magic)");
  expect_refused(bytes, 0, m, "not a wasmrt object (bad magic)");
  expect_refused(NULL, 0, m, "not a wasmrt object (bad magic)");
  memcpy(copy, bytes, size);
  copy[1] = 'W';
  expect_refused(copy, size, m, "not a wasmrt object (bad magic)");

  /* Another format version, with or without a valid checksum. */
  memcpy(copy, bytes, size);
  put_u32(copy + 8, 2);
  expect_refused(copy, size, m, "object format version 2, this wasmrt reads version 1");
  reseal(copy, size);
  expect_refused(copy, size, NULL, "object format version 2, this wasmrt reads version 1");

  /* Truncated: inside the magic, the header, the sections, the checksum. */
  expect_refused(bytes, 5, m, "object is truncated at byte 5");
  expect_refused(bytes, 10, m, "object is truncated at byte 10");
  expect_refused(bytes, 100, m, "object is truncated at byte 100");
  expect_refused(bytes, 200, m, "object is truncated at byte 200");
  char want[64];
  snprintf(want, sizeof want, "object is truncated at byte %zu", size - 1);
  expect_refused(bytes, size - 1, m, want);

  /* One flipped bit anywhere after the version: the checksum says so. */
  memcpy(copy, bytes, size);
  copy[size / 2] ^= 0x10;
  expect_refused(copy, size, m, "object checksum mismatch: file is corrupt");
  memcpy(copy, bytes, size);
  copy[size - 1] ^= 0x01;
  expect_refused(copy, size, m, "object checksum mismatch: file is corrupt");
  /* Bytes appended after the checksum. */
  memcpy(copy, bytes, size);
  memset(copy + size, 0, 16);
  expect_refused(copy, size + 16, m, "object checksum mismatch: file is corrupt");

  /* Another module: the hash says so; inspect (no module) still reads it. */
  wasmrt_module *other = make_module(8);
  expect_refused(bytes, size, other->decoded,
                 "object was compiled from a different module (hash mismatch)");
  wasmrt_compiled *c = (wasmrt_compiled *)1;
  wasmrt_error err;
  assert_int_equal(wasmrt_compiled_load(other, bytes, size, &c, &err), WASMRT_ERROR_OBJECT);
  assert_null(c);
  assert_string_equal(err.message, "object was compiled from a different module (hash mismatch)");
  wasmrt_module_free(other);

  /* Another wasmrt: the compiler hash at offset 64. */
  memcpy(copy, bytes, size);
  copy[64] ^= 0xff;
  reseal(copy, size);
  expect_refused(copy, size, m, "object was made by another wasmrt version");
  expect_refused(copy, size, NULL, "object was made by another wasmrt version");

  /* Header fields a valid checksum does not excuse. */
  static const struct {
    size_t at;
    uint32_t value;
    const char *needle;
  } fields[] = {
      {12, 0, "unknown target 0"},
      {12, 3, "unknown target 3"},
      {16, 1, "unknown flags 0x1"},
      {20, 96, "header size 96"},
      {96, 4, "4 sections"},
      {100, 1, "reserved header field"},
      {24, 7, "its header says 7 bytes"},
  };
  for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
    memcpy(copy, bytes, size);
    put_u32(copy + fields[i].at, fields[i].value);
    reseal(copy, size);
    expect_refused(copy, size, m, fields[i].needle);
  }

  /* Sections: a wrong id, a size that is not count * entry size, a count
   * past the end, bytes left over. The code section starts at 104. */
  memcpy(copy, bytes, size);
  put_u32(copy + 104, 2);
  reseal(copy, size);
  expect_refused(copy, size, m, "expected the code section (id 1) at byte 104, found id 2");
  memcpy(copy, bytes, size);
  put_u32(copy + 104 + 8, 65);
  reseal(copy, size);
  expect_refused(copy, size, m, "the code section at byte 104 has size 65");
  memcpy(copy, bytes, size);
  put_u32(copy + 104 + 4, 100000);
  put_u32(copy + 104 + 8, 100000);
  reseal(copy, size);
  expect_refused(copy, size, m, "the code section at byte 104 (100000 bytes) runs past the end");
  /* The funcs section header follows the 64 code bytes: claim 2^32-1
   * entries (no allocation may follow from that). */
  memcpy(copy, bytes, size);
  put_u32(copy + 104 + 16 + 64 + 4, UINT32_MAX);
  copy[104 + 16 + 64 + 8] = 0xe0;
  copy[104 + 16 + 64 + 9] = 0xff;
  copy[104 + 16 + 64 + 10] = 0xff;
  copy[104 + 16 + 64 + 11] = 0xff;
  copy[104 + 16 + 64 + 12] = 0x1f;
  reseal(copy, size);
  expect_refused(copy, size, m, "the funcs section at byte 184 (137438953440 bytes) runs past");
  /* One byte more after the last section, with the size field to match. */
  memcpy(copy, bytes, size - WR_OBJECT_HASH_SIZE);
  copy[size - WR_OBJECT_HASH_SIZE] = 0;
  put_u32(copy + 24, (uint32_t)size + 1);
  reseal(copy, size + 1);
  expect_refused(copy, size + 1, m, "1 bytes after the last section");

  free(copy);
  free(bytes);
  wr_object_free(o);
  wasmrt_module_free(mod);
}

static void test_structure_refusals(void **state)
{
  (void)state;
  wasmrt_module *mod = make_module(7);
  const wr_module *m = mod->decoded;
  struct {
    const char *needle;
    bool needs_module; /* refused only when checked against the module */
  } cases[] = {
      {"function entry 1: code 0x28+0x64 is outside the code (0x40 bytes)", false},
      {"function entry 1: code at 0x1e overlaps or precedes entry 0's", false},
      {"function entry 0: local types 3+4 are outside the type pool (6 bytes)", false},
      {"function entry 0: 5 parameters but 4 locals", false},
      {"function entry 1: points 2+5 are outside the point table (3)", false},
      {"function entry 0: point 1 at 0x2c is outside its code 0x0+0x28", false},
      {"function entry 0: its points name functions 1 and 2", false},
      {"trap site 3 at 0x40 is outside the code (0x40 bytes)", false},
      {"trap site 1 at 0xb is before trap site 0 at 0xc: not sorted", false},
      {"trap site 0 has unknown kind 0", false},
      {"trap site 2 has unknown kind 11", false},
      {"point 1 at 0x8 is not after point 0 at 0x8: not sorted", false},
      {"point 2 at 0x40 is outside the code", false},
      {"point 0 has unknown kind 3", false},
      {"point 2: operand types 5+2 are outside the type pool (6 bytes)", false},
      {"type pool byte 5 is 0x00, not a value type", false},
      {"it has 1 functions, the module defines 2", true},
      {"function 1 has 1 parameters, the module's type says 2", true},
      {"function 1 parameter 1 is i32, the module says i64", true},
      {"function 1 local 3 is f64, the module says f32", true},
      {"function 1 has 3 locals, the module declares more", true},
      {"function 2 has 1 locals, the module declares 0", true},
      {"function 2's points name function 1", true},
      {"trap site 0 names function 0, not a defined function", true},
      {"trap site 3 names function 3, not a defined function", true},
      {"trap site 1 at wasm offset 0x", true},
      {"point 0 at wasm offset 0x", true},
      {"function entry 1: points from 1 overlap or precede entry 0's", false},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    wr_object *o = make_object(mod);
    switch (i) {
    case 0:
      o->funcs[1].code_size = 100;
      break;
    case 1:
      o->funcs[1].code_offset = 30;
      o->funcs[1].code_size = 10;
      break;
    case 2:
      o->funcs[0].local_types = 3;
      break;
    case 3:
      o->funcs[0].param_count = 5;
      break;
    case 4:
      o->funcs[1].point_count = 5;
      break;
    case 5:
      o->points[1].native_offset = 44;
      o->points[2].native_offset = 45;
      break;
    case 6:
      o->points[1].func_index = 2;
      break;
    case 7:
      o->traps[3].native_offset = 64;
      break;
    case 8:
      o->traps[1].native_offset = 11;
      break;
    case 9:
      o->traps[0].kind = WASMRT_TRAP_NONE;
      break;
    case 10:
      o->traps[2].kind = WASMRT_TRAP_HOST;
      break;
    case 11:
      o->points[1].native_offset = 8;
      break;
    case 12:
      o->points[2].native_offset = 64;
      o->funcs[1].point_count = 0;
      break;
    case 13:
      o->points[0].kind = 3;
      break;
    case 14:
      o->points[2].stack_depth = 2;
      break;
    case 15:
      o->type_pool[5] = 0x00;
      break;
    case 16:
      o->func_count = 1;
      o->funcs[0].first_point = 0;
      break;
    case 17:
      o->funcs[0].param_count = 1;
      break;
    case 18:
      o->type_pool[1] = 0x7f;
      break;
    case 19:
      o->type_pool[3] = 0x7c;
      break;
    case 20:
      o->funcs[0].local_count = 3;
      break;
    case 21:
      o->funcs[1].local_count = 1;
      o->funcs[1].local_types = 0;
      break;
    case 22:
      o->points[2].func_index = 1;
      break;
    case 23:
      o->traps[0].func_index = 0;
      break;
    case 24:
      o->traps[3].func_index = 3;
      break;
    case 25:
      o->traps[1].wasm_offset = (uint32_t)m->size;
      break;
    case 26:
      o->points[0].wasm_offset = UINT32_MAX;
      break;
    case 27:
      o->funcs[1].first_point = 1;
      break;
    }
    if (cases[i].needs_module) {
      uint8_t *bytes;
      size_t size;
      write_ok(o, &bytes, &size);
      wr_object *alone = NULL;
      wasmrt_error err;
      assert_int_equal(wr_object_read(bytes, size, NULL, &alone, &err), WASMRT_OK);
      wr_object_free(alone);
      free(bytes);
    }
    expect_write_refused(o, cases[i].needs_module ? m : NULL, cases[i].needle);
    expect_write_refused(o, m, cases[i].needle);
    /* wasmrt_compiled_save refuses to write what would not load. */
    wasmrt_compiled c = {m, o, NULL, 0};
    wasmrt_error err;
    assert_int_equal(wasmrt_compiled_save(&c, "/nonexistent/never-written.wrtobj", &err),
                     WASMRT_ERROR_OBJECT);
    assert_non_null(strstr(err.message, cases[i].needle));
    wr_object_free(o);
  }
  /* What the writer cannot represent. */
  wr_object bad = {.target = WASMRT_TARGET_HOST};
  uint8_t *bytes = (uint8_t *)1;
  size_t size = 1;
  wasmrt_error err;
  assert_int_equal(wr_object_write(&bad, &bytes, &size, &err), WASMRT_ERROR_ARGUMENT);
  assert_null(bytes);
  assert_int_equal(size, 0);
  wasmrt_module_free(mod);
}

static void test_host_target(void **state)
{
  (void)state;
  wr_object o = {.target = WASMRT_TARGET_ARM64};
  wasmrt_error err;
  assert_string_equal(wr_object_target_name(WASMRT_TARGET_X86_64), "x86_64");
  assert_string_equal(wr_object_target_name(WASMRT_TARGET_ARM64), "arm64");
  assert_string_equal(wr_object_target_name(WASMRT_TARGET_HOST), "unknown");
#if defined(__x86_64__)
  assert_int_equal(wr_host_target(), WASMRT_TARGET_X86_64);
  assert_int_equal(wr_object_check_host(&o, &err), WASMRT_ERROR_OBJECT);
  assert_string_equal(err.message, "object is for arm64, this host is x86_64");
  o.target = WASMRT_TARGET_X86_64;
  assert_int_equal(wr_object_check_host(&o, &err), WASMRT_OK);
#elif defined(__aarch64__)
  assert_int_equal(wr_host_target(), WASMRT_TARGET_ARM64);
  assert_int_equal(wr_object_check_host(&o, &err), WASMRT_OK);
  o.target = WASMRT_TARGET_X86_64;
  assert_int_equal(wr_object_check_host(&o, &err), WASMRT_ERROR_OBJECT);
  assert_string_equal(err.message, "object is for x86_64, this host is arm64");
#endif
  assert_string_equal(wasmrt_errname(WASMRT_ERROR_OBJECT), "bad object");
}

/* ---- files --------------------------------------------------------------- */

static char tmpdir[256];

static int setup_dir(void **state)
{
  (void)state;
  const char *base = getenv("TMPDIR");
  snprintf(tmpdir, sizeof tmpdir, "%s/wrtobj-test-XXXXXX", base && *base ? base : "/tmp");
  return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown_dir(void **state)
{
  (void)state;
  DIR *d = opendir(tmpdir);
  if (d) {
    struct dirent *e;
    char path[512];
    while ((e = readdir(d))) {
      if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
        continue;
      snprintf(path, sizeof path, "%s/%s", tmpdir, e->d_name);
      if (unlink(path) != 0)
        rmdir(path);
    }
    closedir(d);
  }
  rmdir(tmpdir);
  return 0;
}

static char *path_in(const char *name)
{
  static char path[4][512];
  static int next;
  char *p = path[next++ % 4];
  snprintf(p, sizeof path[0], "%s/%s", tmpdir, name);
  return p;
}

static uint8_t *read_whole(const char *path, size_t *size)
{
  FILE *f = fopen(path, "rb");
  assert_non_null(f);
  static uint8_t buf[1 << 16];
  *size = fread(buf, 1, sizeof buf, f);
  fclose(f);
  return dup_bytes(buf, *size ? *size : 1);
}

static int compare_names(const void *x, const void *y) { return strcmp(x, y); }

/* The names in tmpdir, sorted and joined by spaces. */
static void dir_listing(char *out, size_t out_size)
{
  char names[16][256];
  int n = 0;
  DIR *d = opendir(tmpdir);
  assert_non_null(d);
  struct dirent *e;
  while ((e = readdir(d)) && n < 16) {
    if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
      memcpy(names[n++], e->d_name, strlen(e->d_name) + 1);
  }
  closedir(d);
  qsort(names, (size_t)n, sizeof names[0], compare_names);
  out[0] = '\0';
  for (int i = 0; i < n; i++) {
    strncat(out, i ? " " : "", out_size - strlen(out) - 1);
    strncat(out, names[i], out_size - strlen(out) - 1);
  }
}

static void test_save_and_load_files(void **state)
{
  (void)state;
  wasmrt_module *mod = make_module(7);
  wr_object *o = make_object(mod);
  memset(o->module_hash, 0, sizeof o->module_hash); /* save hashes the module itself */
  wasmrt_compiled c = {mod->decoded, o, NULL, 0};
  wasmrt_error err;
  const char *first = path_in("first.wrtobj");
  mode_t old_mask = umask(027);
  wasmrt_result r = wasmrt_compiled_save(&c, first, &err);
  umask(old_mask);
  assert_int_equal(r, WASMRT_OK);
  struct stat st;
  assert_int_equal(stat(first, &st), 0);
  assert_int_equal(st.st_mode & 0777, 0640); /* as creat() would, not mkstemp's 0600 */

  size_t size;
  uint8_t *bytes = read_whole(first, &size);
  wasmrt_compiled *loaded = NULL;
  assert_int_equal(wasmrt_compiled_load(mod, bytes, size, &loaded, &err), WASMRT_OK);
  assert_ptr_equal(loaded->module, mod->decoded);
  assert_null(loaded->exec);
  wr_blake2b256(mod->decoded->bytes, mod->decoded->size, o->module_hash);
  assert_objects_equal(o, loaded->object);

  /* Saving what was loaded gives the same bytes, over an existing file. */
  const char *second = path_in("second.wrtobj");
  assert_int_equal(wasmrt_compiled_save(loaded, second, &err), WASMRT_OK);
  assert_int_equal(wasmrt_compiled_save(loaded, second, &err), WASMRT_OK);
  size_t size2;
  uint8_t *bytes2 = read_whole(second, &size2);
  assert_int_equal(size2, size);
  assert_memory_equal(bytes2, bytes, size);
  char listing[512];
  dir_listing(listing, sizeof listing);
  assert_string_equal(listing, "first.wrtobj second.wrtobj"); /* no temporary left */

  /* A relative path (no directory part) works too. */
  char cwd[512];
  assert_non_null(getcwd(cwd, sizeof cwd));
  assert_int_equal(chdir(tmpdir), 0);
  assert_int_equal(wasmrt_compiled_save(loaded, "third.wrtobj", &err), WASMRT_OK);
  assert_int_equal(chdir(cwd), 0);
  assert_int_equal(unlink(path_in("third.wrtobj")), 0);
  assert_int_equal(unlink(first), 0);
  assert_int_equal(unlink(second), 0);

  wr_object_free(loaded->object);
  free(loaded);
  free(bytes2);
  free(bytes);
  wr_object_free(o);
  wasmrt_module_free(mod);
}

static void test_save_failures_leave_nothing(void **state)
{
  (void)state;
  wasmrt_module *mod = make_module(7);
  wr_object *o = make_object(mod);
  wasmrt_compiled c = {mod->decoded, o, NULL, 0};
  wasmrt_error err;
  char listing[512];

  /* No such directory. */
  const char *nodir = path_in("missing/x.wrtobj");
  assert_int_equal(wasmrt_compiled_save(&c, nodir, &err), WASMRT_ERROR_IO);
  assert_non_null(strstr(err.message, "missing/x.wrtobj"));
  assert_non_null(strstr(err.message, strerror(ENOENT)));

  /* The destination is a directory: the rename fails, the temporary goes. */
  const char *isdir = path_in("dir.wrtobj");
  assert_int_equal(mkdir(isdir, 0755), 0);
  assert_int_equal(wasmrt_compiled_save(&c, isdir, &err), WASMRT_ERROR_IO);
  assert_non_null(strstr(err.message, "dir.wrtobj"));
  dir_listing(listing, sizeof listing);
  assert_string_equal(listing, "dir.wrtobj");
  assert_int_equal(rmdir(isdir), 0);

  /* A write that fails half way (a full disk, here a file size limit): the
   * old file stays as it was and no partial file is left. */
  const char *dest = path_in("full.wrtobj");
  FILE *f = fopen(dest, "wb");
  assert_non_null(f);
  fputs("old contents", f);
  fclose(f);
  struct rlimit old;
  assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
  struct rlimit small = {100, old.rlim_max};
  void (*old_handler)(int) = signal(SIGXFSZ, SIG_IGN);
  assert_int_equal(setrlimit(RLIMIT_FSIZE, &small), 0);
  wasmrt_result r = wasmrt_compiled_save(&c, dest, &err);
  assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
  signal(SIGXFSZ, old_handler);
  assert_int_equal(r, WASMRT_ERROR_IO);
  assert_non_null(strstr(err.message, "cannot write"));
  assert_non_null(strstr(err.message, "full.wrtobj"));
  assert_non_null(strstr(err.message, strerror(EFBIG)));
  dir_listing(listing, sizeof listing);
  assert_string_equal(listing, "full.wrtobj");
  size_t size;
  uint8_t *bytes = read_whole(dest, &size);
  assert_int_equal(size, 12);
  assert_memory_equal(bytes, "old contents", 12);
  free(bytes);
  assert_int_equal(unlink(dest), 0);

  /* Bad arguments. */
  assert_int_equal(wasmrt_compiled_save(NULL, dest, &err), WASMRT_ERROR_ARGUMENT);
  assert_int_equal(wasmrt_compiled_save(&c, "", &err), WASMRT_ERROR_ARGUMENT);
  wasmrt_compiled *out = NULL;
  assert_int_equal(wasmrt_compiled_load(NULL, "x", 1, &out, &err), WASMRT_ERROR_ARGUMENT);
  assert_int_equal(wasmrt_compiled_load(mod, NULL, 5, &out, &err), WASMRT_ERROR_ARGUMENT);

  wr_object_free(o);
  wasmrt_module_free(mod);
}

/* ---- hostile bytes -------------------------------------------------------- */

/* Uses everything a successful read returned, so ASan sees any index the
 * checks let through. */
static void exercise(const wr_object *o)
{
  volatile uint64_t sink = 0;
  for (uint32_t i = 0; i < o->func_count; i++) {
    const wr_func_code *f = &o->funcs[i];
    for (uint32_t k = 0; k < f->local_count; k++)
      sink += o->type_pool[f->local_types + k];
    for (uint32_t k = 0; k < f->point_count; k++)
      sink += o->points[f->first_point + k].native_offset;
    for (uint32_t k = 0; k < f->code_size; k++)
      sink += o->code[f->code_offset + k];
  }
  for (uint32_t i = 0; i < o->point_count; i++) {
    const wr_frame_point *p = &o->points[i];
    for (uint32_t k = 0; k < p->stack_depth; k++)
      sink += o->type_pool[p->types + k];
    sink += o->code[p->native_offset];
    assert_ptr_equal(wr_object_find_point(o, p->native_offset), p);
  }
  for (uint32_t i = 0; i < o->trap_count; i++) {
    sink += o->code[o->traps[i].native_offset];
    assert_non_null(wr_object_find_trap(o, o->traps[i].native_offset));
  }
  for (uint32_t off = 0; off <= o->code_size; off++)
    sink += wr_object_find_func(o, off) != NULL;
  (void)sink;
}

/* Reads a mutant: it must be refused with WASMRT_ERROR_OBJECT or, when it
 * happens to be consistent, yield an object whose indices are all good. */
static void read_mutant(const uint8_t *bytes, size_t size, const wr_module *m, bool must_refuse)
{
  wr_object *o = NULL;
  wasmrt_error err;
  wasmrt_result r = wr_object_read(bytes, size, m, &o, &err);
  if (r == WASMRT_OK) {
    assert_false(must_refuse);
    exercise(o);
    wr_object_free(o);
    return;
  }
  assert_int_equal(r, WASMRT_ERROR_OBJECT);
  assert_null(o);
  assert_true(err.message[0] != '\0');
}

static void test_every_truncation_and_flip(void **state)
{
  (void)state;
  wasmrt_module *mod = make_module(7);
  wr_object *o = make_object(mod);
  uint8_t *bytes;
  size_t size;
  write_ok(o, &bytes, &size);
  for (size_t n = 0; n < size; n++) {
    uint8_t *cut = dup_bytes(bytes, n ? n : 1); /* exactly n bytes: ASan sees overreads */
    read_mutant(cut, n, mod->decoded, true);
    read_mutant(cut, n, NULL, true);
    free(cut);
  }
  uint8_t *copy = malloc(size);
  assert_non_null(copy);
  for (size_t i = 0; i < size; i++) {
    static const uint8_t flips[] = {0x01, 0x80, 0xff};
    for (size_t k = 0; k < sizeof flips; k++) {
      memcpy(copy, bytes, size);
      copy[i] ^= flips[k];
      read_mutant(copy, size, mod->decoded, true);
      read_mutant(copy, size, NULL, true);
    }
  }
  free(copy);
  free(bytes);
  wr_object_free(o);
  wasmrt_module_free(mod);
}

static void test_resealed_mutations(void **state)
{
  (void)state;
  wasmrt_module *mod = make_module(7);
  wr_object *o = make_object(mod);
  uint8_t *bytes;
  size_t size;
  write_ok(o, &bytes, &size);
  uint8_t *copy = malloc(size);
  assert_non_null(copy);
  /* Every byte of the sections set to values that stress the checks, with
   * the checksum recomputed: only the structural checks stand between these
   * and the lookups. */
  static const uint8_t values[] = {0x00, 0x01, 0x02, 0x05, 0x7f, 0x80, 0xfe, 0xff};
  for (size_t i = 0; i < size - WR_OBJECT_HASH_SIZE; i++) {
    for (size_t k = 0; k < sizeof values; k++) {
      memcpy(copy, bytes, size);
      if (copy[i] == values[k])
        continue;
      copy[i] = values[k];
      reseal(copy, size);
      read_mutant(copy, size, mod->decoded, false);
      read_mutant(copy, size, NULL, false);
    }
  }
  /* Several bytes at once, from a fixed-seed generator. */
  uint64_t seed = 0x9e3779b97f4a7c15u;
  for (int round = 0; round < 20000; round++) {
    memcpy(copy, bytes, size);
    int changes = 1 + (int)((seed >> 60) & 3);
    for (int c = 0; c < changes; c++) {
      seed = seed * 6364136223846793005u + 1442695040888963407u;
      size_t at = 104 + (size_t)((seed >> 33) % (size - 104 - WR_OBJECT_HASH_SIZE));
      copy[at] = (uint8_t)(seed >> 20);
    }
    reseal(copy, size);
    read_mutant(copy, size, mod->decoded, false);
    read_mutant(copy, size, NULL, false);
  }
  free(copy);
  free(bytes);
  wr_object_free(o);
  wasmrt_module_free(mod);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_round_trip_memory),
      cmocka_unit_test(test_lookups),
      cmocka_unit_test(test_header_refusals),
      cmocka_unit_test(test_structure_refusals),
      cmocka_unit_test(test_host_target),
      cmocka_unit_test(test_save_and_load_files),
      cmocka_unit_test(test_save_failures_leave_nothing),
      cmocka_unit_test(test_every_truncation_and_flip),
      cmocka_unit_test(test_resealed_mutations),
  };
  return cmocka_run_group_tests(tests, setup_dir, teardown_dir);
}
