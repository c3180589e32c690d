/** `s1ql lint` end to end: the real CLI in a subprocess, on temporary files. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { BIN, ROOT } from './run-cli.ts';

// ajv-formats is CommonJS: under nodenext its default import is the module object.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (
  ajv: Ajv,
) => Ajv;

function s1ql(args: readonly string[], options: { cwd?: string; input?: string } = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? ROOT,
    input: options.input ?? '',
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function tempDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 's1ql-lint-'));
  for (const [name, text] of Object.entries(files)) {
    const path = join(dir, name);
    spawnSync('mkdir', ['-p', join(path, '..')]);
    writeFileSync(path, text);
  }
  return dir;
}

const CLEAN = 'EventType = "Process Creation" AND TgtProcName In AnyCase ("mimikatz.exe")\n';
const WARN = 'EventType = "IP Connect" AND DstPort = 4444\n';
const ERROR = 'EventType = "Proccess Creation" AND TgtProcName In AnyCase ("a.exe")\n';

describe('s1ql lint', () => {
  it('exits 0 on a clean file, 1 on errors, 2 on usage errors', () => {
    const dir = tempDir({ 'clean.s1ql': CLEAN, 'error.s1ql': ERROR });
    expect(s1ql(['lint', join(dir, 'clean.s1ql')])).toMatchObject({ code: 0, stdout: '' });
    const bad = s1ql(['lint', join(dir, 'error.s1ql')]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('1:13  error    "Proccess Creation" is not a valid EventType value');
    expect(bad.stdout).toContain('invalid-enum-value');
    expect(s1ql(['lint', join(dir, 'missing.s1ql')]).code).toBe(2);
    expect(s1ql(['lint', '--format', 'xml', join(dir, 'clean.s1ql')]).code).toBe(2);
    expect(s1ql(['lint', '--max-warnings', 'many', join(dir, 'clean.s1ql')]).code).toBe(2);
    expect(s1ql(['lint', '--bogus', join(dir, 'clean.s1ql')]).code).toBe(2);
  });

  it('counts warnings against --max-warnings', () => {
    const dir = tempDir({ 'warn.s1ql': WARN });
    const file = join(dir, 'warn.s1ql');
    expect(s1ql(['lint', file]).code).toBe(0);
    expect(s1ql(['lint', '--max-warnings', '1', file]).code).toBe(0);
    const over = s1ql(['lint', '--max-warnings', '0', file]);
    expect(over.code).toBe(1);
    expect(over.stderr).toContain('too many warnings (1; maximum: 0)');
  });

  it('prints ESLint-shaped JSON', () => {
    const dir = tempDir({ 'error.s1ql': ERROR });
    const r = s1ql(['lint', '--format', 'json', 'error.s1ql'], { cwd: dir });
    expect(r.code).toBe(1);
    const [file] = JSON.parse(r.stdout);
    expect(file).toMatchObject({ filePath: 'error.s1ql', errorCount: 1, warningCount: 0 });
    expect(file.messages[0]).toMatchObject({
      ruleId: 'invalid-enum-value',
      severity: 2,
      line: 1,
      column: 13,
      endLine: 1,
      endColumn: 32,
      fix: { range: [12, 31], text: '"Process Creation"' },
    });
  });

  it('prints SARIF 2.1.0 that validates against the official schema', () => {
    const dir = tempDir({ 'hunts/error.s1ql': ERROR, 'hunts/warn.s1ql': WARN });
    const r = s1ql(['lint', '--format', 'sarif', 'hunts'], { cwd: dir });
    expect(r.code).toBe(1);
    const sarif = JSON.parse(r.stdout);
    // The file declares draft-04, whose keywords it uses are read the same by Ajv's default draft-07.
    const {
      $schema: _draft,
      id,
      ...schema
    } = JSON.parse(
      readFileSync(new URL('../../../shared/data/sarif/sarif-schema-2.1.0.json', import.meta.url), 'utf8'),
    );
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    const validate = ajv.compile({ ...schema, $id: id });
    expect(validate(sarif), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    const run = sarif.runs[0];
    expect(run.tool.driver.name).toBe('s1ql');
    const result = run.results.find((x: { ruleId: string }) => x.ruleId === 'invalid-enum-value');
    expect(run.tool.driver.rules[result.ruleIndex].id).toBe('invalid-enum-value');
    expect(result.locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: 'hunts/error.s1ql' },
      region: { startLine: 1, startColumn: 13, endLine: 1, endColumn: 32 },
    });
    expect(result.fixes[0].artifactChanges[0].replacements[0].insertedContent.text).toBe('"Process Creation"');
    // Findings without a lint rule (the parser's, the library's) have a rules entry too; odd names are encoded.
    const odd = tempDir({ 'my hunts/50% #1.s1ql': 'EventType = "Process Creation" AND' });
    const parsed = JSON.parse(s1ql(['lint', '--format', 'sarif', 'my hunts'], { cwd: odd }).stdout);
    expect(validate(parsed), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    const p207 = parsed.runs[0].results.find((x: { ruleId: string }) => x.ruleId === 'P207');
    expect(p207.ruleId).toBe('P207');
    expect(parsed.runs[0].tool.driver.rules[p207.ruleIndex].id).toBe('P207');
    expect(p207.locations[0].physicalLocation.artifactLocation.uri).toBe('my%20hunts/50%25%20%231.s1ql');
    // Every result points at its rules entry: the library's findings (H5xx) included, as check reports them.
    const library = tempDir({ 'hunt.yml': `title: t\nquery: ${WARN}tags: mitre.T99999\n` });
    const checked = JSON.parse(s1ql(['check', '--format', 'sarif', '.'], { cwd: library }).stdout);
    expect(validate(checked), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    const { results, tool } = checked.runs[0];
    expect(results.some((x: { ruleId: string }) => x.ruleId.startsWith('H'))).toBe(true);
    for (const x of results) expect(tool.driver.rules[x.ruleIndex]?.id, x.ruleId).toBe(x.ruleId);
  });

  it('prints GitHub annotations', () => {
    const dir = tempDir({ 'warn.s1ql': WARN });
    const r = s1ql(['lint', '--format', 'github', 'warn.s1ql'], { cwd: dir });
    expect(r.stdout).toBe(
      '::warning file=warn.s1ql,line=1,col=40,endLine=1,endColumn=44,title=bare-number::Write the number 4444 quoted: "4444".\n',
    );
  });

  it('--fix writes safe fixes, reports what remains; with - prints the fixed query', () => {
    const dir = tempDir({ 'fix.s1ql': 'EventType = "Proccess Creation" and TgtProcName = "a" OR TgtProcName = "b"' });
    const r = s1ql(['lint', '--fix', '--format', 'json', 'fix.s1ql'], { cwd: dir });
    expect(readFileSync(join(dir, 'fix.s1ql'), 'utf8')).toBe(
      '(EventType = "Process Creation" and TgtProcName = "a") OR TgtProcName = "b"',
    );
    const [file] = JSON.parse(r.stdout);
    expect(file.messages.map((m: { ruleId: string }) => m.ruleId)).toContain('broad-query');
    expect(file.messages.map((m: { ruleId: string }) => m.ruleId)).not.toContain('invalid-enum-value');
    const stdin = s1ql(['lint', '--fix', '-'], { cwd: dir, input: 'EventType = "IP Connect" AND DstPort = 4444' });
    expect(stdin.stdout).toBe('EventType = "IP Connect" AND DstPort = "4444"');
    expect(stdin.code).toBe(0);
  });

  it('reads s1ql.config.json from the current directory: rules, overrides and exclusions', () => {
    const dir = tempDir({
      's1ql.config.json': JSON.stringify({
        rules: { 'bare-number': 'error' },
        overrides: [{ files: ['legacy/**'], rules: { 'bare-number': 'off' } }],
        exclusions: [
          { file: 'broad.s1ql', rule: 'broad-query', reason: 'sweeps every event on purpose' },
          { file: 'clean.s1ql', rule: 'short-substring', reason: 'no longer needed' },
        ],
      }),
      'warn.s1ql': WARN,
      'legacy/warn.s1ql': WARN,
      'broad.s1ql': 'TgtProcName In AnyCase ("x.exe")',
      'clean.s1ql': CLEAN,
    });
    expect(s1ql(['lint', 'warn.s1ql'], { cwd: dir }).code).toBe(1);
    expect(s1ql(['lint', 'legacy/warn.s1ql'], { cwd: dir })).toMatchObject({ code: 0, stdout: '' });
    expect(s1ql(['lint', 'broad.s1ql'], { cwd: dir })).toMatchObject({ code: 0, stdout: '' });
    const unused = s1ql(['lint', '--format', 'json', 'clean.s1ql'], { cwd: dir });
    expect(JSON.parse(unused.stdout)[0].messages[0]).toMatchObject({ ruleId: 'unused-exclusion', severity: 1 });
  });

  it('judges an exclusion that covers several files over all of them, and reports it unused in the config', () => {
    const config = {
      exclusions: [
        { file: 'hunts/*.s1ql', rule: 'broad-query', reason: 'the team sweeps every event type on purpose' },
        { file: 'hunts/**', rule: 'short-substring', reason: 'kept from an old hunt' },
      ],
    };
    const dir = tempDir({
      's1ql.config.json': JSON.stringify(config, null, 2),
      'hunts/broad.s1ql': 'TgtProcName In AnyCase ("x.exe")',
      'hunts/clean.s1ql': CLEAN,
    });
    const r = s1ql(['lint', '--format', 'json', 'hunts'], { cwd: dir });
    const files = JSON.parse(r.stdout) as { filePath: string; messages: { ruleId: string; line: number }[] }[];
    // broad-query is excluded in broad.s1ql, so its glob exclusion is used: clean.s1ql does not report it.
    expect(files.find((f) => f.filePath === 'hunts/clean.s1ql')?.messages).toEqual([]);
    expect(files.find((f) => f.filePath === 'hunts/broad.s1ql')?.messages).toEqual([]);
    // short-substring excluded nothing anywhere: one warning, at the exclusion's reason in the configuration.
    const inConfig = files.find((f) => f.filePath === 's1ql.config.json');
    expect(inConfig?.messages).toEqual([
      expect.objectContaining({
        ruleId: 'unused-exclusion',
        severity: 1,
        line: 11,
        message: expect.stringContaining('short-substring'),
      }),
    ]);
    expect(r.code).toBe(0);
  });

  it('reads a YAML config and lints the query of a YAML hunt at its place in the file', () => {
    const dir = tempDir({
      's1ql.config.yml': 'rules:\n  bare-number: error\n',
      'hunt.yml': `title: t\nquery: |\n  ${WARN}\n`,
      'bad.yml': 'rules: [\n',
    });
    const r = s1ql(['lint', '--format', 'json', 'hunt.yml'], { cwd: dir });
    expect(r.code).toBe(1);
    const [message] = JSON.parse(r.stdout)[0].messages;
    expect(message).toMatchObject({ ruleId: 'bare-number', severity: 2, line: 3 });
    const bad = s1ql(['lint', '--config', 'bad.yml', 'hunt.yml'], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('not valid YAML');
  });

  it("honours a hunt's own keys as check does: lint exclusions (fixes included) and a dialect it does not read", () => {
    const pq = 'title: pq\ndialect: pq\nquery: src.process.name contains "x" | columns a\n';
    const excluded = `title: ex\nquery: ${WARN}lint:\n  - rule: bare-number\n    reason: the port is a number\n`;
    const star =
      'title: star\nquery: EventType = "File Creation" AND TgtFilePath In AnyCase ("C:\\\\a*b")\nlint:\n  - rule: S302\n    reason: a real star\n  - rule: R999\n    reason: stale\n';
    const dir = tempDir({ 'pq.yml': pq, 'ex.yml': excluded, 'star.yml': star, 'none.yml': 'title: none\nquery: ""\n' });
    const r = s1ql(['lint', '--format', 'json', '.'], { cwd: dir });
    const byFile = new Map(
      (JSON.parse(r.stdout) as { filePath: string; messages: { ruleId: string; severity: number }[] }[]).map((f) => [
        f.filePath,
        f.messages.map((m) => m.ruleId),
      ]),
    );
    // Not S1QL 1.0: one note, no parse errors. Excluded findings are gone; an exclusion that excluded nothing is H515.
    expect(byFile.get('pq.yml')).toEqual(['H517']);
    expect(byFile.get('ex.yml')).toEqual([]);
    expect(byFile.get('star.yml')).toEqual(['H515']);
    // A hunt with no query: the missing query, not also an "empty query" parse error.
    expect(byFile.get('none.yml')).toEqual(['H503']);
    const fixed = s1ql(['lint', '--fix', 'pq.yml', 'ex.yml'], { cwd: dir });
    expect(fixed.code, fixed.stderr).toBe(0);
    expect(readFileSync(join(dir, 'pq.yml'), 'utf8')).toBe(pq);
    expect(readFileSync(join(dir, 'ex.yml'), 'utf8')).toBe(excluded);
  });

  it('lint and check read --max-warnings alike (digits only) and accept a config file with a byte order mark', () => {
    const dir = tempDir({
      's1ql.config.json': '\ufeff{ "rules": { "bare-number": "error" } }',
      'warn.s1ql': WARN,
    });
    for (const command of ['lint', 'check']) {
      for (const bad of ['', '0x10', '1e3', '-1']) {
        const r = s1ql([command, '--max-warnings', bad, 'warn.s1ql'], { cwd: dir });
        expect(r.code, `${command} --max-warnings "${bad}"`).toBe(2);
        expect(r.stderr).toContain('--max-warnings must be a whole number');
      }
      // The config is read (its rule makes the bare number an error), BOM and all.
      const r = s1ql([command, '--format', 'json', 'warn.s1ql'], { cwd: dir });
      expect(r.code, `${command}: ${r.stderr}`).toBe(1);
      expect(r.stdout).toContain('bare-number');
    }
  });

  it('a configuration file inside the hunt folder is read as configuration, never linted or checked as a hunt', () => {
    const dir = tempDir({ 's1ql.config.yml': 'rules:\n  bare-number: error\n', 'h/one.s1ql': CLEAN });
    for (const command of ['lint', 'check']) {
      const r = s1ql([command, '--format', 'json', '.'], { cwd: dir });
      expect(r.code, `${command}: ${r.stdout}${r.stderr}`).toBe(0);
      expect(r.stdout, command).not.toContain('s1ql.config.yml');
    }
  });

  it("a YAML hunt's fixes edit the YAML file: each, applied alone, removes its finding and keeps the YAML valid", () => {
    const hunts = {
      // A double-quoted scalar (a new quote must be escaped there) and a block scalar.
      'quoted.yml': 'title: Quoted\nquery: "SrcProcName = \u201ca.exe\u201d AND TgtProcName NotIn (\\"b\\")"\n',
      'block.yml': 'title: Block\nquery: |\n  SrcProcName = \u201ca.exe\u201d\n  AND TgtProcName NotIn ("b")\n',
    };
    const dir = tempDir(hunts);
    for (const [name, text] of Object.entries(hunts)) {
      const r = s1ql(['lint', '--format', 'json', name], { cwd: dir });
      const [file] = JSON.parse(r.stdout) as {
        messages: { ruleId: string | null; message: string; fix?: { range: [number, number]; text: string } }[];
      }[];
      const fixes = (file?.messages ?? []).filter((m) => m.fix);
      // s1ql check places the same fixes the same way.
      const checked = JSON.parse(s1ql(['check', '--format', 'json', name], { cwd: dir }).stdout) as (typeof file)[];
      expect(checked[0]?.messages.filter((m) => m.fix).map((m) => m.fix)).toEqual(fixes.map((m) => m.fix));
      expect(
        fixes.map((m) => m.message.slice(0, 20)),
        name,
      ).toHaveLength(2);
      for (const m of fixes) {
        const fix = m.fix as { range: [number, number]; text: string };
        const fixed = text.slice(0, fix.range[0]) + fix.text + text.slice(fix.range[1]);
        writeFileSync(join(dir, 'fixed.yml'), fixed);
        const after = s1ql(['parse', '--json', 'fixed.yml'], { cwd: dir });
        const { diagnostics } = JSON.parse(after.stdout) as { diagnostics: { code: string; message: string }[] };
        // The YAML still reads (no H501), the fixed finding is gone, the other one is still there.
        expect(
          diagnostics.map((d) => d.code),
          `${name}: ${m.message}`,
        ).toHaveLength(1);
        expect(diagnostics.map((d) => d.message)).not.toContain(m.message);
      }
    }
  });

  it("parse --json on a YAML hunt gives the tree and the fixes in the YAML file's positions", () => {
    const text = 'title: T\nquery: >-\n  SrcProcName = "a"\n  AND TgtProcName NotIn ("b")\n';
    const dir = tempDir({ 'h.yml': text });
    const r = s1ql(['parse', '--json', 'h.yml'], { cwd: dir });
    type At = { offset: number; line: number; column: number };
    const { ast, diagnostics } = JSON.parse(r.stdout) as {
      ast: { expr: { operands: { range: { start: At } }[] } };
      diagnostics: {
        code: string;
        range: { start: At };
        fix: { edits: { range: { start: At; end: At }; newText: string }[] };
      }[];
    };
    expect(ast.expr.operands.map((o) => [o.range.start.line, o.range.start.column])).toEqual([
      [3, 3],
      [4, 7],
    ]);
    expect(diagnostics.map((d) => [d.code, d.range.start.line, d.range.start.column])).toEqual([['P209', 4, 19]]);
    const [edit] = diagnostics[0]?.fix.edits ?? [];
    if (!edit) throw new Error('P209 should come with a fix');
    writeFileSync(
      join(dir, 'h.yml'),
      text.slice(0, edit.range.start.offset) + edit.newText + text.slice(edit.range.end.offset),
    );
    expect(s1ql(['parse', 'h.yml'], { cwd: dir })).toMatchObject({ code: 0, stderr: '' });
  });

  it("gives the whole file as a YAML hunt's source, even when its query is not read (code frames, ESLint's source)", () => {
    // Found by test/cli/fuzz.test.ts: a hunt whose YAML is not a mapping had "" as its source, one in another
    // dialect its query alone, so code frames showed the wrong line or none.
    const files = { 'list.yml': '- a\n- b\n', 'pq.yml': 'title: pq\nquery: |\n  a\n  b\ndialect: pq\n' };
    const dir = tempDir(files);
    const r = s1ql(['lint', '--format', 'json', 'list.yml', 'pq.yml'], { cwd: dir });
    const sources = (JSON.parse(r.stdout) as { filePath: string; source: string }[]).map((f) => [f.filePath, f.source]);
    expect(sources).toEqual(Object.entries(files));
    const stylish = s1ql(['lint', 'pq.yml'], { cwd: dir });
    expect(stylish.stdout).toContain('5 | dialect: pq');
  });

  it('exits 2 with the place of the mistake for an invalid config', () => {
    const dir = tempDir({
      'bad.json': JSON.stringify({ exclusions: [{ file: 'a.s1ql', rule: 'broad-query' }] }),
      'a.s1ql': CLEAN,
    });
    const r = s1ql(['lint', '--config', 'bad.json', 'a.s1ql'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('bad.json.exclusions[0].reason');
  });
});
