/*
 * mutate.c - deterministic inputs for the differential and fuzz tests.
 *
 *   mutate random SEED COUNT MIN MAX OUTDIR PREFIX
 *       Writes COUNT files OUTDIR/PREFIXnnnn.bin of MIN..MAX pseudo-random bytes each (the
 *       random input that `wasm-opt -ttf` turns into a module).
 *   mutate mutants SEED COUNT OUTDIR FILE...
 *       Writes COUNT variants of each FILE as OUTDIR/STEM.mnnnn.wasm (STEM: the file's name
 *       without directory and .wasm). Each variant gets one to three edits: flip bits, set a
 *       byte to a value the binary format gives meaning to, insert or delete bytes, change a
 *       LEB128 number (its value, or its encoding: padded, overlong), or truncate.
 *   mutate wabt-quirks FILE...
 *       Prints "FILE<tab>REASON" for each FILE that is provably not valid in one of the ways
 *       wabt 1.0.32's wasm-validate overlooks, so that the differential test can take the
 *       spec's side there: an active segment with an empty offset expression (FACTS.md), data
 *       segment flags above 2, a constant expression that runs past the end of its section, a
 *       function body whose last `end` closes a block rather than the function, a data count
 *       above zero without a data section.
 *
 * The output depends only on the arguments and the input bytes: the generator is splitmix64,
 * seeded from SEED and the input's file name, so a run is reproduced exactly on any machine
 * and architecture, and adding an input file does not change the variants of the others.
 * Exit status 0, or 2 for usage and I/O errors.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- pseudo-random numbers ---------------------------------------------------------------- */

typedef struct rng {
  uint64_t state;
} rng;

static uint64_t rng_next(rng *r)
{
  uint64_t z = (r->state += 0x9e3779b97f4a7c15u);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
  return z ^ (z >> 31);
}

/* A number in [0, n); n > 0. The tiny modulo bias does not matter here. */
static size_t rng_below(rng *r, size_t n) { return (size_t)(rng_next(r) % n); }

static uint64_t hash_string(const char *s)
{
  uint64_t h = 0xcbf29ce484222325u; /* FNV-1a */
  for (; *s; s++)
    h = (h ^ (uint8_t)*s) * 0x100000001b3u;
  return h;
}

/* ---- byte buffers ---------------------------------------------------------------------------- */

typedef struct buffer {
  uint8_t *data;
  size_t size;
  size_t capacity;
} buffer;

static void *xrealloc(void *p, size_t size)
{
  p = realloc(p, size ? size : 1);
  if (!p) {
    fprintf(stderr, "mutate: out of memory\n");
    exit(2);
  }
  return p;
}

/* Replaces `removed` bytes at `at` with `count` bytes from `bytes` (NULL: zeros). */
static void buffer_splice(buffer *b, size_t at, size_t removed, const uint8_t *bytes, size_t count)
{
  size_t size = b->size - removed + count;
  if (size > b->capacity) {
    b->capacity = size * 2;
    b->data = xrealloc(b->data, b->capacity);
  }
  memmove(b->data + at + count, b->data + at + removed, b->size - at - removed);
  if (bytes)
    memcpy(b->data + at, bytes, count);
  else
    memset(b->data + at, 0, count);
  b->size = size;
}

static bool read_file(const char *path, buffer *b)
{
  FILE *f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "mutate: %s: %s\n", path, strerror(errno));
    return false;
  }
  b->size = 0;
  for (;;) {
    if (b->size == b->capacity) {
      b->capacity = b->capacity ? b->capacity * 2 : 4096;
      b->data = xrealloc(b->data, b->capacity);
    }
    size_t n = fread(b->data + b->size, 1, b->capacity - b->size, f);
    b->size += n;
    if (n == 0)
      break;
  }
  bool ok = !ferror(f);
  if (!ok)
    fprintf(stderr, "mutate: %s: read error\n", path);
  fclose(f);
  return ok;
}

static bool write_file(const char *path, const uint8_t *data, size_t size)
{
  FILE *f = fopen(path, "wb");
  if (!f) {
    fprintf(stderr, "mutate: %s: %s\n", path, strerror(errno));
    return false;
  }
  bool ok = fwrite(data, 1, size, f) == size;
  ok = (fclose(f) == 0) && ok;
  if (!ok)
    fprintf(stderr, "mutate: %s: write error\n", path);
  return ok;
}

/* ---- mutations ----------------------------------------------------------------------------- */

