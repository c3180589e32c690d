import { predicates, type Value } from '@s1ql/language';
import type { Rule } from '../types.ts';
import { docsUrl, insensitive, valueText } from '../util.ts';

export const rule: Rule = {
  meta: {
    id: 'duplicate-list-value',
    code: 'R412',
    name: 'Duplicate list value',
    category: 'suspicious',
    defaultSeverity: 'warn',
    fixable: true,
    docsUrl: docsUrl('duplicate-list-value'),
    description:
      'The same value twice in one list (ignoring case under AnyCase operators and on enum fields); the fix removes the repeat.',
  },
  check(ctx) {
    for (const p of predicates(ctx.ast.expr)) {
      if (p.operand?.kind !== 'List') continue;
      const fold = insensitive(p);
      const seen = new Set<string>();
      const items = p.operand.items;
      items.forEach((v, i) => {
        if (v.kind === 'Missing') return;
        const key = fold ? valueText(v).toLowerCase() : valueText(v);
        if (!seen.has(key)) {
          seen.add(key);
          return;
        }
        const prev = items[i - 1] as Value;
        ctx.report({
          node: v,
          message: `"${valueText(v)}" is already in this list${fold ? ' (compared without case)' : ''}.`,
          fix: {
            title: 'Remove the duplicate value',
            edits: [{ range: ctx.rangeOf(prev.range.end.offset, v.range.end.offset), newText: '' }],
          },
        });
      });
    }
  },
};
