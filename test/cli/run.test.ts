/**
 * `s1ql run`, `sweep` and `doctor` end to end against `s1ql emulator`: two real processes on a loopback port, the
 * token in the environment. Expected events come from the emulator's generator (same seed), not from the CLI.
 *
 * Rate limits: `run` and `doctor` are tested against the emulator's real limits, out of the box (one init-query
 * per emulator per minute, so each gets its own emulator). Tests that start several queries on one emulator
 * (formats, sweep) run it with `--rate-limits off` and give the CLI S1QL_RATE_SCALE=0, the runner's test and
 * benchmark knob that turns its own pacing off to match.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BAD_DOMAINS, createTelemetry } from '@s1ql/emulator';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, ROOT, runCli } from './run-cli.ts';

const TOKEN = 'cli-SECRET-token-5f2a9c';
const SEED = 7;
const EVENTS = 20_000;
const children: ChildProcess[] = [];
// The generator's content (ids, hashes) depends on the seed and count, not on the window's end.
const telemetry = createTelemetry({ seed: SEED, count: EVENTS });

async function emulator(...extra: string[]): Promise<string> {
  const child = spawn(
    process.execPath,
    [BIN, 'emulator', '--port', '0', '--seed', String(SEED), '--events', String(EVENTS), '--token', TOKEN, ...extra],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  children.push(child);
  let out = '';
  return new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening (\S+)/.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`emulator exited ${code}`)));
  });
}

afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGTERM');
});

interface Result {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI (or, given `program`, that program with `args` alone: a shell for a pipeline). */
function s1ql(args: string[], env: Record<string, string>, cwd = ROOT, program?: string): Promise<Result> {
  return new Promise((resolve) => {
    const argv = program === undefined ? [process.execPath, BIN, ...args] : [program, ...args];
    const child = spawn(argv[0] as string, argv.slice(1), { cwd, env: { PATH: process.env.PATH ?? '', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

function expectNoToken(r: Result): void {
  expect(r.stdout).not.toContain(TOKEN);
  expect(r.stderr).not.toContain(TOKEN);
}

function story(id: string) {
  const s = telemetry.stories.find((x) => x.id === id);
  if (s === undefined) throw new Error(`no story ${id}`);
  return { query: s.query, ids: s.queryMatches.map((i) => telemetry.eventAt(i).id) };
}

describe('s1ql run against s1ql emulator', () => {
  it('out of the box (real limits): streams the events of a planted story', async () => {
    const url = await emulator();
    const lsass = story('lsass-access');
    const r = await s1ql(['run', '--last', '8d', lsass.query], { S1_HOST: url, S1_API_TOKEN: TOKEN });
    expect(r.code, r.stderr).toBe(0);
    const events = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(events.map((e) => e.id)).toEqual(lsass.ids);
    expect(events[0]).toMatchObject({ tgtProcName: 'lsass.exe', eventType: 'Open Remote Process Handle' });
    expect(r.stderr).toMatch(/s1ql: 1 event \(query q[0-9a-f]{32}, FINISHED/);
    expectNoToken(r);
  }, 60_000);

  it('csv: values in fields first seen after the header was fixed are counted in a warning, never dropped silently', async () => {
    const dir = mkdtempSync(join(tmpdir(), 's1ql-csv-late-'));
    const at = new Date(Date.now() - 3_600_000).toISOString();
    const events = Array.from({ length: 1100 }, (_, i) => ({
      id: String(i + 1),
      createdAt: at,
      eventType: 'Process Creation',
      objectType: 'process',
      ...(i >= 1000 ? { lateKey: `v${i}` } : {}),
    }));
    writeFileSync(join(dir, 'events.ndjson'), events.map((e) => JSON.stringify(e)).join('\n'));
    const url = await emulator('--rate-limits', 'off', '--data', join(dir, 'events.ndjson'));
    const env = { S1_HOST: url, S1_API_TOKEN: TOKEN, S1QL_RATE_SCALE: '0' };
    const r = await s1ql(['run', '--last', '1d', '--format', 'csv', 'EventType = "Process Creation"'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(1101);
    expect(r.stderr).toContain(
      'warning: 100 values in a field first seen after the first 1000 events are not in the CSV',
    );
    expect(r.stderr).toContain('(lateKey): use --format ndjson or json');
  }, 60_000);

  it('csv: a cell a spreadsheet would run as a formula starts with a quote; numbers and the other formats are as sent', async () => {
    const dir = mkdtempSync(join(tmpdir(), 's1ql-csv-formula-'));
    const at = new Date(Date.now() - 3_600_000).toISOString();
    const lines = ["=cmd|' /C calc'!A0", '+HYPERLINK("http://x")', '@SUM(1+1)', '-2+3', 'cmd.exe /c dir'];
    const events = lines.map((line, i) => ({
      id: String(i + 1),
      createdAt: at,
      eventType: 'Process Creation',
      objectType: 'process',
      tgtProcCmdLine: line,
      pid: -i,
      // Exit codes and ids come as strings: a negative one is a number to a spreadsheet, not a formula.
      exitCode: i === 0 ? '-1073741510' : '-0x1',
    }));
    writeFileSync(join(dir, 'events.json'), JSON.stringify(events));
    const url = await emulator('--rate-limits', 'off', '--data', join(dir, 'events.json'));
    const env = { S1_HOST: url, S1_API_TOKEN: TOKEN, S1QL_RATE_SCALE: '0' };
    const query = 'EventType = "Process Creation"';
    const csv = await s1ql(['run', '--last', '1d', '--format', 'csv', query], env);
    expect(csv.code, csv.stderr).toBe(0);
    const rows = csv.stdout.trim().split('\n');
    const head = rows[0]?.split(',') ?? [];
    const cmd = head.indexOf('tgtProcCmdLine');
    const pid = head.indexOf('pid');
    // Read back by a CSV reader, as a spreadsheet would.
    const { parse } = await import('csv-parse/sync');
    const table = parse(csv.stdout) as string[][];
    expect(table.slice(1).map((r) => r[cmd])).toEqual([
      "'=cmd|' /C calc'!A0",
      '\'+HYPERLINK("http://x")',
      "'@SUM(1+1)",
      "'-2+3",
      'cmd.exe /c dir',
    ]);
    expect(table.slice(1).map((r) => r[pid])).toEqual(['0', '-1', '-2', '-3', '-4']);
    const exit = head.indexOf('exitCode');
    expect(table.slice(1).map((r) => r[exit])).toEqual(['-1073741510', "'-0x1", "'-0x1", "'-0x1", "'-0x1"]);
    const ndjson = await s1ql(['run', '--last', '1d', query], env);
    expect(
      ndjson.stdout
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { tgtProcCmdLine: string }).tgtProcCmdLine),
    ).toEqual(lines);
  }, 60_000);

  it('INPUT may be a pipe: /dev/stdin is read as the query, from a shell pipe (FIFO) or a parent process (socket)', async () => {
    const url = await emulator('--rate-limits', 'off');
    const lsass = story('lsass-access');
    const env = { S1_HOST: url, S1_API_TOKEN: TOKEN, S1QL_RATE_SCALE: '0' };
    const ids = (stdout: string): string[] =>
      stdout
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { id: string }).id);
    const socket = await runCli(['run', '--last', '8d', '/dev/stdin'], { stdin: lsass.query, env, timeoutMs: 60_000 });
    expect(socket.code, socket.stderr).toBe(0);
    expect(ids(socket.stdout)).toEqual(lsass.ids);
    const fifo = await s1ql(
      ['-c', `printf '%s' "$Q" | "${process.execPath}" "${BIN}" run --last 8d /dev/stdin`],
      {
        ...env,
        Q: lsass.query,
      },
      ROOT,
      '/bin/sh',
    );
    expect(fifo.code, fifo.stderr).toBe(0);
    expect(ids(fifo.stdout)).toEqual(lsass.ids);
  }, 60_000);

  it('formats and --out, several queries on one emulator (limits off)', async () => {
    const url = await emulator('--rate-limits', 'off');
    const env = { S1_HOST: url, S1_API_TOKEN: TOKEN, S1QL_RATE_SCALE: '0' };
    const ps = story('encoded-powershell');
    const json = await s1ql(['run', '--format', 'json', '--last', '8d', ps.query], env);
    expect(json.code, json.stderr).toBe(0);
    expect((JSON.parse(json.stdout) as { id: string }[]).map((e) => e.id)).toEqual(ps.ids);
    const csv = await s1ql(['run', '--format', 'csv', '--last', '8d', ps.query], env);
    const rows = csv.stdout.trim().split('\n');
    expect(rows).toHaveLength(ps.ids.length + 1);
    expect(rows[0]?.split(',')).toContain('tgtProcCmdLine');
    const dir = mkdtempSync(join(tmpdir(), 's1ql-run-'));
    const out = await s1ql(
      ['run', '--out', 'events.ndjson', '--last', '8d', '--limit', '1500', 'EventType = "Process Creation"'],
      env,
      dir,
    );
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toBe('');
    const lines = readFileSync(join(dir, 'events.ndjson'), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(1500);
    expect(new Set(lines.map((l) => (JSON.parse(l) as { id: string }).id)).size).toBe(1500);
    expect(out.stderr).toContain('possibly truncated');
    // The token from a file works the same.
    writeFileSync(join(dir, 'token'), `\n${TOKEN}\n`);
    const viaFile = await s1ql(
      ['run', '--token-file', 'token', '--last', '8d', ps.query],
      { S1_HOST: url, S1QL_RATE_SCALE: '0' },
      dir,
    );
    expect(viaFile.code, viaFile.stderr).toBe(0);
    expectNoToken(viaFile);
  }, 60_000);

  it('--site and --account repeat, and the server scopes the query to them', async () => {
    const url = await emulator('--rate-limits', 'off');
    const env = { S1_HOST: url, S1_API_TOKEN: TOKEN, S1QL_RATE_SCALE: '0' };
    const all = Array.from({ length: EVENTS }, (_, i) => telemetry.eventAt(i) as Record<string, unknown>);
    const [site0, site1] = [...new Set(all.map((e) => String(e.siteId)))].sort();
    if (site0 === undefined || site1 === undefined) throw new Error('the telemetry should span two sites');
    const query = 'EventType = "Task Start"';
    const idsOf = (stdout: string): string[] =>
      stdout
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { id: string }).id)
        .sort();
    const expectedFor = (chosen: readonly string[]): string[] =>
      all
        .filter((e) => e.eventType === 'Task Start' && chosen.includes(String(e.siteId)))
        .map((e) => String(e.id))
        .sort();
    const run = (...flags: string[]) => s1ql(['run', '--last', '8d', ...flags, query], env);
    // Four queries at once (limits are off): one site; a second real site repeated with an unknown one, in both
    // orders (both values are sent, so the real site's events come back); two accounts none of the events have.
    const [one, two, three, none] = await Promise.all([
      run('--site', site0),
      run('--site', site1, '--site', '4242'),
      run('--site', '4242', '--site', site1),
      run('--account', '999', '--account', '998'),
    ]);
    for (const r of [one, two, three, none]) expect(r.code, r.stderr).toBe(0);
    expect(idsOf(one.stdout)).toEqual(expectedFor([site0]));
    const second = expectedFor([site1]);
    expect(second.length).toBeGreaterThan(0);
    expect(idsOf(two.stdout)).toEqual(second);
    expect(idsOf(three.stdout)).toEqual(second);
    expect(none.stdout).toBe('');
    expect(none.stderr).toMatch(/s1ql: 0 events/);
  }, 60_000);

  it('a connection cut mid-page is retried: the output is whole and the summary counts the retry', async () => {
    const url = await emulator('--rate-limits', 'off', '--faults', 'cut:events@2');
    const env = { S1_HOST: url, S1_API_TOKEN: TOKEN, S1QL_RATE_SCALE: '0' };
    const r = await s1ql(['run', '--last', '8d', '--limit', '1500', 'EventType = "Process Creation"'], env);
    expect(r.code, r.stderr).toBe(0);
    const ids = r.stdout
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { id: string }).id);
    expect(ids).toHaveLength(1500);
    expect(new Set(ids).size).toBe(1500);
    expect(r.stderr).toMatch(/s1ql: 1500 events \(query q[0-9a-f]{32}, FINISHED, [\d.]+ s, 1 retry, 0 re-runs\)/);
    expectNoToken(r);
  }, 60_000);

  it('--limit above 20000: refused by an older console with the limit it takes; kept by a current-spec one', async () => {
    const env = { S1_API_TOKEN: TOKEN, S1QL_RATE_SCALE: '0' };
    const query = 'EndpointName Exists';
    const older = await s1ql(['run', '--last', '8d', '--limit', '25000', query], {
      ...env,
      S1_HOST: await emulator('--rate-limits', 'off'),
    });
    expect(older.code).toBe(4);
    expect(older.stdout).toBe('');
    expect(older.stderr).toContain('this console returns at most 20000 events per query; give --limit 20000 or less');
    // 20,001 events (a later --events wins): every one is returned by a console that takes limits up to 100000.
    const url = await emulator('--events', '20001', '--rate-limits', 'off', '--faults', 'variant:limit-100000');
    const current = await s1ql(['run', '--last', '8d', '--limit', '25000', query], { ...env, S1_HOST: url });
    expect(current.code, current.stderr).toBe(0);
    expect(current.stdout.trim().split('\n')).toHaveLength(20_001);
    expect(current.stderr).not.toContain('truncated');
  }, 60_000);

  it('usage errors exit 2 before any call, and never repeat the token', async () => {
    // A closed port: a call would be a network failure (5), so 2 proves nothing was sent.
    const env = { S1_HOST: 'http://127.0.0.1:1', S1_API_TOKEN: TOKEN };
    const q = 'EventType = "Process Creation"';
    const cases: [string[], Record<string, string>, RegExp][] = [
      [['run', q, `--token=${TOKEN}`], env, /unknown option '--token=…'/],
      [['sweep', '--iocs', 'x', `--token=${TOKEN}`], env, /unknown option '--token=…'/],
      [['run', q, `--token-file=${TOKEN}`], env, /cannot read the token file named by --token-file: no such file/],
      [
        ['run', q, '--token-file', tmpdir()],
        env,
        /cannot read the token file named by --token-file: it is a directory/,
      ],
      [['run', q], { ...env, S1_API_TOKEN: `${TOKEN}\u200b` }, /invisible or a non-ASCII character/],
      [['run', q, '--timeout', '30d'], env, /--timeout 30d: give at most 24d/],
      [['run', q, '--last', '999999d'], env, /would start before 1970/],
      [['run', q, '--limit', '99999999999999999999'], env, /give a whole number of at least 1/],
      [['run', q, '--limit', '1.5'], env, /give a whole number of at least 1/],
      [['run', q, '--site', ''], env, /--site needs an id/],
      [['run', q, '--from', '2026-02-30'], env, /--from 2026-02-30: no such date/],
      [['run', 'packages', '--last', '1h'], env, /packages is a directory/],
    ];
    for (const [args, e, message] of cases) {
      const r = await s1ql(args, e);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(message);
      expectNoToken(r);
    }
  }, 60_000);

  it('output that cannot be written: a full disk exits 2 saying so; a closed pipe stops quietly', async () => {
    const url = await emulator('--rate-limits', 'off');
    const env = { S1_HOST: url, S1_API_TOKEN: TOKEN, S1QL_RATE_SCALE: '0' };
    const q = 'EventType = "Process Creation"';
    const full = await s1ql(['run', '--last', '8d', '--out', '/dev/full', q], env);
    expect(full.code).toBe(2);
    expect(full.stderr).toContain('cannot write /dev/full: no space left on device');
    expect(full.stderr).not.toMatch(/\n\s+at /);
    // A result small enough to be written only when the output is closed: the failure still comes out.
    const small = await s1ql(['run', '--last', '8d', '--limit', '3', '--out', '/dev/full', q], env);
    expect(small.code, small.stderr).toBe(2);
    expect(small.stderr).toContain('cannot write /dev/full: no space left on device');
    // `| head -c 100`: the reader closes the pipe after the first bytes.
    const pipe = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [BIN, 'run', '--last', '8d', q], {
        env: { PATH: process.env.PATH ?? '', ...env },
      });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
      });
      child.stdout.once('data', () => child.stdout.destroy());
      child.on('close', (code) => resolve({ code, stderr }));
    });
    expect(pipe).toEqual({ code: 0, stderr: '' });
  }, 60_000);

  it('a run that fails after some events says how many were written and that the output is incomplete', async () => {
    const url = await emulator('--rate-limits', 'off', '--faults', 'status:500:events@2+');
    const env = { S1_HOST: url, S1_API_TOKEN: TOKEN, S1QL_RATE_SCALE: '0' };
    const r = await s1ql(['run', '--last', '8d', 'EventType = "Process Creation"'], env);
    expect(r.code).toBe(5);
    expect(r.stdout.trim().split('\n')).toHaveLength(1000);
    expect(r.stderr).toContain('s1ql: 1000 events written before it stopped: the output is incomplete.');
  }, 60_000);

  it('a run that fails before its first event says that nothing was written: an empty --out file is no result', async () => {
    const url = await emulator('--rate-limits', 'off', '--faults', 'state:FAILED');
    const env = { S1_HOST: url, S1_API_TOKEN: TOKEN, S1QL_RATE_SCALE: '0' };
    const dir = mkdtempSync(join(tmpdir(), 's1ql-run-nothing-'));
    const q = 'EventType = "Process Creation"';
    const failed = await s1ql(['run', '--last', '8d', '--out', 'events.ndjson', q], env, dir);
    expect(failed.code).toBe(4);
    expect(readFileSync(join(dir, 'events.ndjson'), 'utf8')).toBe('');
    expect(failed.stderr).toContain(
      's1ql: nothing was written to events.ndjson: the run stopped before its first event.',
    );
    const stdout = await s1ql(['run', '--last', '8d', '--format', 'json', q], env, dir);
    expect(stdout).toMatchObject({ code: 4, stdout: '' });
    expect(stdout.stderr).toContain('s1ql: nothing was written to standard output');
    // A local syntax error sent nothing and says so; nothing more is added.
    const syntax = await s1ql(['run', '--out', 'events.ndjson', 'SrcProcName = = "x"'], env, dir);
    expect(syntax.code).toBe(1);
    expect(syntax.stderr).not.toContain('nothing was written');
  }, 60_000);

  it('exit codes: 1 local syntax (no call), 2 no token, 3 wrong token, 4 failed query, 5 network', async () => {
    // A closed port: any call would be a network failure (5), so 1 proves nothing was sent.
    const syntax = await s1ql(['run', 'SrcProcName = = "x"'], { S1_HOST: 'http://127.0.0.1:1', S1_API_TOKEN: TOKEN });
    expect(syntax.code).toBe(1);
    expect(syntax.stderr).toContain('<query>:1:');

    const url = await emulator('--rate-limits', 'off', '--faults', 'state:FAILED@2');
    const env = { S1_HOST: url, S1QL_RATE_SCALE: '0' };
    const noToken = await s1ql(['run', 'EventType = "Process Creation"'], env);
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toContain('S1_API_TOKEN');

    const auth = await s1ql(['run', 'EventType = "Process Creation"'], { ...env, S1_API_TOKEN: 'wrong-token' });
    expect(auth.code).toBe(3);
    expect(auth.stderr).toContain('401');
    expect(auth.stderr).not.toMatch(/\n\s+at /);

    // The first accepted query succeeds; the second is failed by the emulator with a responseError.
    expect(
      (await s1ql(['run', '--limit', '5', 'EventType = "Process Creation"'], { ...env, S1_API_TOKEN: TOKEN })).code,
    ).toBe(0);
    const failed = await s1ql(['run', 'EventType = "Process Creation"'], { ...env, S1_API_TOKEN: TOKEN });
    expect(failed.code).toBe(4);
    expect(failed.stderr).toContain('the search backend returned an error');
    expectNoToken(failed);

    // Nothing listens: init-query is retried (nothing was sent), with the runner's delays scaled down.
    const down = await s1ql(['run', 'EventType = "Process Creation"'], {
      S1_HOST: 'http://127.0.0.1:1',
      S1_API_TOKEN: TOKEN,
      S1QL_RATE_SCALE: '0.001',
    });
    expect(down.code).toBe(5);
    expect(down.stderr).toContain('ECONNREFUSED');
  }, 60_000);
});

