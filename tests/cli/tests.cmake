add_test(NAME cli
         COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/cli/cli_test.sh $<TARGET_FILE:wasmrt>
                 ${CMAKE_CURRENT_BINARY_DIR}/cli-out ${CMAKE_CROSSCOMPILING_EMULATOR})
