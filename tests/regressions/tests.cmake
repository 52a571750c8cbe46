# One script per fixed bug (STYLE.md habit 10), run by `wasmrt wast` like the
# spec suite; they execute code, so x86-64 hosts only until the ARM64 backend.
if(CMAKE_SYSTEM_PROCESSOR MATCHES "x86_64|AMD64")
  add_test(NAME regressions
           COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/regressions/run_regressions.sh
                   $<TARGET_FILE:wasmrt> ${CMAKE_CURRENT_SOURCE_DIR}/regressions
                   ${CMAKE_CURRENT_BINARY_DIR}/regressions-out)
endif()