describe('s1ql doctor against s1ql emulator', () => {
  it('out of the box: host, token expiry, DV permission; exit 0', async () => {
    const url = await emulator();
    const r = await s1ql(['doctor'], { S1_HOST: `${url}/`, S1_API_TOKEN: TOKEN });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`ok    host ${url}`);
    expect(r.stderr).toContain('console reachable (system/status: ok)');
    // The emulator's token lives 180 days from 30 days ago: 150 days left.
    const expires = new Date(Date.now() + 150 * 86_400_000).toISOString().slice(0, 10);
    expect(r.stderr).toMatch(new RegExp(`ok {4}token valid, expires ${expires} \\((149|150) days left\\)`));
    expect(r.stderr).toContain('test query started and cancelled');
    expectNoToken(r);
  }, 60_000);

  it('a token past its expiry date is never called valid, even by a console that still accepts it (exit 3)', async () => {
    const { createServer } = await import('node:http');
    const server = createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const url = req.url ?? '';
      const data = url.includes('system/status')
        ? { health: 'ok' }
        : url.includes('api-token-details')
          ? { createdAt: '2026-01-01T00:00:00.000Z', expiresAt: '2026-11-30T00:00:00.000Z' }
          : url.includes('init-query')
            ? { queryId: 'q0123456789abcdef0123456789abcdef' }
            : { success: true };
      res.end(JSON.stringify({ data }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as { port: number };
      const r = await s1ql(['doctor'], { S1_HOST: `http://127.0.0.1:${port}`, S1_API_TOKEN: TOKEN });
      expect(r.code, r.stderr).toBe(3);
      expect(r.stderr).toMatch(/FAIL {2}token expired on 2026-11-30 \(\d+ days? ago\)/);
      expect(r.stderr).not.toContain('token valid');
    } finally {
      server.close();
    }
  });

  it('warns inside 30 days (exit 0); exit 3 on a refused token or a missing permission', async () => {
    // Ten calendar days ahead, at noon: days left count dates, as a person does, whatever the hour now.
    const now = new Date();
    const soon = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 10, 12)).toISOString();
    const url = await emulator('--faults', `token:expires=${soon}`);
    const r = await s1ql(['doctor'], { S1_HOST: url, S1_API_TOKEN: TOKEN });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`warn  token valid, expires ${soon.slice(0, 10)} (10 days left)`);
    const bad = await s1ql(['doctor'], { S1_HOST: url, S1_API_TOKEN: 'nope' });
    expect(bad.code).toBe(3);
    const forbidden = await emulator('--faults', 'token:forbidden');
    const denied = await s1ql(['doctor'], { S1_HOST: forbidden, S1_API_TOKEN: TOKEN });
    expect(denied.code).toBe(3);
    expect(denied.stderr).toContain('SDL Data.viewEdr');
    expectNoToken(denied);
  }, 60_000);
});

