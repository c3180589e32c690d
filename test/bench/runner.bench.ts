/**
 * Runner benchmarks against the emulator (node test/bench/runner.bench.ts [stream|sweep]: both cases, or one).
 *
 * (a) `s1ql run` (the CLI process) streaming 100,000 and 1,000,000 verbose events (~3.8 KB of JSON each) as ndjson
 *     to a file, from an emulator process serving generated telemetry (rate limits off, maxLimit raised, query time
 *     0; no pre-generated data: 1M verbose events would be ~3.8 GB in memory). Events/s over the whole run (process
 *     start to exit) and the CLI's peak RSS (VmHWM from /proc), against two floors measured in the same run on the
 *     same pages, nothing written: fetch + JSON.parse (what a client that parses every event is held to), and the
 *     download alone (what the emulator and the loopback transfer allow on these two shared cores). The CLI's CPU
 *     time (user + system, from /proc) per event says what the client alone costs, whatever the emulator's share;
 *     the emulator's, what serving costs (both must fit on two cores for the rate to rise).
 *     Goals: >= 100k events/s; peak RSS under 200 MB, and flat in the number of events (1M vs 100k within ~10%).
 * (c) The page check alone (`scan`): the validating scan `s1ql run` makes of every dv/events page, over five
 *     generated pages of 1,000 verbose events, against decoding and JSON.parse of the same pages (best of 7 each).
 * (b) 100 distinct queries on one token, two at a time as `sweep` runs them, under the emulator's real limits
 *     scaled down 60x (init-query 1/s, query-status 60/s; query time 2 s / 60): wall time as a ratio to the lower
 *     bound those limits allow (99 init-query intervals, 99 s). Goal <= 1.1.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createReadStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTelemetry, startEmulator } from '@s1ql/emulator';
import { Budgets, createConnection, DvClient, readEventsPageBytes, runQuery } from '@s1ql/runner';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'packages/cli/src/bin.js');
const SELF = fileURLToPath(import.meta.url);
const TOKEN = 'bench-token';
const END = Date.parse('2026-11-30T12:00:00.000Z');
const FROM = '2026-11-23T12:00:00.000Z';
const TO = '2026-11-30T12:00:00.000Z';
const ALL = 'EventType = "Process Creation" OR EventType != "Process Creation"';

if (process.argv[2] === 'emulator') {
  // The emulator process: `node runner.bench.ts emulator N SCALE|off`.
  const n = Number(process.argv[3]);
  const scale = process.argv[4] === 'off' ? 'off' : { scale: Number(process.argv[4]) };
  const emu = await startEmulator({
    events: n,
    seed: 7,
    endMs: END,
    token: TOKEN,
    rateLimits: scale,
    maxLimit: 10_000_000,
    queryDurationMs: scale === 'off' ? 0 : Math.round(2000 / scale.scale),
  });
  process.stdout.write(`listening ${emu.url}\n`);
} else {
  await main();
}

async function emulatorProcess(n: number, scale: string): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [SELF, 'emulator', String(n), scale], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening (\S+)/.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`emulator exited ${code}`)));
  });
  return { url, child };
}

/** CPU time (user + system) a live process has used, in ms (clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
}

function peakRss(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m?.[1] ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

async function cliRun(url: string, n: number, out: string): Promise<{ ms: number; rss: number; cpu: number }> {
  const start = performance.now();
  const child = spawn(
    process.execPath,
    [BIN, 'run', '--limit', String(n), '--from', FROM, '--to', TO, '--timeout', '30m', '--out', out, ALL],
    { env: { PATH: process.env.PATH ?? '', S1_HOST: url, S1_API_TOKEN: TOKEN, S1QL_RATE_SCALE: '0' }, stdio: 'ignore' },
  );
  let rss = 0;
  // The last reading before exit: the process's final few ms are not counted.
  let cpu = 0;
  const timer = setInterval(() => {
    rss = Math.max(rss, peakRss(child.pid ?? 0));
    cpu = Math.max(cpu, cpuMs(child.pid ?? 0));
  }, 25);
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  clearInterval(timer);
  const ms = performance.now() - start;
  if (code !== 0) throw new Error(`s1ql run exited ${code}`);
  return { ms, rss, cpu };
}

/** Lines of a file read as a stream (1M events is ~3.8 GB). */
async function countLines(path: string): Promise<number> {
  let lines = 0;
  for await (const chunk of createReadStream(path)) {
    const buffer = chunk as Buffer;
    for (let i = buffer.indexOf(10); i !== -1; i = buffer.indexOf(10, i + 1)) lines++;
  }
  return lines;
}

