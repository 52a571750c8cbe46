/*
 * link.c - checking imports against what a module asks for (the spec's
 * "import matching", WebAssembly 2.0 section 4.5.3).
 *
 * Functions match by exact signature (canonical ids), globals by type and
 * mutability, tables by element type, memories and tables by limits
 * subtyping: the import's current size is at least the required minimum,
 * and when the module requires a maximum the import has one no larger.
 * A mismatch is WASMRT_ERROR_LINK naming the import and both types.
 */
#include <stdio.h>

#include "runtime/runtime.h"

static const char *wr_kind_name(unsigned kind)
{
  static const char *const names[] = {"func", "table", "memory", "global"};
  return kind < 4 ? names[kind] : "unknown";
}

static void wr_describe_limits(char *buf, size_t size, uint64_t min, bool has_max, uint64_t max)
{
  if (has_max)
    snprintf(buf, size, "(min %llu, max %llu)", (unsigned long long)min, (unsigned long long)max);
  else
    snprintf(buf, size, "(min %llu, no max)", (unsigned long long)min);
}

/* What the module's import asks for. */
static void wr_describe_import(wasmrt_store *s, const uint32_t *type_ids, const wr_import *imp,
                               char *buf, size_t size)
{
  char part[96];
  switch (imp->kind) {
  case WASMRT_EXTERN_FUNC:
    wr_sig_describe(&s->sigs.sigs[type_ids[imp->desc.type_index]], part, sizeof part);
    snprintf(buf, size, "func %s", part);
    return;
  case WASMRT_EXTERN_TABLE:
    wr_describe_limits(part, sizeof part, imp->desc.table.limits.min,
                       imp->desc.table.limits.has_max, imp->desc.table.limits.max);
    snprintf(buf, size, "table %s %s", wr_valtype_name(imp->desc.table.elem_type), part);
    return;
  case WASMRT_EXTERN_MEMORY:
    wr_describe_limits(part, sizeof part, imp->desc.memory.min, imp->desc.memory.has_max,
                       imp->desc.memory.max);
    snprintf(buf, size, "memory %s", part);
    return;
  default:
    snprintf(buf, size, "global %s%s", imp->desc.global.mutable_ ? "mut " : "",
             wr_valtype_name(imp->desc.global.type));
    return;
  }
}

/* What the host offers, with its current sizes as minimums. */
static void wr_describe_extern(const wasmrt_extern *e, char *buf, size_t size)
{
  char part[96];
  switch (e->kind) {
  case WASMRT_EXTERN_FUNC:
    wr_sig_describe(wr_func_sig(e->of.func), part, sizeof part);
    snprintf(buf, size, "func %s", part);
    return;
  case WASMRT_EXTERN_TABLE:
    wr_describe_limits(part, sizeof part, e->of.table->t.size, e->of.table->has_max,
                       e->of.table->t.max);
    snprintf(buf, size, "table %s %s", wr_valtype_name(e->of.table->t.elem_type), part);
    return;
  case WASMRT_EXTERN_MEMORY:
    wr_describe_limits(part, sizeof part, e->of.memory->m.pages, e->of.memory->has_max,
                       e->of.memory->m.max_pages);
    snprintf(buf, size, "memory %s", part);
    return;
  case WASMRT_EXTERN_GLOBAL:
    snprintf(buf, size, "global %s%s", e->of.global->mutable_ ? "mut " : "",
             wr_valtype_name(e->of.global->type));
    return;
  }
  snprintf(buf, size, "an extern of unknown kind %d", (int)e->kind);
}

static bool wr_limits_match(uint64_t size, bool has_max, uint64_t max, const wr_limits *want)
{
  if (size < want->min)
    return false;
  return !want->has_max || (has_max && max <= want->max);
}

static bool wr_import_matches(const wr_import *imp, const uint32_t *type_ids,
                              const wasmrt_extern *e)
{
  if ((unsigned)e->kind != imp->kind)
    return false;
  switch (imp->kind) {
  case WASMRT_EXTERN_FUNC:
    return e->of.func->ref.type_id == type_ids[imp->desc.type_index];
  case WASMRT_EXTERN_TABLE: {
    const wasmrt_table *t = e->of.table;
    return t->t.elem_type == imp->desc.table.elem_type &&
           wr_limits_match(t->t.size, t->has_max, t->t.max, &imp->desc.table.limits);
  }
  case WASMRT_EXTERN_MEMORY: {
    const wasmrt_memory *mem = e->of.memory;
    return wr_limits_match(mem->m.pages, mem->has_max, mem->m.max_pages, &imp->desc.memory);
  }
  default:
    return e->of.global->type == imp->desc.global.type &&
           e->of.global->mutable_ == imp->desc.global.mutable_;
  }
}

/* The store an extern belongs to, or NULL when its object is missing. */
static const wasmrt_store *wr_extern_store(const wasmrt_extern *e)
{
  switch (e->kind) {
  case WASMRT_EXTERN_FUNC:
    return e->of.func ? e->of.func->store : NULL;
  case WASMRT_EXTERN_TABLE:
    return e->of.table ? e->of.table->store : NULL;
  case WASMRT_EXTERN_MEMORY:
    return e->of.memory ? e->of.memory->store : NULL;
  case WASMRT_EXTERN_GLOBAL:
    return e->of.global ? e->of.global->store : NULL;
  }
  return NULL;
}

wasmrt_result wr_link_check(wasmrt_store *s, const wr_module *m, const uint32_t *type_ids,
                            const wasmrt_extern *imports, size_t import_count, wasmrt_error *err)
{
  if (import_count != m->import_count)
    return wr_error_set(err, WASMRT_ERROR_LINK, "the module has %u imports, %zu were given",
                        m->import_count, import_count);
  for (uint32_t i = 0; i < m->import_count; i++) {
    const wr_import *imp = &m->imports[i];
    const wasmrt_extern *e = &imports[i];
    int mod_len = imp->module.size > 64 ? 64 : (int)imp->module.size;
    int name_len = imp->name.size > 64 ? 64 : (int)imp->name.size;
    const char *mod = (const char *)m->bytes + imp->module.offset;
    const char *name = (const char *)m->bytes + imp->name.offset;
    const wasmrt_store *owner = wr_extern_store(e);
    if (!owner)
      return wr_error_set(err, WASMRT_ERROR_ARGUMENT,
                          "import %u (\"%.*s\" \"%.*s\"): no object given", i, mod_len, mod,
                          name_len, name);
    if (owner != s)
      return wr_error_set(err, WASMRT_ERROR_ARGUMENT,
                          "import %u (\"%.*s\" \"%.*s\"): the %s belongs to another store", i,
                          mod_len, mod, name_len, name, wr_kind_name(e->kind));
    if (wr_import_matches(imp, type_ids, e))
      continue;
    char want[128], got[128];
    wr_describe_import(s, type_ids, imp, want, sizeof want);
    wr_describe_extern(e, got, sizeof got);
    return wr_error_set(err, WASMRT_ERROR_LINK,
                        "import %u (\"%.*s\" \"%.*s\"): expected %s, got %s", i, mod_len, mod,
                        name_len, name, want, got);
  }
  return WASMRT_OK;
}
