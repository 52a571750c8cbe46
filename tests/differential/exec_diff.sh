#!/usr/bin/env bash
# exec_diff.sh - differential execution test of wasmrt against binaryen's interpreter.
#
#   exec_diff.sh N SEED --runner PATH --mutate PATH --work DIR [--failures DIR] [--known FILE]
#                [-- EMULATOR...]
#
# Makes N modules with binaryen's `wasm-opt -ttf` from pseudo-random bytes (`mutate random`:
# splitmix64 from SEED, so the same N and SEED give the same modules on every machine, and a
# longer run starts with the modules of a shorter one), runs each in binaryen's interpreter
# (`wasm-opt --fuzz-exec-before`: every exported function in export order, after the module's
# hangLimitInitializer, with zero arguments) and in wasmrt (exec_runner.c, which does the
# same), and compares the transcripts: every log call and its values, traps (trapped or not;
# the messages differ), results (by value; a NaN equals any NaN). binaryen prints no hash of
# memory; the modules' own hashMemory export, called like any other and by the generated
# *_invoker functions, shows memory in the transcript.
#
# A module
#   passes   when the transcripts agree, or its SHA-256 is in the known-differences file
#            ("SHA256 reason" lines; counted apart);
#   is skipped when wasmrt does not compile something in it (WASMRT_ERROR_UNSUPPORTED), or
#            binaryen's interpreter failed or stopped at one of its host limits, or the
#            transcripts differ but agree on the same module made NaN-free by binaryen's --denan
#            (every float result that is NaN becomes 0): then, most likely, a NaN's sign or
#            payload, which the specification leaves to the engine, reached memory, an integer
#            or a copysign (binaryen's interpreter makes canonical NaNs where x86 keeps an
#            operand's payload). Most likely only: --denan adds calls that change the code
#            around, so a miscompilation can hide there too; WORK/nan-differences.txt lists
#            them, and they are worth another look after a compiler fix;
#   fails    otherwise: a difference, a module wasmrt rejects, a crash, or no end within the
#            time limit (the modules bound loops and recursion with a hang limit; both engines
#            finish each in well under a second).
#
# The modules use the WebAssembly 2.0 features binaryen 108 implements as specified: sign
# extension, mutable globals, non-trapping float-to-int, bulk memory, multi-value. Not SIMD
# (wasmrt does not compile it yet) and not reference types: binaryen 108's are the GC
# proposal's (anyref, (ref null $t), funcref a subtype of externref), and wabt's wasm-validate
# rejects every such module it makes as WebAssembly 2.0.
#
# In a cross build the runner and mutate are the build's binaries and run under EMULATOR
# (CMAKE_CROSSCOMPILING_EMULATOR, qemu-aarch64 for the aarch64 tree), while binaryen, the
# reference, and node are the host's.
#
# JOBS (default 2) modules are made and run at once. Everything is written under the work
# directory, which is emptied first: random/ the input bytes; modules/ for each module NAME
# NAME.wasm, NAME.ref (binaryen's transcript), NAME.ours (wasmrt's), NAME.verdict (the runner's
# stderr); for a difference also NAME.denan.* (the --denan check) and, when node is installed,
# NAME.v8 (V8's transcript, exec_v8.js) and NAME.v8.opinion (whether V8 agrees with wasmrt),
# which the reports quote: a third opinion, not a verdict. The files of each
# failure are copied to the failures directory (default WORK/failures; emptied first), and
# failures.txt there has a line per failure: module, export, event, expected, got. By hand:
#   wasm-opt FEATURES NAME.wasm --fuzz-exec-before -q >NAME.ref    (FEATURES: those below)
#   wasmrt_exec_runner NAME.wasm NAME.ref                          (compares; prints ours)
#   exec_reduce.sh --runner PATH NAME.wasm SMALL.wasm              (shrinks a failure)
#
# Closes with
#   exec_diff: P passed, F failed, S skipped
# Exit status: 0 when nothing failed, 1 when something did, 2 when the test could not run.
set -euo pipefail
here=$(dirname "$(realpath "${BASH_SOURCE[0]}")")

usage() { echo "usage: exec_diff.sh N SEED --runner PATH --mutate PATH --work DIR [--failures DIR] [--known FILE] [-- EMULATOR...]" >&2; exit 2; }
[ $# -ge 2 ] || usage
count=$1 seed=$2
shift 2
case "$count$seed" in ''|*[!0-9]*) usage ;; esac
runner="" mutate="" work="" failures="" known=""
while [ $# -gt 0 ]; do
  case "$1" in
    --runner) runner=$2; shift 2 ;;
    --mutate) mutate=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    --failures) failures=$2; shift 2 ;;
    --known) known=$2; shift 2 ;;
    --) shift; break ;;
    *) echo "exec_diff.sh: unknown argument '$1'" >&2; usage ;;
  esac
