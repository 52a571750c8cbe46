#!/usr/bin/env bash
# object_test.sh WASMRT OUTDIR [EMULATOR...]
# `wasmrt compile`, `wasmrt run` and `wasmrt inspect` of object files, run as a
# user would: objects for both targets, the module hash (checked against
# coreutils' b2sum), every refusal of a stale, foreign or damaged object with
# its one-line message, calls with arguments of each type, traps (exit 134).
# The object format itself is tested byte by byte in tests/unit/test_object_file.c.
set -u
wasmrt=$1
out=$2
shift 2
run=("$@" "$wasmrt")
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$out"
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

expect_stdout() { # expect_stdout NAME WANT-TEXT
  local got
  got=$(cat "$out/stdout")
  if [ "$got" != "$2" ]; then
    echo "  $1: stdout '$got', wanted '$2'"
  fi
  [ "$got" = "$2" ]
  check "$1" $?
}

expect_stderr() { # expect_stderr NAME WANT-LINE: stderr is exactly this one line
  local got
  got=$(cat "$out/stderr")
  if [ "$got" != "$2" ]; then
    echo "  $1: stderr '$got', wanted '$2'"
  fi
  [ "$got" = "$2" ]
  check "$1" $?
}

# Writes FILE's bytes with the byte at OFFSET replaced by BYTE (decimal) to DEST.
patch_byte() { # patch_byte FILE OFFSET BYTE DEST
  cp "$1" "$4"
  printf "$(printf '\\%03o' "$3")" | dd of="$4" bs=1 seek="$2" conv=notrunc status=none
}

wat2wasm "$here/run.wat" -o "$out/run.wasm" || exit 2
sed 's/i32.const 7/i32.const 8/' "$here/run.wat" >"$out/other.wat"
wat2wasm "$out/other.wat" -o "$out/other.wasm" || exit 2
wat2wasm "$here/valid.wat" -o "$out/imports.wasm" || exit 2
wat2wasm --no-check "$here/invalid.wat" -o "$out/invalid.wasm" || exit 2

# The target wasmrt runs on, as it names it: the emulator's (qemu-aarch64) or this machine's.
case "$* $(uname -m)" in
  *aarch64*) host=arm64 foreign=x86_64 ;;
  *) host=x86_64 foreign=arm64 ;;
esac

# ---- compile ------------------------------------------------------------------
expect_status "compile -o" 0 "${run[@]}" compile "$out/run.wasm" -o "$out/run.wrtobj"
[ -s "$out/run.wrtobj" ] && [ "$(head -c 8 "$out/run.wrtobj" | od -An -c | tr -s ' ')" = ' \0 w r t o b j \n' ]
check "compile writes an object with the magic" $?
cp "$out/run.wasm" "$out/default.wasm"
expect_status "compile default output" 0 "${run[@]}" compile "$out/default.wasm"
[ -s "$out/default.wrtobj" ]
check "default output is FILE.wrtobj" $?
cmp -s "$out/run.wrtobj" "$out/default.wrtobj"
check "compiling twice gives the same bytes" $?
# Both code generators are in every build: each host compiles for both targets, and for
# its own when no target is named.
for target in x86_64 arm64; do
  expect_status "compile --target $target" 0 "${run[@]}" compile --target "$target" "$out/run.wasm" -o "$out/$target.wrtobj"
  [ -s "$out/$target.wrtobj" ]
  check "compile --target $target writes the file" $?
  expect_status "inspect $target object" 0 "${run[@]}" inspect "$out/$target.wrtobj"
  grep -qx "target: $target" "$out/stdout"
  check "inspect says target $target" $?
done
cmp -s "$out/run.wrtobj" "$out/$host.wrtobj"
check "compile without --target compiles for this host ($host)" $?
cmp -s "$out/x86_64.wrtobj" "$out/arm64.wrtobj"
check "the x86_64 and arm64 objects differ" $((!$?))
expect_status "compile --target aarch64 (another name for arm64)" 0 "${run[@]}" compile --target aarch64 "$out/run.wasm" -o "$out/aarch64.wrtobj"
cmp -s "$out/aarch64.wrtobj" "$out/arm64.wrtobj"
check "--target aarch64 gives the arm64 object" $?
expect_status "compile --target=x86_64" 0 "${run[@]}" compile --target=x86_64 -o "$out/eq.wrtobj" "$out/run.wasm"
cmp -s "$out/eq.wrtobj" "$out/x86_64.wrtobj"
check "--target=x86_64 is --target x86_64" $?
expect_status "compile unknown target" 2 "${run[@]}" compile --target mips "$out/run.wasm"
expect_status "compile no file" 2 "${run[@]}" compile
expect_status "compile two files" 2 "${run[@]}" compile "$out/run.wasm" "$out/other.wasm"
expect_status "compile missing -o value" 2 "${run[@]}" compile "$out/run.wasm" -o
expect_status "compile missing file" 2 "${run[@]}" compile "$out/nope.wasm"
grep -q "^wasmrt: $out/nope.wasm: i/o error: cannot open" "$out/stderr"
check "missing file message" $?
expect_status "compile invalid module" 1 "${run[@]}" compile "$out/invalid.wasm" -o "$out/invalid.wrtobj"
grep -q "^wasmrt: $out/invalid.wasm: invalid: code section, function 1, offset 0x[0-9a-f]*: type mismatch" "$out/stderr" &&
  [ "$(wc -l <"$out/stderr")" -eq 1 ] && [ ! -e "$out/invalid.wrtobj" ]
