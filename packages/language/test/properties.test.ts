import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  canonicalKey,
  type Expr,
  fields,
  type ListLiteral,
  type OperatorId,
  operators,
  type Predicate,
  parse,
  predicates,
  print,
  printCompact,
  type Range,
  type Value,
} from '../src/index.ts';

const corpus: string[] = readFileSync(new URL('../../../../shared/data/s1ql-corpus.jsonl', import.meta.url), 'utf8')
  .trim()
  .split('\n')
  .map((line) => JSON.parse(line) as { query: string; dialect: string })
  .filter((row) => row.dialect === 's1ql1')
  .map((row) => row.query);

function checkRanges(text: string): void {
  const { diagnostics } = parse(text);
  for (const d of diagnostics) {
    expect(d.range.start.offset).toBeGreaterThanOrEqual(0);
    expect(d.range.end.offset).toBeLessThanOrEqual(text.length);
    expect(d.range.start.offset).toBeLessThanOrEqual(d.range.end.offset);
    expect(d.range.start.line).toBeGreaterThanOrEqual(1);
    expect(d.range.start.column).toBeGreaterThanOrEqual(1);
  }
}

const fragments = [
  'EventType',
  'SrcProcName',
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
  'AND',
  'OR',
  'NOT',
  'Is',
  'Empty',
  'Exists',
  '(',
  ')',
  ',',
  '"x"',
  '"',
  '“',
  "'",
  '\\',
  '1',
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

describe('parse never throws and every diagnostic lies inside the text', () => {
  it('on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => {
        expect(() => parse(text)).not.toThrow();
        checkRanges(text);
      }),
      { numRuns: 2000 },
    );
  });

  it('on arbitrary sequences of S1QL fragments', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...fragments), { maxLength: 40 }),
        fc.constantFrom(' ', '', '\t'),
        (parts, sep) => {
          const text = parts.join(sep);
          const result = parse(text);
          expect(result.diagnostics.every((d) => d.code !== 'P299')).toBe(true);
          checkRanges(text);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('on corpus queries mutated by deleting, duplicating and swapping tokens', () => {
    const mutation = fc.record({
      query: fc.constantFrom(...corpus),
      ops: fc.array(fc.record({ kind: fc.constantFrom('delete', 'duplicate', 'swap'), at: fc.nat(), to: fc.nat() }), {
        minLength: 1,
        maxLength: 4,
      }),
    });
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
        const text = toks.join('');
        const result = parse(text);
        expect(result.diagnostics.every((d) => d.code !== 'P299')).toBe(true);
        checkRanges(text);
      }),
      { numRuns: 3000 },
    );
  });
});

// ---- generated ASTs -----------------------------------------------------------------------------------------

const zero = { offset: 0, line: 1, column: 1 };
const r: Range = { start: zero, end: zero };
const fieldNames = fields.slice(0, 60).map((f) => f.name);

const stringValue = fc
  .string({ unit: 'grapheme', maxLength: 12 })
  .filter((s) => !s.endsWith('\\'))
  .map((value): Value => ({ kind: 'String', value, range: r }));
const numberValue = fc
  .integer({ min: -1000, max: 100000 })
  .map((n): Value => ({ kind: 'Number', value: n, raw: String(n), range: r }));
const value = fc.oneof(stringValue, numberValue);

const predicate: fc.Arbitrary<Predicate> = fc
  .record({
    field: fc.constantFrom(...fieldNames),
    op: fc.constantFrom(...operators.map((o) => o.id)),
    values: fc.array(value, { minLength: 1, maxLength: 4 }),
    low: value,
    high: value,
  })
  .map(({ field, op, values, low, high }) => {
    const info = operators.find((o) => o.id === op) as (typeof operators)[number];
    const operand =
      info.operand === 'none'
        ? null
        : info.operand === 'list'
          ? ({ kind: 'List', items: values, range: r } as const)
          : info.operand === 'range'
            ? ({ kind: 'Range', low, high, range: r } as const)
            : (values[0] as Value);
    return {
      kind: 'Predicate',
      range: r,
      field: { kind: 'Field', name: field, range: r },
      operator: { kind: 'Operator', id: op as OperatorId, text: op, range: r },
      operand,
    };
  });

