import type { Rule } from '../types.ts';
import { docsUrl } from '../util.ts';

export const rule: Rule = {
  meta: {
    id: 'no-comment',
    code: 'R419',
    name: '-- comment',
    category: 'suspicious',
    defaultSeverity: 'warn',
    fixable: false,
    docsUrl: docsUrl('no-comment'),
    description:
      'S1QL 1.0 has no comments: the API rejects "--" lines, so the toolkit strips them before sending. Keep notes in the hunt file instead.',
  },
  check(ctx) {
    for (const c of ctx.ast.comments) {
      ctx.report({
        node: c,
        message: '"--" comments are not S1QL 1.0: the API rejects them, and the runner strips them before sending.',
      });
    }
  },
};
