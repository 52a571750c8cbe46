# cmocka unit tests: one executable per file, each run on the build's own
# architecture (under qemu-aarch64 for the aarch64 build).
find_library(CMOCKA_LIB cmocka REQUIRED)
foreach(name leb128 decode validate object_file)
  add_executable(test_${name} unit/test_${name}.c)
  target_link_libraries(test_${name} PRIVATE wasmrt_static ${CMOCKA_LIB})
  add_test(NAME unit_${name} COMMAND ${CMAKE_CROSSCOMPILING_EMULATOR} $<TARGET_FILE:test_${name}>)
endforeach()
include(unit/json_tests.cmake OPTIONAL)

# The x86-64 and AArch64 encoders, judged by the host's GNU objdump for each
# architecture (in every build tree: both backends are built everywhere,
# since every host cross-compiles).
foreach(arch x86_64 arm64)
  string(REPLACE "x86_64" "x86" stem ${arch})
  add_executable(test_${stem}_encoder unit/test_${stem}_encoder.c)
  target_link_libraries(test_${stem}_encoder PRIVATE wasmrt_static)
  add_test(NAME unit_${stem}_encoder
           COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/unit/encoder_check.sh ${arch}
                   ${CMAKE_CURRENT_BINARY_DIR}/${arch}-encoder $<TARGET_FILE:test_${stem}_encoder>
                   ${CMAKE_CROSSCOMPILING_EMULATOR})
endforeach()

# The runtime, with objects made by hand (object_builder.h), so that it is tested without the code
# generator: test_instance never runs compiled code and runs everywhere; test_execute runs x86-64
# machine code and is registered on x86-64 hosts only.
add_executable(test_instance unit/test_instance.c)
target_link_libraries(test_instance PRIVATE wasmrt_static ${CMOCKA_LIB})
add_test(NAME unit_instance COMMAND ${CMAKE_CROSSCOMPILING_EMULATOR} $<TARGET_FILE:test_instance>)
if(CMAKE_SYSTEM_PROCESSOR MATCHES "^(x86_64|AMD64|amd64)$")
  add_executable(test_execute unit/test_execute.c)
  target_link_libraries(test_execute PRIVATE wasmrt_static ${CMOCKA_LIB})
  add_test(NAME unit_execute COMMAND $<TARGET_FILE:test_execute>)
  add_executable(test_codegen_limits unit/test_codegen_limits.c)
  target_link_libraries(test_codegen_limits PRIVATE wasmrt_static ${CMOCKA_LIB})
  add_test(NAME unit_codegen_limits COMMAND $<TARGET_FILE:test_codegen_limits>)
endif()
