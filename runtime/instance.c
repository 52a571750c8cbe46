/*
 * instance.c - instantiation (WebAssembly 2.0 section 4.5.4) and exports.
 *
 * Order, as the spec has it: check imports; make functions, tables,
 * memories; initialize globals in order; evaluate the element segments;
 * apply the active element segments, then the active data segments, in
 * order (each as table.init/memory.init with its bounds check, then
 * dropped; declarative ones are dropped too); run the start function.
 *
 * Until the first segment is applied nothing shared has changed, so a
 * failure before it frees everything the instantiation made. From then on
 * an imported table or memory may hold the instance's functions or data,
 * so a trap leaves the instance (not returned) in the store, which frees it
 * with everything else.
 */
#include <stdio.h>
#include <stdlib.h>

#include "runtime/runtime.h"

/* Evaluates a constant expression into a 16-byte cell. */
static void wr_eval_const(const wasmrt_instance *inst, const wr_const_expr *e, uint64_t out[2])
{
  out[0] = out[1] = 0;
  switch (e->kind) {
  case WR_CONST_I32:
    out[0] = e->u.i32;
    break;
  case WR_CONST_I64:
    out[0] = e->u.i64;
    break;
  case WR_CONST_F32:
    out[0] = e->u.f32_bits;
    break;
  case WR_CONST_F64:
    out[0] = e->u.f64_bits;
    break;
  case WR_CONST_V128:
    memcpy(out, e->u.v128, 16);
    break;
  case WR_CONST_REF_NULL:
    break;
  case WR_CONST_REF_FUNC:
    out[0] = (uint64_t)(uintptr_t)inst->funcs[e->u.index];
    break;
  case WR_CONST_GLOBAL_GET:
    memcpy(out, inst->globals[e->u.index]->cell, 16);
    break;
  }
}

void wr_instance_destroy(wasmrt_instance *inst)
{
  if (!inst)
    return;
  if (inst->elems)
    for (uint32_t i = 0; i < inst->module->elem_count; i++)
      free(inst->elems[i].items);
  free(inst->elems);
  free(inst->data_dropped);
  free(inst->vmctx);
  free(inst->defined_funcs);
  free(inst->funcs);
  free(inst->tables);
  free(inst->table_ptrs);
  free(inst->memories);
  free(inst->globals);
  free(inst->defined_globals);
  free(inst->imported_cells);
  free(inst->type_ids);
  free(inst);
}

/* calloc that never asks for 0 bytes, so NULL always means failure. */
static void *wr_calloc(size_t n, size_t size) { return calloc(n ? n : 1, size); }

static bool wr_instance_alloc(wasmrt_instance *inst, const wr_module *m)
{
  size_t vmctx_size = (wr_vmctx_size(m) + 15) & ~(size_t)15;
  inst->vmctx = aligned_alloc(16, vmctx_size);
  if (inst->vmctx)
    memset(inst->vmctx, 0, vmctx_size);
  inst->defined_funcs =
      wr_calloc(m->function_count - m->imported_function_count, sizeof *inst->defined_funcs);
  inst->funcs = wr_calloc(m->function_count, sizeof *inst->funcs);
  inst->tables = wr_calloc(m->table_count, sizeof *inst->tables);
  inst->table_ptrs = wr_calloc(m->table_count, sizeof *inst->table_ptrs);
  inst->memories = wr_calloc(m->memory_count, sizeof *inst->memories);
  inst->globals = wr_calloc(m->global_count, sizeof *inst->globals);
  inst->defined_globals =
      wr_calloc(m->global_count - m->imported_global_count, sizeof *inst->defined_globals);
  inst->imported_cells = wr_calloc(m->imported_global_count, sizeof *inst->imported_cells);
  inst->data_dropped = wr_calloc(m->data_count, sizeof *inst->data_dropped);
  inst->elems = wr_calloc(m->elem_count, sizeof *inst->elems);
  return inst->vmctx && inst->defined_funcs && inst->funcs && inst->tables && inst->table_ptrs &&
         inst->memories && inst->globals && inst->defined_globals && inst->imported_cells &&
         inst->data_dropped && inst->elems;
}

/* Puts each import in its index space. */
static void wr_instance_bind_imports(wasmrt_instance *inst, const wasmrt_extern *imports)
{
  const wr_module *m = inst->module;
  uint32_t nf = 0, nt = 0, nm = 0, ng = 0;
  for (uint32_t i = 0; i < m->import_count; i++) {
    const wasmrt_extern *e = &imports[i];
    switch (e->kind) {
    case WASMRT_EXTERN_FUNC:
      inst->funcs[nf++] = &e->of.func->ref;
      break;
    case WASMRT_EXTERN_TABLE:
      inst->tables[nt] = e->of.table;
      inst->table_ptrs[nt++] = &e->of.table->t;
      break;
    case WASMRT_EXTERN_MEMORY:
      inst->memories[nm++] = e->of.memory;
      break;
    case WASMRT_EXTERN_GLOBAL:
      inst->globals[ng] = e->of.global;
      inst->imported_cells[ng++] = e->of.global->cell;
      break;
    }
  }
}

