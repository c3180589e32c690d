import { type Fix, predicates, quote } from '@s1ql/language';
import type { Rule } from '../types.ts';
import { docsUrl, operandValues, replace } from '../util.ts';

const LINE_BREAK = /\r\n|[\r\n\u2028\u2029]/;

export const rule: Rule = {
  meta: {
    id: 'line-break-in-value',
    code: 'R421',
    name: 'Line break inside a value',
    category: 'suspicious',
    defaultSeverity: 'warn',
    fixable: false,
    docsUrl: docsUrl('line-break-in-value'),
    description:
      'A line break inside a quoted value matches only values with that exact line break; it is usually a long value wrapped by an editor or a paste. Suggests joining the lines.',
  },
  check(ctx) {
    for (const p of predicates(ctx.ast.expr)) {
      for (const v of operandValues(p)) {
        if (v.kind !== 'String' || !LINE_BREAK.test(v.value)) continue;
        const joined = v.value.replace(/[ \t]*(?:\r\n|[\r\n\u2028\u2029])[ \t]*/g, ' ');
        let suggestions: Fix[] = [];
        try {
          suggestions = [replace('Join the lines with one space', v.range, quote(joined))];
        } catch {
          // a value ending in a backslash cannot be written in 1.0: offer nothing
        }
        ctx.report({
          node: v,
          message: `This value has a line break inside its quotes: it matches only text with that exact line break. Join the lines if the value was wrapped.`,
          suggestions,
        });
      }
    }
  },
};
