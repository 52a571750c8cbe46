/*
 * decode.c - one streaming pass over a module binary: the header, every
 * section in order, and each function body handed to the validator as it is
 * reached. Nothing is read twice and nothing is allocated for a count before
 * the bytes that count claims are known to be present.
 *
 * Guarantees: on WASMRT_OK the wr_module is fully validated; otherwise the
 * error says which section, function and byte offset, and nothing leaks.
 */
#include <stdlib.h>
#include <string.h>

#include "compiler/decoder.h"
#include "compiler/limits.h"

/* Reads a primitive or fails the whole pass with a malformed error. */
#define READ_U32(var, what)                                                                        \
  do {                                                                                             \
    wr_read_status st_ = wr_read_u32(&p, end, &(var));                                             \
    if (st_ != WR_READ_OK)                                                                         \
      return wr_read_failed(d, p, st_, what);                                                      \
  } while (0)

#define READ_BYTE(var, what)                                                                       \
  do {                                                                                             \
    if (p >= end)                                                                                  \
      return wr_read_failed(d, p, WR_READ_END, what);                                              \
    (var) = *p++;                                                                                  \
  } while (0)

/* A vector's element count, checked against the bytes left (each element
 * takes at least `min_size` bytes) and against wasmrt's limit. */
static bool wr_read_count(wr_decoder *d, const uint8_t **pp, const uint8_t *end, size_t min_size,
                          uint32_t limit, const char *what, uint32_t *out)
{
  const uint8_t *p = *pp;
  uint32_t n;
  READ_U32(n, what);
  /* Bytes first: a count the bytes cannot hold is malformed, whatever our
   * limit says. */
  if ((size_t)n * min_size > (size_t)(end - p))
    return wr_malformed(d, *pp, "length out of bounds: %u %s do not fit in the %zu bytes left", n,
                        what, (size_t)(end - p));
  if (n > limit)
    return wr_limit(d, *pp, "%u %s exceed the limit of %u", n, what, limit);
  *pp = p;
  *out = n;
  return true;
}

static bool wr_read_name(wr_decoder *d, const uint8_t **pp, const uint8_t *end, wr_range *out)
{
  const uint8_t *p = *pp;
  uint32_t len;
  READ_U32(len, "name length");
  if (len > (size_t)(end - p))
    return wr_malformed(d, *pp, "length out of bounds: name of %u bytes", len);
  if (!wr_utf8_valid(p, len))
    return wr_malformed(d, p, "malformed UTF-8 encoding");
  out->offset = (uint32_t)(p - d->base);
  out->size = len;
  *pp = p + len;
  return true;
}

static bool wr_read_valtype(wr_decoder *d, const uint8_t **pp, const uint8_t *end, uint8_t *out)
{
  const uint8_t *p = *pp;
  uint8_t b;
  READ_BYTE(b, "value type");
  if (!wr_is_valtype(b))
    return wr_malformed(d, p - 1, "malformed value type 0x%02x", b);
  *out = b;
  *pp = p;
  return true;
}

static bool wr_read_reftype(wr_decoder *d, const uint8_t **pp, const uint8_t *end, uint8_t *out)
{
  const uint8_t *p = *pp;
  uint8_t b;
  READ_BYTE(b, "reference type");
  if (!wr_is_reftype(b))
    return wr_malformed(d, p - 1, "malformed reference type 0x%02x", b);
  *out = b;
  *pp = p;
  return true;
}

/* Limits; `max_allowed` is the largest valid min or max (65536 pages for a
 * memory, 2^32-1 entries for a table). */
static bool wr_read_limits(wr_decoder *d, const uint8_t **pp, const uint8_t *end,
                           uint64_t max_allowed, const char *what, wr_limits *out)
{
  const uint8_t *p = *pp;
  const uint8_t *at = p;
  uint8_t flags;
  READ_BYTE(flags, "limits flags");
  if (flags > 1)
    return wr_malformed(d, at, "integer too large: limits flags 0x%02x", flags);
  uint32_t v;
  READ_U32(v, "limits minimum");
  out->min = v;
  out->has_max = flags == 1;
  out->max = 0;
  if (out->has_max) {
    READ_U32(v, "limits maximum");
    out->max = v;
  }
  if (out->min > max_allowed || (out->has_max && out->max > max_allowed))
    wr_invalid(d, at, "%s size must be at most %llu", what, (unsigned long long)max_allowed);
  else if (out->has_max && out->max < out->min)
    wr_invalid(d, at, "size minimum must not be greater than maximum");
  *pp = p;
  return true;
}

#define WR_MAX_MEMORY_PAGES 65536u

static bool wr_read_tabletype(wr_decoder *d, const uint8_t **pp, const uint8_t *end,
                              wr_tabletype *out)
{
  return wr_read_reftype(d, pp, end, &out->elem_type) &&
         wr_read_limits(d, pp, end, UINT32_MAX, "table", &out->limits);
}

