#!/usr/bin/env bash
# build.sh - configure and build wasmrt's build trees.
#
#   bash scripts/build.sh [TREE...]     TREE: x86_64, x86_64-san, aarch64 (default: all three)
#
#   build/x86_64      gcc, RelWithDebInfo: the build users get
#   build/x86_64-san  clang, Debug, AddressSanitizer + UndefinedBehaviorSanitizer, libFuzzer targets
#   build/aarch64     aarch64-linux-gnu-gcc (cmake/aarch64-linux-gnu.cmake), RelWithDebInfo;
#                     its tests run under qemu-aarch64
#
# Each tree is configured on every run (quick when nothing changed), so an option changed here
# always reaches it. At most JOBS compile jobs run at once (default 2).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

jobs=${JOBS:-2}
trees=("$@")
[ ${#trees[@]} -gt 0 ] || trees=(x86_64 x86_64-san aarch64)

# The compiler a tree was configured with, resolved through symlinks (/usr/bin/cc -> gcc-12).
cached_compiler() {
  local path
  path=$(sed -n 's/^CMAKE_C_COMPILER:[A-Z]*=//p' "build/$1/CMakeCache.txt" 2>/dev/null) || true
  [ -n "$path" ] || return 0
  case "$path" in /*) ;; *) path=$(command -v "$path") || return 0 ;; esac
  basename "$(readlink -f "$path")"
}

for tree in "${trees[@]}"; do
  compiler=""
  case "$tree" in
    x86_64)
      compiler=gcc
      options=(-DCMAKE_BUILD_TYPE=RelWithDebInfo) ;;
    x86_64-san)
      compiler=clang
      options=(-DCMAKE_BUILD_TYPE=Debug -DWASMRT_SANITIZE=ON -DWASMRT_FUZZ=ON) ;;
    aarch64)
      options=(-DCMAKE_TOOLCHAIN_FILE="$PWD/cmake/aarch64-linux-gnu.cmake"
               -DCMAKE_BUILD_TYPE=RelWithDebInfo) ;;
    *)
      echo "build.sh: unknown tree '$tree' (known: x86_64, x86_64-san, aarch64)" >&2
      exit 2 ;;
  esac
  # Name the compiler only when the tree is new or was configured with another one: naming it
  # again makes CMake throw the cache away.
  if [ -n "$compiler" ]; then
    case "$(cached_compiler "$tree")" in
      "$compiler"*) ;;
      *) options+=(-DCMAKE_C_COMPILER="$compiler") ;;
    esac
  fi
  echo "== build/$tree: configure"
  cmake -S . -B "build/$tree" -DWASMRT_TESTS=ON "${options[@]}"
  echo "== build/$tree: build"
  cmake --build "build/$tree" --parallel "$jobs"
done
