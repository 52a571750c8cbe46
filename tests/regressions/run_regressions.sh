#!/usr/bin/env bash
# run_regressions.sh WASMRT DIR OUT [EMULATOR...]: converts every DIR/*.wast
# with wast2json into OUT and runs them all with `wasmrt wast` (under
# EMULATOR in a cross build); any failed command, any wast2json complaint, or
# no script at all fails the test.
set -u
wasmrt=$1 dir=$2 out=$3
shift 3
rm -rf "$out" && mkdir -p "$out" || exit 2
shopt -s nullglob
scripts=("$dir"/*.wast)
[ ${#scripts[@]} -gt 0 ] || { echo "regressions: no scripts in $dir"; exit 1; }
jsons=()
for w in "${scripts[@]}"; do
  name=$(basename "$w" .wast)
  if ! wast2json "$w" -o "$out/$name.json" 2>"$out/$name.err" || [ -s "$out/$name.err" ]; then
    echo "regressions: wast2json failed on $w:"; cat "$out/$name.err"; exit 1
  fi
  jsons+=("$out/$name.json")
done
"$@" "$wasmrt" wast "${jsons[@]}"
