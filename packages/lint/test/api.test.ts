import { parse } from '@s1ql/language';
import { describe, expect, it } from 'vitest';
import {
  applyFixes,
  ConfigError,
  escapeProperty,
  type LintMessage,
  lint,
  loadConfig,
  matchGlob,
  resolveConfig,
  toEslintJson,
  toGithub,
  toStylish,
} from '../src/index.ts';

const run = (text: string, config = resolveConfig({ extends: 'recommended' })) => lint(parse(text), text, config);

describe('lint', () => {
  it('includes parse diagnostics with ruleId null, sorted by position', () => {
    const text = 'EventType = "Login" AND TgtProcNam = "a" AND X = "b*"';
    const messages = run(text);
    const s302 = messages.find((m) => m.code === 'S302');
    expect(s302?.ruleId).toBeNull();
    const offsets = messages.map((m) => m.range.start.offset);
    expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
    expect(messages.some((m) => m.ruleId === 'unknown-field' && m.severity === 'error')).toBe(true);
  });

  it('leaves style rules off under recommended and turns them on under all', () => {
    const text = 'EventType = "Login" and TgtProcName = "a"';
    expect(run(text).some((m) => m.ruleId === 'keyword-case')).toBe(false);
    expect(run(text, resolveConfig({ extends: 'all' })).some((m) => m.ruleId === 'keyword-case')).toBe(true);
  });
});

describe('config', () => {
  const config = loadConfig(
    JSON.stringify({
      extends: 'recommended',
      rules: { 'bare-number': 'off', 'short-substring': ['error', 5] },
      overrides: [{ files: ['hunts/legacy/**'], rules: { 'legacy-field': 'off' } }],
      exclusions: [{ file: 'hunts/x.s1ql', rule: 'broad-query', reason: 'meant to be broad' }],
    }),
    's1ql.config.json',
  );

  it('applies rules, options and overrides per file', () => {
    expect(config.rules.has('bare-number')).toBe(false);
    expect(config.rules.get('short-substring')).toEqual({ severity: 'error', options: 5 });
    expect(resolveConfig(config.config, 'hunts/legacy/a/b.s1ql').rules.has('legacy-field')).toBe(false);
    expect(resolveConfig(config.config, 'hunts/other.s1ql').rules.has('legacy-field')).toBe(true);
  });

  it('suppresses excluded findings and reports exclusions that match nothing', () => {
    const forX = resolveConfig(config.config, 'hunts/x.s1ql');
    expect(run('TgtProcName = "a"', forX).some((m) => m.ruleId === 'broad-query')).toBe(false);
    const unused = run('EventType = "Login" AND TgtProcName = "abcdef"', forX).filter(
      (m) => m.ruleId === 'unused-exclusion',
    );
    expect(unused).toHaveLength(1);
    expect(unused[0]?.severity).toBe('warning');
  });

  it('rejects an exclusion without a reason, unknown rules and bad JSON, saying where', () => {
    const bad = (value: string) => () => loadConfig(value, 'c.json');
    expect(bad('{"exclusions":[{"file":"a","rule":"broad-query"}]}')).toThrow(/c\.json\.exclusions\[0\]\.reason/);
    expect(bad('{"rules":{"nope":"warn"}}')).toThrow(/unknown rule "nope"/);
    expect(bad('{"rules":{"broad-query":"loud"}}')).toThrow(ConfigError);
    expect(bad('{\n  "rules": {},\n}')).toThrow(/c\.json:3:1: not valid JSON/);
    // Regression: V8 gives no position for an unexpected token or a cut-off file, and quoted the file's lines instead.
    expect(bad('{\n  "rules": {\n    "bare-number": warn\n  }\n}')).toThrow(
      /^c\.json:3:20: not valid JSON \(Unexpected token 'w'\)$/,
    );
    expect(bad('{"rules": }')).toThrow(/^c\.json:1:11: not valid JSON \(Unexpected token '}'\)$/);
    expect(bad('{"rules":')).toThrow(/^c\.json:1:10: not valid JSON \(Unexpected end of JSON input\)$/);
  });
});

