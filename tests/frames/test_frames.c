/*
 * test_frames.c - suspend a running instance at a loop back-edge and at a
 * function entry, and read every frame back through the frame maps as
 * (function index, wasm offset, typed locals, typed operands), checked
 * against the values frames.wat put there.
 *
 * Usage: test_frames FRAMES.wasm (built from frames.wat at build time).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "runtime/compiled.h"
#include "runtime/frames.h"
#include "wasmrt.h"

enum { FUNC_REQUEST = 0, FUNC_INNER = 1, FUNC_RUN = 2, FUNC_LOOP = 3, FUNC_ENTRY = 4 };

#define MAX_FRAMES 8
#define MAX_VALUES 8

typedef struct seen_frame {
  uint32_t func_index, wasm_offset;
  wr_point_kind kind;
  uint32_t local_count, operand_count;
  wasmrt_val locals[MAX_VALUES], operands[MAX_VALUES];
} seen_frame;

typedef struct fixture {
  uint8_t *bytes;
  size_t size;
  wasmrt_module *module;
  wasmrt_compiled *compiled;
  wasmrt_store *store;
  wasmrt_instance *instance;
  int suspensions;
  seen_frame frames[MAX_FRAMES];
  int frame_count;
  char walk_error[WASMRT_ERROR_MESSAGE_SIZE];
} fixture;

static const char *wasm_path;

static const char *host_request(void *env, const wasmrt_val *params, wasmrt_val *results)
{
  (void)params;
  (void)results;
  fixture *f = env;
  wr_store_request_suspend(f->store);
  return NULL;
}

static void on_suspend(void *env, const wr_stack_view *stack)
{
  fixture *f = env;
  /* Keep the frames of the first suspension; count the others. */
  if (f->suspensions++ > 0)
    return;
  wr_frame_iter it;
  wr_frame fr;
  wasmrt_error err;
  int rc;
  wr_frame_iter_init(&it, stack);
  while ((rc = wr_frame_iter_next(&it, &fr, &err)) == 1 && f->frame_count < MAX_FRAMES) {
    seen_frame *s = &f->frames[f->frame_count++];
    s->func_index = fr.func_index;
    s->wasm_offset = fr.wasm_offset;
    s->kind = fr.kind;
    s->local_count = fr.local_count;
    s->operand_count = fr.operand_count;
    for (uint32_t i = 0; i < fr.local_count && i < MAX_VALUES; i++)
      s->locals[i] = fr.locals[i];
    for (uint32_t i = 0; i < fr.operand_count && i < MAX_VALUES; i++)
      s->operands[i] = fr.operands[i];
  }
  if (rc < 0)
    snprintf(f->walk_error, sizeof f->walk_error, "%s", err.message);
  wr_frame_iter_free(&it);
}

static int setup(void **state)
{
  fixture *f = calloc(1, sizeof *f);
  FILE *in = fopen(wasm_path, "rb");
  assert_non_null(in);
  fseek(in, 0, SEEK_END);
  f->size = (size_t)ftell(in);
  rewind(in);
  f->bytes = malloc(f->size);
  assert_int_equal(fread(f->bytes, 1, f->size, in), f->size);
  fclose(in);
  wasmrt_error err;
  assert_int_equal(wasmrt_module_decode(f->bytes, f->size, &f->module, &err), WASMRT_OK);
  assert_int_equal(wasmrt_compile(f->module, WASMRT_TARGET_HOST, &f->compiled, &err), WASMRT_OK);
  assert_int_equal(wasmrt_store_new(&f->store, &err), WASMRT_OK);
  wasmrt_extern import = {WASMRT_EXTERN_FUNC, {0}};
  assert_int_equal(
      wasmrt_func_new_host(f->store, NULL, 0, NULL, 0, host_request, f, &import.of.func, &err),
      WASMRT_OK);
  assert_int_equal(wasmrt_instantiate(f->store, f->compiled, &import, 1, &f->instance, &err),
                   WASMRT_OK);
  wr_store_set_suspend_hook(f->store, on_suspend, f);
  *state = f;
  return 0;
}

static int teardown(void **state)
{
  fixture *f = *state;
  wasmrt_store_free(f->store);
  wasmrt_compiled_free(f->compiled);
  wasmrt_module_free(f->module);
  free(f->bytes);
  free(f);
  return 0;
}

static int32_t call_export(fixture *f, const char *name, int32_t x)
{
  wasmrt_extern e;
  wasmrt_error err;
  assert_int_equal(wasmrt_instance_export(f->instance, name, strlen(name), &e), WASMRT_OK);
  wasmrt_val arg = {WASMRT_I32, {.i32 = (uint32_t)x}}, result;
  assert_int_equal(wasmrt_func_call(f->store, e.of.func, &arg, 1, &result, 1, &err), WASMRT_OK);
  return (int32_t)result.of.i32;
}

/* The instruction a point's wasm offset names, and that it lies inside the
 * function's body. */
