list(APPEND WASMRT_LIB_SOURCES
  runtime/api.c
  runtime/api_object.c
)
list(APPEND WASMRT_LIB_SOURCES runtime/compile.c)
# The runtime core: store, instances, execution, traps (runtime/runtime.h).
list(APPEND WASMRT_LIB_SOURCES
  runtime/error.c
  runtime/types.c
  runtime/store.c
  runtime/code.c
  runtime/memory.c
  runtime/table.c
  runtime/global.c
  runtime/func.c
  runtime/link.c
  runtime/instance.c
  runtime/helpers.c
  runtime/call.c
  runtime/traps.c
  runtime/frames.c
)
# Where C and compiled code meet (runtime/enter.h), for the host's architecture.
if(CMAKE_SYSTEM_PROCESSOR MATCHES "^(x86_64|AMD64|amd64)$")
  list(APPEND WASMRT_LIB_SOURCES runtime/x86_64/enter.S)
elseif(CMAKE_SYSTEM_PROCESSOR MATCHES "^(aarch64|arm64|ARM64)$")
  list(APPEND WASMRT_LIB_SOURCES runtime/arm64/enter.S)
endif()
