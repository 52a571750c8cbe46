# Differential test of the validator against wabt's wasm-validate (validate_diff.sh), over
# modules made by binaryen's `wasm-opt -ttf` and byte-mutated variants from mutate.c.
# Included from tests/CMakeLists.txt. Runs in every tree; in the aarch64 tree the wasmrt and
# mutate binaries run under qemu (CMAKE_CROSSCOMPILING_EMULATOR) while the reference tools are
# the host's, with fewer modules to keep the time down. scripts/differential.sh: the long run.

add_executable(wasmrt_mutate ${CMAKE_CURRENT_LIST_DIR}/mutate.c)

# Counts for the ctest run; validate_diff.sh's environment variables WASMRT_DIFF_MODULES and
# WASMRT_DIFF_MUTANTS override them for a one-off run.
if(CMAKE_CROSSCOMPILING)
  set(wasmrt_diff_modules 100)
  set(wasmrt_diff_mutants 1000)
else()
  set(wasmrt_diff_modules 200)
  set(wasmrt_diff_mutants 2000)
endif()

add_test(NAME differential_validate
         COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/validate_diff.sh
                 --modules ${wasmrt_diff_modules} --mutants ${wasmrt_diff_mutants} --seed 1
                 --wasmrt $<TARGET_FILE:wasmrt> --mutate $<TARGET_FILE:wasmrt_mutate>
                 --seeds ${CMAKE_CURRENT_LIST_DIR}/../fuzz/seeds
                 --known ${CMAKE_CURRENT_LIST_DIR}/known-differences.txt
                 --work ${CMAKE_CURRENT_BINARY_DIR}/differential
                 -- ${CMAKE_CROSSCOMPILING_EMULATOR})
set_tests_properties(differential_validate PROPERTIES TIMEOUT 600 LABELS differential)

# Differential execution test (exec_diff.sh): modules made by `wasm-opt -ttf` run in wasmrt and
# in binaryen's interpreter (`wasm-opt --fuzz-exec-before`), and every export's logging, traps
# and results must agree. Where compiled code runs (WASMRT_RUNS_CODE); in the aarch64 tree the
# runner and mutate run under qemu while binaryen, the reference, is the host's, with fewer
# modules to keep the time down. scripts/differential-exec.sh: the long run.
add_executable(wasmrt_exec_runner ${CMAKE_CURRENT_LIST_DIR}/exec_runner.c)
target_link_libraries(wasmrt_exec_runner PRIVATE wasmrt_static m)
if(WASMRT_RUNS_CODE)
  if(CMAKE_CROSSCOMPILING)
    set(wasmrt_exec_modules 150)
  else()
    set(wasmrt_exec_modules 300)
  endif()
  # scripts/install-deps.sh installs binaryen: without it the test must not vanish silently.
  find_program(WASMRT_WASM_OPT wasm-opt REQUIRED)
  add_test(NAME differential_exec
           COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/exec_diff.sh ${wasmrt_exec_modules} 1
                   --runner $<TARGET_FILE:wasmrt_exec_runner> --mutate $<TARGET_FILE:wasmrt_mutate>
                   --work ${CMAKE_CURRENT_BINARY_DIR}/differential-exec
                   --known ${CMAKE_CURRENT_LIST_DIR}/exec-known-differences.txt
                   -- ${CMAKE_CROSSCOMPILING_EMULATOR})
  set_tests_properties(differential_exec PROPERTIES TIMEOUT 300 LABELS differential)
endif()
