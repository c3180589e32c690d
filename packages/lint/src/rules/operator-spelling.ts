import { predicates } from '@s1ql/language';
import type { Rule } from '../types.ts';
import { docsUrl, opInfo, replace } from '../util.ts';

export const rule: Rule = {
  meta: {
    id: 'operator-spelling',
    code: 'R441',
    name: 'Operator spelling',
    category: 'style',
    defaultSeverity: 'off',
    fixable: true,
    docsUrl: docsUrl('operator-spelling'),
    description: 'The canonical spelling of each operator (Contains AnyCase, not ContainsCIS or contains anycase).',
  },
  check(ctx) {
    for (const p of predicates(ctx.ast.expr)) {
      const op = opInfo(p);
      if (!op || p.operator.kind !== 'Operator') continue;
      const written = ctx.text.slice(p.operator.range.start.offset, p.operator.range.end.offset);
      if (written === op.canonical) continue;
      ctx.report({
        node: p.operator,
        message: `Write ${op.canonical} (not ${p.operator.text}).`,
        fix: replace(`Write ${op.canonical}`, p.operator.range, op.canonical),
      });
    }
  },
};
