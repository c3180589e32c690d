/**
 * Acceptance checks of `s1ql run`, `sweep` and `emulator` as processes, against an in-process emulator over real
 * loopback sockets: signals, hunt files with problems, and inputs that must get a clear message, never a stack.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { callsTo, closeAll, emulator, FROM, TO, TOKEN } from './helpers.ts';

const BIN = fileURLToPath(new URL('../../packages/cli/src/bin.js', import.meta.url));
const Q = 'EventType = "Process Creation"';

const children: ChildProcess[] = [];

afterEach(async () => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
  await closeAll();
});

interface Result {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Starts the CLI; `result` resolves when it exits. */
function start(args: string[], env: Record<string, string> = {}): { child: ChildProcess; result: Promise<Result> } {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { PATH: process.env.PATH ?? '', S1_API_TOKEN: TOKEN, S1QL_RATE_SCALE: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const result = new Promise<Result>((resolve) => {
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, result };
}

async function until(check: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('SIGTERM mid-run is an abort, like Ctrl-C', () => {
  it('run: the query is cancelled on the console and the exit code is 4', async () => {
    const emu = await emulator({ rateLimits: 'off', queryDurationMs: 60_000 });
    const { child, result } = start(['run', Q, '--from', FROM, '--to', TO, '--host', emu.url]);
    await until(() => callsTo(emu, 'query-status').length > 0);
    child.kill('SIGTERM');
    const r = await result;
    const queryId = callsTo(emu, 'init-query')[0]?.queryId;
    expect(callsTo(emu, 'cancel-query').map((c) => [c.status, c.queryId])).toEqual([[200, queryId]]);
    expect(emu.stats.runningQueries).toBe(0);
    expect({ code: r.code, signal: r.signal }).toEqual({ code: 4, signal: null });
    expect(r.stderr).toContain(`cancel sent for ${queryId}`);
    expect(r.stderr).not.toContain(TOKEN);
  });

  it('sweep: every query in flight is cancelled', async () => {
    const emu = await emulator({ rateLimits: 'off', queryDurationMs: 60_000 });
    const dir = mkdtempSync(join(tmpdir(), 's1ql-sweep-'));
    writeFileSync(join(dir, 'iocs.txt'), 'evil.example.com\n8.8.8.8\n');
    const { child, result } = start(['sweep', '--iocs', join(dir, 'iocs.txt'), '--from', FROM, '--to', TO], {
      S1_HOST: emu.url,
    });
    await until(() => callsTo(emu, 'query-status').length > 0);
    child.kill('SIGTERM');
    const r = await result;
    expect(r.code).toBe(4);
    expect(callsTo(emu, 'cancel-query').length).toBe(callsTo(emu, 'init-query').length);
    expect(emu.stats.runningQueries).toBe(0);
  });
});

describe('doctor leaves no query running, even when stopped', () => {
  it('Ctrl-C while its test query starts: the query is still cancelled, then it exits 4', async () => {
    const emu = await emulator({ rateLimits: 'off', queryDurationMs: 60_000, faults: 'slow:800ms:init-query' });
    const { child, result } = start(['doctor'], { S1_HOST: emu.url });
    // The token check comes first; the init-query is then slow: stop doctor while it is in flight.
    await until(() => callsTo(emu, 'api-token-details').length > 0);
    await new Promise((r) => setTimeout(r, 300));
    child.kill('SIGINT');
    const r = await result;
    const queryId = callsTo(emu, 'init-query')[0]?.queryId;
    expect(queryId).toBeDefined();
    expect(callsTo(emu, 'cancel-query').map((c) => [c.status, c.queryId])).toEqual([[200, queryId]]);
    expect(emu.stats.runningQueries).toBe(0);
    expect({ code: r.code, signal: r.signal }).toEqual({ code: 4, signal: null });
    expect(r.stderr).not.toContain(TOKEN);
  });
});

describe('run INPUT: problems are reported where they are, in the file', () => {
  it('a syntax error in a YAML hunt points at its line and column in the YAML file, and nothing is sent', async () => {
    const emu = await emulator({ rateLimits: 'off' });
    const dir = mkdtempSync(join(tmpdir(), 's1ql-hunt-'));
    const file = join(dir, 'hunt.yml');
    writeFileSync(
      file,
      'title: x\ndescription: y\nquery: |\n  EventType = "Process Creation" AND\n  SrcProcName = = "x"\n',
    );
    const r = await start(['run', file, '--from', FROM, '--to', TO, '--host', emu.url]).result;
    expect(r.code).toBe(1);
    // `SrcProcName = = "x"` is line 5 of the file, indented by two: the value missing after the first = is at 16.
    expect(r.stderr).toContain(`${file}:5:16: error P204`);
    expect(r.stderr).not.toMatch(/hunt\.yml:2:/);
    expect(r.stderr).toContain('at 5:16');
    expect(emu.calls).toHaveLength(0);
  });

  it('unreadable YAML is reported with its line (exit 1), not as a hunt without a query', async () => {
    const emu = await emulator({ rateLimits: 'off' });
    const dir = mkdtempSync(join(tmpdir(), 's1ql-hunt-'));
    const file = join(dir, 'bad.yml');
    writeFileSync(file, 'title: x\nquery: [unclosed\n');
    const r = await start(['run', file, '--host', emu.url]).result;
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`${file.replace(/[.\\/]/g, '\\$&')}:\\d+:\\d+: error H\\d+`));
    expect(r.stderr).not.toContain('has no query');
    expect(emu.calls).toHaveLength(0);
  });

  it('an empty query argument is an empty query (exit 1), not a directory', async () => {
    const emu = await emulator({ rateLimits: 'off' });
    const r = await start(['run', '', '--host', emu.url]).result;
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('The query is empty');
    expect(r.stderr).not.toContain('directory');
    expect(emu.calls).toHaveLength(0);
  });
});

describe('emulator: a host it cannot listen on is a usage error with a clear message', () => {
  it.each([
    ['an unknown host name', 'no-such-host.invalid'],
    ['an address not on this machine', '192.0.2.1'],
  ])('%s', async (_name, host) => {
    const r = await start(['emulator', '--port', '0', '--host', host]).result;
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`cannot listen on ${host}`);
    expect(r.stderr).not.toContain('internal error');
    expect(r.stderr).not.toContain('data file');
  });
});
