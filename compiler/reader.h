/*
 * reader.h - bounds-checked reading of the binary format's primitives.
 *
 * Every reader takes the cursor by pointer and the end of the enclosing
 * range, never reads at or past `end`, and on failure leaves the cursor at
 * the offending byte and returns a wr_read_status saying why. The fast
 * paths (one-byte LEB128) are inline; the rest is in leb128.c.
 */
#ifndef WASMRT_COMPILER_READER_H
#define WASMRT_COMPILER_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum wr_read_status {
  WR_READ_OK = 0,
  WR_READ_END,      /* the range ended inside the value */
  WR_READ_TOO_LONG, /* LEB128 with more bytes than the type allows */
  WR_READ_TOO_LARGE /* LEB128 whose last byte sets bits beyond the type */
} wr_read_status;

/* The spec's wording for each failure ("unexpected end", ...). */
const char *wr_read_status_text(wr_read_status status);

wr_read_status wr_read_u32_slow(const uint8_t **p, const uint8_t *end, uint32_t *out);
wr_read_status wr_read_s32_slow(const uint8_t **p, const uint8_t *end, int32_t *out);
wr_read_status wr_read_s33(const uint8_t **p, const uint8_t *end, int64_t *out);
wr_read_status wr_read_s64_slow(const uint8_t **p, const uint8_t *end, int64_t *out);
wr_read_status wr_read_u64(const uint8_t **p, const uint8_t *end, uint64_t *out);

static inline wr_read_status wr_read_u32(const uint8_t **p, const uint8_t *end, uint32_t *out)
{
  const uint8_t *q = *p;
  if (q < end && *q < 0x80) {
    *out = *q;
    *p = q + 1;
    return WR_READ_OK;
  }
  return wr_read_u32_slow(p, end, out);
}

static inline wr_read_status wr_read_s32(const uint8_t **p, const uint8_t *end, int32_t *out)
{
  const uint8_t *q = *p;
  if (q < end && *q < 0x80) {
    /* sign-extend the 7-bit payload */
    *out = (int32_t)((uint32_t)*q << 25) >> 25;
    *p = q + 1;
    return WR_READ_OK;
  }
  if (end - q >= 2 && q[1] < 0x80) {
    /* Two bytes (constants up to +-8191, common in code): 14 bits. */
    uint32_t v = (uint32_t)(q[0] & 0x7f) | (uint32_t)q[1] << 7;
    *out = (int32_t)(v << 18) >> 18;
    *p = q + 2;
    return WR_READ_OK;
  }
  return wr_read_s32_slow(p, end, out);
}

static inline wr_read_status wr_read_s64(const uint8_t **p, const uint8_t *end, int64_t *out)
{
  const uint8_t *q = *p;
  if (q < end && *q < 0x80) {
    *out = (int64_t)((uint64_t)*q << 57) >> 57;
    *p = q + 1;
    return WR_READ_OK;
  }
  return wr_read_s64_slow(p, end, out);
}

/* True when `size` bytes starting at `data` are well-formed UTF-8 (no
 * overlongs, no surrogates, nothing above U+10FFFF). */
bool wr_utf8_valid(const uint8_t *data, size_t size);

#endif