static void check_offset(const fixture *f, const seen_frame *s, uint8_t opcode, int operand)
{
  const wr_module *m = f->compiled->module;
  const wr_function *fn = &m->functions[s->func_index];
  assert_true(s->wasm_offset >= fn->body.offset);
  assert_true(s->wasm_offset < fn->body.offset + fn->body.size);
  if (s->kind == WR_POINT_ENTRY) {
    assert_int_equal(s->wasm_offset, fn->body.offset);
    return;
  }
  assert_int_equal(f->bytes[s->wasm_offset], opcode);
  if (operand >= 0)
    assert_int_equal(f->bytes[s->wasm_offset + 1], operand);
}

static void check_val(const wasmrt_val *v, wasmrt_valtype type, uint64_t bits)
{
  assert_int_equal(v->type, type);
  switch (type) {
  case WASMRT_I32:
    assert_int_equal(v->of.i32, (uint32_t)bits);
    break;
  case WASMRT_F32:
    assert_int_equal(v->of.f32_bits, (uint32_t)bits);
    break;
  default:
    assert_int_equal(v->of.i64, bits);
    break;
  }
}

static uint64_t f64_bits(double d)
{
  uint64_t b;
  memcpy(&b, &d, 8);
  return b;
}

static uint32_t f32_bits(float x)
{
  uint32_t b;
  memcpy(&b, &x, 4);
  return b;
}

/* $run waiting at its call of $inner, and the export below it. */
static void check_outer_frames(const fixture *f, int32_t x, int32_t early, uint32_t export_func)
{
  const seen_frame *run = &f->frames[1];
  assert_int_equal(run->func_index, FUNC_RUN);
  assert_int_equal(run->kind, WR_POINT_CALL);
  check_offset(f, run, 0x10, FUNC_INNER);
  assert_int_equal(run->local_count, 4);
  check_val(&run->locals[0], WASMRT_I32, (uint32_t)x);
  check_val(&run->locals[1], WASMRT_I32, (uint32_t)early);
  check_val(&run->locals[2], WASMRT_I64, (uint64_t)-42);
  check_val(&run->locals[3], WASMRT_I32, 0);
  assert_int_equal(run->operand_count, 2);
  check_val(&run->operands[0], WASMRT_I64, 99);
  check_val(&run->operands[1], WASMRT_I32, 11);

  const seen_frame *exp = &f->frames[2];
  assert_int_equal(exp->func_index, export_func);
  assert_int_equal(exp->kind, WR_POINT_CALL);
  check_offset(f, exp, 0x10, FUNC_RUN);
  assert_int_equal(exp->local_count, 1);
  check_val(&exp->locals[0], WASMRT_I32, (uint32_t)x);
  assert_int_equal(exp->operand_count, 0);
}

static void test_suspend_at_loop_back_edge(void **state)
{
  fixture *f = *state;
  assert_int_equal(call_export(f, "loop", 30), 30 + 7 + 11);
  assert_string_equal(f->walk_error, "");
  /* Once taken, the request is gone: later loop headers pass. */
  assert_int_equal(f->suspensions, 1);
  assert_int_equal(f->frame_count, 3);

  const seen_frame *inner = &f->frames[0];
  assert_int_equal(inner->func_index, FUNC_INNER);
  assert_int_equal(inner->kind, WR_POINT_LOOP);
  check_offset(f, inner, 0x03, -1);
  assert_int_equal(inner->local_count, 4);
  check_val(&inner->locals[0], WASMRT_I32, 30);
  check_val(&inner->locals[1], WASMRT_F64, f64_bits(1.5));
  check_val(&inner->locals[2], WASMRT_I64, 3); /* requested when $i reached 3 */
  check_val(&inner->locals[3], WASMRT_F32, f32_bits(2.5f));
  assert_int_equal(inner->operand_count, 1);
  check_val(&inner->operands[0], WASMRT_I32, 7);

  check_outer_frames(f, 30, 0, FUNC_LOOP);
}

static void test_suspend_at_function_entry(void **state)
{
  fixture *f = *state;
  assert_int_equal(call_export(f, "entry", -5), -5 + 7 + 11);
  assert_string_equal(f->walk_error, "");
  /* Requested again by the loop, after this first one. */
  assert_int_equal(f->suspensions, 2);
  assert_int_equal(f->frame_count, 3);

  const seen_frame *inner = &f->frames[0];
  assert_int_equal(inner->func_index, FUNC_INNER);
  assert_int_equal(inner->kind, WR_POINT_ENTRY);
  check_offset(f, inner, 0, -1);
  assert_int_equal(inner->local_count, 4);
  check_val(&inner->locals[0], WASMRT_I32, (uint32_t)-5);
  check_val(&inner->locals[1], WASMRT_F64, f64_bits(1.5));
  check_val(&inner->locals[2], WASMRT_I64, 0);
  check_val(&inner->locals[3], WASMRT_F32, 0);
  assert_int_equal(inner->operand_count, 0);

  check_outer_frames(f, -5, 1, FUNC_ENTRY);
}

int main(int argc, char **argv)
{
  if (argc != 2) {
    fprintf(stderr, "usage: test_frames FRAMES.wasm\n");
    return 2;
  }
  wasm_path = argv[1];
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_suspend_at_loop_back_edge, setup, teardown),
      cmocka_unit_test_setup_teardown(test_suspend_at_function_entry, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
