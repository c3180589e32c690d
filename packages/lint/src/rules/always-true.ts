import { canonicalKey, type Expr, predicates } from '@s1ql/language';
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
      if (chain.kind === 'Or' && alwaysTrue(chain.operands)) {
        ctx.report({ node: chain, message: 'This OR is always true: it tests a condition and its opposite.' });
      }
    }
  },
};

/**
 * Whether OR-ed operands hold a condition and its opposite (X and NOT X; X Is Empty and X Exists). One pass with
 * each operand's key computed once: a pair-by-pair comparison took seconds on an OR of a few thousand IOCs.
 */
function alwaysTrue(operands: readonly Expr[]): boolean {
  const negatedSeen = new Map<string, boolean>();
  const emptiness = new Map<string, { empty: boolean; present: boolean }>();
  for (const operand of operands) {
    const { negated, inner } = strip(operand);
    const key = canonicalKey(inner);
    const seen = negatedSeen.get(key);
    if (seen === undefined) negatedSeen.set(key, negated);
    else if (seen !== negated) return true;
    if (negated || inner.kind !== 'Predicate') continue;
    const id = opInfo(inner)?.id;
    if (!id || (id !== 'isEmpty' && !PRESENT.has(id))) continue;
    // Predicates with no field name (a syntax error) are grouped together, as before.
    const field = fieldKey(inner) ?? '';
    const tested = emptiness.get(field) ?? { empty: false, present: false };
    if (id === 'isEmpty') tested.empty = true;
    else tested.present = true;
    if (tested.empty && tested.present) return true;
    emptiness.set(field, tested);
  }
  return false;
}
