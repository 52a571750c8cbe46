/*
 * json.h - a small, strict JSON parser (RFC 8259) that builds a read-only tree.
 *
 * Made for the scripts wabt's wast2json writes, but general: objects, arrays,
 * strings (every escape, \uXXXX with surrogate pairs decoded to UTF-8), numbers
 * (kept as their text, so no precision is lost), true, false and null.
 *
 * Strict means: no comments, no trailing commas, no leading zeros, no control
 * characters or invalid UTF-8 in strings, no lone surrogates, no duplicate keys
 * in one object, nothing but whitespace after the top-level value.
 *
 * A parsed document owns all its memory (one arena, released by
 * json_document_free); the input buffer may be freed once json_parse returns.
 * Nothing here keeps global state or prints.
 */
#ifndef WASMRT_CLI_JSON_H
#define WASMRT_CLI_JSON_H

#include <stddef.h>
#include <stdint.h>

/* Nesting depth json_parse callers use when they have no reason to choose. */
#define JSON_DEFAULT_MAX_DEPTH 128

typedef enum json_status {
  JSON_OK = 0,
  /* The text is not JSON. */
  JSON_ERROR_SYNTAX = 1,
  /* Arrays and objects are nested deeper than the caller allowed. */
  JSON_ERROR_DEPTH = 2,
  /* An allocation failed. */
  JSON_ERROR_NOMEM = 3,
} json_status;

#define JSON_ERROR_MESSAGE_SIZE 128

/* Where and why parsing stopped. Lines and columns count from 1; a column
 * counts bytes, so a multi-byte UTF-8 character advances it by its length. */
typedef struct json_error {
  json_status status;
  size_t line;
  size_t column;
  /* Byte offset from the start of the text. */
  size_t offset;
  /* NUL-terminated, without the position, e.g. "expected ',' or ']'". */
  char message[JSON_ERROR_MESSAGE_SIZE];
} json_error;

typedef enum json_kind {
  JSON_NULL,
  JSON_FALSE,
  JSON_TRUE,
  JSON_NUMBER,
  JSON_STRING,
  JSON_ARRAY,
  JSON_OBJECT,
} json_kind;

/* Bytes owned by the document. Always followed by a NUL byte, so `text` can be
 * used as a C string when the content holds no NUL (a "\u0000" escape can put
 * one inside; compare `size` when that matters). */
typedef struct json_text {
  const char *text;
  size_t size;
} json_text;

typedef struct json_value json_value;
typedef struct json_member json_member;

struct json_value {
  json_kind kind;
  /* Position of the value's first character in the text, for messages. */
  size_t line;
  size_t column;
  union {
    /* JSON_STRING: the decoded UTF-8; JSON_NUMBER: the number as written. */
    json_text text;
    struct {
      const json_value *items;
      size_t count;
    } array;
    struct {
      const json_member *members;
      size_t count;
    } object;
  } as;
};

struct json_member {
  json_text key;
  json_value value;
};

typedef struct json_document json_document;

/*
 * Parse `size` bytes of `text` (need not be NUL-terminated; NULL only when size
 * is 0, which is a syntax error). Containers may nest at most `max_depth` deep:
 * with max_depth 1, "[1]" is accepted and "[[1]]" is not; a top-level scalar
 * needs depth 0. On success *document_out owns the tree; on failure it is set
 * to NULL and `error`, when not NULL, says where and why.
 */
json_status json_parse(const char *text, size_t size, size_t max_depth,
                       json_document **document_out, json_error *error);

/* Release a document and every value in it. NULL is accepted and ignored. */
void json_document_free(json_document *document);

/* The top-level value; valid until the document is freed. */
const json_value *json_document_root(const json_document *document);

/* The value of member `key` in `object`, or NULL when `object` is not an
 * object or has no such member. */
const json_value *json_object_get(const json_value *object, const char *key);

/* The text of a string value as a C string, or NULL when `value` is NULL or
 * not a string. */
const char *json_string(const json_value *value);

/*
 * Read a number value that is a non-negative integer written without fraction
 * or exponent ("42", not "42.0" or "4.2e1") into *out. Returns 0 on success,
 * -1 when `value` is NULL, not a number, negative, not such an integer or
 * larger than UINT64_MAX.
 */
int json_uint64(const json_value *value, uint64_t *out);

/* "null", "false", "true", "number", "string", "array" or "object";
 * static storage. */
const char *json_kind_name(json_kind kind);

#endif
