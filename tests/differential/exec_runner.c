/*
 * exec_runner.c - runs a module the way binaryen's `wasm-opt --fuzz-exec` does, for the
 * differential execution test (exec_diff.sh).
 *
 *   exec_runner MODULE [REFERENCE]
 *
 * Instantiates MODULE with host functions for the imports `wasm-opt -ttf` makes
 * ("fuzzing-support" log-i32, log-i64, log-f32, log-f64) and calls every exported function in
 * export order, as binaryen 108's ExecutionResults does: first the export
 * "hangLimitInitializer" when there is one, then the function itself with zeros for its
 * parameters. The transcript goes to stdout, line-buffered so that a crash leaves what ran,
 * in binaryen's format:
 *
 *   [fuzz-exec] calling NAME
 *   [LoggingExternalInterface logging V...]    a log-i64 argument as two i32s, low then high
 *   [trap MESSAGE]                             wasmrt's message; binaryen words its own
 *   [fuzz-exec] note result: NAME => V         or "=> (V, V, ...)" for several results
 *
 * Values print as binaryen prints them: integers signed, NaN as [-]nan[:0xPAYLOAD], -0, inf,
 * integral floats below 2^64 in full; other floats as the shortest text that reads back as the
 * same double (binaryen's cashew::numToString picks other texts for some, "1.e+300" for 1e300,
 * an f32 as the double it converts to).
 *
 * With REFERENCE, the output of `wasm-opt MODULE --fuzz-exec-before -q`, the two transcripts
 * are compared event by event: the same exports called, the same log calls with the same
 * values, a trap where binaryen trapped (whatever the message), the same results. Values
 * compare by number, so formatting does not matter; a NaN equals any NaN (the specification
 * leaves NaN signs and payloads to the engine, and binaryen's interpreter makes its own).
 * A reference compares by null or not only (binaryen names functions its own way), and not at
 * all where binaryen prints a bare "funcref", as it does for some funcref results. The first
 * difference is printed on stderr as
 *
 *   exec_runner: MODULE: export NAME, event N: expected <binaryen's line>, got <ours>
 *
 * Exit status: 0 the transcripts agree (or no REFERENCE); 1 they differ, or wasmrt rejected
 * the module, or instantiating failed other than by a trap; 3 skipped: the module needs
 * something this wasmrt does not compile (WASMRT_ERROR_UNSUPPORTED) or exceeds a documented
 * wasmrt limit (WASMRT_ERROR_LIMIT, docs/LIMITS.md), imports something the runner does not
 * provide, or binaryen stopped at a host limit; 2 usage and I/O errors. Each status other than
 * 0 comes with a line on stderr saying why.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wasmrt.h"

enum { EXIT_AGREE = 0, EXIT_DIFFER = 1, EXIT_USAGE = 2, EXIT_SKIPPED = 3 };

static const char *module_path = "";

static void *xrealloc(void *p, size_t size)
{
  p = realloc(p, size ? size : 1);
  if (!p) {
    fprintf(stderr, "exec_runner: out of memory\n");
    exit(EXIT_USAGE);
  }
  return p;
}

static char *xstrdup(const char *s)
{
  size_t n = strlen(s) + 1;
  return memcpy(xrealloc(NULL, n), s, n);
}

/* Prints "exec_runner: MODULE: MESSAGE" on stderr and exits with `status`. */
_Noreturn static void quit(int status, const char *format, ...)
{
  va_list ap;
  va_start(ap, format);
  fprintf(stderr, "exec_runner: %s: ", module_path);
  vfprintf(stderr, format, ap);
  fputc('\n', stderr);
  va_end(ap);
  exit(status);
}

