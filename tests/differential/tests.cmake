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
