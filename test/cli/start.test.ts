import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.ts';

describe('s1ql start (the Quick start main job)', () => {
  it('checks the example library, runs every hunt against the embedded emulator and finds the planted stories', async () => {
    const r = await runCli(['start', '--events', '20000'], { timeoutMs: 120_000 });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Example library .*: \d+ hunts/);
    expect(r.stdout).toContain('0 errors, 0 warnings');
    expect(r.stdout).toMatch(/Embedded DV API emulator at http:\/\/127\.0\.0\.1:\d+/);
    expect(r.stdout).toContain('Planted stories found: 5 of 5');
    expect(r.stdout).not.toContain('failed:');
  });

  it('a single hunt given instead of a folder is named in its findings', async () => {
    const dir = mkdtempSync(join(tmpdir(), 's1ql-start-'));
    writeFileSync(join(dir, 'bad.s1ql'), 'EventType = AND TgtProcName = "x"');
    const r = await runCli(['start', join(dir, 'bad.s1ql'), '--events', '2000'], { timeoutMs: 60_000 });
    expect(r.stdout).toMatch(/Example library .*: 1 hunt\b/);
    expect(r.stdout).toMatch(/bad\.s1ql:1:\d+: error P204/);
  });

  it('rejects a bad --events with exit 2', async () => {
    const r = await runCli(['start', '--events', 'many']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--events');
  });
});
