/*
 * json.c - a strict recursive-descent JSON parser building a tree in an arena.
 *
 * Duties and invariants:
 *  - Every value, string and array of a document lives in the document's
 *    arena; freeing the document frees all of it, nothing else is allocated
 *    except the parser's scratch stack, which is freed before json_parse
 *    returns.
 *  - Children of an array or object are collected on the scratch stack while
 *    they are parsed and copied into one arena block when the container
 *    closes, so items and members are contiguous and indexable.
 *  - Raw newlines can only occur in whitespace (strings reject control
 *    characters), so the line counter is advanced only while skipping
 *    whitespace and any error offset on the current line gets its column
 *    from the offset of the line's start.
 *  - Recursion depth is bounded by the caller's max_depth.
 */
#include "cli/json.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Most documents fit in a few chunks of this size; bigger blocks get a chunk
 * of their own. */
#define JSON_CHUNK_SIZE ((size_t)64 * 1024)

typedef struct json_chunk {
  struct json_chunk *next;
  size_t used;
  size_t capacity;
  max_align_t data[]; /* max_align_t so every block handed out is aligned */
} json_chunk;

struct json_document {
  json_chunk *chunks; /* the chunk being filled first */
  json_value root;
};

typedef struct json_parser {
  const char *text;
  size_t size;
  size_t pos;
  size_t line;       /* line of `pos`, from 1 */
  size_t line_start; /* offset of the first byte of that line */
  size_t max_depth;
  json_document *document;
  json_member *scratch; /* children of the containers still open */
  size_t scratch_count;
  size_t scratch_capacity;
  json_error error;
} json_parser;

static void *json_arena_alloc(json_document *document, size_t size)
{
  const size_t align = _Alignof(max_align_t);
  if (size > SIZE_MAX - align - sizeof(json_chunk))
    return NULL;
  size = (size + align - 1) / align * align;
  json_chunk *chunk = document->chunks;
  if (chunk && chunk->capacity - chunk->used >= size) {
    void *block = (unsigned char *)chunk->data + chunk->used;
    chunk->used += size;
    return block;
  }
  size_t capacity = size > JSON_CHUNK_SIZE / 4 ? size : JSON_CHUNK_SIZE;
  json_chunk *fresh = malloc(sizeof *fresh + capacity);
  if (!fresh)
    return NULL;
  fresh->used = size;
  fresh->capacity = capacity;
  if (chunk && capacity == size) {
    /* A dedicated block: keep filling the current chunk afterwards. */
    fresh->next = chunk->next;
    chunk->next = fresh;
  } else {
    fresh->next = chunk;
    document->chunks = fresh;
  }
  return fresh->data;
}

static json_status json_fail_at(json_parser *p, size_t offset, json_status status,
                                const char *format, ...) __attribute__((format(printf, 4, 5)));

/* Record the first error only; the callers unwind with the returned status. */
static json_status json_fail_at(json_parser *p, size_t offset, json_status status,
                                const char *format, ...)
{
  p->error.status = status;
  p->error.offset = offset;
  p->error.line = p->line;
  p->error.column = offset - p->line_start + 1;
  va_list args;
  va_start(args, format);
  vsnprintf(p->error.message, sizeof p->error.message, format, args);
  va_end(args);
  return status;
}

/* Describe the byte at `offset` for a message: 'x', byte 0xNN or end of input. */
static void json_describe_byte(const json_parser *p, size_t offset, char *out, size_t out_size)
{
  if (offset >= p->size) {
    snprintf(out, out_size, "end of input");
    return;
  }
  unsigned char c = (unsigned char)p->text[offset];
  if (c >= 0x20 && c < 0x7f)
    snprintf(out, out_size, "'%c'", c);
  else
    snprintf(out, out_size, "byte 0x%02x", c);
}

static json_status json_fail_unexpected(json_parser *p, const char *expected)
{
  char found[32];
  json_describe_byte(p, p->pos, found, sizeof found);
  return json_fail_at(p, p->pos, JSON_ERROR_SYNTAX, "expected %s, found %s", expected, found);
}

static void json_skip_whitespace(json_parser *p)
{
  while (p->pos < p->size) {
    char c = p->text[p->pos];
    if (c == '\n') {
      p->pos++;
      p->line++;
      p->line_start = p->pos;
    } else if (c == ' ' || c == '\t' || c == '\r') {
      p->pos++;
    } else {
      return;
    }
  }
}

