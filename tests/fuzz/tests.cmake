# libFuzzer target for the decoder and validator (fuzz_validate.c), with two tests:
#   fuzz_validate_replay  runs the target once on every seed and on every committed regression
#                         input (tests/fuzz/regressions/, one file per fixed bug)
#   fuzz_validate_short   fuzzes for 20 seconds from the seeds, in a scratch corpus
# Both make their seeds at test time (fuzz.sh): tests/fuzz/seeds/*.wat through wat2wasm, plus
# modules from `wasm-opt -ttf` over fixed pseudo-random bytes. scripts/fuzz.sh: the long run.
# Included from tests/CMakeLists.txt; only with WASMRT_FUZZ=ON, which needs clang.

if(NOT WASMRT_FUZZ)
  return()
endif()
if(NOT CMAKE_C_COMPILER_ID MATCHES "Clang")
  message(FATAL_ERROR "WASMRT_FUZZ needs clang (libFuzzer); this build uses ${CMAKE_C_COMPILER_ID}")
endif()
if(NOT TARGET wasmrt_mutate)
  message(FATAL_ERROR "tests/fuzz needs the wasmrt_mutate tool from tests/differential/tests.cmake")
endif()

# The library once more, with libFuzzer's coverage instrumentation on top of the tree's own
# flags, so that the fuzzer sees which branches of the decoder an input reaches. Sources,
# include directories, definitions, options and link libraries are taken from wasmrt_objects,
# so this follows the library as it grows.
get_target_property(fuzz_sources wasmrt_objects SOURCES)
get_target_property(fuzz_source_dir wasmrt_objects SOURCE_DIR)
list(TRANSFORM fuzz_sources PREPEND "${fuzz_source_dir}/" REGEX "^[^/$]")
add_library(wasmrt_fuzz_objects OBJECT ${fuzz_sources})
foreach(property INCLUDE_DIRECTORIES COMPILE_DEFINITIONS COMPILE_OPTIONS COMPILE_FEATURES)
  get_target_property(value wasmrt_objects ${property})
  if(value)
    set_property(TARGET wasmrt_fuzz_objects PROPERTY ${property} ${value})
  endif()
endforeach()
get_target_property(fuzz_link_libraries wasmrt_objects LINK_LIBRARIES)
if(fuzz_link_libraries)
  target_link_libraries(wasmrt_fuzz_objects PUBLIC ${fuzz_link_libraries})
endif()
get_target_property(fuzz_dependencies wasmrt_objects MANUALLY_ADDED_DEPENDENCIES)
if(fuzz_dependencies)
  add_dependencies(wasmrt_fuzz_objects ${fuzz_dependencies})
endif()
target_compile_options(wasmrt_fuzz_objects PRIVATE -fsanitize=fuzzer-no-link)

add_executable(fuzz_validate ${CMAKE_CURRENT_LIST_DIR}/fuzz_validate.c)
target_include_directories(fuzz_validate PRIVATE ${CMAKE_SOURCE_DIR}/include)
target_link_libraries(fuzz_validate PRIVATE wasmrt_fuzz_objects)
target_compile_options(fuzz_validate PRIVATE -fsanitize=fuzzer,address,undefined)
target_link_options(fuzz_validate PRIVATE -fsanitize=fuzzer,address,undefined)

set(fuzz_script ${CMAKE_CURRENT_LIST_DIR}/fuzz.sh)
set(fuzz_common --fuzzer $<TARGET_FILE:fuzz_validate> --mutate $<TARGET_FILE:wasmrt_mutate>
                --seeds ${CMAKE_CURRENT_LIST_DIR}/seeds)
add_test(NAME fuzz_validate_replay
         COMMAND bash ${fuzz_script} replay ${fuzz_common}
                 --regressions ${CMAKE_CURRENT_LIST_DIR}/regressions
                 --work ${CMAKE_CURRENT_BINARY_DIR}/fuzz-replay)
add_test(NAME fuzz_validate_short
         COMMAND bash ${fuzz_script} fuzz ${fuzz_common} --seconds 20
                 --work ${CMAKE_CURRENT_BINARY_DIR}/fuzz-short)
set_tests_properties(fuzz_validate_replay PROPERTIES TIMEOUT 120 LABELS fuzz)
set_tests_properties(fuzz_validate_short PROPERTIES TIMEOUT 120 LABELS fuzz)
