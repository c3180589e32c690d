import type { Expr } from '@s1ql/language';
import type { Rule } from '../types.ts';
import { docsUrl, outer, replace } from '../util.ts';

export const rule: Rule = {
  meta: {
    id: 'keyword-case',
    code: 'R440',
    name: 'Keyword case',
    category: 'style',
    defaultSeverity: 'off',
    fixable: true,
    docsUrl: docsUrl('keyword-case'),
    description: 'AND, OR and NOT in upper case, as the formatter writes them.',
  },
  check(ctx) {
    const flag = (start: number, word: string) => {
      if (word === word.toUpperCase()) return;
      ctx.report({
        range: ctx.rangeOf(start, start + word.length),
        message: `Write ${word.toUpperCase()} in upper case.`,
        fix: replace(`Write ${word.toUpperCase()}`, ctx.rangeOf(start, start + word.length), word.toUpperCase()),
      });
    };
    const visit = (e: Expr): void => {
      if (e.kind === 'And' || e.kind === 'Or') {
        e.operands.forEach((o, i) => {
          if (i > 0) {
            const from = outer(e.operands[i - 1] as Expr).end.offset;
            const gap = ctx.text.slice(from, outer(o).start.offset);
            // The gap holds only whitespace, comments and the keyword (none for recovered juxtaposition).
            const m = /(?:^|[\s)])(and|or)(?=[\s(]|$)/i.exec(gap.replace(/--[^\n\r]*/g, (c) => ' '.repeat(c.length)));
            if (m?.[1]) flag(from + m.index + m[0].length - m[1].length, m[1]);
          }
          visit(o);
        });
      } else if (e.kind === 'Not') {
        flag(e.range.start.offset, ctx.text.slice(e.range.start.offset, e.range.start.offset + 3));
        visit(e.operand);
      }
    };
    if (ctx.ast.expr) visit(ctx.ast.expr);
  },
};
