/*
 * wast_values.c - the values of wast2json scripts: reading them, comparing
 * results with them, and writing both for messages.
 *
 * wast2json writes a value as {"type": T, "value": V}: for i32, i64, f32 and
 * f64 V is the unsigned decimal of the bits, or for an expected float
 * "nan:canonical" / "nan:arithmetic"; for funcref and externref V is "null"
 * or (externref) a decimal number naming a host reference; an expected
 * reference without "value" accepts any non-null one; a v128 has a
 * "lane_type" and an array of lanes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/wast.h"

void *wast_refs_get(wast_refs *refs, uint64_t number)
{
  for (size_t i = 0; i < refs->count; i++)
    if (*refs->keys[i] == number)
      return refs->keys[i];
  uint64_t **grown = realloc(refs->keys, (refs->count + 1) * sizeof *grown);
  if (!grown)
    return NULL;
  refs->keys = grown;
  uint64_t *key = malloc(sizeof *key);
  if (!key)
    return NULL;
  *key = number;
  refs->keys[refs->count++] = key;
  return key;
}

bool wast_refs_find(const wast_refs *refs, const void *ref, uint64_t *number_out)
{
  for (size_t i = 0; i < refs->count; i++)
    if (refs->keys[i] == ref) {
      *number_out = *refs->keys[i];
      return true;
    }
  return false;
}

void wast_refs_free(wast_refs *refs)
{
  for (size_t i = 0; i < refs->count; i++)
    free(refs->keys[i]);
  free(refs->keys);
  refs->keys = NULL;
  refs->count = 0;
}

static const struct {
  const char *name;
  wasmrt_valtype type;
} wast_valtypes[] = {
    {"i32", WASMRT_I32},
    {"i64", WASMRT_I64},
    {"f32", WASMRT_F32},
    {"f64", WASMRT_F64},
    {"v128", WASMRT_V128},
    {"funcref", WASMRT_FUNCREF},
    {"externref", WASMRT_EXTERNREF},
};

/* An unsigned decimal no larger than `max`, digits only. */
static bool wast_parse_bits(const char *text, uint64_t max, uint64_t *out)
{
  uint64_t value = 0;
  if (!text || text[0] == '\0')
    return false;
  for (const char *p = text; *p; p++) {
    if (*p < '0' || *p > '9')
      return false;
    unsigned digit = (unsigned)(*p - '0');
    if (value > (max - digit) / 10)
      return false;
    value = value * 10 + digit;
  }
  *out = value;
  return true;
}

wast_value_status wast_value_read(const json_value *json, wast_refs *refs, wast_value *out,
                                  char *why, size_t why_size)
{
  memset(out, 0, sizeof *out);
  const char *type_name = json_string(json_object_get(json, "type"));
  if (!type_name) {
    snprintf(why, why_size, "a value must be an object with a \"type\" string");
    return WAST_VALUE_BAD;
  }
  size_t t = 0;
  while (t < sizeof wast_valtypes / sizeof wast_valtypes[0] &&
         strcmp(wast_valtypes[t].name, type_name) != 0)
    t++;
  if (t == sizeof wast_valtypes / sizeof wast_valtypes[0]) {
    snprintf(why, why_size, "unknown value type \"%s\"", type_name);
    return WAST_VALUE_BAD;
  }
  out->val.type = wast_valtypes[t].type;
  if (out->val.type == WASMRT_V128)
    return WAST_VALUE_V128;
  const json_value *value = json_object_get(json, "value");
  const char *text = json_string(value);
  if (value && !text) {
    snprintf(why, why_size, "the \"value\" of a %s must be a string", type_name);
    return WAST_VALUE_BAD;
  }
  bool is_float = out->val.type == WASMRT_F32 || out->val.type == WASMRT_F64;
  bool is_ref = out->val.type == WASMRT_FUNCREF || out->val.type == WASMRT_EXTERNREF;
  if (!text) {
    /* Only an expected reference may leave its value out. */
    if (is_ref) {
      out->expect = WAST_EXPECT_NON_NULL;
      return WAST_VALUE_OK;
    }
    snprintf(why, why_size, "a %s without a \"value\"", type_name);
    return WAST_VALUE_BAD;
  }
  if (is_float && strcmp(text, "nan:canonical") == 0) {
    out->expect = WAST_EXPECT_CANONICAL_NAN;
    return WAST_VALUE_OK;
  }
  if (is_float && strcmp(text, "nan:arithmetic") == 0) {
    out->expect = WAST_EXPECT_ARITHMETIC_NAN;
    return WAST_VALUE_OK;
  }
  out->expect = WAST_EXPECT_EXACT;
  uint64_t bits;
  switch (out->val.type) {
  case WASMRT_I32:
  case WASMRT_F32:
    if (!wast_parse_bits(text, UINT32_MAX, &bits))
      break;
    out->val.of.i32 = (uint32_t)bits;
    return WAST_VALUE_OK;
  case WASMRT_I64:
  case WASMRT_F64:
    if (!wast_parse_bits(text, UINT64_MAX, &bits))
      break;
    out->val.of.i64 = bits;
    return WAST_VALUE_OK;
  case WASMRT_FUNCREF:
    if (strcmp(text, "null") == 0) {
      out->val.of.funcref = NULL;
      return WAST_VALUE_OK;
    }
    /* wast2json has no way to name a function; take any number as "some
     * function", which only an expected value can use. */
    if (!wast_parse_bits(text, UINT64_MAX, &bits))
      break;
    out->expect = WAST_EXPECT_NON_NULL;
    return WAST_VALUE_OK;
  case WASMRT_EXTERNREF:
    if (strcmp(text, "null") == 0) {
      out->val.of.externref = NULL;
      return WAST_VALUE_OK;
    }
    if (!wast_parse_bits(text, UINT64_MAX, &bits))
      break;
    out->val.of.externref = wast_refs_get(refs, bits);
    if (!out->val.of.externref) {
      snprintf(why, why_size, "out of memory");
      return WAST_VALUE_BAD;
    }
    return WAST_VALUE_OK;
  case WASMRT_V128:
    break;
  }
  snprintf(why, why_size, "\"%s\" is not a %s value", text, type_name);
  return WAST_VALUE_BAD;
}