/* Defined functions, tables, memories and globals, and the vmctx. */
static wasmrt_result wr_instance_define(wasmrt_instance *inst, wasmrt_error *err)
{
  wasmrt_store *s = inst->store;
  const wr_module *m = inst->module;
  const wr_object *obj = inst->compiled->object;
  for (uint32_t j = 0; j < obj->func_count; j++) {
    uint32_t index = m->imported_function_count + j;
    wasmrt_func *f = &inst->defined_funcs[j];
    f->ref.code = inst->compiled->exec + obj->funcs[j].code_offset;
    f->ref.vmctx = inst->vmctx;
    f->ref.type_id = inst->type_ids[m->functions[index].type_index];
    f->ref.func_index = index;
    f->store = s;
    f->instance = inst;
    inst->funcs[index] = &f->ref;
  }
  for (uint32_t i = m->imported_table_count; i < m->table_count; i++) {
    const wr_tabletype *tt = &m->tables[i];
    wasmrt_result r = wr_table_create(s, tt->elem_type, tt->limits.min, tt->limits.has_max,
                                      tt->limits.max, &inst->tables[i], err);
    if (r != WASMRT_OK)
      return r;
    inst->table_ptrs[i] = &inst->tables[i]->t;
  }
  for (uint32_t i = m->imported_memory_count; i < m->memory_count; i++) {
    const wr_limits *l = &m->memories[i];
    wasmrt_result r = wr_memory_create(s, l->min, l->has_max, l->max, &inst->memories[i], err);
    if (r != WASMRT_OK)
      return r;
  }
  for (uint32_t i = m->imported_global_count; i < m->global_count; i++) {
    wasmrt_global *g = &inst->defined_globals[i - m->imported_global_count];
    g->store = s;
    g->type = m->globals[i].type.type;
    g->mutable_ = m->globals[i].type.mutable_;
    g->cell = (uint64_t *)((uint8_t *)inst->vmctx + wr_vmctx_global_offset(m, i));
    wr_eval_const(inst, &m->globals[i].init, g->cell);
    inst->globals[i] = g;
  }
  wr_vmctx *ctx = inst->vmctx;
  if (m->memory_count) {
    ctx->memory = &inst->memories[0]->m;
    ctx->mem_base = ctx->memory->base;
  }
  ctx->stack_limit = s->stack_limit;
  ctx->real_stack_limit = s->stack_limit;
  memcpy(ctx->helpers, wr_helper_table, sizeof ctx->helpers);
  ctx->funcs = inst->funcs;
  ctx->tables = inst->table_ptrs;
  ctx->imported_globals = inst->imported_cells;
  ctx->type_ids = inst->type_ids;
  ctx->runtime = inst;
  return WASMRT_OK;
}

/* The references of every element segment that is not declarative. */
static bool wr_instance_eval_elems(wasmrt_instance *inst)
{
  const wr_module *m = inst->module;
  for (uint32_t i = 0; i < m->elem_count; i++) {
    const wr_elem *e = &m->elems[i];
    if (e->mode == WR_SEGMENT_DECLARATIVE || e->count == 0)
      continue;
    void **items = malloc(e->count * sizeof *items);
    if (!items)
      return false;
    for (uint32_t k = 0; k < e->count; k++) {
      uint64_t cell[2];
      wr_eval_const(inst, &m->elem_inits[e->first_init + k], cell);
      items[k] = (void *)(uintptr_t)cell[0];
    }
    inst->elems[i].items = items;
    inst->elems[i].count = e->count;
  }
  return true;
}

static wasmrt_result wr_segment_trap(wasmrt_error *err, wasmrt_trap_kind kind, const char *what,
                                     uint32_t index, uint32_t module_offset)
{
  wr_error_set(err, WASMRT_ERROR_TRAP, "wasm trap: %s, %s segment %u", wasmrt_trap_message(kind),
               what, index);
  if (err) {
    err->trap = kind;
    err->offset = module_offset;
  }
  return WASMRT_ERROR_TRAP;
}

/* Active element then data segments, in order; every non-passive segment
 * is dropped. Stops at the first that traps. */
