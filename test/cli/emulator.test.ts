import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { BIN, ROOT, runCli } from './run-cli.ts';

const TOKEN = 'cli-test-token-value';

function startCli(args: readonly string[]) {
  const child = spawn(process.execPath, [BIN, 'emulator', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const listening = new Promise<string>((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      const m = /^listening (http:\/\/127\.0\.0\.1:\d+)\n/m.exec(stdout);
      if (m?.[1]) resolve(m[1]);
    });
    child.on('exit', () => reject(new Error(`exited before listening: ${stderr}`)));
  });
  return { child, listening, exited, output: () => ({ stdout, stderr }) };
}

describe('s1ql emulator', () => {
  it('serves a full init → status → events cycle and exits 0 on SIGTERM', async () => {
    const cli = startCli(['--port', '0', '--events', '1000', '--seed', '1', '--token', TOKEN, '--rate-limits', 'off']);
    const base = await cli.listening;
    expect(cli.output().stdout).toMatch(/^listening http:\/\/127\.0\.0\.1:\d+\n$/);
    const headers = { authorization: `ApiToken ${TOKEN}`, 'content-type': 'application/json' };
    const api = `${base}/web/api/v2.1`;
    const now = new Date();
    const init = await fetch(`${api}/dv/init-query`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        query: 'TgtProcCmdLine Contains AnyCase "-enc"',
        fromDate: new Date(now.getTime() - 8 * 86_400_000).toISOString(),
        toDate: new Date(now.getTime() + 60_000).toISOString(),
        limit: 100,
        queryType: ['events'],
      }),
    });
    expect(init.status).toBe(200);
    const { data } = (await init.json()) as { data: { queryId: string } };
    let state = '';
    for (let i = 0; i < 100 && state !== 'FINISHED'; i++) {
      const status = await fetch(`${api}/dv/query-status?queryId=${data.queryId}`, { headers });
      state = ((await status.json()) as { data: { responseState: string } }).data.responseState;
      if (state !== 'FINISHED') await new Promise((r) => setTimeout(r, 100));
    }
    expect(state).toBe('FINISHED');
    const page = await fetch(`${api}/dv/events?queryId=${data.queryId}&limit=1000`, { headers });
    const body = (await page.json()) as { data: { tgtProcCmdLine: string }[]; pagination: { totalItems: number } };
    expect(body.pagination.totalItems).toBe(1);
    expect(body.data[0]?.tgtProcCmdLine).toContain('-enc ');
    const wrong = await fetch(`${api}/system/status`, { headers: { authorization: 'ApiToken nope' } });
    expect(wrong.status).toBe(401);
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toBe(0);
    const { stdout, stderr } = cli.output();
    expect(stdout + stderr).not.toContain(TOKEN);
  });

  it('exits 2 on bad flags with a clear message', async () => {
    const badFaults = await runCli(['emulator', '--faults', 'boom@3']);
    expect(badFaults.code).toBe(2);
    expect(badFaults.stderr).toContain('--faults');
    const badLimits = await runCli(['emulator', '--rate-limits', 'sometimes']);
    expect(badLimits.code).toBe(2);
    expect(badLimits.stderr).toContain('--rate-limits');
    const badPort = await runCli(['emulator', '--port', 'eighty']);
    expect(badPort.code).toBe(2);
    const missing = await runCli(['emulator', '--data', '/no/such/file.ndjson']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('/no/such/file.ndjson');
    expect(missing.stderr).toContain('no such file or directory');
  });

  it('documents the fault language in --help', async () => {
    const help = await runCli(['emulator', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('expire-cursor');
    expect(help.stdout).toContain('--rate-limits');
  });
});
