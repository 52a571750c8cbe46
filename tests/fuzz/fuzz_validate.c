/*
 * fuzz_validate.c - libFuzzer target for the decoder and validator.
 *
 * Feeds every input to wasmrt_validate() and to wasmrt_module_decode(), which must agree: the
 * same result code, a module exactly when the result is WASMRT_OK. A decoded module's imports
 * and exports are all read back (and one past the end must be refused), so that the kept module
 * is exercised too. A disagreement aborts with both verdicts, which libFuzzer reports as a crash
 * and saves as a reproducer; memory errors and undefined behaviour are ASan's and UBSan's.
 *
 * Built only in the sanitizer tree with WASMRT_FUZZ=ON (tests/fuzz/tests.cmake).
 * Reproduce a crash:  build/x86_64-san/tests/fuzz_validate CRASH-FILE
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "wasmrt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_fail(const char *what, wasmrt_result validated, const wasmrt_error *validate_error,
                      wasmrt_result decoded, const wasmrt_error *decode_error)
{
  fprintf(stderr,
          "fuzz_validate: %s\n"
          "  wasmrt_validate:      %s: %s\n"
          "  wasmrt_module_decode: %s: %s\n",
          what, wasmrt_errname(validated), validated == WASMRT_OK ? "" : validate_error->message,
          wasmrt_errname(decoded), decoded == WASMRT_OK ? "" : decode_error->message);
  abort();
}

/* Touches every byte of a name so that ASan checks its range. */
static void fuzz_touch_name(wasmrt_name name)
{
  volatile char sink = 0;
  for (size_t k = 0; k < name.size; k++)
    sink ^= name.data[k];
  (void)sink;
}

/* Reads every import and export of a decoded module; names must lie inside the module. */
static void fuzz_walk_module(const wasmrt_module *module)
{
  size_t imports = wasmrt_module_import_count(module);
  for (size_t i = 0; i < imports; i++) {
    wasmrt_import_info info;
    if (wasmrt_module_import(module, i, &info) != WASMRT_OK || info.kind > WASMRT_EXTERN_GLOBAL) {
      fprintf(stderr, "fuzz_validate: import %zu of %zu unreadable\n", i, imports);
      abort();
    }
    fuzz_touch_name(info.module);
    fuzz_touch_name(info.name);
  }
  wasmrt_import_info import_info;
  if (wasmrt_module_import(module, imports, &import_info) != WASMRT_ERROR_ARGUMENT) {
    fprintf(stderr, "fuzz_validate: import index %zu (the count) was not refused\n", imports);
    abort();
  }

  size_t exports = wasmrt_module_export_count(module);
  for (size_t i = 0; i < exports; i++) {
    wasmrt_export_info info;
    if (wasmrt_module_export(module, i, &info) != WASMRT_OK || info.kind > WASMRT_EXTERN_GLOBAL) {
      fprintf(stderr, "fuzz_validate: export %zu of %zu unreadable\n", i, exports);
      abort();
    }
    fuzz_touch_name(info.name);
  }
  wasmrt_export_info export_info;
  if (wasmrt_module_export(module, exports, &export_info) != WASMRT_ERROR_ARGUMENT) {
    fprintf(stderr, "fuzz_validate: export index %zu (the count) was not refused\n", exports);
    abort();
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  wasmrt_error validate_error;
  wasmrt_result validated = wasmrt_validate(data, size, &validate_error);
  if (validated != WASMRT_OK && validated != WASMRT_ERROR_MALFORMED &&
      validated != WASMRT_ERROR_INVALID && validated != WASMRT_ERROR_LIMIT &&
      validated != WASMRT_ERROR_NOMEM) {
    fprintf(stderr, "fuzz_validate: wasmrt_validate returned %d, not a documented result\n",
            (int)validated);
    abort();
  }
  if (validated != WASMRT_OK && validate_error.code != validated) {
    fprintf(stderr, "fuzz_validate: wasmrt_validate returned %s but error.code is %s\n",
            wasmrt_errname(validated), wasmrt_errname(validate_error.code));
    abort();
  }

  wasmrt_error decode_error;
  wasmrt_module *module = (wasmrt_module *)(uintptr_t)1; /* must be overwritten */
  wasmrt_result decoded = wasmrt_module_decode(data, size, &module, &decode_error);
  if (validated == WASMRT_ERROR_NOMEM || decoded == WASMRT_ERROR_NOMEM) {
    /* Running out of memory is not a property of the input; nothing to compare. */
  } else if (decoded != validated) {
    fuzz_fail("wasmrt_validate and wasmrt_module_decode disagree", validated, &validate_error,
              decoded, &decode_error);
  }
  if ((decoded == WASMRT_OK) != (module != NULL)) {
    fuzz_fail(decoded == WASMRT_OK ? "module is NULL after success"
                                   : "module not set to NULL after failure",
              validated, &validate_error, decoded, &decode_error);
  }
  if (decoded == WASMRT_OK)
    fuzz_walk_module(module);
  wasmrt_module_free(decoded == WASMRT_OK ? module : NULL);
  return 0;
}
