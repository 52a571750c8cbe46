/* api.c - the module part of the public API (include/wasmrt.h). */
#include <stdlib.h>
#include <string.h>

#include "compiler/module.h"
#include "runtime/compiled.h"
#include "wasmrt.h"

unsigned wasmrt_version_number(void) { return WASMRT_VERSION_NUMBER; }

const char *wasmrt_valtype_name(wasmrt_valtype type) { return wr_valtype_name((uint8_t)type); }

const char *wasmrt_version_string(void)
{
#define WASMRT_STR2(x) #x
#define WASMRT_STR(x) WASMRT_STR2(x)
  return WASMRT_STR(WASMRT_VERSION_MAJOR) "." WASMRT_STR(WASMRT_VERSION_MINOR) "." WASMRT_STR(
      WASMRT_VERSION_PATCH);
}

wasmrt_result wasmrt_validate(const void *bytes, size_t size, wasmrt_error *error)
{
  return wr_module_decode(bytes, size, false, NULL, error);
}

wasmrt_result wasmrt_module_decode(const void *bytes, size_t size, wasmrt_module **module_out,
                                   wasmrt_error *error)
{
  wasmrt_error scratch;
  if (!error)
    error = &scratch;
  *module_out = NULL;
  wasmrt_module *module = malloc(sizeof *module);
  uint8_t *copy = malloc(size ? size : 1);
  if (!module || !copy) {
    free(module);
    free(copy);
    memset(error, 0, sizeof *error);
    error->code = WASMRT_ERROR_NOMEM;
    error->function = -1;
    strcpy(error->message, "out of memory copying the module");
    return WASMRT_ERROR_NOMEM;
  }
  if (size)
    memcpy(copy, bytes, size);
  wasmrt_result r = wr_module_decode(copy, size, true, &module->decoded, error);
  if (r != WASMRT_OK) {
    free(module);
    return r;
  }
  *module_out = module;
  return WASMRT_OK;
}

void wasmrt_module_free(wasmrt_module *module)
{
  if (!module)
    return;
  wr_module_free(module->decoded);
  free(module);
}

static wasmrt_name wr_api_name(const wr_module *m, wr_range r)
{
  wasmrt_name n = {(const char *)m->bytes + r.offset, r.size};
  return n;
}

size_t wasmrt_module_import_count(const wasmrt_module *module)
{
  return module ? module->decoded->import_count : 0;
}

wasmrt_result wasmrt_module_import(const wasmrt_module *module, size_t index,
                                   wasmrt_import_info *info)
{
  if (!module || !info || index >= module->decoded->import_count)
    return WASMRT_ERROR_ARGUMENT;
  const wr_module *m = module->decoded;
  const wr_import *imp = &m->imports[index];
  info->module = wr_api_name(m, imp->module);
  info->name = wr_api_name(m, imp->name);
  info->kind = (wasmrt_extern_kind)imp->kind;
  return WASMRT_OK;
}

size_t wasmrt_module_export_count(const wasmrt_module *module)
{
  return module ? module->decoded->export_count : 0;
}

wasmrt_result wasmrt_module_export(const wasmrt_module *module, size_t index,
                                   wasmrt_export_info *info)
{
  if (!module || !info || index >= module->decoded->export_count)
    return WASMRT_ERROR_ARGUMENT;
  const wr_module *m = module->decoded;
  const wr_export *exp = &m->exports[index];
  info->name = wr_api_name(m, exp->name);
  info->kind = (wasmrt_extern_kind)exp->kind;
  info->index = exp->index;
  return WASMRT_OK;
}
