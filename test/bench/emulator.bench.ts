/**
 * Emulator benchmark: events evaluated per second inside the emulator (the engine over the generator) against the
 * floor of generating the same events without evaluating them, and the RSS of an emulator process that has served
 * a query over 1,000,000 generated events. Goals: >= 1M events/s evaluated (generation excluded), RSS < 500 MB.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createTelemetry, startEmulator } from '@s1ql/emulator';
import { compile, type DvEvent } from '@s1ql/engine';
import { parse } from '@s1ql/language';

const N = 1_000_000;
const END = Date.parse('2026-11-30T12:00:00.000Z');
const HUNT =
  'EventType = "Process Creation" AND EndpointOS = "windows" AND SrcProcName In AnyCase ("WINWORD.EXE", "EXCEL.EXE", "OUTLOOK.EXE") AND TgtProcName = "powershell.exe" AND TgtProcCmdLine Contains AnyCase "-enc"';

function compileHunt() {
  const { ast, diagnostics } = parse(HUNT);
  const compiled = compile(ast, { diagnostics });
  if (!compiled.ok) throw new Error(`hunt does not compile: ${compiled.diagnostics[0]?.message}`);
  return compiled.query.test;
}

async function child(): Promise<void> {
  const emu = await startEmulator({ events: N, endMs: END, rateLimits: 'off', queryDurationMs: 0 });
  const headers = { authorization: 'ApiToken bench', 'content-type': 'application/json' };
  const api = `${emu.url}/web/api/v2.1`;
  const t0 = performance.now();
  const init = await fetch(`${api}/dv/init-query`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ query: HUNT, fromDate: END - 8 * 86_400_000, toDate: END, limit: 20000 }),
  });
  const { data } = (await init.json()) as { data: { queryId: string } };
  let state = '';
  while (state !== 'FINISHED' && state !== 'EMPTY_RESULTS') {
    await new Promise((r) => setTimeout(r, 20));
    const status = await fetch(`${api}/dv/query-status?queryId=${data.queryId}`, { headers });
    state = ((await status.json()) as { data: { responseState: string } }).data.responseState;
  }
  const ms = performance.now() - t0;
  const page = await fetch(`${api}/dv/events?queryId=${data.queryId}&limit=1000`, { headers });
  const total = ((await page.json()) as { pagination: { totalItems: number } }).pagination.totalItems;
  const rss = process.memoryUsage().rss;
  await emu.close();
  process.stdout.write(`${JSON.stringify({ ms, total, rss })}\n`);
}

function measureInProcess() {
  const telemetry = createTelemetry({ seed: 1, count: N, endMs: END });
  const test = compileHunt();
  // Warm up both loops so the JIT has settled before timing.
  for (let i = 0; i < 50_000; i++) test(telemetry.eventAt(i));
  // Generate in chunks of 10k and time generation and evaluation of each chunk apart, so the evaluation figure
  // covers all 1M generated events without subtracting two noisy totals.
  let genMs = 0;
  let evalMs = 0;
  let matched = 0;
  const CHUNK = 10_000;
  const chunk: DvEvent[] = new Array(CHUNK);
  for (let start = 0; start < N; start += CHUNK) {
    let t = performance.now();
    for (let i = 0; i < CHUNK; i++) chunk[i] = telemetry.eventAt(start + i);
    genMs += performance.now() - t;
    t = performance.now();
    for (let i = 0; i < CHUNK; i++) if (test(chunk[i] as DvEvent)) matched++;
    evalMs += performance.now() - t;
  }
  const sink = 0;
  // Pure evaluation over materialized events (100k, 10 rounds): the engine's own rate on these events.
  const sample = [...telemetry.events(0, 100_000)];
  const t = performance.now();
  let pure = 0;
  for (let round = 0; round < 10; round++) for (const e of sample) if (test(e)) pure++;
  const pureMs = performance.now() - t;
  return { genMs, evalMs, pureMs, matched, sink, pure };
}

function runChild(): Promise<{ ms: number; total: number; rss: number }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [fileURLToPath(import.meta.url), 'child'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    proc.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
    });
    proc.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`child exited ${code}`))));
  });
}

async function main(): Promise<void> {
  const m = measureInProcess();
  const c = await runChild();
  const rate = (n: number, ms: number) => `${(((n / ms) * 1000) / 1e6).toFixed(2)} M/s`;
  const lines = [
    '| measure | time | rate | vs floor |',
    '|---|---:|---:|---:|',
    `| floor: generate 1M events (no evaluation) | ${m.genMs.toFixed(0)} ms | ${rate(N, m.genMs)} | 1.00x |`,
    `| evaluate a 5-clause hunt over the same 1M generated events (goal >= 1M/s) | ${m.evalMs.toFixed(0)} ms | ${rate(N, m.evalMs)} | ${(m.evalMs / m.genMs).toFixed(2)}x |`,
    `| evaluation over materialized events (100k x 10) | ${m.pureMs.toFixed(0)} ms | ${rate(1_000_000, m.pureMs)} | ${(m.pureMs / m.genMs).toFixed(2)}x |`,
    `| emulator process: init → FINISHED over 1M events (HTTP) | ${c.ms.toFixed(0)} ms | ${rate(N, c.ms)} | ${(c.ms / m.genMs).toFixed(2)}x |`,
    `| emulator process RSS after the query (goal < 500 MB) | | ${(c.rss / 1048576).toFixed(0)} MB | |`,
  ];
  process.stdout.write(`${lines.join('\n')}\n\nmatches: ${m.matched} in-process, ${c.total} via HTTP\n`);
  if (m.matched !== c.total) {
    process.stderr.write('in-process and HTTP match counts differ\n');
    process.exitCode = 1;
  }
}

if (process.argv[2] === 'child') await child();
else await main();
