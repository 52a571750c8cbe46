/* test_leb128.c - LEB128 and UTF-8 readers against hand-encoded values,
 * including every way the binary format says an integer can be malformed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "compiler/reader.h"

#define BYTES(...) ((const uint8_t[]){__VA_ARGS__}), sizeof((const uint8_t[]){__VA_ARGS__})

static wr_read_status read_u32(const uint8_t *b, size_t n, uint32_t *v, size_t *used)
{
  const uint8_t *p = b;
  wr_read_status s = wr_read_u32(&p, b + n, v);
  *used = (size_t)(p - b);
  return s;
}

static wr_read_status read_s32(const uint8_t *b, size_t n, int32_t *v)
{
  const uint8_t *p = b;
  return wr_read_s32(&p, b + n, v);
}

static wr_read_status read_s64(const uint8_t *b, size_t n, int64_t *v)
{
  const uint8_t *p = b;
  return wr_read_s64(&p, b + n, v);
}

static void test_u32_values(void **state)
{
  (void)state;
  uint32_t v;
  size_t used;
  assert_int_equal(read_u32(BYTES(0x00), &v, &used), WR_READ_OK);
  assert_int_equal(v, 0);
  assert_int_equal(read_u32(BYTES(0x7f), &v, &used), WR_READ_OK);
  assert_int_equal(v, 127);
  assert_int_equal(read_u32(BYTES(0x80, 0x01), &v, &used), WR_READ_OK);
  assert_int_equal(v, 128);
  assert_int_equal(used, 2);
  assert_int_equal(read_u32(BYTES(0xe5, 0x8e, 0x26), &v, &used), WR_READ_OK);
  assert_int_equal(v, 624485);
  assert_int_equal(read_u32(BYTES(0xff, 0xff, 0xff, 0xff, 0x0f), &v, &used), WR_READ_OK);
  assert_int_equal(v, UINT32_MAX);
  /* Non-minimal encodings within the byte limit are allowed. */
  assert_int_equal(read_u32(BYTES(0x80, 0x80, 0x80, 0x80, 0x00), &v, &used), WR_READ_OK);
  assert_int_equal(v, 0);
  assert_int_equal(used, 5);
}

static void test_u32_malformed(void **state)
{
  (void)state;
  uint32_t v;
  size_t used;
  assert_int_equal(read_u32(BYTES(0x80), &v, &used), WR_READ_END);
  assert_int_equal(read_u32(BYTES(0x80, 0x80, 0x80, 0x80, 0x80, 0x00), &v, &used),
                   WR_READ_TOO_LONG);
  /* Bits above 32 set in the fifth byte. */
  assert_int_equal(read_u32(BYTES(0xff, 0xff, 0xff, 0xff, 0x1f), &v, &used), WR_READ_TOO_LARGE);
  assert_int_equal(read_u32(BYTES(0x82, 0x80, 0x80, 0x80, 0x70), &v, &used), WR_READ_TOO_LARGE);
  const uint8_t empty[1] = {0};
  const uint8_t *p = empty;
  assert_int_equal(wr_read_u32(&p, empty, &v), WR_READ_END);
}

static void test_s32_values(void **state)
{
  (void)state;
  int32_t v;
  assert_int_equal(read_s32(BYTES(0x7f), &v), WR_READ_OK);
  assert_int_equal(v, -1);
  assert_int_equal(read_s32(BYTES(0x40), &v), WR_READ_OK);
  assert_int_equal(v, -64);
  assert_int_equal(read_s32(BYTES(0x3f), &v), WR_READ_OK);
  assert_int_equal(v, 63);
  assert_int_equal(read_s32(BYTES(0xc0, 0x00), &v), WR_READ_OK);
  assert_int_equal(v, 64);
  assert_int_equal(read_s32(BYTES(0x80, 0x80, 0x80, 0x80, 0x78), &v), WR_READ_OK);
  assert_int_equal(v, INT32_MIN);
  assert_int_equal(read_s32(BYTES(0xff, 0xff, 0xff, 0xff, 0x07), &v), WR_READ_OK);
  assert_int_equal(v, INT32_MAX);
  /* -1 padded to five bytes */
  assert_int_equal(read_s32(BYTES(0xff, 0xff, 0xff, 0xff, 0x7f), &v), WR_READ_OK);
  assert_int_equal(v, -1);
}

static void test_s32_malformed(void **state)
{
  (void)state;
  int32_t v;
  /* Unused bits of the last byte must repeat the sign bit. */
  assert_int_equal(read_s32(BYTES(0x80, 0x80, 0x80, 0x80, 0x70), &v), WR_READ_TOO_LARGE);
  assert_int_equal(read_s32(BYTES(0xff, 0xff, 0xff, 0xff, 0x0f), &v), WR_READ_TOO_LARGE);
  assert_int_equal(read_s32(BYTES(0x80, 0x80, 0x80, 0x80, 0x80, 0x00), &v), WR_READ_TOO_LONG);
  assert_int_equal(read_s32(BYTES(0xff), &v), WR_READ_END);
}

static void test_s64_and_s33(void **state)
{
  (void)state;
  int64_t v;
  assert_int_equal(read_s64(BYTES(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f), &v),
                   WR_READ_OK);
  assert_true(v == INT64_MIN);
  assert_int_equal(read_s64(BYTES(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00), &v),
                   WR_READ_OK);
  assert_true(v == INT64_MAX);
  assert_int_equal(read_s64(BYTES(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01), &v),
                   WR_READ_TOO_LARGE);
  const uint8_t s33[] = {0xff, 0xff, 0xff, 0xff, 0x0f}; /* 2^32 - 1 fits in 33 bits */
  const uint8_t *p = s33;
  assert_int_equal(wr_read_s33(&p, s33 + 5, &v), WR_READ_OK);
  assert_true(v == 0xffffffffll);
  const uint8_t s33_big[] = {0xff, 0xff, 0xff, 0xff, 0x1f}; /* bit 33 set: not a sign copy */
  p = s33_big;
  assert_int_equal(wr_read_s33(&p, s33_big + 5, &v), WR_READ_TOO_LARGE);
}

static void test_utf8(void **state)
{
  (void)state;
  assert_true(wr_utf8_valid((const uint8_t *)"plain ascii", 11));
  assert_true(wr_utf8_valid(BYTES(0xc3, 0xa9)));              /* U+00E9 */
  assert_true(wr_utf8_valid(BYTES(0xe2, 0x82, 0xac)));        /* U+20AC */
  assert_true(wr_utf8_valid(BYTES(0xf0, 0x9f, 0x98, 0x80)));  /* U+1F600 */
  assert_false(wr_utf8_valid(BYTES(0xc0, 0x80)));             /* overlong NUL */
  assert_false(wr_utf8_valid(BYTES(0xe0, 0x80, 0x80)));       /* overlong */
  assert_false(wr_utf8_valid(BYTES(0xed, 0xa0, 0x80)));       /* surrogate */
  assert_false(wr_utf8_valid(BYTES(0xf4, 0x90, 0x80, 0x80))); /* above U+10FFFF */
  assert_false(wr_utf8_valid(BYTES(0xe2, 0x82)));             /* truncated */
  assert_false(wr_utf8_valid(BYTES(0x80)));                   /* stray continuation */
  assert_false(wr_utf8_valid(BYTES(0xff)));
}

int main(void)
{
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_u32_values),  cmocka_unit_test(test_u32_malformed),
      cmocka_unit_test(test_s32_values),  cmocka_unit_test(test_s32_malformed),
      cmocka_unit_test(test_s64_and_s33), cmocka_unit_test(test_utf8),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
