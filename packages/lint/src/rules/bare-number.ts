import { predicates, walk } from '@s1ql/language';
import type { Rule } from '../types.ts';
import { docsUrl, replace } from '../util.ts';

export const rule: Rule = {
  meta: {
    id: 'bare-number',
    code: 'R417',
    name: 'Number written without quotes',
    category: 'suspicious',
    defaultSeverity: 'warn',
    fixable: true,
    docsUrl: docsUrl('bare-number'),
    description: 'Quoted numbers are the canonical form every translator and console writes; the fix quotes it.',
  },
  check(ctx) {
    for (const p of predicates(ctx.ast.expr)) {
      if (!p.operand) continue;
      walk(p.operand, (node) => {
        if (node.kind !== 'Number') return;
        ctx.report({
          node,
          message: `Write the number ${node.raw} quoted: "${node.raw}".`,
          fix: replace('Quote the number', node.range, `"${node.raw}"`),
        });
      });
    }
  },
};