static bool read_file(const char *path, uint8_t **data_out, size_t *size_out)
{
  FILE *f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "exec_runner: %s: %s\n", path, strerror(errno));
    return false;
  }
  uint8_t *data = NULL;
  size_t size = 0, capacity = 0;
  for (;;) {
    if (size == capacity) {
      capacity = capacity ? capacity * 2 : 65536;
      data = xrealloc(data, capacity + 1);
    }
    size_t n = fread(data + size, 1, capacity - size, f);
    size += n;
    if (n == 0)
      break;
  }
  bool ok = !ferror(f);
  fclose(f);
  if (!ok) {
    fprintf(stderr, "exec_runner: %s: read error\n", path);
    free(data);
    return false;
  }
  data[size] = 0; /* the reference is read as text */
  *data_out = data;
  *size_out = size;
  return true;
}

/* ---- values and their text ----------------------------------------------------------------- */

/* One value as the transcript shows it: a type and the bits (floats as bit patterns, references
 * as 0 for null and 1 otherwise). */
typedef struct value {
  wasmrt_valtype type;
  uint64_t bits;
} value;

static value value_of(const wasmrt_val *v)
{
  value r = {v->type, 0};
  switch (v->type) {
  case WASMRT_I32:
    r.bits = v->of.i32;
    break;
  case WASMRT_I64:
    r.bits = v->of.i64;
    break;
  case WASMRT_F32:
    r.bits = v->of.f32_bits;
    break;
  case WASMRT_F64:
    r.bits = v->of.f64_bits;
    break;
  case WASMRT_FUNCREF:
    r.bits = v->of.funcref != NULL;
    break;
  case WASMRT_EXTERNREF:
    r.bits = v->of.externref != NULL;
    break;
  default:
    r.bits = 0;
    break; /* v128 never gets this far: wasmrt_compile refuses it */
  }
  return r;
}

static float f32_of(uint32_t bits)
{
  float f;
  memcpy(&f, &bits, sizeof f);
  return f;
}

static double f64_of(uint64_t bits)
{
  double d;
  memcpy(&d, &bits, sizeof d);
  return d;
}

/* A finite, non-zero double: an integer below 2^64 in full, as binaryen prints it, anything else
 * as the shortest %.Ng text that reads back as the same number. */
static void format_double(char *out, size_t size, double d)
{
  if (fabs(d) < 0x1p64 && d == trunc(d)) {
    snprintf(out, size, "%.0f", d);
    return;
  }
  for (int precision = 1; precision <= 17; precision++) {
    snprintf(out, size, "%.*g", precision, d);
    if (strtod(out, NULL) == d)
      return;
  }
}

/* `v` as binaryen's operator<<(ostream, Literal) shows it, up to the float notation. */
static void format_value(char *out, size_t size, value v)
{
  switch (v.type) {
  case WASMRT_I32:
    snprintf(out, size, "%" PRId32, (int32_t)(uint32_t)v.bits);
    return;
  case WASMRT_I64:
    snprintf(out, size, "%" PRId64, (int64_t)v.bits);
    return;
  case WASMRT_F32:
  case WASMRT_F64: {
    bool f32 = v.type == WASMRT_F32;
    double d = f32 ? (double)f32_of((uint32_t)v.bits) : f64_of(v.bits);
    bool negative = f32 ? (v.bits >> 31) & 1 : (v.bits >> 63) & 1;
    if (isnan(d)) {
      uint64_t payload = f32 ? v.bits & 0x7fffffu : v.bits & 0xfffffffffffffu;
      if (payload)
        snprintf(out, size, "%snan:0x%" PRIx64, negative ? "-" : "", payload);
      else
        snprintf(out, size, "%snan", negative ? "-" : "");
    } else if (isinf(d)) {
      snprintf(out, size, "%sinf", negative ? "-" : "");
    } else if (d == 0) {
      snprintf(out, size, "%s0", negative ? "-" : "");
    } else {
      format_double(out, size, d);
    }
    return;
  }
  case WASMRT_FUNCREF:
    snprintf(out, size, "%s", v.bits ? "funcref(...)" : "funcref(null)");
    return;
  case WASMRT_EXTERNREF:
    snprintf(out, size, "%s", v.bits ? "externref(...)" : "externref(null)");
    return;
  default:
    snprintf(out, size, "?");
    return;
  }
}

