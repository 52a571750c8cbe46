/*
 * object_file.c - writing a wr_object as a .wrtobj file and reading one
 * back (layout: docs/OBJECT.md).
 *
 * The reader's duty: whatever the bytes, either return an object whose every
 * count, offset and range was checked (so the runtime, the frame walker and
 * inspect may index with them unchecked) or WASMRT_ERROR_OBJECT with one
 * line naming the first check that failed. Checks run in a fixed order so
 * that the common cases get the useful message: not an object, another
 * format version, a short file, a damaged file, another wasmrt, another
 * module; only then the structure.
 */
#include "compiler/object_file.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "compiler/errors.h"
#include "compiler/reader.h"

/* Sizes of the fixed parts; docs/OBJECT.md has the field tables. */
enum {
  WR_OBJ_HEADER_SIZE = 104,
  WR_OBJ_SECTION_HEADER_SIZE = 16,
  WR_OBJ_FUNC_SIZE = 32,
  WR_OBJ_TRAP_SIZE = 16,
  WR_OBJ_POINT_SIZE = 24,
  WR_OBJ_SECTION_COUNT = 5,
};

/* Header field offsets. */
enum {
  WR_OBJ_AT_VERSION = 8,
  WR_OBJ_AT_TARGET = 12,
  WR_OBJ_AT_FLAGS = 16,
  WR_OBJ_AT_HEADER_SIZE = 20,
  WR_OBJ_AT_FILE_SIZE = 24,
  WR_OBJ_AT_MODULE_HASH = 32,
  WR_OBJ_AT_COMPILER_HASH = 64,
  WR_OBJ_AT_SECTION_COUNT = 96,
  WR_OBJ_AT_RESERVED = 100,
};

/* Section ids, which are also their order in the file. */
enum {
  WR_OBJ_SEC_CODE = 1,
  WR_OBJ_SEC_FUNCS = 2,
  WR_OBJ_SEC_TRAPS = 3,
  WR_OBJ_SEC_POINTS = 4,
  WR_OBJ_SEC_TYPES = 5,
};

static const char *const wr_obj_section_names[] = {"", "code", "funcs", "traps", "points", "types"};

void wr_blake2b256(const void *bytes, size_t size, uint8_t out[WR_OBJECT_HASH_SIZE])
{
  /* Idempotent and thread-safe; picks the fastest BLAKE2b implementation.
   * Hashing works (with the portable code) even if it failed. */
  if (sodium_init() < 0) {
    /* Nothing to do: crypto_generichash works without it. */
  }
  crypto_generichash(out, WR_OBJECT_HASH_SIZE, bytes ? bytes : (const void *)"", size, NULL, 0);
}

void wr_object_compiler_hash(uint8_t out[WR_OBJECT_HASH_SIZE])
{
  char text[96];
  int n = snprintf(text, sizeof text, "wasmrt %s abi %u", wasmrt_version_string(),
                   WR_OBJECT_ABI_REVISION);
  wr_blake2b256(text, (size_t)n, out);
}

bool wr_object_has_magic(const uint8_t *bytes, size_t size)
{
  return size >= WR_OBJECT_MAGIC_SIZE && memcmp(bytes, WR_OBJECT_MAGIC, WR_OBJECT_MAGIC_SIZE) == 0;
}

const char *wr_object_target_name(wasmrt_target target)
{
  switch (target) {
  case WASMRT_TARGET_X86_64:
    return "x86_64";
  case WASMRT_TARGET_ARM64:
    return "arm64";
  case WASMRT_TARGET_HOST:
    break;
  }
  return "unknown";
}

wasmrt_result wr_object_check_host(const wr_object *obj, wasmrt_error *err)
{
  wasmrt_target host = wr_host_target();
  if (obj->target == host)
    return WASMRT_OK;
  return wr_error_set(err, WASMRT_ERROR_OBJECT, "object is for %s, this host is %s",
                      wr_object_target_name(obj->target), wr_object_target_name(host));
}

/* ------------------------------------------------------------------------
 * Little-endian fields.
 * ------------------------------------------------------------------------ */

