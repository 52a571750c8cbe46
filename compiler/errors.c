/*
 * errors.c - turning decoder failures into wasmrt_error values with a
 * position prefix: "code section, function 3, offset 0x1a2f: ...".
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compiler/decoder.h"
#include "compiler/errors.h"
#include "compiler/require.h"

const char *wasmrt_errname(wasmrt_result result)
{
  switch (result) {
  case WASMRT_OK:
    return "ok";
  case WASMRT_ERROR_MALFORMED:
    return "malformed";
  case WASMRT_ERROR_INVALID:
    return "invalid";
  case WASMRT_ERROR_LIMIT:
    return "limit";
  case WASMRT_ERROR_NOMEM:
    return "out of memory";
  case WASMRT_ERROR_IO:
    return "i/o error";
  case WASMRT_ERROR_ARGUMENT:
    return "bad argument";
  case WASMRT_ERROR_LINK:
    return "unlinkable";
  case WASMRT_ERROR_TRAP:
    return "trap";
  case WASMRT_ERROR_UNSUPPORTED:
    return "unsupported";
  case WASMRT_ERROR_OBJECT:
    return "bad object";
  }
  return "unknown";
}

const char *wr_section_name(unsigned id)
{
  static const char *const names[WR_SEC_COUNT] = {
      "custom section",     "type section",    "import section", "function section",
      "table section",      "memory section",  "global section", "export section",
      "start section",      "element section", "code section",   "data section",
      "data count section",
  };
  if (id < WR_SEC_COUNT)
    return names[id];
  if (id == WR_SECTION_HEADER)
    return "header";
  return "unknown section";
}

void wr_error_vformat(wasmrt_error *e, wasmrt_result code, const wr_decoder *d, const uint8_t *at,
                      const char *fmt, va_list ap)
{
  e->code = code;
  e->section = wr_section_name(d->section);
  e->function = d->function;
  e->offset = (uint64_t)(at - d->base);
  int n;
  if (d->function >= 0)
    n = snprintf(e->message, sizeof e->message, "%s, function %lld, offset 0x%llx: ", e->section,
                 (long long)d->function, (unsigned long long)e->offset);
  else
    n = snprintf(e->message, sizeof e->message, "%s, offset 0x%llx: ", e->section,
                 (unsigned long long)e->offset);
  if (n < 0 || (size_t)n >= sizeof e->message)
    return;
  vsnprintf(e->message + n, sizeof e->message - (size_t)n, fmt, ap);
}

static bool wr_fatal(wr_decoder *d, wasmrt_result code, const uint8_t *at, const char *fmt,
                     va_list ap) __attribute__((format(printf, 4, 0)));
static bool wr_fatal(wr_decoder *d, wasmrt_result code, const uint8_t *at, const char *fmt,
                     va_list ap)
{
  if (d->err)
    wr_error_vformat(d->err, code, d, at, fmt, ap);
  return false;
}

bool wr_malformed(wr_decoder *d, const uint8_t *at, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  wr_fatal(d, WASMRT_ERROR_MALFORMED, at, fmt, ap);
  va_end(ap);
  return false;
}

bool wr_limit(wr_decoder *d, const uint8_t *at, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  wr_fatal(d, WASMRT_ERROR_LIMIT, at, fmt, ap);
  va_end(ap);
  return false;
}

static bool wr_fatal_code(wr_decoder *d, wasmrt_result code, const uint8_t *at, const char *fmt,
                          ...)
{
  va_list ap;
  va_start(ap, fmt);
  wr_fatal(d, code, at, fmt, ap);
  va_end(ap);
  return false;
}

bool wr_nomem(wr_decoder *d, const uint8_t *at, const char *what)
{
  return wr_fatal_code(d, WASMRT_ERROR_NOMEM, at, "out of memory allocating %s", what);
}

bool wr_read_failed(wr_decoder *d, const uint8_t *at, wr_read_status status, const char *what)
{
  return wr_fatal_code(d, WASMRT_ERROR_MALFORMED, at, "%s: %s", wr_read_status_text(status), what);
}

void wr_invalid(wr_decoder *d, const uint8_t *at, const char *fmt, ...)
{
  if (d->invalid)
    return;
  d->invalid = true;
  va_list ap;
  va_start(ap, fmt);
  wr_error_vformat(&d->first_invalid, WASMRT_ERROR_INVALID, d, at, fmt, ap);
  va_end(ap);
}

_Noreturn void wr_misuse(const char *file, int line, const char *condition)
{
  fprintf(stderr, "wasmrt: internal misuse at %s:%d: %s does not hold\n", file, line, condition);
  abort();
}

wasmrt_result wr_error_set(wasmrt_error *err, wasmrt_result code, const char *fmt, ...)
{
  if (!err)
    return code;
  memset(err, 0, sizeof *err);
  err->code = code;
  err->section = NULL;
  err->function = -1;
  err->trap = WASMRT_TRAP_NONE;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err->message, sizeof err->message, fmt, ap);
  va_end(ap);
  return code;
}
