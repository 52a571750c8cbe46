#!/usr/bin/env bash
# differential.sh - a long differential run of `wasmrt validate` against wabt's wasm-validate
# (tests/differential/validate_diff.sh).
#
#   bash scripts/differential.sh [COUNT] [SEED]     (defaults: 50000 mutants, seed 1)
#
# Builds build/x86_64 and checks COUNT/10 random wasm-opt -ttf modules and about COUNT mutants
# of them. Everything, including the files of any disagreement (failures/, failures.txt), stays
# in build/differential-long/. Use another SEED to explore new inputs; the same SEED gives the
# same files again.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

count=${1:-50000}
seed=${2:-1}
case "$count$seed" in
  *[!0-9]*) echo "usage: scripts/differential.sh [COUNT] [SEED]" >&2; exit 2 ;;
esac
bash scripts/install-deps.sh
bash scripts/build.sh x86_64
tree=build/x86_64
modules=$((count / 10))
[ "$modules" -gt 0 ] || modules=1
exec bash tests/differential/validate_diff.sh --modules "$modules" --mutants "$count" \
  --seed "$seed" --wasmrt "$tree/cli/wasmrt" --mutate "$tree/tests/wasmrt_mutate" \
  --seeds tests/fuzz/seeds --known tests/differential/known-differences.txt \
  --work build/differential-long
