/**
 * The command surface as a script written against design/CLI.md sees it: usage errors are exit 2 with one line on
 * stderr and nothing on stdout, whatever the command; inputs that are not plain files are read as files.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { BIN, runCli } from './run-cli.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 's1ql-usage-'));
});

describe('usage errors', () => {
  it('no command, or help for an unknown one, is a usage error (exit 2), the help on stderr', async () => {
    for (const args of [[], ['help', 'nope']]) {
      const r = await runCli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout, args.join(' ')).toBe('');
      expect(r.stderr, args.join(' ')).toContain('Usage: s1ql');
    }
  });

  it('an unknown command is exit 2 with --help too (a script must not take it for a working command)', async () => {
    for (const args of [['nope'], ['nope', '--help'], ['translate', '--help'], ['editor', '-h']]) {
      const r = await runCli(args);
      expect(r, args.join(' ')).toMatchObject({ code: 2, stdout: '' });
      expect(r.stderr.trim(), args.join(' ')).toMatch(new RegExp(`^s1ql: unknown command '${args[0]}'`));
    }
  });

  it('an unknown flag, a missing argument or a flag without its value: one line naming it, exit 2', async () => {
    const cases: [string[], string][] = [
      [['parse', '--bogus', '-'], "s1ql parse: unknown option '--bogus'; run s1ql parse --help for usage"],
      [['parse'], "s1ql parse: missing required argument 'input'; run s1ql parse --help for usage"],
      [['lint', '--format'], "s1ql lint: option '--format <format>' argument missing; run s1ql lint --help for usage"],
      [
        ['parse', '--jsn', '-'],
        "s1ql parse: unknown option '--jsn' (Did you mean --json?); run s1ql parse --help for usage",
      ],
      [['--bogus'], "s1ql: unknown option '--bogus'; run s1ql --help for usage"],
      [['run', 'q', '--token=secret'], "s1ql run: unknown option '--token=…'; run s1ql run --help for usage"],
    ];
    for (const [args, line] of cases) {
      const r = await runCli(args);
      expect(r, args.join(' ')).toMatchObject({ code: 2, stdout: '', stderr: `${line}\n` });
    }
  });

  it('check names the format it refuses, as lint does', async () => {
    const r = await runCli(['check', '--format', 'xml', dir]);
    expect(r).toMatchObject({
      code: 2,
      stdout: '',
      stderr: 's1ql: --format must be one of stylish, json, sarif, github, not xml\n',
    });
  });

  it('doctor says a missing setting once', async () => {
    const r = await runCli(['doctor'], { env: { S1_HOST: '', S1_API_TOKEN: '', S1_API_TOKEN_FILE: '' } });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toEqual([
      'FAIL  no console host: give --host or set S1_HOST (for example usea1-acme.sentinelone.net)',
    ]);
  });
});

describe('inputs that are not regular files', () => {
  it('/dev/stdin on a pipe (and a shell process substitution, <(...)) is read as a file', async () => {
    for (const command of ['parse', 'fmt', 'lint']) {
      // A real pipe, as a shell makes it (Node's own child stdin is a socket, which /dev/stdin cannot open).
      const r = spawnSync('sh', ['-c', `printf 'A == "1"' | "$0" "$1" ${command} /dev/stdin`, process.execPath, BIN], {
        encoding: 'utf8',
        env: { ...process.env, NO_COLOR: '1' },
      });
      expect(r.status, `${command}: ${r.stderr}`).toBe(1);
      // parse and fmt say it on stderr, lint's report is on stdout.
      expect(r.stdout + r.stderr, command).toMatch(/^\/dev\/stdin(:1:3: error P209|\n[\s\S]*1:3\s+error .*P209)/m);
    }
  });

  it('a path through a file is "not a directory", in words', async () => {
    await writeFile(join(dir, 'a.s1ql'), 'A = "1"');
    const r = await runCli(['parse', 'a.s1ql/b.s1ql'], { cwd: dir });
    expect(r).toMatchObject({ code: 2, stdout: '', stderr: 's1ql: cannot read a.s1ql/b.s1ql: not a directory\n' });
  });
});

describe('files that cannot be written', () => {
  /** Makes every fs/promises writeFile fail as a read-only file does (root writes any file, so chmod cannot). */
  async function readOnly(): Promise<NodeJS.ProcessEnv> {
    const preload = join(dir, 'read-only.mjs');
    await writeFile(
      preload,
      `import fs from 'node:fs/promises';
import { syncBuiltinESMExports } from 'node:module';
fs.writeFile = async (p) => {
  throw Object.assign(new Error(\`EACCES: permission denied, open '\${p}'\`), { code: 'EACCES' });
};
syncBuiltinESMExports();
`,
    );
    return { NODE_OPTIONS: `--import=${preload}` };
  }

  it('fmt --write and lint --fix say which file they cannot write (exit 2), never "internal error"', async () => {
    await writeFile(join(dir, 'messy.s1ql'), 'EventType   =   "Process Creation"\n');
    await writeFile(
      join(dir, 'fixable.s1ql'),
      'EventType = "Process Creation" AND (TgtProcName = "a" OR TgtProcName = "b")\n',
    );
    const env = await readOnly();
    for (const [args, file] of [
      [['fmt', '--write', 'messy.s1ql'], 'messy.s1ql'],
      [['lint', '--fix', 'fixable.s1ql'], 'fixable.s1ql'],
    ] as const) {
      const r = await runCli(args, { cwd: dir, env });
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(2);
      expect(r.stderr, args.join(' ')).toContain(`s1ql: cannot write ${file}: permission denied`);
      expect(r.stderr, args.join(' ')).not.toContain('internal error');
    }
  });
});
