#!/usr/bin/env bash
# install-deps.sh - install the Debian 12 packages wasmrt needs to build and test on x86-64,
# including the arm64 cross toolchain, arm64 libraries and qemu-user for the AArch64 side.
#
# Idempotent and quick when everything is present: it asks dpkg first and runs apt-get only
# for what is missing. Needs root; re-runs itself through sudo when started by another user.
set -euo pipefail

packages=(
  # build
  cmake make pkg-config gcc clang lld
  # libFuzzer, ASan and UBSan runtimes for clang
  libclang-rt-14-dev
  # test programs compiled to WebAssembly
  wasi-libc libclang-rt-14-dev-wasm32
  # reference tools: wat2wasm, wast2json, wasm-validate (wabt); wasm-opt (binaryen)
  wabt binaryen
  # run-time and test libraries
  libcmocka-dev libseccomp-dev libsodium-dev libzstd-dev
  # the AArch64 side: cross compiler, arm64 libraries, user-mode emulator
  gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user
  libcmocka-dev:arm64 libseccomp-dev:arm64 libsodium-dev:arm64 libzstd-dev:arm64
  # reference engine (V8) for comparisons
  nodejs
)

if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    exec sudo -- bash "$0" "$@"
  fi
  echo "install-deps.sh: must run as root, and sudo is not available" >&2
  exit 1
fi

if [ "$(dpkg --print-architecture)" != amd64 ]; then
  echo "install-deps.sh: written for an amd64 Debian host; this one is $(dpkg --print-architecture)" >&2
  exit 1
fi

# One dpkg-query for all: "name:arch" of every fully installed ("ii") package. A package named
# without an architecture is wanted for the host architecture or as an architecture-independent one.
host_arch=$(dpkg --print-architecture)
declare -A installed=()
while IFS='|' read -r name arch status; do
  if [ "$status" = "ii " ]; then installed["${name%%:*}:$arch"]=1; fi
done < <(dpkg-query -W -f='${binary:Package}|${Architecture}|${db:Status-Abbrev}\n' \
           "${packages[@]%%:*}" 2>/dev/null || true)
missing=()
for package in "${packages[@]}"; do
  case "$package" in
    *:*) [ -n "${installed[$package]:-}" ] || missing+=("$package") ;;
    *) [ -n "${installed[$package:$host_arch]:-}${installed[$package:all]:-}" ] || missing+=("$package") ;;
  esac
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "install-deps.sh: installing ${missing[*]}"
need_update=0
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
  dpkg --add-architecture arm64
  need_update=1
fi
export DEBIAN_FRONTEND=noninteractive
# apt-get update only when the package lists do not know a package we need (fresh machine,
# newly added architecture); a partial install needs no new lists.
if [ "$need_update" -eq 0 ]; then
  for package in "${missing[@]}"; do
    if ! apt-cache show --no-all-versions "$package" >/dev/null 2>&1; then
      need_update=1
      break
    fi
  done
fi
if [ "$need_update" -eq 1 ]; then
  apt-get update -q
fi
# Lists that know the packages may still be too old to download them: then update and retry.
if ! apt-get install -y -q --no-install-recommends "${missing[@]}"; then
  [ "$need_update" -eq 0 ] || exit 1
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
