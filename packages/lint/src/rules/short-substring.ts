import { predicates } from '@s1ql/language';
import type { Rule } from '../types.ts';
import { docsUrl, operandValues, opInfo } from '../util.ts';

const SUBSTRING = new Set(['contains', 'containsAnyCase', 'inContains', 'inContainsAnyCase']);
const DEFAULT_MIN = 3;

export const rule: Rule = {
  meta: {
    id: 'short-substring',
    code: 'R432',
    name: 'Very short substring',
    category: 'performance',
    defaultSeverity: 'warn',
    fixable: false,
    docsUrl: docsUrl('short-substring'),
    description: 'Contains with fewer than 3 characters matches almost everything and scans slowly.',
  },
  check(ctx) {
    const min = typeof ctx.options === 'number' && ctx.options > 0 ? ctx.options : DEFAULT_MIN;
    for (const p of predicates(ctx.ast.expr)) {
      const op = opInfo(p);
      if (!op || !SUBSTRING.has(op.id)) continue;
      for (const v of operandValues(p)) {
        if (v.kind !== 'String' || v.value === '' || v.value.length >= min) continue;
        ctx.report({
          node: v,
          message: `"${v.value}" is shorter than ${min} characters: it matches almost every value and is slow to search.`,
        });
      }
    }
  },
};
