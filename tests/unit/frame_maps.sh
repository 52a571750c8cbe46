#!/usr/bin/env bash
# frame_maps.sh - the `unit_frame_maps` test: makes the modules, then runs test_frame_maps.c on
# them, which compiles each for x86_64 and arm64 and compares the frame maps entry by entry.
#
#   frame_maps.sh --wast2json PATH --spec DIR --kernels DIR --work DIR -- COMMAND...
#
#   --spec DIR     every DIR/*.wast converted with wast2json into WORK/spec (as the spec test
#                  does: a non-zero exit or anything on stderr is a failure), all its modules
#   --kernels DIR  the benchmark kernels DIR/*.c built for wasm32 with clang as
#                  scripts/bench-kernels.sh builds them, into WORK/kernels; when clang cannot
#                  build for wasm32 here, a line says so and the test goes on without them
#   COMMAND        test_frame_maps, preceded on a cross build by the emulator
#
# WORK is emptied first. Exit status: test_frame_maps's (0 identical, 1 a difference or no
# module, 2 I/O errors); 2 also when a spec file does not convert or a usage error.
set -u

usage() {
  echo "usage: frame_maps.sh --wast2json PATH --spec DIR --kernels DIR --work DIR -- COMMAND..." >&2
  exit 2
}
wast2json="" spec="" kernels="" work=""
while [ $# -gt 0 ]; do
  case "$1" in
    --wast2json) wast2json=$2; shift 2 ;;
    --spec) spec=$2; shift 2 ;;
    --kernels) kernels=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    --) shift; break ;;
    *) echo "frame_maps.sh: unknown argument '$1'" >&2; usage ;;
  esac
done
[ -n "$wast2json" ] && [ -n "$spec" ] && [ -n "$kernels" ] && [ -n "$work" ] && [ $# -gt 0 ] ||
  usage
command -v "$wast2json" >/dev/null 2>&1 ||
  { echo "frame_maps.sh: wast2json not found ('$wast2json'); install wabt 1.0.32" >&2; exit 2; }
rm -rf "$work" && mkdir -p "$work/spec" "$work/kernels" || exit 2

shopt -s nullglob
wasts=("$spec"/*.wast)
[ ${#wasts[@]} -gt 0 ] || { echo "frame_maps.sh: no .wast files in '$spec'" >&2; exit 2; }
for wast in "${wasts[@]}"; do
  name=$(basename "$wast" .wast)
  if ! "$wast2json" "$wast" -o "$work/spec/$name.json" >"$work/spec/$name.err" 2>&1 ||
    [ -s "$work/spec/$name.err" ]; then
    echo "frame_maps.sh: wast2json failed on $wast:" >&2
    head -n 5 "$work/spec/$name.err" >&2
    exit 2
  fi
done
echo "frame maps: ${#wasts[@]} spec files converted"

# The kernels' flags are scripts/bench-kernels.sh's.
paths=("$work/spec")
sources=("$kernels"/*.c)
if [ ${#sources[@]} -eq 0 ]; then
  echo "frame maps: no benchmark kernels in '$kernels'"
elif ! command -v clang >/dev/null 2>&1; then
  echo "frame maps: benchmark kernels left out: clang not found"
else
  built=0
  for src in "${sources[@]}"; do
    k=$(basename "$src" .c)
    if clang --target=wasm32 -O2 -nostdlib -Wl,--no-entry -Wl,--export=bench_run \
      -Wl,-z,stack-size=1048576 -o "$work/kernels/$k.wasm" "$src" >"$work/kernels/$k.log" 2>&1; then
      built=$((built + 1))
    else
      echo "frame maps: kernel $k left out: clang --target=wasm32 failed ($(head -n 1 "$work/kernels/$k.log"))"
    fi
  done
  echo "frame maps: $built of ${#sources[@]} benchmark kernels built"
  paths+=("$work/kernels")
fi

"$@" "${paths[@]}"
