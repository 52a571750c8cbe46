list(APPEND WASMRT_LIB_SOURCES
  compiler/decode.c
)