describe('glob', () => {
  it('matches **, * and ?', () => {
    expect(matchGlob('hunts/legacy/a/b.yml', 'hunts/legacy/**')).toBe(true);
    expect(matchGlob('hunts/legacy.yml', 'hunts/legacy/**')).toBe(false);
    expect(matchGlob('a/b/c.s1ql', '**/*.s1ql')).toBe(true);
    expect(matchGlob('c.s1ql', '**/*.s1ql')).toBe(true);
    expect(matchGlob('a/c.s1ql', '*.s1ql')).toBe(false);
    expect(matchGlob('a1.yml', 'a?.yml')).toBe(true);
    expect(matchGlob('a.yml', 'a.{yml,yaml}')).toBe(true);
  });
});

describe('applyFixes', () => {
  const msg = (start: number, end: number, newText: string, ruleId = 'duplicate-condition'): LintMessage => {
    const text = 'X = "a" OR X = "b"';
    const range = {
      start: { offset: start, line: 1, column: start + 1 },
      end: { offset: end, line: 1, column: end + 1 },
    };
    void text;
    return {
      ruleId,
      code: 'R411',
      severity: 'warning',
      message: 'm',
      range,
      fix: { title: 't', edits: [{ range, newText }] },
    };
  };

  it('drops a fix that breaks the parse or changes the meaning, and applies the rest', () => {
    const text = 'X = "a" OR X = "b"';
    const broken = msg(0, 1, '(');
    const changed = msg(5, 6, 'z');
    const result = applyFixes(text, [broken, changed]);
    expect(result.output).toBe(text);
    expect(result.dropped.map((d) => d.reason)).toEqual([
      'the fixed query would not parse',
      'the fix would change what the query matches',
    ]);
  });

  it('lets a rule that declares changesMeaning change the query, but not break it', () => {
    const text = 'EventType = "Proccess Creation"';
    const result = applyFixes(text, run(text));
    expect(result.output).toBe('EventType = "Process Creation"');
    expect(result.applied.map((m) => m.ruleId)).toEqual(['invalid-enum-value']);
  });

  it('applies non-overlapping fixes together and defers overlapping ones', () => {
    const text = 'EventType = "Login" AND X = 1 AND Y = 2 AND X = 1';
    const result = applyFixes(text, run(text));
    expect(result.output).toBe('EventType = "Login" AND X = "1" AND Y = "2"');
    expect(result.deferred.length).toBe(1);
  });
});

