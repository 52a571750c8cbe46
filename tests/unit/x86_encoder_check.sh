#!/usr/bin/env bash
# x86_encoder_check.sh OUTDIR TEST_BINARY [EMULATOR...]
# Offsets are lowercase hex without leading zeros, as objdump prints them.
# Runs test_x86_encoder, disassembles its bytes with GNU objdump (Intel
# syntax) and checks that every case decodes as exactly the one instruction
# written beside it, at the expected offset, with nothing in between.
set -u
out=$1
test_bin=$2
shift 2
mkdir -p "$out"
"$@" "$test_bin" "$out/x86.bin" "$out/x86.txt" || { echo "x86 encoder: test program failed"; exit 1; }
objdump -D -b binary -m i386:x86-64 -M intel --no-show-raw-insn "$out/x86.bin" |
  sed -n 's/^ *\([0-9a-f]*\):\t\(.*\)$/\1\t\2/p' >"$out/x86.dis"
awk -F'\t' '
  function squeeze(s) { gsub(/[ ]+/, " ", s); sub(/ +$/, "", s); sub(/ *#.*$/, "", s); return s }
  NR == FNR { got[$1] = squeeze($2); offsets[++n] = $1; next }
  { want_off[++m] = $1; want[m] = $2 }
  END {
    for (i = 1; i <= m; i++) if (want[i] == "TARGET") target = want_off[i]
    passed = 0; failed = 0
    for (i = 1; i <= m; i++) {
      if (want[i] == "END" || want[i] == "TARGET") continue
      text = want[i]
      if (text == "je TARGET") text = "je 0x" target
      if (!(want_off[i] in got)) { printf "FAILED at 0x%s: no instruction starts there (want %s)\n", want_off[i], text; failed++; continue }
      g = got[want_off[i]]
      sub(/ <\.data\+0x[0-9a-f]+>$/, "", g)
      if (g != text) { printf "FAILED at 0x%s: objdump says \"%s\", want \"%s\"\n", want_off[i], g, text; failed++ } else passed++
    }
    # every instruction objdump found must start a case: no stray bytes
    for (k = 1; k <= n; k++) {
      found = 0
      for (i = 1; i <= m; i++) if (want_off[i] == offsets[k] && want[i] != "END" && want[i] != "TARGET") found = 1
      if (!found && offsets[k] != target) { printf "FAILED: extra instruction at 0x%s: %s\n", offsets[k], got[offsets[k]]; failed++ }
    }
    printf "x86 encoder: %d passed, %d failed\n", passed, failed
    exit failed > 0
  }' "$out/x86.dis" "$out/x86.txt"