/* A position to edit in [0, size); mostly past the 8-byte header, which is tested enough by
 * a few edits. size > 0. */
static size_t pick_position(rng *r, size_t size)
{
  if (size > 8 && rng_below(r, 16) != 0)
    return 8 + rng_below(r, size - 8);
  return rng_below(r, size);
}

/* Byte values with a meaning in the binary format: section ids, `end`, type codes, block
 * types, LEB128 continuation and sign bits, common opcodes. */
static const uint8_t interesting_bytes[] = {
    0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c,
    0x0d, 0x0e, 0x0f, 0x10, 0x11, 0x1a, 0x1b, 0x1c, 0x20, 0x21, 0x23, 0x24, 0x28,
    0x36, 0x3f, 0x40, 0x41, 0x42, 0x43, 0x44, 0x60, 0x6f, 0x70, 0x7b, 0x7c, 0x7d,
    0x7e, 0x7f, 0x80, 0x81, 0xc0, 0xd0, 0xd2, 0xfc, 0xfd, 0xfe, 0xff,
};

static void mutate_flip(rng *r, buffer *b)
{
  size_t at = pick_position(r, b->size);
  if (rng_below(r, 2))
    b->data[at] ^= (uint8_t)(1u << rng_below(r, 8));
  else
    b->data[at] ^= (uint8_t)(1 + rng_below(r, 255));
}

static void mutate_set(rng *r, buffer *b)
{
  b->data[pick_position(r, b->size)] = interesting_bytes[rng_below(r, sizeof interesting_bytes)];
}

static void mutate_insert(rng *r, buffer *b)
{
  uint8_t bytes[4];
  size_t count = 1 + rng_below(r, sizeof bytes);
  for (size_t i = 0; i < count; i++)
    bytes[i] = rng_below(r, 2) ? interesting_bytes[rng_below(r, sizeof interesting_bytes)]
                               : (uint8_t)rng_next(r);
  buffer_splice(b, rng_below(r, b->size + 1), 0, bytes, count);
}

static void mutate_delete(rng *r, buffer *b)
{
  if (b->size < 2)
    return;
  size_t at = pick_position(r, b->size);
  size_t count = 1 + rng_below(r, 4);
  if (count > b->size - at)
    count = b->size - at;
  if (count == b->size)
    count = b->size - 1;
  buffer_splice(b, at, count, NULL, 0);
}

static void mutate_truncate(rng *r, buffer *b)
{
  if (b->size > 1)
    b->size = 1 + rng_below(r, b->size - 1);
}

/* Encodes `value` as unsigned LEB128 in at least `min_length` bytes; returns the length. */
static size_t leb_encode(uint64_t value, size_t min_length, uint8_t out[16])
{
  size_t n = 0;
  do {
    uint8_t byte = value & 0x7f;
    value >>= 7;
    if (value != 0 || n + 1 < min_length)
      byte |= 0x80;
    out[n++] = byte;
  } while ((value != 0 || n < min_length) && n < 16);
  return n;
}

/* Finds the LEB128 number that covers a random position, then changes its value (off by one,
 * zero, huge) or its encoding (padded to five bytes, overlong, unterminated). */
static void mutate_leb(rng *r, buffer *b)
{
  size_t start = pick_position(r, b->size);
  for (size_t back = 0; back < 9 && start > 0 && (b->data[start - 1] & 0x80); back++)
    start--;
  uint64_t value = 0;
  size_t length = 0;
  while (start + length < b->size && length < 10) {
    uint8_t byte = b->data[start + length];
    value |= (uint64_t)(byte & 0x7f) << (7 * length);
    length++;
    if (!(byte & 0x80))
      break;
  }
  uint8_t encoded[16];
  size_t encoded_length;
  switch (rng_below(r, 7)) {
  case 0:
    encoded_length = leb_encode(value + 1, 1, encoded);
    break;
  case 1:
    encoded_length = leb_encode(value ? value - 1 : 0, 1, encoded);
    break;
  case 2:
    encoded_length = leb_encode(0, 1, encoded);
    break;
  case 3:
    encoded_length = leb_encode(0xffffffffu - rng_below(r, 4), 1, encoded);
    break;
  case 4:
    encoded_length = leb_encode(value, 5, encoded);
    break; /* longest valid u32 form */
  case 5:
    encoded_length = leb_encode(value, 6, encoded);
    break; /* too long for a u32 */
  default: /* no terminating byte: the continuation bit set on the last byte */
    encoded_length = leb_encode(value, 1, encoded);
    encoded[encoded_length - 1] |= 0x80;
    break;
  }
  buffer_splice(b, start, length, encoded, encoded_length);
}

