add_test(NAME cli
         COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/cli/cli_test.sh $<TARGET_FILE:wasmrt>
                 ${CMAKE_CURRENT_BINARY_DIR}/cli-out ${CMAKE_CROSSCOMPILING_EMULATOR})
# compile, run and object files (docs/OBJECT.md) through the CLI; running
# compiled code needs an x86-64 host until the ARM64 backend exists.
if(CMAKE_SYSTEM_PROCESSOR MATCHES "x86_64|AMD64")
  add_test(NAME cli_object
           COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/cli/object_test.sh $<TARGET_FILE:wasmrt>
                   ${CMAKE_CURRENT_BINARY_DIR}/cli-object-out ${CMAKE_CROSSCOMPILING_EMULATOR})
endif()
