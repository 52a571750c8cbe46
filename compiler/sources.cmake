list(APPEND WASMRT_LIB_SOURCES
  compiler/leb128.c
  compiler/opcodes.c
  compiler/errors.c
  compiler/decode.c
  compiler/validate_func.c
  compiler/object.c
  compiler/object_file.c
)
list(APPEND WASMRT_LIB_SOURCES
  compiler/codegen.c
)
