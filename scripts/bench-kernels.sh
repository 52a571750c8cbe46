#!/usr/bin/env bash
# bench-kernels.sh - prover-style kernels (bench/kernels/) run natively, in wasmrt and in V8,
# and the compile throughput of wasmrt beside V8's. A benchmark, not a test: see
# bench/README.md for the kernels and what the columns mean.
#
#   bash scripts/bench-kernels.sh [--quick] [--kernels a,b] [--no-compile] [--module FILE.wasm]...
#                                 [--arm64 [--arm64-div D]]
#
#   --quick          one run per engine, with the smaller n of bench/kernels/sizes.txt
#   --kernels a,b    only these kernels (names as in bench/kernels/sizes.txt)
#   --no-compile     skip the compile throughput part (and building the generated module)
#   --module FILE    also measure compile throughput on FILE (repeatable)
#   --arm64          also run native and wasmrt built for AArch64 under qemu-aarch64, and compare
#                    the emulated wasmrt/native ratio with the x86-64 one; every n is divided by D
#   --arm64-div D    that D (default 4; 1 keeps the sizes of bench/kernels/sizes.txt)
#
# Builds into build/bench-kernels/: each kernel natively (gcc -O2 with bench/native_driver.c;
# its --selftest must pass) and to WebAssembly (clang --target=wasm32 -O2, no libc, no
# imports: checked with wasm-objdump), and, in build/bench-kernels/cmake (Release, -O2), the
# targets wasmrt_driver and bench_program (the generated multi-megabyte module that
# scripts/bench.sh also uses; its first build takes minutes). Then runs every kernel BENCH_RUNS
# times (default 3; --quick: 1) per engine, keeps the best time, and prints one table:
#
#   native      bench/native_driver.c
#   wasmrt      bench/wasmrt_driver.c (n/a while wasmrt cannot compile or run the kernel)
#   V8          node bench/node_driver.js, default tiering (Liftoff first, TurboFan later)
#   Liftoff     node --liftoff-only: V8's baseline compiler only
#   TurboFan    node --no-liftoff: V8's optimizing compiler for everything, up front
#
# Every engine's checksum must equal the native one: otherwise it prints MISMATCH and the
# exit status is 1. Everything runs pinned to one CPU (BENCH_CPU, default the last one) when
# taskset is there; each run is cut off after BENCH_TIMEOUT seconds (default 300).
#
# With --arm64 it also builds each kernel with aarch64-linux-gnu-gcc (the native flags, plus
# -static; its --selftest must pass under qemu) and wasmrt_driver in an AArch64 cross build
# (cmake/aarch64-linux-gnu.cmake, Release, -O2; in build/bench-kernels/aarch64/), and runs two
# more engines, both under qemu-aarch64 user emulation, the same way (best of BENCH_RUNS, pinned,
# checksums checked against the x86-64 native one):
#
#   arm64-native   the AArch64 native_driver
#   arm64-wasmrt   the AArch64 wasmrt_driver, running the same K.wasm (wasmrt compiles it for
#                  AArch64, the host it runs on)
#
# and prints a second table: per kernel arm64-wasmrt/arm64-native (emulated), wasmrt/native on
# x86-64 from the same run, and their quotient, flagged when it exceeds 1.25. qemu is several
# times slower than the machine, so in this mode every n, for every engine, is divided by D
# (--arm64-div, default 4): both ratios come from the same work.
#
# Environment: BENCH_RUNS, BENCH_CPU, BENCH_TIMEOUT, JOBS (default 2, for the CMake builds),
# BENCH_OUT (build directory, default build/bench-kernels), BENCH_OUT_ARM64 (the --arm64 one,
# default BENCH_OUT/aarch64).
# Exit status: 0; 1 for a checksum mismatch, a failed selftest or a failed kernel build;
# 2 for usage errors or missing tools (gcc, clang).
set -euo pipefail

started=$(date +%s)
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=${BENCH_OUT:-$root/build/bench-kernels}

usage() {
  sed -n '6,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
  exit 2
}

