/**
 * `s1ql check` on generated libraries of 1k, 5k and 20k YAML hunts (the examples with varied values), timing the
 * whole process `node packages/cli/src/bin.js check DIR --format json > /dev/null`. Floor, same run: a Node process
 * that walks the same tree, reads every file and JSON.parses as many bytes. Goal: 5,000 hunts in under 2 s.
 * Each figure is the best of RUNS runs (default 3): the machine is shared, and the minimum is the least noisy
 * estimate of the work itself. "One thread" is the same check with S1QL_CHECK_WORKERS=0 (no worker threads), to
 * show what the threads bring on this machine. "Marginal" is the time per extra hunt from the previous size, which shows whether
 * growth is linear once the fixed start-up cost is set aside.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const root = join(import.meta.dirname, '..', '..');
const examples = join(root, 'examples', 'hunts');

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? yamlFiles(join(dir, e.name)) : e.name.endsWith('.yml') ? [join(dir, e.name)] : [],
  );
}

const templates = yamlFiles(examples).map((path) => ({
  name: relative(examples, path),
  text: readFileSync(path, 'utf8'),
}));

/** Hunt number `n`: a template with its id, title, file name and some values changed, so nothing is a duplicate. */
function variant(n: number): { path: string; text: string } {
  const t = templates[n % templates.length] as { name: string; text: string };
  const text = t.text
    .replace(/^title: (.*)$/m, (_, title: string) => `title: ${title} (${n})`)
    .replace(/^id: (.*)$/m, `id: GEN-${n}`)
    .replace(/^created_date: .*$/m, `created_date: 20${10 + (n % 10)}-0${1 + (n % 9)}-1${n % 10}`)
    .replace(/^last_update: .*$/m, `last_update: 2024-1${n % 3}-2${n % 8}`)
    .replace(/WKS-0142/g, `WKS-${n}`);
  const dir = `batch-${Math.floor(n / 500)}`;
  return { path: join(dir, t.name.replace(/\//g, '-').replace(/\.yml$/, `-${n}.yml`)), text };
}

function generate(dir: string, count: number): number {
  let bytes = 0;
  for (let n = 0; n < count; n++) {
    const { path, text } = variant(n);
    const full = join(dir, path);
    mkdirSync(join(full, '..'), { recursive: true });
    writeFileSync(full, text);
    bytes += Buffer.byteLength(text);
  }
  return bytes;
}

const RUNS = Math.max(1, Number(process.env.RUNS ?? 3));

function timeProcess(
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): { seconds: number; status: number | null; stderr: string } {
  let best: { seconds: number; status: number | null; stderr: string } | undefined;
  for (let run = 0; run < RUNS; run++) {
    const start = process.hrtime.bigint();
    const r = spawnSync(process.execPath, args, {
      cwd: root,
      encoding: 'utf8',
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (!best || seconds < best.seconds || r.status !== 0) best = { seconds, status: r.status, stderr: r.stderr };
    if (r.status !== 0) break;
  }
  return best as { seconds: number; status: number | null; stderr: string };
}

const floorScript = `
const fs = require('node:fs'); const path = require('node:path');
let bytes = 0; let n = 0;
const walk = (d) => { for (const e of fs.readdirSync(d, { withFileTypes: true })) {
  const p = path.join(d, e.name);
  if (e.isDirectory()) walk(p); else { const t = fs.readFileSync(p, 'utf8'); bytes += t.length; n++;
    JSON.parse(JSON.stringify({ t })); } } };
walk(process.argv[1]);
process.stdout.write(String(n));
`;

const sizes = (process.env.SIZES ?? '1000,5000,20000').split(',').map(Number);
const rows: string[] = [];
let fiveK = Number.NaN;
let previous: { size: number; seconds: number } | undefined;
for (const size of sizes) {
  const dir = mkdtempSync(join(tmpdir(), `s1ql-check-bench-${size}-`));
  try {
    const bytes = generate(dir, size);
    statSync(dir);
    const floor = timeProcess(['-e', floorScript, dir]);
    const { S1QL_CHECK_WORKERS: _, ...env } = process.env;
    const check = timeProcess(['packages/cli/src/bin.js', 'check', dir, '--format', 'json'], env);
    const single = timeProcess(['packages/cli/src/bin.js', 'check', dir, '--format', 'json'], {
      ...env,
      S1QL_CHECK_WORKERS: '0',
    });
    if (check.status !== 0) {
      process.stderr.write(`check exited ${check.status} on ${size} hunts:\n${check.stderr.slice(0, 2000)}\n`);
    }
    if (size === 5000) fiveK = check.seconds;
    const marginal = previous
      ? `${(((check.seconds - previous.seconds) * 1e6) / (size - previous.size)).toFixed(0)} µs`
      : '–';
    previous = { size, seconds: check.seconds };
    rows.push(
      `| ${size} | ${(bytes / 1e6).toFixed(1)} MB | ${check.seconds.toFixed(2)} s | ${Math.round(size / check.seconds)} | ` +
        `${((check.seconds * 1e6) / size).toFixed(0)} µs | ${marginal} | ${floor.seconds.toFixed(2)} s | ` +
        `${(check.seconds / floor.seconds).toFixed(1)}× | ${single.seconds.toFixed(2)} s | ` +
        `${(single.seconds / check.seconds).toFixed(2)}× | ${check.status} |`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

process.stdout.write(
  [
    `Best of ${RUNS} runs each, ${availableParallelism()} cores (shared machine: other work can slow any run).`,
    '',
    '| hunts | bytes | check (whole process) | hunts/s | per hunt | marginal per hunt | floor (read + JSON.parse) | ' +
      'check/floor | one thread | one thread/check | exit |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows,
    '',
    `Goal: 5,000 hunts in < 2 s: ${fiveK < 2 ? 'met' : 'NOT met'} (${fiveK.toFixed(2)} s).`,
    '',
  ].join('\n'),
);
