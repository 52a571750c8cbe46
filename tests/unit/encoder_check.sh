#!/usr/bin/env bash
# encoder_check.sh ARCH OUTDIR TEST_BINARY [EMULATOR...]
# ARCH is x86_64 or arm64. Runs the encoder test program (under EMULATOR on
# a cross build), disassembles its bytes with the host's GNU objdump for that
# architecture, and checks that every expected line decodes as exactly the
# instruction written beside it, at its offset, with nothing in between.
#
# The program writes OUT.bin and OUT.txt lines "OFFSET<TAB>TEXT"; offsets are
# lowercase hex without leading zeros, as objdump prints them. "TARGET" marks
# the target of forward branches, whose expected text is written as
# "FORWARD mnemonic" (the target is not known when the branch is emitted);
# "END" marks the end. objdump, not the encoder, is the judge: the expected
# text is written by hand from the architecture manuals.
set -u
arch=$1
out=$2
test_bin=$3
shift 3
case $arch in
  x86_64) disassemble=(objdump -D -b binary -m i386:x86-64 -M intel --no-show-raw-insn) ;;
  arm64) disassemble=(aarch64-linux-gnu-objdump -D -b binary -m aarch64 --no-show-raw-insn) ;;
  *) echo "encoder_check.sh: unknown architecture '$arch'" >&2; exit 2 ;;
esac
mkdir -p "$out"
"$@" "$test_bin" "$out/code.bin" "$out/expected.txt" ||
  { echo "$arch encoder: test program failed"; exit 1; }
"${disassemble[@]}" "$out/code.bin" | sed -n 's/^ *\([0-9a-f]*\):\t\(.*\)$/\1\t\2/p' >"$out/code.dis"
awk -F'\t' -v arch="$arch" '
  # objdump separates mnemonic and operands with tabs or runs of spaces and
  # may add a comment ("// ..." on arm64, "# ..." on x86) or a symbol
  # ("<.data+0x10>"); keep "mnemonic operands" with single spaces.
  function squeeze(s) {
    gsub(/\t/, " ", s); sub(/ *\/\/.*$/, "", s)
    if (arch == "x86_64") sub(/ +#.*$/, "", s)  # on arm64, # starts immediates
    sub(/ <\.data\+0x[0-9a-f]+>$/, "", s); gsub(/ +/, " ", s); sub(/ +$/, "", s)
    return s
  }
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
      if (got[want_off[i]] != text) { printf "FAILED at 0x%s: objdump says \"%s\", want \"%s\"\n", want_off[i], got[want_off[i]], text; failed++ } else passed++
    }
    # every instruction objdump found must be expected: no stray bytes
    for (k = 1; k <= n; k++) {
      found = 0
      for (i = 1; i <= m; i++) if (want_off[i] == offsets[k] && want[i] != "END" && want[i] != "TARGET") found = 1
      if (!found) { printf "FAILED: extra instruction at 0x%s: %s\n", offsets[k], got[offsets[k]]; failed++ }
    }
    printf "%s encoder: %d passed, %d failed\n", arch, passed, failed
    exit failed > 0
  }' "$out/code.dis" "$out/expected.txt"
