/*
 * test_frame_maps.c - the cross-target frame-map test: each module compiled
 * for x86_64 and for arm64 must record the same frames (docs/BACKEND.md,
 * "Portable frames by construction"), since a frame stopped on one
 * architecture is to be rebuilt on the other.
 *
 *   test_frame_maps PATH...
 *
 * PATH is a .wasm file or a folder, whose *.wasm files are taken in name
 * order. Each module is compiled for both targets through the internal API
 * (wr_compile_module), and the two objects are compared: the same function
 * count; per function the same parameter count, local count and local
 * types, and the same number of frame points; point by point, in the order
 * the objects list them, the same function index, wasm offset, kind,
 * operand-stack depth and operand types. Native offsets, code and frame
 * sizes, and trap sites are the targets' own and are not compared.
 *
 * Skipped, and counted: modules that do not decode or validate (the spec
 * suite's assert_malformed/assert_invalid modules), and modules both
 * targets refuse as WASMRT_ERROR_UNSUPPORTED (SIMD). Any other compile
 * failure on either target fails the test, as does any difference.
 *
 * Prints
 *   frame maps: N modules, M points, identical (S skipped: I invalid, U SIMD)
 * or, at the first difference, one line naming module, function and point,
 * both sides' values, and exits 1. Exit status 2: usage or I/O errors.
 */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "compiler/codegen.h"
#include "compiler/module.h"
#include "compiler/object.h"
#include "runtime/compiled.h"
#include "wasmrt.h"

typedef struct totals {
  unsigned long modules, points, invalid, simd;
} totals;

/* Prints "frame maps: MODULE: ..." and exits with `status`. */
_Noreturn static void quit(int status, const char *module, const char *format, ...)
{
  va_list ap;
  va_start(ap, format);
  fprintf(stderr, "frame maps: %s: ", module);
  vfprintf(stderr, format, ap);
  fputc('\n', stderr);
  va_end(ap);
  exit(status);
}

static uint8_t *read_file(const char *path, size_t *size)
{
  FILE *f = fopen(path, "rb");
  if (!f)
    quit(2, path, "cannot open: %s", strerror(errno));
  size_t cap = 1 << 16, n = 0, k;
  uint8_t *data = malloc(cap);
  while (data && (k = fread(data + n, 1, cap - n, f)) > 0) {
    n += k;
    if (n == cap)
      data = realloc(data, cap *= 2);
  }
  if (!data || ferror(f))
    quit(2, path, "cannot read");
  fclose(f);
  *size = n;
  return data;
}

/* "i32 f64 ..." for `count` types at `types` (truncated to fit `buf`). */
static const char *type_list(const uint8_t *types, uint32_t count, char *buf, size_t size)
{
  size_t n = 0;
  buf[0] = '\0';
  for (uint32_t i = 0; i < count && n < size; i++)
    n += (size_t)snprintf(buf + n, size - n, "%s%s", i ? " " : "", wr_valtype_name(types[i]));
  return count ? buf : "none";
}

static const char *kind_name(uint8_t kind)
{
  switch (kind) {
  case WR_POINT_ENTRY:
    return "entry";
  case WR_POINT_LOOP:
    return "loop";
  case WR_POINT_CALL:
    return "call";
  }
  return "unknown";
}

static const char *point_text(const wr_object *o, const wr_frame_point *p, char *buf, size_t size)
{
  char types[200];
  snprintf(buf, size, "{%s at wasm offset 0x%x in function %u, depth %u: %s}", kind_name(p->kind),
           p->wasm_offset, p->func_index, p->stack_depth,
           type_list(o->type_pool + p->types, p->stack_depth, types, sizeof types));
  return buf;
}

static bool same_point(const wr_object *a, const wr_frame_point *p, const wr_object *b,
                       const wr_frame_point *q)
{
  return p->func_index == q->func_index && p->wasm_offset == q->wasm_offset && p->kind == q->kind &&
         p->stack_depth == q->stack_depth &&
         memcmp(a->type_pool + p->types, b->type_pool + q->types, p->stack_depth) == 0;
}

/* Where `p` of object a is among b's points, or -1: tells a point in
 * another order from a point that is not there. */
static long find_point(const wr_object *a, const wr_frame_point *p, const wr_object *b)
{
  for (uint32_t i = 0; i < b->point_count; i++)
    if (same_point(a, p, b, &b->points[i]))
      return (long)i;
  return -1;
}

