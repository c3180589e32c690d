import type { Rule } from '../types.ts';
import { chains, docsUrl } from '../util.ts';

export const rule: Rule = {
  meta: {
    id: 'ambiguous-not',
    code: 'R415',
    name: 'NOT whose reach is easy to misread',
    category: 'suspicious',
    defaultSeverity: 'warn',
    fixable: true,
    docsUrl: docsUrl('ambiguous-not'),
    description:
      'NOT A AND B negates only A, which reads like NOT (A AND B); the fix writes (NOT A) to say so, a suggestion offers the other reading.',
  },
  check(ctx) {
    for (const chain of chains(ctx.ast.expr)) {
      chain.operands.forEach((e, i) => {
        if (e.kind !== 'Not' || e.parenthesized || e.operand.parenthesized || i === chain.operands.length - 1) return;
        const last = chain.operands[chain.operands.length - 1];
        const suggestions = [];
        if (last && i === 0 && !chain.parenthesized) {
          const inner = ctx.text.slice(e.operand.range.start.offset, (last.parenthesized ?? last.range).end.offset);
          suggestions.push({
            title: `Negate the whole ${chain.kind.toUpperCase()}`,
            edits: [
              {
                range: ctx.rangeOf(e.range.start.offset, (last.parenthesized ?? last.range).end.offset),
                newText: `NOT (${inner})`,
              },
            ],
          });
        }
        ctx.report({
          node: e,
          message: `NOT applies only to the condition right after it, not to the rest of this ${chain.kind.toUpperCase()}: write (NOT …) or NOT (…).`,
          fix: {
            title: 'Parenthesise the NOT',
            edits: [
              { range: ctx.rangeOf(e.range.start.offset, e.range.start.offset), newText: '(' },
              { range: ctx.rangeOf(e.range.end.offset, e.range.end.offset), newText: ')' },
            ],
          },
          suggestions,
        });
      });
    }
  },
};
