#!/usr/bin/env bash
# validate_diff.sh - differential test of `wasmrt validate` against wabt's wasm-validate.
#
#   validate_diff.sh --wasmrt PATH --mutate PATH --seeds DIR --work DIR
#                    [--modules N] [--mutants N] [--seed N] [--known FILE] [-- EMULATOR...]
#
# The environment variables WASMRT_DIFF_MODULES and WASMRT_DIFF_MUTANTS override --modules
# (default 200) and --mutants (default 2000); JOBS (default 2) is how many reference tool
# processes run at once.
#
#   (a) N random modules made by binaryen (`wasm-opt -ttf` over pseudo-random bytes from the
#       mutator, half of them with every WebAssembly 2.0 feature binaryen 108 gets right) and
#       the seed modules (every DIR/*.wat, assembled by wat2wasm) must all be accepted.
#   (b) About N byte-mutated variants of those modules get the same verdict, valid or not
#       (malformed counts as not valid), from wasmrt and from wasm-validate, except:
#         - wasmrt said `limit`: a documented wasmrt limit (docs/LIMITS.md);
#         - wasm-validate accepted a module that `mutate wabt-quirks` proves not valid in a way
#           wabt 1.0.32 overlooks (an active segment with an empty offset expression, FACTS.md;
#           data segment flags above 2; a constant expression running past its section's end);
#         - the file's SHA-256 is listed in the known-differences file with its reason.
#       Each remaining disagreement is printed with both verdicts and, as a third opinion for
#       whoever looks into it, V8's WebAssembly.validate() when node is installed.
#
# EMULATOR (e.g. `qemu-aarch64 -L /usr/aarch64-linux-gnu`) runs the wasmrt and mutate binaries
# when they are built for another architecture; wat2wasm, wasm-opt and wasm-validate are the
# host's. Everything is written under the work directory, which is emptied first; it keeps all
# inputs, so any verdict can be reproduced by hand. Disagreeing files are also copied to
# WORK/failures/. The same --seed gives the same files on every machine.
#
# Prints every disagreement with both verdicts and closes with
#   differential: N passed, N failed
# Exit status: 0 when nothing failed, 1 when something did, 2 when the test could not run.
set -euo pipefail

modules=200
mutants=2000
seed=1
known=""
wasmrt="" mutate="" seeds="" work=""
while [ $# -gt 0 ]; do
  case "$1" in
    --modules) modules=$2; shift 2 ;;
    --mutants) mutants=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --known) known=$2; shift 2 ;;
    --wasmrt) wasmrt=$2; shift 2 ;;
    --mutate) mutate=$2; shift 2 ;;
    --seeds) seeds=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    --) shift; break ;;
    *) echo "validate_diff.sh: unknown argument '$1'" >&2; exit 2 ;;
  esac
done
emulator=("$@")
modules=${WASMRT_DIFF_MODULES:-$modules}
mutants=${WASMRT_DIFF_MUTANTS:-$mutants}
if [ -z "$wasmrt" ] || [ -z "$mutate" ] || [ -z "$seeds" ] || [ -z "$work" ]; then
  echo "validate_diff.sh: --wasmrt, --mutate, --seeds and --work are required" >&2
  exit 2
fi
for tool in wat2wasm wasm-opt wasm-validate sha256sum; do
  command -v "$tool" >/dev/null || { echo "validate_diff.sh: $tool not found (scripts/install-deps.sh)" >&2; exit 2; }
done
jobs=${JOBS:-2}
# wabt checks the contents of the name section; the specification gives custom sections no say
# in validity. (--ignore-custom-section-errors would go too far: it also lets through a custom
# section whose own name is malformed, which makes the module malformed.)
reference=(wasm-validate --no-debug-names)
# The WebAssembly 2.0 features binaryen 108 implements as specified. Its reference types carry
# GC-era extensions (anyref, subtyping) that 2.0 does not have, so they stay off.
features=(--enable-sign-ext --enable-mutable-globals --enable-nontrapping-float-to-int
          --enable-simd --enable-bulk-memory --enable-multivalue)

setup_failed() { echo "validate_diff.sh: $*" >&2; echo "differential: 0 passed, 0 failed (could not run)"; exit 2; }

wasmrt=$(realpath "$wasmrt")
mutate=$(realpath "$mutate")
seeds=$(realpath "$seeds")
[ -z "$known" ] || known=$(realpath "$known")
rm -rf "$work"
mkdir -p "$work"
cd "$work"
mkdir random modules mutants failures
echo "differential: seed $seed, $modules random modules, about $mutants mutants, in $PWD"