static bool wr_read_globaltype(wr_decoder *d, const uint8_t **pp, const uint8_t *end,
                               wr_globaltype *out)
{
  if (!wr_read_valtype(d, pp, end, &out->type))
    return false;
  const uint8_t *p = *pp;
  uint8_t mut;
  READ_BYTE(mut, "global mutability");
  if (mut > 1)
    return wr_malformed(d, p - 1, "malformed mutability 0x%02x", mut);
  out->mutable_ = mut == 1;
  *pp = p;
  return true;
}

/* ---- index spaces -------------------------------------------------------- */

/* Allocates `count` elements, or reports out-of-memory. Zero gives a valid
 * pointer so that callers need no special case. */
static void *wr_alloc(wr_decoder *d, const uint8_t *at, size_t count, size_t size, const char *what)
{
  void *p = calloc(count ? count : 1, size);
  if (!p)
    wr_nomem(d, at, what);
  return p;
}

/* Allocates an index space of `imported` + `defined` entries of
 * `elem_size` bytes and fills the imported ones, in import order. Returns
 * NULL after reporting a limit or allocation failure. */
static void *wr_build_space(wr_decoder *d, const uint8_t *at, uint8_t kind, uint32_t imported,
                            uint32_t defined, uint32_t limit, const char *what, size_t elem_size,
                            uint32_t *count)
{
  wr_module *m = d->m;
  uint64_t total = (uint64_t)imported + defined;
  if (total > limit) {
    wr_limit(d, at, "%llu %s exceed the limit of %u", (unsigned long long)total, what, limit);
    return NULL;
  }
  uint8_t *space = wr_alloc(d, at, total, elem_size, what);
  if (!space)
    return NULL;
  uint32_t k = 0;
  for (uint32_t i = 0; i < m->import_count; i++) {
    const wr_import *imp = &m->imports[i];
    if (imp->kind != kind)
      continue;
    void *entry = space + (size_t)k++ * elem_size;
    switch (kind) {
    case WASMRT_EXTERN_FUNC:
      ((wr_function *)entry)->type_index = imp->desc.type_index;
      break;
    case WASMRT_EXTERN_TABLE:
      *(wr_tabletype *)entry = imp->desc.table;
      break;
    case WASMRT_EXTERN_MEMORY:
      *(wr_limits *)entry = imp->desc.memory;
      break;
    case WASMRT_EXTERN_GLOBAL:
      ((wr_global *)entry)->type = imp->desc.global;
      break;
    }
  }
  *count = (uint32_t)total;
  return space;
}

static bool wr_build_functions(wr_decoder *d, const uint8_t *at, uint32_t defined)
{
  wr_module *m = d->m;
  m->functions =
      wr_build_space(d, at, WASMRT_EXTERN_FUNC, m->imported_function_count, defined,
                     WR_MAX_FUNCTIONS, "functions", sizeof *m->functions, &m->function_count);
  if (!m->functions)
    return false;
  d->declared_refs =
      wr_alloc(d, at, ((size_t)m->function_count + 7) / 8, 1, "function reference set");
  d->defined_function_count = defined;
  d->functions_built = true;
  return d->declared_refs != NULL;
}

static bool wr_build_tables(wr_decoder *d, const uint8_t *at, uint32_t defined)
{
  wr_module *m = d->m;
  d->tables_built = true;
  m->tables = wr_build_space(d, at, WASMRT_EXTERN_TABLE, m->imported_table_count, defined,
                             WR_MAX_TABLES, "tables", sizeof *m->tables, &m->table_count);
  return m->tables != NULL;
}

static bool wr_build_memories(wr_decoder *d, const uint8_t *at, uint32_t defined)
{
  wr_module *m = d->m;
  if ((uint64_t)m->imported_memory_count + defined > 1)
    wr_invalid(d, at, "multiple memories");
  d->memories_built = true;
  m->memories = wr_build_space(d, at, WASMRT_EXTERN_MEMORY, m->imported_memory_count, defined,
                               WR_MAX_TABLES, "memories", sizeof *m->memories, &m->memory_count);
  return m->memories != NULL;
}

static bool wr_build_globals(wr_decoder *d, const uint8_t *at, uint32_t defined)
{
  wr_module *m = d->m;
  d->globals_built = true;
  m->globals = wr_build_space(d, at, WASMRT_EXTERN_GLOBAL, m->imported_global_count, defined,
                              WR_MAX_GLOBALS, "globals", sizeof *m->globals, &m->global_count);
  return m->globals != NULL;
}

/* Builds, with imports only, every index space whose defining section would
 * have come before section `id` but was absent. */