describe('s1ql doctor when the console is partial or failing', () => {
  it('a console without users/api-token-details: a warning, exit 0', async () => {
    const url = await emulator('--rate-limits', 'off', '--faults', 'status:404:api-token-details');
    const r = await s1ql(['doctor'], { S1_HOST: url, S1_API_TOKEN: TOKEN, S1QL_RATE_SCALE: '0' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('warn  this console does not offer users/api-token-details (404); expiry unknown');
  }, 60_000);

  it('a test query that cannot be cancelled is named, so it can be found', async () => {
    const url = await emulator('--rate-limits', 'off', '--faults', 'drop:cancel-query');
    const r = await s1ql(['doctor'], { S1_HOST: url, S1_API_TOKEN: TOKEN, S1QL_RATE_SCALE: '0' });
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(
      /FAIL .*the test query q[0-9a-f]{32} \(one event, the last minute\) could not be cancelled/,
    );
    expectNoToken(r);
  }, 60_000);
});

describe('s1ql sweep against s1ql emulator', () => {
  it('--dry-run prints the planned queries and sends nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 's1ql-sweep-'));
    writeFileSync(join(dir, 'iocs.txt'), '44d88612fea8a8f36de82e1278abb02f\n203.0.113.7\n');
    const r = await s1ql(['sweep', '--iocs', 'iocs.txt', '--dry-run'], {}, dir);
    expect(r.code).toBe(0);
    // A hash and an IP: the fewest queries is one, each kind in its own fields.
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('TgtFileMd5 In AnyCase ("44d88612fea8a8f36de82e1278abb02f")');
    expect(lines[0]).toContain('DstIP In AnyCase ("203.0.113.7")');
    expect(r.stderr).toContain('s1ql: 1 query for 2 IOCs (dry run: nothing sent)');
    // 600 IPs: as many queries as their text needs (not one per 100), one per line, each within the length limit.
    const many = Array.from({ length: 600 }, (_, i) => `198.18.${i >> 8}.${i & 255}`);
    writeFileSync(join(dir, 'many.txt'), many.join('\n'));
    const planned = await s1ql(['sweep', '--iocs', 'many.txt', '--dry-run'], {}, dir);
    const texts = planned.stdout.trim().split('\n');
    expect(texts).toHaveLength(3);
    for (const t of texts) expect(t.length).toBeLessThanOrEqual(8000);
    expect(many.every((ip) => texts.some((t) => t.includes(`"${ip}"`)))).toBe(true);
    writeFileSync(join(dir, 'one.txt'), '203.0.113.7\n');
    const one = await s1ql(['sweep', '--iocs', 'one.txt', '--dry-run'], {}, dir);
    expect(one.stderr).toContain('s1ql: 1 query for 1 IOC (dry run: nothing sent)');
    // A list that is not UTF-8 is refused, not planned with replacement characters in its values.
    writeFileSync(join(dir, 'latin1.txt'), Buffer.from('evil.com\nb\xe9b\xe9.com\n', 'latin1'));
    const bad = await s1ql(['sweep', '--iocs', 'latin1.txt', '--dry-run'], {}, dir);
    expect(bad).toMatchObject({ code: 2, stdout: '' });
    expect(bad.stderr).toContain('cannot read latin1.txt: not valid UTF-8');
  });

  it('finds the planted IOCs and none of the absent ones', async () => {
    const url = await emulator('--rate-limits', 'off');
    const lsass = telemetry.eventAt(telemetry.stories.find((s) => s.id === 'lsass-access')?.queryMatches[0] ?? 0);
    const sha1 = String(lsass.srcProcImageSha1);
    let ip = '';
    for (let i = 0; i < telemetry.count && ip === ''; i++) {
      const v = telemetry.eventAt(i).dstIp;
      if (typeof v === 'string' && v !== '') ip = v;
    }
    expect(ip).not.toBe('');
    // The bad-domain story resolves a host under BAD_DOMAINS[0]; the planner matches DNS requests exactly, so the
    // IOC is the full name the story resolved (a bare parent domain does not match its subdomains: see report).
    const dns = telemetry.eventAt(telemetry.stories.find((s) => s.id === 'bad-domain-dns')?.queryMatches[0] ?? 0);
    const domain = String(dns.dnsRequest);
    expect(domain.endsWith(`.${BAD_DOMAINS[0]}`)).toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 's1ql-sweep-'));
    writeFileSync(join(dir, 'iocs.txt'), [domain, sha1, ip, '203.0.113.77', 'no-such-domain.example'].join('\n'));
    const r = await s1ql(
      ['sweep', '--iocs', 'iocs.txt', '--format', 'json', '--last', '8d'],
      { S1_HOST: url, S1_API_TOKEN: TOKEN, S1QL_RATE_SCALE: '0' },
      dir,
    );
    expect(r.code, r.stderr).toBe(0);
    const { hits } = JSON.parse(r.stdout) as { hits: { ioc: string; hits: number; endpoints: string[] }[] };
    const of = (ioc: string) => hits.find((h) => h.ioc === ioc);
    expect(of(domain)?.hits).toBeGreaterThanOrEqual(1);
    expect(of(domain)?.endpoints).toContain(String(dns.endpointName));
    expect(of(sha1)?.hits).toBeGreaterThanOrEqual(1);
    expect(of(ip)?.hits).toBeGreaterThanOrEqual(1);
    expect(of('203.0.113.77')?.hits).toBe(0);
    expect(of('no-such-domain.example')?.hits).toBe(0);
    expect(r.stderr).toContain('3 of 5 IOCs seen');
    expectNoToken(r);
    // The other formats of the run options: one record per IOC.
    const env = { S1_HOST: url, S1_API_TOKEN: TOKEN, S1QL_RATE_SCALE: '0' };
    const csv = await s1ql(['sweep', '--iocs', 'iocs.txt', '--format', 'csv', '--last', '8d'], env, dir);
    const rows = csv.stdout.trim().split('\n');
    expect(rows[0]).toBe('ioc,kind,input,hits,firstSeen,lastSeen,endpoints,status');
    expect(rows).toHaveLength(6);
    const ndjson = await s1ql(['sweep', '--iocs', 'iocs.txt', '--format', 'ndjson', '--last', '8d'], env, dir);
    const records = ndjson.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { ioc: string; hits: number });
    expect(records.map((x) => [x.ioc, x.hits])).toEqual(hits.map((h) => [h.ioc, h.hits]));
    // Every record has every key: an IOC not seen has firstSeen null, not a missing key.
    for (const x of records)
      expect(Object.keys(x)).toEqual(expect.arrayContaining(['firstSeen', 'lastSeen', 'status']));

    // The same sweep, with 600 absent IPs so that it takes several queries, where one of them fails: what the
    // others found is still reported, each IOC marked as checked or not, with the failure's exit code.
    const absent = Array.from({ length: 600 }, (_, i) => `198.18.${i >> 8}.${i & 255}`);
    writeFileSync(
      join(dir, 'more.txt'),
      [domain, sha1, ip, '203.0.113.77', 'no-such-domain.example', ...absent].join('\n'),
    );
    const failing = await emulator('--rate-limits', 'off', '--faults', 'state:FAILED@2');
    const partial = await s1ql(
      ['sweep', '--iocs', 'more.txt', '--format', 'json', '--last', '8d'],
      { S1_HOST: failing, S1_API_TOKEN: TOKEN, S1QL_RATE_SCALE: '0' },
      dir,
    );
    expect(partial.code).toBe(4);
    expect(partial.stderr).toMatch(/the sweep is incomplete: \d+ IOCs? not checked/);
    const after = (JSON.parse(partial.stdout) as { hits: { ioc: string; hits: number; status: string }[] }).hits;
    expect(after.map((h) => h.ioc).sort()).toEqual([...hits.map((h) => h.ioc), ...absent].sort());
    expect(after.some((h) => h.status === 'complete')).toBe(true);
    expect(after.some((h) => h.status === 'not-checked')).toBe(true);
    for (const h of after) {
      if (h.status === 'complete') expect(h.hits).toBe(of(h.ioc)?.hits ?? 0);
      else expect(h.hits).toBe(0);
    }
  }, 60_000);
});

