import type { Expr } from '@s1ql/language';
import type { Rule } from '../types.ts';
import { docsUrl, fieldInfo, opInfo } from '../util.ts';

const SCOPE_FIELDS = new Set(['EventType', 'ObjectType']);

/** True when every event the expression matches has a known EventType / ObjectType. */
function scoped(e: Expr): boolean {
  switch (e.kind) {
    case 'Predicate':
      return SCOPE_FIELDS.has(fieldInfo(e)?.name ?? '') && ['eq', 'in', 'inAnyCase'].includes(opInfo(e)?.id ?? '');
    case 'And':
      return e.operands.some(scoped);
    case 'Or':
      return e.operands.every(scoped);
    case 'Not':
    case 'Error':
      return false;
  }
}

function negative(e: Expr): boolean {
  if (e.kind === 'Not') return true;
  if (e.kind === 'Predicate') return opInfo(e)?.negated === true;
  if (e.kind === 'And') return e.operands.every(negative);
  return false;
}

export const rule: Rule = {
  meta: {
    id: 'broad-query',
    code: 'R433',
    name: 'Overly broad query',
    category: 'performance',
    defaultSeverity: 'warn',
    fixable: false,
    docsUrl: docsUrl('broad-query'),
    description:
      'No EventType / ObjectType restriction at the top level, or only negative conditions: the query scans every event type.',
  },
  check(ctx) {
    const expr = ctx.ast.expr;
    if (!expr || expr.kind === 'Error') return;
    if (negative(expr)) {
      ctx.report({
        node: expr,
        message: 'This query has only negative conditions: it matches nearly every event. Add a positive condition.',
      });
    } else if (!scoped(expr)) {
      ctx.report({
        node: expr,
        message:
          'No EventType or ObjectType restriction at the top level: the query scans every kind of event. Add EventType = "…" (or In (…)) with AND.',
      });
    }
  },
};
