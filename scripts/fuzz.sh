#!/usr/bin/env bash
# fuzz.sh - a long fuzzing run of the decoder and validator (tests/fuzz/fuzz_validate.c).
#
#   bash scripts/fuzz.sh [SECONDS]      (default 3600)
#
# Builds build/x86_64-san (clang, ASan + UBSan, libFuzzer) and fuzzes for SECONDS on one core.
# The corpus persists in build/fuzz-corpus/validate/, so each run continues from the last; the
# seeds (tests/fuzz/seeds/*.wat and wasm-opt -ttf modules) are made afresh in
# build/fuzz-long/validate/. A crash stops the run; its input is in build/fuzz-long/validate/artifacts/.
# Once the bug is fixed, copy that input to tests/fuzz/regressions/ (named after the bug): the
# fuzz_validate_replay test runs every file there.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

seconds=${1:-3600}
case "$seconds" in
  ''|*[!0-9]*) echo "usage: scripts/fuzz.sh [SECONDS]" >&2; exit 2 ;;
esac
bash scripts/install-deps.sh
bash scripts/build.sh x86_64-san
tree=build/x86_64-san
mkdir -p build/fuzz-corpus/validate
exec bash tests/fuzz/fuzz.sh fuzz --fuzzer "$tree/tests/fuzz_validate" \
  --mutate "$tree/tests/wasmrt_mutate" --seeds tests/fuzz/seeds \
  --work build/fuzz-long/validate --corpus build/fuzz-corpus/validate --seconds "$seconds"