/**
 * Floors: init, poll, then the same pages fetched and JSON.parse'd (`parse`), or only downloaded (`raw`: the
 * cursor is read from the end of the body, nothing else is looked at), nothing written. The raw floor is what the
 * emulator and the loopback transfer allow on these two cores, whatever the client does.
 */
async function floor(url: string, n: number, kind: 'parse' | 'raw'): Promise<number> {
  const headers = { authorization: `ApiToken ${TOKEN}`, 'content-type': 'application/json' };
  const api = `${url}/web/api/v2.1/`;
  const start = performance.now();
  const init = await fetch(`${api}dv/init-query`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ query: ALL, fromDate: FROM, toDate: TO, limit: n }),
  });
  const { data } = (await init.json()) as { data: { queryId: string } };
  for (;;) {
    const status = (await (await fetch(`${api}dv/query-status?queryId=${data.queryId}`, { headers })).json()) as {
      data: { responseState: string };
    };
    if (status.data.responseState === 'FINISHED') break;
    await new Promise((r) => setTimeout(r, 5));
  }
  let cursor: string | null = null;
  let count = 0;
  do {
    const qs = new URLSearchParams({ queryId: data.queryId, limit: '1000', ...(cursor === null ? {} : { cursor }) });
    const response = await fetch(`${api}dv/events?${qs}`, { headers });
    if (kind === 'raw') {
      const body = Buffer.from(await response.arrayBuffer());
      const tail = /"pagination":(\{.*\})\}\s*$/.exec(body.toString('latin1', body.length - 200));
      const pagination = JSON.parse(tail?.[1] ?? 'null') as { nextCursor: string | null };
      count += Math.min(1000, n - count);
      cursor = pagination.nextCursor;
      continue;
    }
    const page = JSON.parse(await response.text()) as {
      data: unknown[];
      pagination: { nextCursor: string | null };
    };
    count += page.data.length;
    cursor = page.pagination.nextCursor;
  } while (cursor !== null);
  if (count !== n) throw new Error(`floor saw ${count} events`);
  return performance.now() - start;
}

async function main(): Promise<void> {
  // `node runner.bench.ts stream` runs only the streaming cases (the sweep case takes ~100 s).
  const only = process.argv[2];
  if (only !== undefined && only !== 'stream' && only !== 'sweep' && only !== 'scan') {
    process.stderr.write(`runner.bench.ts: unknown case ${only}: give stream, sweep, scan or nothing (all)\n`);
    process.exit(2);
  }
  const rows: string[] = [];
  if (only === undefined || only === 'scan') rows.push(scanCase());
  if (only === undefined || only === 'stream') rows.push(...(await streaming()));
  if (only === undefined || only === 'sweep') rows.push(await sweepCase());
  process.stdout.write('| case | throughput / time | memory | floor / bound | ratio |\n|---|---|---|---|---|\n');
  process.stdout.write(`${rows.join('\n')}\n`);
}

