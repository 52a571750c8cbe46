/*
 * wasm_builder.h - tiny helpers that assemble module binaries byte by byte
 * for the unit tests, so each test states exactly the bytes it feeds the
 * decoder. Buffers are fixed-size: tests build small modules only.
 */
#ifndef WASMRT_TESTS_WASM_BUILDER_H
#define WASMRT_TESTS_WASM_BUILDER_H

#include <assert.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

typedef struct wb {
  uint8_t data[1 << 22];
  size_t len;
} wb;

static inline void wb_byte(wb *b, uint8_t v)
{
  assert(b->len < sizeof b->data);
  b->data[b->len++] = v;
}

static inline void wb_bytes(wb *b, const void *p, size_t n)
{
  assert(b->len + n <= sizeof b->data);
  memcpy(b->data + b->len, p, n);
  b->len += n;
}

static inline void wb_u32(wb *b, uint32_t v)
{
  do {
    uint8_t byte = v & 0x7f;
    v >>= 7;
    wb_byte(b, (uint8_t)(byte | (v ? 0x80 : 0)));
  } while (v);
}

static inline void wb_s64(wb *b, int64_t v)
{
  for (;;) {
    uint8_t byte = v & 0x7f;
    v >>= 7; /* arithmetic shift on every compiler we support */
    bool done = (v == 0 && !(byte & 0x40)) || (v == -1 && (byte & 0x40));
    wb_byte(b, (uint8_t)(byte | (done ? 0 : 0x80)));
    if (done)
      return;
  }
}

static inline void wb_name(wb *b, const char *s)
{
  wb_u32(b, (uint32_t)strlen(s));
  wb_bytes(b, s, strlen(s));
}

static inline void wb_header(wb *b)
{
  static const uint8_t h[8] = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};
  b->len = 0;
  wb_bytes(b, h, 8);
}

/* Appends section `id` whose content is `content`. */
static inline void wb_section(wb *b, uint8_t id, const wb *content)
{
  wb_byte(b, id);
  wb_u32(b, (uint32_t)content->len);
  wb_bytes(b, content->data, content->len);
}

/* Appends a section from a literal byte list. */
#define WB_SECTION(b, id, ...)                                                                     \
  do {                                                                                             \
    static const uint8_t wb_content_[] = {__VA_ARGS__};                                            \
    wb_byte((b), (id));                                                                            \
    wb_u32((b), (uint32_t)sizeof wb_content_);                                                     \
    wb_bytes((b), wb_content_, sizeof wb_content_);                                                \
  } while (0)

#endif

/* ---- one-function modules for validator tests ---- */

enum {
  WB_MEMORY = 1,    /* a memory of one page */
  WB_TABLE = 2,     /* a funcref table of 4 entries */
  WB_DATACOUNT = 4, /* a data count section declaring one passive data segment */
  WB_GLOBALS = 8,   /* global 0: immutable i32, global 1: mutable i64 */
  WB_EXPORT = 16,   /* export the function as "f" (declares it for ref.func) */
};

static inline uint8_t wb_type_char(char c)
{
  switch (c) {
  case 'i':
    return 0x7f;
  case 'I':
    return 0x7e;
  case 'f':
    return 0x7d;
  case 'F':
    return 0x7c;
  case 'v':
    return 0x7b;
  case 'r':
    return 0x70;
  case 'e':
    return 0x6f;
  }
  assert(!"unknown type letter");
  return 0;
}

/* A module with one function of type params -> results whose body (locals
 * declaration, instructions and final end) is `body`; `flags` adds the
 * context the body needs. Type letters: i I f F v r(funcref) e(externref). */
static inline void wb_func_module(wb *b, const char *params, const char *results,
                                  const uint8_t *body, size_t body_len, unsigned flags)
{
  static wb s;
  wb_header(b);
  s.len = 0;
  wb_u32(&s, 1);
  wb_byte(&s, 0x60);
  wb_u32(&s, (uint32_t)strlen(params));
  for (const char *c = params; *c; c++)
    wb_byte(&s, wb_type_char(*c));
  wb_u32(&s, (uint32_t)strlen(results));
  for (const char *c = results; *c; c++)
    wb_byte(&s, wb_type_char(*c));
  wb_section(b, 1, &s);
  WB_SECTION(b, 3, 0x01, 0x00);
  if (flags & WB_TABLE)
    WB_SECTION(b, 4, 0x01, 0x70, 0x00, 0x04);
  if (flags & WB_MEMORY)
    WB_SECTION(b, 5, 0x01, 0x00, 0x01);
  if (flags & WB_GLOBALS)
    WB_SECTION(b, 6, 0x02, 0x7f, 0x00, 0x41, 0x07, 0x0b, 0x7e, 0x01, 0x42, 0x00, 0x0b);
  if (flags & WB_EXPORT)
    WB_SECTION(b, 7, 0x01, 0x01, 'f', 0x00, 0x00);
  if (flags & WB_DATACOUNT)
    WB_SECTION(b, 12, 0x01);
  s.len = 0;
  wb_u32(&s, 1);
  wb_u32(&s, (uint32_t)body_len);
  wb_bytes(&s, body, body_len);
  wb_section(b, 10, &s);
  if (flags & WB_DATACOUNT)
    WB_SECTION(b, 11, 0x01, 0x01, 0x00); /* one passive, empty segment */
}