static void mutate_once(rng *r, buffer *b)
{
  switch (rng_below(r, 8)) {
  case 0:
  case 1:
    mutate_flip(r, b);
    break;
  case 2:
    mutate_set(r, b);
    break;
  case 3:
    mutate_insert(r, b);
    break;
  case 4:
    mutate_delete(r, b);
    break;
  case 5:
  case 6:
    mutate_leb(r, b);
    break;
  default:
    mutate_truncate(r, b);
    break;
  }
}

/* ---- modules wabt 1.0.32 wrongly accepts --------------------------------------------------- */

/* wasm-validate accepts some modules that the specification rejects (FACTS.md). The checks
 * below find five such kinds by parsing only the sections involved, exactly as the binary
 * format says; whenever the parse meets anything it does not follow, it claims nothing. So
 * every claim is a proof that the module is not valid, whatever else it holds. */

typedef struct reader {
  const uint8_t *p;
  const uint8_t *end;
  bool failed;  /* stopped: the bytes are not understood, or ran out */
  bool ran_out; /* stopped because the section ended */
} reader;

static uint8_t read_byte(reader *rd)
{
  if (rd->failed)
    return 0;
  if (rd->p >= rd->end) {
    rd->failed = rd->ran_out = true;
    return 0;
  }
  return *rd->p++;
}

/* An unsigned or signed LEB128 of at most `max_bytes` bytes; only its extent matters for the
 * signed ones. */
static uint64_t read_leb(reader *rd, size_t max_bytes)
{
  uint64_t value = 0;
  for (size_t i = 0; i < max_bytes; i++) {
    uint8_t byte = read_byte(rd);
    if (rd->failed)
      return 0;
    value |= (uint64_t)(byte & 0x7f) << (7 * i);
    if (!(byte & 0x80))
      return value;
  }
  rd->failed = true; /* too long: malformed, but not a kind claimed here */
  return 0;
}

static void skip_bytes(reader *rd, uint64_t count)
{
  if (rd->failed)
    return;
  if (count > (uint64_t)(rd->end - rd->p)) {
    rd->p = rd->end;
    rd->failed = rd->ran_out = true;
    return;
  }
  rd->p += count;
}

typedef enum expr_shape {
  EXPR_OK,           /* constant instructions, then `end` */
  EXPR_EMPTY,        /* only `end` */
  EXPR_UNTERMINATED, /* the section ends before `end` */
  EXPR_UNKNOWN,      /* something else: no claim */
} expr_shape;

/* Skips a constant expression of WebAssembly 2.0. */
static expr_shape skip_const_expr(reader *rd)
{
  bool first = true;
  for (;; first = false) {
    uint8_t op = read_byte(rd);
    if (rd->failed)
      break;
    switch (op) {
    case 0x0b:
      return first ? EXPR_EMPTY : EXPR_OK;
    case 0x41:
      read_leb(rd, 5);
      break; /* i32.const */
    case 0x42:
      read_leb(rd, 10);
      break; /* i64.const */
    case 0x43:
      skip_bytes(rd, 4);
      break; /* f32.const */
    case 0x44:
      skip_bytes(rd, 8);
      break; /* f64.const */
    case 0x23:
      read_leb(rd, 5);
      break; /* global.get */
    case 0xd0:
      read_byte(rd);
      break; /* ref.null */
    case 0xd2:
      read_leb(rd, 5);
      break;   /* ref.func */
    case 0xfd: /* v128.const */
      if (read_leb(rd, 5) != 12 && !rd->failed)
        return EXPR_UNKNOWN;
      skip_bytes(rd, 16);
      break;
    default:
      return EXPR_UNKNOWN;
    }
    if (rd->failed)
      break;
  }
  return rd->ran_out ? EXPR_UNTERMINATED : EXPR_UNKNOWN;
}

static const char *const reason_empty_offset = "active segment with an empty offset expression";
static const char *const reason_unterminated =
    "constant expression runs past the end of its section";