static bool wr_build_missing_spaces(wr_decoder *d, const uint8_t *at, unsigned rank)
{
  /* ranks: function 3, table 4, memory 5, global 6 */
  if (rank > 3 && !d->functions_built && !wr_build_functions(d, at, 0))
    return false;
  if (rank > 4 && !d->tables_built && !wr_build_tables(d, at, 0))
    return false;
  if (rank > 5 && !d->memories_built && !wr_build_memories(d, at, 0))
    return false;
  if (rank > 6 && !d->globals_built && !wr_build_globals(d, at, 0))
    return false;
  return true;
}

/* ---- sections ------------------------------------------------------------ */

static bool wr_decode_types(wr_decoder *d, const uint8_t *p, const uint8_t *end)
{
  wr_module *m = d->m;
  uint32_t count;
  if (!wr_read_count(d, &p, end, 3, WR_MAX_TYPES, "types", &count))
    return false;
  m->types = wr_alloc(d, p, count, sizeof *m->types, "types");
  /* Params and results together take at most one byte each of the section. */
  m->type_pool = wr_alloc(d, p, (size_t)(end - p), 1, "type pool");
  if (!m->types || !m->type_pool)
    return false;
  uint32_t pool = 0;
  for (uint32_t i = 0; i < count; i++) {
    uint8_t form;
    READ_BYTE(form, "type form");
    if (form != 0x60)
      return wr_malformed(d, p - 1,
                          "integer representation too long: expected function type "
                          "0x60, found 0x%02x",
                          form);
    wr_functype *t = &m->types[i];
    t->pool_offset = pool;
    uint32_t n;
    if (!wr_read_count(d, &p, end, 1, WR_MAX_PARAMS, "params", &n))
      return false;
    for (uint32_t k = 0; k < n; k++)
      if (!wr_read_valtype(d, &p, end, &m->type_pool[pool++]))
        return false;
    t->param_count = n;
    if (!wr_read_count(d, &p, end, 1, WR_MAX_RESULTS, "results", &n))
      return false;
    for (uint32_t k = 0; k < n; k++)
      if (!wr_read_valtype(d, &p, end, &m->type_pool[pool++]))
        return false;
    t->result_count = n;
    m->type_count = i + 1;
  }
  return p == end || wr_malformed(d, p, "section size mismatch");
}

static bool wr_decode_imports(wr_decoder *d, const uint8_t *p, const uint8_t *end)
{
  wr_module *m = d->m;
  uint32_t count;
  if (!wr_read_count(d, &p, end, 4, WR_MAX_IMPORTS, "imports", &count))
    return false;
  m->imports = wr_alloc(d, p, count, sizeof *m->imports, "imports");
  if (!m->imports)
    return false;
  for (uint32_t i = 0; i < count; i++) {
    wr_import *imp = &m->imports[i];
    if (!wr_read_name(d, &p, end, &imp->module) || !wr_read_name(d, &p, end, &imp->name))
      return false;
    const uint8_t *at = p;
    READ_BYTE(imp->kind, "import kind");
    switch (imp->kind) {
    case WASMRT_EXTERN_FUNC:
      READ_U32(imp->desc.type_index, "type index");
      if (imp->desc.type_index >= m->type_count)
        wr_invalid(d, at, "unknown type %u", imp->desc.type_index);
      m->imported_function_count++;
      break;
    case WASMRT_EXTERN_TABLE:
      if (!wr_read_tabletype(d, &p, end, &imp->desc.table))
        return false;
      m->imported_table_count++;
      break;
    case WASMRT_EXTERN_MEMORY:
      if (!wr_read_limits(d, &p, end, WR_MAX_MEMORY_PAGES, "memory", &imp->desc.memory))
        return false;
      m->imported_memory_count++;
      break;
    case WASMRT_EXTERN_GLOBAL:
      if (!wr_read_globaltype(d, &p, end, &imp->desc.global))
        return false;
      m->imported_global_count++;
      break;
    default:
      return wr_malformed(d, at, "malformed import kind 0x%02x", imp->kind);
    }
    m->import_count = i + 1;
  }
  return p == end || wr_malformed(d, p, "section size mismatch");
}

static bool wr_decode_functions(wr_decoder *d, const uint8_t *p, const uint8_t *end)
{
  wr_module *m = d->m;
  uint32_t count;
  if (!wr_read_count(d, &p, end, 1, WR_MAX_FUNCTIONS, "functions", &count))
    return false;
  if (!wr_build_functions(d, p, count))
    return false;
  for (uint32_t i = 0; i < count; i++) {
    const uint8_t *at = p;
    uint32_t ti;
    READ_U32(ti, "type index");
    if (ti >= m->type_count)
      wr_invalid(d, at, "unknown type %u", ti);
    m->functions[m->imported_function_count + i].type_index = ti;
  }
  return p == end || wr_malformed(d, p, "section size mismatch");
}

