import { canonicalKey, type Expr, type Predicate, predicates } from '@s1ql/language';
import type { Rule } from '../types.ts';
import { chains, docsUrl, fieldKey, operandValues, opInfo, SUBSTRING_OPERATORS, splitRegex } from '../util.ts';

const MATCH_ALL = new Set(['', '.*', '^.*', '.*$', '^.*$']);
const PRESENT = new Set(['exists', 'isNotEmpty']);

function strip(e: Expr): { negated: boolean; inner: Expr } {
  return e.kind === 'Not' ? { negated: true, inner: e.operand } : { negated: false, inner: e };
}

export const rule: Rule = {
  meta: {
    id: 'always-true',
    code: 'R410',
    name: 'Condition that is always true',
    category: 'suspicious',
    defaultSeverity: 'warn',
    fixable: false,
    docsUrl: docsUrl('always-true'),
    description:
      'A condition that matches every event (X OR NOT X, X Is Empty OR X Exists) or every present value (Contains "", RegExp ".*").',
  },
  check(ctx) {
    for (const p of predicates(ctx.ast.expr)) {
      const op = opInfo(p);
      if (!op) continue;
      const values = operandValues(p);
      const empty =
        (SUBSTRING_OPERATORS.has(op.id) && !op.negated && values.some((v) => v.kind === 'String' && v.value === '')) ||
        (op.id === 'regexp' && p.operand?.kind === 'String' && MATCH_ALL.has(splitRegex(p.operand.value).body));
      if (empty) {
        ctx.report({
          node: p,
          message: `${op.canonical} with this value matches every value: the condition only tests that the field is present (write Exists if that is what you mean).`,
        });
      }
    }
    for (const chain of chains(ctx.ast.expr)) {
      if (chain.kind !== 'Or') continue;
      const parts = chain.operands.map(strip);
      let reported = false;
      parts.forEach((a, i) => {
        if (reported) return;
        for (const b of parts.slice(i + 1)) {
          const complementary = a.negated !== b.negated && canonicalKey(a.inner) === canonicalKey(b.inner);
          const emptiness =
            !a.negated &&
            !b.negated &&
            a.inner.kind === 'Predicate' &&
            b.inner.kind === 'Predicate' &&
            emptyPair(a.inner, b.inner);
          if (complementary || emptiness) {
            ctx.report({ node: chain, message: 'This OR is always true: it tests a condition and its opposite.' });
            reported = true;
            return;
          }
        }
      });
    }
  },
};

function emptyPair(a: Predicate, b: Predicate): boolean {
  const x = opInfo(a)?.id;
  const y = opInfo(b)?.id;
  if (!x || !y || fieldKey(a) !== fieldKey(b)) return false;
  return (x === 'isEmpty' && PRESENT.has(y)) || (y === 'isEmpty' && PRESENT.has(x));
}