/* Does binaryen's text `token` show the value `v`? Numbers compare by value, NaNs loosely. */
static bool token_matches(const char *token, value v)
{
  char *end;
  errno = 0;
  switch (v.type) {
  case WASMRT_I32:
  case WASMRT_I64: {
    uint64_t n;
    if (token[0] == '-')
      n = (uint64_t)strtoll(token, &end, 10);
    else
      n = strtoull(token, &end, 10);
    if (end == token || *end || errno)
      return false;
    if (v.type == WASMRT_I32) {
      /* binaryen prints i32 signed; accept the same bits written unsigned too */
      if (token[0] == '-' ? (int64_t)n < INT32_MIN : n > UINT32_MAX)
        return false;
      return (uint32_t)n == (uint32_t)v.bits;
    }
    return n == v.bits;
  }
  case WASMRT_F32:
  case WASMRT_F64: {
    bool f32 = v.type == WASMRT_F32;
    double ours = f32 ? (double)f32_of((uint32_t)v.bits) : f64_of(v.bits);
    const char *t = token[0] == '-' ? token + 1 : token;
    if (strncmp(t, "nan", 3) == 0)
      return isnan(ours);
    if (isnan(ours))
      return false;
    double theirs;
    if (strcmp(t, "inf") == 0) {
      theirs = token[0] == '-' ? -INFINITY : INFINITY;
    } else {
      theirs = strtod(token, &end);
      if (end == token || *end)
        return false;
    }
    if (f32 && (double)(float)theirs != theirs)
      return false; /* not a float at all: binaryen prints the exact double of an f32 */
    if (theirs != ours)
      return false;
    return ours != 0 || (token[0] == '-') == (signbit(ours) != 0);
  }
  case WASMRT_FUNCREF:
  case WASMRT_EXTERNREF:
    /* binaryen 108 prints e.g. "funcref(fimport$1)" or "funcref(null)"; names are its own */
    if (strstr(token, "null"))
      return v.bits == 0;
    return v.bits != 0 || strchr(token, '(') == NULL;
  default:
    return false;
  }
}

/* ---- transcripts ------------------------------------------------------------------------------
 */

typedef enum event_kind { EV_CALL, EV_LOG, EV_TRAP, EV_RESULT, EV_HOST_LIMIT } event_kind;

/* One line of a transcript. Ours carry typed values; binaryen's carry the tokens it printed. */
typedef struct event {
  event_kind kind;
  char *name; /* EV_CALL, EV_RESULT: the export */
  size_t count;
  value *values;
  char **tokens;
  char *line; /* the line as printed, without the newline */
} event;

typedef struct transcript {
  event *events;
  size_t count, capacity;
} transcript;

static event *transcript_add(transcript *t, event_kind kind)
{
  if (t->count == t->capacity) {
    t->capacity = t->capacity ? t->capacity * 2 : 64;
    t->events = xrealloc(t->events, t->capacity * sizeof *t->events);
  }
  event *e = &t->events[t->count++];
  memset(e, 0, sizeof *e);
  e->kind = kind;
  return e;
}

static transcript ours;

static void transcript_free(transcript *t)
{
  for (size_t i = 0; i < t->count; i++) {
    free(t->events[i].name);
    free(t->events[i].values);
    free(t->events[i].tokens);
    free(t->events[i].line);
  }
  free(t->events);
  memset(t, 0, sizeof *t);
}

/* Text of a list of values: "V V" for a log call; for results "V" for one and "(V, V)" for
 * several, as binaryen prints tuples. */
