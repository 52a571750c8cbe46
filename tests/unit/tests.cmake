# cmocka unit tests: one executable per file, each run on the build's own
# architecture (under qemu-aarch64 for the aarch64 build).
find_library(CMOCKA_LIB cmocka REQUIRED)
foreach(name leb128 decode validate)
  add_executable(test_${name} unit/test_${name}.c)
  target_link_libraries(test_${name} PRIVATE wasmrt_static ${CMOCKA_LIB})
  add_test(NAME unit_${name} COMMAND ${CMAKE_CROSSCOMPILING_EMULATOR} $<TARGET_FILE:test_${name}>)
endforeach()
include(unit/json_tests.cmake OPTIONAL)

# The x86-64 encoder, judged by GNU objdump on the host (any build tree: the
# backends are built everywhere, since every host cross-compiles).
add_executable(test_x86_encoder unit/test_x86_encoder.c)
target_link_libraries(test_x86_encoder PRIVATE wasmrt_static)
add_test(NAME unit_x86_encoder
         COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/unit/x86_encoder_check.sh
                 ${CMAKE_CURRENT_BINARY_DIR}/x86-encoder $<TARGET_FILE:test_x86_encoder>
                 ${CMAKE_CROSSCOMPILING_EMULATOR})

# The AArch64 encoder, judged the same way by aarch64-linux-gnu-objdump.
add_executable(test_arm64_encoder unit/test_arm64_encoder.c)
target_link_libraries(test_arm64_encoder PRIVATE wasmrt_static)
add_test(NAME unit_arm64_encoder
         COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/unit/arm64_encoder_check.sh
                 ${CMAKE_CURRENT_BINARY_DIR}/arm64-encoder $<TARGET_FILE:test_arm64_encoder>
                 ${CMAKE_CROSSCOMPILING_EMULATOR})
