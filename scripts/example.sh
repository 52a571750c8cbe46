#!/usr/bin/env bash
# example.sh - build wasmrt and show it on the bundled example, examples/hello/hello.c (SHA-256
# of its arguments or of standard input): compile it to WebAssembly with clang and wasi-libc,
# then `wasmrt validate` and `wasmrt inspect` it. The module is left in build/examples/hello/.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/install-deps.sh
bash scripts/build.sh x86_64
wasmrt=build/x86_64/cli/wasmrt
out=build/examples/hello
mkdir -p "$out"

# Compile with -O2 but link without -O: when binaryen is installed, clang runs wasm-opt on
# modules linked with -O, and that drops the name section that backtraces use (FACTS.md).
# --strip-debug drops wasi-libc's DWARF and keeps the name section.
echo "== clang --target=wasm32-wasi: examples/hello/hello.c -> $out/hello.wasm"
clang --target=wasm32-wasi -O2 -Wall -Wextra -Werror -c examples/hello/hello.c -o "$out/hello.o"
clang --target=wasm32-wasi "$out/hello.o" -o "$out/hello.wasm" -Wl,--strip-debug

echo "== wasmrt validate $out/hello.wasm"
"$wasmrt" validate "$out/hello.wasm"
echo "valid"
echo "== wasmrt inspect $out/hello.wasm"
"$wasmrt" inspect "$out/hello.wasm"

# Running it needs WASI (the sandboxed-run issue); compiling it works today.
echo "== wasmrt compile $out/hello.wasm -o $out/hello.wrtobj"
"$wasmrt" compile "$out/hello.wasm" -o "$out/hello.wrtobj"
echo "== wasmrt inspect $out/hello.wrtobj"
"$wasmrt" inspect "$out/hello.wrtobj" | head -n 12
