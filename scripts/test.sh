#!/usr/bin/env bash
# test.sh - the whole check, as CI runs it (.ci/run): install what is missing, build the three
# trees (scripts/build.sh) and run each tree's test suite with ctest: x86_64 natively,
# x86_64-san with AddressSanitizer, UndefinedBehaviorSanitizer and the short fuzz run,
# aarch64 under qemu-aarch64 (the toolchain file's CMAKE_CROSSCOMPILING_EMULATOR).
#
#   bash scripts/test.sh [TREE...]      (default: x86_64 x86_64-san aarch64)
#
# Every tree is built and tested even when an earlier one failed; a summary per tree closes the
# output, and the exit status is non-zero when any tree failed to build or failed a test.
# Each tree's ctest output is also kept in build/TREE/ctest.log.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

trees=("$@")
[ ${#trees[@]} -gt 0 ] || trees=(x86_64 x86_64-san aarch64)
jobs=${JOBS:-2}

bash scripts/install-deps.sh

declare -A summary=()
failed=0
for tree in "${trees[@]}"; do
  start=$SECONDS
  if ! bash scripts/build.sh "$tree"; then
    summary[$tree]="BUILD FAILED ($((SECONDS - start)) s)"
    failed=1
    continue
  fi
  built=$SECONDS
  echo "== build/$tree: ctest"
  status=0
  (cd "build/$tree" && ctest --output-on-failure --parallel "$jobs") 2>&1 |
    tee "build/$tree/ctest.log" || status=$?
  times="build $((built - start)) s, tests $((SECONDS - built)) s"
  counts=$(sed -n 's/^[0-9]*% tests passed, \([0-9]*\) tests\{0,1\} failed out of \([0-9]*\)$/\1 \2/p' \
             "build/$tree/ctest.log" | tail -n 1)
  if [ -z "$counts" ]; then
    summary[$tree]="TESTS DID NOT RUN (ctest exit status $status; see build/$tree/ctest.log; $times)"
    failed=1
    continue
  fi
  read -r bad total <<<"$counts"
  if [ "$status" -eq 0 ] && [ "$bad" -eq 0 ] && [ "$total" -gt 0 ]; then
    summary[$tree]="ok: $total of $total tests passed ($times)"
  else
    names=$(sed -n '/^The following tests FAILED:/,$s/^[[:space:]]*[0-9]* - \([^ ]*\) .*/\1/p' \
              "build/$tree/ctest.log" | tr '\n' ' ')
    summary[$tree]="FAILED: $((total - bad)) of $total tests passed; failed: ${names:-?} ($times)"
    failed=1
  fi
done

echo
echo "== summary"
for tree in "${trees[@]}"; do
  printf '%-11s %s\n' "$tree" "${summary[$tree]}"
done
exit "$failed"