static bool wr_decode_tables(wr_decoder *d, const uint8_t *p, const uint8_t *end)
{
  wr_module *m = d->m;
  uint32_t count;
  if (!wr_read_count(d, &p, end, 3, WR_MAX_TABLES, "tables", &count))
    return false;
  if (!wr_build_tables(d, p, count))
    return false;
  for (uint32_t i = 0; i < count; i++)
    if (!wr_read_tabletype(d, &p, end, &m->tables[m->imported_table_count + i]))
      return false;
  return p == end || wr_malformed(d, p, "section size mismatch");
}

static bool wr_decode_memories(wr_decoder *d, const uint8_t *p, const uint8_t *end)
{
  wr_module *m = d->m;
  uint32_t count;
  if (!wr_read_count(d, &p, end, 2, WR_MAX_TABLES, "memories", &count))
    return false;
  if (!wr_build_memories(d, p, count))
    return false;
  for (uint32_t i = 0; i < count; i++)
    if (!wr_read_limits(d, &p, end, WR_MAX_MEMORY_PAGES, "memory",
                        &m->memories[m->imported_memory_count + i]))
      return false;
  return p == end || wr_malformed(d, p, "section size mismatch");
}

static bool wr_decode_globals(wr_decoder *d, const uint8_t *p, const uint8_t *end)
{
  wr_module *m = d->m;
  uint32_t count;
  if (!wr_read_count(d, &p, end, 3, WR_MAX_GLOBALS, "globals", &count))
    return false;
  if (!wr_build_globals(d, p, count))
    return false;
  for (uint32_t i = 0; i < count; i++) {
    wr_global *g = &m->globals[m->imported_global_count + i];
    if (!wr_read_globaltype(d, &p, end, &g->type))
      return false;
    /* Constant expressions may read imported globals only (WebAssembly
     * 2.0; later versions relax this). */
    if (!wr_validate_const_expr(d, &p, end, g->type.type, m->imported_global_count, &g->init))
      return false;
  }
  return p == end || wr_malformed(d, p, "section size mismatch");
}

static int wr_compare_export_names(const void *a, const void *b, void *ctx)
{
  const wr_module *m = ctx;
  const wr_export *x = &m->exports[*(const uint32_t *)a];
  const wr_export *y = &m->exports[*(const uint32_t *)b];
  uint32_t n = x->name.size < y->name.size ? x->name.size : y->name.size;
  int c = memcmp(m->bytes + x->name.offset, m->bytes + y->name.offset, n);
  if (c)
    return c;
  return (x->name.size > y->name.size) - (x->name.size < y->name.size);
}

static bool wr_check_unique_exports(wr_decoder *d, const uint8_t *at)
{
  wr_module *m = d->m;
  if (m->export_count < 2)
    return true;
  uint32_t *order = wr_alloc(d, at, m->export_count, sizeof *order, "export names");
  if (!order)
    return false;
  for (uint32_t i = 0; i < m->export_count; i++)
    order[i] = i;
  qsort_r(order, m->export_count, sizeof *order, wr_compare_export_names, m);
  for (uint32_t i = 1; i < m->export_count; i++)
    if (wr_compare_export_names(&order[i - 1], &order[i], m) == 0) {
      const wr_export *e = &m->exports[order[i]];
      wr_invalid(d, m->bytes + e->name.offset, "duplicate export name \"%.*s\"",
                 (int)(e->name.size > 64 ? 64 : e->name.size),
                 (const char *)m->bytes + e->name.offset);
      break;
    }
  free(order);
  return true;
}

static bool wr_decode_exports(wr_decoder *d, const uint8_t *p, const uint8_t *end)
{
  wr_module *m = d->m;
  uint32_t count;
  if (!wr_read_count(d, &p, end, 3, WR_MAX_EXPORTS, "exports", &count))
    return false;
  m->exports = wr_alloc(d, p, count, sizeof *m->exports, "exports");
  if (!m->exports)
    return false;
  const uint8_t *start = p;
  for (uint32_t i = 0; i < count; i++) {
    wr_export *e = &m->exports[i];
    if (!wr_read_name(d, &p, end, &e->name))
      return false;
    const uint8_t *at = p;
    READ_BYTE(e->kind, "export kind");
    READ_U32(e->index, "export index");
    uint32_t limit;
    switch (e->kind) {
    case WASMRT_EXTERN_FUNC:
      limit = m->function_count;
      break;
    case WASMRT_EXTERN_TABLE:
      limit = m->table_count;
      break;
    case WASMRT_EXTERN_MEMORY:
      limit = m->memory_count;
      break;
    case WASMRT_EXTERN_GLOBAL:
      limit = m->global_count;
      break;
    default:
      return wr_malformed(d, at, "malformed export kind 0x%02x", e->kind);
    }
    static const char *const kind_names[] = {"function", "table", "memory", "global"};
    if (e->index >= limit)
      wr_invalid(d, at, "unknown %s %u", kind_names[e->kind], e->index);
    else if (e->kind == WASMRT_EXTERN_FUNC)
      d->declared_refs[e->index >> 3] |= (uint8_t)(1u << (e->index & 7));
    m->export_count = i + 1;
  }
  if (p != end)
    return wr_malformed(d, p, "section size mismatch");
  return wr_check_unique_exports(d, start);
}

