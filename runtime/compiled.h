/*
 * compiled.h - wasmrt_compiled: a decoded module plus the object the
 * compiler made for it (internal).
 */
#ifndef WASMRT_RUNTIME_COMPILED_H
#define WASMRT_RUNTIME_COMPILED_H

#include "compiler/codegen.h"
#include "compiler/module.h"
#include "compiler/object.h"
#include "wasmrt.h"

struct wasmrt_module {
  wr_module *decoded;
};

struct wasmrt_compiled {
  const wr_module *module; /* borrowed: the wasmrt_module outlives this */
  wr_object *object;
  /* The code mapped read+execute, made by the runtime on first use when
   * object->target is the host's; NULL until then. Freed with this. */
  uint8_t *exec;
  size_t exec_size;
};

/* wasmrt_compile with the code generator's options (the tests force the
 * far branch and call forms with them). */
wasmrt_result wr_compile_with(const wasmrt_module *module, wasmrt_target target,
                              const wr_compile_options *opts, wasmrt_compiled **compiled_out,
                              wasmrt_error *error);

#endif
