/**
 * Robustness properties of the linter: on any text (arbitrary strings, soups of S1QL fragments, corpus queries with
 * tokens deleted, duplicated or swapped) every rule runs without throwing, every finding and every edit lies inside
 * the text, the edits of one fix never overlap, and applying the fixes never throws nor adds a parse error.
 * Meaning preservation is judged by the engine in test/lint/fix-safety.test.ts (this package must not depend on it).
 */
import { readFileSync } from 'node:fs';
import { parse, type Range, type TextEdit } from '@s1ql/language';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyFixes, type LintMessage, lint, resolveConfig } from '../src/index.ts';

// Every rule, style rules included, so that each one's check and fix is exercised.
const all = resolveConfig({ extends: 'all' });

const corpus: string[] = readFileSync(new URL('../../../../shared/data/s1ql-corpus.jsonl', import.meta.url), 'utf8')
  .trim()
  .split('\n')
  .map((line) => JSON.parse(line) as { query: string; dialect: string })
  .map((row) => row.query);

function inside(range: Range, text: string, what: string): void {
  const { start, end } = range;
  expect(start.offset, what).toBeGreaterThanOrEqual(0);
  expect(start.offset, what).toBeLessThanOrEqual(end.offset);
  expect(end.offset, what).toBeLessThanOrEqual(text.length);
  expect(start.line, what).toBeGreaterThanOrEqual(1);
  expect(start.column, what).toBeGreaterThanOrEqual(1);
}

function checkEdits(edits: readonly TextEdit[], text: string, what: string): void {
  for (const e of edits) inside(e.range, text, what);
  const sorted = [...edits].sort((a, b) => a.range.start.offset - b.range.start.offset);
  for (let i = 1; i < sorted.length; i++) {
    expect((sorted[i] as TextEdit).range.start.offset, `${what}: edits overlap`).toBeGreaterThanOrEqual(
      (sorted[i - 1] as TextEdit).range.end.offset,
    );
  }
}

function errorCount(text: string): number {
  return parse(text).diagnostics.filter((d) => d.severity === 'error').length;
}

/** Lints `text` with every rule and checks the invariants; returns the messages. */
function check(text: string): LintMessage[] {
  let messages: LintMessage[] = [];
  expect(() => {
    messages = lint(parse(text), text, all);
  }).not.toThrow();
  for (const m of messages) {
    const what = `${m.ruleId ?? 'parser'} ${m.code} on ${JSON.stringify(text)}`;
    inside(m.range, text, what);
    if (m.fix) checkEdits(m.fix.edits, text, `${what} fix`);
    for (const s of m.suggestions ?? []) checkEdits(s.edits, text, `${what} suggestion "${s.title}"`);
  }
  const result = applyFixes(text, messages);
  expect(errorCount(result.output)).toBeLessThanOrEqual(errorCount(text));
  return messages;
}

const fragments = [
  'EventType',
  'SrcProcName',
  'TgtProcCmdLine',
  'DstPort',
  'ProcessName',
  '=',
  '!=',
  '>',
  'In',
  'Not',
  'AnyCase',
  'Contains',
  'ContainsCIS',
  'Does',
  'RegExp',
  'Between',
  'And',
  'and',
  'AND',
  'OR',
  'or',
  'NOT',
  'not',
  'Is',
  'Empty',
  'Exists',
  '(',
  ')',
  ',',
  '"x"',
  '"X"',
  '"Process Creation"',
  '"(?i)abc"',
  '"a*"',
  '"',
  '“',
  "'",
  '\\',
  '1',
  '05',
  '-2.5',
  '--',
  '\n',
  '|',
  'src.process.name',
  '*',
];

// Tokens of a query, split so that mutations move whole tokens (strings stay whole).
function tokens(text: string): string[] {
  return text.match(/"(?:[^"\\]|\\"|\\(?!"))*"?|\s+|[()]|,|[^\s(),"]+/g) ?? [];
}

describe('lint never throws and its findings and edits lie inside the text', () => {
  it('on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => {
        check(text);
      }),
      { numRuns: 1500 },
    );
  });

  it('on arbitrary sequences of S1QL fragments', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...fragments), { maxLength: 40 }),
        fc.constantFrom(' ', '', '\t', '\n'),
        (parts, sep) => {
          check(parts.join(sep));
        },
      ),
      { numRuns: 3000 },
    );
  }, 60_000);

  it('on corpus queries mutated by deleting, duplicating and swapping tokens', () => {
    const mutation = fc.record({
      query: fc.constantFrom(...corpus),
      ops: fc.array(fc.record({ kind: fc.constantFrom('delete', 'duplicate', 'swap'), at: fc.nat(), to: fc.nat() }), {
        minLength: 1,
        maxLength: 4,
      }),
    });
    let fixable = 0;
    fc.assert(
      fc.property(mutation, ({ query, ops }) => {
        const toks = tokens(query);
        for (const op of ops) {
          if (toks.length === 0) break;
          const i = op.at % toks.length;
          const j = op.to % toks.length;
          if (op.kind === 'delete') toks.splice(i, 1);
          else if (op.kind === 'duplicate') toks.splice(i, 0, toks[i] as string);
          else [toks[i], toks[j]] = [toks[j] as string, toks[i] as string];
        }
        if (check(toks.join('')).some((m) => m.fix)) fixable++;
      }),
      { numRuns: 2000 },
    );
    // The mutated queries must reach the fixes, or the edit checks above prove little.
    expect(fixable).toBeGreaterThan(600);
  }, 60_000);

  it('on every corpus query as it is', () => {
    for (const query of corpus) check(query);
  }, 60_000);
});
