/*
 * cmd_inspect.c - `wasmrt inspect FILE [--json]`: the structure of a module,
 * or of a saved object (inspect_object.c) when FILE starts with its magic.
 *
 * Reads the decoded module (compiler/module.h) directly: inspect is part of
 * the toolchain, not an embedder, so it may see more than the public API.
 * Text output is for people; --json output is one object for machines, with
 * every name escaped as JSON requires.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "compiler/module.h"
#include "compiler/object_file.h"

static const char *const inspect_kind_names[] = {"func", "table", "memory", "global"};

/* Writes `size` bytes of UTF-8 as a JSON string body (without quotes). */
static void inspect_json_chars(FILE *out, const uint8_t *s, size_t size)
{
  for (size_t i = 0; i < size; i++) {
    uint8_t c = s[i];
    if (c == '"' || c == '\\')
      fprintf(out, "\\%c", c);
    else if (c < 0x20 || c == 0x7f)
      fprintf(out, "\\u%04x", c);
    else
      fputc(c, out);
  }
}

/* Writes a name for people: printable ASCII as is, anything else escaped. */
static void inspect_text_chars(FILE *out, const uint8_t *s, size_t size)
{
  for (size_t i = 0; i < size; i++) {
    uint8_t c = s[i];
    if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\')
      fputc(c, out);
    else
      fprintf(out, "\\%02x", c);
  }
}

typedef struct inspect_out {
  FILE *f;
  const wr_module *m;
  bool json;
} inspect_out;

static void inspect_name(const inspect_out *o, wr_range r)
{
  fputc('"', o->f);
  if (o->json)
    inspect_json_chars(o->f, o->m->bytes + r.offset, r.size);
  else
    inspect_text_chars(o->f, o->m->bytes + r.offset, r.size);
  fputc('"', o->f);
}

static void inspect_types(const inspect_out *o, const uint8_t *types, uint32_t count)
{
  fputs(o->json ? "[" : "(", o->f);
  for (uint32_t i = 0; i < count; i++)
    fprintf(o->f, o->json ? "%s\"%s\"" : "%s%s", i ? ", " : "", wr_valtype_name(types[i]));
  fputs(o->json ? "]" : ")", o->f);
}

static void inspect_functype(const inspect_out *o, uint32_t index)
{
  const wr_functype *t = &o->m->types[index];
  if (o->json) {
    fputs("{\"params\": ", o->f);
    inspect_types(o, wr_functype_params(o->m, t), t->param_count);
    fputs(", \"results\": ", o->f);
    inspect_types(o, wr_functype_results(o->m, t), t->result_count);
    fputs("}", o->f);
  } else {
    inspect_types(o, wr_functype_params(o->m, t), t->param_count);
    fputs(" -> ", o->f);
    inspect_types(o, wr_functype_results(o->m, t), t->result_count);
  }
}

static void inspect_limits(const inspect_out *o, const wr_limits *l, const char *unit)
{
  if (o->json) {
    fprintf(o->f, "\"min\": %" PRIu64 ", \"max\": ", l->min);
    if (l->has_max)
      fprintf(o->f, "%" PRIu64, l->max);
    else
      fputs("null", o->f);
  } else {
    fprintf(o->f, "min %" PRIu64 " %s", l->min, unit);
    if (l->has_max)
      fprintf(o->f, ", max %" PRIu64, l->max);
    else
      fputs(", no max", o->f);
  }
}

