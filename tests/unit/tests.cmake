# cmocka unit tests: one executable per file, each run on the build's own
# architecture (under qemu-aarch64 for the aarch64 build).
find_library(CMOCKA_LIB cmocka REQUIRED)
foreach(name leb128 decode validate)
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