static bool wr_decode_start(wr_decoder *d, const uint8_t *p, const uint8_t *end)
{
  wr_module *m = d->m;
  const uint8_t *at = p;
  READ_U32(m->start_function, "start function index");
  m->has_start = true;
  if (m->start_function >= m->function_count) {
    wr_invalid(d, at, "unknown function %u", m->start_function);
  } else if (!d->invalid) {
    const wr_functype *t = &m->types[m->functions[m->start_function].type_index];
    if (t->param_count || t->result_count)
      wr_invalid(d, at, "start function must take and return nothing");
  }
  return p == end || wr_malformed(d, p, "section size mismatch");
}

static bool wr_decode_elems(wr_decoder *d, const uint8_t *p, const uint8_t *end)
{
  wr_module *m = d->m;
  uint32_t count;
  if (!wr_read_count(d, &p, end, 1, WR_MAX_ELEM_SEGMENTS, "element segments", &count))
    return false;
  m->elems = wr_alloc(d, p, count, sizeof *m->elems, "element segments");
  /* Each entry takes at least one byte of this section. */
  m->elem_inits = wr_alloc(d, p, (size_t)(end - p), sizeof *m->elem_inits, "element entries");
  if (!m->elems || !m->elem_inits)
    return false;
  for (uint32_t i = 0; i < count; i++) {
    wr_elem *e = &m->elems[i];
    const uint8_t *at = p;
    uint32_t flags;
    READ_U32(flags, "element segment flags");
    if (flags > 7)
      return wr_malformed(d, at, "malformed elements segment kind %u", flags);
    bool passive_or_declarative = flags & 1;
    bool explicit_table = flags & 2;
    bool uses_exprs = flags & 4;
    e->mode = !passive_or_declarative ? WR_SEGMENT_ACTIVE
              : explicit_table        ? WR_SEGMENT_DECLARATIVE
                                      : WR_SEGMENT_PASSIVE;
    e->table_index = 0;
    if (e->mode == WR_SEGMENT_ACTIVE) {
      if (explicit_table)
        READ_U32(e->table_index, "table index");
      if (!wr_validate_const_expr(d, &p, end, WR_I32, m->imported_global_count, &e->offset))
        return false;
    }
    e->elem_type = WR_FUNCREF;
    if (passive_or_declarative || explicit_table) {
      if (uses_exprs) {
        if (!wr_read_reftype(d, &p, end, &e->elem_type))
          return false;
      } else {
        uint8_t kind;
        READ_BYTE(kind, "element kind");
        if (kind != 0x00)
          return wr_malformed(d, p - 1, "malformed element kind 0x%02x", kind);
      }
    }
    if (e->mode == WR_SEGMENT_ACTIVE) {
      if (e->table_index >= m->table_count)
        wr_invalid(d, at, "unknown table %u", e->table_index);
      else if (m->tables[e->table_index].elem_type != e->elem_type)
        wr_invalid(d, at, "type mismatch: element segment of %s for a table of %s",
                   wr_valtype_name(e->elem_type),
                   wr_valtype_name(m->tables[e->table_index].elem_type));
    }
    uint32_t n;
    if (!wr_read_count(d, &p, end, 1, WR_MAX_ELEM_ENTRIES, "element entries", &n))
      return false;
    if ((uint64_t)m->elem_init_count + n > WR_MAX_ELEM_ENTRIES)
      return wr_limit(d, at, "more than %u element entries", WR_MAX_ELEM_ENTRIES);
    e->first_init = m->elem_init_count;
    e->count = n;
    for (uint32_t k = 0; k < n; k++) {
      wr_const_expr *init = &m->elem_inits[m->elem_init_count++];
      if (uses_exprs) {
        if (!wr_validate_const_expr(d, &p, end, e->elem_type, m->imported_global_count, init))
          return false;
      } else {
        const uint8_t *fat = p;
        uint32_t fi;
        READ_U32(fi, "function index");
        init->kind = WR_CONST_REF_FUNC;
        init->type = WR_FUNCREF;
        init->u.index = fi;
        if (fi >= m->function_count)
          wr_invalid(d, fat, "unknown function %u", fi);
        else
          d->declared_refs[fi >> 3] |= (uint8_t)(1u << (fi & 7));
      }
    }
    m->elem_count = i + 1;
  }
  return p == end || wr_malformed(d, p, "section size mismatch");
}