check "invalid module: one line, no output file" $?
expect_status "compile into a missing directory" 2 "${run[@]}" compile --target x86_64 "$out/run.wasm" -o "$out/no/such/dir.wrtobj"
grep -q "^wasmrt: $out/run.wasm: i/o error: .*no/such/dir.wrtobj: No such file or directory" "$out/stderr"
check "unwritable output: one i/o line" $?
[ -z "$(find "$out" -name '*.tmp-*')" ]
check "no temporary files left behind" $?

# ---- inspect --------------------------------------------------------------------
expect_status "inspect object" 0 "${run[@]}" inspect "$out/x86_64.wrtobj"
hash=$(b2sum -l 256 "$out/run.wasm" | cut -d' ' -f1)
grep -qx "format version: 1" "$out/stdout" && grep -qx "module hash: $hash" "$out/stdout" &&
  grep -qx "functions: 8" "$out/stdout" && grep -q "^code: [1-9][0-9]* bytes$" "$out/stdout" &&
  grep -q "^trap sites: [1-9]" "$out/stdout" && grep -q "^frame points: [1-9]" "$out/stdout"
check "inspect shows version, BLAKE2b-256 module hash, code, functions, traps, points" $?
expect_status "inspect --json object" 0 "${run[@]}" inspect --json "$out/x86_64.wrtobj"
if command -v node >/dev/null; then
  node -e '
    const j = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const ok = j.kind === "wasmrt object" && j.format_version === 1 &&
      j.module_hash === process.argv[2] && j.function_count === 8 &&
      j.functions.length === 8 && j.trap_sites.length === j.trap_site_count &&
      j.frame_points.length === j.frame_point_count && j.code_size > 0;
    process.exit(ok ? 0 : 1);' "$out/stdout" "$hash"
  check "inspect --json of an object is JSON with its facts" $?
fi

# ---- refusals: stale, foreign, damaged ------------------------------------------
# Made from this host's object, so that each refusal is the only thing wrong.
base=$out/$host.wrtobj
size=$(stat -c %s "$base")
patch_byte "$base" $((size / 2)) 255 "$out/flipped.wrtobj"
if cmp -s "$base" "$out/flipped.wrtobj"; then patch_byte "$base" $((size / 2)) 0 "$out/flipped.wrtobj"; fi
expect_status "run with a corrupt object" 1 "${run[@]}" run --object "$out/flipped.wrtobj" --invoke add "$out/run.wasm" 1 2
expect_stderr "corrupt object message" "wasmrt: $out/flipped.wrtobj: bad object: object checksum mismatch: file is corrupt"
expect_status "inspect a corrupt object" 1 "${run[@]}" inspect "$out/flipped.wrtobj"
grep -q "object checksum mismatch: file is corrupt" "$out/stderr"
check "inspect refuses a corrupt object" $?

expect_status "run with another module's object" 1 "${run[@]}" run --object "$base" --invoke seven "$out/other.wasm"
expect_stderr "stale object message" "wasmrt: $base: bad object: object was compiled from a different module (hash mismatch)"

head -c 300 "$base" >"$out/truncated.wrtobj"
expect_status "run with a truncated object" 1 "${run[@]}" run --object "$out/truncated.wrtobj" --invoke add "$out/run.wasm" 1 2
expect_stderr "truncated object message" "wasmrt: $out/truncated.wrtobj: bad object: object is truncated at byte 300"

expect_status "run with a .wasm as object" 1 "${run[@]}" run --object "$out/run.wasm" --invoke add "$out/run.wasm" 1 2
expect_stderr "bad magic message" "wasmrt: $out/run.wasm: bad object: not a wasmrt object (bad magic)"

patch_byte "$base" 8 2 "$out/v2.wrtobj"
expect_status "run with a version 2 object" 1 "${run[@]}" run --object "$out/v2.wrtobj" --invoke add "$out/run.wasm" 1 2
expect_stderr "format version message" "wasmrt: $out/v2.wrtobj: bad object: object format version 2, this wasmrt reads version 1"

