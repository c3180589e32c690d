import { type Fix, predicates, quote, wildcardEdges } from '@s1ql/language';
import type { Rule } from '../types.ts';
import { docsUrl, operandValues, opInfo, replace, SUBSTRING_OPERATORS } from '../util.ts';

export const rule: Rule = {
  meta: {
    id: 'wildcard-in-substring',
    code: 'R420',
    name: 'Wildcard at the edge of a substring',
    category: 'suspicious',
    defaultSeverity: 'warn',
    fixable: false,
    docsUrl: docsUrl('wildcard-in-substring'),
    description:
      'A * or % at the start or end of a Contains / StartsWith / EndsWith value is matched literally; the operator already matches part of the value.',
  },
  check(ctx) {
    for (const p of predicates(ctx.ast.expr)) {
      const op = opInfo(p);
      if (!op || !SUBSTRING_OPERATORS.has(op.id)) continue;
      for (const v of operandValues(p)) {
        if (v.kind !== 'String') continue;
        // `%APPDATA%` and the like are text, not wildcards.
        const { lead, trail } = wildcardEdges(v.value);
        if (lead === 0 && trail === 0) continue;
        const stripped = v.value.slice(lead, Math.max(lead, v.value.length - trail));
        const suggestions: Fix[] = [];
        try {
          if (stripped !== '') suggestions.push(replace('Remove the wildcard', v.range, quote(stripped)));
        } catch {
          // a value ending in a backslash cannot be written in 1.0: offer nothing
        }
        ctx.report({
          node: v,
          message: `"${v.value}": * and % are matched literally; ${op.canonical} already matches part of the value.`,
          suggestions,
        });
      }
    }
  },
};
