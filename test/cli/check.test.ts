/** `s1ql check` end to end: the real CLI in a subprocess, from the repository root. */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN } from './run-cli.ts';

const root = join(import.meta.dirname, '..', '..');
const SENTINELLABS = join(root, '..', 'shared', 'data', 'sentinellabs-s1ql-queries', 'Queries');

function s1ql(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: root, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface EslintFile {
  filePath: string;
  messages: { ruleId: string | null; severity: number; message: string; line: number; column: number }[];
}

function findings(stdout: string): string[] {
  const files = JSON.parse(stdout) as EslintFile[];
  return files.flatMap((f) =>
    f.messages.map((m) => `${f.filePath.split('/').slice(-2).join('/')}:${m.line}:${m.column} ${m.ruleId ?? 'parser'}`),
  );
}

describe('s1ql check', () => {
  it('examples/hunts is clean (exit 0, no findings)', () => {
    const r = s1ql('check', '--format', 'json', 'examples/hunts');
    expect(findings(r.stdout)).toEqual([]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/hunts checked: 0 errors, 0 warnings; hunt tests: \d+ run, 0 failed, 0 hunts not run/);
  });

  it('a folder named twice is checked once: no hunt is its own duplicate', () => {
    const once = s1ql('check', '--format', 'json', 'examples/hunts');
    const twice = s1ql('check', '--format', 'json', 'examples/hunts', './examples/hunts/', 'examples/hunts/../hunts');
    expect(twice).toEqual(once);
  });

  it("SentinelLabs' Queries folder checks as it is with no errors; its open parenthesis is a warning in the YAML file", () => {
    const r = s1ql('check', '--format', 'json', SENTINELLABS);
    expect(r.code).toBe(0);
    const files = JSON.parse(r.stdout) as EslintFile[];
    const located = (severity: number) =>
      files.flatMap((f) =>
        f.messages
          .filter((m) => m.severity === severity)
          .map((m) => `${f.filePath.split('/').pop()}:${m.line}:${m.column} ${m.ruleId ?? m.message}`),
      );
    expect(located(2)).toEqual([]);
    // powershell_unnecessary_escaping.yml line 6 is `query: (TgtProcDisplayName ...` with no closing parenthesis;
    // 7 + 130 characters long, so the end of the query is column 138.
    expect(located(1).filter((w) => w.startsWith('powershell_unnecessary_escaping.yml:6:138 '))).toHaveLength(1);
    const messages = files.flatMap((f) => f.messages.map((m) => m.ruleId));
    expect(messages.filter((id) => id?.startsWith('H5') && id !== 'H507')).toEqual([]);
  });

  describe('planted mistakes in a copy of the examples', () => {
    const dir = mkdtempSync(join(tmpdir(), 's1ql-check-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    cpSync(join(root, 'examples/hunts'), dir, { recursive: true });
    const edit = (file: string, from: string, to: string) => {
      const path = join(dir, file);
      const text = readFileSync(path, 'utf8');
      if (!text.includes(from)) throw new Error(`${file} does not contain ${from}`);
      writeFileSync(path, text.replace(from, to));
    };
    // Lines and columns below were counted by hand in the edited files.
    // certutil-download.yml line 9: `  AND TgtProcCmdLine Contains AnyCase "urlcache"` -> unknown field at 9:7.
    edit(
      'windows/certutil-download.yml',
      'AND TgtProcCmdLine Contains AnyCase "urlcache"',
      'AND TgtProcCmdLin Contains AnyCase "urlcache"',
    );
    // rdp-admin-logon.yml line 8: `  AND LoginType = "REMOTE_INTERACTIVE"` -> misspelt enum value at 8:19.
    edit('windows/rdp-admin-logon.yml', 'LoginType = "REMOTE_INTERACTIVE"', 'LoginType = "REMOTE_INTERACTVE"');
    // net-user-add.yml: query line 7 gains a `)` with no `(`: `  EventType = "Process Creation")`, the `)` at 7:33.
    edit('windows/net-user-add.yml', '  EventType = "Process Creation"', '  EventType = "Process Creation")');
    // mshta-inline-script.yml takes the id of regsvr32-squiblydoo.yml (`id:` on line 21 and line 22).
    edit('windows/mshta-inline-script.yml', 'id: S1H-0008', 'id: S1H-0009');
    // bitsadmin-download.yml: tags line 16 `  - mitre.T1197` -> bad ATT&CK id at 16:5.
    edit('windows/bitsadmin-download.yml', '  - mitre.T1197', '  - mitre.T99999');
    // vssadmin-delete-shadows.yml: last_update (line 11, value at column 14) before created_date.
    edit('windows/vssadmin-delete-shadows.yml', 'last_update: 2024-03-11', 'last_update: 11-Feb-2024');
    // wmic-process-call-create.yml: the match event no longer matches (its item starts at 24:7, `    - endpointOs`).
    edit(
      'windows/wmic-process-call-create.yml',
      'wmic /node:10.0.4.21 process call create',
      'wmic /node:10.0.4.21 process list',
    );
    // unsigned-driver-load.yml: an unclosed flow sequence on tags line 15, reported at its `[` (15:5), not at the
    // next item where YAML notices it.
    edit('windows/unsigned-driver-load.yml', '  - mitre.T1068\n', '  - [mitre.T1068\n');

    const r = s1ql('check', '--format', 'json', dir);
    const all = findings(r.stdout);

    it('exits 1', () => {
      expect(r.code).toBe(1);
    });
    it.each([
      ['unknown field', 'windows/certutil-download.yml:9:7 unknown-field'],
      ['misspelt enum value', 'windows/rdp-admin-logon.yml:8:19 invalid-enum-value'],
      ['broken parenthesis', 'windows/net-user-add.yml:7:33 parser'],
      ['duplicate id (first place)', 'windows/mshta-inline-script.yml:21:1 H510'],
      ['duplicate id (second place)', 'windows/regsvr32-squiblydoo.yml:22:1 H510'],
      ['bad ATT&CK id', 'windows/bitsadmin-download.yml:16:5 H504'],
      ['last_update before created_date', 'windows/vssadmin-delete-shadows.yml:11:14 H505'],
      ['failing hunt test', 'windows/wmic-process-call-create.yml:24:7 H513'],
      ['unreadable YAML', 'windows/unsigned-driver-load.yml:15:5 H501'],
    ])('reports the %s', (_what, expected) => {
      expect(all).toContain(expected);
    });
    it('reports nothing else but the consequences: broken queries fail or skip their hunt tests', () => {
      expect(all.filter((f) => !f.endsWith(' H513') && !f.endsWith(' H514'))).toHaveLength(8);
      // The unknown field and the misspelt value make the match events (item on line 26) fail; the syntax error
      // leaves net-user-add's tests (line 22) not run.
      expect(all.filter((f) => f.endsWith(' H513') || f.endsWith(' H514')).sort()).toEqual([
        'windows/certutil-download.yml:26:7 H513',
        'windows/net-user-add.yml:22:1 H514',
        'windows/rdp-admin-logon.yml:26:7 H513',
        'windows/wmic-process-call-create.yml:24:7 H513',
      ]);
    });
  });

  it('an alias to no anchor is reported at the alias; a %YAML 1.1 hunt reads its dates as dates', () => {
    const dir = mkdtempSync(join(tmpdir(), 's1ql-check-y-'));
    try {
      const hunt = readFileSync(join(root, 'examples/hunts/windows/certutil-download.yml'), 'utf8');
      const title = /^title: .*$/m;
      writeFileSync(join(dir, 'alias.yml'), hunt.replace(title, 'title: Alias\nx-owner: *nobody'));
      writeFileSync(
        join(dir, 'v11.yml'),
        `%YAML 1.1\n---\n${hunt.replace(title, 'title: V11').replace(/^last_update: .*$/m, 'last_update: 2001-01-01')}`,
      );
      const r = s1ql('check', '--format', 'json', dir);
      expect(r.code).toBe(1);
      const lastUpdate = hunt.split('\n').findIndex((l) => l.startsWith('last_update:')) + 1;
      // alias.yml line 2: `x-owner: *nobody`; v11.yml: two lines of header above the hunt.
      expect(findings(r.stdout)).toEqual([
        expect.stringMatching(/alias\.yml:2:10 H501$/),
        expect.stringMatching(new RegExp(`v11\\.yml:${lastUpdate + 2}:14 H505$`)),
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('exit 2 on usage errors', () => {
    expect(s1ql('check', '--format', 'xml', 'examples/hunts').code).toBe(2);
    expect(s1ql('check', 'no/such/dir').code).toBe(2);
  });

  it('--max-warnings turns warnings into exit 1', () => {
    const dir = mkdtempSync(join(tmpdir(), 's1ql-check-w-'));
    try {
      cpSync(join(root, 'examples/hunts/windows/certutil-download.yml'), join(dir, 'c.yml'));
      const path = join(dir, 'c.yml');
      writeFileSync(path, `${readFileSync(path, 'utf8')}x-owner: soc-team\n`);
      expect(s1ql('check', dir).code).toBe(0);
      expect(s1ql('check', '--max-warnings', '0', dir).code).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('parse and fmt on a YAML hunt map positions into the YAML file', () => {
  const dir = mkdtempSync(join(tmpdir(), 's1ql-yaml-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'h.yml');
  // The unexpected `§` is on line 4, column 9 (`    AND § = 1`).
  writeFileSync(file, 'title: t\nquery: |\n  EventType = "Process Creation"\n    AND § = 1\nid: x\n');

  it('parse', () => {
    const r = s1ql('parse', file);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${file}:4:9: error L101`);
  });
  it('fmt --check refuses it at the same place, and accepts a canonical hunt', () => {
    const r = s1ql('fmt', '--check', file);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${file}:4:9: error L101`);
    expect(s1ql('fmt', '--check', 'examples/hunts').code).toBe(0);
  });
  it('fmt --write rewrites only the query, as a block scalar', () => {
    const other = join(dir, 'w.yml');
    writeFileSync(
      other,
      '# keep me\ntitle: t  # and me\nquery: eventtype = "Process Creation" and tgtprocname in anycase ("a.exe")\nid: x\n',
    );
    expect(s1ql('fmt', '--write', other).code).toBe(0);
    expect(readFileSync(other, 'utf8')).toBe(
      '# keep me\ntitle: t  # and me\nquery: EventType = "Process Creation" AND TgtProcName In AnyCase ("a.exe")\nid: x\n',
    );
  });
});

describe('s1ql check over worker threads gives the same output as in one thread', () => {
  /** With S1QL_CHECK_WORKERS=`workers`: 0 checks in one thread, N starts N workers beside it, whatever the size. */
  function checkWith(workers: number, args: string[]): { code: number | null; stdout: string; stderr: string } {
    const env = { ...process.env, S1QL_CHECK_WORKERS: String(workers) };
    const r = spawnSync(process.execPath, [BIN, 'check', ...args], {
      cwd: root,
      encoding: 'utf8',
      env,
    });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  }

  it.each(['json', 'stylish', 'sarif', 'github'])('on the examples (%s)', (format) => {
    const one = checkWith(0, ['--format', format, 'examples/hunts']);
    expect(one.code).toBe(0);
    for (const workers of [1, 3]) expect(checkWith(workers, ['--format', format, 'examples/hunts'])).toEqual(one);
  });

  describe('on a generated library with mistakes and duplicates planted in different batches', () => {
    const dir = mkdtempSync(join(tmpdir(), 's1ql-check-workers-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const examples = join(root, 'examples', 'hunts');
    const templates = ['linux', 'macos', 'network', 'windows'].flatMap((os) =>
      readdirSync(join(examples, os))
        .filter((f) => f.endsWith('.yml'))
        .map((f) => ({ name: `${os}-${f.replace(/\.yml$/, '')}`, text: readFileSync(join(examples, os, f), 'utf8') })),
    );
    const titleOf = (n: number) =>
      (templates[n % templates.length] as { text: string }).text.match(/^title: (.*)$/m)?.[1] ?? '';
    const COUNT = 300;
    const files: string[] = [];
    for (let n = 0; n < COUNT; n++) {
      const t = templates[n % templates.length] as { name: string; text: string };
      let text = t.text
        .replace(/^title: (.*)$/m, (_, title: string) => `title: ${title} (${n})`)
        .replace(/^id: .*$/m, `id: GEN-${n}`);
      // 290 takes 5's id, 250 takes 7's title in other letters, 20 and 200 misspell a field, 150 is not YAML.
      if (n === 290) text = text.replace(/^id: .*$/m, 'id: GEN-5');
      if (n === 250) text = text.replace(/^title: .*$/m, `title: ${titleOf(7).toUpperCase()} (7)`);
      if (n === 20 || n === 200) text = text.replace(/\bEventType\b/, 'EvntType');
      if (n === 150) text = text.replace(/^tags:\n {2}- /m, 'tags:\n  - [');
      const path = join(n < 150 ? 'a' : 'b', `${t.name}-${n}.yml`);
      mkdirSync(join(dir, n < 150 ? 'a' : 'b'), { recursive: true });
      writeFileSync(join(dir, path), text);
      files.push(path);
    }
    // The file name of hunt 10 again, in another folder, with an id and title of its own.
    const twin = `${(templates[10 % templates.length] as { name: string }).name}-10.yml`;
    mkdirSync(join(dir, 'c'), { recursive: true });
    writeFileSync(
      join(dir, 'c', twin),
      readFileSync(join(dir, 'a', twin), 'utf8')
        .replace(/^id: .*$/m, 'id: TWIN')
        .replace(/^title: .*$/m, 'title: The twin'),
    );
    // Only the files under a/ are spared the unknown-field rule: hunt 20 loses that finding, hunt 200 (b/) keeps it.
    writeFileSync(
      join(dir, 'config.json'),
      JSON.stringify({ overrides: [{ files: ['a/**'], rules: { 'unknown-field': 'off' } }] }),
    );
    const args = (format: string) => ['--format', format, '--config', join(dir, 'config.json'), dir];
    const one = checkWith(0, args('json'));
    const many = checkWith(3, args('json'));

    it('finds what was planted, in the right files', () => {
      expect(one.code).toBe(1);
      const byFile = new Map(
        (JSON.parse(one.stdout) as EslintFile[]).map((f) => [f.filePath.slice(dir.length + 1), f.messages]),
      );
      const rules = (path: string) => (byFile.get(path) ?? []).map((m) => m.ruleId);
      const idLine = (path: string) =>
        readFileSync(join(dir, path), 'utf8')
          .split('\n')
          .findIndex((l) => l.startsWith('id:')) + 1;
      const five = files[5] as string;
      const twoNinety = files[290] as string;
      expect(rules(five)).toEqual(['H510']);
      expect(byFile.get(five)?.[0]?.message).toBe(
        `The id "GEN-5" is also used by ${join(dir, twoNinety)}:${idLine(twoNinety)}:1`,
      );
      expect(rules(twoNinety)).toEqual(['H510']);
      expect(rules(files[7] as string)).toEqual(['H511']);
      expect(rules(files[250] as string)).toEqual(['H511']);
      expect(rules(files[10] as string)).toEqual(['H512']);
      expect(rules(join('c', twin))).toEqual(['H512']);
      expect(rules(files[200] as string)).toContain('unknown-field');
      expect(readFileSync(join(dir, files[20] as string), 'utf8')).toContain('EvntType');
      expect(rules(files[20] as string)).not.toContain('unknown-field');
      expect(rules(files[150] as string)).toContain('H501');
    });

    it('json: byte for byte, with the same summary and exit code', () => {
      expect(many).toEqual(one);
    });
    it('json, with one worker (the default shape on two cores)', () => {
      expect(checkWith(1, args('json'))).toEqual(one);
    });
    it.each(['stylish', 'sarif', 'github'])('%s: byte for byte', (format) => {
      const expected = checkWith(0, args(format));
      expect(expected.stdout).not.toBe('');
      expect(checkWith(2, args(format))).toEqual(expected);
    });
  });
});