static char *format_values(const char *before, const value *values, size_t count, bool results,
                           const char *after)
{
  bool tuple = results && count > 1;
  size_t size = strlen(before) + strlen(after) + count * 48 + 8;
  char *text = xrealloc(NULL, size);
  size_t at = (size_t)snprintf(text, size, "%s%s", before, tuple ? "(" : "");
  for (size_t i = 0; i < count; i++) {
    char buf[48];
    format_value(buf, sizeof buf, values[i]);
    at += (size_t)snprintf(text + at, size - at, "%s%s", i ? (tuple ? ", " : " ") : "", buf);
  }
  snprintf(text + at, size - at, "%s%s", tuple ? ")" : "", after);
  return text;
}

static void emit(event *e, char *line)
{
  e->line = line;
  puts(line);
}

static void emit_call(const char *name)
{
  event *e = transcript_add(&ours, EV_CALL);
  e->name = xstrdup(name);
  size_t size = strlen(name) + 32;
  char *line = xrealloc(NULL, size);
  snprintf(line, size, "[fuzz-exec] calling %s", name);
  emit(e, line);
}

static void emit_trap(const wasmrt_error *err)
{
  event *e = transcript_add(&ours, EV_TRAP);
  const char *why = err->trap == WASMRT_TRAP_HOST ? err->message : wasmrt_trap_message(err->trap);
  size_t size = strlen(why) + 16;
  char *line = xrealloc(NULL, size);
  snprintf(line, size, "[trap %s]", why);
  emit(e, line);
}

static void emit_result(const char *name, const value *values, size_t count)
{
  event *e = transcript_add(&ours, EV_RESULT);
  e->name = xstrdup(name);
  e->count = count;
  e->values = xrealloc(NULL, count * sizeof *values);
  memcpy(e->values, values, count * sizeof *values);
  size_t size = strlen(name) + 32;
  char *before = xrealloc(NULL, size);
  snprintf(before, size, "[fuzz-exec] note result: %s => ", name);
  emit(e, format_values(before, values, count, true, ""));
  free(before);
}

/* The "fuzzing-support" imports: each logs its argument. binaryen prints an i64 as two i32s,
 * low half first ("to avoid JS legalization changing logging results"). */
static const char *host_log(void *env, const wasmrt_val *params, wasmrt_val *results)
{
  (void)env;
  (void)results;
  event *e = transcript_add(&ours, EV_LOG);
  value v = value_of(&params[0]);
  if (v.type == WASMRT_I64) {
    e->count = 2;
    e->values = xrealloc(NULL, 2 * sizeof *e->values);
    e->values[0] = (value){WASMRT_I32, (uint32_t)v.bits};
    e->values[1] = (value){WASMRT_I32, (uint32_t)(v.bits >> 32)};
  } else {
    e->count = 1;
    e->values = xrealloc(NULL, sizeof *e->values);
    e->values[0] = v;
  }
  emit(e, format_values("[LoggingExternalInterface logging ", e->values, e->count, false, "]"));
  return NULL;
}

static const struct {
  const char *name;
  wasmrt_valtype param;
} log_imports[] = {
    {"log-i32", WASMRT_I32},
    {"log-i64", WASMRT_I64},
    {"log-f32", WASMRT_F32},
    {"log-f64", WASMRT_F64},
};

static bool name_is(wasmrt_name n, const char *s)
{
  return n.size == strlen(s) && memcmp(n.data, s, n.size) == 0;
}

/* ---- running ------------------------------------------------------------------------------------
 */

static void call_exports(const wasmrt_module *module, wasmrt_store *store,
                         const wasmrt_instance *instance);

