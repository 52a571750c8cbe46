/*
 * module.h - the decoded form of a WebAssembly module (internal).
 *
 * Produced by wr_module_decode (decode.c) in one streaming pass that also
 * validates. Names and code bodies are not copied: they are (offset, size)
 * ranges into `bytes`, which the module owns. Every count here was checked
 * against the bytes actually present before anything was allocated for it.
 */
#ifndef WASMRT_COMPILER_MODULE_H
#define WASMRT_COMPILER_MODULE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wasmrt.h"

/* Value types, numbered as their binary encoding. */
typedef enum wr_valtype {
  WR_UNKNOWN = 0x00, /* the validator's bottom type in unreachable code */
  WR_I32 = 0x7f,
  WR_I64 = 0x7e,
  WR_F32 = 0x7d,
  WR_F64 = 0x7c,
  WR_V128 = 0x7b,
  WR_FUNCREF = 0x70,
  WR_EXTERNREF = 0x6f,
} wr_valtype;

/* "i32", "funcref", ... ; "unknown" for anything else. */
const char *wr_valtype_name(uint8_t type);

static inline bool wr_is_reftype(uint8_t t) { return t == WR_FUNCREF || t == WR_EXTERNREF; }

/* True for the encoding of a value type (never for WR_UNKNOWN). */
static inline bool wr_is_valtype(uint8_t t)
{
  return t == WR_I32 || t == WR_I64 || t == WR_F32 || t == WR_F64 || t == WR_V128 ||
         wr_is_reftype(t);
}

/* Section ids of the binary format. */
enum {
  WR_SEC_CUSTOM = 0,
  WR_SEC_TYPE = 1,
  WR_SEC_IMPORT = 2,
  WR_SEC_FUNCTION = 3,
  WR_SEC_TABLE = 4,
  WR_SEC_MEMORY = 5,
  WR_SEC_GLOBAL = 6,
  WR_SEC_EXPORT = 7,
  WR_SEC_START = 8,
  WR_SEC_ELEMENT = 9,
  WR_SEC_CODE = 10,
  WR_SEC_DATA = 11,
  WR_SEC_DATACOUNT = 12,
  WR_SEC_COUNT = 13,
};

/* "type section", "code section", ...; "custom section" for 0. */
const char *wr_section_name(unsigned id);

/* A byte range inside wr_module.bytes. */
typedef struct wr_range {
  uint32_t offset;
  uint32_t size;
} wr_range;

typedef struct wr_functype {
  uint32_t param_count;
  uint32_t result_count;
  /* Params then results, in wr_module.type_pool. */
  uint32_t pool_offset;
} wr_functype;

typedef struct wr_limits {
  uint64_t min;
  uint64_t max; /* valid when has_max */
  bool has_max;
} wr_limits;

typedef struct wr_tabletype {
  uint8_t elem_type; /* WR_FUNCREF or WR_EXTERNREF */
  wr_limits limits;
} wr_tabletype;

typedef struct wr_globaltype {
  uint8_t type;
  bool mutable_;
} wr_globaltype;

/* A constant expression: its bytes (without the final `end`) and, for the
 * common single-instruction forms, the decoded value. */
typedef enum wr_const_kind {
  WR_CONST_I32,
  WR_CONST_I64,
  WR_CONST_F32,
  WR_CONST_F64,
  WR_CONST_V128,
  WR_CONST_REF_NULL,
  WR_CONST_REF_FUNC,
  WR_CONST_GLOBAL_GET,
} wr_const_kind;

typedef struct wr_const_expr {
  wr_const_kind kind;
  uint8_t type; /* the value type it produces */
  union {
    uint32_t i32;
    uint64_t i64;
    uint32_t f32_bits;
    uint64_t f64_bits;
    uint8_t v128[16];
    uint32_t index; /* function for REF_FUNC, global for GLOBAL_GET */
  } u;
  wr_range code;
} wr_const_expr;

