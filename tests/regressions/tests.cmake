# One script per fixed bug (STYLE.md habit 10), run by `wasmrt wast` like the
# spec suite; they execute code, so only where it runs (under qemu on AArch64).
if(WASMRT_RUNS_CODE)
  add_test(NAME regressions
           COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/regressions/run_regressions.sh
                   $<TARGET_FILE:wasmrt> ${CMAKE_CURRENT_SOURCE_DIR}/regressions
                   ${CMAKE_CURRENT_BINARY_DIR}/regressions-out ${CMAKE_CROSSCOMPILING_EMULATOR})
endif()
