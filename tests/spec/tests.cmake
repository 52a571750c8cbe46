# The WebAssembly spec suite: every .wast file in WASMRT_SPEC_DIR is converted
# with wast2json at test time and run through `wasmrt wast` (run_spec.sh says
# how results are counted). On a cross build wasmrt runs under the emulator;
# the script itself always runs on the host. WASMRT_WAST2JSON: tests/CMakeLists.txt.
add_test(NAME spec
         COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/run_spec.sh ${WASMRT_WAST2JSON} ${WASMRT_SPEC_DIR}
                 ${CMAKE_CURRENT_BINARY_DIR}/spec ${CMAKE_CROSSCOMPILING_EMULATOR}
                 $<TARGET_FILE:wasmrt>)
set_tests_properties(spec PROPERTIES TIMEOUT 900)

# The same suite with AArch64's far-branch and far-call forms forced (`wasmrt wast --far`), which
# real code needs only for functions over 1 MiB and modules over 128 MiB of code
# (docs/BACKEND.md). Only where those forms exist: the aarch64 build.
if(CMAKE_SYSTEM_PROCESSOR MATCHES "^(aarch64|arm64|ARM64)$")
  add_test(NAME spec_far
           COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/run_spec.sh ${WASMRT_WAST2JSON} ${WASMRT_SPEC_DIR}
                   ${CMAKE_CURRENT_BINARY_DIR}/spec-far ${CMAKE_CROSSCOMPILING_EMULATOR}
                   $<TARGET_FILE:wasmrt>)
  set_tests_properties(spec_far PROPERTIES TIMEOUT 900 ENVIRONMENT "SPEC_WAST_OPTIONS=--far")
endif()

# `wasmrt wast` itself, on small scripts whose every outcome is known
# (runner/run_runner_test.sh). They execute code, so only where it runs
# (under qemu on AArch64).
if(WASMRT_RUNS_CODE)
  add_test(NAME spec_runner
           COMMAND sh ${CMAKE_CURRENT_LIST_DIR}/runner/run_runner_test.sh ${WASMRT_WAST2JSON}
                   ${CMAKE_CURRENT_LIST_DIR}/runner ${CMAKE_CURRENT_BINARY_DIR}/spec-runner
                   ${CMAKE_CROSSCOMPILING_EMULATOR} $<TARGET_FILE:wasmrt>)
  set_tests_properties(spec_runner PROPERTIES TIMEOUT 120)
endif()
