import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { ROOT, runCli } from './run-cli.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 's1ql-cli-'));
});

describe('s1ql', () => {
  it('--version prints the version and exits 0; --help lists every command', async () => {
    const { version } = JSON.parse(await readFile(join(ROOT, 'packages/cli/package.json'), 'utf8')) as {
      version: string;
    };
    for (const flag of ['--version', '-V']) {
      expect(await runCli([flag])).toMatchObject({ code: 0, stdout: `${version}\n`, stderr: '' });
    }
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    for (const command of ['parse', 'fmt', 'start', 'check', 'lint', 'run', 'sweep', 'doctor', 'emulator']) {
      expect(help.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
    }
  });
});

describe('s1ql parse', () => {
  it('exits 0 on valid input and prints nothing', async () => {
    const r = await runCli(['parse', '-'], { stdin: 'EventType = "Process Creation"' });
    expect(r).toMatchObject({ code: 0, stdout: '', stderr: '' });
  });

  it('reports file:line:col: severity code message on stderr and exits 1', async () => {
    await writeFile(join(dir, 'bad.s1ql'), 'EventType = "Process Creation"\nAND TgtProcName In ContainsCIS ("a")\n');
    const r = await runCli(['parse', join(dir, 'bad.s1ql')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${join(dir, 'bad.s1ql')}:2:17: error P209 `);
  });

  it('names standard input "-"', async () => {
    const r = await runCli(['parse', '-'], { stdin: 'A = "1" AND' });
    expect(r.stderr.trim()).toBe('-:1:9: error P207 AND needs a condition after it.');
    expect(r.code).toBe(1);
  });

  it('--json prints one line per file with file, ast and diagnostics', async () => {
    await writeFile(join(dir, 'a.s1ql'), 'A = "1"');
    await writeFile(join(dir, 'b.s1ql'), 'B =');
    await writeFile(join(dir, 'ignored.txt'), 'not a hunt');
    const r = await runCli(['parse', '--json', dir]);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.file)).toEqual([join(dir, 'a.s1ql'), join(dir, 'b.s1ql')]);
    expect(lines[0].ast.expr.kind).toBe('Predicate');
    expect(lines[1].diagnostics[0].code).toBe('P204');
    expect(r.code).toBe(1);
  });

  it('exits 2 for a missing file, an unknown flag, or an unknown dialect', async () => {
    expect((await runCli(['parse', join(dir, 'nope.s1ql')])).code).toBe(2);
    expect((await runCli(['parse', '--bogus', '-'])).code).toBe(2);
    const dialect = await runCli(['parse', '--dialect', 'sql', '-']);
    expect(dialect.code).toBe(2);
    expect(dialect.stderr).toContain('--dialect');
  });

  it('--help exits 0', async () => {
    const r = await runCli(['parse', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('--json');
  });
});

describe('s1ql fmt', () => {
  const messy = 'eventtype = "Process Creation" and tgtprocname containscis "x"';
  const canonical = 'EventType = "Process Creation" AND TgtProcName Contains AnyCase "x"\n';

  it('prints the canonical form to stdout', async () => {
    const r = await runCli(['fmt', '-'], { stdin: messy });
    expect(r).toMatchObject({ code: 0, stdout: canonical });
  });

  it('--check prints nothing on stdout and exits 1 when a file would change', async () => {
    await writeFile(join(dir, 'messy.s1ql'), messy);
    await writeFile(join(dir, 'clean.s1ql'), canonical);
    const r = await runCli(['fmt', '--check', dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('messy.s1ql');
    expect(r.stderr).not.toContain('clean.s1ql');
    expect((await runCli(['fmt', '--check', join(dir, 'clean.s1ql')])).code).toBe(0);
  });

  it('--write rewrites files in place, keeping comments', async () => {
    const file = join(dir, 'h.s1ql');
    await writeFile(file, `-- label\n${messy}`);
    const r = await runCli(['fmt', '--write', file]);
    expect(r.code).toBe(0);
    expect(await readFile(file, 'utf8')).toBe(`-- label\n${canonical}`);
  });

  it('refuses to format a query with syntax errors (exit 1, file untouched)', async () => {
    const file = join(dir, 'broken.s1ql');
    await writeFile(file, 'A = ');
    const r = await runCli(['fmt', '--write', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('P204');
    expect(await readFile(file, 'utf8')).toBe('A = ');
  });

  it('--check with --write is a usage error', async () => {
    expect((await runCli(['fmt', '--check', '--write', '-'])).code).toBe(2);
  });
});
