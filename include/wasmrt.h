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
#define WASMRT_VERSION_NUMBER                                                                      \
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
  /* Imports do not match what the module asks for (the spec's
   * "unlinkable"). */
  WASMRT_ERROR_LINK = 7,
  /* Executing WebAssembly trapped; wasmrt_error.trap says why and
   * .function/.offset where. */
  WASMRT_ERROR_TRAP = 8,
  /* The operation needs something this build or host lacks (a CPU
   * feature, running code of another architecture). */
  WASMRT_ERROR_UNSUPPORTED = 9,
  /* A compiled object is stale, foreign or corrupt. */
  WASMRT_ERROR_OBJECT = 10,
} wasmrt_result;

/* Why execution trapped. Stable numbers. */
typedef enum wasmrt_trap_kind {
  WASMRT_TRAP_NONE = 0,
  WASMRT_TRAP_UNREACHABLE = 1,
  WASMRT_TRAP_MEMORY_OUT_OF_BOUNDS = 2,
  WASMRT_TRAP_TABLE_OUT_OF_BOUNDS = 3,
  WASMRT_TRAP_UNDEFINED_ELEMENT = 4,     /* call_indirect index >= table size */
  WASMRT_TRAP_UNINITIALIZED_ELEMENT = 5, /* call_indirect of a null entry */
  WASMRT_TRAP_INDIRECT_CALL_TYPE = 6,
  WASMRT_TRAP_INTEGER_DIVIDE_BY_ZERO = 7,
  WASMRT_TRAP_INTEGER_OVERFLOW = 8,
  WASMRT_TRAP_INVALID_CONVERSION = 9,
  WASMRT_TRAP_STACK_EXHAUSTED = 10,
  WASMRT_TRAP_HOST = 11, /* a host function reported a trap */
  WASMRT_TRAP_KIND_COUNT
} wasmrt_trap_kind;

/* The spec's wording ("integer divide by zero", "call stack exhausted", ...);
 * static storage. */
const char *wasmrt_trap_message(wasmrt_trap_kind kind);

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
  /* For WASMRT_ERROR_TRAP: the kind; .function and .offset then name the
   * trapping instruction (offset from the start of the module), or -1 and 0
   * when the trap happened outside compiled code (a host function). */
  wasmrt_trap_kind trap;
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

/* ------------------------------------------------------------------------
 * Compiling and running.
 * ------------------------------------------------------------------------ */

/* Value types, numbered as their binary encoding. */
typedef enum wasmrt_valtype {
  WASMRT_I32 = 0x7f,
  WASMRT_I64 = 0x7e,
  WASMRT_F32 = 0x7d,
  WASMRT_F64 = 0x7c,
  WASMRT_V128 = 0x7b,
  WASMRT_FUNCREF = 0x70,
  WASMRT_EXTERNREF = 0x6f,
} wasmrt_valtype;

/* "i32", "funcref", ...; "unknown" for other numbers. Static storage. */
const char *wasmrt_valtype_name(wasmrt_valtype type);

typedef struct wasmrt_store wasmrt_store;
typedef struct wasmrt_instance wasmrt_instance;
typedef struct wasmrt_func wasmrt_func;
typedef struct wasmrt_table wasmrt_table;
typedef struct wasmrt_memory wasmrt_memory;
typedef struct wasmrt_global wasmrt_global;

/* A value. Floats travel as their bit patterns so NaN payloads survive.
 * A null reference is NULL; an externref is any pointer the host likes. */
typedef struct wasmrt_val {
  wasmrt_valtype type;
  union {
    uint32_t i32;
    uint64_t i64;
    uint32_t f32_bits;
    uint64_t f64_bits;
    uint8_t v128[16];
    wasmrt_func *funcref;
    void *externref;
  } of;
} wasmrt_val;

/* The architecture code is generated for. */
typedef enum wasmrt_target {
  WASMRT_TARGET_HOST = 0,
  WASMRT_TARGET_X86_64 = 1,
  WASMRT_TARGET_ARM64 = 2,
} wasmrt_target;

/* A module translated to native code, with its metadata (trap sites, frame
 * maps). Immutable; shareable between stores. The module it was compiled
 * from must outlive it, and it must outlive every store that instantiated
 * it (instances run its code in place). */
typedef struct wasmrt_compiled wasmrt_compiled;

WASMRT_MUST_CHECK wasmrt_result wasmrt_compile(const wasmrt_module *module, wasmrt_target target,
                                               wasmrt_compiled **compiled_out, wasmrt_error *error);
void wasmrt_compiled_free(wasmrt_compiled *compiled);
/* The target the code is for (never WASMRT_TARGET_HOST). */
wasmrt_target wasmrt_compiled_target(const wasmrt_compiled *compiled);

/* Write the object file format (docs/OBJECT.md) to `path`, atomically:
 * a temporary file beside it, fsync, rename. */