/* A reason the global section cannot be valid, or NULL. */
static const char *check_globals(reader *rd)
{
  uint64_t count = read_leb(rd, 5);
  for (uint64_t i = 0; i < count && !rd->failed; i++) {
    read_byte(rd); /* value type */
    read_byte(rd); /* mutability */
    if (rd->failed)
      return NULL;
    expr_shape shape = skip_const_expr(rd);
    if (shape == EXPR_UNTERMINATED)
      return reason_unterminated;
    if (shape != EXPR_OK)
      return NULL;
  }
  return NULL;
}

/* A reason the data section cannot be valid, or NULL. */
static const char *check_data(reader *rd, char *scratch, size_t scratch_size)
{
  uint64_t count = read_leb(rd, 5);
  for (uint64_t i = 0; i < count && !rd->failed; i++) {
    uint64_t flags = read_leb(rd, 5);
    if (rd->failed)
      return NULL;
    if (flags > 2) {
      snprintf(scratch, scratch_size, "data segment flags %llu (only 0, 1 and 2 exist)",
               (unsigned long long)flags);
      return scratch;
    }
    if (flags == 2)
      read_leb(rd, 5); /* memory index */
    if (flags != 1 && !rd->failed) {
      expr_shape shape = skip_const_expr(rd);
      if (shape == EXPR_EMPTY)
        return reason_empty_offset;
      if (shape == EXPR_UNTERMINATED)
        return reason_unterminated;
      if (shape != EXPR_OK)
        return NULL;
    }
    skip_bytes(rd, read_leb(rd, 5));
  }
  return NULL;
}

/* A reason the element section cannot be valid, or NULL. */
static const char *check_elements(reader *rd)
{
  uint64_t count = read_leb(rd, 5);
  for (uint64_t i = 0; i < count && !rd->failed; i++) {
    uint64_t flags = read_leb(rd, 5);
    if (rd->failed || flags > 7)
      return NULL;
    if ((flags & 3) == 2)
      read_leb(rd, 5); /* table index */
    if (!(flags & 1) && !rd->failed) {
      expr_shape shape = skip_const_expr(rd);
      if (shape == EXPR_EMPTY)
        return reason_empty_offset;
      if (shape == EXPR_UNTERMINATED)
        return reason_unterminated;
      if (shape != EXPR_OK)
        return NULL;
    }
    if (flags & 3)
      read_byte(rd); /* element kind or reference type */
    uint64_t elements = read_leb(rd, 5);
    for (uint64_t k = 0; k < elements && !rd->failed; k++) {
      if (!(flags & 4)) {
        read_leb(rd, 5); /* function index */
        continue;
      }
      expr_shape shape = skip_const_expr(rd);
      if (shape == EXPR_UNTERMINATED)
        return reason_unterminated;
      if (shape != EXPR_OK)
        return NULL;
    }
  }
  return NULL;
}

/* Skips the immediates of one instruction of WebAssembly 2.0 whose opcode `op` has been read;
 * false for opcodes that 2.0 does not define (and for the block instructions, which the caller
 * handles). */
static bool skip_immediates(reader *rd, uint8_t op)
{
  if (op <= 0x01 || op == 0x05 || op == 0x0f || op == 0x1a || op == 0x1b || op == 0xd1 ||
      (op >= 0x45 && op <= 0xc4))
    return true; /* none */
  switch (op) {
  case 0x0c:
  case 0x0d:
  case 0x10:
  case 0x20:
  case 0x21:
  case 0x22:
  case 0x23:
  case 0x24:
  case 0x25:
  case 0x26:
  case 0xd2:
    read_leb(rd, 5);
    return true;
  case 0x0e: { /* br_table */
    uint64_t count = read_leb(rd, 5);
    for (uint64_t i = 0; i <= count && !rd->failed; i++)
      read_leb(rd, 5);
    return true;
  }
  case 0x11:
    read_leb(rd, 5);
    read_leb(rd, 5);
    return true; /* call_indirect */
  case 0x1c:
    skip_bytes(rd, read_leb(rd, 5));
    return true; /* select with types */
  case 0x3f:
  case 0x40:
  case 0xd0:
    read_byte(rd);
    return true;
  case 0x41:
    read_leb(rd, 5);
    return true;
  case 0x42:
    read_leb(rd, 10);
    return true;
  case 0x43:
    skip_bytes(rd, 4);
    return true;
  case 0x44:
    skip_bytes(rd, 8);
    return true;
  case 0xfc: {
    uint64_t sub = read_leb(rd, 5);
    switch (sub) {
    case 0:
    case 1:
    case 2:
    case 3:
    case 4:
    case 5:
    case 6:
    case 7:
      return true;
    case 8:
      read_leb(rd, 5);
      read_byte(rd);
      return true; /* memory.init */
    case 10:
      read_byte(rd);
      read_byte(rd);
      return true; /* memory.copy */
    case 11:
      read_byte(rd);
      return true; /* memory.fill */
    case 12:
    case 14:
      read_leb(rd, 5);
      read_leb(rd, 5);
      return true; /* table.init, copy */
    case 9:
    case 13:
    case 15:
    case 16:
    case 17:
      read_leb(rd, 5);
      return true;
    default:
      return false;
    }
  }
  case 0xfd: {
    uint64_t sub = read_leb(rd, 5);
    if (sub <= 11 || sub == 92 || sub == 93) { /* loads and stores: memarg */
      read_leb(rd, 5);
      read_leb(rd, 5);
    } else if (sub == 12 || sub == 13) { /* v128.const, i8x16.shuffle */
      skip_bytes(rd, 16);
    } else if (sub >= 21 && sub <= 34) { /* lane access */
      read_byte(rd);
    } else if (sub >= 84 && sub <= 91) { /* lane loads and stores: memarg, lane */
      read_leb(rd, 5);
      read_leb(rd, 5);
      read_byte(rd);
    } else if (sub > 255) {
      return false;
    }
    return true;
  }
  default:
    if (op >= 0x28 && op <= 0x3e) { /* loads and stores: memarg */
      read_leb(rd, 5);
      read_leb(rd, 5);
      return true;
    }
    return false;
  }
}