static bool wr_decode_data_count(wr_decoder *d, const uint8_t *p, const uint8_t *end)
{
  wr_module *m = d->m;
  READ_U32(m->data_count_declared, "data count");
  if (m->data_count_declared > WR_MAX_DATA_SEGMENTS)
    return wr_limit(d, p, "%u data segments exceed the limit of %u", m->data_count_declared,
                    WR_MAX_DATA_SEGMENTS);
  m->has_data_count = true;
  return p == end || wr_malformed(d, p, "section size mismatch");
}

static bool wr_decode_code(wr_decoder *d, const uint8_t *p, const uint8_t *end)
{
  wr_module *m = d->m;
  const uint8_t *at = p;
  uint32_t count;
  if (!wr_read_count(d, &p, end, 2, WR_MAX_FUNCTIONS, "function bodies", &count))
    return false;
  d->saw_code_section = true;
  if (count != d->defined_function_count)
    return wr_malformed(d, at,
                        "function and code section have inconsistent lengths (%u "
                        "functions, %u bodies)",
                        d->defined_function_count, count);
  for (uint32_t i = 0; i < count; i++) {
    uint32_t index = m->imported_function_count + i;
    const uint8_t *size_at = p;
    uint32_t size;
    READ_U32(size, "function body size");
    if (size > (size_t)(end - p))
      return wr_malformed(d, size_at, "length out of bounds: function body of %u bytes", size);
    d->function = index;
    if (size > WR_MAX_FUNCTION_SIZE)
      return wr_limit(d, size_at, "function body of %u bytes exceeds the limit of %u", size,
                      WR_MAX_FUNCTION_SIZE);
    m->functions[index].body.offset = (uint32_t)(p - d->base);
    m->functions[index].body.size = size;
    const uint8_t *body_end = p + size;
    if (!wr_validate_function(d, index, &p, body_end))
      return false;
    d->function = -1;
  }
  return p == end || wr_malformed(d, p, "section size mismatch");
}

static bool wr_decode_datas(wr_decoder *d, const uint8_t *p, const uint8_t *end)
{
  wr_module *m = d->m;
  const uint8_t *at = p;
  uint32_t count;
  if (!wr_read_count(d, &p, end, 1, WR_MAX_DATA_SEGMENTS, "data segments", &count))
    return false;
  if (m->has_data_count && count != m->data_count_declared)
    return wr_malformed(d, at, "data count and data section have inconsistent lengths");
  m->datas = wr_alloc(d, p, count, sizeof *m->datas, "data segments");
  if (!m->datas)
    return false;
  for (uint32_t i = 0; i < count; i++) {
    wr_data *s = &m->datas[i];
    const uint8_t *seg_at = p;
    uint32_t flags;
    READ_U32(flags, "data segment flags");
    if (flags > 2)
      return wr_malformed(d, seg_at, "malformed data segment kind %u", flags);
    s->mode = flags == 1 ? WR_SEGMENT_PASSIVE : WR_SEGMENT_ACTIVE;
    s->memory_index = 0;
    if (flags == 2)
      READ_U32(s->memory_index, "memory index");
    if (s->mode == WR_SEGMENT_ACTIVE) {
      if (s->memory_index >= m->memory_count)
        wr_invalid(d, seg_at, "unknown memory %u", s->memory_index);
      if (!wr_validate_const_expr(d, &p, end, WR_I32, m->imported_global_count, &s->offset))
        return false;
    }
    const uint8_t *len_at = p;
    uint32_t len;
    READ_U32(len, "data segment size");
    if (len > (size_t)(end - p))
      return wr_malformed(d, len_at,
                          "unexpected end of section or function: data segment of "
                          "%u bytes",
                          len);
    s->bytes.offset = (uint32_t)(p - d->base);
    s->bytes.size = len;
    p += len;
    m->data_count = i + 1;
  }
  return p == end || wr_malformed(d, p, "section size mismatch");
}

/* The "name" custom section is advisory: anything wrong in it is ignored,
 * as the spec requires, and only well-formed parts are kept. */