WASMRT_MUST_CHECK wasmrt_result wasmrt_compiled_save(const wasmrt_compiled *compiled,
                                                     const char *path, wasmrt_error *error);
/* Read an object written by wasmrt_compiled_save for `module`. Refuses a
 * foreign file, another format version, another module (by hash) or a
 * corrupt file with WASMRT_ERROR_OBJECT and a message saying which. */
WASMRT_MUST_CHECK wasmrt_result wasmrt_compiled_load(const wasmrt_module *module, const void *bytes,
                                                     size_t size, wasmrt_compiled **compiled_out,
                                                     wasmrt_error *error);

/* A store owns instances and host objects; freeing it frees them all.
 * One thread at a time may use a store. */
WASMRT_MUST_CHECK wasmrt_result wasmrt_store_new(wasmrt_store **store_out, wasmrt_error *error);
void wasmrt_store_free(wasmrt_store *store);

typedef struct wasmrt_extern {
  wasmrt_extern_kind kind;
  union {
    wasmrt_func *func;
    wasmrt_table *table;
    wasmrt_memory *memory;
    wasmrt_global *global;
  } of;
} wasmrt_extern;

/*
 * A host function. It reads `params` and writes `results` (types as
 * declared). Returning NULL means success; returning a message (static
 * storage) makes the calling WebAssembly trap with WASMRT_TRAP_HOST and that
 * message.
 */
typedef const char *(*wasmrt_host_callback)(void *env, const wasmrt_val *params,
                                            wasmrt_val *results);

WASMRT_MUST_CHECK wasmrt_result wasmrt_func_new_host(
    wasmrt_store *store, const wasmrt_valtype *params, size_t param_count,
    const wasmrt_valtype *results, size_t result_count, wasmrt_host_callback callback, void *env,
    wasmrt_func **func_out, wasmrt_error *error);
WASMRT_MUST_CHECK wasmrt_result wasmrt_global_new(wasmrt_store *store, wasmrt_valtype type,
                                                  int mutable_, const wasmrt_val *init,
                                                  wasmrt_global **global_out, wasmrt_error *error);
/* `max` is ignored unless has_max. Elements start as NULL. */
WASMRT_MUST_CHECK wasmrt_result wasmrt_table_new(wasmrt_store *store, wasmrt_valtype elem_type,
                                                 uint32_t min, int has_max, uint32_t max,
                                                 wasmrt_table **table_out, wasmrt_error *error);
/* Sizes in 64 KiB pages. */
WASMRT_MUST_CHECK wasmrt_result wasmrt_memory_new(wasmrt_store *store, uint32_t min_pages,
                                                  int has_max, uint32_t max_pages,
                                                  wasmrt_memory **memory_out, wasmrt_error *error);

/*
 * Instantiate: `imports` in the module's import order. Mismatched imports
 * give WASMRT_ERROR_LINK; a trap while initializing segments or in the start
 * function gives WASMRT_ERROR_TRAP (segments written before the failing one
 * stay written, as the specification says).
 */
WASMRT_MUST_CHECK wasmrt_result wasmrt_instantiate(
    wasmrt_store *store, const wasmrt_compiled *compiled, const wasmrt_extern *imports,
    size_t import_count, wasmrt_instance **instance_out, wasmrt_error *error);
/* Look up an export by name; WASMRT_ERROR_ARGUMENT when there is none. */
WASMRT_MUST_CHECK wasmrt_result wasmrt_instance_export(const wasmrt_instance *instance,
                                                       const char *name, size_t name_size,
                                                       wasmrt_extern *extern_out);

/* Signature of a function; the arrays stay valid as long as the function. */
void wasmrt_func_type(const wasmrt_func *func, const wasmrt_valtype **params, size_t *param_count,
                      const wasmrt_valtype **results, size_t *result_count);
/*
 * Call a function. Counts and types must match its signature
 * (WASMRT_ERROR_ARGUMENT otherwise). A trap returns WASMRT_ERROR_TRAP with
 * error->trap set; the store stays usable.
 */
WASMRT_MUST_CHECK wasmrt_result wasmrt_func_call(wasmrt_store *store, wasmrt_func *func,
                                                 const wasmrt_val *args, size_t arg_count,
                                                 wasmrt_val *results, size_t result_count,
                                                 wasmrt_error *error);

wasmrt_valtype wasmrt_global_type(const wasmrt_global *global, int *mutable_out);
wasmrt_val wasmrt_global_get(const wasmrt_global *global);
/* Bytes of a memory (size = pages * 65536); the pointer is stable. */
uint8_t *wasmrt_memory_data(const wasmrt_memory *memory, uint64_t *size_out);
uint32_t wasmrt_table_size(const wasmrt_table *table);

#ifdef __cplusplus
}
#endif

#endif /* WASMRT_H */
