/*
 * cmd_run.c - `wasmrt run [--invoke FUNC] [--object FILE.wrtobj] FILE.wasm
 * [ARGS...]`: compile (or load a saved object), instantiate with no imports
 * and call one export, printing its results one per line as wasmtime does.
 *
 * Arguments are read by the function's parameter types: i32/i64 in decimal
 * or 0x hex, signed or unsigned; f32/f64 as C reads floats (also "nan",
 * "inf", hex floats). Results: integers in signed decimal, floats in the
 * shortest form that reads back to the same bits.
 *
 * Exit statuses: 0 success; 1 the module, object or call failed; 2 usage or
 * I/O errors; 134 a trap (as wasmtime), after "wasm trap: MESSAGE" on
 * stderr. Modules with imports are refused until WASI support exists.
 */
#include "cli/cli.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compiler/object_file.h"
#include "runtime/compiled.h"
#include "wasmrt.h"

enum { CLI_EXIT_TRAP = 134 };

/* An integer argument: optional sign, then decimal digits or 0x and hex
 * digits. Negative values down to -2^(bits-1), positive up to 2^bits - 1;
 * the result is the two's complement bit pattern. */
static bool run_parse_int(const char *s, unsigned bits, uint64_t *out)
{
  bool negative = false;
  if (*s == '-' || *s == '+') {
    negative = *s == '-';
    s++;
  }
  int base = 10;
  if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    base = 16;
    s += 2;
  }
  if (!(base == 16 ? isxdigit((unsigned char)*s) : isdigit((unsigned char)*s)))
    return false;
  errno = 0;
  char *end;
  unsigned long long magnitude = strtoull(s, &end, base);
  if (errno != 0 || *end != '\0')
    return false;
  uint64_t max_positive = bits == 64 ? UINT64_MAX : (UINT64_C(1) << bits) - 1;
  uint64_t max_negative = UINT64_C(1) << (bits - 1);
  if (negative ? magnitude > max_negative : magnitude > max_positive)
    return false;
  uint64_t v = negative ? (uint64_t)0 - magnitude : magnitude;
  *out = bits == 64 ? v : v & max_positive;
  return true;
}

static bool run_parse_arg(const char *s, wasmrt_valtype type, wasmrt_val *out)
{
  memset(out, 0, sizeof *out);
  out->type = type;
  char *end;
  uint64_t v;
  switch (type) {
  case WASMRT_I32:
    if (!run_parse_int(s, 32, &v))
      return false;
    out->of.i32 = (uint32_t)v;
    return true;
  case WASMRT_I64:
    if (!run_parse_int(s, 64, &v))
      return false;
    out->of.i64 = v;
    return true;
  case WASMRT_F32: {
    if (!*s || isspace((unsigned char)*s))
      return false;
    float f = strtof(s, &end);
    if (*end != '\0')
      return false;
    memcpy(&out->of.f32_bits, &f, 4);
    return true;
  }
  case WASMRT_F64: {
    if (!*s || isspace((unsigned char)*s))
      return false;
    double d = strtod(s, &end);
    if (*end != '\0')
      return false;
    memcpy(&out->of.f64_bits, &d, 8);
    return true;
  }
  default:
    return false;
  }
}

/* The shortest %g form of `d` that reads back as the same value. */
static void run_print_double(FILE *f, double d, int max_digits, bool is_float)
{
  if (isnan(d)) {
    fputs(signbit(d) ? "-nan\n" : "nan\n", f);
    return;
  }
  if (isinf(d)) {
    fputs(d < 0 ? "-inf\n" : "inf\n", f);
    return;
  }
  char buf[64];
  for (int digits = 1; digits <= max_digits; digits++) {
    snprintf(buf, sizeof buf, "%.*g", digits, d);
    if (is_float ? strtof(buf, NULL) == (float)d : strtod(buf, NULL) == d)
      break;
  }
  fprintf(f, "%s\n", buf);
}

static void run_print_val(FILE *f, const wasmrt_val *v)
{
  switch (v->type) {
  case WASMRT_I32:
    fprintf(f, "%" PRId32 "\n", (int32_t)v->of.i32);
    return;
  case WASMRT_I64:
    fprintf(f, "%" PRId64 "\n", (int64_t)v->of.i64);
    return;
  case WASMRT_F32: {
    float x;
    memcpy(&x, &v->of.f32_bits, 4);
    run_print_double(f, x, 9, true);
    return;
  }
  case WASMRT_F64: {
    double x;
    memcpy(&x, &v->of.f64_bits, 8);
    run_print_double(f, x, 17, false);
    return;
  }
  case WASMRT_V128:
    fputs("0x", f);
    for (int i = 15; i >= 0; i--)
      fprintf(f, "%02x", v->of.v128[i]);
    fputc('\n', f);
    return;
  case WASMRT_FUNCREF:
    fputs(v->of.funcref ? "<funcref>\n" : "null\n", f);
    return;
  case WASMRT_EXTERNREF:
    fputs(v->of.externref ? "<externref>\n" : "null\n", f);
    return;
  }
  fputs("?\n", f);
}

