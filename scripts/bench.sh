#!/usr/bin/env bash
# bench.sh - decode+validate throughput of wasmrt_validate beside wabt's wasm-validate and V8's
# WebAssembly.validate, in MB/s of module bytes (MB = 10^6 bytes). A benchmark, not a test.
#
#   bash scripts/bench.sh [FILE.wasm...]
#
# Configures and builds build/bench (Release, -O2) with the target `bench`: validate_bench and
# the generated modules bench/program.wasm (clang -O2; LLVM's shape) and bench/program-opt.wasm
# (the same after wasm-opt -O2; binaryen's shape). The first build generates and compiles them
# (100-125 s measured on the 2 busy shared cores here); later runs reuse them. Then measures
# those and every FILE given:
#
#   wasmrt_validate          validate_bench: an in-process loop, >= BENCH_SECONDS per file
#   V8 WebAssembly.validate  node bench/node_validate.js: the same loop in node
#   wabt wasm-validate       BENCH_RUNS runs of the tool, each timed as a whole process
#                            (start-up, reading the file and building wabt's IR included)
#
# Everything runs pinned to one CPU (BENCH_CPU, default the last one) when taskset is there.
# Prints one table per module: best and median MB/s, and each engine's median over wasmrt's.
#
# Environment: BENCH_SECONDS (default 1), BENCH_RUNS (default 3), BENCH_CPU, JOBS (default 2).
# Exit status: 0; 1 when an engine rejected a module or a step failed; 2 when a FILE or a
# needed tool is missing.
set -euo pipefail

started=$(date +%s%N)
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=$root/build/bench
seconds=${BENCH_SECONDS:-1}
runs=${BENCH_RUNS:-3}
jobs=${JOBS:-2}
cpu=${BENCH_CPU:-$(($(nproc) - 1))}
status=0

for file in "$@"; do
  if [ ! -f "$file" ]; then
    echo "bench.sh: $file: no such file" >&2
    exit 2
  fi
done

if [ -f "$root/scripts/install-deps.sh" ]; then
  bash "$root/scripts/install-deps.sh" ||
    echo "bench.sh: install-deps.sh failed; going on with the tools that are here" >&2
fi
for tool in cmake gcc; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "bench.sh: $tool is not installed" >&2
    exit 2
  fi
done

# ---- build ----
mkdir -p "$build"
options=(-DCMAKE_BUILD_TYPE=Release "-DCMAKE_C_FLAGS_RELEASE=-O2 -DNDEBUG" -DWASMRT_TESTS=OFF)
# Name the compiler only for a new tree: naming it again makes CMake drop its cache.
[ -f "$build/CMakeCache.txt" ] || options+=(-DCMAKE_C_COMPILER=gcc)
echo "== build/bench: configure and build (log: build/bench/build.log)"
build_started=$(date +%s%N)
if ! { cmake -S "$root" -B "$build" "${options[@]}" &&
       cmake --build "$build" --target bench --parallel "$jobs"; } > "$build/build.log" 2>&1; then
  tail -n 30 "$build/build.log" >&2
  echo "bench.sh: the build failed; whole log in build/bench/build.log" >&2
  exit 1
fi
build_ns=$(($(date +%s%N) - build_started))

modules=()
for generated in "$build/bench/program.wasm" "$build/bench/program-opt.wasm"; do
  [ -f "$generated" ] && modules+=("$generated")
