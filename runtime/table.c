/*
 * table.c - tables of references: a calloc'd element array that realloc
 * grows, and the table operations with the spec's bounds checks (checked
 * before anything is written, so a trapping operation changes nothing).
 *
 * Elements are wr_funcref* (== wasmrt_func*) for funcref tables and the
 * host's pointers for externref tables; NULL is the null reference.
 * Growth stops at the declared maximum and at WR_MAX_TABLE_ELEMS.
 */
#include <stdlib.h>

#include "runtime/runtime.h"

wasmrt_result wr_table_create(wasmrt_store *s, uint8_t elem_type, uint64_t min, bool has_max,
                              uint64_t max, wasmrt_table **out, wasmrt_error *err)
{
  *out = NULL;
  if (!wr_is_reftype(elem_type))
    return wr_error_set(err, WASMRT_ERROR_ARGUMENT, "a table's elements must be references, not %s",
                        wr_valtype_name(elem_type));
  if (min > UINT32_MAX || (has_max && (max > UINT32_MAX || max < min)))
    return wr_error_set(err, WASMRT_ERROR_ARGUMENT,
                        "table limits (min %llu, max %llu) are not valid: min <= max",
                        (unsigned long long)min, (unsigned long long)max);
  if (min > WR_MAX_TABLE_ELEMS)
    return wr_error_set(err, WASMRT_ERROR_LIMIT,
                        "a table of %llu elements is over wasmrt's limit of %u",
                        (unsigned long long)min, WR_MAX_TABLE_ELEMS);
  wasmrt_table *t = calloc(1, sizeof *t);
  if (!t)
    goto nomem;
  t->t.elems = calloc(min ? min : 1, sizeof *t->t.elems);
  if (!t->t.elems)
    goto nomem;
  t->t.size = (uint32_t)min;
  t->t.max = has_max ? (uint32_t)max : UINT32_MAX;
  t->t.elem_type = elem_type;
  t->has_max = has_max;
  t->store = s;
  if (!wr_ptrvec_push(&s->tables, t))
    goto nomem;
  *out = t;
  return WASMRT_OK;
nomem:
  if (t)
    free(t->t.elems);
  free(t);
  return wr_error_set(err, WASMRT_ERROR_NOMEM, "out of memory creating a table of %llu elements",
                      (unsigned long long)min);
}

static inline bool wr_in_bounds(uint64_t at, uint64_t n, uint64_t size) { return at + n <= size; }

wasmrt_trap_kind wr_table_get(const wr_table *t, uint32_t i, void **out)
{
  if (i >= t->size)
    return WASMRT_TRAP_TABLE_OUT_OF_BOUNDS;
  *out = t->elems[i];
  return WASMRT_TRAP_NONE;
}

wasmrt_trap_kind wr_table_set(wr_table *t, uint32_t i, void *ref)
{
  if (i >= t->size)
    return WASMRT_TRAP_TABLE_OUT_OF_BOUNDS;
  t->elems[i] = ref;
  return WASMRT_TRAP_NONE;
}

uint64_t wr_table_grow(wr_table *t, void *init, uint32_t delta)
{
  uint32_t old = t->size;
  if (delta == 0)
    return old;
  uint64_t size = (uint64_t)old + delta;
  if (size > t->max || size > WR_MAX_TABLE_ELEMS)
    return UINT64_MAX;
  void **elems = realloc(t->elems, size * sizeof *elems);
  if (!elems)
    return UINT64_MAX;
  for (uint64_t i = old; i < size; i++)
    elems[i] = init;
  t->elems = elems;
  t->size = (uint32_t)size;
  return old;
}

wasmrt_trap_kind wr_table_fill(wr_table *t, uint32_t i, void *ref, uint32_t n)
{
  if (!wr_in_bounds(i, n, t->size))
    return WASMRT_TRAP_TABLE_OUT_OF_BOUNDS;
  for (uint32_t k = 0; k < n; k++)
    t->elems[i + k] = ref;
  return WASMRT_TRAP_NONE;
}

wasmrt_trap_kind wr_table_copy(wr_table *dst, const wr_table *src, uint32_t d, uint32_t s,
                               uint32_t n)
{
  if (!wr_in_bounds(d, n, dst->size) || !wr_in_bounds(s, n, src->size))
    return WASMRT_TRAP_TABLE_OUT_OF_BOUNDS;
  if (n)
    memmove(dst->elems + d, src->elems + s, n * sizeof *dst->elems);
  return WASMRT_TRAP_NONE;
}

wasmrt_trap_kind wr_table_init(wr_table *t, void *const *items, uint32_t count, uint32_t d,
                               uint32_t s, uint32_t n)
{
  if (!wr_in_bounds(s, n, count) || !wr_in_bounds(d, n, t->size))
    return WASMRT_TRAP_TABLE_OUT_OF_BOUNDS;
  if (n)
    memcpy(t->elems + d, items + s, n * sizeof *t->elems);
  return WASMRT_TRAP_NONE;
}

wasmrt_result wasmrt_table_new(wasmrt_store *store, wasmrt_valtype elem_type, uint32_t min,
                               int has_max, uint32_t max, wasmrt_table **table_out,
                               wasmrt_error *error)
{
  if (!store || !table_out)
    return wr_error_set(error, WASMRT_ERROR_ARGUMENT, "wasmrt_table_new: NULL argument");
  if (elem_type != WASMRT_FUNCREF && elem_type != WASMRT_EXTERNREF)
    return wr_error_set(error, WASMRT_ERROR_ARGUMENT,
                        "wasmrt_table_new: elements must be funcref or externref");
  return wr_table_create(store, (uint8_t)elem_type, min, has_max != 0, max, table_out, error);
}

uint32_t wasmrt_table_size(const wasmrt_table *table) { return table ? table->t.size : 0; }
