import { predicates, sourceText } from '@s1ql/language';
import type { Rule } from '../types.ts';
import { docsUrl, opInfo, replace } from '../util.ts';

const DEFAULT_MAX = 100;

export const rule: Rule = {
  meta: {
    id: 'list-too-long',
    code: 'R407',
    name: 'List longer than 100 values',
    category: 'correctness',
    defaultSeverity: 'error',
    fixable: true,
    docsUrl: docsUrl('list-too-long'),
    description:
      'More than 100 values in one list is not safe with the Deep Visibility API; the fix splits it into an OR of lists (an AND for Not In).',
  },
  check(ctx) {
    const max = typeof ctx.options === 'number' && ctx.options > 0 ? ctx.options : DEFAULT_MAX;
    for (const p of predicates(ctx.ast.expr)) {
      const op = opInfo(p);
      if (p.operand?.kind !== 'List' || p.operand.items.length <= max || !op) continue;
      const items = p.operand.items;
      const head = ctx.text.slice(p.range.start.offset, p.operand.range.start.offset).trimEnd();
      const parts: string[] = [];
      for (let i = 0; i < items.length; i += max) {
        parts.push(
          `${head} (${items
            .slice(i, i + max)
            .map((v) => sourceText(ctx.text, v))
            .join(', ')})`,
        );
      }
      const joiner = op.negated ? ' AND ' : ' OR ';
      ctx.report({
        node: p.operand,
        message: `This list has ${items.length} values; lists of more than ${max} are not safe. Split it into lists of at most ${max}.`,
        fix: replace(`Split into ${parts.length} lists`, p.range, `(${parts.join(joiner)})`),
      });
    }
  },
};
