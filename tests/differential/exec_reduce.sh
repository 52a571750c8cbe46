#!/usr/bin/env bash
# exec_reduce.sh - shrinks a module on which exec_diff.sh found wasmrt and binaryen disagreeing.
#
#   exec_reduce.sh --runner PATH MODULE OUT [REGEX]
#
# Runs binaryen's wasm-reduce over MODULE, keeping each smaller module on which the two
# engines still disagree (exec_runner exits 1 for a difference, not for a module it rejects),
# and writes the smallest to OUT, with OUT.wat (its text), OUT.ref (binaryen's transcript),
# OUT.ours (wasmrt's) and OUT.verdict. With REGEX, the difference must also match it (grep -E,
# on the runner's verdict line, e.g. 'got \[trap') so that the reduction does not wander off to
# another difference. Takes a minute or two for a module of a few kilobytes.
set -euo pipefail

usage() { echo "usage: exec_reduce.sh --runner PATH MODULE OUT [REGEX]" >&2; exit 2; }
[ $# -ge 4 ] && [ "$1" = --runner ] || usage
runner=$(realpath "$2")
module=$(realpath "$3")
out=$4
regex=${5:-}
for tool in wasm-opt wasm-reduce; do
  command -v "$tool" >/dev/null || { echo "exec_reduce.sh: $tool not found" >&2; exit 2; }
done
# The features exec_diff.sh makes modules with; wasm-reduce would enable all of them otherwise.
features="--enable-sign-ext --enable-mutable-globals --enable-nontrapping-float-to-int --enable-bulk-memory --enable-multivalue --disable-simd --disable-reference-types"

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
# The command wasm-reduce runs on each candidate: prints 1 while the difference persists.
cat >"$dir/interesting.sh" <<EOF
#!/usr/bin/env bash
cd "$dir"
timeout 10 wasm-opt $features test.wasm --fuzz-exec-before -q >test.ref 2>/dev/null || { echo 0; exit 0; }
status=0
timeout 10 "$runner" test.wasm test.ref >/dev/null 2>test.verdict || status=\$?
if [ "\$status" -eq 1 ] && ! grep -qE ': (rejected|compiling failed|instantiating failed)' test.verdict &&
   { [ -z "$regex" ] || grep -qE -- '$regex' test.verdict; }; then
  echo 1
else
  echo 0
fi
EOF
chmod +x "$dir/interesting.sh"
cp "$module" "$dir/test.wasm"
[ "$("$dir/interesting.sh")" = 1 ] ||
  { echo "exec_reduce.sh: the engines agree on $module (or the regex does not match)" >&2; exit 1; }
(cd "$dir" && wasm-reduce $features "$module" --command="bash $dir/interesting.sh" \
   -t "$dir/test.wasm" -w "$dir/work.wasm" -b "$(dirname "$(command -v wasm-opt)")" --extra-flags="$features" --timeout 20 >reduce.log 2>&1) ||
  { echo "exec_reduce.sh: wasm-reduce failed; its log:" >&2; tail -n 20 "$dir/reduce.log" >&2; exit 2; }
cp "$dir/work.wasm" "$out"
cp "$out" "$dir/test.wasm"
"$dir/interesting.sh" >/dev/null
cp "$dir/test.ref" "$out.ref"
cp "$dir/test.verdict" "$out.verdict"
"$runner" "$out" >"$out.ours" 2>/dev/null || true
wasm-opt $features "$out" -q --print >"$out.wat"
echo "exec_reduce.sh: $(stat -c %s "$module") -> $(stat -c %s "$out") bytes: $(cat "$out.verdict")"
