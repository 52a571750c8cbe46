/*
 * wasmrt.h - the public interface of libwasmrt.
 *
 * Everything a program embedding wasmrt may use is declared here; every other
 * header in the source tree is internal and may change without notice.
 *
 * Conventions:
 *  - Handles are opaque and created by the ..._new and ..._decode functions; each has a
 *    matching ..._free that accepts NULL.
 *  - Functions that can fail return a wasmrt_result and, when given a non-NULL
 *    wasmrt_error, fill it with a one-line message that says where and what.
 *  - Nothing in the library calls exit() or prints; errors travel as values.
 */
#ifndef WASMRT_H
#define WASMRT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define WASMRT_VERSION_MAJOR 0
#define WASMRT_VERSION_MINOR 1
#define WASMRT_VERSION_PATCH 0
#define WASMRT_VERSION_NUMBER \
  (WASMRT_VERSION_MAJOR * 10000 + WASMRT_VERSION_MINOR * 100 + WASMRT_VERSION_PATCH)

#if defined(__GNUC__) || defined(__clang__)
#define WASMRT_MUST_CHECK __attribute__((warn_unused_result))
#else
#define WASMRT_MUST_CHECK
#endif

/* WASMRT_VERSION_NUMBER of the library actually linked. */
unsigned wasmrt_version_number(void);
/* "MAJOR.MINOR.PATCH" of the library actually linked; static storage. */
const char *wasmrt_version_string(void);

/* Result codes. The numbers are stable across versions. */
typedef enum wasmrt_result {
  WASMRT_OK = 0,
  /* The bytes are not a WebAssembly binary (the spec's "malformed"). */
  WASMRT_ERROR_MALFORMED = 1,
  /* Well-formed, but the module fails validation (the spec's "invalid"). */
  WASMRT_ERROR_INVALID = 2,
  /* Valid WebAssembly that exceeds a documented limit of wasmrt
   * (docs/LIMITS.md); another engine might accept it. */
  WASMRT_ERROR_LIMIT = 3,
  /* An allocation failed. */
  WASMRT_ERROR_NOMEM = 4,
  /* Reading or writing a file failed. */
  WASMRT_ERROR_IO = 5,
  /* The caller passed an argument the function does not accept. */
  WASMRT_ERROR_ARGUMENT = 6,
} wasmrt_result;

/* A short stable name for a result code ("malformed", "invalid", ...);
 * "unknown" for numbers this version does not know. Static storage. */
const char *wasmrt_errname(wasmrt_result result);

#define WASMRT_ERROR_MESSAGE_SIZE 256

/* Where and why an operation failed. Plain data, owned by the caller. */
typedef struct wasmrt_error {
  wasmrt_result code;
  /* Section the error was found in ("code section", "header", ...) or NULL
   * when the error is not tied to a position; static storage. */
  const char *section;
  /* Index of the function (in the function index space, imports counted)
   * whose body or signature holds the error, or -1. */
  int64_t function;
  /* Byte offset from the start of the module where decoding stopped. */
  uint64_t offset;
  /* The whole one-line message, NUL-terminated, e.g.
   * "code section, function 3, offset 0x1a2f: type mismatch: expected i32,
   * found f64". Truncated (never overflowed) when longer. */
  char message[WASMRT_ERROR_MESSAGE_SIZE];
} wasmrt_error;

/* A decoded and validated module. Immutable once created; safe to share
 * between threads for reading. */
typedef struct wasmrt_module wasmrt_module;

/*
 * Decode and validate a WebAssembly 2.0 binary in one pass without keeping
 * anything. `bytes` may be NULL only when `size` is 0 (which is malformed).
 * Returns WASMRT_OK, WASMRT_ERROR_MALFORMED, WASMRT_ERROR_INVALID,
 * WASMRT_ERROR_LIMIT or WASMRT_ERROR_NOMEM; `error` may be NULL.
 * When a module is both malformed and invalid, malformed wins, as in the
 * specification where decoding precedes validation.
 */
WASMRT_MUST_CHECK wasmrt_result wasmrt_validate(const void *bytes, size_t size,
                                                wasmrt_error *error);

/*
 * Decode and validate, and keep the result. On success *module_out owns a
 * private copy of the bytes, so the caller may free `bytes` at once. On
 * failure *module_out is set to NULL.
 */
WASMRT_MUST_CHECK wasmrt_result wasmrt_module_decode(const void *bytes, size_t size,
                                                     wasmrt_module **module_out,
                                                     wasmrt_error *error);

/* Release a module. NULL is accepted and ignored. */
void wasmrt_module_free(wasmrt_module *module);

/* The kinds of things a module imports or exports. Stable numbers: they are
 * the external kind bytes of the binary format. */
typedef enum wasmrt_extern_kind {
  WASMRT_EXTERN_FUNC = 0,
  WASMRT_EXTERN_TABLE = 1,
  WASMRT_EXTERN_MEMORY = 2,
  WASMRT_EXTERN_GLOBAL = 3,
} wasmrt_extern_kind;

/* A name as it appears in the module: UTF-8, not NUL-terminated, valid for
 * the module's lifetime. */
typedef struct wasmrt_name {
  const char *data;
  size_t size;
} wasmrt_name;

typedef struct wasmrt_import_info {
  wasmrt_name module;
  wasmrt_name name;
  wasmrt_extern_kind kind;
} wasmrt_import_info;

typedef struct wasmrt_export_info {
  wasmrt_name name;
  wasmrt_extern_kind kind;
  /* Index in the index space of `kind`, imports counted first. */
  uint32_t index;
} wasmrt_export_info;

size_t wasmrt_module_import_count(const wasmrt_module *module);
/* Returns WASMRT_ERROR_ARGUMENT when `index` is out of range. */
WASMRT_MUST_CHECK wasmrt_result wasmrt_module_import(const wasmrt_module *module, size_t index,
                                                     wasmrt_import_info *info);
size_t wasmrt_module_export_count(const wasmrt_module *module);
/* Returns WASMRT_ERROR_ARGUMENT when `index` is out of range. */
WASMRT_MUST_CHECK wasmrt_result wasmrt_module_export(const wasmrt_module *module, size_t index,
                                                     wasmrt_export_info *info);

#ifdef __cplusplus
}
#endif

#endif /* WASMRT_H */
