add_test(NAME cli
         COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/cli/cli_test.sh $<TARGET_FILE:wasmrt>
                 ${CMAKE_CURRENT_BINARY_DIR}/cli-out ${CMAKE_CROSSCOMPILING_EMULATOR})
# compile, run and object files (docs/OBJECT.md) through the CLI, where
# compiled code runs (WASMRT_RUNS_CODE: x86-64, and AArch64 under qemu).
if(WASMRT_RUNS_CODE)
  add_test(NAME cli_object
           COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/cli/object_test.sh $<TARGET_FILE:wasmrt>
                   ${CMAKE_CURRENT_BINARY_DIR}/cli-object-out ${CMAKE_CROSSCOMPILING_EMULATOR})
endif()
