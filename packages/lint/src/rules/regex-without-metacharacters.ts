import { predicates, quote } from '@s1ql/language';
import type { Rule } from '../types.ts';
import { docsUrl, fieldInfo, isEnumFieldOf, opInfo, replace, splitRegex } from '../util.ts';

const META = /[\\^$.|?*+()[\]{}]/;

export const rule: Rule = {
  meta: {
    id: 'regex-without-metacharacters',
    code: 'R430',
    name: 'RegExp that is a plain substring',
    category: 'performance',
    defaultSeverity: 'warn',
    fixable: true,
    docsUrl: docsUrl('regex-without-metacharacters'),
    description:
      'A RegExp with no metacharacters matches exactly what Contains does, more slowly; the fix writes Contains (Contains AnyCase for a leading (?i)).',
  },
  check(ctx) {
    for (const p of predicates(ctx.ast.expr)) {
      if (opInfo(p)?.id !== 'regexp' || p.operand?.kind !== 'String' || p.operator.kind !== 'Operator') continue;
      const { body, ignoreCase } = splitRegex(p.operand.value);
      if (body === '' || META.test(body)) continue;
      // Contains on an enum field ignores case, a RegExp without (?i) does not: there is no equivalent to offer.
      if (!ignoreCase && isEnumFieldOf(p)) continue;
      // Contains on a number field is an operator-type-mismatch error: the fix would trade a warning for an error.
      if (fieldInfo(p)?.type === 'number') continue;
      const op = ignoreCase ? 'Contains AnyCase' : 'Contains';
      ctx.report({
        node: p.operand,
        message: `This pattern has no metacharacters: ${op} ${quote(body)} matches the same, faster.`,
        fix: replace(
          `Use ${op}`,
          ctx.rangeOf(p.operator.range.start.offset, p.operand.range.end.offset),
          `${op} ${quote(body)}`,
        ),
      });
    }
  },
};
