# cmocka unit tests: one executable per file, each run on the build's own
# architecture (under qemu-aarch64 for the aarch64 build).
find_library(CMOCKA_LIB cmocka REQUIRED)
foreach(name leb128 decode validate)
  add_executable(test_${name} unit/test_${name}.c)
  target_link_libraries(test_${name} PRIVATE wasmrt_static ${CMOCKA_LIB})
  add_test(NAME unit_${name} COMMAND ${CMAKE_CROSSCOMPILING_EMULATOR} $<TARGET_FILE:test_${name}>)
endforeach()
include(unit/json_tests.cmake OPTIONAL)
