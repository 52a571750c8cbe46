/* TEMPORARY stub while the real decoder is written: accepts anything with the wasm magic. */
#include <stdlib.h>
#include <string.h>
#include "compiler/module.h"
const char *wasmrt_errname(wasmrt_result r)
{
  switch (r) {
  case WASMRT_OK: return "ok";
  case WASMRT_ERROR_MALFORMED: return "malformed";
  case WASMRT_ERROR_INVALID: return "invalid";
  case WASMRT_ERROR_LIMIT: return "limit";
  case WASMRT_ERROR_NOMEM: return "out of memory";
  case WASMRT_ERROR_IO: return "i/o error";
  case WASMRT_ERROR_ARGUMENT: return "bad argument";
  }
  return "unknown";
}
wasmrt_result wr_module_decode(const uint8_t *bytes, size_t size, bool take, wr_module **out, wasmrt_error *err)
{
  if (size < 8 || memcmp(bytes, "\0asm\1\0\0\0", 8) != 0) {
    if (err) { memset(err, 0, sizeof *err); err->code = WASMRT_ERROR_MALFORMED; strcpy(err->message, "header: magic header not detected"); }
    if (take) free((void *)bytes);
    return WASMRT_ERROR_MALFORMED;
  }
  wr_module *m = calloc(1, sizeof *m);
  m->bytes = bytes; m->size = size; m->owns_bytes = take;
  if (out) *out = m; else wr_module_free(m);
  return WASMRT_OK;
}
void wr_module_free(wr_module *m) { if (m && m->owns_bytes) free((void *)m->bytes); free(m); }
