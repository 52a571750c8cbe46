/*
 * wast.h - what the parts of `wasmrt wast` share: the values of wast2json
 * scripts (wast_values.c) and the built-in "spectest" module
 * (wast_spectest.c). The runner itself is cmd_wast.c.
 */
#ifndef WASMRT_CLI_WAST_H
#define WASMRT_CLI_WAST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cli/json.h"
#include "wasmrt.h"

/*
 * Host references a script names by number ("externref 7"): one stable,
 * non-NULL pointer per number for as long as the table lives, so the same
 * number passed twice is the same reference, and a reference WebAssembly
 * hands back can be named again.
 */
typedef struct wast_refs {
  uint64_t **keys; /* each key allocated alone: its address is the reference */
  size_t count;
} wast_refs;

/* The reference for `number`, made on first use; NULL when out of memory. */
void *wast_refs_get(wast_refs *refs, uint64_t number);
/* The number of a reference made by wast_refs_get; false for any other
 * pointer. */
bool wast_refs_find(const wast_refs *refs, const void *ref, uint64_t *number_out);
void wast_refs_free(wast_refs *refs);

/* What an expected value accepts. */
typedef enum wast_expect {
  /* Exactly `val` (ints by value, floats by bits, references by pointer). */
  WAST_EXPECT_EXACT,
  /* "nan:canonical": a NaN with only the quiet bit set in its payload, of
   * either sign. */
  WAST_EXPECT_CANONICAL_NAN,
  /* "nan:arithmetic": a NaN with the quiet bit set, of either sign. */
  WAST_EXPECT_ARITHMETIC_NAN,
  /* A reference with no number ("funcref" other than "null"): any
   * non-NULL reference. */
  WAST_EXPECT_NON_NULL,
} wast_expect;

/* A value of a script, as an argument or as an expected result. */
typedef struct wast_value {
  wast_expect expect;
  wasmrt_val val; /* val.type always; the rest when expect is EXACT */
} wast_value;

typedef enum wast_value_status {
  WAST_VALUE_OK,
  /* A v128: this version does not run SIMD, so the command is not run. */
  WAST_VALUE_V128,
  /* Not a value this reader knows; `why` says what. */
  WAST_VALUE_BAD,
} wast_value_status;

/* Read one value object of a wast2json script. Externref numbers become
 * references from `refs`. */
wast_value_status wast_value_read(const json_value *json, wast_refs *refs, wast_value *out,
                                  char *why, size_t why_size);

/* Whether `actual` is what `expected` accepts (types included). */
bool wast_value_matches(const wast_value *expected, const wasmrt_val *actual);

/* "i32 42", "f32 0x3f800000 (1)", "externref 3", "funcref null", ... into
 * `out` (always NUL-terminated). */
void wast_val_format(const wasmrt_val *val, const wast_refs *refs, char *out, size_t size);
/* The same for an expected value: "f64 nan:canonical", "funcref non-null". */
void wast_value_format(const wast_value *value, const wast_refs *refs, char *out, size_t size);

/*
 * The "spectest" module every script may import from: print, print_i32,
 * print_i64, print_f32, print_f64, print_i32_f32, print_f64_f64 (which print
 * their arguments only when `verbose`), global_i32, global_i64, global_f32,
 * global_f64 (immutable, 666 or 666.6), table (funcref, 10 to 20 elements)
 * and memory (1 to 2 pages). It lives in one store; make one per script.
 */
#define WAST_SPECTEST_MAX 16

typedef struct wast_spectest {
  bool verbose;
  size_t count;
  struct {
    const char *name;
    wasmrt_extern value;
  } items[WAST_SPECTEST_MAX];
} wast_spectest;

/* Fill `spectest` (which must stay at its address while the store lives:
 * the print functions read it) with objects made in `store`. */
wasmrt_result wast_spectest_init(wast_spectest *spectest, wasmrt_store *store, bool verbose,
                                 wasmrt_error *error);
/* The export called `name` (`size` bytes), or false when there is none. */
bool wast_spectest_find(const wast_spectest *spectest, const char *name, size_t size,
                        wasmrt_extern *out);

#endif