/* A reason the code section cannot be valid, or NULL: a function body whose bytes end before
 * the `end` of the function itself, because that `end` closes a block instead. */
static const char *check_code(reader *rd)
{
  uint64_t count = read_leb(rd, 5);
  for (uint64_t i = 0; i < count && !rd->failed; i++) {
    uint64_t size = read_leb(rd, 5);
    if (rd->failed || size > (uint64_t)(rd->end - rd->p))
      return NULL;
    reader body = {rd->p, rd->p + size, false, false};
    rd->p += size;
    uint64_t groups = read_leb(&body, 5);
    for (uint64_t g = 0; g < groups && !body.failed; g++) {
      read_leb(&body, 5);
      read_byte(&body);
    }
    uint64_t depth = 1;
    while (depth > 0 && !body.failed) {
      if (body.p == body.end)
        return "function body ends inside a block: the function's own `end` is missing";
      uint8_t op = read_byte(&body);
      if (op >= 0x02 && op <= 0x04) { /* block, loop, if: a block type */
        uint8_t type = read_byte(&body);
        if (type != 0x40 && type != 0x7f && type != 0x7e && type != 0x7d && type != 0x7c &&
            type != 0x7b && type != 0x70 && type != 0x6f) {
          body.p--;
          read_leb(&body, 5); /* a type index, as a signed 33-bit number */
        }
        depth++;
      } else if (op == 0x0b) {
        depth--;
      } else if (!skip_immediates(&body, op)) {
        return NULL;
      }
    }
  }
  return NULL;
}

/* A reason the module cannot be valid that wabt 1.0.32 misses, or NULL. */
static const char *wabt_quirk(const buffer *b, char *scratch, size_t scratch_size)
{
  if (b->size < 8 || memcmp(b->data, "\0asm\1\0\0\0", 8) != 0)
    return NULL;
  reader file = {b->data + 8, b->data + b->size, false, false};
  bool has_data_count = false, has_data = false;
  uint64_t data_count = 0;
  while (file.p < file.end) {
    uint8_t id = read_byte(&file);
    uint64_t size = read_leb(&file, 5);
    if (file.failed || size > (uint64_t)(file.end - file.p))
      return NULL;
    reader section = {file.p, file.p + size, false, false};
    const char *reason = NULL;
    if (id == 12) {
      has_data_count = true;
      data_count = read_leb(&section, 5);
      if (section.failed)
        return NULL;
    }
    has_data |= id == 11;
    if (id == 6)
      reason = check_globals(&section);
    else if (id == 9)
      reason = check_elements(&section);
    else if (id == 10)
      reason = check_code(&section);
    else if (id == 11)
      reason = check_data(&section, scratch, scratch_size);
    if (reason)
      return reason;
    file.p += size;
  }
  /* The whole module is framed as sections; a missing data section holds zero segments. */
  if (has_data_count && data_count > 0 && !has_data) {
    snprintf(scratch, scratch_size, "data count section says %llu segments, no data section",
             (unsigned long long)data_count);
    return scratch;
  }
  return NULL;
}

