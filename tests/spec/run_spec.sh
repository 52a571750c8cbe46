#!/bin/sh
# run_spec.sh - the `spec` test: convert every .wast file of the WebAssembly
# spec suite with wabt's wast2json and run each result through `wasmrt wast`,
# which executes the scripts (modules, register, invoke/get, assert_return,
# assert_trap, assert_exhaustion, assert_unlinkable, assert_uninstantiable) as
# `wasmtime wast` does and checks assert_malformed/assert_invalid.
#
# Usage: run_spec.sh WAST2JSON SPEC_DIR OUT_DIR WASMRT_COMMAND...
#   WAST2JSON       the wast2json program (wabt 1.0.32)
#   SPEC_DIR        folder holding the *.wast files
#   OUT_DIR         scratch folder for the .json/.wasm/.wat files and logs;
#                   earlier outputs in it are removed first
#   WASMRT_COMMAND  the wasmrt binary, preceded on a cross build by the
#                   emulator and its options (CMAKE_CROSSCOMPILING_EMULATOR)
#
# Prints one line per .wast file, then the failures (`wasmrt wast` prints one
# line "FILE.wast:LINE: TYPE: what was expected, what happened" per failed
# command; at most max_failure_lines per file are repeated here, all of them
# stay in OUT_DIR/NAME.out), then the totals as
#   spec: N passed, N failed, N not run, N n/a (text), N known differences
# "not run" is what this build cannot execute (a compile or host that says
# WASMRT_ERROR_UNSUPPORTED, v128 values) and never counts as passed. Only
# SIMD is allowed to be not run: both targets (x86-64 natively, AArch64
# under qemu) run everything else, so a command not run in a file other than
# simd_*.wast counts as failed.
# Nothing is ever skipped: a file wast2json cannot convert cleanly (a non-zero
# exit or anything at all on its stderr, since wabt 1.0.32 sometimes reports
# "error:" and still exits 0) counts as one failure, and so does a file that
# wasmrt cannot run to the end (I/O error, crash, timeout). wasmrt runs once per
# file so that a crash costs only that file's results.
#
# SPEC_WAST_OPTIONS, when set, adds options to every `wasmrt wast` (the
# spec_far test passes --far).
#
# Exit status: 0 when nothing failed, 1 when anything failed (one failed
# command is enough), 2 for usage errors.
# Only POSIX sh and the usual POSIX/coreutils tools.

set -u