typedef struct wr_import {
  wr_range module;
  wr_range name;
  uint8_t kind; /* wasmrt_extern_kind */
  union {
    uint32_t type_index; /* FUNC */
    wr_tabletype table;
    wr_limits memory;
    wr_globaltype global;
  } desc;
} wr_import;

typedef struct wr_export {
  wr_range name;
  uint8_t kind;
  uint32_t index;
} wr_export;

typedef struct wr_global {
  wr_globaltype type;
  wr_const_expr init;
} wr_global;

typedef enum wr_segment_mode {
  WR_SEGMENT_ACTIVE,
  WR_SEGMENT_PASSIVE,
  WR_SEGMENT_DECLARATIVE,
} wr_segment_mode;

typedef struct wr_elem {
  wr_segment_mode mode;
  uint8_t elem_type;
  uint32_t table_index;
  wr_const_expr offset; /* ACTIVE only */
  uint32_t count;
  /* Index into wr_module.elem_inits of the first of `count` entries. */
  uint32_t first_init;
} wr_elem;

typedef struct wr_data {
  wr_segment_mode mode;
  uint32_t memory_index;
  wr_const_expr offset; /* ACTIVE only */
  wr_range bytes;
} wr_data;

typedef struct wr_function {
  uint32_t type_index;
  /* Code section body (locals and instructions, without the size prefix);
   * size 0 for imported functions. */
  wr_range body;
} wr_function;

typedef struct wr_section_info {
  uint8_t id;
  uint32_t offset;      /* of the section id byte */
  uint32_t content;     /* of the first content byte */
  uint32_t size;        /* content size */
  wr_range custom_name; /* custom sections only */
} wr_section_info;

typedef struct wr_func_name {
  uint32_t index;
  wr_range name;
} wr_func_name;

typedef struct wr_module {
  const uint8_t *bytes;
  size_t size;
  bool owns_bytes; /* free(bytes) in wr_module_free */

  wr_functype *types;
  uint32_t type_count;
  uint8_t *type_pool;

  wr_import *imports;
  uint32_t import_count;

  /* Index spaces: imports first, then definitions. */
  wr_function *functions;
  uint32_t function_count;
  uint32_t imported_function_count;

  wr_tabletype *tables;
  uint32_t table_count;
  uint32_t imported_table_count;

  wr_limits *memories;
  uint32_t memory_count;
  uint32_t imported_memory_count;

  wr_global *globals;
  uint32_t global_count;
  uint32_t imported_global_count;

  wr_export *exports;
  uint32_t export_count;

  bool has_start;
  uint32_t start_function;

  wr_elem *elems;
  uint32_t elem_count;
  wr_const_expr *elem_inits;
  uint32_t elem_init_count;

  wr_data *datas;
  uint32_t data_count;
  bool has_data_count;
  uint32_t data_count_declared;

  wr_section_info *sections;
  uint32_t section_count;

  /* From the "name" custom section, sorted by index; a malformed name
   * section is ignored, as the spec requires for custom sections. */
  wr_func_name *func_names;
  uint32_t func_name_count;
  bool has_module_name;
  wr_range module_name;
} wr_module;

/* Decode and validate `size` bytes. With `take_ownership` the module frees
 * `bytes` (a malloc'd buffer) when it is freed, and on failure at once;
 * without, `bytes` must outlive the module. `out` may be NULL to validate
 * only. */
wasmrt_result wr_module_decode(const uint8_t *bytes, size_t size, bool take_ownership,
                               wr_module **out, wasmrt_error *err);
void wr_module_free(wr_module *m);

/* The function's name from the name section, or NULL/0 when it has none. */
const char *wr_module_func_name(const wr_module *m, uint32_t index, size_t *len);

static inline const uint8_t *wr_functype_params(const wr_module *m, const wr_functype *t)
{
  return m->type_pool + t->pool_offset;
}
static inline const uint8_t *wr_functype_results(const wr_module *m, const wr_functype *t)
{
  return m->type_pool + t->pool_offset + t->param_count;
}

#endif
