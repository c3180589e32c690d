import { predicates } from '@s1ql/language';
import type { Rule } from '../types.ts';
import { docsUrl, fieldInfo, replace } from '../util.ts';

export const rule: Rule = {
  meta: {
    id: 'legacy-field',
    code: 'R418',
    name: 'Legacy or shortcut field',
    category: 'suspicious',
    defaultSeverity: 'warn',
    fixable: false,
    docsUrl: docsUrl('legacy-field'),
    description:
      'A legacy or shortcut field (CmdLine, Name, FilePath, Md5...) where a precise field exists: it matches more than meant and translates poorly.',
  },
  check(ctx) {
    for (const p of predicates(ctx.ast.expr)) {
      const info = fieldInfo(p);
      if (!info?.legacy || p.field.kind !== 'Field') continue;
      const preferred = info.legacy.preferred;
      ctx.report({
        node: p.field,
        message: `${info.name} is a ${info.members ? 'shortcut' : 'legacy'} field: prefer ${preferred.join(', ')}. ${info.legacy.reason}`,
        suggestions: preferred.map((name) => replace(`Use ${name}`, p.field.range, name)),
      });
    }
  },
};
