/**
 * The builder's invariant (ARCHITECTURE.md): every output parses, and every value put in comes back unchanged
 * from the parsed AST, whatever characters it holds. No injection through values.
 */
import { canonicalKey, type Expr, parse, walk } from '@s1ql/language';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { and, not, or, type S1qlQuery, s1ql, UnrepresentableValueError } from '../src/index.ts';

/** String and number literal values of an expression, left to right. */
function literalValues(expr: Expr | null): string[] {
  const out: string[] = [];
  if (expr) {
    walk(expr, (node) => {
      if (node.kind === 'String') out.push(node.value);
      if (node.kind === 'Number') out.push(node.raw);
    });
  }
  return out;
}

const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({
    unit: fc.constantFrom('"', '\\', '\n', '\r', '\t', '\u0000', ' ', 'O', 'R', '(', ')', ',', '-', '*', '“'),
    maxLength: 20,
  }),
  fc.constantFrom('" OR X = "', '\\" OR X = "', '") OR (X Exists', '\\"\\"', '"', '', ' -- comment', '\u2028'),
);
const printable = anyText.filter((s) => !s.endsWith('\\'));

type Leaf = { readonly query: S1qlQuery; readonly values: readonly string[] };

const leaf: fc.Arbitrary<Leaf> = fc.oneof(
  printable.map((v) => ({ query: s1ql.cond('TgtProcCmdLine', 'contains anycase', v), values: [v] })),
  printable.map((v) => ({ query: s1ql.cond('TgtFilePath', '=', v), values: [v] })),
  printable.map((v) => ({ query: s1ql.cond('DnsRequest', 'regexp', v), values: [v] })),
  fc
    .array(printable, { minLength: 1, maxLength: 4 })
    .map((vs) => ({ query: s1ql.cond('TgtProcName', 'in anycase', vs), values: vs })),
  fc.integer({ min: -1e6, max: 1e6 }).map((n) => ({ query: s1ql.cond('SrcProcPID', '>=', n), values: [String(n)] })),
  fc
    .tuple(fc.integer(), fc.integer())
    .map(([a, b]) => ({ query: s1ql.cond('DstPort', 'between', a, b), values: [String(a), String(b)] })),
  fc.constant({ query: s1ql.cond('TgtFileIsExecutable', 'is true'), values: [] }),
  fc.constantFrom(...(['Login', 'Process Creation', 'DNS Resolved'] as const)).map((v) => ({
    query: s1ql.cond('EventType', '=', v),
    values: [v],
  })),
);

/** Arbitrary builder programs: leaves combined with .and/.or/.not and the free and/or/not. */
const program: fc.Arbitrary<Leaf> = fc.letrec<{ node: Leaf }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc
      .tuple(tie('node'), tie('node'))
      .map(([a, b]) => ({ query: a.query.and(b.query), values: [...a.values, ...b.values] })),
    fc
      .tuple(tie('node'), tie('node'))
      .map(([a, b]) => ({ query: a.query.or(b.query), values: [...a.values, ...b.values] })),
    fc
      .array(tie('node'), { minLength: 1, maxLength: 3 })
      .map((xs) => ({ query: and(...(xs.map((x) => x.query) as [S1qlQuery])), values: xs.flatMap((x) => x.values) })),
    fc
      .array(tie('node'), { minLength: 1, maxLength: 3 })
      .map((xs) => ({ query: or(...(xs.map((x) => x.query) as [S1qlQuery])), values: xs.flatMap((x) => x.values) })),
    tie('node').map((a) => ({ query: not(a.query), values: a.values })),
  ),
})).node;

describe('no injection through values', () => {
  it('one value becomes exactly one literal equal to it', () => {
    fc.assert(
      fc.property(printable, (v) => {
        const q = s1ql.where('TgtProcCmdLine', 'contains', v);
        for (const text of [q.toString(), q.toCompact()]) {
          const parsed = parse(text);
          expect(parsed.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
          expect(parsed.ast.expr?.kind).toBe('Predicate');
          expect(literalValues(parsed.ast.expr)).toEqual([v]);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('arbitrary builder programs parse back to the same query with the same values', () => {
    fc.assert(
      fc.property(program, ({ query, values }) => {
        for (const text of [query.toString(), query.toString({ width: 20 }), query.toCompact()]) {
          const parsed = parse(text);
          expect(parsed.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
          expect(literalValues(parsed.ast.expr)).toEqual(values);
          expect(canonicalKey(parsed.ast.expr)).toBe(canonicalKey(query.toAst().expr));
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('a value ending in a backslash is a typed error, never text', () => {
    fc.assert(
      fc.property(anyText, (v) => {
        const value = `${v}\\`;
        expect(() => s1ql.where('TgtFilePath', 'startswith', value)).toThrow(UnrepresentableValueError);
      }),
    );
  });
});