/* Compares defined function `i` (function index `fi`) of both objects. */
static void compare_function(const char *module, uint32_t i, uint32_t fi, const wr_object *x,
                             const wr_object *a)
{
  const wr_func_code *f = &x->funcs[i], *g = &a->funcs[i];
  char xs[300], as[300];
  if (f->param_count != g->param_count || f->local_count != g->local_count ||
      memcmp(x->type_pool + f->local_types, a->type_pool + g->local_types, f->local_count) != 0)
    quit(1, module,
         "function %u: x86_64 has %u params and the locals %s; arm64 %u params and the locals %s",
         fi, f->param_count,
         type_list(x->type_pool + f->local_types, f->local_count, xs, sizeof xs), g->param_count,
         type_list(a->type_pool + g->local_types, g->local_count, as, sizeof as));
  if (f->point_count != g->point_count)
    quit(1, module, "function %u: x86_64 records %u frame points, arm64 %u", fi, f->point_count,
         g->point_count);
  for (uint32_t k = 0; k < f->point_count; k++) {
    const wr_frame_point *p = &x->points[f->first_point + k], *q = &a->points[g->first_point + k];
    if (same_point(x, p, a, q))
      continue;
    long elsewhere = find_point(x, p, a);
    quit(1, module, "function %u, point %u: x86_64 %s, arm64 %s%s", fi, k,
         point_text(x, p, xs, sizeof xs), point_text(a, q, as, sizeof as),
         elsewhere >= 0 ? " (arm64 records the x86_64 point too, in another place of the order)"
                        : "");
  }
}

static void compare_objects(const char *module, const wr_module *m, const wr_object *x,
                            const wr_object *a, totals *t)
{
  if (x->func_count != a->func_count)
    quit(1, module, "x86_64 has %u functions, arm64 %u", x->func_count, a->func_count);
  for (uint32_t i = 0; i < x->func_count; i++)
    compare_function(module, i, m->imported_function_count + i, x, a);
  /* Every point belongs to a function; this catches one that does not. */
  if (x->point_count != a->point_count)
    quit(1, module, "x86_64 records %u frame points, arm64 %u", x->point_count, a->point_count);
  t->points += x->point_count;
}

static void check_module(const char *path, totals *t)
{
  size_t size;
  uint8_t *bytes = read_file(path, &size);
  wasmrt_module *module = NULL;
  wasmrt_error err;
  if (wasmrt_module_decode(bytes, size, &module, &err) != WASMRT_OK) {
    t->invalid++;
    free(bytes);
    return;
  }
  free(bytes);
  const wr_module *m = module->decoded;
  wr_object *x = NULL, *a = NULL;
  wasmrt_error xerr, aerr;
  wasmrt_result xr = wr_compile_module(m, &wr_target_x86_64, &x, &xerr);
  wasmrt_result ar = wr_compile_module(m, &wr_target_arm64, &a, &aerr);
  if (xr == WASMRT_ERROR_UNSUPPORTED && ar == WASMRT_ERROR_UNSUPPORTED &&
      strcmp(xerr.message, aerr.message) == 0) {
    t->simd++;
  } else if (xr != WASMRT_OK || ar != WASMRT_OK) {
    quit(1, path, "x86_64: %s; arm64: %s", xr == WASMRT_OK ? "compiled" : xerr.message,
         ar == WASMRT_OK ? "compiled" : aerr.message);
  } else {
    compare_objects(path, m, x, a, t);
    t->modules++;
  }
  wr_object_free(x);
  wr_object_free(a);
  wasmrt_module_free(module);
}

static int compare_names(const void *p, const void *q)
{
  return strcmp(*(char *const *)p, *(char *const *)q);
}

static bool is_wasm(const char *name)
{
  size_t n = strlen(name);
  return n > 5 && strcmp(name + n - 5, ".wasm") == 0;
}

/* Every *.wasm in `dir`, in name order. */
static void check_folder(const char *dir, totals *t)
{
  DIR *d = opendir(dir);
  if (!d)
    quit(2, dir, "cannot open folder: %s", strerror(errno));
  char **names = NULL;
  size_t count = 0, cap = 0;
  struct dirent *e;
  while ((e = readdir(d))) {
    if (!is_wasm(e->d_name))
      continue;
    if (count == cap && !(names = realloc(names, (cap = cap ? 2 * cap : 256) * sizeof *names)))
      quit(2, dir, "out of memory");
    size_t n = strlen(dir) + strlen(e->d_name) + 2;
    if (!(names[count] = malloc(n)))
      quit(2, dir, "out of memory");
    snprintf(names[count++], n, "%s/%s", dir, e->d_name);
  }
  closedir(d);
  if (count)
    qsort(names, count, sizeof *names, compare_names);
  for (size_t i = 0; i < count; i++) {
    check_module(names[i], t);
    free(names[i]);
  }
  free(names);
}

int main(int argc, char **argv)
{
  if (argc < 2) {
    fprintf(stderr, "usage: test_frame_maps PATH...   (.wasm files or folders of them)\n");
    return 2;
  }
  totals t = {0};
  for (int i = 1; i < argc; i++) {
    struct stat st;
    if (stat(argv[i], &st) != 0)
      quit(2, argv[i], "%s", strerror(errno));
    if (S_ISDIR(st.st_mode))
      check_folder(argv[i], &t);
    else
      check_module(argv[i], &t);
  }
  if (!t.modules)
    quit(1, argv[1], "no module compiled, nothing compared");
  printf("frame maps: %lu modules, %lu points, identical (%lu skipped: %lu invalid, %lu SIMD)\n",
         t.modules, t.points, t.invalid + t.simd, t.invalid, t.simd);
  return 0;
}
