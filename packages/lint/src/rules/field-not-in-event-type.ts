import { type Expr, lookupEventType, lookupObjectType, type Predicate } from '@s1ql/language';
import type { Rule } from '../types.ts';
import { docsUrl, fieldInfo, operandValues, opInfo, valueText } from '../util.ts';

/** The object types a top-level AND of EventType / ObjectType equalities allows, or null when unrestricted. */
export function scopeOf(expr: Expr | null): Set<string> | null {
  if (!expr) return null;
  const conjuncts = expr.kind === 'And' ? expr.operands : [expr];
  let scope: Set<string> | null = null;
  for (const c of conjuncts) {
    if (c.kind !== 'Predicate') continue;
    const field = fieldInfo(c)?.name;
    const op = opInfo(c)?.id;
    if ((field !== 'EventType' && field !== 'ObjectType') || !['eq', 'in', 'inAnyCase'].includes(op ?? '')) continue;
    const allowed = new Set<string>();
    for (const v of operandValues(c)) {
      const text = valueText(v);
      const type = field === 'EventType' ? lookupEventType(text)?.objectType : lookupObjectType(text)?.name;
      if (!type) return null; // an unknown value is another rule's finding; do not guess here
      allowed.add(type);
    }
    const before: Set<string> | null = scope;
    scope = before ? new Set([...before].filter((t: string) => allowed.has(t))) : allowed;
  }
  return scope;
}

export const rule: Rule = {
  meta: {
    id: 'field-not-in-event-type',
    code: 'R402',
    name: 'Field not carried by the event type',
    category: 'correctness',
    defaultSeverity: 'error',
    fixable: false,
    docsUrl: docsUrl('field-not-in-event-type'),
    description:
      'A field that no event of the EventType / ObjectType the whole query is restricted to carries: the condition can never be true.',
  },
  check(ctx) {
    const scope = scopeOf(ctx.ast.expr);
    if (!scope || scope.size === 0 || !ctx.ast.expr) return;
    const types = [...scope].sort();
    const visit = (e: Expr): void => {
      if (e.kind === 'Not') return; // a NOT of an impossible condition is merely true
      if (e.kind === 'And' || e.kind === 'Or') {
        for (const o of e.operands) visit(o);
        return;
      }
      if (e.kind !== 'Predicate') return;
      check(e);
    };
    const check = (p: Predicate) => {
      const info = fieldInfo(p);
      if (!info || info.objectTypes.includes('*')) return;
      if (types.some((t) => info.objectTypes.includes(t))) return;
      ctx.report({
        node: p.field,
        message: `${info.name} is not carried by ${types.join(', ')} events (it is set on ${info.objectTypes.join(', ')} events): this condition never matches.`,
      });
    };
    visit(ctx.ast.expr);
  },
};
