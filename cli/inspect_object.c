/*
 * inspect_object.c - `wasmrt inspect FILE.wrtobj`: what a saved object holds
 * (cmd_inspect.c dispatches here when a file starts with the object magic).
 *
 * The object is read without its module, so every check that needs no
 * module runs (docs/OBJECT.md), and one for another target is shown too.
 * Functions are listed by their position among the defined functions: the
 * number of imported functions is the module's, which inspect does not see.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "compiler/object_file.h"

static const char *inspect_point_kind(uint8_t kind)
{
  static const char *const names[] = {"entry", "loop", "call"};
  return kind < sizeof names / sizeof names[0] ? names[kind] : "unknown";
}

static void inspect_hash(FILE *f, const uint8_t *hash)
{
  for (int i = 0; i < WR_OBJECT_HASH_SIZE; i++)
    fprintf(f, "%02x", hash[i]);
}

static void inspect_object_text(FILE *f, const char *path, size_t size, const wr_object *o)
{
  fprintf(f, "%s: wasmrt object, %zu bytes\n", path, size);
  fprintf(f, "format version: %u\n", WR_OBJECT_FORMAT_VERSION);
  fprintf(f, "target: %s\n", wr_object_target_name(o->target));
  fputs("module hash: ", f);
  inspect_hash(f, o->module_hash);
  fprintf(f, "\ncode: %zu bytes\n", o->code_size);
  fprintf(f, "functions: %u\n", o->func_count);
  fprintf(f, "trap sites: %u\n", o->trap_count);
  fprintf(f, "frame points: %u\n", o->point_count);
  fprintf(f, "type pool: %u bytes\n", o->type_pool_size);

  fprintf(f, "\nfunctions (%u, by position among the defined functions):\n", o->func_count);
  for (uint32_t i = 0; i < o->func_count; i++) {
    const wr_func_code *fc = &o->funcs[i];
    fprintf(f, "  %u: code 0x%08x size %6u, %u params, %u locals, frame %u bytes, %u points\n", i,
            fc->code_offset, fc->code_size, fc->param_count, fc->local_count, fc->frame_size,
            fc->point_count);
  }
  fprintf(f, "\ntrap sites (%u):\n", o->trap_count);
  for (uint32_t i = 0; i < o->trap_count; i++) {
    const wr_trap_site *t = &o->traps[i];
    fprintf(f, "  native 0x%08x function %u wasm 0x%08x %s\n", t->native_offset, t->func_index,
            t->wasm_offset, wasmrt_trap_message((wasmrt_trap_kind)t->kind));
  }
  fprintf(f, "\nframe points (%u):\n", o->point_count);
  for (uint32_t i = 0; i < o->point_count; i++) {
    const wr_frame_point *p = &o->points[i];
    fprintf(f, "  native 0x%08x function %u wasm 0x%08x %-5s stack (", p->native_offset,
            p->func_index, p->wasm_offset, inspect_point_kind(p->kind));
    for (uint32_t k = 0; k < p->stack_depth; k++)
      fprintf(f, "%s%s", k ? " " : "", wr_valtype_name(o->type_pool[p->types + k]));
    fputs(")\n", f);
  }
}

static void inspect_object_json(FILE *f, const char *path, size_t size, const wr_object *o)
{
  fputs("{\"file\": \"", f);
  for (const char *c = path; *c; c++) {
    unsigned char ch = (unsigned char)*c;
    if (ch == '"' || ch == '\\')
      fprintf(f, "\\%c", ch);
    else if (ch < 0x20 || ch == 0x7f)
      fprintf(f, "\\u%04x", ch);
    else
      fputc(ch, f);
  }
  fprintf(f, "\", \"size\": %zu, \"kind\": \"wasmrt object\", \"format_version\": %u,\n", size,
          WR_OBJECT_FORMAT_VERSION);
  fprintf(f, " \"target\": \"%s\", \"module_hash\": \"", wr_object_target_name(o->target));
  inspect_hash(f, o->module_hash);
  fprintf(f,
          "\",\n \"code_size\": %zu, \"function_count\": %u, \"trap_site_count\": %u, "
          "\"frame_point_count\": %u, \"type_pool_size\": %u,\n \"functions\": [",
          o->code_size, o->func_count, o->trap_count, o->point_count, o->type_pool_size);
  for (uint32_t i = 0; i < o->func_count; i++) {
    const wr_func_code *fc = &o->funcs[i];
    fprintf(f,
            "%s\n  {\"code_offset\": %u, \"code_size\": %u, \"params\": %u, \"locals\": %u, "
            "\"frame_size\": %u, \"first_point\": %u, \"points\": %u}",
            i ? "," : "", fc->code_offset, fc->code_size, fc->param_count, fc->local_count,
            fc->frame_size, fc->first_point, fc->point_count);
  }
  fputs("],\n \"trap_sites\": [", f);
  for (uint32_t i = 0; i < o->trap_count; i++) {
    const wr_trap_site *t = &o->traps[i];
    fprintf(f,
            "%s\n  {\"native_offset\": %u, \"function\": %u, \"wasm_offset\": %u, "
            "\"kind\": %u}",
            i ? "," : "", t->native_offset, t->func_index, t->wasm_offset, t->kind);
  }
  fputs("],\n \"frame_points\": [", f);
  for (uint32_t i = 0; i < o->point_count; i++) {
    const wr_frame_point *p = &o->points[i];
    fprintf(f,
            "%s\n  {\"native_offset\": %u, \"function\": %u, \"wasm_offset\": %u, "
            "\"kind\": \"%s\", \"stack\": [",
            i ? "," : "", p->native_offset, p->func_index, p->wasm_offset,
            inspect_point_kind(p->kind));
    for (uint32_t k = 0; k < p->stack_depth; k++)
      fprintf(f, "%s\"%s\"", k ? ", " : "", wr_valtype_name(o->type_pool[p->types + k]));
    fputs("]}", f);
  }
  fputs("]}\n", f);
}

int cli_inspect_object(const char *path, const uint8_t *bytes, size_t size, bool json)
{
  wr_object *o = NULL;
  wasmrt_error error;
  wasmrt_result r = wr_object_read(bytes, size, NULL, &o, &error);
  if (r != WASMRT_OK) {
    fprintf(stderr, "%s: %s: %s\n", path, wasmrt_errname(r), error.message);
    return r == WASMRT_ERROR_NOMEM ? CLI_EXIT_USAGE : CLI_EXIT_REJECTED;
  }
  if (json)
    inspect_object_json(stdout, path, size, o);
  else
    inspect_object_text(stdout, path, size, o);
  wr_object_free(o);
  if (fflush(stdout) != 0 || ferror(stdout)) {
    fprintf(stderr, "wasmrt inspect: writing output failed\n");
    return CLI_EXIT_USAGE;
  }
  return CLI_EXIT_OK;
}