static void inspect_import_desc(const inspect_out *o, const wr_import *imp)
{
  switch (imp->kind) {
  case WASMRT_EXTERN_FUNC:
    if (o->json) {
      fprintf(o->f, ", \"type\": %u, \"signature\": ", imp->desc.type_index);
      inspect_functype(o, imp->desc.type_index);
    } else {
      fprintf(o->f, " type %u ", imp->desc.type_index);
      inspect_functype(o, imp->desc.type_index);
    }
    break;
  case WASMRT_EXTERN_TABLE:
    fprintf(o->f, o->json ? ", \"element\": \"%s\", " : " %s ",
            wr_valtype_name(imp->desc.table.elem_type));
    inspect_limits(o, &imp->desc.table.limits, "entries");
    break;
  case WASMRT_EXTERN_MEMORY:
    fputs(o->json ? ", " : " ", o->f);
    inspect_limits(o, &imp->desc.memory, "pages");
    break;
  case WASMRT_EXTERN_GLOBAL:
    fprintf(o->f, o->json ? ", \"type\": \"%s\", \"mutable\": %s" : " %s%s",
            wr_valtype_name(imp->desc.global.type),
            o->json ? (imp->desc.global.mutable_ ? "true" : "false")
                    : (imp->desc.global.mutable_ ? " mutable" : ""));
    break;
  }
}

static const char *inspect_section_short_name(unsigned id)
{
  static const char *const names[WR_SEC_COUNT] = {
      "custom", "type",  "import",  "function", "table", "memory",    "global",
      "export", "start", "element", "code",     "data",  "datacount",
  };
  return id < WR_SEC_COUNT ? names[id] : "unknown";
}

static void inspect_print_text(const inspect_out *o, const char *path)
{
  const wr_module *m = o->m;
  FILE *f = o->f;
  fprintf(f, "%s: WebAssembly module, %zu bytes\n", path, m->size);
  if (m->has_module_name) {
    fputs("module name: ", f);
    inspect_name(o, m->module_name);
    fputc('\n', f);
  }
  fprintf(f, "\nsections (%u):\n", m->section_count);
  for (uint32_t i = 0; i < m->section_count; i++) {
    const wr_section_info *s = &m->sections[i];
    fprintf(f, "  %-9s offset 0x%08x size %10u", inspect_section_short_name(s->id), s->offset,
            s->size);
    if (s->id == WR_SEC_CUSTOM) {
      fputc(' ', f);
      inspect_name(o, s->custom_name);
    }
    fputc('\n', f);
  }
  fprintf(f, "\ntypes (%u):\n", m->type_count);
  for (uint32_t i = 0; i < m->type_count; i++) {
    fprintf(f, "  %u: ", i);
    inspect_functype(o, i);
    fputc('\n', f);
  }
  fprintf(f, "\nimports (%u):\n", m->import_count);
  for (uint32_t i = 0; i < m->import_count; i++) {
    const wr_import *imp = &m->imports[i];
    fprintf(f, "  %u: %s ", i, inspect_kind_names[imp->kind]);
    inspect_name(o, imp->module);
    fputc('.', f);
    inspect_name(o, imp->name);
    inspect_import_desc(o, imp);
    fputc('\n', f);
  }
  fprintf(f, "\nfunctions: %u (%u imported, %u defined)\n", m->function_count,
          m->imported_function_count, m->function_count - m->imported_function_count);
  fprintf(f, "\ntables (%u):\n", m->table_count);
  for (uint32_t i = 0; i < m->table_count; i++) {
    fprintf(f, "  %u: %s%s ", i, wr_valtype_name(m->tables[i].elem_type),
            i < m->imported_table_count ? " (imported)" : "");
    inspect_limits(o, &m->tables[i].limits, "entries");
    fputc('\n', f);
  }
  fprintf(f, "\nmemories (%u):\n", m->memory_count);
  for (uint32_t i = 0; i < m->memory_count; i++) {
    fprintf(f, "  %u:%s ", i, i < m->imported_memory_count ? " (imported)" : "");
    inspect_limits(o, &m->memories[i], "pages");
    fputc('\n', f);
  }
  fprintf(f, "\nglobals (%u):\n", m->global_count);
  for (uint32_t i = 0; i < m->global_count; i++) {
    const wr_global *g = &m->globals[i];
    fprintf(f, "  %u: %s%s%s\n", i, g->type.mutable_ ? "mutable " : "",
            wr_valtype_name(g->type.type), i < m->imported_global_count ? " (imported)" : "");
  }
  fprintf(f, "\nexports (%u):\n", m->export_count);
  for (uint32_t i = 0; i < m->export_count; i++) {
    const wr_export *e = &m->exports[i];
    fputs("  ", f);
    inspect_name(o, e->name);
    fprintf(f, " -> %s %u\n", inspect_kind_names[e->kind], e->index);
  }
  if (m->has_start)
    fprintf(f, "\nstart function: %u\n", m->start_function);
  uint64_t data_bytes = 0;
  for (uint32_t i = 0; i < m->data_count; i++)
    data_bytes += m->datas[i].bytes.size;
  fprintf(f, "\nelement segments: %u (%u entries)\n", m->elem_count, m->elem_init_count);
  fprintf(f, "data segments: %u (%" PRIu64 " bytes)\n", m->data_count, data_bytes);
  fprintf(f, "\nfunction names (%u):\n", m->func_name_count);
  for (uint32_t i = 0; i < m->func_name_count; i++) {
    fprintf(f, "  %u: ", m->func_names[i].index);
    inspect_name(o, m->func_names[i].name);
    fputc('\n', f);
  }
}