static void run_module(const uint8_t *bytes, size_t size)
{
  wasmrt_error err;
  memset(&err, 0, sizeof err);
  wasmrt_module *module = NULL;
  wasmrt_result r = wasmrt_module_decode(bytes, size, &module, &err);
  if (r == WASMRT_ERROR_LIMIT)
    quit(EXIT_SKIPPED, "skipped: at a wasmrt limit: %s", err.message);
  if (r != WASMRT_OK)
    quit(EXIT_DIFFER, "rejected: %s: %s (binaryen made it as a valid module)", wasmrt_errname(r),
         err.message);
  wasmrt_compiled *compiled = NULL;
  r = wasmrt_compile(module, WASMRT_TARGET_HOST, &compiled, &err);
  if (r == WASMRT_ERROR_UNSUPPORTED)
    quit(EXIT_SKIPPED, "skipped: %s", err.message);
  if (r == WASMRT_ERROR_LIMIT)
    quit(EXIT_SKIPPED, "skipped: at a wasmrt limit: %s", err.message);
  if (r != WASMRT_OK)
    quit(EXIT_DIFFER, "compiling failed: %s: %s", wasmrt_errname(r), err.message);
  wasmrt_store *store = NULL;
  r = wasmrt_store_new(&store, &err);
  if (r != WASMRT_OK)
    quit(EXIT_USAGE, "wasmrt_store_new: %s", err.message);

  size_t import_count = wasmrt_module_import_count(module);
  wasmrt_extern *imports = xrealloc(NULL, import_count * sizeof *imports);
  for (size_t i = 0; i < import_count; i++) {
    wasmrt_import_info info;
    if (wasmrt_module_import(module, i, &info) != WASMRT_OK)
      quit(EXIT_USAGE, "wasmrt_module_import %zu failed", i);
    size_t k = 0, n = sizeof log_imports / sizeof log_imports[0];
    if (info.kind == WASMRT_EXTERN_FUNC && name_is(info.module, "fuzzing-support"))
      while (k < n && !name_is(info.name, log_imports[k].name))
        k++;
    else
      k = n;
    if (k == n)
      quit(EXIT_SKIPPED, "skipped: imports \"%.*s\" \"%.*s\", which the runner does not provide",
           (int)info.module.size, info.module.data, (int)info.name.size, info.name.data);
    imports[i].kind = WASMRT_EXTERN_FUNC;
    r = wasmrt_func_new_host(store, &log_imports[k].param, 1, NULL, 0, host_log, NULL,
                             &imports[i].of.func, &err);
    if (r != WASMRT_OK)
      quit(EXIT_USAGE, "wasmrt_func_new_host: %s", err.message);
  }

  wasmrt_instance *instance = NULL;
  r = wasmrt_instantiate(store, compiled, imports, import_count, &instance, &err);
  free(imports);
  if (r == WASMRT_ERROR_TRAP)
    emit_trap(&err); /* binaryen prints the trap and calls nothing */
  else if (r != WASMRT_OK)
    quit(EXIT_DIFFER, "instantiating failed: %s: %s", wasmrt_errname(r), err.message);
  else
    call_exports(module, store, instance);
  /* Everything is freed, so that LeakSanitizer in a sanitizer build speaks of wasmrt only. */
  wasmrt_store_free(store);
  wasmrt_compiled_free(compiled);
  wasmrt_module_free(module);
}