static void wr_decode_name_section(wr_decoder *d, const uint8_t *p, const uint8_t *end)
{
  wr_module *m = d->m;
  while (p < end) {
    uint8_t id = *p++;
    uint32_t size;
    if (wr_read_u32(&p, end, &size) != WR_READ_OK || size > (size_t)(end - p))
      return;
    const uint8_t *sub_end = p + size;
    if (id == 0 && !m->has_module_name) {
      uint32_t len;
      const uint8_t *q = p;
      if (wr_read_u32(&q, sub_end, &len) == WR_READ_OK && len <= (size_t)(sub_end - q) &&
          wr_utf8_valid(q, len)) {
        m->has_module_name = true;
        m->module_name.offset = (uint32_t)(q - d->base);
        m->module_name.size = len;
      }
    } else if (id == 1 && !m->func_names) {
      const uint8_t *q = p;
      uint32_t count;
      if (wr_read_u32(&q, sub_end, &count) != WR_READ_OK || count > (size_t)(sub_end - q) / 2)
        return;
      wr_func_name *names = calloc(count ? count : 1, sizeof *names);
      if (!names)
        return;
      uint32_t kept = 0;
      for (uint32_t i = 0; i < count; i++) {
        uint32_t index, len;
        if (wr_read_u32(&q, sub_end, &index) != WR_READ_OK ||
            wr_read_u32(&q, sub_end, &len) != WR_READ_OK || len > (size_t)(sub_end - q) ||
            !wr_utf8_valid(q, len) || (kept && names[kept - 1].index >= index))
          break;
        names[kept].index = index;
        names[kept].name.offset = (uint32_t)(q - d->base);
        names[kept].name.size = len;
        kept++;
        q += len;
      }
      m->func_names = names;
      m->func_name_count = kept;
    }
    p = sub_end;
  }
}

static bool wr_decode_custom(wr_decoder *d, const uint8_t *p, const uint8_t *end,
                             wr_section_info *info)
{
  if (!wr_read_name(d, &p, end, &info->custom_name))
    return false;
  if (info->custom_name.size == 4 && memcmp(d->base + info->custom_name.offset, "name", 4) == 0)
    wr_decode_name_section(d, p, end);
  return true;
}

/* Position of each known section id in the required order. */
static const uint8_t wr_section_rank[WR_SEC_COUNT] = {
    [WR_SEC_TYPE] = 1,    [WR_SEC_IMPORT] = 2,     [WR_SEC_FUNCTION] = 3, [WR_SEC_TABLE] = 4,
    [WR_SEC_MEMORY] = 5,  [WR_SEC_GLOBAL] = 6,     [WR_SEC_EXPORT] = 7,   [WR_SEC_START] = 8,
    [WR_SEC_ELEMENT] = 9, [WR_SEC_DATACOUNT] = 10, [WR_SEC_CODE] = 11,    [WR_SEC_DATA] = 12,
};
#define WR_RANK_END 13

static bool wr_decode_sections(wr_decoder *d)
{
  wr_module *m = d->m;
  const uint8_t *p = d->base + 8;
  const uint8_t *end = d->end;
  unsigned last_rank = 0;
  /* Every section takes at least two bytes (id and size). */
  m->sections = wr_alloc(d, p, (size_t)(end - p) / 2 + 1, sizeof *m->sections, "section list");
  if (!m->sections)
    return false;
  while (p < end) {
    const uint8_t *section_at = p;
    uint8_t id = *p++;
    d->section = id < WR_SEC_COUNT ? id : WR_SECTION_HEADER;
    if (id >= WR_SEC_COUNT) {
      d->section = WR_SECTION_HEADER;
      return wr_malformed(d, section_at, "malformed section id %u", id);
    }
    uint32_t size;
    READ_U32(size, "section size");
    if (size > (size_t)(end - p))
      return wr_malformed(d, section_at, "length out of bounds: section of %u bytes, %zu left",
                          size, (size_t)(end - p));
    const uint8_t *content_end = p + size;
    wr_section_info *info = &m->sections[m->section_count++];
    info->id = id;
    info->offset = (uint32_t)(section_at - d->base);
    info->content = (uint32_t)(p - d->base);
    info->size = size;
    if (id == WR_SEC_CUSTOM) {
      if (!wr_decode_custom(d, p, content_end, info))
        return false;
      p = content_end;
      continue;
    }
    unsigned rank = wr_section_rank[id];
    if (rank <= last_rank)
      return wr_malformed(d, section_at, "unexpected content after last section: %s %s",
                          wr_section_name(id), rank == last_rank ? "repeated" : "out of order");
    last_rank = rank;
    if (!wr_build_missing_spaces(d, section_at, rank))
      return false;
    bool ok = false;
    switch (id) {
    case WR_SEC_TYPE:
      ok = wr_decode_types(d, p, content_end);
      break;
    case WR_SEC_IMPORT:
      ok = wr_decode_imports(d, p, content_end);
      break;
    case WR_SEC_FUNCTION:
      ok = wr_decode_functions(d, p, content_end);
      break;
    case WR_SEC_TABLE:
      ok = wr_decode_tables(d, p, content_end);
      break;
    case WR_SEC_MEMORY:
      ok = wr_decode_memories(d, p, content_end);
      break;
    case WR_SEC_GLOBAL:
      ok = wr_decode_globals(d, p, content_end);
      break;
    case WR_SEC_EXPORT:
      ok = wr_decode_exports(d, p, content_end);
      break;
    case WR_SEC_START:
      ok = wr_decode_start(d, p, content_end);
      break;
    case WR_SEC_ELEMENT:
      ok = wr_decode_elems(d, p, content_end);
      break;
    case WR_SEC_DATACOUNT:
      ok = wr_decode_data_count(d, p, content_end);
      break;
    case WR_SEC_CODE:
      ok = wr_decode_code(d, p, content_end);
      break;
    case WR_SEC_DATA:
      ok = wr_decode_datas(d, p, content_end);
      break;
    }
    if (!ok)
      return false;
    p = content_end;
  }
  d->section = WR_SECTION_HEADER;
  if (!wr_build_missing_spaces(d, p, WR_RANK_END))
    return false;
  if (!d->saw_code_section && d->defined_function_count != 0) {
    d->section = WR_SEC_FUNCTION;
    return wr_malformed(d, p,
                        "function and code section have inconsistent lengths (%u "
                        "functions, no code section)",
                        d->defined_function_count);
  }
  if (m->has_data_count && m->data_count != m->data_count_declared) {
    d->section = WR_SEC_DATACOUNT;
    return wr_malformed(d, p, "data count and data section have inconsistent lengths");
  }
  return true;
}