done
emulator=("$@")
[ -n "$runner" ] && [ -n "$mutate" ] && [ -n "$work" ] || usage
setup_failed() { echo "exec_diff.sh: $*" >&2; echo "exec_diff: 0 passed, 0 failed, 0 skipped (could not run)"; exit 2; }
for tool in wasm-opt sha256sum timeout; do
  command -v "$tool" >/dev/null || setup_failed "$tool not found (scripts/install-deps.sh)"
done
jobs=${JOBS:-2}
features=(--enable-sign-ext --enable-mutable-globals --enable-nontrapping-float-to-int
          --enable-bulk-memory --enable-multivalue --disable-simd --disable-reference-types)
# Sizes of the random inputs: -ttf makes more and longer functions from more bytes.
min_bytes=1000 max_bytes=16000
# Seconds one module may take in either engine; the slowest seen take well under a second.
time_limit=${WASMRT_EXEC_DIFF_TIMEOUT:-30}

runner=$(realpath "$runner")
mutate=$(realpath "$mutate")
[ -z "$known" ] || known=$(realpath "$known")
rm -rf "$work"
mkdir -p "$work"
work=$(realpath "$work")
failures=${failures:-$work/failures}
rm -rf "$failures"
mkdir -p "$failures"
failures=$(realpath "$failures")
cd "$work"
mkdir random modules
echo "exec_diff: seed $seed, $count modules, in $PWD"
[ "$count" -gt 0 ] || { echo "exec_diff: 0 passed, 0 failed, 0 skipped"; exit 0; }
"${emulator[@]}" "$mutate" random "$seed" "$count" "$min_bytes" "$max_bytes" random r ||
  setup_failed "mutate random failed"

# ---- make, run and compare ---------------------------------------------------------------
# Each worker prints "NAME STATUS" per module: STATUS is the runner's exit status (0 agree,
# 1 differ, 2 runner error, 3 skipped, 124 timeout, 128+N signal N), "setup" when -ttf failed,
# or "reference" when binaryen's interpreter did (the module is skipped), with the reason in
# modules/NAME.verdict.
# verdict_of STDERR MODULE: the runner's verdict line without its "exec_runner: MODULE: " (a
# sanitizer build may print warnings before it), or else the first line.
verdict_of() {
  { grep -m 1 "^exec_runner: " "$1" || head -n 1 "$1"; } 2>/dev/null | sed "s|^exec_runner: $2: ||"
}
export -f verdict_of
# V8 (node) is asked about each difference when it is installed.
v8=""
if command -v node >/dev/null; then
  v8=$here/exec_v8.js