done
modules+=("$@")
if [ ${#modules[@]} -eq 0 ]; then
  echo "bench.sh: nothing to measure (no generated module and no FILE)" >&2
  exit 1
fi

pin=()
if command -v taskset >/dev/null 2>&1; then
  pin=(taskset -c "$cpu")
else
  echo "bench.sh: taskset not found: wasm-validate and node run unpinned" >&2
fi

# A path as printed: relative to the project when inside it.
show() {
  case "$1" in "$root"/*) echo "${1#"$root"/}" ;; *) echo "$1" ;; esac
}

# ---- the modules ----
echo
echo "== modules"
for module in "${modules[@]}"; do
  size=$(stat -c %s "$module")
  if command -v wasm-objdump >/dev/null 2>&1; then
    sections=$(wasm-objdump -h "$module" 2>/dev/null | awk -v total="$size" '
      / start=0x/ {
        name = $1; size = $0
        sub(/.*size=0x/, "", size); sub(/\).*/, "", size)
        bytes = 0
        for (i = 1; i <= length(size); i++)
          bytes = bytes * 16 + index("0123456789abcdef", tolower(substr(size, i, 1))) - 1
        line = line sprintf("%s%s %d (%.1f%%)", sep, name, bytes, 100 * bytes / total)
        sep = ", "
      }
      END { print line }') || sections=""
  else
    sections="(wasm-objdump not installed)"
  fi
  printf '%s: %d bytes\n  %s\n' "$(show "$module")" "$size" "$sections"
done

# ---- measurements ----
measure_started=$(date +%s%N)
declare -A best median note

# Reads "path<TAB>bytes<TAB>calls<TAB>best<TAB>median" lines into best/median[engine,path].
read_tsv() {
  local engine=$1 path b m
  while IFS=$'\t' read -r path _ _ b m; do
    best[$engine,$path]=$b
    median[$engine,$path]=$m
  done
}

# Shows a tool's messages (kept in FILE) and files "TOOL: PATH: WHY" lines under note[engine,path].
read_messages() {
  local engine=$1 tool=$2 file=$3 module line
  [ -s "$file" ] || return 0
  cat "$file" >&2
  for module in "${modules[@]}"; do
    line=$(grep -F -m 1 "$tool: $module: " "$file") || continue
    note[$engine,$module]=${line#"$tool: $module: "}
  done
}

echo
echo "== measuring (>= $seconds s per module and engine; wasm-validate: $runs runs; CPU $cpu)"
tsv=$("$build/bench/validate_bench" --tsv --cpu "$cpu" --seconds "$seconds" "${modules[@]}" \
        2> "$build/validate_bench.err") || status=1
read_tsv wasmrt <<< "$tsv"
read_messages wasmrt validate_bench "$build/validate_bench.err"

if command -v node >/dev/null 2>&1; then
  tsv=$("${pin[@]}" node --no-concurrent-marking "$root/bench/node_validate.js" --tsv \
          --seconds "$seconds" "${modules[@]}" 2> "$build/node_validate.err") || status=1
  read_tsv v8 <<< "$tsv"
  read_messages v8 node_validate "$build/node_validate.err"
else
  for module in "${modules[@]}"; do note[v8,$module]="node not installed"; done
fi

if command -v wasm-validate >/dev/null 2>&1; then
  for module in "${modules[@]}"; do
    size=$(stat -c %s "$module")
    times=()
    for ((run = 0; run < runs; run++)); do
      t0=$(date +%s%N)
      if ! "${pin[@]}" wasm-validate "$module" > "$build/wasm-validate.out" 2>&1; then
        note[wabt,$module]="not valid: $(head -n 1 "$build/wasm-validate.out")"
        status=1
        break
      fi
      times+=($(($(date +%s%N) - t0)))
    done
    [ -n "${note[wabt,$module]:-}" ] && continue
    read -r b m < <(printf '%s\n' "${times[@]}" | sort -n |
      awk -v size="$size" '{ t[NR] = $1 }
        END { m = NR % 2 ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2
              printf "%.1f %.1f\n", size / t[1] * 1e3, size / m * 1e3 }')
    best[wabt,$module]=$b
    median[wabt,$module]=$m
  done
  # What a run costs with nothing to validate: the start-up included in the numbers above.
  printf '\0asm\1\0\0\0' > "$build/empty.wasm"
  startup=""
  for ((run = 0; run < 3; run++)); do
    t0=$(date +%s%N)
    "${pin[@]}" wasm-validate "$build/empty.wasm" > /dev/null 2>&1 || true
    t=$(($(date +%s%N) - t0))
    if [ -z "$startup" ] || [ "$t" -lt "$startup" ]; then startup=$t; fi
  done
else
  for module in "${modules[@]}"; do note[wabt,$module]="wabt not installed"; done
fi
measure_ns=$(($(date +%s%N) - measure_started))

# ---- the tables ----
engines=(wasmrt v8 wabt)
declare -A label=([wasmrt]="wasmrt_validate" [v8]="V8 WebAssembly.validate"
                  [wabt]="wabt wasm-validate")
for module in "${modules[@]}"; do
  echo
  echo "$(show "$module") ($(stat -c %s "$module") bytes)"
  printf '  %-26s %12s %12s %12s\n' engine "best MB/s" "median MB/s" "vs wasmrt"
  base=${median[wasmrt,$module]:-}
  for engine in "${engines[@]}"; do
    b=${best[$engine,$module]:-}
    m=${median[$engine,$module]:-}
    if [ -z "$m" ]; then
      printf '  %-26s %s\n' "${label[$engine]}" "${note[$engine,$module]:-failed}"
      continue
    fi
    ratio="-"
    if [ -n "$base" ]; then
      ratio=$(awk -v m="$m" -v base="$base" 'BEGIN { printf "%.3fx", m / base }')
    fi
    printf '  %-26s %12s %12s %12s\n' "${label[$engine]}" "$b" "$m" "$ratio"
  done
done

echo
echo "vs wasmrt: the engine's median MB/s over wasmrt_validate's (above 1: faster than wasmrt)."
if [ -n "${startup:-}" ]; then
  awk -v ns="$startup" 'BEGIN { printf "wasm-validate start-up (empty module, best of 3): %.1f ms, included in its numbers.\n", ns / 1e6 }'
fi
finished=$(date +%s%N)
awk -v total=$((finished - started)) -v build="$build_ns" -v measure="$measure_ns" 'BEGIN {
  printf "bench.sh took %.1f s (build %.1f s, measurements %.1f s)\n", total / 1e9, build / 1e9,
         measure / 1e9 }'
exit "$status"