# An object for the other architecture: read by inspect, refused by run with one line.
foreign_obj=$out/$foreign.wrtobj
expect_status "inspect an object for another target" 0 "${run[@]}" inspect "$foreign_obj"
grep -qx "target: $foreign" "$out/stdout"
check "inspect reads an object for another target" $?
expect_status "run an object for another target" 1 "${run[@]}" run --object "$foreign_obj" --invoke add "$out/run.wasm" 1 2
expect_stderr "foreign object message" "wasmrt: $foreign_obj: bad object: object is for $foreign, this host is $host"
expect_status "run with a missing object" 2 "${run[@]}" run --object "$out/none.wrtobj" --invoke add "$out/run.wasm" 1 2

# ---- run ------------------------------------------------------------------------
expect_status "run --invoke add" 0 "${run[@]}" run --invoke add "$out/run.wasm" 1 2
expect_stdout "add prints 3" 3
expect_status "run --invoke add from the object" 0 "${run[@]}" run --object "$out/run.wrtobj" --invoke add "$out/run.wasm" 40 2
expect_stdout "object add prints 42" 42
expect_status "run --invoke add from the $host object" 0 "${run[@]}" run --object "$out/$host.wrtobj" --invoke add "$out/run.wasm" 40 3
expect_stdout "$host object add prints 43" 43
expect_status "run --invoke=add with hex and wrap-around" 0 "${run[@]}" run --invoke=add "$out/run.wasm" 0xffffffff -2147483648
expect_stdout "i32 results are signed decimal" 2147483647
expect_status "run sub64" 0 "${run[@]}" run --invoke sub64 "$out/run.wasm" -5 0x10
expect_stdout "sub64 prints -21" -21
expect_status "run sub64 unsigned max" 0 "${run[@]}" run --invoke sub64 "$out/run.wasm" 18446744073709551615 0
expect_stdout "i64 results are signed decimal" -1
expect_status "run halve" 0 "${run[@]}" run --invoke halve "$out/run.wasm" 1
expect_stdout "halve 1 prints 0.5" 0.5
expect_status "run halve inf" 0 "${run[@]}" run --invoke halve "$out/run.wasm" -inf
expect_stdout "halve -inf prints -inf" -inf
expect_status "run third" 0 "${run[@]}" run --invoke third "$out/run.wasm" 1
expect_stdout "third 1 prints the shortest f32" 0.33333334
expect_status "run pair" 0 "${run[@]}" run --invoke pair "$out/run.wasm"
expect_stdout "two results, one per line" "$(printf -- '-1\n42')"
expect_status "run div traps" 134 "${run[@]}" run --invoke div "$out/run.wasm" 7 0
grep -q "^wasm trap: .*integer divide by zero" "$out/stderr" && [ "$(wc -l <"$out/stderr")" -eq 1 ]
check "divide by zero: one 'wasm trap:' line" $?
expect_status "run div overflow traps" 134 "${run[@]}" run --invoke div "$out/run.wasm" -2147483648 -1
grep -q "^wasm trap: .*integer overflow" "$out/stderr"
check "integer overflow message" $?
expect_status "run unreachable traps" 134 "${run[@]}" run --invoke boom "$out/run.wasm"
grep -q "^wasm trap: .*unreachable" "$out/stderr"
check "unreachable message" $?
expect_status "run too few arguments" 2 "${run[@]}" run --invoke add "$out/run.wasm" 1
grep -q "add takes 2 arguments (i32 i32), 1 given" "$out/stderr"
check "argument count message" $?
expect_status "run too many arguments" 2 "${run[@]}" run --invoke seven "$out/run.wasm" 1
expect_status "run non-number" 2 "${run[@]}" run --invoke add "$out/run.wasm" one 2
expect_status "run i32 out of range" 2 "${run[@]}" run --invoke add "$out/run.wasm" 4294967296 0
expect_status "run float junk" 2 "${run[@]}" run --invoke halve "$out/run.wasm" 1.5x
expect_status "run missing export" 1 "${run[@]}" run --invoke nothere "$out/run.wasm"
expect_status "run a memory export" 1 "${run[@]}" run --invoke memory "$out/run.wasm"
expect_status "run without _start" 2 "${run[@]}" run "$out/run.wasm"
grep -q '_start' "$out/stderr"
check "no _start says so" $?
expect_status "run a module with imports" 1 "${run[@]}" run --invoke add "$out/imports.wasm" 1 2
expect_stderr "imports message" "wasmrt: $out/imports.wasm: module imports \"env\" \"log\"; running modules with imports needs WASI support (not in this version)"
expect_status "run an invalid module" 1 "${run[@]}" run --invoke add "$out/invalid.wasm" 1 2
expect_status "run no file" 2 "${run[@]}" run
expect_status "run unknown option" 2 "${run[@]}" run --frobnicate "$out/run.wasm"

expect_status "help compile" 0 "${run[@]}" help compile
grep -q "^Usage: wasmrt compile" "$out/stdout"
check "help compile" $?
expect_status "run --help" 0 "${run[@]}" run --help
grep -q "^Usage: wasmrt run" "$out/stdout"
check "run --help" $?

echo "cli_object: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