static json_status json_push_member(json_parser *p, const json_member *member)
{
  if (p->scratch_count == p->scratch_capacity) {
    size_t capacity = p->scratch_capacity ? p->scratch_capacity * 2 : 64;
    if (capacity > SIZE_MAX / sizeof *p->scratch)
      return json_fail_at(p, p->pos, JSON_ERROR_NOMEM, "out of memory");
    json_member *grown = realloc(p->scratch, capacity * sizeof *grown);
    if (!grown)
      return json_fail_at(p, p->pos, JSON_ERROR_NOMEM, "out of memory");
    p->scratch = grown;
    p->scratch_capacity = capacity;
  }
  p->scratch[p->scratch_count++] = *member;
  return JSON_OK;
}

static int json_hex_digit(char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* Read the four hex digits of a \u escape whose backslash is at `offset`. */
static json_status json_read_hex4(json_parser *p, size_t offset, unsigned *out)
{
  unsigned value = 0;
  for (size_t i = 0; i < 4; i++) {
    size_t at = offset + 2 + i;
    int digit = at < p->size ? json_hex_digit(p->text[at]) : -1;
    if (digit < 0) {
      char found[32];
      json_describe_byte(p, at, found, sizeof found);
      return json_fail_at(p, at, JSON_ERROR_SYNTAX, "expected 4 hex digits after \\u, found %s",
                          found);
    }
    value = value * 16 + (unsigned)digit;
  }
  *out = value;
  return JSON_OK;
}

static size_t json_put_utf8(unsigned code_point, char *out)
{
  if (code_point < 0x80) {
    out[0] = (char)code_point;
    return 1;
  }
  if (code_point < 0x800) {
    out[0] = (char)(0xc0 | (code_point >> 6));
    out[1] = (char)(0x80 | (code_point & 0x3f));
    return 2;
  }
  if (code_point < 0x10000) {
    out[0] = (char)(0xe0 | (code_point >> 12));
    out[1] = (char)(0x80 | ((code_point >> 6) & 0x3f));
    out[2] = (char)(0x80 | (code_point & 0x3f));
    return 3;
  }
  out[0] = (char)(0xf0 | (code_point >> 18));
  out[1] = (char)(0x80 | ((code_point >> 12) & 0x3f));
  out[2] = (char)(0x80 | ((code_point >> 6) & 0x3f));
  out[3] = (char)(0x80 | (code_point & 0x3f));
  return 4;
}

/* Decode the \u escape (or surrogate pair of escapes) at p->pos into `out`;
 * advances p->pos past it and returns the number of bytes written in *written. */
static json_status json_decode_unicode_escape(json_parser *p, char *out, size_t *written)
{
  size_t start = p->pos;
  unsigned unit;
  json_status status = json_read_hex4(p, start, &unit);
  if (status != JSON_OK)
    return status;
  p->pos = start + 6;
  if (unit >= 0xdc00 && unit <= 0xdfff)
    return json_fail_at(p, start, JSON_ERROR_SYNTAX,
                        "\\u%04x is a low surrogate without a high surrogate before it", unit);
  unsigned code_point = unit;
  if (unit >= 0xd800 && unit <= 0xdbff) {
    if (p->pos + 1 >= p->size || p->text[p->pos] != '\\' || p->text[p->pos + 1] != 'u')
      return json_fail_at(p, start, JSON_ERROR_SYNTAX,
                          "\\u%04x is a high surrogate without a low surrogate after it", unit);
    unsigned low;
    status = json_read_hex4(p, p->pos, &low);
    if (status != JSON_OK)
      return status;
    if (low < 0xdc00 || low > 0xdfff)
      return json_fail_at(p, start, JSON_ERROR_SYNTAX,
                          "\\u%04x is a high surrogate without a low surrogate after it", unit);
    p->pos += 6;
    code_point = 0x10000 + ((unit - 0xd800) << 10) + (low - 0xdc00);
  }
  *written = json_put_utf8(code_point, out);
  return JSON_OK;
}

/* Length of the well-formed UTF-8 sequence starting at `offset` (at least 2,
 * since the caller checked the lead byte is not ASCII), or 0 when it is not
 * well-formed: no overlong forms, no surrogates, nothing above U+10FFFF. */
static size_t json_utf8_sequence_length(const json_parser *p, size_t offset)
{
  const unsigned char *s = (const unsigned char *)p->text + offset;
  size_t available = p->size - offset;
  unsigned char lead = s[0];
  size_t length;
  unsigned char second_min = 0x80, second_max = 0xbf;
  if (lead >= 0xc2 && lead <= 0xdf) {
    length = 2;
  } else if (lead >= 0xe0 && lead <= 0xef) {
    length = 3;
    if (lead == 0xe0)
      second_min = 0xa0; /* overlong below U+0800 */
    if (lead == 0xed)
      second_max = 0x9f; /* U+D800..U+DFFF are surrogates */
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    length = 4;
    if (lead == 0xf0)
      second_min = 0x90; /* overlong below U+10000 */
    if (lead == 0xf4)
      second_max = 0x8f; /* above U+10FFFF */
  } else {
    return 0;
  }
  if (available < length || s[1] < second_min || s[1] > second_max)
    return 0;
  for (size_t i = 2; i < length; i++)
    if (s[i] < 0x80 || s[i] > 0xbf)
      return 0;
  return length;
}

/* Parse the string whose opening quote is at p->pos into `out`. */
static json_status json_parse_string(json_parser *p, json_text *out)
{
  size_t content = p->pos + 1;
  /* The decoded string is never longer than its source, so find the closing
   * quote first to size the block. Without one, decoding below reports the
   * first real error (a raw newline, say) or the end of input. */
  size_t end = content;
  while (end < p->size && p->text[end] != '"')
    end += p->text[end] == '\\' ? 2 : 1;
  if (end > p->size)
    end = p->size;
  char *buffer = json_arena_alloc(p->document, end - content + 1);
  if (!buffer)
    return json_fail_at(p, p->pos, JSON_ERROR_NOMEM, "out of memory");
  size_t length = 0;
  p->pos = content;
  for (;;) {
    if (p->pos >= p->size)
      return json_fail_at(p, p->pos, JSON_ERROR_SYNTAX, "unexpected end of input in a string");
    unsigned char c = (unsigned char)p->text[p->pos];
    if (c == '"') {
      p->pos++;
      break;
    }
    if (c < 0x20)
      return json_fail_at(p, p->pos, JSON_ERROR_SYNTAX,
                          "control character 0x%02x must be escaped in a string", c);
    if (c >= 0x80) {
      size_t sequence = json_utf8_sequence_length(p, p->pos);
      if (sequence == 0)
        return json_fail_at(p, p->pos, JSON_ERROR_SYNTAX, "invalid UTF-8 in a string");
      memcpy(buffer + length, p->text + p->pos, sequence);
      length += sequence;
      p->pos += sequence;
      continue;
    }
    if (c != '\\') {
      buffer[length++] = (char)c;
      p->pos++;
      continue;
    }
    if (p->pos + 1 >= p->size)
      return json_fail_at(p, p->size, JSON_ERROR_SYNTAX, "unexpected end of input in a string");
    char escape = p->text[p->pos + 1];
    char decoded;
    switch (escape) {
    case '"':
      decoded = '"';
      break;
    case '\\':
      decoded = '\\';
      break;
    case '/':
      decoded = '/';
      break;
    case 'b':
      decoded = '\b';
      break;
    case 'f':
      decoded = '\f';
      break;
    case 'n':
      decoded = '\n';
      break;
    case 'r':
      decoded = '\r';
      break;
    case 't':
      decoded = '\t';
      break;
    case 'u': {
      size_t written = 0;
      json_status status = json_decode_unicode_escape(p, buffer + length, &written);
      if (status != JSON_OK)
        return status;
      length += written;
      continue;
    }
    default: {
      char found[32];
      json_describe_byte(p, p->pos + 1, found, sizeof found);
      return json_fail_at(p, p->pos, JSON_ERROR_SYNTAX, "invalid escape: \\ followed by %s", found);
    }
    }
    buffer[length++] = decoded;
    p->pos += 2;
  }
  buffer[length] = '\0';
  out->text = buffer;
  out->size = length;
  return JSON_OK;
}

static bool json_is_digit(const json_parser *p, size_t offset)
{
  return offset < p->size && p->text[offset] >= '0' && p->text[offset] <= '9';
}

/* Check a run of at least one digit at p->pos and step over it. */
static json_status json_expect_digits(json_parser *p, const char *after)
{
  if (!json_is_digit(p, p->pos)) {
    char found[32];
    json_describe_byte(p, p->pos, found, sizeof found);
    return json_fail_at(p, p->pos, JSON_ERROR_SYNTAX, "expected a digit after %s, found %s", after,
                        found);
  }
  while (json_is_digit(p, p->pos))
    p->pos++;
  return JSON_OK;
}

/* Check the number at p->pos against the JSON grammar and keep its text. */
static json_status json_parse_number(json_parser *p, json_text *out)
{
  size_t start = p->pos;
  json_status status;
  if (p->text[p->pos] == '-')
    p->pos++;
  if (json_is_digit(p, p->pos) && p->text[p->pos] == '0') {
    p->pos++;
    if (json_is_digit(p, p->pos))
      return json_fail_at(p, start, JSON_ERROR_SYNTAX, "leading zeros are not allowed");
  } else if ((status = json_expect_digits(p, "'-'")) != JSON_OK) {
    return status;
  }
  if (p->pos < p->size && p->text[p->pos] == '.') {
    p->pos++;
    if ((status = json_expect_digits(p, "'.'")) != JSON_OK)
      return status;
  }
  if (p->pos < p->size && (p->text[p->pos] == 'e' || p->text[p->pos] == 'E')) {
    p->pos++;
    if (p->pos < p->size && (p->text[p->pos] == '+' || p->text[p->pos] == '-'))
      p->pos++;
    if ((status = json_expect_digits(p, "the exponent mark")) != JSON_OK)
      return status;
  }
  size_t length = p->pos - start;
  char *copy = json_arena_alloc(p->document, length + 1);
  if (!copy)
    return json_fail_at(p, start, JSON_ERROR_NOMEM, "out of memory");
  memcpy(copy, p->text + start, length);
  copy[length] = '\0';
  out->text = copy;
  out->size = length;
  return JSON_OK;
}

static json_status json_parse_literal(json_parser *p, const char *word, json_kind kind,
                                      json_value *out)
{
  size_t length = strlen(word);
  if (p->size - p->pos < length || memcmp(p->text + p->pos, word, length) != 0)
    return json_fail_at(p, p->pos, JSON_ERROR_SYNTAX, "invalid literal (expected '%s')", word);
  p->pos += length;
  out->kind = kind;
  return JSON_OK;
}

static json_status json_parse_value(json_parser *p, size_t depth, json_value *out);

/* Copy the children collected since `base` into the arena and pop them. */
static json_status json_close_container(json_parser *p, size_t base, json_value *out)
{
  size_t count = p->scratch_count - base;
  /* scratch is NULL until the first child: no pointer arithmetic on it. */
  const json_member *children = count > 0 ? p->scratch + base : NULL;
  if (out->kind == JSON_ARRAY) {
    json_value *items = NULL;
    if (count > 0) {
      items = json_arena_alloc(p->document, count * sizeof *items);
      if (!items)
        return json_fail_at(p, p->pos, JSON_ERROR_NOMEM, "out of memory");
      for (size_t i = 0; i < count; i++)
        items[i] = children[i].value;
    }
    out->as.array.items = items;
    out->as.array.count = count;
  } else {
    json_member *members = NULL;
    if (count > 0) {
      members = json_arena_alloc(p->document, count * sizeof *members);
      if (!members)
        return json_fail_at(p, p->pos, JSON_ERROR_NOMEM, "out of memory");
      memcpy(members, children, count * sizeof *members);
    }
    out->as.object.members = members;
    out->as.object.count = count;
  }
  p->scratch_count = base;
  return JSON_OK;
}

static bool json_key_seen(const json_parser *p, size_t base, const json_text *key)
{
  for (size_t i = base; i < p->scratch_count; i++) {
    const json_text *seen = &p->scratch[i].key;
    if (seen->size == key->size && memcmp(seen->text, key->text, key->size) == 0)
      return true;
  }
  return false;
}

/* Parse the array or object opening at p->pos; `depth` is its own nesting. */
static json_status json_parse_container(json_parser *p, size_t depth, json_value *out)
{
  bool is_object = p->text[p->pos] == '{';
  char closer = is_object ? '}' : ']';
  const char *separator_expected = is_object ? "',' or '}'" : "',' or ']'";
  out->kind = is_object ? JSON_OBJECT : JSON_ARRAY;
  if (depth > p->max_depth)
    return json_fail_at(p, p->pos, JSON_ERROR_DEPTH, "nested deeper than %zu levels", p->max_depth);
  size_t base = p->scratch_count;
  p->pos++;
  json_skip_whitespace(p);
  if (p->pos < p->size && p->text[p->pos] == closer) {
    p->pos++;
    return json_close_container(p, base, out);
  }
  for (;;) {
    json_member member = {.key = {NULL, 0}};
    json_status status;
    if (is_object) {
      json_skip_whitespace(p);
      if (p->pos >= p->size || p->text[p->pos] != '"')
        return json_fail_unexpected(p, "a string key");
      size_t key_offset = p->pos;
      if ((status = json_parse_string(p, &member.key)) != JSON_OK)
        return status;
      if (json_key_seen(p, base, &member.key))
        return json_fail_at(p, key_offset, JSON_ERROR_SYNTAX, "duplicate key \"%s\"",
                            member.key.text);
      json_skip_whitespace(p);
      if (p->pos >= p->size || p->text[p->pos] != ':')
        return json_fail_unexpected(p, "':'");
      p->pos++;
    }
    if ((status = json_parse_value(p, depth, &member.value)) != JSON_OK)
      return status;
    if ((status = json_push_member(p, &member)) != JSON_OK)
      return status;
    json_skip_whitespace(p);
    if (p->pos < p->size && p->text[p->pos] == ',') {
      p->pos++;
      continue;
    }
    if (p->pos < p->size && p->text[p->pos] == closer) {
      p->pos++;
      return json_close_container(p, base, out);
    }
    return json_fail_unexpected(p, separator_expected);
  }
}

/* Parse one value inside `depth` enclosing containers, skipping whitespace
 * before it (not after). */
static json_status json_parse_value(json_parser *p, size_t depth, json_value *out)
{
  json_skip_whitespace(p);
  out->line = p->line;
  out->column = p->pos - p->line_start + 1;
  if (p->pos >= p->size)
    return json_fail_unexpected(p, "a value");
  char c = p->text[p->pos];
  switch (c) {
  case '{':
  case '[':
    return json_parse_container(p, depth + 1, out);
  case '"':
    out->kind = JSON_STRING;
    return json_parse_string(p, &out->as.text);
  case 't':
    return json_parse_literal(p, "true", JSON_TRUE, out);
  case 'f':
    return json_parse_literal(p, "false", JSON_FALSE, out);
  case 'n':
    return json_parse_literal(p, "null", JSON_NULL, out);
  default:
    if (c == '-' || (c >= '0' && c <= '9')) {
      out->kind = JSON_NUMBER;
      return json_parse_number(p, &out->as.text);
    }
    return json_fail_unexpected(p, "a value");
  }
}

json_status json_parse(const char *text, size_t size, size_t max_depth,
                       json_document **document_out, json_error *error)
{
  json_parser p = {
      .text = text,
      .size = size,
      .line = 1,
      .max_depth = max_depth,
  };
  json_status status;
  *document_out = NULL;
  p.document = calloc(1, sizeof *p.document);
  if (!p.document) {
    status = json_fail_at(&p, 0, JSON_ERROR_NOMEM, "out of memory");
    goto fail;
  }
  if ((status = json_parse_value(&p, 0, &p.document->root)) != JSON_OK)
    goto fail;
  json_skip_whitespace(&p);
  if (p.pos < p.size) {
    status = json_fail_unexpected(&p, "end of input after the top-level value");
    goto fail;
  }
  free(p.scratch);
  *document_out = p.document;
  return JSON_OK;
fail:
  free(p.scratch);
  json_document_free(p.document);
  if (error)
    *error = p.error;
  return status;
}

void json_document_free(json_document *document)
{
  if (!document)
    return;
  json_chunk *chunk = document->chunks;
  while (chunk) {
    json_chunk *next = chunk->next;
    free(chunk);
    chunk = next;
  }
  free(document);
}

const json_value *json_document_root(const json_document *document) { return &document->root; }

const json_value *json_object_get(const json_value *object, const char *key)
{
  if (!object || object->kind != JSON_OBJECT)
    return NULL;
  size_t key_size = strlen(key);
  for (size_t i = 0; i < object->as.object.count; i++) {
    const json_member *member = &object->as.object.members[i];
    if (member->key.size == key_size && memcmp(member->key.text, key, key_size) == 0)
      return &member->value;
  }
  return NULL;
}

const char *json_string(const json_value *value)
{
  if (!value || value->kind != JSON_STRING)
    return NULL;
  return value->as.text.text;
}

int json_uint64(const json_value *value, uint64_t *out)
{
  if (!value || value->kind != JSON_NUMBER)
    return -1;
  uint64_t result = 0;
  for (size_t i = 0; i < value->as.text.size; i++) {
    char c = value->as.text.text[i];
    if (c < '0' || c > '9')
      return -1;
    unsigned digit = (unsigned)(c - '0');
    if (result > (UINT64_MAX - digit) / 10)
      return -1;
    result = result * 10 + digit;
  }
  *out = result;
  return 0;
}

const char *json_kind_name(json_kind kind)
{
  switch (kind) {
  case JSON_NULL:
    return "null";
  case JSON_FALSE:
    return "false";
  case JSON_TRUE:
    return "true";
  case JSON_NUMBER:
    return "number";
  case JSON_STRING:
    return "string";
  case JSON_ARRAY:
    return "array";
  case JSON_OBJECT:
    return "object";
  }
  return "unknown";
}