/* Calls every exported function in export order, as binaryen does. */
static void call_exports(const wasmrt_module *module, wasmrt_store *store,
                         const wasmrt_instance *instance)
{
  wasmrt_error err;
  memset(&err, 0, sizeof err);
  wasmrt_result r;

  wasmrt_extern hang;
  wasmrt_func *hang_limit = NULL;
  if (wasmrt_instance_export(instance, "hangLimitInitializer", strlen("hangLimitInitializer"),
                             &hang) == WASMRT_OK &&
      hang.kind == WASMRT_EXTERN_FUNC)
    hang_limit = hang.of.func;

  size_t export_count = wasmrt_module_export_count(module);
  for (size_t i = 0; i < export_count; i++) {
    wasmrt_export_info info;
    if (wasmrt_module_export(module, i, &info) != WASMRT_OK)
      quit(EXIT_USAGE, "wasmrt_module_export %zu failed", i);
    if (info.kind != WASMRT_EXTERN_FUNC)
      continue;
    char *name = xrealloc(NULL, info.name.size + 1);
    memcpy(name, info.name.data, info.name.size);
    name[info.name.size] = 0;
    wasmrt_extern ex;
    if (wasmrt_instance_export(instance, info.name.data, info.name.size, &ex) != WASMRT_OK ||
        ex.kind != WASMRT_EXTERN_FUNC)
      quit(EXIT_DIFFER, "the instance has no function export \"%s\"", name);
    emit_call(name);

    if (hang_limit) {
      r = wasmrt_func_call(store, hang_limit, NULL, 0, NULL, 0, &err);
      if (r == WASMRT_ERROR_TRAP) {
        emit_trap(&err);
        free(name);
        continue;
      }
      if (r != WASMRT_OK)
        quit(EXIT_DIFFER, "calling hangLimitInitializer failed: %s: %s", wasmrt_errname(r),
             err.message);
    }

    const wasmrt_valtype *params, *results;
    size_t param_count, result_count;
    wasmrt_func_type(ex.of.func, &params, &param_count, &results, &result_count);
    wasmrt_val *args = xrealloc(NULL, (param_count + 1) * sizeof *args);
    wasmrt_val *out = xrealloc(NULL, (result_count + 1) * sizeof *out);
    memset(args, 0, (param_count + 1) * sizeof *args);
    memset(out, 0, (result_count + 1) * sizeof *out);
    for (size_t k = 0; k < param_count; k++)
      args[k].type = params[k];
    r = wasmrt_func_call(store, ex.of.func, args, param_count, out, result_count, &err);
    if (r == WASMRT_ERROR_TRAP) {
      emit_trap(&err);
    } else if (r == WASMRT_ERROR_UNSUPPORTED) {
      quit(EXIT_SKIPPED, "skipped: calling \"%s\": %s", name, err.message);
    } else if (r != WASMRT_OK) {
      quit(EXIT_DIFFER, "calling \"%s\" failed: %s: %s", name, wasmrt_errname(r), err.message);
    } else if (result_count > 0) {
      value *values = xrealloc(NULL, result_count * sizeof *values);
      for (size_t k = 0; k < result_count; k++)
        values[k] = value_of(&out[k]);
      emit_result(name, values, result_count);
      free(values);
    }
    free(args);
    free(out);
    free(name);
  }
}

/* ---- binaryen's transcript
 * ----------------------------------------------------------------------- */

/* Splits "a, b, c" (or "a b c" for logging) into tokens, in place. */
static size_t split_tokens(char *text, char ***tokens_out)
{
  char **tokens = NULL;
  size_t count = 0;
  for (char *p = strtok(text, " ,"); p; p = strtok(NULL, " ,")) {
    tokens = xrealloc(tokens, (count + 1) * sizeof *tokens);
    tokens[count++] = p;
  }
  *tokens_out = tokens;
  return count;
}

static bool starts_with(const char *s, const char *prefix)
{
  return strncmp(s, prefix, strlen(prefix)) == 0;
}