static void inspect_print_json(const inspect_out *o, const char *path)
{
  const wr_module *m = o->m;
  FILE *f = o->f;
  fputs("{\"file\": \"", f);
  inspect_json_chars(f, (const uint8_t *)path, strlen(path));
  fprintf(f, "\", \"size\": %zu, \"module_name\": ", m->size);
  if (m->has_module_name)
    inspect_name(o, m->module_name);
  else
    fputs("null", f);
  fputs(",\n \"sections\": [", f);
  for (uint32_t i = 0; i < m->section_count; i++) {
    const wr_section_info *s = &m->sections[i];
    fprintf(f, "%s\n  {\"id\": %u, \"name\": \"%s\", \"offset\": %u, \"size\": %u", i ? "," : "",
            s->id, inspect_section_short_name(s->id), s->offset, s->size);
    if (s->id == WR_SEC_CUSTOM) {
      fputs(", \"custom_name\": ", f);
      inspect_name(o, s->custom_name);
    }
    fputc('}', f);
  }
  fputs("],\n \"types\": [", f);
  for (uint32_t i = 0; i < m->type_count; i++) {
    fputs(i ? ",\n  " : "\n  ", f);
    inspect_functype(o, i);
  }
  fputs("],\n \"imports\": [", f);
  for (uint32_t i = 0; i < m->import_count; i++) {
    const wr_import *imp = &m->imports[i];
    fprintf(f, "%s\n  {\"kind\": \"%s\", \"module\": ", i ? "," : "",
            inspect_kind_names[imp->kind]);
    inspect_name(o, imp->module);
    fputs(", \"name\": ", f);
    inspect_name(o, imp->name);
    inspect_import_desc(o, imp);
    fputc('}', f);
  }
  fprintf(f, "],\n \"functions\": {\"imported\": %u, \"defined\": %u},\n \"tables\": [",
          m->imported_function_count, m->function_count - m->imported_function_count);
  for (uint32_t i = 0; i < m->table_count; i++) {
    fprintf(f, "%s{\"element\": \"%s\", \"imported\": %s, ", i ? ", " : "",
            wr_valtype_name(m->tables[i].elem_type),
            i < m->imported_table_count ? "true" : "false");
    inspect_limits(o, &m->tables[i].limits, "entries");
    fputc('}', f);
  }
  fputs("],\n \"memories\": [", f);
  for (uint32_t i = 0; i < m->memory_count; i++) {
    fprintf(f, "%s{\"imported\": %s, ", i ? ", " : "",
            i < m->imported_memory_count ? "true" : "false");
    inspect_limits(o, &m->memories[i], "pages");
    fputc('}', f);
  }
  fputs("],\n \"globals\": [", f);
  for (uint32_t i = 0; i < m->global_count; i++) {
    const wr_global *g = &m->globals[i];
    fprintf(f, "%s{\"type\": \"%s\", \"mutable\": %s, \"imported\": %s}", i ? ", " : "",
            wr_valtype_name(g->type.type), g->type.mutable_ ? "true" : "false",
            i < m->imported_global_count ? "true" : "false");
  }
  fputs("],\n \"exports\": [", f);
  for (uint32_t i = 0; i < m->export_count; i++) {
    const wr_export *e = &m->exports[i];
    fputs(i ? ",\n  {\"name\": " : "\n  {\"name\": ", f);
    inspect_name(o, e->name);
    fprintf(f, ", \"kind\": \"%s\", \"index\": %u}", inspect_kind_names[e->kind], e->index);
  }
  fputs("],\n \"start\": ", f);
  if (m->has_start)
    fprintf(f, "%u", m->start_function);
  else
    fputs("null", f);
  uint64_t data_bytes = 0;
  for (uint32_t i = 0; i < m->data_count; i++)
    data_bytes += m->datas[i].bytes.size;
  fprintf(f,
          ",\n \"element_segments\": %u, \"element_entries\": %u, \"data_segments\": %u, "
          "\"data_bytes\": %" PRIu64 ",\n \"function_names\": [",
          m->elem_count, m->elem_init_count, m->data_count, data_bytes);
  for (uint32_t i = 0; i < m->func_name_count; i++) {
    fprintf(f, "%s\n  {\"index\": %u, \"name\": ", i ? "," : "", m->func_names[i].index);
    inspect_name(o, m->func_names[i].name);
    fputc('}', f);
  }
  fputs("]}\n", f);
}

