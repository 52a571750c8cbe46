list(APPEND WASMRT_LIB_SOURCES
  runtime/api.c
)
