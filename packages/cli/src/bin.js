#!/usr/bin/env node
// The `s1ql` command. Plain JavaScript, not TypeScript, so that nothing needs type stripping before the compile
// cache is on: Node strips types with a WebAssembly compiler that it loads on first use (~0.1 s), and a TypeScript
// entry point would load it to read this very file. Everything below is loaded after the cache is on, and a cached
// module needs neither stripping nor compiling again. Measured: `s1ql parse` on one query, 0.43 s -> 0.30 s.
import * as nodeModule from 'node:module';
import { setFlagsFromString } from 'node:v8';

// The code is TypeScript run by Node's own type stripping (Node 22.18+, 23.6+, 24): an older Node would fail on the
// first .ts import with a stack. Say what to do instead; `./run s1ql ...` provisions Node 24 itself.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18) || (major === 23 && minor < 6)) {
  process.stderr.write(
    `s1ql: needs Node 22.18 or newer (this is Node ${process.versions.node}); from the repository, ./run s1ql ... installs Node 24 into .tools/ and uses it\n`,
  );
  process.exit(2);
}

// `s1ql run` (and sweep, query after query) streams for as long as the result lasts. V8 doubles its young
// generation whenever the bytes that survived scavenges since the last growth exceed its size, which any long
// stream reaches however little survives, so RSS climbed to the young generation's maximum (~+110 MB) on long runs.
// A growth factor of 1 keeps it at its initial size. It takes effect at run time (V8 reads it at each growth);
// --max-semi-space-size does not (the heap is configured at start-up). Measured in test/bench/runner.bench.ts.
if (process.argv[2] === 'run' || process.argv[2] === 'sweep') setFlagsFromString('--semi-space-growth-factor=1');

// Node's on-disk cache of compiled (and type-stripped) modules, in the temporary directory; stale entries are
// compiled again, and without a writable directory it is simply off.
nodeModule.enableCompileCache();

const { main } = await import('./main.ts');
const { processIo } = await import('./io.ts');
process.exitCode = await main(process.argv.slice(2), processIo());
