#!/usr/bin/env bash
# arm64_encoder_check.sh OUTDIR TEST_BINARY [EMULATOR...]
# Runs test_arm64_encoder, disassembles its bytes with GNU objdump and
# checks that every expected line decodes as exactly the instruction
# written beside it, at the expected offset, with nothing in between.
# Offsets are lowercase hex without leading zeros, as objdump prints them.
# Expected lines "FORWARD text" become "text 0xT" where T is the offset of
# the TARGET line: forward branches are patched before the target's offset
# is known to the program's expected-text writer.
set -u
out=$1
test_bin=$2
shift 2
mkdir -p "$out"
"$@" "$test_bin" "$out/arm64.bin" "$out/arm64.txt" || { echo "arm64 encoder: test program failed"; exit 1; }
aarch64-linux-gnu-objdump -D -b binary -m aarch64 --no-show-raw-insn "$out/arm64.bin" |
  sed -n 's/^ *\([0-9a-f]*\):\t\(.*\)$/\1\t\2/p' >"$out/arm64.dis"
awk -F'\t' '
  # objdump separates mnemonic, operands and "// comment" with tabs and runs
  # of spaces; keep only "mnemonic operands" with single spaces.
  function squeeze(s) { gsub(/\t/, " ", s); sub(/ *\/\/.*$/, "", s); gsub(/ +/, " ", s); sub(/ +$/, "", s); return s }
  NR == FNR { t = $2; for (f = 3; f <= NF; f++) t = t "\t" $f; got[$1] = squeeze(t); offsets[++n] = $1; next }
  { want_off[++m] = $1; want[m] = $2 }
  END {
    for (i = 1; i <= m; i++) if (want[i] == "TARGET") target = want_off[i]
    passed = 0; failed = 0
    for (i = 1; i <= m; i++) {
      if (want[i] == "END" || want[i] == "TARGET") continue
      text = want[i]
      if (substr(text, 1, 8) == "FORWARD ") text = substr(text, 9) " 0x" target
      if (!(want_off[i] in got)) { printf "FAILED at 0x%s: no instruction starts there (want %s)\n", want_off[i], text; failed++; continue }
      g = got[want_off[i]]
      sub(/ <\.data\+0x[0-9a-f]+>$/, "", g)
      if (g != text) { printf "FAILED at 0x%s: objdump says \"%s\", want \"%s\"\n", want_off[i], g, text; failed++ } else passed++
    }
    # every instruction objdump found must be expected: no stray words
    for (k = 1; k <= n; k++) {
      found = 0
      for (i = 1; i <= m; i++) if (want_off[i] == offsets[k] && want[i] != "END" && want[i] != "TARGET") found = 1
      if (!found) { printf "FAILED: extra instruction at 0x%s: %s\n", offsets[k], got[offsets[k]]; failed++ }
    }
    printf "arm64 encoder: %d passed, %d failed\n", passed, failed
    exit failed > 0
  }' "$out/arm64.dis" "$out/arm64.txt"
