list(APPEND WASMRT_LIB_SOURCES
  backend/x86_64/x86_encoder.c
)
list(APPEND WASMRT_LIB_SOURCES
  backend/x86_64/x86_codegen.c
)
