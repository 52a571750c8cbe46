// node_driver.js - runs one kernel of bench/kernels/ compiled to WebAssembly in V8 (node) and
// prints "seconds checksum": the wall time of one call of bench_run(n) and the checksum it
// returned (unsigned, decimal), as bench/native_driver.c and bench/wasmrt_driver.c do.
//
//   node --no-concurrent-marking [V8 flags] bench/node_driver.js FILE.wasm N
//   node --no-concurrent-marking --no-wasm-lazy-compilation [--liftoff-only | --no-liftoff] \
//        bench/node_driver.js --compile-only FILE.wasm
//
// Run mode: compiles (WebAssembly.compile) and instantiates (no imports) the module, then
// times exactly one call of bench_run(N): no warm-up, as an ahead-of-time engine gets none.
// Under V8's default tiering the call therefore starts in Liftoff (the baseline compiler) and
// only functions called again after TurboFan finished them run optimized code; V8 has no
// on-stack replacement for WebAssembly. --liftoff-only keeps everything in Liftoff;
// --no-liftoff compiles everything with TurboFan up front. Compile and instantiate times go
// to stderr.
//
// --compile-only: times `new WebAssembly.Module(bytes)` (decode, validate and compile, all on
// this thread plus V8's background compile threads), and prints "seconds bytes". Pass
// --no-wasm-lazy-compilation so that every function is compiled there and then; the driver
// refuses to measure when V8 reports lazy compilation on.
//
// (--no-concurrent-marking: node 20 sometimes crashes at exit after running wasm without it.)
'use strict';

const fs = require('fs');

function usage() {
  process.stderr.write('usage: node --no-concurrent-marking node_driver.js FILE.wasm N\n' +
                       '       node --no-concurrent-marking --no-wasm-lazy-compilation ' +
                       'node_driver.js --compile-only FILE.wasm\n');
  process.exit(2);
}

function now() {
  return Number(process.hrtime.bigint()) / 1e9;
}

function fail(message) {
  console.log(`error: ${message}`);
  process.exit(1);
}

async function main() {
  const args = process.argv.slice(2);
  if (args[0] === '--compile-only') {
    if (args.length !== 2) usage();
    // V8 flags are visible to the process; a lazy compile would time only the validation.
    if (!process.execArgv.includes('--no-wasm-lazy-compilation'))
      fail('--compile-only needs node --no-wasm-lazy-compilation');
    const bytes = fs.readFileSync(args[1]);
    const t0 = now();
    try {
      new WebAssembly.Module(bytes);
    } catch (e) {
      fail(`compile: ${e.message}`);
    }
    const t1 = now();
    console.log(`${(t1 - t0).toFixed(6)} ${bytes.length}`);
    return;
  }
  if (args.length !== 2 || !/^[0-9]+$/.test(args[1]) || Number(args[1]) > 0xffffffff) usage();
  const bytes = fs.readFileSync(args[0]);
  const n = Number(args[1]);
  let module, instance;
  const t0 = now();
  try {
    module = await WebAssembly.compile(bytes);
  } catch (e) {
    fail(`compile: ${e.message}`);
  }
  const t1 = now();
  try {
    instance = await WebAssembly.instantiate(module, {});
  } catch (e) {
    fail(`instantiate: ${e.message}`);
  }
  const t2 = now();
  const run = instance.exports.bench_run;
  if (typeof run !== 'function') fail('the module exports no function bench_run');
  let result;
  const t3 = now();
  try {
    result = run(n);
  } catch (e) {
    fail(`bench_run: ${e.message}`);
  }
  const t4 = now();
  // i64 results arrive as signed BigInts.
  console.log(`${(t4 - t3).toFixed(6)} ${BigInt.asUintN(64, result)}`);
  process.stderr.write(`compile ${(t1 - t0).toFixed(6)} s, ` +
                       `instantiate ${(t2 - t1).toFixed(6)} s\n`);
}

main().catch((e) => fail(e.message));
