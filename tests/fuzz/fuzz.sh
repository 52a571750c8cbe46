#!/usr/bin/env bash
# fuzz.sh - make the seed corpus and run the fuzz_validate libFuzzer target.
#
#   fuzz.sh replay --fuzzer PATH --mutate PATH --seeds DIR --work DIR [--regressions DIR]
#       Runs the target once on every seed and every file in the regressions directory.
#   fuzz.sh fuzz --fuzzer PATH --mutate PATH --seeds DIR --work DIR [--seconds N] [--corpus DIR]
#       Fuzzes for N seconds (default 20). New inputs go to the corpus directory: by default an
#       empty one under the work directory, so every run starts from the seeds alone; pass a
#       persistent one (scripts/fuzz.sh does) to build on earlier runs.
#
# Seeds, made afresh in WORK/seeds each time: every DIR/*.wat through `wat2wasm --debug-names`,
# and 8 modules from `wasm-opt -ttf` over pseudo-random bytes from `mutate random` with a fixed
# seed, so they are the same on every machine. Nothing is written outside WORK and the corpus
# directory. A crash leaves its input in WORK/artifacts/ and says how to replay it.
set -euo pipefail

mode=${1:-}
shift || true
fuzzer="" mutate="" seeds="" work="" regressions="" corpus="" seconds=20
while [ $# -gt 0 ]; do
  case "$1" in
    --fuzzer) fuzzer=$2; shift 2 ;;
    --mutate) mutate=$2; shift 2 ;;
    --seeds) seeds=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    --regressions) regressions=$2; shift 2 ;;
    --corpus) corpus=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    *) echo "fuzz.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
if [[ "$mode" != replay && "$mode" != fuzz ]] || [ -z "$fuzzer" ] || [ -z "$mutate" ] ||
   [ -z "$seeds" ] || [ -z "$work" ]; then
  echo "usage: fuzz.sh replay|fuzz --fuzzer PATH --mutate PATH --seeds DIR --work DIR ..." >&2
  exit 2
fi
for tool in wat2wasm wasm-opt; do
  command -v "$tool" >/dev/null || { echo "fuzz.sh: $tool not found (scripts/install-deps.sh)" >&2; exit 2; }
done

rm -rf "$work"
mkdir -p "$work/seeds" "$work/random" "$work/artifacts"
for wat in "$seeds"/*.wat; do
  wat2wasm --debug-names "$wat" -o "$work/seeds/$(basename "$wat" .wat).wasm" || exit 2
done
"$mutate" random 7 8 64 2048 "$work/random" t || exit 2
for bin in "$work"/random/t*.bin; do
  n=$(basename "$bin" .bin)
  flags=()
  # Half of them with the WebAssembly 2.0 features binaryen 108 implements as specified.
  [ $((10#${n#t} % 2)) -eq 0 ] ||
    flags=(--enable-sign-ext --enable-mutable-globals --enable-nontrapping-float-to-int
           --enable-simd --enable-bulk-memory --enable-multivalue)
  # wasm-opt warns that no passes were given; show what it says only when it fails.
  wasm-opt "${flags[@]}" -ttf "$bin" -o "$work/seeds/ttf-$n.wasm" 2>"$bin.err" ||
    { cat "$bin.err" >&2; exit 2; }
done
echo "fuzz.sh: $(ls "$work/seeds" | wc -l) seeds in $work/seeds"

options=(-timeout=5 -rss_limit_mb=2048 -artifact_prefix="$work/artifacts/")
status=0
if [ "$mode" = replay ]; then
  inputs=("$work"/seeds/*)
  if [ -n "$regressions" ] && [ -d "$regressions" ]; then
    while IFS= read -r -d '' file; do inputs+=("$file"); done \
      < <(find "$regressions" -type f ! -name '*.md' -print0 | sort -z)
  fi
  echo "fuzz.sh: replaying ${#inputs[@]} inputs"
  "$fuzzer" "${options[@]}" "${inputs[@]}" || status=$?
else
  [ -n "$corpus" ] || corpus="$work/corpus"
  mkdir -p "$corpus"
  # The first directory receives new inputs; the seeds are only read.
  "$fuzzer" "${options[@]}" -max_total_time="$seconds" -max_len=65536 -print_final_stats=1 \
    "$corpus" "$work/seeds" || status=$?
fi
if [ "$status" -ne 0 ]; then
  echo "fuzz.sh: the fuzz target failed (exit status $status). Inputs that crashed it:" >&2
  found=$(find "$work/artifacts" -type f | sed 's/^/  /')
  echo "${found:-  (none saved; the failing file is named above)}" >&2
  echo "fuzz.sh: replay one with: $fuzzer FILE; once fixed, add it to tests/fuzz/regressions/" >&2
fi
exit "$status"
