/*
 * wast_spectest.c - the "spectest" module that spec scripts import from, as
 * the reference interpreter and wasmtime provide it.
 *
 * The print functions return nothing; with -v they print their arguments the
 * way `wasmtime wast` does ("42: i32"), otherwise nothing.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli/wast.h"

static void wast_print_val(const wasmrt_val *val)
{
  switch (val->type) {
  case WASMRT_I32:
    printf("%" PRId32 ": i32\n", (int32_t)val->of.i32);
    return;
  case WASMRT_I64:
    printf("%" PRId64 ": i64\n", (int64_t)val->of.i64);
    return;
  case WASMRT_F32: {
    float f;
    memcpy(&f, &val->of.f32_bits, sizeof f);
    printf("%.9g: f32\n", (double)f);
    return;
  }
  case WASMRT_F64: {
    double d;
    memcpy(&d, &val->of.f64_bits, sizeof d);
    printf("%.17g: f64\n", d);
    return;
  }
  default:
    printf("?: %s\n", wasmrt_valtype_name(val->type));
    return;
  }
}

static const char *wast_print_0(void *env, const wasmrt_val *params, wasmrt_val *results)
{
  return NULL;
}

static const char *wast_print_1(void *env, const wasmrt_val *params, wasmrt_val *results)
{
  const wast_spectest *spectest = env;
  if (spectest->verbose)
    wast_print_val(&params[0]);
  return NULL;
}

static const char *wast_print_2(void *env, const wasmrt_val *params, wasmrt_val *results)
{
  const wast_spectest *spectest = env;
  if (spectest->verbose) {
    wast_print_val(&params[0]);
    wast_print_val(&params[1]);
  }
  return NULL;
}

static const struct {
  const char *name;
  size_t param_count;
  wasmrt_valtype params[2];
  wasmrt_host_callback callback;
} wast_spectest_funcs[] = {
    {"print", 0, {WASMRT_I32, WASMRT_I32}, wast_print_0},
    {"print_i32", 1, {WASMRT_I32, WASMRT_I32}, wast_print_1},
    {"print_i64", 1, {WASMRT_I64, WASMRT_I64}, wast_print_1},
    {"print_f32", 1, {WASMRT_F32, WASMRT_F32}, wast_print_1},
    {"print_f64", 1, {WASMRT_F64, WASMRT_F64}, wast_print_1},
    {"print_i32_f32", 2, {WASMRT_I32, WASMRT_F32}, wast_print_2},
    {"print_f64_f64", 2, {WASMRT_F64, WASMRT_F64}, wast_print_2},
};

#define WAST_SPECTEST_FUNC_COUNT (sizeof wast_spectest_funcs / sizeof wast_spectest_funcs[0])

static void wast_spectest_add(wast_spectest *spectest, const char *name, wasmrt_extern value)
{
  spectest->items[spectest->count].name = name;
  spectest->items[spectest->count].value = value;
  spectest->count++;
}

wasmrt_result wast_spectest_init(wast_spectest *spectest, wasmrt_store *store, bool verbose,
                                 wasmrt_error *error)
{
  memset(spectest, 0, sizeof *spectest);
  spectest->verbose = verbose;
  wasmrt_result result;
  for (size_t i = 0; i < WAST_SPECTEST_FUNC_COUNT; i++) {
    wasmrt_extern func = {.kind = WASMRT_EXTERN_FUNC};
    result = wasmrt_func_new_host(store, wast_spectest_funcs[i].params,
                                  wast_spectest_funcs[i].param_count, NULL, 0,
                                  wast_spectest_funcs[i].callback, spectest, &func.of.func, error);
    if (result != WASMRT_OK)
      return result;
    wast_spectest_add(spectest, wast_spectest_funcs[i].name, func);
  }

  float f32 = 666.6f;
  double f64 = 666.6;
  struct {
    const char *name;
    wasmrt_val init;
  } globals[4] = {
      {"global_i32", {.type = WASMRT_I32, .of.i32 = 666}},
      {"global_i64", {.type = WASMRT_I64, .of.i64 = 666}},
      {"global_f32", {.type = WASMRT_F32}},
      {"global_f64", {.type = WASMRT_F64}},
  };
  memcpy(&globals[2].init.of.f32_bits, &f32, sizeof f32);
  memcpy(&globals[3].init.of.f64_bits, &f64, sizeof f64);
  for (size_t i = 0; i < 4; i++) {
    wasmrt_extern global = {.kind = WASMRT_EXTERN_GLOBAL};
    result = wasmrt_global_new(store, globals[i].init.type, 0, &globals[i].init, &global.of.global,
                               error);
    if (result != WASMRT_OK)
      return result;
    wast_spectest_add(spectest, globals[i].name, global);
  }

  wasmrt_extern table = {.kind = WASMRT_EXTERN_TABLE};
  result = wasmrt_table_new(store, WASMRT_FUNCREF, 10, 1, 20, &table.of.table, error);
  if (result != WASMRT_OK)
    return result;
  wast_spectest_add(spectest, "table", table);

  wasmrt_extern memory = {.kind = WASMRT_EXTERN_MEMORY};
  result = wasmrt_memory_new(store, 1, 1, 2, &memory.of.memory, error);
  if (result != WASMRT_OK)
    return result;
  wast_spectest_add(spectest, "memory", memory);
  return WASMRT_OK;
}

bool wast_spectest_find(const wast_spectest *spectest, const char *name, size_t size,
                        wasmrt_extern *out)
{
  for (size_t i = 0; i < spectest->count; i++) {
    const char *item = spectest->items[i].name;
    if (strlen(item) == size && memcmp(item, name, size) == 0) {
      *out = spectest->items[i].value;
      return true;
    }
  }
  return false;
}
