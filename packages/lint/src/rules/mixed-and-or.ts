import type { Rule } from '../types.ts';
import { chains, docsUrl } from '../util.ts';

export const rule: Rule = {
  meta: {
    id: 'mixed-and-or',
    code: 'R414',
    name: 'AND and OR mixed without parentheses',
    category: 'suspicious',
    defaultSeverity: 'warn',
    fixable: true,
    docsUrl: docsUrl('mixed-and-or'),
    description:
      'AND binds tighter than OR, which readers (and some other tools) get wrong; the fix adds the parentheses the parser already assumes.',
  },
  check(ctx) {
    for (const chain of chains(ctx.ast.expr)) {
      if (chain.kind !== 'Or') continue;
      for (const e of chain.operands) {
        if (e.kind !== 'And' || e.parenthesized) continue;
        ctx.report({
          node: e,
          message: 'AND and OR are mixed without parentheses: AND binds tighter, so this reads as (… AND …) OR ….',
          fix: {
            title: 'Add parentheses',
            edits: [
              { range: ctx.rangeOf(e.range.start.offset, e.range.start.offset), newText: '(' },
              { range: ctx.rangeOf(e.range.end.offset, e.range.end.offset), newText: ')' },
            ],
          },
        });
      }
    }
  },
};