describe('s1ql sweep counts a hit only where its query looked', () => {
  it('an IOC mentioned in another field of an event returned for a neighbour IOC is not a hit', async () => {
    const dir = mkdtempSync(join(tmpdir(), 's1ql-sweep-fields-'));
    const at = new Date(Date.now() - 3_600_000).toISOString();
    const events = [
      // Returned for bad.example (its DNS request); evil.example only in the command line.
      { eventType: 'DNS Resolved', objectType: 'dns', dnsRequest: 'bad.example', srcProcCmdLine: 'curl evil.example' },
      // Returned for 198.51.100.7 (its destination); 198.51.100.9 only as the agent's own address.
      { eventType: 'IP Connect', objectType: 'ip', dstIp: '198.51.100.7', srcIp: '10.0.0.5', agentIp: '198.51.100.9' },
    ].map((e, i) => ({ ...e, id: String(i + 1), createdAt: at, endpointName: 'host-1' }));
    writeFileSync(join(dir, 'events.ndjson'), events.map((e) => JSON.stringify(e)).join('\n'));
    writeFileSync(join(dir, 'iocs.txt'), ['bad.example', 'evil.example', '198.51.100.7', '198.51.100.9'].join('\n'));
    const url = await emulator('--rate-limits', 'off', '--data', join(dir, 'events.ndjson'));
    const r = await s1ql(
      ['sweep', '--iocs', 'iocs.txt', '--format', 'json', '--last', '1d'],
      { S1_HOST: url, S1_API_TOKEN: TOKEN, S1QL_RATE_SCALE: '0' },
      dir,
    );
    expect(r.code, r.stderr).toBe(0);
    const hits = (JSON.parse(r.stdout) as { hits: { ioc: string; hits: number }[] }).hits;
    expect(Object.fromEntries(hits.map((h) => [h.ioc, h.hits]))).toEqual({
      'bad.example': 1,
      'evil.example': 0,
      '198.51.100.7': 1,
      '198.51.100.9': 0,
    });
    expect(r.stderr).toContain('2 of 4 IOCs seen');
  }, 60_000);
});

