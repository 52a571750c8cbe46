/*
 * errors.h - filling a wasmrt_error for failures that are not tied to a
 * position in the module (objects, the runtime, the CLI's library calls).
 * Errors found while decoding use the decoder's own functions (decoder.h).
 */
#ifndef WASMRT_COMPILER_ERRORS_H
#define WASMRT_COMPILER_ERRORS_H

#include "wasmrt.h"

/* Sets *err (when not NULL) to `code` with a printf-formatted one-line
 * message, no section, function -1, no trap; returns `code`. */
wasmrt_result wr_error_set(wasmrt_error *err, wasmrt_result code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
