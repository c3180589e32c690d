import { fields, predicates } from '@s1ql/language';
import type { Rule } from '../types.ts';
import { closest, docsUrl, orList, replace } from '../util.ts';

const names = fields.flatMap((f) => [f.name, ...(f.aliases ?? [])]);

export const rule: Rule = {
  meta: {
    id: 'unknown-field',
    code: 'R401',
    name: 'Unknown field',
    category: 'correctness',
    defaultSeverity: 'error',
    fixable: false,
    docsUrl: docsUrl('unknown-field'),
    description: 'A field name the catalog does not know: Deep Visibility rejects the query or never matches.',
  },
  check(ctx) {
    for (const p of predicates(ctx.ast.expr)) {
      const f = p.field;
      if (f.kind !== 'Field' || f.dotted || ctx.catalog.lookupField(f.name)) continue;
      const near = closest(f.name, names);
      ctx.report({
        node: f,
        message: `Unknown field "${f.name}".${near.length > 0 ? ` Did you mean ${orList(near)}?` : ''}`,
        suggestions: near.map((n) => replace(`Use ${n}`, f.range, n)),
      });
    }
  },
};
