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
# generator: test_instance and test_execute (which runs machine code written with the host's
# encoder) where compiled code runs. test_codegen_limits compiles and runs modules at the limits.
if(WASMRT_RUNS_CODE)
  foreach(name instance execute codegen_limits)
    add_executable(test_${name} unit/test_${name}.c)
    target_link_libraries(test_${name} PRIVATE wasmrt_static ${CMOCKA_LIB})
    add_test(NAME unit_${name} COMMAND ${CMAKE_CROSSCOMPILING_EMULATOR} $<TARGET_FILE:test_${name}>)
  endforeach()
endif()

# The cross-target frame-map test: every module of the spec suite (and the benchmark kernels when
# clang can build them) compiled for x86_64 and arm64 through the internal API, whose frame points
# and local types must agree entry by entry (docs/BACKEND.md, "Portable frames by construction").
# frame_maps.sh makes the modules at test time, like the spec test; the program runs under qemu
# in the aarch64 tree.
add_executable(test_frame_maps unit/test_frame_maps.c)
target_link_libraries(test_frame_maps PRIVATE wasmrt_static)
add_test(NAME unit_frame_maps
         COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/unit/frame_maps.sh
                 --wast2json ${WASMRT_WAST2JSON} --spec ${WASMRT_SPEC_DIR}
                 --kernels ${CMAKE_SOURCE_DIR}/bench/kernels
                 --work ${CMAKE_CURRENT_BINARY_DIR}/frame-maps
                 -- ${CMAKE_CROSSCOMPILING_EMULATOR} $<TARGET_FILE:test_frame_maps>)
set_tests_properties(unit_frame_maps PROPERTIES TIMEOUT 600)
