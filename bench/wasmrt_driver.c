/*
 * wasmrt_driver.c - runs one kernel of bench/kernels/ compiled to WebAssembly in wasmrt, as
 * bench/native_driver.c and bench/node_driver.js run it natively and in V8.
 *
 *   wasmrt_driver FILE.wasm N
 *       Decodes and validates FILE (wasmrt_module_decode), compiles it for the host
 *       (wasmrt_compile), instantiates it with no imports, and times exactly one call of its
 *       export bench_run(N) (i32) -> i64. Prints "seconds checksum" (the checksum unsigned,
 *       in decimal); the decode, compile and instantiate times go to stderr.
 *   wasmrt_driver --compile-only FILE.wasm
 *       Times decoding plus compiling FILE (what V8's `new WebAssembly.Module` does) and
 *       prints "seconds bytes"; the two parts go to stderr.
 *
 * Any failure prints one line "error: <what>: <message>" on stdout and exits 1 (usage errors:
 * exit 2), so that scripts/bench-kernels.sh can show it as n/a.

 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "wasmrt.h"

static double now_seconds(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int fail(const char *what, const char *message)
{
  printf("error: %s: %s\n", what, message);
  return 1;
}

static int fail_api(const char *what, wasmrt_result result, const wasmrt_error *error)
{
  const char *message = error->message[0] ? error->message : wasmrt_errname(result);
  return fail(what, message);
}

/* Reads the whole file into a malloc'd buffer. Returns 0, or an errno value. */
static int read_file(const char *path, uint8_t **data_out, size_t *size_out)
{
  FILE *f = fopen(path, "rb");
  if (!f)
    return errno;
  uint8_t *data = NULL;
  size_t size = 0, capacity = 0;
  for (;;) {
    if (size == capacity) {
      capacity = capacity ? 2 * capacity : 1 << 16;
      uint8_t *bigger = realloc(data, capacity);
      if (!bigger) {
        free(data);
        fclose(f);
        return ENOMEM;
      }
      data = bigger;
    }
    size_t got = fread(data + size, 1, capacity - size, f);
    size += got;
    if (got == 0)
      break;
  }
  int failed = ferror(f) ? EIO : 0;
  fclose(f);
  if (failed) {
    free(data);
    return failed;
  }
  *data_out = data;
  *size_out = size;
  return 0;
}

static int usage(const char *program)
{
  fprintf(stderr, "usage: %s FILE.wasm N\n       %s --compile-only FILE.wasm\n", program, program);
  return 2;
}

int main(int argc, char **argv)
{
  int compile_only = argc == 3 && strcmp(argv[1], "--compile-only") == 0;
  if (argc != 3)
    return usage(argv[0]);
  const char *path = compile_only ? argv[2] : argv[1];
  unsigned long n = 0;
  if (!compile_only) {
    char *end;
    errno = 0;
    n = strtoul(argv[2], &end, 10);
    if (errno || *end || end == argv[2] || argv[2][0] == '-' || n > UINT32_MAX)
      return usage(argv[0]);
  }

  uint8_t *bytes = NULL;
  size_t size = 0;
  int err = read_file(path, &bytes, &size);
  if (err)
    return fail(path, strerror(err));

  wasmrt_error error;
  memset(&error, 0, sizeof error);
  wasmrt_module *module = NULL;
  double t0 = now_seconds();
  wasmrt_result r = wasmrt_module_decode(bytes, size, &module, &error);
  double t1 = now_seconds();
  free(bytes);
  if (r != WASMRT_OK)
    return fail_api("decode", r, &error);

  wasmrt_compiled *compiled = NULL;
  r = wasmrt_compile(module, WASMRT_TARGET_HOST, &compiled, &error);
  double t2 = now_seconds();
  if (r != WASMRT_OK) {
    wasmrt_module_free(module);
    return fail_api("compile", r, &error);
  }
  if (compile_only) {
    printf("%.6f %zu\n", t2 - t0, size);
    fprintf(stderr, "decode %.6f s, compile %.6f s\n", t1 - t0, t2 - t1);
    wasmrt_compiled_free(compiled);
    wasmrt_module_free(module);
    return 0;
  }

  int status = 1;
  wasmrt_store *store = NULL;
  wasmrt_instance *instance = NULL;
  r = wasmrt_store_new(&store, &error);
  if (r != WASMRT_OK) {
    fail_api("store", r, &error);
    goto done;
  }
  r = wasmrt_instantiate(store, compiled, NULL, 0, &instance, &error);
  double t3 = now_seconds();
  if (r != WASMRT_OK) {
    fail_api("instantiate", r, &error);
    goto done;
  }
  wasmrt_extern export;
  static const char name[] = "bench_run";
  if (wasmrt_instance_export(instance, name, sizeof name - 1, &export) != WASMRT_OK ||
      export.kind != WASMRT_EXTERN_FUNC) {
    fail("instantiate", "the module exports no function bench_run");
    goto done;
  }
  const wasmrt_valtype *params, *results;
  size_t param_count, result_count;
  wasmrt_func_type(export.of.func, &params, &param_count, &results, &result_count);
  if (param_count != 1 || params[0] != WASMRT_I32 || result_count != 1 ||
      results[0] != WASMRT_I64) {
    fail("instantiate", "bench_run is not (i32) -> i64");
    goto done;
  }

  wasmrt_val arg, result;
  memset(&arg, 0, sizeof arg);
  memset(&result, 0, sizeof result);
  arg.type = WASMRT_I32;
  arg.of.i32 = (uint32_t)n;
  double t4 = now_seconds();
  r = wasmrt_func_call(store, export.of.func, &arg, 1, &result, 1, &error);
  double t5 = now_seconds();
  if (r != WASMRT_OK) {
    fail_api("bench_run", r, &error);
    goto done;
  }
  printf("%.6f %llu\n", t5 - t4, (unsigned long long)result.of.i64);
  fprintf(stderr, "decode %.6f s, compile %.6f s, instantiate %.6f s\n", t1 - t0, t2 - t1, t3 - t2);
  status = 0;

done:
  wasmrt_store_free(store); /* frees the instance */
  wasmrt_compiled_free(compiled);
  wasmrt_module_free(module);
  return status;
}