static void parse_reference(char *text, transcript *t)
{
  static const char call[] = "[fuzz-exec] calling ";
  static const char result[] = "[fuzz-exec] note result: ";
  static const char logging[] = "[LoggingExternalInterface logging";
  size_t line_number = 0;
  for (char *line = text, *next; line && *line; line = next) {
    line_number++;
    next = strchr(line, '\n');
    if (next)
      *next++ = 0;
    size_t length = strlen(line);
    if (length && line[length - 1] == '\r')
      line[--length] = 0;
    if (length == 0)
      continue;
    char *copy = xstrdup(line);
    event *e;
    if (starts_with(line, call)) {
      e = transcript_add(t, EV_CALL);
      e->name = xstrdup(line + strlen(call));
    } else if (starts_with(line, result)) {
      e = transcript_add(t, EV_RESULT);
      char *arrow = strstr(line, " => ");
      if (!arrow)
        quit(EXIT_USAGE, "reference line %zu: no \" => \": %s", line_number, copy);
      *arrow = 0;
      e->name = xstrdup(line + strlen(result));
      char *v = arrow + 4;
      size_t n = strlen(v);
      if (n >= 2 && v[0] == '(' && v[n - 1] == ')') {
        v[n - 1] = 0;
        v++;
      }
      e->count = split_tokens(v, &e->tokens);
    } else if (starts_with(line, logging) && line[length - 1] == ']') {
      e = transcript_add(t, EV_LOG);
      line[length - 1] = 0;
      e->count = split_tokens(line + strlen(logging), &e->tokens);
    } else if (starts_with(line, "[trap ")) {
      e = transcript_add(t, EV_TRAP);
    } else if (starts_with(line, "[host limit")) {
      e = transcript_add(t, EV_HOST_LIMIT);
    } else if (starts_with(line, "[fuzz-exec] comparing ") || starts_with(line, "warning: ")) {
      free(copy);
      continue; /* --fuzz-exec's second run compares; warnings say nothing about execution */
    } else {
      quit(EXIT_USAGE, "reference line %zu not understood: %s", line_number, copy);
    }
    e->line = copy;
  }
}

/* Compares the transcripts; prints the first difference. Returns the exit status. */
static int compare(const transcript *expected, const transcript *actual)
{
  const char *export_name = "(instantiation)";
  size_t i;
  for (i = 0; i < expected->count; i++) {
    const event *x = &expected->events[i];
    if (x->kind == EV_HOST_LIMIT) {
      fprintf(stderr,
              "exec_runner: %s: skipped: binaryen stopped at a host limit in export %s: %s\n",
              module_path, export_name, x->line);
      return EXIT_SKIPPED;
    }
    if (i >= actual->count) {
      fprintf(stderr, "exec_runner: %s: export %s, event %zu: expected %s, got nothing more\n",
              module_path, export_name, i + 1, x->line);
      return EXIT_DIFFER;
    }
    const event *y = &actual->events[i];
    if (x->kind == EV_CALL)
      export_name = x->name;
    bool same = x->kind == y->kind;
    if (same && (x->kind == EV_CALL || x->kind == EV_RESULT))
      same = strcmp(x->name, y->name) == 0;
    if (same && (x->kind == EV_LOG || x->kind == EV_RESULT)) {
      same = x->count == y->count;
      for (size_t k = 0; same && k < x->count; k++)
        same = token_matches(x->tokens[k], y->values[k]);
    }
    if (!same) {
      fprintf(stderr, "exec_runner: %s: export %s, event %zu: expected %s, got %s\n", module_path,
              export_name, i + 1, x->line, y->line);
      return EXIT_DIFFER;
    }
  }
  if (i < actual->count) {
    fprintf(stderr, "exec_runner: %s: export %s, event %zu: expected nothing more, got %s\n",
            module_path, export_name, i + 1, actual->events[i].line);
    return EXIT_DIFFER;
  }
  return EXIT_AGREE;
}

int main(int argc, char **argv)
{
  if (argc < 2 || argc > 3) {
    fprintf(stderr, "usage: exec_runner MODULE [REFERENCE]\n");
    return EXIT_USAGE;
  }
  setvbuf(stdout, NULL, _IOLBF, 0);
  module_path = argv[1];
  uint8_t *bytes, *reference_text = NULL;
  size_t size, reference_size;
  if (!read_file(argv[1], &bytes, &size))
    return EXIT_USAGE;
  transcript reference = {0};
  if (argc == 3) {
    if (!read_file(argv[2], &reference_text, &reference_size))
      return EXIT_USAGE;
    parse_reference((char *)reference_text,
                    &reference); /* before running: a bad file stops early */
  }
  run_module(bytes, size);
  int status = argc == 3 ? compare(&reference, &ours) : EXIT_AGREE;
  transcript_free(&reference);
  transcript_free(&ours);
  free(reference_text);
  free(bytes);
  return status;
}