int cli_cmd_inspect(int argc, char **argv)
{
  bool json = false;
  const char *path = NULL;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--json") == 0) {
      json = true;
    } else if (strcmp(argv[i], "--") == 0 && i + 1 < argc && !path) {
      path = argv[++i];
    } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
      fprintf(stderr, "wasmrt inspect: unknown option '%s' (see 'wasmrt help inspect')\n", argv[i]);
      return CLI_EXIT_USAGE;
    } else if (!path) {
      path = argv[i];
    } else {
      fprintf(stderr, "wasmrt inspect: one file at a time (see 'wasmrt help inspect')\n");
      return CLI_EXIT_USAGE;
    }
  }
  if (!path) {
    fprintf(stderr, "wasmrt inspect: no input file (see 'wasmrt help inspect')\n");
    return CLI_EXIT_USAGE;
  }
  uint8_t *bytes;
  size_t size;
  char why[256];
  if (cli_read_file(path, &bytes, &size, why, sizeof why) != 0) {
    fprintf(stderr, "%s: %s\n", path, why);
    return CLI_EXIT_USAGE;
  }
  if (wr_object_has_magic(bytes, size)) {
    int status = cli_inspect_object(path, bytes, size, json);
    free(bytes);
    return status;
  }
  wr_module *m;
  wasmrt_error error;
  wasmrt_result r = wr_module_decode(bytes, size, true, &m, &error);
  if (r != WASMRT_OK) {
    fprintf(stderr, "%s: %s: %s\n", path, wasmrt_errname(r), error.message);
    return r == WASMRT_ERROR_NOMEM ? CLI_EXIT_USAGE : CLI_EXIT_REJECTED;
  }
  inspect_out o = {stdout, m, json};
  if (json)
    inspect_print_json(&o, path);
  else
    inspect_print_text(&o, path);
  wr_module_free(m);
  if (fflush(stdout) != 0 || ferror(stdout)) {
    fprintf(stderr, "wasmrt inspect: writing output failed\n");
    return CLI_EXIT_USAGE;
  }
  return CLI_EXIT_OK;
}