/* A name from the module for a one-line message: printable ASCII as is,
 * anything else as \xx. */
static void run_print_name(FILE *f, wasmrt_name n)
{
  for (size_t i = 0; i < n.size; i++) {
    unsigned char c = (unsigned char)n.data[i];
    if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\')
      fputc(c, f);
    else
      fprintf(f, "\\%02x", c);
  }
}

/* Reads and loads a saved object for `module`, refusing one whose code
 * cannot run here. NULL after printing why; *status is set. */
static wasmrt_compiled *run_load_object(const char *path, const wasmrt_module *module, int *status)
{
  uint8_t *bytes;
  size_t size;
  char why[256];
  if (cli_read_file(path, &bytes, &size, why, sizeof why) != 0) {
    fprintf(stderr, "wasmrt: %s: %s: %s\n", path, wasmrt_errname(WASMRT_ERROR_IO), why);
    *status = CLI_EXIT_USAGE;
    return NULL;
  }
  wasmrt_compiled *compiled = NULL;
  wasmrt_error error;
  wasmrt_result r = wasmrt_compiled_load(module, bytes, size, &compiled, &error);
  free(bytes);
  if (r == WASMRT_OK)
    r = wr_object_check_host(compiled->object, &error);
  if (r != WASMRT_OK) {
    fprintf(stderr, "wasmrt: %s: %s: %s\n", path, wasmrt_errname(r), error.message);
    *status = r == WASMRT_ERROR_NOMEM ? CLI_EXIT_USAGE : CLI_EXIT_REJECTED;
    wasmrt_compiled_free(compiled);
    return NULL;
  }
  return compiled;
}

