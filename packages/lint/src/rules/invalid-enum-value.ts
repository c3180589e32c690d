import { predicates, quote } from '@s1ql/language';
import type { Rule } from '../types.ts';
import { closest, docsUrl, fieldInfo, operandValues, opInfo, orList, replace } from '../util.ts';

const VALUE_OPS = new Set(['eq', 'neq', 'in', 'notIn', 'inAnyCase']);

export const rule: Rule = {
  meta: {
    id: 'invalid-enum-value',
    code: 'R404',
    name: 'Invalid enum value',
    category: 'correctness',
    defaultSeverity: 'error',
    fixable: true,
    changesMeaning: true,
    docsUrl: docsUrl('invalid-enum-value'),
    description:
      'A value an enum field (EventType, ObjectType, ...) never takes; fixed when exactly one catalog value is close.',
  },
  check(ctx) {
    for (const p of predicates(ctx.ast.expr)) {
      const info = fieldInfo(p);
      const op = opInfo(p);
      if (info?.type !== 'enum' || !info.enumValues || !op || !VALUE_OPS.has(op.id)) continue;
      const known = new Set(info.enumValues.map((v) => v.toLowerCase()));
      for (const v of operandValues(p)) {
        if (v.kind !== 'String' || known.has(v.value.toLowerCase())) continue;
        const near = closest(v.value, info.enumValues);
        const fixes = near.map((n) => replace(`Use "${n}"`, v.range, quote(n)));
        ctx.report({
          node: v,
          message: `"${v.value}" is not a valid ${info.name} value.${near.length > 0 ? ` Did you mean ${orList(near)}?` : ''}`,
          ...(fixes.length === 1 ? { fix: fixes[0] } : {}),
          suggestions: fixes,
        });
      }
    }
  },
};
