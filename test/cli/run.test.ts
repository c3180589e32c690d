/**
 * `s1ql run`, `sweep` and `doctor` end to end: the real CLI process against a DV API server process on a loopback
 * port (packages/runner/test/serve.ts; switch to `s1ql emulator` once it lands), with the token in the environment.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'packages/cli/src/bin.ts');
const SERVE = join(ROOT, 'packages/runner/test/serve.ts');
const TOKEN = 'cli-SECRET-token-5f2a9c';
const children: ChildProcess[] = [];

interface Server {
  readonly url: string;
  readonly calls: () => { endpoint: string; time: number }[];
}

async function serve(options: Record<string, unknown> = {}): Promise<Server> {
  const child = spawn(process.execPath, [SERVE], {
    env: { ...process.env, DV_SERVER_OPTIONS: JSON.stringify({ token: TOKEN, ...options }) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  let out = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setInterval(() => {
      const m = /listening (\S+)/.exec(out);
      if (m?.[1]) {
        clearInterval(timer);
        resolve(m[1]);
      }
    }, 10);
    child.once('exit', () => reject(new Error('server exited')));
  });
  return {
    url,
    calls: () =>
      out
        .split('\n')
        .filter((l) => l.startsWith('call '))
        .map((l) => JSON.parse(l.slice(5)) as { endpoint: string; time: number }),
  };
}

afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGTERM');
});

interface Result {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function s1ql(args: string[], env: Record<string, string>, cwd = ROOT): Promise<Result> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd,
      env: { PATH: process.env.PATH ?? '', S1QL_RATE_SCALE: '0.001', ...env },
    });
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

const Q = 'EventType = "Process Creation"';

function expectNoToken(r: Result): void {
  expect(r.stdout).not.toContain(TOKEN);
  expect(r.stderr).not.toContain(TOKEN);
}

describe('s1ql run', () => {
  it('streams ndjson, json, csv and table, and --out', async () => {
    const s = await serve({ events: 25 });
    const env = { S1_HOST: s.url, S1_API_TOKEN: TOKEN };
    const nd = await s1ql(['run', '--from', '2026-01-01T00:00:00Z', '--to', '2026-01-02T00:00:00Z', Q], env);
    expect(nd.code).toBe(0);
    const lines = nd.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string });
    expect(lines.map((e) => e.id)).toEqual(Array.from({ length: 25 }, (_, i) => String(i + 1).padStart(18, '0')));
    expect(nd.stderr).toMatch(/s1ql: 25 events \(query q[0-9a-f]{32}, FINISHED/);
    expectNoToken(nd);

    const json = await s1ql(['run', '--format', 'json', '--last', '1h', Q], env);
    expect(json.code).toBe(0);
    expect((JSON.parse(json.stdout) as unknown[]).length).toBe(25);

    const csv = await s1ql(['run', '--format', 'csv', Q], env);
    const rows = csv.stdout.trim().split('\n');
    expect(rows[0]).toBe('id,eventType,agentName,createdAt,srcProcName');
    expect(rows).toHaveLength(26);
    expect(rows[1]).toBe('000000000000000001,Process Creation,host-0,2026-01-01T00:00:00.000Z,cmd.exe');

    const table = await s1ql(['run', '--format', 'table', Q], env);
    expect(table.stdout).toContain('│ 2026-01-01T00:00:00.000Z │ host-0');
    expect(table.stdout).not.toContain('\u001b[');

    const dir = mkdtempSync(join(tmpdir(), 's1ql-run-'));
    const out = await s1ql(['run', '--out', 'events.ndjson', Q], env, dir);
    expect(out.code).toBe(0);
    expect(out.stdout).toBe('');
    expect(readFileSync(join(dir, 'events.ndjson'), 'utf8').trim().split('\n')).toHaveLength(25);
  }, 30_000);

  it('reads the query from a .s1ql file and from stdin-free YAML hunts; warns when possibly truncated', async () => {
    const s = await serve({ events: 40 });
    const dir = mkdtempSync(join(tmpdir(), 's1ql-run-'));
    writeFileSync(join(dir, 'hunt.s1ql'), `-- hunt\n${Q}\n`);
    writeFileSync(join(dir, 'hunt.yml'), `title: t\nquery: ${JSON.stringify(Q)}\n`);
    const env = { S1_HOST: s.url, S1_API_TOKEN: TOKEN };
    const r = await s1ql(['run', '--limit', '40', 'hunt.s1ql'], env, dir);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('possibly truncated');
    const y = await s1ql(['run', 'hunt.yml'], env, dir);
    expect(y.code).toBe(0);
    expect(y.stdout.trim().split('\n')).toHaveLength(40);
    expect(y.stderr).not.toContain('truncated');
  }, 30_000);

  it('exit codes: 1 local syntax (no call), 2 usage/no token, 3 auth, 4 server failure, 5 network', async () => {
    const s = await serve();
    const syntax = await s1ql(['run', 'SrcProcName = = "x"'], { S1_HOST: s.url, S1_API_TOKEN: TOKEN });
    expect(syntax.code).toBe(1);
    expect(syntax.stderr).toContain('<query>:1:');
    expect(s.calls()).toHaveLength(0);

    const noToken = await s1ql(['run', Q], { S1_HOST: s.url });
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toContain('S1_API_TOKEN');
    expect((await s1ql(['run', '--api', 'pq', Q], { S1_HOST: s.url, S1_API_TOKEN: TOKEN })).code).toBe(2);
    expect((await s1ql(['run', Q], { S1_HOST: 'http://example.com', S1_API_TOKEN: TOKEN })).code).toBe(2);

    const auth = await s1ql(['run', Q], { S1_HOST: s.url, S1_API_TOKEN: 'wrong' });
    expect(auth.code).toBe(3);
    expect(auth.stderr).toContain('401');
    expect(auth.stderr).not.toMatch(/\n\s+at /);

    const failing = await serve({ finalState: 'FAILED', responseError: 'storage unavailable' });
    const failed = await s1ql(['run', Q], { S1_HOST: failing.url, S1_API_TOKEN: TOKEN });
    expect(failed.code).toBe(4);
    expect(failed.stderr).toContain('storage unavailable');
    expectNoToken(failed);

    const down = await s1ql(['run', Q], { S1_HOST: 'http://127.0.0.1:1', S1_API_TOKEN: TOKEN });
    expect(down.code).toBe(5);
    expect(down.stderr).toContain('ECONNREFUSED');
  }, 30_000);

  it('reads the token from --token-file and never shows it', async () => {
    const s = await serve();
    const dir = mkdtempSync(join(tmpdir(), 's1ql-run-'));
    writeFileSync(join(dir, 'token'), `\n${TOKEN}\n`);
    const r = await s1ql(['run', '--token-file', 'token', Q], { S1_HOST: s.url }, dir);
    expect(r.code).toBe(0);
    expectNoToken(r);
  }, 30_000);
});

describe('s1ql doctor', () => {
  it('reports host, token expiry and DV permission, leaving no query running', async () => {
    const s = await serve();
    const r = await s1ql(['doctor'], { S1_HOST: `${s.url}/`, S1_API_TOKEN: TOKEN });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/ok {4}token valid, expires \d{4}-\d{2}-\d{2} \(\d+ days left\)/);
    expect(r.stderr).toContain('test query started and cancelled');
    expect(s.calls().map((c) => c.endpoint)).toEqual([
      'system/status',
      'users/api-token-details',
      'dv/init-query',
      'dv/cancel-query',
    ]);
    expectNoToken(r);
  }, 30_000);

  it('warns inside 30 days and still exits 0; exits 3 on a refused token', async () => {
    const soon = new Date(Date.now() + 10 * 86_400_000 + 3_600_000).toISOString();
    const s = await serve({ tokenExpiresAt: soon });
    const r = await s1ql(['doctor'], { S1_HOST: s.url, S1_API_TOKEN: TOKEN });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`warn  token valid, expires ${soon.slice(0, 10)} (10 days left)`);
    const bad = await s1ql(['doctor'], { S1_HOST: s.url, S1_API_TOKEN: 'nope' });
    expect(bad.code).toBe(3);
    const permission = await serve({ faults: [{ endpoint: 'dv/init-query', nth: 1, kind: '403' }] });
    const denied = await s1ql(['doctor'], { S1_HOST: permission.url, S1_API_TOKEN: TOKEN });
    expect(denied.code).toBe(3);
    expect(denied.stderr).toContain('SDL Data.viewEdr');
  }, 30_000);
});

describe('s1ql sweep', () => {
  it('--dry-run prints the planned queries and sends nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 's1ql-sweep-'));
    writeFileSync(join(dir, 'iocs.txt'), '44d88612fea8a8f36de82e1278abb02f\n203.0.113.7\n');
    const r = await s1ql(['sweep', '--iocs', 'iocs.txt', '--dry-run'], {}, dir);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain('"44d88612fea8a8f36de82e1278abb02f"');
    expect(lines[1]).toContain('"203.0.113.7"');
  });

  it('finds a planted IOC', async () => {
    const plant = {
      id: '999999999999999999',
      eventType: 'Open Remote Process Handle',
      endpointName: 'victim-01',
      eventTime: '2026-01-01T12:00:00.000Z',
      tgtFileMd5: '44D88612FEA8A8F36DE82E1278ABB02F',
    };
    const s = await serve({ events: 5, plant: [plant] });
    const dir = mkdtempSync(join(tmpdir(), 's1ql-sweep-'));
    writeFileSync(join(dir, 'iocs.txt'), '44d88612fea8a8f36de82e1278abb02f\n203.0.113.7\n');
    const r = await s1ql(
      ['sweep', '--iocs', 'iocs.txt', '--format', 'json'],
      { S1_HOST: s.url, S1_API_TOKEN: TOKEN },
      dir,
    );
    expect(r.code).toBe(0);
    const { hits } = JSON.parse(r.stdout) as {
      hits: { ioc: string; hits: number; endpoints: string[]; firstSeen: string }[];
    };
    const md5 = hits.find((h) => h.ioc === '44d88612fea8a8f36de82e1278abb02f');
    expect(md5).toMatchObject({ hits: 1, endpoints: ['victim-01'], firstSeen: '2026-01-01T12:00:00.000Z' });
    expect(hits.find((h) => h.ioc === '203.0.113.7')?.hits).toBe(0);
    expect(s.calls().filter((c) => c.endpoint === 'dv/init-query')).toHaveLength(2);
  }, 30_000);
});