int cli_cmd_run(int argc, char **argv)
{
  const char *input = NULL, *invoke = NULL, *object = NULL;
  int first_arg = argc;
  for (int i = 1; i < argc; i++) {
    const char *arg = argv[i];
    if (strcmp(arg, "--invoke") == 0 || strcmp(arg, "--object") == 0) {
      if (i + 1 >= argc) {
        fprintf(stderr, "wasmrt run: %s needs a value (see 'wasmrt help run')\n", arg);
        return CLI_EXIT_USAGE;
      }
      *(arg[2] == 'i' ? &invoke : &object) = argv[++i];
    } else if (strncmp(arg, "--invoke=", 9) == 0) {
      invoke = arg + 9;
    } else if (strncmp(arg, "--object=", 9) == 0) {
      object = arg + 9;
    } else if (strcmp(arg, "--") == 0) {
      if (i + 1 < argc) {
        input = argv[i + 1];
        first_arg = i + 2;
      }
      break;
    } else if (arg[0] == '-' && arg[1] != '\0') {
      fprintf(stderr, "wasmrt run: unknown option '%s' (see 'wasmrt help run')\n", arg);
      return CLI_EXIT_USAGE;
    } else {
      /* The module; everything after it is its arguments. */
      input = arg;
      first_arg = i + 1;
      break;
    }
  }
  if (!input) {
    fprintf(stderr, "wasmrt run: no input file (see 'wasmrt help run')\n");
    return CLI_EXIT_USAGE;
  }
  if (invoke && !*invoke) {
    fprintf(stderr, "wasmrt run: --invoke needs a function name\n");
    return CLI_EXIT_USAGE;
  }
  int arg_count = argc - first_arg;

  int status = CLI_EXIT_REJECTED;
  uint8_t *bytes = NULL;
  size_t size;
  char why[256];
  wasmrt_module *module = NULL;
  wasmrt_compiled *compiled = NULL;
  wasmrt_store *store = NULL;
  wasmrt_instance *instance = NULL;
  wasmrt_val *args = NULL, *results = NULL;
  wasmrt_error error;
  wasmrt_result r;
  if (cli_read_file(input, &bytes, &size, why, sizeof why) != 0) {
    fprintf(stderr, "wasmrt: %s: %s: %s\n", input, wasmrt_errname(WASMRT_ERROR_IO), why);
    return CLI_EXIT_USAGE;
  }
  r = wasmrt_module_decode(bytes, size, &module, &error);
  free(bytes);
  if (r != WASMRT_OK)
    goto fail;
  if (wasmrt_module_import_count(module) > 0) {
    wasmrt_import_info imp;
    if (wasmrt_module_import(module, 0, &imp) == WASMRT_OK) {
      fprintf(stderr, "wasmrt: %s: module imports \"", input);
      run_print_name(stderr, imp.module);
      fputs("\" \"", stderr);
      run_print_name(stderr, imp.name);
      fputs("\"; running modules with imports needs WASI support (not in this version)\n", stderr);
    }
    goto done;
  }

  /* The function and its arguments are checked against the module before
   * anything is compiled: a usage error costs no compilation. */
  const char *name = invoke ? invoke : "_start";
  wasmrt_export_info exp;
  bool found = false;
  for (size_t i = 0; i < wasmrt_module_export_count(module) && !found; i++)
    found = wasmrt_module_export(module, i, &exp) == WASMRT_OK && exp.name.size == strlen(name) &&
            memcmp(exp.name.data, name, exp.name.size) == 0;
  if (!found) {
    if (invoke)
      fprintf(stderr, "wasmrt: %s: no export named \"%s\"\n", input, name);
    else
      fprintf(stderr,
              "wasmrt: %s: module has no \"_start\" export; say which function to call with "
              "--invoke FUNC\n",
              input);
    status = invoke ? CLI_EXIT_REJECTED : CLI_EXIT_USAGE;
    goto done;
  }
  if (exp.kind != WASMRT_EXTERN_FUNC) {
    fprintf(stderr, "wasmrt: %s: export \"%s\" is not a function\n", input, name);
    goto done;
  }
  const wr_module *m = module->decoded;
  const wr_functype *type = &m->types[m->functions[exp.index].type_index];
  const uint8_t *params = wr_functype_params(m, type);
  size_t param_count = type->param_count, result_count = type->result_count;
  if ((size_t)arg_count != param_count) {
    fprintf(stderr, "wasmrt run: %s takes %zu argument%s (", name, param_count,
            param_count == 1 ? "" : "s");
    for (size_t i = 0; i < param_count; i++)
      fprintf(stderr, "%s%s", i ? " " : "", wasmrt_valtype_name((wasmrt_valtype)params[i]));
    fprintf(stderr, "), %d given\n", arg_count);
    status = CLI_EXIT_USAGE;
    goto done;
  }
  args = calloc(param_count ? param_count : 1, sizeof *args);
  results = calloc(result_count ? result_count : 1, sizeof *results);
  if (!args || !results) {
    fprintf(stderr, "wasmrt: %s: out of memory\n", input);
    status = CLI_EXIT_USAGE;
    goto done;
  }
  for (size_t i = 0; i < param_count; i++) {
    const char *text = argv[first_arg + (int)i];
    wasmrt_valtype t = (wasmrt_valtype)params[i];
    if (!run_parse_arg(text, t, &args[i])) {
      fprintf(stderr, "wasmrt run: argument %zu of %s: '%s' is not %s %s\n", i + 1, name, text,
              t == WASMRT_I32 || t == WASMRT_I64 ? "an" : "a", wasmrt_valtype_name(t));
      status = CLI_EXIT_USAGE;
      goto done;
    }
  }

  if (object) {
    compiled = run_load_object(object, module, &status);
    if (!compiled)
      goto done;
  } else {
    r = wasmrt_compile(module, WASMRT_TARGET_HOST, &compiled, &error);
    if (r != WASMRT_OK)
      goto fail;
  }
  r = wasmrt_store_new(&store, &error);
  if (r != WASMRT_OK)
    goto fail;
  r = wasmrt_instantiate(store, compiled, NULL, 0, &instance, &error);
  if (r != WASMRT_OK)
    goto fail;
  wasmrt_extern ext;
  if (wasmrt_instance_export(instance, name, strlen(name), &ext) != WASMRT_OK ||
      ext.kind != WASMRT_EXTERN_FUNC) {
    fprintf(stderr, "wasmrt: %s: the instance has no function export \"%s\"\n", input, name);
    goto done;
  }
  r = wasmrt_func_call(store, ext.of.func, args, param_count, results, result_count, &error);
  if (r != WASMRT_OK)
    goto fail;
  for (size_t i = 0; i < result_count; i++)
    run_print_val(stdout, &results[i]);
  if (fflush(stdout) != 0 || ferror(stdout)) {
    fprintf(stderr, "wasmrt run: writing output failed\n");
    status = CLI_EXIT_USAGE;
    goto done;
  }
  status = CLI_EXIT_OK;
  goto done;

fail:
  if (r == WASMRT_ERROR_TRAP) {
    fflush(stdout);
    /* The runtime's message may already say "wasm trap: ". */
    const char *prefix = "wasm trap: ";
    fprintf(stderr, "%s%s\n", strncmp(error.message, prefix, strlen(prefix)) ? prefix : "",
            error.message);
    status = CLI_EXIT_TRAP;
  } else {
    fprintf(stderr, "wasmrt: %s: %s: %s\n", input, wasmrt_errname(r), error.message);
    status = r == WASMRT_ERROR_NOMEM ? CLI_EXIT_USAGE : CLI_EXIT_REJECTED;
  }
done:
  free(args);
  free(results);
  wasmrt_store_free(store);
  wasmrt_compiled_free(compiled);
  wasmrt_module_free(module);
  return status;
}