static wasmrt_result wr_instance_apply_segments(wasmrt_instance *inst, wasmrt_error *err)
{
  const wr_module *m = inst->module;
  for (uint32_t i = 0; i < m->elem_count; i++) {
    const wr_elem *e = &m->elems[i];
    wr_elem_items *items = &inst->elems[i];
    wasmrt_trap_kind trap = WASMRT_TRAP_NONE;
    if (e->mode == WR_SEGMENT_PASSIVE)
      continue;
    if (e->mode == WR_SEGMENT_ACTIVE) {
      uint64_t offset[2];
      wr_eval_const(inst, &e->offset, offset);
      trap = wr_table_init(inst->table_ptrs[e->table_index], items->items, items->count,
                           (uint32_t)offset[0], 0, items->count);
    }
    free(items->items);
    items->items = NULL;
    items->count = 0;
    if (trap)
      return wr_segment_trap(err, trap, "element", i, e->offset.code.offset);
  }
  for (uint32_t i = 0; i < m->data_count; i++) {
    const wr_data *d = &m->datas[i];
    if (d->mode != WR_SEGMENT_ACTIVE)
      continue;
    uint64_t offset[2];
    wr_eval_const(inst, &d->offset, offset);
    wasmrt_trap_kind trap =
        wr_memory_init(&inst->memories[d->memory_index]->m, m->bytes + d->bytes.offset,
                       d->bytes.size, (uint32_t)offset[0], 0, d->bytes.size);
    inst->data_dropped[i] = true;
    if (trap)
      return wr_segment_trap(err, trap, "data", i, d->offset.code.offset);
  }
  return WASMRT_OK;
}

wasmrt_result wasmrt_instantiate(wasmrt_store *store, const wasmrt_compiled *compiled,
                                 const wasmrt_extern *imports, size_t import_count,
                                 wasmrt_instance **instance_out, wasmrt_error *error)
{
  if (!store || !compiled || !instance_out || (import_count && !imports))
    return wr_error_set(error, WASMRT_ERROR_ARGUMENT, "wasmrt_instantiate: NULL argument");
  *instance_out = NULL;
  const wr_module *m = compiled->module;
  if (compiled->object->func_count != m->function_count - m->imported_function_count)
    return wr_error_set(
        error, WASMRT_ERROR_OBJECT, "the compiled object has %u functions, the module defines %u",
        compiled->object->func_count, m->function_count - m->imported_function_count);
  wasmrt_result r = wr_code_map(compiled, error);
  if (r != WASMRT_OK)
    return r;
  wr_store_mark mark = wr_store_get_mark(store);
  bool in_store = false; /* then the rollback frees the instance */
  wasmrt_instance *inst = calloc(1, sizeof *inst);
  if (!inst)
    goto nomem;
  inst->store = store;
  inst->compiled = compiled;
  inst->module = m;
  inst->type_ids = wr_calloc(m->type_count, sizeof *inst->type_ids);
  if (!inst->type_ids)
    goto nomem;
  for (uint32_t i = 0; i < m->type_count; i++) {
    const wr_functype *t = &m->types[i];
    if (!wr_sigtab_intern(&store->sigs, wr_functype_params(m, t), t->param_count,
                          wr_functype_results(m, t), t->result_count, &inst->type_ids[i]))
      goto nomem;
  }
  r = wr_link_check(store, m, inst->type_ids, imports, import_count, error);
  if (r != WASMRT_OK)
    goto fail;
  if (!wr_instance_alloc(inst, m) || !wr_store_add_code(store, compiled) ||
      !wr_ptrvec_push(&store->instances, inst))
    goto nomem;
  in_store = true;
  wr_instance_bind_imports(inst, imports);
  r = wr_instance_define(inst, error);
  if (r != WASMRT_OK)
    goto fail;
  if (!wr_instance_eval_elems(inst))
    goto nomem;
  /* From here on the store keeps the instance, whatever happens. */
  r = wr_instance_apply_segments(inst, error);
  if (r != WASMRT_OK)
    return r;
  if (m->has_start) {
    r = wr_call(store, wr_func_of(inst->funcs[m->start_function]), NULL, NULL, error);
    if (r != WASMRT_OK)
      return r;
  }
  *instance_out = inst;
  return WASMRT_OK;
nomem:
  r = wr_error_set(error, WASMRT_ERROR_NOMEM, "out of memory instantiating a module");
fail:
  if (!in_store)
    wr_instance_destroy(inst);
  wr_store_rollback(store, &mark);
  return r;
}

wasmrt_result wasmrt_instance_export(const wasmrt_instance *instance, const char *name,
                                     size_t name_size, wasmrt_extern *extern_out)
{
  if (!instance || (!name && name_size) || !extern_out)
    return WASMRT_ERROR_ARGUMENT;
  const wr_module *m = instance->module;
  for (uint32_t i = 0; i < m->export_count; i++) {
    const wr_export *e = &m->exports[i];
    if (e->name.size != name_size ||
        (name_size && memcmp(m->bytes + e->name.offset, name, name_size) != 0))
      continue;
    extern_out->kind = (wasmrt_extern_kind)e->kind;
    switch (e->kind) {
    case WASMRT_EXTERN_FUNC:
      extern_out->of.func = wr_func_of(instance->funcs[e->index]);
      break;
    case WASMRT_EXTERN_TABLE:
      extern_out->of.table = instance->tables[e->index];
      break;
    case WASMRT_EXTERN_MEMORY:
      extern_out->of.memory = instance->memories[e->index];
      break;
    default:
      extern_out->of.global = instance->globals[e->index];
      break;
    }
    return WASMRT_OK;
  }
  return WASMRT_ERROR_ARGUMENT;
}
