import { predicates, walk } from '@s1ql/language';
import type { Rule } from '../types.ts';
import { docsUrl, fieldInfo, replace } from '../util.ts';

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
      // The engine reads a bare 1.5 on a timestamp field as epoch milliseconds, but refuses the text "1.5" there.
      const timestamp = fieldInfo(p)?.type === 'timestamp';
      walk(p.operand, (node) => {
        if (node.kind !== 'Number' || (timestamp && node.raw.includes('.'))) return;
        ctx.report({
          node,
          message: `Write the number ${node.raw} quoted: "${node.raw}".`,
          fix: replace('Quote the number', node.range, `"${node.raw}"`),
        });
      });
    }
  },
};
