import { predicates, quote } from '@s1ql/language';
import type { Rule } from '../types.ts';
import { docsUrl, opInfo, replace } from '../util.ts';

export const rule: Rule = {
  meta: {
    id: 'redundant-regex-wildcard',
    code: 'R431',
    name: 'Leading or trailing .* in a RegExp',
    category: 'performance',
    defaultSeverity: 'warn',
    fixable: false,
    docsUrl: docsUrl('redundant-regex-wildcard'),
    description:
      'RegExp already matches anywhere in the value: a leading or trailing .* (or ^.* / .*$) only adds backtracking. Suggests removing it.',
  },
  check(ctx) {
    for (const p of predicates(ctx.ast.expr)) {
      if (opInfo(p)?.id !== 'regexp' || p.operand?.kind !== 'String') continue;
      const value = p.operand.value;
      const flag = value.startsWith('(?i)') ? '(?i)' : '';
      const body = value.slice(flag.length);
      // `.*` at the end must not be escaped (`\.*`) to be a wildcard.
      const lead = /^\^?\.\*(?![*+?])/.exec(body)?.[0] ?? '';
      const trailMatch = /(?<!\\)\.\*\$?$/.exec(body.slice(lead.length));
      const trail = trailMatch ? trailMatch[0] : '';
      if (!lead && !trail) continue;
      const rest = body.slice(lead.length, body.length - trail.length);
      if (rest === '') continue; // a pattern of only `.*` is the always-true rule's finding
      const parts = [lead, trail].filter(Boolean);
      // `^.*x` and `x.*$` differ from `x` where the value spans lines: say so, as the suggestion is then a choice.
      const anchored = lead.startsWith('^') || trail.endsWith('$');
      const suggestions = [];
      try {
        suggestions.push(replace('Remove the .*', p.operand.range, quote(flag + rest)));
      } catch {
        // unprintable (ends in a backslash): no suggestion
      }
      ctx.report({
        node: p.operand,
        message: `${parts.join(' and ')} ${parts.length > 1 ? 'are' : 'is'} redundant: RegExp matches anywhere in the value${anchored ? ' (on a value of one line: . does not match a line break)' : ''}.`,
        suggestions,
      });
    }
  },
};
