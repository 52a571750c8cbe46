list(APPEND WASMRT_LIB_SOURCES
  backend/arm64/arm64_encoder.c
  backend/arm64/arm64_codegen.c
)
