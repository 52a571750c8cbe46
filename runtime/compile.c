/* compile.c - wasmrt_compile: a decoded module to a wasmrt_compiled. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compiler/codegen.h"
#include "compiler/errors.h"
#include "runtime/compiled.h"
#include "wasmrt.h"

wasmrt_result wasmrt_compile(const wasmrt_module *module, wasmrt_target target,
                             wasmrt_compiled **compiled_out, wasmrt_error *error)
{
  wr_compile_options opts = {false, false};
  return wr_compile_with(module, target, &opts, compiled_out, error);
}

wasmrt_result wr_compile_with(const wasmrt_module *module, wasmrt_target target,
                              const wr_compile_options *opts, wasmrt_compiled **compiled_out,
                              wasmrt_error *error)
{
  *compiled_out = NULL;
  if (!module)
    return wr_error_set(error, WASMRT_ERROR_ARGUMENT, "%s", "wasmrt_compile: module is NULL");
  if (target == WASMRT_TARGET_HOST)
    target = wr_host_target();
  const wr_target *t = NULL;
  if (target == WASMRT_TARGET_X86_64)
    t = &wr_target_x86_64;
  else if (target == WASMRT_TARGET_ARM64)
    t = &wr_target_arm64;
  if (!t)
    return wr_error_set(error, WASMRT_ERROR_UNSUPPORTED, "%s", "no code generator for this target");
  wasmrt_compiled *c = calloc(1, sizeof *c);
  if (!c)
    return wr_error_set(error, WASMRT_ERROR_NOMEM, "%s", "out of memory");
  c->module = module->decoded;
  wasmrt_result rc = wr_compile_module_with(module->decoded, t, opts, &c->object, error);
  if (rc != WASMRT_OK) {
    free(c);
    return rc;
  }
  *compiled_out = c;
  return WASMRT_OK;
}
