import { canonicalKey } from '@s1ql/language';
import type { Rule } from '../types.ts';
import { chains, docsUrl, outer } from '../util.ts';

export const rule: Rule = {
  meta: {
    id: 'duplicate-condition',
    code: 'R411',
    name: 'Duplicate condition',
    category: 'suspicious',
    defaultSeverity: 'warn',
    fixable: true,
    docsUrl: docsUrl('duplicate-condition'),
    description: 'The same condition twice in one AND or OR chain; the fix removes the repeat.',
  },
  check(ctx) {
    for (const chain of chains(ctx.ast.expr)) {
      const seen = new Set<string>();
      chain.operands.forEach((e, i) => {
        const key = canonicalKey(e);
        if (!seen.has(key)) {
          seen.add(key);
          return;
        }
        const prev = chain.operands[i - 1];
        if (!prev) return;
        ctx.report({
          node: { range: outer(e) },
          message: `This condition already appears in this ${chain.kind.toUpperCase()} chain.`,
          fix: {
            title: 'Remove the duplicate',
            edits: [{ range: ctx.rangeOf(outer(prev).end.offset, outer(e).end.offset), newText: '' }],
          },
        });
      });
    }
  },
};