if [ $# -lt 4 ]; then
  echo "usage: run_spec.sh WAST2JSON SPEC_DIR OUT_DIR WASMRT_COMMAND..." >&2
  exit 2
fi
wast2json=$1
spec_dir=$2
out_dir=$3
shift 3
# From here on "$@" is the command that runs wasmrt.

# A file that takes longer than this is reported as a failure, so that one
# hang still leaves the results of all other files.
per_file_timeout=300
# Failure lines of one file repeated in the output; the rest are counted.
max_failure_lines=40

if ! command -v "$wast2json" >/dev/null 2>&1; then
  echo "spec: wast2json not found ('$wast2json'); install wabt 1.0.32" >&2
  exit 2
fi
if [ ! -d "$spec_dir" ]; then
  echo "spec: no spec folder at '$spec_dir' (set WASMRT_SPEC_DIR)" >&2
  exit 2
fi
# Absolute and without "..", so that failure lines name the .wast file plainly.
spec_dir=$(cd "$spec_dir" && pwd -P) || exit 2
mkdir -p "$out_dir" || exit 2
rm -f "$out_dir"/*.json "$out_dir"/*.wasm "$out_dir"/*.wat "$out_dir"/*.out \
      "$out_dir"/*.err || exit 2

summary_file=$out_dir/summary.txt
failures_file=$out_dir/failures.txt
: >"$summary_file" || exit 2
: >"$failures_file" || exit 2

passed=0
failed=0
not_run=0
text=0
known=0
file_count=0
# Commands whose binary, as wast2json writes it, does not say what the text
# says; one reason per line (see the file).
known_file=$(dirname "$0")/known-differences.txt

# add_counts LINE NAME: add "NAME.wast: P passed, F failed, R not run, T n/a (text),
# K known differences" to the totals; returns 1 when LINE is not of that form.
add_counts() {
  set -f
  # shellcheck disable=SC2086  # splitting the line into words is the point
  set -- $1 "$2"
  set +f
  [ $# -eq 15 ] || return 1
  [ "$1" = "${15}.wast:" ] && [ "$3" = "passed," ] && [ "$5" = "failed," ] &&
    [ "$7" = "not" ] && [ "$8" = "run," ] && [ "${10}" = "n/a" ] && [ "${11}" = "(text)," ] &&
    [ "${13}" = "known" ] && [ "${14}" = "differences" ] || return 1
  for count in "$2" "$4" "$6" "$9" "${12}"; do
    case $count in '' | *[!0-9]*) return 1 ;; esac
  done
  file_not_run=$6
  passed=$((passed + $2))
  failed=$((failed + $4))
  not_run=$((not_run + $6))
  text=$((text + $9))
  known=$((known + ${12}))
  return 0
}

# fail_file NAME WHAT DETAILS_FILE: count one failure for a whole file.
fail_file() {
  failed=$((failed + 1))
  echo "$1.wast: $2, counted as 1 failed" >>"$summary_file"
  {
    echo "$spec_dir/$1.wast: $2"
    if [ -s "$3" ]; then
      head -n 5 "$3" | sed 's/^/    /'
    fi
  } >>"$failures_file"
}

for wast in "$spec_dir"/*.wast; do
  [ -f "$wast" ] || continue
  file_count=$((file_count + 1))
  name=${wast##*/}
  name=${name%.wast}
  json=$out_dir/$name.json
  out=$out_dir/$name.out
  err=$out_dir/$name.err

  "$wast2json" "$wast" -o "$json" >"$err" 2>&1
  status=$?
  if [ $status -ne 0 ] || [ -s "$err" ]; then
    fail_file "$name" "wast2json failed (exit status $status)" "$err"
    continue
  fi

  # shellcheck disable=SC2086  # the options are words
  if command -v timeout >/dev/null 2>&1; then
    timeout "$per_file_timeout" "$@" wast ${SPEC_WAST_OPTIONS:-} --known-differences "$known_file" \
      "$json" >"$out" 2>"$err"
  else
    "$@" wast ${SPEC_WAST_OPTIONS:-} --known-differences "$known_file" "$json" >"$out" 2>"$err"
  fi
  status=$?
  case $status in
    0 | 1)
      # The failures come first, the file's counts last.
      last=$(tail -n 1 "$out")
      if ! add_counts "$last" "$name"; then
        fail_file "$name" "wasmrt wast printed no counts (exit status $status)" "$out"
        continue
      fi
      echo "$last" >>"$summary_file"
      case $name in
        simd_*) ;;
        *)
          if [ "$file_not_run" -gt 0 ]; then
            not_run=$((not_run - file_not_run))
            failed=$((failed + file_not_run))
            echo "$spec_dir/$name.wast: $file_not_run commands not run outside SIMD, counted as failed (\`wasmrt wast -v $json\` says why)" >>"$failures_file"
          fi
          ;;
      esac
      # Without -v, every line before the counts is a failure.
      lines=$(sed '$d' "$out" | wc -l)
      sed '$d' "$out" | head -n "$max_failure_lines" >>"$failures_file"
      if [ "$lines" -gt "$max_failure_lines" ]; then
        echo "... and $((lines - max_failure_lines)) more failure lines in $out" >>"$failures_file"
      fi
      cat "$err" >>"$failures_file"
      ;;
    124) fail_file "$name" "wasmrt wast timed out after ${per_file_timeout}s" "$err" ;;
    2) fail_file "$name" "wasmrt wast could not run the script" "$err" ;;
    *)
      if [ $status -gt 128 ]; then
        # The failure lines so far are in $out; `wasmrt wast -v` on the
        # .json shows which command was running.
        fail_file "$name" "wasmrt wast crashed (signal $((status - 128))); see $out" "$err"
      else
        fail_file "$name" "wasmrt wast exited with status $status" "$err"
      fi
      ;;
  esac
done

if [ $file_count -eq 0 ]; then
  echo "spec: no .wast files in '$spec_dir'" >&2
  exit 2
fi

cat "$summary_file"
if [ -s "$failures_file" ]; then
  echo
  echo "failures:"
  cat "$failures_file"
  echo
fi
echo "spec: $passed passed, $failed failed, $not_run not run, $text n/a (text), $known known differences"
[ $failed -eq 0 ]