/* ---- commands ------------------------------------------------------------------------------ */

static bool parse_number(const char *s, uint64_t *out)
{
  char *end;
  errno = 0;
  unsigned long long v = strtoull(s, &end, 0);
  if (errno || end == s || *end || s[0] == '-')
    return false;
  *out = v;
  return true;
}

static const char *base_name(const char *path)
{
  const char *slash = strrchr(path, '/');
  return slash ? slash + 1 : path;
}

static int command_random(char **argv)
{
  uint64_t seed, count, min, max;
  if (!parse_number(argv[0], &seed) || !parse_number(argv[1], &count) ||
      !parse_number(argv[2], &min) || !parse_number(argv[3], &max) || min > max ||
      max > (1u << 26)) {
    fprintf(stderr, "mutate random: bad SEED, COUNT, MIN or MAX\n");
    return 2;
  }
  rng r = {seed};
  uint8_t *bytes = xrealloc(NULL, max);
  for (uint64_t i = 0; i < count; i++) {
    size_t size = (size_t)(min + rng_below(&r, max - min + 1));
    for (size_t k = 0; k < size; k++)
      bytes[k] = (uint8_t)(rng_next(&r) >> 56);
    char path[4096];
    snprintf(path, sizeof path, "%s/%s%04llu.bin", argv[4], argv[5], (unsigned long long)i);
    if (!write_file(path, bytes, size)) {
      free(bytes);
      return 2;
    }
  }
  free(bytes);
  return 0;
}

static int command_mutants(int argc, char **argv)
{
  uint64_t seed, count;
  if (!parse_number(argv[0], &seed) || !parse_number(argv[1], &count)) {
    fprintf(stderr, "mutate mutants: bad SEED or COUNT\n");
    return 2;
  }
  const char *outdir = argv[2];
  buffer original = {0}, variant = {0};
  int status = 0;
  for (int f = 3; f < argc && status == 0; f++) {
    if (!read_file(argv[f], &original)) {
      status = 2;
      break;
    }
    char stem[1024];
    snprintf(stem, sizeof stem, "%s", base_name(argv[f]));
    size_t length = strlen(stem);
    if (length > 5 && strcmp(stem + length - 5, ".wasm") == 0)
      stem[length - 5] = '\0';
    rng r = {seed ^ hash_string(stem)};
    for (uint64_t i = 0; i < count; i++) {
      variant.size = 0;
      buffer_splice(&variant, 0, 0, original.data, original.size);
      if (variant.size == 0)
        buffer_splice(&variant, 0, 0, (const uint8_t *)"", 1);
      size_t edits = 1 + (rng_below(&r, 4) == 0) + (rng_below(&r, 8) == 0);
      for (size_t e = 0; e < edits; e++)
        mutate_once(&r, &variant);
      char path[4096];
      snprintf(path, sizeof path, "%s/%s.m%04llu.wasm", outdir, stem, (unsigned long long)i);
      if (!write_file(path, variant.data, variant.size)) {
        status = 2;
        break;
      }
    }
  }
  free(original.data);
  free(variant.data);
  return status;
}

static int command_wabt_quirks(int argc, char **argv)
{
  buffer b = {0};
  int status = 0;
  char scratch[128];
  for (int f = 0; f < argc; f++) {
    if (!read_file(argv[f], &b)) {
      status = 2;
      continue;
    }
    const char *reason = wabt_quirk(&b, scratch, sizeof scratch);
    if (reason)
      printf("%s\t%s\n", argv[f], reason);
  }
  free(b.data);
  return status;
}

int main(int argc, char **argv)
{
  if (argc == 8 && strcmp(argv[1], "random") == 0)
    return command_random(argv + 2);
  if (argc >= 6 && strcmp(argv[1], "mutants") == 0)
    return command_mutants(argc - 2, argv + 2);
  if (argc >= 2 && strcmp(argv[1], "wabt-quirks") == 0)
    return command_wabt_quirks(argc - 2, argv + 2);
  fprintf(stderr, "usage: mutate random SEED COUNT MIN MAX OUTDIR PREFIX\n"
                  "       mutate mutants SEED COUNT OUTDIR FILE...\n"
                  "       mutate wabt-quirks FILE...\n");
  return 2;
}
