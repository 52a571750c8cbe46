/*
 * types.c - canonical function signatures of a store.
 *
 * call_indirect and import checks compare signatures by one integer, so the
 * store interns every signature it meets (module types, host functions) to a
 * dense id: equal signatures get equal ids, in every instance of the store.
 * An open-addressing hash table keeps interning linear in the number of
 * types a module declares.
 */
#include <stdlib.h>

#include "runtime/runtime.h"

static uint64_t wr_sig_hash(const uint8_t *params, uint32_t pc, const uint8_t *results, uint32_t rc)
{
  /* FNV-1a over the counts and the type bytes. */
  uint64_t h = 0xcbf29ce484222325ull;
#define WR_MIX(byte) (h = (h ^ (uint8_t)(byte)) * 0x100000001b3ull)
  for (int i = 0; i < 4; i++)
    WR_MIX(pc >> (8 * i));
  for (uint32_t i = 0; i < pc; i++)
    WR_MIX(params[i]);
  for (int i = 0; i < 4; i++)
    WR_MIX(rc >> (8 * i));
  for (uint32_t i = 0; i < rc; i++)
    WR_MIX(results[i]);
#undef WR_MIX
  return h;
}

static bool wr_sig_equal(const wr_sig *s, const uint8_t *params, uint32_t pc,
                         const uint8_t *results, uint32_t rc)
{
  if (s->param_count != pc || s->result_count != rc)
    return false;
  for (uint32_t i = 0; i < pc; i++)
    if (s->types[i] != (wasmrt_valtype)params[i])
      return false;
  for (uint32_t i = 0; i < rc; i++)
    if (s->types[pc + i] != (wasmrt_valtype)results[i])
      return false;
  return true;
}

/* Doubles the bucket array and rehashes; false when out of memory. */
static bool wr_sigtab_rehash(wr_sigtab *t)
{
  uint32_t n = t->bucket_count ? t->bucket_count * 2 : 64;
  uint32_t *b = calloc(n, sizeof *b);
  if (!b)
    return false;
  for (uint32_t id = 0; id < t->count; id++) {
    uint32_t i = (uint32_t)t->sigs[id].hash & (n - 1);
    while (b[i])
      i = (i + 1) & (n - 1);
    b[i] = id + 1;
  }
  free(t->buckets);
  t->buckets = b;
  t->bucket_count = n;
  return true;
}

bool wr_sigtab_intern(wr_sigtab *t, const uint8_t *params, uint32_t param_count,
                      const uint8_t *results, uint32_t result_count, uint32_t *id_out)
{
  uint64_t h = wr_sig_hash(params, param_count, results, result_count);
  if (t->bucket_count) {
    for (uint32_t i = (uint32_t)h & (t->bucket_count - 1); t->buckets[i];
         i = (i + 1) & (t->bucket_count - 1)) {
      const wr_sig *s = &t->sigs[t->buckets[i] - 1];
      if (s->hash == h && wr_sig_equal(s, params, param_count, results, result_count)) {
        *id_out = t->buckets[i] - 1;
        return true;
      }
    }
  }
  /* Keep the load factor at most one half. */
  if ((uint64_t)(t->count + 1) * 2 > t->bucket_count && !wr_sigtab_rehash(t))
    return false;
  if (t->count == t->cap) {
    uint32_t cap = t->cap ? t->cap * 2 : 16;
    wr_sig *sigs = realloc(t->sigs, cap * sizeof *sigs);
    if (!sigs)
      return false;
    t->sigs = sigs;
    t->cap = cap;
  }
  size_t n = (size_t)param_count + result_count;
  wasmrt_valtype *types = malloc((n ? n : 1) * sizeof *types);
  if (!types)
    return false;
  for (uint32_t i = 0; i < param_count; i++)
    types[i] = (wasmrt_valtype)params[i];
  for (uint32_t i = 0; i < result_count; i++)
    types[param_count + i] = (wasmrt_valtype)results[i];
  uint32_t id = t->count++;
  t->sigs[id] = (wr_sig){param_count, result_count, types, h};
  uint32_t i = (uint32_t)h & (t->bucket_count - 1);
  while (t->buckets[i])
    i = (i + 1) & (t->bucket_count - 1);
  t->buckets[i] = id + 1;
  *id_out = id;
  return true;
}

void wr_sigtab_free(wr_sigtab *t)
{
  for (uint32_t i = 0; i < t->count; i++)
    free(t->sigs[i].types);
  free(t->sigs);
  free(t->buckets);
  memset(t, 0, sizeof *t);
}

/* Appends to buf (size bytes, NUL-terminated), truncating. */
static void wr_append(char *buf, size_t size, size_t *n, const char *text)
{
  while (*text && *n + 1 < size)
    buf[(*n)++] = *text++;
  buf[*n] = '\0';
}

void wr_sig_describe(const wr_sig *s, char *buf, size_t size)
{
  size_t n = 0;
  if (!size)
    return;
  wr_append(buf, size, &n, "[");
  for (uint32_t i = 0; i < s->param_count + s->result_count; i++) {
    if (i == s->param_count)
      wr_append(buf, size, &n, "] -> [");
    else if (i)
      wr_append(buf, size, &n, " ");
    wr_append(buf, size, &n, wr_valtype_name((uint8_t)s->types[i]));
  }
  if (s->result_count == 0)
    wr_append(buf, size, &n, "] -> [");
  wr_append(buf, size, &n, "]");
}