describe('a console that quotes the token back', () => {
  /** A stand-in console whose every answer repeats the Authorization header's token in its own words. */
  async function echoingConsole(mode: '401' | '403' | '500' | 'failed'): Promise<{ url: string; close: () => void }> {
    const { createServer } = await import('node:http');
    const server = createServer((req, res) => {
      const token = String(req.headers.authorization ?? '').replace(/^ApiToken /, '');
      const json = (status: number, body: unknown): void => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      const error = (status: number, code: number) =>
        json(status, { errors: [{ code, title: `refused ${token}`, detail: `token ${token} is not valid here` }] });
      if (mode === '401') return error(401, 4010010);
      if (mode === '403') return error(403, 4030010);
      if (mode === '500') return error(500, 5000010);
      if (req.url?.includes('init-query')) return json(200, { data: { queryId: 'q0123456789abcdef0123456789abcdef' } });
      if (req.url?.includes('query-status')) {
        return json(200, { data: { responseState: 'FAILED', progressStatus: 0, responseError: `bad token ${token}` } });
      }
      if (req.url?.includes('cancel-query')) return json(200, { data: { success: true } });
      return json(404, { errors: [{ code: 4040010, title: `Query Not Found for ${token}` }] });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    return { url: `http://127.0.0.1:${port}`, close: () => server.close() };
  }

  it('never prints the token: run and doctor, whatever the console says', async () => {
    for (const mode of ['401', '403', '500', 'failed'] as const) {
      const stand = await echoingConsole(mode);
      try {
        const env = { S1_HOST: stand.url, S1_API_TOKEN: TOKEN, S1QL_RATE_SCALE: '0' };
        const run = await s1ql(['run', '--last', '1d', '--timeout', '20s', 'EventType = "Process Creation"'], env);
        expect(run.code, `${mode}: ${run.stderr}`).toBe(
          mode === '401' || mode === '403' ? 3 : mode === 'failed' ? 4 : 5,
        );
        // The console's words are kept, with the token replaced.
        expect(run.stderr, mode).toContain('<token>');
        expectNoToken(run);
        const doctor = await s1ql(['doctor'], env);
        expectNoToken(doctor);
      } finally {
        stand.close();
      }
    }
  }, 120_000);
});
