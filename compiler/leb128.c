/*
 * leb128.c - LEB128 integers and UTF-8 names, as the binary format defines
 * them: at most ceil(N/7) bytes for an N-bit integer, and the unused bits of
 * the last byte must be zero (unsigned) or copies of the sign bit (signed).
 */
#include "compiler/reader.h"

const char *wr_read_status_text(wr_read_status status)
{
  switch (status) {
  case WR_READ_OK:
    return "ok";
  case WR_READ_END:
    return "unexpected end";
  case WR_READ_TOO_LONG:
    return "integer representation too long";
  case WR_READ_TOO_LARGE:
    return "integer too large";
  }
  return "unknown read error";
}

/* Reads an unsigned LEB128 of `bits` bits (at most 64). */
static wr_read_status wr_read_uleb(const uint8_t **p, const uint8_t *end, unsigned bits,
                                   uint64_t *out)
{
  const uint8_t *q = *p;
  unsigned max_bytes = (bits + 6) / 7;
  uint64_t value = 0;
  for (unsigned i = 0;; i++) {
    if (q >= end) {
      *p = q;
      return WR_READ_END;
    }
    if (i == max_bytes) {
      *p = q;
      return WR_READ_TOO_LONG;
    }
    uint8_t byte = *q++;
    unsigned shift = 7 * i;
    if (i == max_bytes - 1) {
      /* The last allowed byte may carry only the bits that remain, and no
       * continuation bit. */
      unsigned remaining = bits - shift;
      if (byte & 0x80) {
        *p = q - 1;
        return WR_READ_TOO_LONG;
      }
      if (remaining < 7 && (byte >> remaining) != 0) {
        *p = q - 1;
        return WR_READ_TOO_LARGE;
      }
    }
    value |= (uint64_t)(byte & 0x7f) << shift;
    if (!(byte & 0x80))
      break;
  }
  *p = q;
  *out = value;
  return WR_READ_OK;
}

/* Reads a signed LEB128 of `bits` bits (at most 64). */
static wr_read_status wr_read_sleb(const uint8_t **p, const uint8_t *end, unsigned bits,
                                   int64_t *out)
{
  const uint8_t *q = *p;
  unsigned max_bytes = (bits + 6) / 7;
  uint64_t value = 0;
  unsigned shift = 0;
  uint8_t byte;
  for (unsigned i = 0;; i++) {
    if (q >= end) {
      *p = q;
      return WR_READ_END;
    }
    if (i == max_bytes) {
      *p = q;
      return WR_READ_TOO_LONG;
    }
    byte = *q++;
    shift = 7 * i;
    if (i == max_bytes - 1) {
      if (byte & 0x80) {
        *p = q - 1;
        return WR_READ_TOO_LONG;
      }
      /* Bits from the value's sign bit upward must all be equal. */
      unsigned remaining = bits - shift; /* 1..7 payload bits that count */
      if (remaining < 7) {
        uint8_t sign_and_above = (uint8_t)((byte & 0x7f) >> (remaining - 1));
        uint8_t all_ones = (uint8_t)(0x7f >> (remaining - 1));
        if (sign_and_above != 0 && sign_and_above != all_ones) {
          *p = q - 1;
          return WR_READ_TOO_LARGE;
        }
      }
    }
    value |= (uint64_t)(byte & 0x7f) << shift;
    if (!(byte & 0x80))
      break;
  }
  shift += 7;
  if (shift < 64 && (byte & 0x40))
    value |= ~(uint64_t)0 << shift;
  *p = q;
  *out = (int64_t)value;
  return WR_READ_OK;
}

/* Signed LEB128 of `bits` bits when every byte that may carry a
 * continuation bit is known to be present: the bytes before the last
 * allowed one cannot be malformed, so they need no checks. Falls back to
 * wr_read_sleb for the last byte and near the end of the input. */
static inline wr_read_status wr_read_sleb_fast(const uint8_t **p, const uint8_t *end, unsigned bits,
                                               int64_t *out)
{
  const uint8_t *q = *p;
  unsigned max_bytes = (bits + 6) / 7;
  if ((size_t)(end - q) >= max_bytes) {
    uint64_t value = 0;
    unsigned shift = 0;
    for (unsigned i = 0; i + 1 < max_bytes; i++) {
      uint8_t byte = q[i];
      value |= (uint64_t)(byte & 0x7f) << shift;
      shift += 7;
      if (!(byte & 0x80)) {
        if (byte & 0x40)
          value |= ~(uint64_t)0 << shift;
        *p = q + i + 1;
        *out = (int64_t)value;
        return WR_READ_OK;
      }
    }
  }
  return wr_read_sleb(p, end, bits, out);
}

wr_read_status wr_read_u32_slow(const uint8_t **p, const uint8_t *end, uint32_t *out)
{
  uint64_t v;
  wr_read_status s = wr_read_uleb(p, end, 32, &v);
  if (s == WR_READ_OK)
    *out = (uint32_t)v;
  return s;
}

wr_read_status wr_read_u64(const uint8_t **p, const uint8_t *end, uint64_t *out)
{
  return wr_read_uleb(p, end, 64, out);
}

wr_read_status wr_read_s32_slow(const uint8_t **p, const uint8_t *end, int32_t *out)
{
  int64_t v;
  wr_read_status s = wr_read_sleb_fast(p, end, 32, &v);
  if (s == WR_READ_OK)
    *out = (int32_t)v;
  return s;
}

wr_read_status wr_read_s33(const uint8_t **p, const uint8_t *end, int64_t *out)
{
  return wr_read_sleb(p, end, 33, out);
}

wr_read_status wr_read_s64_slow(const uint8_t **p, const uint8_t *end, int64_t *out)
{
  return wr_read_sleb_fast(p, end, 64, out);
}

bool wr_utf8_valid(const uint8_t *s, size_t size)
{
  size_t i = 0;
  while (i < size) {
    uint8_t c = s[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    size_t need;
    uint32_t cp;
    if ((c & 0xe0) == 0xc0) {
      need = 1;
      cp = c & 0x1f;
    } else if ((c & 0xf0) == 0xe0) {
      need = 2;
      cp = c & 0x0f;
    } else if ((c & 0xf8) == 0xf0) {
      need = 3;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (size - i <= need)
      return false;
    for (size_t k = 1; k <= need; k++) {
      uint8_t cc = s[i + k];
      if ((cc & 0xc0) != 0x80)
        return false;
      cp = (cp << 6) | (cc & 0x3f);
    }
    static const uint32_t min_for_length[4] = {0, 0x80, 0x800, 0x10000};
    if (cp < min_for_length[need] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
      return false;
    i += need + 1;
  }
  return true;
}
