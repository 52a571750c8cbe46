/*
 * codebuf.h - the growing byte buffer every backend emits machine code into.
 *
 * Emitting never fails at the call site: an allocation failure sets
 * `failed`, later writes are dropped, and the code generator checks the flag
 * once per function. This keeps encoders free of error paths.
 */
#ifndef WASMRT_COMPILER_CODEBUF_H
#define WASMRT_COMPILER_CODEBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

typedef struct wr_codebuf {
  uint8_t *data;
  size_t len, cap;
  bool failed; /* an allocation failed; contents are incomplete */
  bool mapped; /* data is an mmap'd region of `cap` bytes, else malloc'd */
} wr_codebuf;

/* Buffers from this size on are mapped with transparent huge pages asked
 * for: writing megabytes of fresh code otherwise costs a page fault per
 * 4 KiB, a fifth of compile time on these machines (docs/BACKEND.md). */
#define WR_CODEBUF_MAP_MIN ((size_t)2 << 20)

static inline bool wr_codebuf_grow(wr_codebuf *b, size_t cap)
{
  uint8_t *p;
  if (cap >= WR_CODEBUF_MAP_MIN) {
    cap = (cap + WR_CODEBUF_MAP_MIN - 1) & ~(WR_CODEBUF_MAP_MIN - 1);
    void *m = b->mapped
                  ? mremap(b->data, b->cap, cap, MREMAP_MAYMOVE)
                  : mmap(NULL, cap, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED)
      return false;
    madvise(m, cap, MADV_HUGEPAGE);
    if (!b->mapped) {
      if (b->len)
        memcpy(m, b->data, b->len);
      free(b->data);
    }
    p = m;
    b->mapped = true;
  } else {
    p = realloc(b->data, cap);
    if (!p)
      return false;
  }
  b->data = p;
  b->cap = cap;
  return true;
}

static inline bool wr_codebuf_reserve(wr_codebuf *b, size_t extra)
{
  if (b->failed)
    return false;
  if (b->len + extra <= b->cap)
    return true;
  size_t cap = b->cap ? b->cap : 4096;
  while (cap < b->len + extra)
    cap *= 2;
  if (!wr_codebuf_grow(b, cap)) {
    b->failed = true;
    return false;
  }
  return true;
}

static inline void wr_codebuf_byte(wr_codebuf *b, uint8_t v)
{
  if (wr_codebuf_reserve(b, 1))
    b->data[b->len++] = v;
}

/* Little-endian, as both targets (x86-64, AArch64) are. The bytes go
 * through a local array and one memcpy: a store through b->data (uint8_t,
 * which may alias anything) would make the compiler reload b->len after
 * every byte. */
static inline void wr_codebuf_u32(wr_codebuf *b, uint32_t v)
{
  if (wr_codebuf_reserve(b, 4)) {
    uint8_t bytes[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
    memcpy(b->data + b->len, bytes, 4);
    b->len += 4;
  }
}

/* Append the first `n` of 16 bytes without a capacity check: only after
 * wr_codebuf_reserve(b, 16) said there is room. All 16 are copied (a fixed
 * size compiles to two moves, a variable one to a call); the tail beyond
 * `n` is overwritten by whatever comes next. */
static inline void wr_codebuf_put16(wr_codebuf *b, const uint8_t bytes[16], size_t n)
{
  memcpy(b->data + b->len, bytes, 16);
  b->len += n;
}

static inline void wr_codebuf_u64(wr_codebuf *b, uint64_t v)
{
  wr_codebuf_u32(b, (uint32_t)v);
  wr_codebuf_u32(b, (uint32_t)(v >> 32));
}

static inline void wr_codebuf_patch_u32(wr_codebuf *b, size_t at, uint32_t v)
{
  if (!b->failed && at + 4 <= b->len)
    for (int i = 0; i < 4; i++)
      b->data[at + (size_t)i] = (uint8_t)(v >> (8 * i));
}

static inline void wr_codebuf_free(wr_codebuf *b)
{
  if (b->mapped)
    munmap(b->data, b->cap);
  else
    free(b->data);
  memset(b, 0, sizeof *b);
}

#endif
