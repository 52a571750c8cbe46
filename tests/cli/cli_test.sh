#!/usr/bin/env bash
# cli_test.sh WASMRT OUTDIR [EMULATOR...]
# Runs the wasmrt CLI as a user would and checks exit statuses and output:
# validate (0/1/2), inspect (text and --json), help. Test modules are
# assembled from the .wat files beside this script with wat2wasm.
set -u
wasmrt=$1
out=$2
shift 2
run=("$@" "$wasmrt")
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$out"
passed=0
failed=0

check() { # check NAME CONDITION-RESULT
  if [ "$2" -eq 0 ]; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAILED: $1"
  fi
}

expect_status() { # expect_status NAME WANT CMD...
  local name=$1 want=$2
  shift 2
  "$@" >"$out/stdout" 2>"$out/stderr"
  local got=$?
  if [ "$got" -ne "$want" ]; then
    echo "  $name: exit $got, wanted $want; stdout: $(head -c 300 "$out/stdout"); stderr: $(head -c 300 "$out/stderr")"
  fi
  check "$name" $((got != want))
}

wat2wasm --debug-names "$here/valid.wat" -o "$out/valid.wasm" || exit 2
wat2wasm --no-check "$here/invalid.wat" -o "$out/invalid.wasm" || exit 2
printf '\0asm\1\0\0\0\1\5' >"$out/truncated.wasm"
: >"$out/empty.wasm"

expect_status "validate valid" 0 "${run[@]}" validate "$out/valid.wasm"
expect_status "validate invalid" 1 "${run[@]}" validate "$out/invalid.wasm"
grep -q "invalid.wasm: invalid: code section, function 1, offset 0x[0-9a-f]*: type mismatch: expected i32, found f64" "$out/stdout"
check "invalid message names section, function, offset and types" $?
expect_status "validate truncated" 1 "${run[@]}" validate "$out/truncated.wasm"
grep -q "truncated.wasm: malformed: " "$out/stdout"
check "truncated is malformed" $?
expect_status "validate mixed" 1 "${run[@]}" validate "$out/valid.wasm" "$out/invalid.wasm" "$out/truncated.wasm"
[ "$(wc -l <"$out/stdout")" -eq 2 ]
check "one line per bad file" $?
expect_status "validate missing file" 2 "${run[@]}" validate "$out/does-not-exist.wasm"
grep -q "does-not-exist.wasm: cannot open" "$out/stderr"
check "missing file says so" $?
expect_status "validate empty file" 2 "${run[@]}" validate "$out/empty.wasm"
grep -q "file is empty" "$out/stderr"
check "empty file says so" $?
expect_status "validate directory" 2 "${run[@]}" validate "$out"
expect_status "validate no args" 2 "${run[@]}" validate
expect_status "validate bad option" 2 "${run[@]}" validate --frobnicate "$out/valid.wasm"

expect_status "inspect" 0 "${run[@]}" inspect "$out/valid.wasm"
grep -q '"env"."log"' "$out/stdout" && grep -q '"add" -> func 1' "$out/stdout" &&
  grep -q 'min 1 pages, max 2' "$out/stdout" && grep -q '1: "add"' "$out/stdout"
check "inspect shows imports, exports, limits and names" $?
expect_status "inspect --json" 0 "${run[@]}" inspect --json "$out/valid.wasm"
if command -v node >/dev/null; then
  node -e '
    const j = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const ok = j.module_name === "sample" && j.imports[0].module === "env" &&
      j.exports.some(e => e.name === "add" && e.kind === "func" && e.index === 1) &&
      j.memories[0].min === 1 && j.memories[0].max === 2 &&
      j.function_names.some(f => f.index === 1 && f.name === "add") &&
      j.sections.some(s => s.name === "custom" && s.custom_name === "name");
    process.exit(ok ? 0 : 1);' "$out/stdout"
  check "inspect --json is JSON with the module's facts" $?
fi
expect_status "inspect invalid" 1 "${run[@]}" inspect "$out/invalid.wasm"
expect_status "inspect two files" 2 "${run[@]}" inspect "$out/valid.wasm" "$out/valid.wasm"

expect_status "--help" 0 "${run[@]}" --help
grep -q "^Usage: wasmrt <COMMAND>" "$out/stdout" && grep -q "^  validate " "$out/stdout"
check "--help lists commands" $?
expect_status "help validate" 0 "${run[@]}" help validate
grep -q "^Usage: wasmrt validate" "$out/stdout"
check "help validate" $?
expect_status "inspect --help" 0 "${run[@]}" inspect --help
grep -q "^Usage: wasmrt inspect" "$out/stdout"
check "inspect --help" $?
expect_status "help unknown" 2 "${run[@]}" help frobnicate
expect_status "unknown command" 2 "${run[@]}" frobnicate
expect_status "no command" 2 "${run[@]}"
expect_status "--version" 0 "${run[@]}" --version

echo "cli: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