# ---- inputs ---------------------------------------------------------------------------------
for wat in "$seeds"/*.wat; do
  name=$(basename "$wat" .wat)
  wat2wasm --debug-names "$wat" -o "modules/seed-$name.wasm" 2>wat2wasm.err ||
    setup_failed "wat2wasm $wat: $(head -n 3 wat2wasm.err)"
done
"${emulator[@]}" "$mutate" random "$seed" "$modules" 16 4096 random r ||
  setup_failed "mutate random failed"
# Odd-numbered modules use the 2.0 features above, even-numbered ones binaryen's defaults.
export features_list="${features[*]}"
find random -name 'r*.bin' -print0 | sort -z |
  xargs -0 -r -P "$jobs" -n 20 bash -c '
    for bin; do
      n=$(basename "$bin" .bin); n=${n#r}
      flags=""
      [ $((10#$n % 2)) -eq 1 ] && flags=$features_list
      wasm-opt $flags -ttf "$bin" -o "modules/gen-$n.wasm" 2>"$bin.err" ||
        { echo "wasm-opt -ttf $bin failed: $(head -n 3 "$bin.err")" >&2; exit 255; }
    done' bash || setup_failed "generating modules with wasm-opt failed"
inputs=(modules/*.wasm)
per_input=$(( (mutants + ${#inputs[@]} - 1) / ${#inputs[@]} ))
"${emulator[@]}" "$mutate" mutants "$seed" "$per_input" mutants "${inputs[@]}" ||
  setup_failed "mutate mutants failed"
mapfile -t variants < <(find mutants -name '*.wasm' | sort)

# ---- wasmrt's verdicts ------------------------------------------------------------------------
# verdict[FILE] = malformed|invalid|limit|exit:STATUS (no verdict); absent means valid. why[FILE] = message.
declare -A verdict=() why=()
run_wasmrt() { # run_wasmrt FILE...: one process for many files, fewer when one fails
  local status=0 file lines
  "${emulator[@]}" "$wasmrt" validate -- "$@" >wasmrt.out 2>wasmrt.err || status=$?
  lines=$(wc -l <wasmrt.out)
  # A run counts only when it kept the contract of `wasmrt validate`: status 0 with no output,
  # or 1 with a line per bad file, and nothing on stderr. Sanitizers exit with status 1 too.
  if [ -s wasmrt.err ] || [ "$status" -gt 1 ] || [ $((status == 0)) -ne $((lines == 0)) ]; then
    if [ $# -eq 1 ]; then
      verdict[$1]="exit:$status"
      why[$1]=$(head -c 400 wasmrt.err | tr '\n' ' ')
      return
    fi
    # Narrow it down: groups of 25 first, so one bad file among hundreds costs few runs.
    local step=1 i
    [ $# -le 25 ] || step=25
    for ((i = 1; i <= $#; i += step)); do run_wasmrt "${@:i:step}"; done
    return
  fi
  while IFS= read -r line; do
    if [[ "$line" =~ ^([^:]+):\ (malformed|invalid|limit):\ (.*)$ ]]; then
      verdict[${BASH_REMATCH[1]}]=${BASH_REMATCH[2]}
      why[${BASH_REMATCH[1]}]=${BASH_REMATCH[3]}
    else
      setup_failed "unexpected output of wasmrt validate: $line"
    fi
  done <wasmrt.out
}
all=("${inputs[@]}" "${variants[@]}")
batch=500
for ((i = 0; i < ${#all[@]}; i += batch)); do
  run_wasmrt "${all[@]:i:batch}"
done

# ---- wasm-validate's verdicts ----------------------------------------------------------------
declare -A reference_status=()
export reference_command="${reference[*]}"
while read -r status file; do
  reference_status[$file]=$status
done < <(printf '%s\0' "${variants[@]}" |
         xargs -0 -r -P "$jobs" -n 100 bash -c '
           for f; do
             s=0; $reference_command "$f" >/dev/null 2>&1 || s=$?
             echo "$s $f"
           done' bash)
declare -A wabt_quirk=()
while IFS=$'\t' read -r file reason; do
  wabt_quirk[$file]=$reason
done < <(printf '%s\0' "${variants[@]}" | xargs -0 -r -n 2000 "${emulator[@]}" "$mutate" wabt-quirks)
declare -A known_reason=()
if [ -n "$known" ]; then
  while read -r hash reason; do
    case "$hash" in ''|'#'*) continue ;; esac
    known_reason[$hash]=$reason
  done <"$known"
fi

# ---- judgement ------------------------------------------------------------------------------
passed=0 failed=0 limits=0 wabt_bugs=0 known_count=0 unjudged=0
report=failures.txt
: >"$report"
failures=()
fail() { # fail FILE TEXT: recorded now, printed at the end with V8's opinion
  failed=$((failed + 1))
  failures+=("$1")
  cp "$1" failures/
  echo "$2" >>"$report"
}
describe() { # describe FILE -> "kind (message)" as wasmrt said it
  local v=${verdict[$1]:-valid}
  if [ "$v" = valid ]; then echo valid; else echo "$v (${why[$1]})"; fi
}

for file in "${inputs[@]}"; do
  v=${verdict[$file]:-valid}
  case "$v" in
    valid) passed=$((passed + 1)) ;;
    limit) passed=$((passed + 1)); limits=$((limits + 1)); echo "LIMIT $file: ${why[$file]}" ;;
    exit:*) fail "$file" "NO VERDICT $PWD/$file: wasmrt validate exited with status ${v#exit:}: ${why[$file]}" ;;
    *) fail "$file" "REJECTED $PWD/$file: wasmrt=$(describe "$file") wasm-validate=valid (generated to be valid)" ;;
  esac
done

for file in "${variants[@]}"; do
  ours=${verdict[$file]:-valid}
  theirs=${reference_status[$file]:-missing}
  case "$ours" in
    exit:*) fail "$file" "NO VERDICT $PWD/$file: wasmrt validate exited with status ${ours#exit:}: ${why[$file]}"; continue ;;
    limit)
      passed=$((passed + 1)); limits=$((limits + 1))
      # Shown, because a limit reported on a module that is in fact malformed hides a bug.
      [ "$limits" -gt 10 ] ||
        echo "LIMIT $file: ${why[$file]} (wasm-validate exit status ${reference_status[$file]:-?})"
      continue ;;
    malformed|invalid) ours=invalid ;;
  esac
  case "$theirs" in
    0) theirs=valid ;;
    1) theirs=invalid ;;
    *) unjudged=$((unjudged + 1))
       echo "NOT JUDGED $PWD/$file: wasm-validate exited with status $theirs"
       continue ;;
  esac
  if [ "$ours" = "$theirs" ]; then
    passed=$((passed + 1))
  elif [ "$ours" = invalid ] && [ "$theirs" = valid ] && [ -n "${wabt_quirk[$file]:-}" ]; then
    passed=$((passed + 1)); wabt_bugs=$((wabt_bugs + 1))
  else
    hash=$(sha256sum "$file" | cut -d' ' -f1)
    if [ -n "${known_reason[$hash]:-}" ]; then
      passed=$((passed + 1)); known_count=$((known_count + 1))
    else
      message=""
      [ "$theirs" = invalid ] && message=" ($("${reference[@]}" "$file" 2>&1 | head -n 1 || true))"
      fail "$file" "DIFFERENT $PWD/$file sha256 $hash: wasmrt=$(describe "$file") wasm-validate=$theirs$message"
    fi
  fi
done

if [ "$failed" -gt 0 ]; then
  # A third opinion for whoever looks into the disagreements: V8's validator.
  declare -A v8=()
  if command -v node >/dev/null; then
    while read -r verdict_v8 file; do
      v8[$file]=$verdict_v8
    done < <(node -e '
      const fs = require("fs");
      for (const f of process.argv.slice(1)) {
        let v; try { v = WebAssembly.validate(fs.readFileSync(f)) ? "valid" : "invalid"; }
        catch (e) { v = "error"; }
        console.log(v, f);
      }' "${failures[@]}" 2>/dev/null || true)
  fi
  mapfile -t lines <"$report"
  for ((i = 0; i < failed; i++)); do
    echo "${lines[i]} v8=${v8[${failures[i]}]:-unknown}"
  done >"$report"
  head -n 40 "$report"
  [ "$failed" -le 40 ] || echo "... and $((failed - 40)) more in $PWD/$report"
  echo "differential: the files are in $PWD/failures/; a difference where wabt is wrong goes into"
  echo "differential: ${known:-the known-differences file} as 'SHA256 reason', once checked against the spec"
fi
echo "differential: ${#inputs[@]} modules, ${#variants[@]} mutants; $limits at a wasmrt limit," \
     "$wabt_bugs that wabt wrongly accepts, $known_count known differences, $unjudged not judged"
echo "differential: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