const expr: fc.Arbitrary<Expr> = fc.letrec<{ expr: Expr }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    predicate,
    fc
      .array(tie('expr'), { minLength: 2, maxLength: 3 })
      .map((operands): Expr => ({ kind: 'And', operands, range: r })),
    fc.array(tie('expr'), { minLength: 2, maxLength: 3 }).map((operands): Expr => ({ kind: 'Or', operands, range: r })),
    tie('expr').map((operand): Expr => ({ kind: 'Not', operand, range: r })),
  ),
})).expr;

describe('print and parse', () => {
  it('round-trip generated ASTs: parse(print(ast)) is the same query, without errors', () => {
    fc.assert(
      fc.property(expr, fc.integer({ min: 20, max: 200 }), (e, width) => {
        for (const text of [print(e, { width }), printCompact(e)]) {
          const { ast, diagnostics } = parse(text);
          expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
          expect(canonicalKey(ast.expr)).toBe(canonicalKey(e));
        }
      }),
      { numRuns: 1500 },
    );
  });

  it('fmt is idempotent on generated ASTs', () => {
    fc.assert(
      fc.property(expr, (e) => {
        const once = print(parse(print(e)).ast);
        expect(print(parse(once).ast)).toBe(once);
      }),
      { numRuns: 1000 },
    );
  });

  it('fmt keeps every -- comment, wherever it sits between tokens, and stays idempotent', () => {
    const valid = corpus.filter((q) => !parse(q).diagnostics.some((d) => d.severity === 'error'));
    // Token boundaries outside strings: where a comment may go without changing the query.
    const gaps = (q: string): number[] => {
      const out: number[] = [];
      let inString = false;
      for (let i = 0; i < q.length; i++) {
        const c = q[i];
        if (c === '"' && (i === 0 || q[i - 1] !== '\\')) inString = !inString;
        else if (!inString && /\s/.test(c as string)) out.push(i);
      }
      return out;
    };
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: valid.length - 1 }),
        fc.array(fc.nat(), { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 20, max: 120 }),
        (which, picks, width) => {
          const query = valid[which] as string;
          const at = gaps(query);
          fc.pre(at.length > 0);
          const positions = [...new Set(picks.map((p) => at[p % at.length] as number))].sort((a, b) => b - a);
          let text = query;
          positions.forEach((pos, i) => {
            text = `${text.slice(0, pos)} --c${i}\n${text.slice(pos)}`;
          });
          const before = parse(text);
          fc.pre(canonicalKey(before.ast.expr) === canonicalKey(parse(query).ast.expr));
          const once = print(before.ast, { width });
          const after = parse(once);
          expect(after.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
          expect(canonicalKey(after.ast.expr)).toBe(canonicalKey(before.ast.expr));
          expect(after.ast.comments.map((c) => c.text).sort()).toEqual(before.ast.comments.map((c) => c.text).sort());
          expect(print(after.ast, { width })).toBe(once);
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('reads a double-quoted value as S1QL 1.0 defines it: \\" is a quote, every other backslash is content', () => {
    // Backslashes in runs, escaped quotes after them, spaces and the characters that may follow a value; the value
    // never ends in a backslash (its closing quote would be escaped).
    const piece = fc.constantFrom('a', ' ', '\\', '\\"', ')', ',', '-', 'é');
    const body = fc
      .array(piece, { maxLength: 12 })
      .map((p) => p.join(''))
      .filter((b) => !b.endsWith('\\'));
    fc.assert(
      fc.property(body, fc.constantFrom('', ' AND B = 1', ')', ', "x")'), (value, after) => {
        const text = `A In ("${value}"${after}`;
        const { ast } = parse(text);
        const list = predicates(ast.expr)[0]?.operand as ListLiteral;
        expect(list.items[0], text).toMatchObject({ kind: 'String', value: value.replaceAll('\\"', '"') });
      }),
      { numRuns: 500 },
    );
  });

  it('fmt is idempotent and meaning-preserving on every valid corpus query', () => {
    let checked = 0;
    for (const query of corpus) {
      const first = parse(query);
      if (first.diagnostics.some((d) => d.severity === 'error')) continue;
      const once = print(first.ast);
      const second = parse(once);
      expect(second.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(canonicalKey(second.ast.expr)).toBe(canonicalKey(first.ast.expr));
      expect(print(second.ast)).toBe(once);
      expect(second.ast.comments.map((c) => c.text)).toEqual(first.ast.comments.map((c) => c.text));
      checked++;
    }
    expect(checked).toBeGreaterThan(290);
  });
});