async function streaming(): Promise<string[]> {
  const rows: string[] = [];
  const rss: number[] = [];
  const dir = mkdtempSync(join(tmpdir(), 's1ql-bench-'));
  for (const n of [100_000, 1_000_000]) {
    const { url, child } = await emulatorProcess(n, 'off');
    try {
      const floorMs = await floor(url, n, 'parse');
      const emuRaw0 = cpuMs(child.pid ?? 0);
      const rawMs = await floor(url, n, 'raw');
      const emuRaw = cpuMs(child.pid ?? 0) - emuRaw0;
      const out = join(dir, `out-${n}.ndjson`);
      const emuRun0 = cpuMs(child.pid ?? 0);
      const run = await cliRun(url, n, out);
      const emuRun = cpuMs(child.pid ?? 0) - emuRun0;
      const lines = await countLines(out);
      if (lines !== n) throw new Error(`wrote ${lines} events, expected ${n}`);
      const mb = statSync(out).size / 2 ** 20;
      rss.push(run.rss);
      rows.push(
        `| s1ql run, ndjson to a file, ${n.toLocaleString('en')} events (${mb.toFixed(0)} MB) | ` +
          `${Math.round(n / (run.ms / 1000)).toLocaleString('en')} ev/s; CLI CPU ${((run.cpu * 1000) / n).toFixed(1)} µs/event ` +
          `(${Math.round(n / (run.cpu / 1000)).toLocaleString('en')} ev/s per core); emulator CPU ${((emuRun * 1000) / n).toFixed(1)} µs/event | ` +
          `${(run.rss / 2 ** 20).toFixed(0)} MB peak RSS | ` +
          `${Math.round(n / (floorMs / 1000)).toLocaleString('en')} ev/s (fetch + JSON.parse); ` +
          `${Math.round(n / (rawMs / 1000)).toLocaleString('en')} ev/s (download only; emulator CPU ${((emuRaw * 1000) / n).toFixed(1)} µs/event) | ` +
          `${(floorMs / run.ms).toFixed(2)}x the JSON.parse floor's rate; ${(rawMs / run.ms).toFixed(2)}x the download's |`,
      );
      rmSync(out, { force: true });
      process.stderr.write(`${rows.at(-1)}\n`);
    } finally {
      child.kill('SIGTERM');
    }
  }
  rmSync(dir, { recursive: true, force: true });
  const [small = 0, large = 0] = rss;
  rows.push(`| peak RSS, 1M vs 100k events | | ${(large / small).toFixed(2)}x | | |`);
  return rows;
}

function scanCase(): string {
  const telemetry = createTelemetry({ seed: 7, count: 5000, endMs: END });
  const pages = Array.from({ length: 5 }, (_, p) => {
    const events = Array.from({ length: 1000 }, (_, i) => telemetry.jsonAt(p * 1000 + i));
    return Buffer.from(`{"data":[${events.join(',')}],"pagination":{"nextCursor":"YWJj","totalItems":5000}}`);
  });
  const bytes = pages.reduce((sum, page) => sum + page.length, 0);
  const best = (run: () => void): number => {
    let min = Number.POSITIVE_INFINITY;
    for (let r = 0; r < 7; r++) {
      const start = performance.now();
      run();
      min = Math.min(min, performance.now() - start);
    }
    return min;
  };
  let events = 0;
  const scanMs = best(() => {
    events = 0;
    for (const page of pages) events += readEventsPageBytes(page)?.length ?? 0;
  });
  if (events !== 5000) throw new Error(`the scan found ${events} events`);
  const parseMs = best(() => {
    for (const page of pages) JSON.parse(page.toString('utf8'));
  });
  const mbs = (ms: number) => (bytes / 2 ** 20 / (ms / 1000)).toFixed(0);
  return (
    `| page check (\`s1ql run\`), 5 pages of 1,000 verbose events (${(bytes / 2 ** 20).toFixed(1)} MB) | ` +
    `${((scanMs * 1000) / 5000).toFixed(2)} µs/event, ${mbs(scanMs)} MB/s | | ` +
    `decoding + JSON.parse of the same pages: ${((parseMs * 1000) / 5000).toFixed(2)} µs/event, ${mbs(parseMs)} MB/s | ` +
    `${(parseMs / scanMs).toFixed(1)}x faster than JSON.parse |`
  );
}

async function sweepCase(): Promise<string> {
  const scale = 60;
  const { url, child } = await emulatorProcess(2000, String(scale));
  try {
    const client = new DvClient(createConnection(url, TOKEN), { budgets: new Budgets({ scale: 1 / scale }) });
    const texts = Array.from({ length: 100 }, (_, i) => `SrcProcName = "p${i}.exe"`);
    let next = 0;
    let events = 0;
    const worker = async (): Promise<void> => {
      for (let i = next++; i < texts.length; i = next++) {
        const handle = runQuery(texts[i] as string, { client, from: FROM, to: TO });
        for await (const _ of handle) events++;
        await handle.summary;
      }
    };
    const start = performance.now();
    await Promise.all([worker(), worker()]);
    const ms = performance.now() - start;
    await client.close();
    const lowerBound = (99 * 60_000) / scale;
    return (
      `| 100 queries on one token, limits /60 (${events} events) | ${(ms / 1000).toFixed(1)} s | | ` +
      `lower bound ${(lowerBound / 1000).toFixed(0)} s | ${(ms / lowerBound).toFixed(3)}x bound |`
    );
  } finally {
    child.kill('SIGTERM');
  }
}
