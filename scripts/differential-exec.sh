#!/usr/bin/env bash
# differential-exec.sh - a long differential execution run of wasmrt against binaryen's
# interpreter (tests/differential/exec_diff.sh).
#
#   bash scripts/differential-exec.sh [COUNT] [SEED]     (defaults: 5000 modules, seed 1)
#
# Builds TREE (default x86_64; x86_64-san runs wasmrt under AddressSanitizer,
# UndefinedBehaviorSanitizer and LeakSanitizer, about 4 times slower; aarch64 runs it under
# qemu-aarch64, about 1.5 times slower) and runs COUNT
# `wasm-opt -ttf` modules in both engines: about 13 modules a second with 2 jobs (JOBS) on an
# otherwise idle machine, so the default takes 6 to 7 minutes. Everything stays in
# build/differential-exec/: the files of each failure (the module, binaryen's transcript .ref,
# wasmrt's .ours, the verdict, the --denan check, V8's transcript) and failures.txt, one line
# per failure, in build/differential-exec/failures/; tests/differential/exec_reduce.sh shrinks
# one. Use another SEED to explore new modules; the same SEED gives the same modules again,
# and the ctest `differential_exec` checks the first 300 of seed 1 (150 in the aarch64 tree).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

count=${1:-5000}
seed=${2:-1}
case "$count$seed" in
  *[!0-9]*) echo "usage: scripts/differential-exec.sh [COUNT] [SEED]" >&2; exit 2 ;;
esac
tree=${TREE:-x86_64}
emulator=()
case "$tree" in
  x86_64|x86_64-san) ;;
  aarch64) emulator=(qemu-aarch64 -L /usr/aarch64-linux-gnu) ;;
  *) echo "differential-exec.sh: TREE must be x86_64, x86_64-san or aarch64" >&2; exit 2 ;;
esac
bash scripts/install-deps.sh
bash scripts/build.sh "$tree"
exec bash tests/differential/exec_diff.sh "$count" "$seed" \
  --runner "build/$tree/tests/wasmrt_exec_runner" --mutate "build/$tree/tests/wasmrt_mutate" \
  --known tests/differential/exec-known-differences.txt --work build/differential-exec \
  -- "${emulator[@]}"