# shown PATH: PATH relative to the source tree when it is inside it.
shown() { case "$1" in "$root"/*) echo "${1#"$root"/}" ;; *) echo "$1" ;; esac; }

quick=0
compile=1
arm64=0
arm64_div=4
selected=""
extra_modules=()
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1 ;;
    --no-compile) compile=0 ;;
    --kernels)
      [ $# -ge 2 ] || usage
      selected=$2
      shift
      ;;
    --kernels=*) selected=${1#--kernels=} ;;
    --arm64) arm64=1 ;;
    --arm64-div)
      [ $# -ge 2 ] || usage
      arm64_div=$2
      shift
      ;;
    --arm64-div=*) arm64_div=${1#--arm64-div=} ;;
    --module)
      [ $# -ge 2 ] || usage
      [ -f "$2" ] || { echo "bench-kernels.sh: $2: no such file" >&2; exit 2; }
      extra_modules+=("$(cd "$(dirname "$2")" && pwd)/$(basename "$2")")
      shift
      ;;
    -h | --help) usage ;;
    *) echo "bench-kernels.sh: unknown argument $1" >&2; usage ;;
  esac
  shift
done

if ! [[ "$arm64_div" =~ ^[1-9][0-9]*$ ]]; then
  echo "bench-kernels.sh: --arm64-div takes a positive integer, not '$arm64_div'" >&2
  exit 2
fi
mkdir -p "$out"
out=$(cd "$out" && pwd)
cmake_dir=$out/cmake
out_arm=${BENCH_OUT_ARM64:-$out/aarch64}
runs=${BENCH_RUNS:-3}
[ "$quick" -eq 0 ] || runs=1
cpu=${BENCH_CPU:-$(($(nproc) - 1))}
limit=${BENCH_TIMEOUT:-300}
jobs=${JOBS:-2}
status=0

# ---- the kernels and their n ----
kernels=()
declare -A n_of
while read -r name n_default n_quick; do
  case "$name" in '' | '#'*) continue ;; esac
  kernels+=("$name")
  if [ "$quick" -eq 1 ]; then n_of[$name]=$n_quick; else n_of[$name]=$n_default; fi
  # --arm64: n / D, rounded, at least 1, for every engine.
  [ "$arm64" -eq 0 ] || n_of[$name]=$(awk -v n="${n_of[$name]}" -v d="$arm64_div" \
                                        'BEGIN { m = int(n / d + 0.5); print m < 1 ? 1 : m }')
done < "$root/bench/kernels/sizes.txt"
if [ -n "$selected" ]; then
  IFS=, read -r -a wanted <<< "$selected"
  for name in "${wanted[@]}"; do
    if [ -z "${n_of[$name]:-}" ]; then
      echo "bench-kernels.sh: no kernel $name (have: ${kernels[*]})" >&2
      exit 2
    fi
  done
  kernels=("${wanted[@]}")
fi

# ---- tools ----
for tool in gcc clang; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "bench-kernels.sh: $tool is not installed (scripts/install-deps.sh installs it)" >&2
    exit 2
  fi
done
if [ "$arm64" -eq 1 ]; then
  for tool in aarch64-linux-gnu-gcc qemu-aarch64; do
    if ! command -v "$tool" >/dev/null 2>&1; then
      echo "bench-kernels.sh: --arm64: $tool is not installed" \
           "(scripts/install-deps.sh installs it)" >&2
      exit 2
    fi
  done
fi
have_node=0
command -v node >/dev/null 2>&1 && have_node=1
have_objdump=0
command -v wasm-objdump >/dev/null 2>&1 && have_objdump=1
pin=()
if command -v taskset >/dev/null 2>&1; then
  pin=(taskset -c "$cpu")
fi
cutoff=()
if command -v timeout >/dev/null 2>&1; then
  cutoff=(timeout "$limit")
fi

cpu_model=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)
[ -n "$cpu_model" ] ||
  cpu_model=$(lscpu 2>/dev/null | awk -F': *' '/Model name/ { print $2; exit }')
echo "== host"
echo "machine:  $(uname -m), ${cpu_model:-unknown CPU}, $(nproc) CPUs"
echo "date:     $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
echo "node:     $([ "$have_node" -eq 1 ] && node --version || echo 'not installed')"
echo "gcc:      $(gcc -dumpfullversion 2>/dev/null || gcc -dumpversion)"
echo "clang:    $(clang --version | head -n 1)"
if [ "$arm64" -eq 1 ]; then
  echo "arm64:    aarch64-linux-gnu-gcc $(aarch64-linux-gnu-gcc -dumpfullversion 2>/dev/null ||
                                         aarch64-linux-gnu-gcc -dumpversion)," \
       "$(qemu-aarch64 --version | head -n 1)"
fi
if [ ${#pin[@]} -gt 0 ]; then
  echo "pinned:   every run on CPU $cpu (taskset)"
else
  echo "pinned:   no (taskset not found)"
fi
echo "runs:     best of $runs per engine$([ "$quick" -eq 1 ] && echo ' (--quick: n / 10)')"
if [ "$arm64" -eq 1 ] && [ "$arm64_div" -gt 1 ]; then
  echo "sizes:    --arm64: every n (every engine, x86-64 and arm64) divided by $arm64_div" \
       "(--arm64-div), for qemu"
fi

# ---- build ----
echo
echo "== build ($(shown "$out")$([ "$arm64" -eq 1 ] && echo ", $(shown "$out_arm")"))"
[ "$arm64" -eq 0 ] || mkdir -p "$out_arm"
qemu_cmd=(qemu-aarch64 -L /usr/aarch64-linux-gnu)
# shellcheck disable=SC2054 # the commas belong to the linker options
wasm_flags=(--target=wasm32 -O2 -nostdlib -Wl,--no-entry -Wl,--export=bench_run
            -Wl,-z,stack-size=1048576)
# -ffp-contract=off: no fused multiply-add, which WebAssembly does not have (matmul's doubles).
native_flags=(-O2 -std=c11 -Wall -Wextra -ffp-contract=off)
for k in "${kernels[@]}"; do
  src=$root/bench/kernels/$k.c
  if ! gcc "${native_flags[@]}" -o "$out/$k.native" "$root/bench/native_driver.c" "$src" \
         > "$out/$k.build.log" 2>&1; then
    cat "$out/$k.build.log" >&2
    echo "bench-kernels.sh: $k: the native build failed" >&2
    exit 1
  fi
  if ! selftest=$("$out/$k.native" --selftest); then
    echo "bench-kernels.sh: $k: $selftest" >&2
    exit 1
  fi
  if ! clang "${wasm_flags[@]}" -o "$out/$k.wasm" "$src" >> "$out/$k.build.log" 2>&1; then
    cat "$out/$k.build.log" >&2
    echo "bench-kernels.sh: $k: the WebAssembly build failed" >&2
    exit 1
  fi
  imports="not checked (wasm-objdump not installed)"
  if [ "$have_objdump" -eq 1 ]; then
    if wasm-objdump -x "$out/$k.wasm" | grep -q '^Import\['; then
      wasm-objdump -x -j Import "$out/$k.wasm" >&2
      echo "bench-kernels.sh: $k.wasm imports something; kernels must be self-contained" >&2
      exit 1
    fi
    imports="no imports"
  fi
  arm_note=""
  if [ "$arm64" -eq 1 ]; then
    # Static: qemu then needs no -L for it.
    if ! aarch64-linux-gnu-gcc "${native_flags[@]}" -static -o "$out_arm/$k.native" \
           "$root/bench/native_driver.c" "$src" > "$out_arm/$k.build.log" 2>&1; then
      cat "$out_arm/$k.build.log" >&2
      echo "bench-kernels.sh: $k: the AArch64 native build failed" >&2
      exit 1
    fi
    if ! arm_selftest=$("${qemu_cmd[@]}" "$out_arm/$k.native" --selftest); then
      echo "bench-kernels.sh: $k: arm64 (qemu): $arm_selftest" >&2
      exit 1
    fi
    arm_note="; arm64 native (qemu): $arm_selftest"
  fi
  printf '%-11s native: %s; wasm: %d bytes, %s%s\n' "$k" "$selftest" \
    "$(stat -c %s "$out/$k.wasm")" "$imports" "$arm_note"
done

wasmrt_driver=""
wasmrt_note="not built"
if command -v cmake >/dev/null 2>&1; then
  options=(-DCMAKE_BUILD_TYPE=Release "-DCMAKE_C_FLAGS_RELEASE=-O2 -DNDEBUG" -DWASMRT_TESTS=OFF)
  # Name the compiler only for a new tree: naming it again makes CMake drop its cache.
  [ -f "$cmake_dir/CMakeCache.txt" ] || options+=(-DCMAKE_C_COMPILER=gcc)
  if cmake -S "$root" -B "$cmake_dir" "${options[@]}" > "$out/cmake.log" 2>&1 &&
     cmake --build "$cmake_dir" --target wasmrt_driver --parallel "$jobs" >> "$out/cmake.log" 2>&1
  then
    wasmrt_driver=$cmake_dir/bench/wasmrt_driver
    echo "wasmrt_driver: built"
  else
    wasmrt_note="wasmrt_driver did not build ($(shown "$out")/cmake.log)"
    echo "wasmrt_driver: did not build; wasmrt is n/a (log: $(shown "$out")/cmake.log):"
    grep -m 3 -i -E 'error|undefined reference' "$out/cmake.log" | sed 's/^/  /' || true
  fi
else
  wasmrt_note="cmake not installed"
  echo "wasmrt_driver: cmake not installed; wasmrt is n/a"
fi

arm_driver=""
arm_note="not built"
if [ "$arm64" -eq 1 ]; then
  arm_cmake_dir=$out_arm/cmake
  if command -v cmake >/dev/null 2>&1; then
    options=(-DCMAKE_TOOLCHAIN_FILE="$root/cmake/aarch64-linux-gnu.cmake" -DCMAKE_BUILD_TYPE=Release
             "-DCMAKE_C_FLAGS_RELEASE=-O2 -DNDEBUG" -DWASMRT_TESTS=OFF)
    if cmake -S "$root" -B "$arm_cmake_dir" "${options[@]}" > "$out_arm/cmake.log" 2>&1 &&
       cmake --build "$arm_cmake_dir" --target wasmrt_driver --parallel "$jobs" \
         >> "$out_arm/cmake.log" 2>&1
    then
      arm_driver=$arm_cmake_dir/bench/wasmrt_driver
      echo "wasmrt_driver (AArch64): built"
    else
      arm_note="the AArch64 wasmrt_driver did not build ($(shown "$out_arm")/cmake.log)"
      echo "wasmrt_driver (AArch64): did not build; arm64-wasmrt is n/a" \
           "(log: $(shown "$out_arm")/cmake.log):"
      grep -m 3 -i -E 'error|undefined reference' "$out_arm/cmake.log" | sed 's/^/  /' || true
    fi
  else
    arm_note="cmake not installed"
    echo "wasmrt_driver (AArch64): cmake not installed; arm64-wasmrt is n/a"
  fi
fi

# ---- running ----
engines=(native wasmrt v8 liftoff turbofan)
[ "$arm64" -eq 0 ] || engines+=(arm64-native arm64-wasmrt)
declare -A best checksum note
node_cmd=(node --no-concurrent-marking)

# engine_command ENGINE KERNEL N: sets `cmd`, or returns 1 with `why` when the engine is absent.
engine_command() {
  local engine=$1 k=$2 n=$3
  case "$engine" in
    native) cmd=("$out/$k.native" "$n") ;;
    wasmrt)
      [ -n "$wasmrt_driver" ] || { why=$wasmrt_note; return 1; }
      cmd=("$wasmrt_driver" "$out/$k.wasm" "$n")
      ;;
    v8 | liftoff | turbofan)
      [ "$have_node" -eq 1 ] || { why="node not installed"; return 1; }
      cmd=("${node_cmd[@]}")
      [ "$engine" = liftoff ] && cmd+=(--liftoff-only)
      [ "$engine" = turbofan ] && cmd+=(--no-liftoff)
      cmd+=("$root/bench/node_driver.js" "$out/$k.wasm" "$n")
      ;;
    arm64-native) cmd=("${qemu_cmd[@]}" "$out_arm/$k.native" "$n") ;;
    arm64-wasmrt)
      [ -n "$arm_driver" ] || { why=$arm_note; return 1; }
      cmd=("${qemu_cmd[@]}" "$arm_driver" "$out/$k.wasm" "$n")
      ;;
  esac
  return 0
}

# run_best ENGINE KERNEL N: best[ENGINE,KERNEL] and checksum[...], or note[...] saying why not.
run_best() {
  local engine=$1 k=$2 n=$3 run line rc t sum why=""
  if ! engine_command "$engine" "$k" "$n"; then
    note[$engine,$k]=$why
    return
  fi
  for ((run = 0; run < runs; run++)); do
    rc=0
    line=$("${cutoff[@]}" "${pin[@]}" "${cmd[@]}" 2>> "$out/$engine.stderr" | tail -n 1) || rc=$?
    if [[ "$line" =~ ^error:\ (.*)$ ]]; then
      note[$engine,$k]=${BASH_REMATCH[1]}
      return
    fi
    if [ "$rc" -eq 124 ]; then
      note[$engine,$k]="timed out after $limit s"
      return
    fi
    if [ "$rc" -ne 0 ] || ! [[ "$line" =~ ^([0-9.]+)\ ([0-9]+)$ ]]; then
      if [ "$rc" -gt 128 ]; then
        note[$engine,$k]="crashed (signal $((rc - 128)))"
      else
        note[$engine,$k]="failed (exit $rc): ${line:-no output}"
        note[$engine,$k]+=" (stderr: $(shown "$out")/$engine.stderr)"
      fi
      return
    fi
    t=${BASH_REMATCH[1]}
    sum=${BASH_REMATCH[2]}
    if [ -n "${checksum[$engine,$k]:-}" ] && [ "${checksum[$engine,$k]}" != "$sum" ]; then
      note[$engine,$k]="checksum changed between runs: ${checksum[$engine,$k]}, then $sum"
      return
    fi
    checksum[$engine,$k]=$sum
    if [ -z "${best[$engine,$k]:-}" ] || awk -v a="$t" -v b="${best[$engine,$k]}" \
         'BEGIN { exit !(a < b) }'; then
      best[$engine,$k]=$t
    fi
  done
}

echo
echo "== running (best of $runs)"
for engine in "${engines[@]}"; do : > "$out/$engine.stderr"; done
for k in "${kernels[@]}"; do
  n=${n_of[$k]}
  printf '%-11s n=%-9s' "$k" "$n"
  for engine in "${engines[@]}"; do
    run_best "$engine" "$k" "$n"
    if [ -n "${best[$engine,$k]:-}" ]; then
      printf ' %s %ss' "$engine" "${best[$engine,$k]}"
    else
      printf ' %s n/a' "$engine"
    fi
  done
  echo
  if [ -z "${checksum[native,$k]:-}" ]; then
    echo "bench-kernels.sh: $k: the native run failed: ${note[native,$k]:-}" >&2
    status=1
    continue
  fi
  for engine in "${engines[@]}"; do
    [ "$engine" = native ] && continue
    sum=${checksum[$engine,$k]:-}
    if [ -n "$sum" ] && [ "$sum" != "${checksum[native,$k]}" ]; then
      echo "MISMATCH: $k: $engine returned checksum $sum, native ${checksum[native,$k]}"
      note[$engine,$k]="MISMATCH"
      unset "best[$engine,$k]"
      status=1
    fi
  done
done

# ---- the table ----
# fmt X: X with 3 significant digits.
fmt() { awk -v x="$1" 'BEGIN { printf "%.3g", x }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3gx", a / b }'; }

echo
echo "== kernels: seconds for one call of bench_run(n), and each engine's time over native's"
printf '%-11s %9s %9s %9s %14s %10s %15s %16s\n' kernel n "native s" "wasmrt s" \
  "wasmrt/native" "V8/native" "Liftoff/native" "TurboFan/native"
declare -A log_sum count
for k in "${kernels[@]}"; do
  base=${best[native,$k]:-}
  row=$(printf '%-11s %9s %9s' "$k" "${n_of[$k]}" "$([ -n "$base" ] && fmt "$base" || echo n/a)")
  w=${best[wasmrt,$k]:-}
  row+=$(printf ' %9s' "$([ -n "$w" ] && fmt "$w" || echo n/a)")
  widths=(14 10 15 16)
  i=0
  for engine in wasmrt v8 liftoff turbofan; do
    t=${best[$engine,$k]:-}
    cell=n/a
    [ "${note[$engine,$k]:-}" = MISMATCH ] && cell=MISMATCH
    if [ -n "$t" ] && [ -n "$base" ] && awk -v b="$base" 'BEGIN { exit !(b > 0) }'; then
      cell=$(ratio "$t" "$base")
      log_sum[$engine]=$(awk -v s="${log_sum[$engine]:-0}" -v a="$t" -v b="$base" \
                           'BEGIN { printf "%.12g", s + log(a / b) }')
      count[$engine]=$((${count[$engine]:-0} + 1))
    fi
    row+=$(printf " %${widths[$i]}s" "$cell")
    i=$((i + 1))
  done
  echo "$row"
done
row=$(printf '%-11s %9s %9s %9s' geomean "" "" "")
i=0
for engine in wasmrt v8 liftoff turbofan; do
  cell=n/a
  if [ "${count[$engine]:-0}" -gt 0 ]; then
    cell=$(awk -v s="${log_sum[$engine]}" -v c="${count[$engine]}" \
             'BEGIN { printf "%.3gx", exp(s / c) }')
    [ "${count[$engine]}" -lt ${#kernels[@]} ] && cell="$cell(${count[$engine]})"
  fi
  row+=$(printf " %${widths[$i]}s" "$cell")
  i=$((i + 1))
done
echo "$row"
echo "(ratios: time over native's, lower is better; geomean over the kernels with a figure,"
echo " their count in parentheses when some are n/a)"
# Why a cell is n/a: each distinct reason once per engine.
for engine in wasmrt v8 liftoff turbofan; do
  declare -A seen=()
  for k in "${kernels[@]}"; do
    why=${note[$engine,$k]:-}
    if [ -z "$why" ] || [ "$why" = MISMATCH ]; then continue; fi
    if [ -z "${seen[$why]:-}" ]; then
      seen[$why]=$k
    else
      seen[$why]="${seen[$why]},$k"
    fi
  done
  for why in "${!seen[@]}"; do
    echo "$engine n/a (${seen[$why]}): $why"
  done
  unset seen
done

# ---- arm64 under qemu ----
if [ "$arm64" -eq 1 ]; then
  echo
  echo "== arm64 under qemu-aarch64: emulated wasmrt/native beside x86-64 wasmrt/native (same n)"
  printf '%-11s %9s %12s %12s %13s %14s %12s\n' kernel n "arm64 nat s" "arm64 wrt s" \
    "arm64 w/n" "x86-64 w/n" "arm64/x86-64"
  positive() { awk -v x="$1" 'BEGIN { exit !(x > 0) }'; }
  add_log() { awk -v s="$1" -v a="$2" -v b="$3" 'BEGIN { printf "%.12g", s + log(a / b) }'; }
  over=()
  arm_sum=0 x86_sum=0 both=0
  for k in "${kernels[@]}"; do
    an=${best[arm64-native,$k]:-}
    aw=${best[arm64-wasmrt,$k]:-}
    xn=${best[native,$k]:-}
    xw=${best[wasmrt,$k]:-}
    arm_cell=n/a x86_cell=n/a q_cell=n/a
    [ "${note[arm64-wasmrt,$k]:-}" = MISMATCH ] && arm_cell=MISMATCH
    [ "${note[wasmrt,$k]:-}" = MISMATCH ] && x86_cell=MISMATCH
    [ -n "$an" ] && [ -n "$aw" ] && positive "$an" && arm_cell=$(ratio "$aw" "$an")
    [ -n "$xn" ] && [ -n "$xw" ] && positive "$xn" && x86_cell=$(ratio "$xw" "$xn")
    if [ "${arm_cell%x}" != "$arm_cell" ] && [ "${x86_cell%x}" != "$x86_cell" ]; then
      q=$(awk -v aw="$aw" -v an="$an" -v xw="$xw" -v xn="$xn" \
            'BEGIN { printf "%.12g", (aw / an) / (xw / xn) }')
      q_cell=$(fmt "$q")
      if awk -v q="$q" 'BEGIN { exit !(q > 1.25) }'; then
        q_cell="$q_cell >1.25"
        over+=("$k")
      fi
      arm_sum=$(add_log "$arm_sum" "$aw" "$an")
      x86_sum=$(add_log "$x86_sum" "$xw" "$xn")
      both=$((both + 1))
    fi
    printf '%-11s %9s %12s %12s %13s %14s %12s\n' "$k" "${n_of[$k]}" \
      "$([ -n "$an" ] && fmt "$an" || echo n/a)" "$([ -n "$aw" ] && fmt "$aw" || echo n/a)" \
      "$arm_cell" "$x86_cell" "$q_cell"
  done
  if [ "$both" -gt 0 ]; then
    geo() { awk -v s="$1" -v c="$both" 'BEGIN { printf "%.3g", exp(s / c) }'; }
    suffix=""
    [ "$both" -lt ${#kernels[@]} ] && suffix="($both)"
    q_sum=$(awk -v a="$arm_sum" -v b="$x86_sum" 'BEGIN { printf "%.12g", a - b }')
    printf '%-11s %9s %12s %12s %13s %14s %12s\n' geomean "" "" "" "$(geo "$arm_sum")x$suffix" \
      "$(geo "$x86_sum")x$suffix" "$(geo "$q_sum")"
  fi
  echo "(arm64 nat s, arm64 wrt s: seconds of the AArch64 native and wasmrt builds, both under"
  echo " qemu-aarch64; arm64 w/n: wasmrt over native there; x86-64 w/n: wasmrt/native of the table"
  echo " above; arm64/x86-64: the first ratio over the second, flagged >1.25 when the arm64 one is"
  sized="sizes.txt's$([ "$quick" -eq 1 ] && echo ' quick') n"
  [ "$arm64_div" -eq 1 ] || sized+=" / $arm64_div"
  echo " more than 25% worse; n: $sized;"
  echo " geomean over the kernels with both ratios)"
  if [ "$both" -gt 0 ]; then
    if [ ${#over[@]} -gt 0 ]; then
      echo "over the 25% margin: ${over[*]}"
    else
      echo "over the 25% margin: none"
    fi
  fi
  for engine in arm64-native arm64-wasmrt; do
    for k in "${kernels[@]}"; do
      why=${note[$engine,$k]:-}
      if [ -n "$why" ] && [ "$why" != MISMATCH ]; then echo "$engine n/a ($k): $why"; fi
    done
  done
fi

# ---- compile throughput ----
if [ "$compile" -eq 1 ]; then
  echo
  echo "== compile throughput"
  modules=()
  if command -v cmake >/dev/null 2>&1 && [ -f "$cmake_dir/CMakeCache.txt" ]; then
    echo "building the generated module (target bench_program; minutes the first time)..."
    if cmake --build "$cmake_dir" --target bench_program --parallel "$jobs" \
         > "$out/bench_program.log" 2>&1; then
      for generated in "$cmake_dir/bench/program.wasm" "$cmake_dir/bench/program-opt.wasm"; do
        [ -f "$generated" ] && modules+=("$generated")
      done
    else
      echo "bench_program did not build (log: $(shown "$out")/bench_program.log)"
    fi
  fi
  modules+=("${extra_modules[@]}")
  if [ ${#modules[@]} -eq 0 ]; then
    echo "no module to compile"
  else
    compile_engines=(wasmrt liftoff turbofan)
    declare -A compile_best compile_note
    for module in "${modules[@]}"; do
      for engine in "${compile_engines[@]}"; do
        case "$engine" in
          wasmrt)
            if [ -z "$wasmrt_driver" ]; then
              compile_note[$engine,$module]=$wasmrt_note
              continue
            fi
            cmd=("$wasmrt_driver" --compile-only "$module")
            ;;
          *)
            if [ "$have_node" -eq 0 ]; then
              compile_note[$engine,$module]="node not installed"
              continue
            fi
            cmd=("${node_cmd[@]}" --no-wasm-lazy-compilation)
            [ "$engine" = liftoff ] && cmd+=(--liftoff-only) || cmd+=(--no-liftoff)
            cmd+=("$root/bench/node_driver.js" --compile-only "$module")
            ;;
        esac
        for ((run = 0; run < runs; run++)); do
          rc=0
          line=$("${cutoff[@]}" "${pin[@]}" "${cmd[@]}" 2>> "$out/$engine.stderr" | tail -n 1) ||
            rc=$?
          if [[ "$line" =~ ^error:\ (.*)$ ]]; then
            compile_note[$engine,$module]=${BASH_REMATCH[1]}
            break
          fi
          if [ "$rc" -ne 0 ] || ! [[ "$line" =~ ^([0-9.]+)\ ([0-9]+)$ ]]; then
            compile_note[$engine,$module]="failed (exit $rc)"
            break
          fi
          t=${BASH_REMATCH[1]}
          if [ -z "${compile_best[$engine,$module]:-}" ] ||
             awk -v a="$t" -v b="${compile_best[$engine,$module]}" 'BEGIN { exit !(a < b) }'; then
            compile_best[$engine,$module]=$t
          fi
        done
      done
    done
    for module in "${modules[@]}"; do
      case "$module" in "$root"/*) echo "$(basename "$module"): ${module#"$root"/}" ;;
                        *) echo "$(basename "$module"): $module" ;; esac
    done
    echo "MB/s of module bytes (MB = 10^6 bytes), best of $runs, decoding and validation included;"
    echo "wasmrt: wasmrt_module_decode + wasmrt_compile; V8: new WebAssembly.Module with"
    echo "--no-wasm-lazy-compilation and --liftoff-only (Liftoff) or --no-liftoff (TurboFan)"
    printf '%-28s %8s %12s %14s %15s\n' module MB "wasmrt MB/s" "Liftoff MB/s" "TurboFan MB/s"
    for module in "${modules[@]}"; do
      size=$(stat -c %s "$module")
      shown=$(basename "$module")
      [ ${#shown} -le 28 ] || shown=${shown:0:25}...
      row=$(printf '%-28s %8s' "$shown" "$(fmt "$(awk -v s="$size" 'BEGIN { print s / 1e6 }')")")
      widths=(12 14 15)
      i=0
      for engine in "${compile_engines[@]}"; do
        t=${compile_best[$engine,$module]:-}
        cell=n/a
        [ -n "$t" ] && cell=$(awk -v s="$size" -v t="$t" 'BEGIN { printf "%.3g", s / t / 1e6 }')
        row+=$(printf " %${widths[$i]}s" "$cell")
        i=$((i + 1))
      done
      echo "$row"
    done
    for engine in "${compile_engines[@]}"; do
      for module in "${modules[@]}"; do
        why=${compile_note[$engine,$module]:-}
        [ -z "$why" ] || echo "$engine n/a ($(basename "$module")): $why"
      done
    done
  fi
fi

echo
echo "bench-kernels.sh took $(($(date +%s) - started)) s"
exit "$status"
