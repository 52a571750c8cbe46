// exec_v8.js - runs a module in V8 the way binaryen's `wasm-opt --fuzz-exec` does: the third
// opinion exec_diff.sh asks for when wasmrt and binaryen's interpreter differ.
//
//   node --no-concurrent-marking exec_v8.js MODULE
//
// Prints the transcript exec_runner.c prints (and binaryen's interpreter), which exec_runner
// can then compare against its own: `exec_runner MODULE V8_TRANSCRIPT`. V8 computes floats with
// the x86 instructions as wasmrt does, so where binaryen's interpreter makes a canonical NaN
// and the two compiled engines agree, the NaN is what differed. A JavaScript number carries no
// NaN payload, so NaNs print as "nan" (they compare loosely anyway).
// Exit status 0, or 2 when the module does not compile or instantiate other than by a trap.
'use strict';
const fs = require('fs');

const lines = [];
const print = (line) => lines.push(line);

function number(x) {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  if (Object.is(x, -0)) return '-0';
  return String(x);
}

function value(x) {
  return typeof x === 'bigint' ? BigInt.asIntN(64, x).toString() : number(x);
}

function log(x) {
  if (typeof x === 'bigint') {
    // binaryen logs an i64 as two i32s, low half first
    const low = BigInt.asIntN(32, x), high = BigInt.asIntN(32, x >> 32n);
    print(`[LoggingExternalInterface logging ${low} ${high}]`);
  } else {
    print(`[LoggingExternalInterface logging ${number(x)}]`);
  }
}

const path = process.argv[2];
let instance;
try {
  const module = new WebAssembly.Module(fs.readFileSync(path));
  const imports = {};
  for (const i of WebAssembly.Module.imports(module)) {
    if (i.module !== 'fuzzing-support' || !/^log-(i32|i64|f32|f64)$/.test(i.name)) {
      console.error(`exec_v8.js: ${path}: imports ${i.module} ${i.name}`);
      process.exit(2);
    }
    (imports[i.module] = imports[i.module] || {})[i.name] = log;
  }
  try {
    instance = new WebAssembly.Instance(module, imports);
  } catch (e) {
    if (!(e instanceof WebAssembly.RuntimeError)) throw e;
    print(`[trap ${e.message}]`);
  }
} catch (e) {
  console.error(`exec_v8.js: ${path}: ${e.message}`);
  process.exit(2);
}

if (instance) {
  const exports = instance.exports;
  const hang = exports.hangLimitInitializer;
  for (const name of Object.keys(exports)) {
    const f = exports[name];
    if (typeof f !== 'function') continue;
    print(`[fuzz-exec] calling ${name}`);
    try {
      if (hang) hang();
      // Zero arguments: JavaScript's undefined converts to 0, 0n would be needed for i64 but
      // undefined throws there; the parameter types are not visible, so try numbers first.
      let result;
      try {
        result = f(...new Array(f.length).fill(0));
      } catch (e) {
        if (!(e instanceof TypeError)) throw e;
        result = callWithBigInts(f);
      }
      if (result !== undefined) {
        const text = Array.isArray(result) ? `(${result.map(value).join(', ')})` : value(result);
        print(`[fuzz-exec] note result: ${name} => ${text}`);
      }
    } catch (e) {
      if (e instanceof WebAssembly.RuntimeError || e instanceof RangeError) {
        print(`[trap ${e.message}]`);
      } else {
        throw e;
      }
    }
  }
}
process.stdout.write(lines.map((l) => l + '\n').join(''));

// i64 parameters want BigInts and the others numbers; with f.length <= 8 or so, find the mix
// by trying (a TypeError comes before anything runs).
function callWithBigInts(f) {
  const n = f.length;
  for (let mask = 1; mask < 1 << Math.min(n, 12); mask++) {
    const args = [];
    for (let k = 0; k < n; k++) args.push(mask & (1 << k) ? 0n : 0);
    try {
      return f(...args);
    } catch (e) {
      if (!(e instanceof TypeError)) throw e;
    }
  }
  throw new TypeError('no mix of numbers and BigInts fits the parameters');
}