bool wast_value_matches(const wast_value *expected, const wasmrt_val *actual)
{
  if (expected->val.type != actual->type)
    return false;
  switch (expected->expect) {
  case WAST_EXPECT_CANONICAL_NAN:
    if (actual->type == WASMRT_F32)
      return (actual->of.f32_bits & 0x7fffffffu) == 0x7fc00000u;
    return (actual->of.f64_bits & 0x7fffffffffffffffull) == 0x7ff8000000000000ull;
  case WAST_EXPECT_ARITHMETIC_NAN:
    /* The quiet bit is the top bit of the payload, so with an all-ones
     * exponent it also makes the value a NaN. */
    if (actual->type == WASMRT_F32)
      return (actual->of.f32_bits & 0x7fc00000u) == 0x7fc00000u;
    return (actual->of.f64_bits & 0x7ff8000000000000ull) == 0x7ff8000000000000ull;
  case WAST_EXPECT_NON_NULL:
    return actual->type == WASMRT_FUNCREF ? actual->of.funcref != NULL
                                          : actual->of.externref != NULL;
  case WAST_EXPECT_EXACT:
    break;
  }
  switch (actual->type) {
  case WASMRT_I32:
  case WASMRT_F32:
    return actual->of.i32 == expected->val.of.i32;
  case WASMRT_I64:
  case WASMRT_F64:
    return actual->of.i64 == expected->val.of.i64;
  case WASMRT_FUNCREF:
    return actual->of.funcref == expected->val.of.funcref;
  case WASMRT_EXTERNREF:
    return actual->of.externref == expected->val.of.externref;
  case WASMRT_V128:
    return memcmp(actual->of.v128, expected->val.of.v128, 16) == 0;
  }
  return false;
}

void wast_val_format(const wasmrt_val *val, const wast_refs *refs, char *out, size_t size)
{
  const char *name = wasmrt_valtype_name(val->type);
  switch (val->type) {
  case WASMRT_I32:
    snprintf(out, size, "i32 %lu (0x%08lx)", (unsigned long)val->of.i32,
             (unsigned long)val->of.i32);
    return;
  case WASMRT_I64:
    snprintf(out, size, "i64 %llu (0x%016llx)", (unsigned long long)val->of.i64,
             (unsigned long long)val->of.i64);
    return;
  case WASMRT_F32: {
    float f;
    memcpy(&f, &val->of.f32_bits, sizeof f);
    snprintf(out, size, "f32 0x%08lx (%.9g)", (unsigned long)val->of.f32_bits, (double)f);
    return;
  }
  case WASMRT_F64: {
    double d;
    memcpy(&d, &val->of.f64_bits, sizeof d);
    snprintf(out, size, "f64 0x%016llx (%.17g)", (unsigned long long)val->of.f64_bits, d);
    return;
  }
  case WASMRT_FUNCREF:
    snprintf(out, size, "funcref %s", val->of.funcref ? "non-null" : "null");
    return;
  case WASMRT_EXTERNREF: {
    uint64_t number;
    if (!val->of.externref)
      snprintf(out, size, "externref null");
    else if (wast_refs_find(refs, val->of.externref, &number))
      snprintf(out, size, "externref %llu", (unsigned long long)number);
    else
      snprintf(out, size, "externref %p (not one the script made)", val->of.externref);
    return;
  }
  case WASMRT_V128: {
    int used = snprintf(out, size, "v128 0x");
    for (int i = 15; i >= 0 && used > 0 && (size_t)used < size; i--)
      used += snprintf(out + used, size - (size_t)used, "%02x", val->of.v128[i]);
    return;
  }
  }
  snprintf(out, size, "%s (type 0x%02x)", name, (unsigned)val->type);
}

void wast_value_format(const wast_value *value, const wast_refs *refs, char *out, size_t size)
{
  const char *name = wasmrt_valtype_name(value->val.type);
  switch (value->expect) {
  case WAST_EXPECT_CANONICAL_NAN:
    snprintf(out, size, "%s nan:canonical", name);
    return;
  case WAST_EXPECT_ARITHMETIC_NAN:
    snprintf(out, size, "%s nan:arithmetic", name);
    return;
  case WAST_EXPECT_NON_NULL:
    snprintf(out, size, "%s non-null", name);
    return;
  case WAST_EXPECT_EXACT:
    break;
  }
  wast_val_format(&value->val, refs, out, size);
}
