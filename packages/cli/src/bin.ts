#!/usr/bin/env node
import { enableCompileCache } from 'node:module';
import { setFlagsFromString } from 'node:v8';
import { processIo } from './io.ts';
import { main } from './main.ts';

// `s1ql run` (and sweep, query after query) streams for as long as the result lasts. V8 doubles its young generation whenever the bytes that
// survived scavenges since the last growth exceed its size, which any long stream reaches however little
// survives, so RSS climbed to the young generation's maximum (~+110 MB) on long runs. A growth factor of 1 keeps
// it at its initial size. It takes effect at run time (V8 reads it at each growth); --max-semi-space-size does
// not (the heap is configured at start-up). Measured in test/bench/runner.bench.ts.
if (process.argv[2] === 'run' || process.argv[2] === 'sweep') setFlagsFromString('--semi-space-growth-factor=1');

// Node's on-disk cache of compiled modules (in the temporary directory; stale entries are recompiled, and without a
// writable directory it is simply off) halves the time to load a command's code: ~0.15 s of every invocation,
// 0.1 s of the 2 s budget for checking 5,000 hunts (test/bench/check.bench.ts).
enableCompileCache();

process.exitCode = await main(process.argv.slice(2), processIo());