describe('reporters', () => {
  const text = 'EventType = "Login" AND X = 1';
  const messages = run(text);
  const results = [{ filePath: 'hunts/a,b:c.s1ql', messages, source: text }];

  it('stylish: header, line:col severity message rule, code frame, summary; no colour codes', () => {
    const out = toStylish(results);
    expect(out).toContain('hunts/a,b:c.s1ql\n');
    expect(out).toMatch(/ {2}1:29 {2}warning {2}Write the number 1 quoted: "1"\. {2}bare-number\n/);
    expect(out).toContain('    1 | EventType = "Login" AND X = 1\n      |                             ^\n');
    expect(out).toContain('problems (1 error, ');
    expect(out).not.toContain('\u001b[');
  });

  it('stylish: the caret keeps tabs, infos are notes (not warnings), the fix hint names the command', () => {
    const tabbed = '\tEventType = "Login" AND X = 1';
    const out = toStylish([{ filePath: 't.s1ql', messages: run(tabbed), source: tabbed }], {
      fixWith: '`s1ql lint --fix`',
    });
    // X is at column 26: under it, the tab and 24 spaces.
    expect(out).toContain(`      | \t${' '.repeat(24)}^\n`);
    expect(out).toContain('potentially fixable with `s1ql lint --fix`.');
    const info: LintMessage = { ...(messages[0] as LintMessage), severity: 'info' };
    const infoOnly = [{ filePath: 'i.s1ql', messages: [info], source: text }];
    expect(toStylish(infoOnly)).toContain('1 note, no problems');
    const [file] = toEslintJson(infoOnly) as { messages: { severity: number }[]; warningCount: number }[];
    expect(file?.messages.map((m) => m.severity)).toEqual([1]);
    expect(file?.warningCount).toBe(0);
  });

  it('stylish: a long line is framed around each finding, so the report grows with the findings, not their square', () => {
    // Found by test/cli/fuzz.test.ts: 18,000 quotes pasted into a one-line query gave ~27,000 findings, each framed
    // with the whole line, and `s1ql lint` ran out of memory.
    const values = Array.from({ length: 300 }, (_, i) => `"v${i}"`);
    const long = `TgtProcName In (${values.join(', ')}) AND X = 1 AND 𝔘 = "a"`;
    const [bare] = run(long).filter((m) => m.ruleId === 'bare-number');
    if (!bare) throw new Error('no bare-number finding');
    const frame = toStylish([{ filePath: 'l.s1ql', messages: [bare], source: long }]).split('\n');
    const at = frame.findIndex((l) => l.startsWith('    1 | '));
    const [shown, caret] = [frame[at] as string, frame[at + 1] as string];
    expect(shown.length).toBeLessThan(140);
    expect(shown).toMatch(/^ {4}1 \| …[^…]*"v299"\) AND X = 1 AND 𝔘 = "a"$/);
    // The caret is still under the 1.
    expect(caret.indexOf('^')).toBe(shown.indexOf('X = 1') + 4);
    // Many findings on a long line: the report stays in proportion.
    const many = run(long.replaceAll('"v', 'v'));
    expect(many.length).toBeGreaterThan(300);
    const report = toStylish([{ filePath: 'l.s1ql', messages: many, source: long }]);
    expect(report.length).toBeLessThan(many.length * 400);
    // A cut never splits a character of two code units.
    const emoji = `A = "${'😀'.repeat(200)}" AND X = 1`;
    const framed = toStylish([{ filePath: 'e.s1ql', messages: run(emoji), source: emoji }]);
    expect(framed).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
  });

  it('json: the ESLint shape with fix as {range, text}', () => {
    const [file] = toEslintJson(results) as {
      messages: { ruleId: string; severity: number; line: number; column: number; fix?: unknown }[];
      errorCount: number;
      warningCount: number;
    }[];
    const bare = file?.messages.find((m) => m.ruleId === 'bare-number');
    expect(bare).toMatchObject({ severity: 1, line: 1, column: 29, endLine: 1, endColumn: 30 });
    expect(bare?.fix).toEqual({ range: [28, 29], text: '"1"' });
    expect(file?.errorCount).toBe(1);
    // The rest of ESLint's result shape, which its readers (annotators, SonarQube importers) expect to be there.
    expect(file).toMatchObject({ fatalErrorCount: 0, suppressedMessages: [], usedDeprecatedRules: [] });
  });

  it('json: what the parser could not read is fatal, as in ESLint', () => {
    const text = 'EventType = "Process Creation" AND (';
    const broken = [{ filePath: 'x.s1ql', messages: run(text), source: text }];
    const [file] = toEslintJson(broken) as {
      messages: { fatal?: boolean; ruleId: string | null }[];
      fatalErrorCount: number;
    }[];
    const fatal = file?.messages.filter((m) => m.fatal) ?? [];
    expect(fatal.length).toBeGreaterThan(0);
    expect(fatal.every((m) => m.ruleId === null)).toBe(true);
    expect(file?.fatalErrorCount).toBe(fatal.length);
  });

  it('github: one annotation per finding, properties escaped', () => {
    expect(escapeProperty('a,b:c%\n')).toBe('a%2Cb%3Ac%25%0A');
    const out = toGithub([
      { filePath: 'a,b.s1ql', messages: [{ ...(messages[0] as LintMessage), message: '50%\nx' }] },
    ]);
    expect(out).toMatch(
      /^::(warning|error) file=a%2Cb\.s1ql,line=1,col=\d+,endLine=1,endColumn=\d+,title=[\w-]+::50%25%0Ax\n$/,
    );
  });
});