static void wr_put_u32(uint8_t *p, uint32_t v)
{
  for (int i = 0; i < 4; i++)
    p[i] = (uint8_t)(v >> (8 * i));
}

static void wr_put_u64(uint8_t *p, uint64_t v)
{
  for (int i = 0; i < 8; i++)
    p[i] = (uint8_t)(v >> (8 * i));
}

static uint32_t wr_get_u32(const uint8_t *p)
{
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t wr_get_u64(const uint8_t *p)
{
  return (uint64_t)wr_get_u32(p) | (uint64_t)wr_get_u32(p + 4) << 32;
}

/* ------------------------------------------------------------------------
 * Writing.
 * ------------------------------------------------------------------------ */

static uint8_t *wr_put_section(uint8_t *p, uint32_t id, uint32_t count, uint32_t entry_size)
{
  wr_put_u32(p, id);
  wr_put_u32(p + 4, count);
  wr_put_u64(p + 8, (uint64_t)count * entry_size);
  return p + WR_OBJ_SECTION_HEADER_SIZE;
}

wasmrt_result wr_object_write(const wr_object *obj, uint8_t **bytes_out, size_t *size_out,
                              wasmrt_error *err)
{
  *bytes_out = NULL;
  *size_out = 0;
  if (obj->target != WASMRT_TARGET_X86_64 && obj->target != WASMRT_TARGET_ARM64)
    return wr_error_set(err, WASMRT_ERROR_ARGUMENT, "cannot write an object for target %d",
                        (int)obj->target);
  if (obj->code_size > UINT32_MAX)
    return wr_error_set(err, WASMRT_ERROR_ARGUMENT,
                        "cannot write an object with %zu bytes of code (the limit is 4 GiB)",
                        obj->code_size);
  uint64_t total =
      (uint64_t)WR_OBJ_HEADER_SIZE + (uint64_t)WR_OBJ_SECTION_COUNT * WR_OBJ_SECTION_HEADER_SIZE +
      obj->code_size + (uint64_t)obj->func_count * WR_OBJ_FUNC_SIZE +
      (uint64_t)obj->trap_count * WR_OBJ_TRAP_SIZE +
      (uint64_t)obj->point_count * WR_OBJ_POINT_SIZE + obj->type_pool_size + WR_OBJECT_HASH_SIZE;
  if (total > SIZE_MAX)
    return wr_error_set(err, WASMRT_ERROR_NOMEM, "object of %llu bytes does not fit in memory",
                        (unsigned long long)total);
  uint8_t *buf = malloc((size_t)total);
  if (!buf)
    return wr_error_set(err, WASMRT_ERROR_NOMEM, "out of memory writing an object of %llu bytes",
                        (unsigned long long)total);

  uint8_t *p = buf;
  memcpy(p, WR_OBJECT_MAGIC, WR_OBJECT_MAGIC_SIZE);
  wr_put_u32(p + WR_OBJ_AT_VERSION, WR_OBJECT_FORMAT_VERSION);
  wr_put_u32(p + WR_OBJ_AT_TARGET, (uint32_t)obj->target);
  wr_put_u32(p + WR_OBJ_AT_FLAGS, 0);
  wr_put_u32(p + WR_OBJ_AT_HEADER_SIZE, WR_OBJ_HEADER_SIZE);
  wr_put_u64(p + WR_OBJ_AT_FILE_SIZE, total);
  memcpy(p + WR_OBJ_AT_MODULE_HASH, obj->module_hash, WR_OBJECT_HASH_SIZE);
  wr_object_compiler_hash(p + WR_OBJ_AT_COMPILER_HASH);
  wr_put_u32(p + WR_OBJ_AT_SECTION_COUNT, WR_OBJ_SECTION_COUNT);
  wr_put_u32(p + WR_OBJ_AT_RESERVED, 0);
  p += WR_OBJ_HEADER_SIZE;

  p = wr_put_section(p, WR_OBJ_SEC_CODE, (uint32_t)obj->code_size, 1);
  if (obj->code_size)
    memcpy(p, obj->code, obj->code_size);
  p += obj->code_size;

  p = wr_put_section(p, WR_OBJ_SEC_FUNCS, obj->func_count, WR_OBJ_FUNC_SIZE);
  for (uint32_t i = 0; i < obj->func_count; i++, p += WR_OBJ_FUNC_SIZE) {
    const wr_func_code *f = &obj->funcs[i];
    wr_put_u32(p + 0, f->code_offset);
    wr_put_u32(p + 4, f->code_size);
    wr_put_u32(p + 8, f->param_count);
    wr_put_u32(p + 12, f->local_count);
    wr_put_u32(p + 16, f->local_types);
    wr_put_u32(p + 20, f->frame_size);
    wr_put_u32(p + 24, f->first_point);
    wr_put_u32(p + 28, f->point_count);
  }

  p = wr_put_section(p, WR_OBJ_SEC_TRAPS, obj->trap_count, WR_OBJ_TRAP_SIZE);
  for (uint32_t i = 0; i < obj->trap_count; i++, p += WR_OBJ_TRAP_SIZE) {
    const wr_trap_site *t = &obj->traps[i];
    wr_put_u32(p + 0, t->native_offset);
    wr_put_u32(p + 4, t->func_index);
    wr_put_u32(p + 8, t->wasm_offset);
    wr_put_u32(p + 12, t->kind);
  }

  p = wr_put_section(p, WR_OBJ_SEC_POINTS, obj->point_count, WR_OBJ_POINT_SIZE);
  for (uint32_t i = 0; i < obj->point_count; i++, p += WR_OBJ_POINT_SIZE) {
    const wr_frame_point *pt = &obj->points[i];
    wr_put_u32(p + 0, pt->native_offset);
    wr_put_u32(p + 4, pt->func_index);
    wr_put_u32(p + 8, pt->wasm_offset);
    wr_put_u32(p + 12, pt->stack_depth);
    wr_put_u32(p + 16, pt->types);
    wr_put_u32(p + 20, pt->kind);
  }

  p = wr_put_section(p, WR_OBJ_SEC_TYPES, obj->type_pool_size, 1);
  if (obj->type_pool_size)
    memcpy(p, obj->type_pool, obj->type_pool_size);
  p += obj->type_pool_size;

  wr_blake2b256(buf, (size_t)(p - buf), p);
  p += WR_OBJECT_HASH_SIZE;
  if ((uint64_t)(p - buf) != total)
    abort(); /* the size sum above and the writes disagree: a bug here */
  *bytes_out = buf;
  *size_out = (size_t)total;
  return WASMRT_OK;
}

/* ------------------------------------------------------------------------
 * Reading.
 * ------------------------------------------------------------------------ */

typedef struct wr_obj_reader {
  const uint8_t *bytes;
  size_t pos;
  size_t end; /* where the sections end: the checksum's offset */
  wasmrt_error *err;
} wr_obj_reader;

/* A structural failure: "object is malformed: " and what. */
#define WR_MALFORMED(r, ...)                                                                       \
  wr_error_set((r)->err, WASMRT_ERROR_OBJECT, "object is malformed: " __VA_ARGS__)

/* Reads section `id`'s header and checks that its `count` entries of
 * `entry_size` bytes are exactly its size and fit before the checksum. */
static bool wr_obj_section(wr_obj_reader *r, uint32_t id, uint32_t entry_size, uint32_t *count_out,
                           const uint8_t **payload_out)
{
  const char *name = wr_obj_section_names[id];
  size_t at = r->pos;
  if (r->end - r->pos < WR_OBJ_SECTION_HEADER_SIZE) {
    WR_MALFORMED(r, "the %s section's header at byte %zu runs past the end of the sections", name,
                 at);
    return false;
  }
  const uint8_t *h = r->bytes + r->pos;
  uint32_t got = wr_get_u32(h), count = wr_get_u32(h + 4);
  uint64_t size = wr_get_u64(h + 8);
  if (got != id) {
    WR_MALFORMED(r, "expected the %s section (id %u) at byte %zu, found id %u", name, id, at, got);
    return false;
  }
  if (size != (uint64_t)count * entry_size) {
    WR_MALFORMED(r, "the %s section at byte %zu has size %llu, not %u entries of %u bytes", name,
                 at, (unsigned long long)size, count, entry_size);
    return false;
  }
  r->pos += WR_OBJ_SECTION_HEADER_SIZE;
  if (size > r->end - r->pos) {
    WR_MALFORMED(r,
                 "the %s section at byte %zu (%llu bytes) runs past the end of "
                 "the sections",
                 name, at, (unsigned long long)size);
    return false;
  }
  *count_out = count;
  *payload_out = r->bytes + r->pos;
  r->pos += (size_t)size;
  return true;
}

/* malloc(count * size), NULL for zero entries. Sets *ok to false (after
 * reporting) when the allocation fails. */
static void *wr_obj_alloc(wr_obj_reader *r, uint32_t count, size_t size, const char *what, bool *ok)
{
  if (count == 0)
    return NULL;
  void *p = malloc((size_t)count * size);
  if (!p) {
    wr_error_set(r->err, WASMRT_ERROR_NOMEM, "out of memory reading the object's %s (%u entries)",
                 what, count);
    *ok = false;
  }
  return p;
}

/* The module's local types of defined function `defined` (params, then the
 * body's declared locals), compared with obj's. */
static bool wr_obj_check_locals(wr_obj_reader *r, const wr_object *obj, const wr_module *m,
                                uint32_t defined)
{
  const wr_func_code *f = &obj->funcs[defined];
  uint32_t index = m->imported_function_count + defined;
  const wr_function *fn = &m->functions[index];
  const wr_functype *t = &m->types[fn->type_index];
  /* local_count bytes at local_types, inside the pool (checked already). */
  const uint8_t *pool = f->local_count ? obj->type_pool + f->local_types : NULL;
  if (f->param_count != t->param_count) {
    WR_MALFORMED(r, "function %u has %u parameters, the module's type says %u", index,
                 f->param_count, t->param_count);
    return false;
  }
  const uint8_t *params = wr_functype_params(m, t);
  for (uint32_t i = 0; i < t->param_count; i++) {
    if (pool[i] != params[i]) {
      WR_MALFORMED(r, "function %u parameter %u is %s, the module says %s", index, i,
                   wr_valtype_name(pool[i]), wr_valtype_name(params[i]));
      return false;
    }
  }
  /* Declared locals: a vector of (count, type) groups. The module was
   * validated, but read as carefully as the object. */
  const uint8_t *p = m->bytes + fn->body.offset, *end = p + fn->body.size;
  uint32_t groups;
  uint64_t have = t->param_count;
  if (wr_read_u32(&p, end, &groups) != WR_READ_OK)
    goto bad_body;
  for (uint32_t g = 0; g < groups; g++) {
    uint32_t n;
    if (wr_read_u32(&p, end, &n) != WR_READ_OK || p >= end)
      goto bad_body;
    uint8_t type = *p++;
    if (have + n > f->local_count) {
      WR_MALFORMED(r, "function %u has %u locals, the module declares more", index, f->local_count);
      return false;
    }
    for (uint32_t k = 0; k < n; k++, have++) {
      if (pool[have] != type) {
        WR_MALFORMED(r, "function %u local %llu is %s, the module says %s", index,
                     (unsigned long long)have, wr_valtype_name(pool[have]), wr_valtype_name(type));
        return false;
      }
    }
  }
  if (have != f->local_count) {
    WR_MALFORMED(r, "function %u has %u locals, the module declares %llu", index, f->local_count,
                 (unsigned long long)have);
    return false;
  }
  return true;
bad_body:
  WR_MALFORMED(r, "function %u: cannot read its local declarations from the module", index);
  return false;
}

/* Checks that need only the object: every offset and range inside what it
 * indexes, the orders the lookups rely on, known kinds and types. */
static bool wr_obj_check_structure(wr_obj_reader *r, const wr_object *obj)
{
  for (uint32_t i = 0; i < obj->type_pool_size; i++) {
    if (!wr_is_valtype(obj->type_pool[i])) {
      WR_MALFORMED(r, "type pool byte %u is 0x%02x, not a value type", i, obj->type_pool[i]);
      return false;
    }
  }
  for (uint32_t i = 0; i < obj->func_count; i++) {
    const wr_func_code *f = &obj->funcs[i];
    if ((uint64_t)f->code_offset + f->code_size > obj->code_size) {
      WR_MALFORMED(r, "function entry %u: code 0x%x+0x%x is outside the code (0x%zx bytes)", i,
                   f->code_offset, f->code_size, obj->code_size);
      return false;
    }
    const wr_func_code *prev = i > 0 ? &obj->funcs[i - 1] : NULL;
    if (prev && f->code_offset < (uint64_t)prev->code_offset + prev->code_size) {
      WR_MALFORMED(r, "function entry %u: code at 0x%x overlaps or precedes entry %u's", i,
                   f->code_offset, i - 1);
      return false;
    }
    if (f->param_count > f->local_count) {
      WR_MALFORMED(r, "function entry %u: %u parameters but %u locals", i, f->param_count,
                   f->local_count);
      return false;
    }
    if ((uint64_t)f->local_types + f->local_count > obj->type_pool_size) {
      WR_MALFORMED(r,
                   "function entry %u: local types %u+%u are outside the type "
                   "pool (%u bytes)",
                   i, f->local_types, f->local_count, obj->type_pool_size);
      return false;
    }
    if (prev && f->first_point < (uint64_t)prev->first_point + prev->point_count) {
      WR_MALFORMED(r, "function entry %u: points from %u overlap or precede entry %u's", i,
                   f->first_point, i - 1);
      return false;
    }
    if ((uint64_t)f->first_point + f->point_count > obj->point_count) {
      WR_MALFORMED(r, "function entry %u: points %u+%u are outside the point table (%u)", i,
                   f->first_point, f->point_count, obj->point_count);
      return false;
    }
    for (uint32_t k = 0; k < f->point_count; k++) {
      const wr_frame_point *pt = &obj->points[f->first_point + k];
      if (pt->func_index != obj->points[f->first_point].func_index) {
        WR_MALFORMED(r, "function entry %u: its points name functions %u and %u", i,
                     obj->points[f->first_point].func_index, pt->func_index);
        return false;
      }
      if (pt->native_offset < f->code_offset ||
          pt->native_offset - f->code_offset >= f->code_size) {
        WR_MALFORMED(r, "function entry %u: point %u at 0x%x is outside its code 0x%x+0x%x", i,
                     f->first_point + k, pt->native_offset, f->code_offset, f->code_size);
        return false;
      }
    }
  }
  for (uint32_t i = 0; i < obj->trap_count; i++) {
    const wr_trap_site *t = &obj->traps[i];
    if (t->native_offset >= obj->code_size) {
      WR_MALFORMED(r, "trap site %u at 0x%x is outside the code (0x%zx bytes)", i, t->native_offset,
                   obj->code_size);
      return false;
    }
    if (i > 0 && t->native_offset < obj->traps[i - 1].native_offset) {
      WR_MALFORMED(r, "trap site %u at 0x%x is before trap site %u at 0x%x: not sorted", i,
                   t->native_offset, i - 1, obj->traps[i - 1].native_offset);
      return false;
    }
    if (t->kind == WASMRT_TRAP_NONE || t->kind == WASMRT_TRAP_HOST ||
        t->kind >= WASMRT_TRAP_KIND_COUNT) {
      WR_MALFORMED(r, "trap site %u has unknown kind %u", i, t->kind);
      return false;
    }
  }
  for (uint32_t i = 0; i < obj->point_count; i++) {
    const wr_frame_point *pt = &obj->points[i];
    if (pt->native_offset >= obj->code_size) {
      WR_MALFORMED(r, "point %u at 0x%x is outside the code (0x%zx bytes)", i, pt->native_offset,
                   obj->code_size);
      return false;
    }
    if (i > 0 && pt->native_offset <= obj->points[i - 1].native_offset) {
      WR_MALFORMED(r, "point %u at 0x%x is not after point %u at 0x%x: not sorted", i,
                   pt->native_offset, i - 1, obj->points[i - 1].native_offset);
      return false;
    }
    if (pt->kind > WR_POINT_CALL) {
      WR_MALFORMED(r, "point %u has unknown kind %u", i, pt->kind);
      return false;
    }
    if ((uint64_t)pt->types + pt->stack_depth > obj->type_pool_size) {
      WR_MALFORMED(r, "point %u: operand types %u+%u are outside the type pool (%u bytes)", i,
                   pt->types, pt->stack_depth, obj->type_pool_size);
      return false;
    }
  }
  return true;
}

/* Checks against the module the object claims (by hash) to be compiled
 * from: function indices, wasm offsets and local types. */
static bool wr_obj_check_module(wr_obj_reader *r, const wr_object *obj, const wr_module *m)
{
  uint32_t imported = m->imported_function_count;
  uint32_t defined = m->function_count - imported;
  if (obj->func_count != defined) {
    WR_MALFORMED(r, "it has %u functions, the module defines %u", obj->func_count, defined);
    return false;
  }
  for (uint32_t i = 0; i < obj->func_count; i++) {
    const wr_func_code *f = &obj->funcs[i];
    if (f->point_count && obj->points[f->first_point].func_index != imported + i) {
      WR_MALFORMED(r, "function %u's points name function %u", imported + i,
                   obj->points[f->first_point].func_index);
      return false;
    }
    if (!wr_obj_check_locals(r, obj, m, i))
      return false;
  }
  for (uint32_t i = 0; i < obj->trap_count; i++) {
    const wr_trap_site *t = &obj->traps[i];
    if (t->func_index < imported || t->func_index >= m->function_count) {
      WR_MALFORMED(r, "trap site %u names function %u, not a defined function", i, t->func_index);
      return false;
    }
    if (t->wasm_offset >= m->size) {
      WR_MALFORMED(r, "trap site %u at wasm offset 0x%x is past the module's end (0x%zx)", i,
                   t->wasm_offset, m->size);
      return false;
    }
  }
  for (uint32_t i = 0; i < obj->point_count; i++) {
    const wr_frame_point *pt = &obj->points[i];
    if (pt->func_index < imported || pt->func_index >= m->function_count) {
      WR_MALFORMED(r, "point %u names function %u, not a defined function", i, pt->func_index);
      return false;
    }
    const wr_func_code *f = &obj->funcs[pt->func_index - imported];
    if (i < f->first_point || i - f->first_point >= f->point_count) {
      WR_MALFORMED(r, "point %u of function %u is not in that function's points %u+%u", i,
                   pt->func_index, f->first_point, f->point_count);
      return false;
    }
    if (pt->wasm_offset >= m->size) {
      WR_MALFORMED(r, "point %u at wasm offset 0x%x is past the module's end (0x%zx)", i,
                   pt->wasm_offset, m->size);
      return false;
    }
  }
  return true;
}

/* The header up to the sections: magic, version, size, checksum, compiler
 * and module hashes, then the fixed fields. */
static bool wr_obj_check_header(wr_obj_reader *r, size_t size, const wr_module *module)
{
  const uint8_t *b = r->bytes;
  size_t magic_have = size < WR_OBJECT_MAGIC_SIZE ? size : WR_OBJECT_MAGIC_SIZE;
  if (size == 0 || memcmp(b, WR_OBJECT_MAGIC, magic_have) != 0) {
    wr_error_set(r->err, WASMRT_ERROR_OBJECT, "not a wasmrt object (bad magic)");
    return false;
  }
  if (size < WR_OBJ_AT_VERSION + 4)
    goto truncated;
  uint32_t version = wr_get_u32(b + WR_OBJ_AT_VERSION);
  if (version != WR_OBJECT_FORMAT_VERSION) {
    wr_error_set(r->err, WASMRT_ERROR_OBJECT,
                 "object format version %u, this wasmrt reads version %u", version,
                 WR_OBJECT_FORMAT_VERSION);
    return false;
  }
  if (size < WR_OBJ_HEADER_SIZE + WR_OBJECT_HASH_SIZE)
    goto truncated;
  uint64_t file_size = wr_get_u64(b + WR_OBJ_AT_FILE_SIZE);
  uint8_t sum[WR_OBJECT_HASH_SIZE];
  wr_blake2b256(b, size - WR_OBJECT_HASH_SIZE, sum);
  if (memcmp(sum, b + size - WR_OBJECT_HASH_SIZE, WR_OBJECT_HASH_SIZE) != 0) {
    if (size < file_size)
      goto truncated;
    wr_error_set(r->err, WASMRT_ERROR_OBJECT, "object checksum mismatch: file is corrupt");
    return false;
  }
  if (file_size != size) {
    WR_MALFORMED(r, "its header says %llu bytes, the file has %zu", (unsigned long long)file_size,
                 size);
    return false;
  }
  uint8_t compiler[WR_OBJECT_HASH_SIZE];
  wr_object_compiler_hash(compiler);
  if (memcmp(compiler, b + WR_OBJ_AT_COMPILER_HASH, WR_OBJECT_HASH_SIZE) != 0) {
    wr_error_set(r->err, WASMRT_ERROR_OBJECT, "object was made by another wasmrt version");
    return false;
  }
  if (module) {
    uint8_t hash[WR_OBJECT_HASH_SIZE];
    wr_blake2b256(module->bytes, module->size, hash);
    if (memcmp(hash, b + WR_OBJ_AT_MODULE_HASH, WR_OBJECT_HASH_SIZE) != 0) {
      wr_error_set(r->err, WASMRT_ERROR_OBJECT,
                   "object was compiled from a different module (hash mismatch)");
      return false;
    }
  }
  uint32_t target = wr_get_u32(b + WR_OBJ_AT_TARGET);
  if (target != WASMRT_TARGET_X86_64 && target != WASMRT_TARGET_ARM64) {
    WR_MALFORMED(r, "unknown target %u", target);
    return false;
  }
  uint32_t flags = wr_get_u32(b + WR_OBJ_AT_FLAGS);
  if (flags != 0) {
    WR_MALFORMED(r, "unknown flags 0x%x", flags);
    return false;
  }
  uint32_t header_size = wr_get_u32(b + WR_OBJ_AT_HEADER_SIZE);
  if (header_size != WR_OBJ_HEADER_SIZE) {
    WR_MALFORMED(r, "header size %u, version %u headers are %u bytes", header_size,
                 WR_OBJECT_FORMAT_VERSION, WR_OBJ_HEADER_SIZE);
    return false;
  }
  uint32_t sections = wr_get_u32(b + WR_OBJ_AT_SECTION_COUNT);
  if (sections != WR_OBJ_SECTION_COUNT) {
    WR_MALFORMED(r, "%u sections, version %u objects have %u", sections, WR_OBJECT_FORMAT_VERSION,
                 WR_OBJ_SECTION_COUNT);
    return false;
  }
  if (wr_get_u32(b + WR_OBJ_AT_RESERVED) != 0) {
    WR_MALFORMED(r, "reserved header field is not zero");
    return false;
  }
  r->pos = WR_OBJ_HEADER_SIZE;
  r->end = size - WR_OBJECT_HASH_SIZE;
  return true;
truncated:
  wr_error_set(r->err, WASMRT_ERROR_OBJECT, "object is truncated at byte %zu", size);
  return false;
}

wasmrt_result wr_object_read(const uint8_t *bytes, size_t size, const wr_module *module,
                             wr_object **out, wasmrt_error *err)
{
  wasmrt_error scratch;
  wr_obj_reader r = {bytes, 0, 0, err ? err : &scratch};
  *out = NULL;
  if (!bytes)
    size = 0;
  if (!wr_obj_check_header(&r, size, module))
    return r.err->code;

  wr_object *obj = calloc(1, sizeof *obj);
  if (!obj)
    return wr_error_set(r.err, WASMRT_ERROR_NOMEM, "out of memory reading an object");
  obj->target = (wasmrt_target)wr_get_u32(bytes + WR_OBJ_AT_TARGET);
  memcpy(obj->module_hash, bytes + WR_OBJ_AT_MODULE_HASH, WR_OBJECT_HASH_SIZE);

  uint32_t count;
  const uint8_t *p;
  bool ok = true;
  if (!wr_obj_section(&r, WR_OBJ_SEC_CODE, 1, &count, &p))
    goto fail;
  obj->code = wr_obj_alloc(&r, count, 1, "code", &ok);
  if (!ok)
    goto fail;
  obj->code_size = count;
  if (count)
    memcpy(obj->code, p, count);

  if (!wr_obj_section(&r, WR_OBJ_SEC_FUNCS, WR_OBJ_FUNC_SIZE, &count, &p))
    goto fail;
  obj->funcs = wr_obj_alloc(&r, count, sizeof *obj->funcs, "functions", &ok);
  if (!ok)
    goto fail;
  obj->func_count = count;
  for (uint32_t i = 0; i < count; i++, p += WR_OBJ_FUNC_SIZE) {
    wr_func_code *f = &obj->funcs[i];
    f->code_offset = wr_get_u32(p + 0);
    f->code_size = wr_get_u32(p + 4);
    f->param_count = wr_get_u32(p + 8);
    f->local_count = wr_get_u32(p + 12);
    f->local_types = wr_get_u32(p + 16);
    f->frame_size = wr_get_u32(p + 20);
    f->first_point = wr_get_u32(p + 24);
    f->point_count = wr_get_u32(p + 28);
  }

  if (!wr_obj_section(&r, WR_OBJ_SEC_TRAPS, WR_OBJ_TRAP_SIZE, &count, &p))
    goto fail;
  obj->traps = wr_obj_alloc(&r, count, sizeof *obj->traps, "trap sites", &ok);
  if (!ok)
    goto fail;
  obj->trap_count = count;
  for (uint32_t i = 0; i < count; i++, p += WR_OBJ_TRAP_SIZE) {
    wr_trap_site *t = &obj->traps[i];
    t->native_offset = wr_get_u32(p + 0);
    t->func_index = wr_get_u32(p + 4);
    t->wasm_offset = wr_get_u32(p + 8);
    uint32_t kind = wr_get_u32(p + 12);
    t->kind = kind > UINT8_MAX ? UINT8_MAX : (uint8_t)kind; /* 255: refused below */
  }

  if (!wr_obj_section(&r, WR_OBJ_SEC_POINTS, WR_OBJ_POINT_SIZE, &count, &p))
    goto fail;
  obj->points = wr_obj_alloc(&r, count, sizeof *obj->points, "frame points", &ok);
  if (!ok)
    goto fail;
  obj->point_count = count;
  for (uint32_t i = 0; i < count; i++, p += WR_OBJ_POINT_SIZE) {
    wr_frame_point *pt = &obj->points[i];
    pt->native_offset = wr_get_u32(p + 0);
    pt->func_index = wr_get_u32(p + 4);
    pt->wasm_offset = wr_get_u32(p + 8);
    pt->stack_depth = wr_get_u32(p + 12);
    pt->types = wr_get_u32(p + 16);
    uint32_t kind = wr_get_u32(p + 20);
    pt->kind = kind > UINT8_MAX ? UINT8_MAX : (uint8_t)kind;
  }

  if (!wr_obj_section(&r, WR_OBJ_SEC_TYPES, 1, &count, &p))
    goto fail;
  obj->type_pool = wr_obj_alloc(&r, count, 1, "type pool", &ok);
  if (!ok)
    goto fail;
  obj->type_pool_size = count;
  if (count)
    memcpy(obj->type_pool, p, count);

  if (r.pos != r.end) {
    WR_MALFORMED(&r, "%zu bytes after the last section", r.end - r.pos);
    goto fail;
  }
  if (!wr_obj_check_structure(&r, obj))
    goto fail;
  if (module && !wr_obj_check_module(&r, obj, module))
    goto fail;
  *out = obj;
  return WASMRT_OK;
fail:
  wr_object_free(obj);
  return r.err->code;
}