fi
# The workers split these strings into words, as they do the features.
export features_list="${features[*]}" emulator_words="${emulator[*]}" runner time_limit v8
statuses=$(find random -name 'r*.bin' -print0 | sort -z |
  xargs -0 -r -P "$jobs" -n 10 bash -c '
    for bin; do
      n=$(basename "$bin" .bin); name=m${n#r}
      m=modules/$name
      if ! wasm-opt $features_list -ttf "$bin" -o "$m.wasm" 2>"$m.verdict"; then
        echo "$name setup"; continue
      fi
      status=0
      timeout "$time_limit" wasm-opt $features_list "$m.wasm" --fuzz-exec-before -q \
        >"$m.ref" 2>"$m.ref.err" || status=$?
      if [ "$status" -ne 0 ]; then
        echo "binaryen failed: wasm-opt --fuzz-exec-before exited with status $status:" \
             "$(head -c 200 "$m.ref.err" | tr "\n" " ")" >"$m.verdict"
        echo "$name reference"; continue
      fi
      status=0
      timeout -k 5 "$time_limit" $emulator_words "$runner" "$m.wasm" "$m.ref" >"$m.ours" 2>"$m.verdict" || status=$?
      if [ "$status" -eq 1 ] &&
         ! grep -qE ": (rejected|compiling failed|instantiating failed|calling .* failed)" "$m.verdict"; then
        # Is it a NaN sign or payload that became observable? Both engines again, on the
        # module with every float result that is NaN made 0 (binaryen --denan).
        d=$m.denan
        denan_status=0
        { wasm-opt $features_list "$m.wasm" --denan -o "$d.wasm" 2>/dev/null &&
          timeout "$time_limit" wasm-opt $features_list "$d.wasm" --fuzz-exec-before -q >"$d.ref" 2>/dev/null &&
          timeout -k 5 "$time_limit" $emulator_words "$runner" "$d.wasm" "$d.ref" >"$d.ours" 2>"$d.verdict"; } ||
          denan_status=$?
        [ "$denan_status" -ne 0 ] || status=nan
        # A third opinion for whoever looks into it: V8, which computes floats with the same
        # x86 instructions as wasmrt, though not always to the same NaN (f64.min of a NaN with
        # a payload: V8 gives the canonical NaN, wasmrt the operand'"'"'s).
        if [ -n "$v8" ]; then
          if ! timeout "$time_limit" node --no-concurrent-marking "$v8" "$m.wasm" >"$m.v8" 2>/dev/null; then
            echo "V8 could not run it" >"$m.v8.opinion"
          elif timeout -k 5 "$time_limit" $emulator_words "$runner" "$m.wasm" "$m.v8" >/dev/null 2>"$m.v8.verdict"; then
            echo "V8 agrees with wasmrt" >"$m.v8.opinion"
          else
            echo "V8 differs from wasmrt too: $(verdict_of "$m.v8.verdict" "$m.wasm")" >"$m.v8.opinion"
          fi
        fi
      fi
      echo "$name $status"
    done' bash) || setup_failed "running the modules failed"

# ---- judgement ------------------------------------------------------------------------------
declare -A known_reason=()
if [ -n "$known" ]; then
  while read -r hash reason; do
    case "$hash" in ''|'#'*) continue ;; esac
    known_reason[$hash]=$reason
  done <"$known"
fi
passed=0 failed=0 skipped=0 known_count=0 nan_count=0
: >nan-differences.txt
declare -A skip_reasons=()
report=$failures/failures.txt
: >"$report"
while read -r name status; do
  m=modules/$name
  why=$(verdict_of "$m.verdict" "$m.wasm")
  v8_opinion=$(cat "$m.v8.opinion" 2>/dev/null || true)
  case "$status" in
    0) passed=$((passed + 1)); continue ;;
    nan) skipped=$((skipped + 1)); nan_count=$((nan_count + 1))
         echo "$PWD/$m.wasm: $why${v8_opinion:+ ($v8_opinion)}" >>nan-differences.txt
         continue ;;
    3|reference)
       skipped=$((skipped + 1))
       reason=${why#skipped: }
       skip_reasons[$reason]=$(( ${skip_reasons[$reason]:-0} + 1 ))
       continue ;;
    setup) setup_failed "$name: $why" ;;
    1) text=$why ;;
    2) text="the runner could not judge: $why" ;;
    124|137) text="no end within $time_limit s (binaryen's run ends)" ;;
    *) if [ "$status" -gt 128 ]; then
         text="wasmrt crashed with signal $((status - 128)) after $(wc -l <"$m.ours") of $(wc -l <"$m.ref") lines; last: $(tail -n 1 "$m.ours")"
       else
         text="the runner exited with status $status: $why"
       fi ;;
  esac
  hash=$(sha256sum "$m.wasm" | cut -d' ' -f1)
  if [ -n "${known_reason[$hash]:-}" ]; then
    passed=$((passed + 1)); known_count=$((known_count + 1))
    continue
  fi
  failed=$((failed + 1))
  cp "$m.wasm" "$m.ref" "$m.ours" "$m.verdict" "$failures/"
  if [ -s "$m.denan.verdict" ]; then
    cp "$m.denan.wasm" "$m.denan.ref" "$m.denan.ours" "$m.denan.verdict" "$failures/"
    text="$text (after --denan too: $(verdict_of "$m.denan.verdict" "$m.denan.wasm"))"
  fi
  if [ -n "$v8_opinion" ]; then
    cp "$m.v8" "$failures/" 2>/dev/null || true
    text="$text ($v8_opinion)"
  fi
  echo "$failures/$name.wasm: $text" >>"$report"
done < <(sort <<<"$statuses")

for reason in "${!skip_reasons[@]}"; do
  echo "exec_diff: skipped ${skip_reasons[$reason]}: $reason"
done | sort
if [ "$failed" -gt 0 ]; then
  head -n 40 "$report"
  [ "$failed" -le 40 ] || echo "... and $((failed - 40)) more in $report"
  echo "exec_diff: the modules and both transcripts (.ref binaryen, .ours wasmrt) are in $failures/"
fi
[ "$known_count" -eq 0 ] || echo "exec_diff: $known_count known differences counted as passed"
[ "$nan_count" -eq 0 ] ||
  echo "exec_diff: skipped $nan_count: a NaN's sign or payload, which the specification leaves" \
       "to the engine, became observable (the engines agree after --denan; $PWD/nan-differences.txt)"
echo "exec_diff: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
