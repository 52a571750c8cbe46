# Suspension points and frame maps, read back from a running instance
# (needs to execute compiled code: WASMRT_RUNS_CODE, under qemu on AArch64).
if(WASMRT_RUNS_CODE)
  find_program(WAT2WASM wat2wasm REQUIRED)
  add_custom_command(OUTPUT ${CMAKE_CURRENT_BINARY_DIR}/frames.wasm
                     COMMAND ${WAT2WASM} ${CMAKE_CURRENT_SOURCE_DIR}/frames/frames.wat
                             -o ${CMAKE_CURRENT_BINARY_DIR}/frames.wasm
                     DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/frames/frames.wat)
  add_custom_target(frames_wasm ALL DEPENDS ${CMAKE_CURRENT_BINARY_DIR}/frames.wasm)
  add_executable(test_frames frames/test_frames.c)
  target_link_libraries(test_frames PRIVATE wasmrt_static ${CMOCKA_LIB})
  add_dependencies(test_frames frames_wasm)
  add_test(NAME frames COMMAND ${CMAKE_CROSSCOMPILING_EMULATOR} $<TARGET_FILE:test_frames>
                               ${CMAKE_CURRENT_BINARY_DIR}/frames.wasm)
endif()
