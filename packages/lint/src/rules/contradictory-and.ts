import type { Predicate, Value } from '@s1ql/language';
import type { Rule } from '../types.ts';
import {
  chains,
  directPredicates,
  docsUrl,
  fieldInfo,
  fieldKey,
  insensitive,
  operandValues,
  opInfo,
  valueText,
} from '../util.ts';

const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** The set of values a positive `=` / `In` allows, normalised by its case rule; undefined for other predicates. */
function allowed(p: Predicate): { values: Set<string>; fold: boolean } | undefined {
  const op = opInfo(p)?.id;
  if (op !== 'eq' && op !== 'in' && op !== 'inAnyCase') return undefined;
  if (fieldInfo(p)?.members) return undefined; // a shortcut field stands for several fields at once
  const fold = insensitive(p);
  // Number fields compare numerically, quoted or not; elsewhere a bare number is its digits as written.
  const numeric = fieldInfo(p)?.type === 'number';
  const norm = (v: Value) => {
    const text = valueText(v);
    if (numeric && NUMBER.test(text)) return String(Number(text));
    return fold ? text.toLowerCase() : text;
  };
  const values = operandValues(p);
  if (values.length === 0) return undefined;
  return { values: new Set(values.map(norm)), fold };
}

export const rule: Rule = {
  meta: {
    id: 'contradictory-and',
    code: 'R406',
    name: 'Contradictory AND',
    category: 'correctness',
    defaultSeverity: 'error',
    fixable: false,
    docsUrl: docsUrl('contradictory-and'),
    description: 'Two conditions joined by AND that require one field to equal different values: never true.',
  },
  check(ctx) {
    for (const chain of chains(ctx.ast.expr)) {
      if (chain.kind !== 'And') continue;
      const seen = new Map<string, { p: Predicate; a: { values: Set<string>; fold: boolean } }>();
      for (const p of directPredicates(chain)) {
        const key = fieldKey(p);
        const a = allowed(p);
        if (!key || !a) continue;
        const before = seen.get(key);
        if (!before) {
          seen.set(key, { p, a });
          continue;
        }
        // Compare under the looser case rule of the two: if either ignores case, fold both.
        const fold = a.fold || before.a.fold;
        const norm = (s: Set<string>) => new Set([...s].map((v) => (fold ? v.toLowerCase() : v)));
        const mine = norm(a.values);
        const overlap = [...norm(before.a.values)].some((v) => mine.has(v));
        if (!overlap) {
          const show = (q: Predicate) =>
            operandValues(q)
              .map((v) => `"${valueText(v)}"`)
              .join(', ');
          ctx.report({
            node: p,
            message: `${fieldInfo(p)?.name ?? key} cannot be ${show(before.p)} and ${show(p)} at once: this AND never matches.`,
          });
        }
      }
    }
  },
};
