/*
 * decoder.h - state shared by the module decoder (decode.c) and the
 * function-body validator (validate_func.c) during one streaming pass.
 *
 * Error discipline, matching the spec where decoding precedes validation:
 *  - malformed input, a wasmrt limit, or out-of-memory stop the pass at once
 *    (wr_fail and friends return false; callers return false up the chain);
 *  - a validation error is recorded (the first one wins) and the pass goes on
 *    in decode-only mode, so that a later malformed byte still makes the
 *    module "malformed". In decode-only mode nothing indexes a table with an
 *    unchecked module-supplied index.
 */
#ifndef WASMRT_COMPILER_DECODER_H
#define WASMRT_COMPILER_DECODER_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>

#include "compiler/module.h"
#include "compiler/reader.h"

#define WR_SECTION_HEADER 0xff /* not a section: the 8-byte preamble */

typedef struct wr_ctrl_frame wr_ctrl_frame;

/* Scratch space of the function validator, reused from body to body. */
typedef struct wr_func_state {
  uint8_t *operands;
  uint32_t operand_count, operand_capacity;
  wr_ctrl_frame *frames;
  uint32_t frame_count, frame_capacity;
  uint8_t *local_types;
  uint32_t local_count, local_capacity;
} wr_func_state;

typedef struct wr_decoder {
  const uint8_t *base; /* first byte of the module */
  const uint8_t *end;  /* one past the module's last byte */
  wr_module *m;
  unsigned section;  /* id being decoded, or WR_SECTION_HEADER */
  int64_t function;  /* function index being decoded, or -1 */
  wasmrt_error *err; /* where a fatal error goes */
  bool invalid;      /* a validation error was recorded: decode only */
  wasmrt_error first_invalid;
  uint8_t *declared_refs; /* bitmap over functions: may appear in ref.func */
  /* Which index spaces have their final arrays (imports + definitions). */
  bool functions_built, tables_built, memories_built, globals_built;
  uint32_t defined_function_count; /* from the function section */
  bool saw_code_section;
  wr_func_state fs;
} wr_decoder;

/* Fatal errors: fill d->err and return false. `at` is the offending byte. */
bool wr_malformed(wr_decoder *d, const uint8_t *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
bool wr_limit(wr_decoder *d, const uint8_t *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
bool wr_nomem(wr_decoder *d, const uint8_t *at, const char *what);
/* A failed primitive read: malformed with the spec's wording. */
bool wr_read_failed(wr_decoder *d, const uint8_t *at, wr_read_status status, const char *what);

/* Record a validation error (only the first is kept) and switch to
 * decode-only mode. Returns nothing: decoding continues. */
void wr_invalid(wr_decoder *d, const uint8_t *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Format `fmt` with the position prefix into `e`, as the public error type. */
void wr_error_vformat(wasmrt_error *e, wasmrt_result code, const wr_decoder *d, const uint8_t *at,
                      const char *fmt, va_list ap);

/* Validate (or, in decode-only mode, just decode) the function body in
 * [*p, end): locals then instructions; *p ends at `end` on success.
 * `func_index` indexes d->m->functions. Returns false on a fatal error. */
bool wr_validate_function(wr_decoder *d, uint32_t func_index, const uint8_t **p,
                          const uint8_t *end);

/* Validate a constant expression producing `type` at *p (up to and
 * including its `end`), and describe it in *out. `global_limit` is how many
 * globals it may read (imported globals only, in a global initializer).
 * Returns false on a fatal error. */
bool wr_validate_const_expr(wr_decoder *d, const uint8_t **p, const uint8_t *end, uint8_t type,
                            uint32_t global_limit, wr_const_expr *out);

void wr_func_state_free(wr_func_state *fs);

#endif