static bool wr_decode_header(wr_decoder *d)
{
  static const uint8_t magic[4] = {0x00, 0x61, 0x73, 0x6d};
  static const uint8_t version[4] = {0x01, 0x00, 0x00, 0x00};
  size_t size = (size_t)(d->end - d->base);
  if (size < 4 || memcmp(d->base, magic, 4) != 0)
    return wr_malformed(d, d->base, "magic header not detected");
  if (size < 8)
    return wr_malformed(d, d->end, "unexpected end: binary version missing");
  if (memcmp(d->base + 4, version, 4) != 0)
    return wr_malformed(d, d->base + 4, "unknown binary version");
  return true;
}

void wr_module_free(wr_module *m)
{
  if (!m)
    return;
  if (m->owns_bytes)
    free((void *)m->bytes);
  free(m->types);
  free(m->type_pool);
  free(m->imports);
  free(m->functions);
  free(m->tables);
  free(m->memories);
  free(m->globals);
  free(m->exports);
  free(m->elems);
  free(m->elem_inits);
  free(m->datas);
  free(m->sections);
  free(m->func_names);
  free(m);
}

wasmrt_result wr_module_decode(const uint8_t *bytes, size_t size, bool take_ownership,
                               wr_module **out, wasmrt_error *err)
{
  wasmrt_error scratch;
  static const uint8_t no_bytes[1];
  if (!err)
    err = &scratch;
  if (!bytes) {
    /* NULL with size 0 is an empty (malformed) module; keep pointer
     * arithmetic off NULL. */
    bytes = no_bytes;
    size = 0;
    take_ownership = false;
  }
  memset(err, 0, sizeof *err);
  err->function = -1;
  if (out)
    *out = NULL;
  wr_decoder d = {
      .base = bytes, .end = bytes + size, .section = WR_SECTION_HEADER, .function = -1, .err = err};
  wr_module *m = calloc(1, sizeof *m);
  if (!m) {
    if (take_ownership)
      free((void *)bytes);
    wr_nomem(&d, bytes, "module");
    return WASMRT_ERROR_NOMEM;
  }
  m->bytes = bytes;
  m->size = size;
  m->owns_bytes = take_ownership;
  d.m = m;
  bool ok;
  if (size > WR_MAX_MODULE_SIZE)
    ok = wr_limit(&d, bytes, "module of %zu bytes exceeds the limit of %u", size,
                  WR_MAX_MODULE_SIZE);
  else
    ok = wr_decode_header(&d) && wr_decode_sections(&d);
  wr_func_state_free(&d.fs);
  free(d.declared_refs);
  if (ok && d.invalid) {
    *err = d.first_invalid;
    ok = false;
  }
  if (!ok) {
    wr_module_free(m);
    return err->code;
  }
  if (out)
    *out = m;
  else
    wr_module_free(m);
  return WASMRT_OK;
}

const char *wr_module_func_name(const wr_module *m, uint32_t index, size_t *len)
{
  uint32_t lo = 0, hi = m->func_name_count;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (m->func_names[mid].index < index)
      lo = mid + 1;
    else
      hi = mid;
  }
  if (lo < m->func_name_count && m->func_names[lo].index == index) {
    *len = m->func_names[lo].name.size;
    return (const char *)m->bytes + m->func_names[lo].name.offset;
  }
  *len = 0;
  return NULL;
}
