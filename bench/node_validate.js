// node_validate.js - WebAssembly.validate throughput in V8, in MB/s of module bytes; the
// reference engine beside bench/validate_bench.c, measured the same way.
//
// Usage: node --no-concurrent-marking bench/node_validate.js [--seconds S] [--tsv] FILE...
//
// For each FILE: read it into memory; validate it once (a file V8 rejects is reported, skipped,
// and makes the exit status 1); warm up for a fifth of S; then run batches of back-to-back
// WebAssembly.validate calls, each batch about 1 ms, for at least S seconds (default 1) and at
// least 5 batches. Reports the best and median batch's time per call as MB/s (10^6 bytes).
// --tsv prints "path<TAB>bytes<TAB>calls<TAB>best<TAB>median" per file, as validate_bench does.
// (--no-concurrent-marking: node 20 sometimes crashes at exit after running wasm without it.)
'use strict';

const fs = require('fs');

function usage(to) {
  to.write('usage: node --no-concurrent-marking node_validate.js [--seconds S] [--tsv] FILE...\n');
}

function nowNs() {
  return Number(process.hrtime.bigint());
}

// Runs `calls` validations; returns how many said "invalid".
function runBatch(bytes, calls) {
  let failures = 0;
  for (let i = 0; i < calls; i++) {
    if (!WebAssembly.validate(bytes)) failures++;
  }
  return failures;
}

function benchModule(bytes, seconds) {
  const warmUntil = nowNs() + seconds * 0.2e9;
  const start = nowNs();
  let warmCalls = 0;
  let failures = 0;
  let t;
  do {
    failures += runBatch(bytes, 1);
    warmCalls++;
    t = nowNs();
  } while (t < warmUntil || warmCalls < 2);
  const perCall = (t - start) / warmCalls;
  const batch = perCall >= 1e6 ? 1 : Math.floor(1e6 / Math.max(perCall, 1)) + 1;

  const samples = [];
  const stopAt = nowNs() + seconds * 1e9;
  do {
    const t0 = nowNs();
    failures += runBatch(bytes, batch);
    const t1 = nowNs();
    samples.push((t1 - t0) / batch);
  } while (nowNs() < stopAt || samples.length < 5);
  if (failures) throw new Error(`${failures} later calls failed after the first succeeded`);

  samples.sort((a, b) => a - b);
  const n = samples.length;
  const median = n % 2 ? samples[(n - 1) / 2] : (samples[n / 2 - 1] + samples[n / 2]) / 2;
  return { calls: warmCalls + n * batch, bestNs: samples[0], medianNs: median };
}

function main(argv) {
  let seconds = 1;
  let tsv = false;
  const files = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (files.length === 0 && a === '--seconds' && i + 1 < argv.length) {
      seconds = Number(argv[++i]);
      if (!(seconds > 0 && seconds <= 3600)) {
        process.stderr.write('node_validate: --seconds wants a number from 0 to 3600\n');
        return 2;
      }
    } else if (files.length === 0 && a === '--tsv') {
      tsv = true;
    } else if (files.length === 0 && (a === '-h' || a === '--help')) {
      usage(process.stdout);
      return 0;
    } else if (files.length === 0 && a.startsWith('-') && a !== '--') {
      usage(process.stderr);
      return 2;
    } else if (a !== '--' || files.length > 0) {
      files.push(a);
    }
  }
  if (files.length === 0) {
    usage(process.stderr);
    return 2;
  }

  if (!tsv) {
    process.stdout.write(`node ${process.version} (V8 ${process.versions.v8}), ` +
                         `WebAssembly.validate, >= ${seconds.toFixed(1)} s per file\n`);
    process.stdout.write('file'.padEnd(40) + ' ' + 'bytes'.padStart(12) + ' ' +
                         'calls'.padStart(10) + ' ' + 'best MB/s'.padStart(12) + ' ' +
                         'median MB/s'.padStart(12) + '\n');
  }
  let status = 0;
  for (const path of files) {
    let bytes;
    try {
      bytes = new Uint8Array(fs.readFileSync(path));
    } catch (e) {
      process.stderr.write(`node_validate: ${path}: ${e.message}\n`);
      status = 2;
      continue;
    }
    if (!WebAssembly.validate(bytes)) {
      let why = 'invalid';
      try {
        new WebAssembly.Module(bytes);
      } catch (e) {
        why = e.message;
      }
      process.stderr.write(`node_validate: ${path}: not valid: ${why}\n`);
      if (status === 0) status = 1;
      continue;
    }
    let r;
    try {
      r = benchModule(bytes, seconds);
    } catch (e) {
      process.stderr.write(`node_validate: ${path}: ${e.message}\n`);
      status = 2;
      continue;
    }
    const best = bytes.length / r.bestNs * 1e3;
    const median = bytes.length / r.medianNs * 1e3;
    if (tsv) {
      process.stdout.write(`${path}\t${bytes.length}\t${r.calls}\t${best.toFixed(1)}\t` +
                           `${median.toFixed(1)}\n`);
    } else {
      process.stdout.write(path.padEnd(40) + ' ' + String(bytes.length).padStart(12) + ' ' +
                           String(r.calls).padStart(10) + ' ' + best.toFixed(1).padStart(12) +
                           ' ' + median.toFixed(1).padStart(12) + '\n');
    }
  }
  return status;
}

process.exitCode = main(process.argv.slice(2));
