#!/bin/sh
# run_runner_test.sh - the `spec_runner` test: `wasmrt wast` itself, on small
# scripts whose every outcome is known.
#
# Usage: run_runner_test.sh WAST2JSON RUNNER_DIR OUT_DIR WASMRT_COMMAND...
#   RUNNER_DIR  this folder: pass.wast (every kind of command, written to
#               pass), fail.wast (written to fail, one way each), edge.json
#               with edge.wast (by hand, what wast2json cannot write)
#   OUT_DIR     scratch folder; emptied first
#
# Each command's outcome is "passed" unless the line it starts on in the
# .wast says ";; expect: failed|not run|n/a (text)" (fail.wast: "failed"
# unless it says otherwise). Checked, for each script:
#  - with -v, every command prints exactly its expected outcome;
#  - without -v, exactly the failed commands print a line "FILE.wast:LINE:",
#    then the counts line, and the exit status is 1 when anything failed;
#  - --known-differences: a listed command that fails is counted apart, a
#    listed command that passes fails the run.
# Needs the compiler and runtime to execute code: x86-64, or AArch64 (under
# qemu, WASMRT_COMMAND then starts with the emulator).
# Exit status: 0 when every check holds, 1 otherwise, 2 for usage errors.

set -u

if [ $# -lt 4 ]; then
  echo "usage: run_runner_test.sh WAST2JSON RUNNER_DIR OUT_DIR WASMRT_COMMAND..." >&2
  exit 2
fi
wast2json=$1
dir=$2
out=$3
shift 3

if ! command -v "$wast2json" >/dev/null 2>&1; then
  echo "spec_runner: wast2json not found ('$wast2json'); install wabt 1.0.32" >&2
  exit 2
fi
mkdir -p "$out" || exit 2
rm -f "$out"/* || exit 2

problems=0
problem() {
  echo "spec_runner: $*"
  problems=$((problems + 1))
}

for name in pass fail; do
  if ! "$wast2json" "$dir/$name.wast" -o "$out/$name.json"; then
    echo "spec_runner: wast2json failed on $dir/$name.wast" >&2
    exit 2
  fi
done
cp "$dir/edge.json" "$out/edge.json" || exit 2

# expected NAME WAST DEFAULT: "LINE OUTCOME" for each command of NAME.json.
expected() {
  grep -o '"line": [0-9]*' "$out/$1.json" | sed 's/.* //' | while read -r line; do
    outcome=$(sed -n "${line}p" "$2" | sed -n 's/.*;; expect: \(.*[^ ]\) *$/\1/p')
    echo "$line ${outcome:-$3}"
  done
}

# outcomes SOURCE FILE: "LINE OUTCOME" for each outcome line of `wasmrt wast
# -v` output FILE; any line that is no other outcome is a failure.
outcomes() {
  awk -v src="$1" '
    index($0, src ":") == 1 {
      rest = substr($0, length(src) + 2)
      n = index(rest, ":")
      line = substr(rest, 1, n - 1)
      if (line !~ /^[0-9]+$/) next
      rest = substr(rest, n + 2)
      rest = substr(rest, index(rest, ": ") + 2)
      if (rest ~ /^passed/) o = "passed"
      else if (rest ~ /^not run/) o = "not run"
      else if (rest ~ /^n\/a \(text\)/) o = "n/a (text)"
      else if (rest ~ /^known difference/) o = "known"
      else o = "failed"
      print line, o
    }' "$2"
}

count() {
  grep -c " $2\$" "$1"
}

for script in pass:passed fail:failed edge:passed; do
  name=${script%%:*}
  default=${script#*:}
  json=$out/$name.json
  wast=$dir/$name.wast
  # The name failure lines start with: as wast2json wrote it.
  source=$(sed -n 's/.*"source_filename": "\([^"]*\)".*/\1/p' "$json" | head -n 1)
  expected "$name" "$wast" "$default" >"$out/$name.expected"

  "$@" wast -v "$json" >"$out/$name.verbose" 2>"$out/$name.verbose.err"
  status=$?
  outcomes "$source" "$out/$name.verbose" >"$out/$name.actual"
  if ! diff "$out/$name.expected" "$out/$name.actual" >"$out/$name.diff"; then
    problem "$name: outcomes with -v differ from the ;; expect: notes (< expected, > got; exit status $status):"
    sed 's/^/    /' "$out/$name.diff"
    head -n 5 "$out/$name.verbose.err" | sed 's/^/    stderr: /'
  fi

  passed=$(count "$out/$name.expected" passed)
  failed=$(count "$out/$name.expected" failed)
  not_run=$(count "$out/$name.expected" "not run")
  text=$(count "$out/$name.expected" "n/a (text)")
  want_status=0
  [ "$failed" -eq 0 ] || want_status=1
  want_counts="$name.wast: $passed passed, $failed failed, $not_run not run, $text n/a (text), 0 known differences"

  "$@" wast "$json" >"$out/$name.quiet" 2>"$out/$name.quiet.err"
  status=$?
  [ "$status" -eq "$want_status" ] || problem "$name: exit status $status, expected $want_status"
  last=$(tail -n 1 "$out/$name.quiet")
  [ "$last" = "$want_counts" ] || problem "$name: counts line '$last', expected '$want_counts'"
  # Without -v, one line per failed command and nothing else.
  sed '$d' "$out/$name.quiet" | sed -n "s|^$source:\([0-9]*\): .*|\1|p" >"$out/$name.failed-lines"
  sed -n 's/ failed$//p' "$out/$name.expected" >"$out/$name.want-failed-lines"
  if ! diff "$out/$name.want-failed-lines" "$out/$name.failed-lines" >/dev/null ||
    [ "$(sed '$d' "$out/$name.quiet" | wc -l)" -ne "$failed" ]; then
    problem "$name: without -v, expected one line for each failed command (lines $(echo $(cat "$out/$name.want-failed-lines"))), got:"
    sed '$d' "$out/$name.quiet" | sed 's/^/    /'
  fi
done

# The known-differences mechanism: the first failing command of fail.wast is
# listed and fails (counted apart); the first command of pass.wast is listed
# and passes, which must fail the run.
first_failed=$(sed -n 's/ failed$//p' "$out/fail.expected" | head -n 1)
first_passed=$(sed -n 's/ passed$//p' "$out/pass.expected" | head -n 1)
{
  echo "# written by run_runner_test.sh"
  echo "fail.wast:$first_failed fails on purpose"
  echo "pass.wast:$first_passed listed though it passes"
} >"$out/known.txt"
"$@" wast --known-differences "$out/known.txt" "$out/fail.json" "$out/pass.json" \
  >"$out/known.out" 2>"$out/known.err"
status=$?
[ "$status" -eq 1 ] || problem "known differences: exit status $status, expected 1"
fail_failed=$(count "$out/fail.expected" failed)
fail_passed=$(count "$out/fail.expected" passed)
want="fail.wast: $fail_passed passed, $((fail_failed - 1)) failed, 0 not run, 0 n/a (text), 1 known differences"
grep -qxF "$want" "$out/known.out" || problem "known differences: no line '$want'"
grep -q "^.*pass.wast:$first_passed: listed as a known difference but did not fail" \
  "$out/known.out" || problem "known differences: the stale pass.wast:$first_passed was not reported"
pass_passed=$(count "$out/pass.expected" passed)
pass_text=$(count "$out/pass.expected" "n/a (text)")
pass_not_run=$(count "$out/pass.expected" "not run")
want="pass.wast: $pass_passed passed, 1 failed, $pass_not_run not run, $pass_text n/a (text), 0 known differences"
grep -qxF "$want" "$out/known.out" || problem "known differences: no line '$want'"
grep -q "^total: " "$out/known.out" || problem "known differences: no total line for two files"
if [ $problems -ne 0 ]; then
  echo "known differences run:"
  sed 's/^/    /' "$out/known.out"
fi

if [ $problems -ne 0 ]; then
  echo "spec_runner: $problems problems (outputs in $out)"
  exit 1
fi
echo "spec_runner: all checks passed"
exit 0
