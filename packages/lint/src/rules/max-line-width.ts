import type { Rule } from '../types.ts';
import { docsUrl } from '../util.ts';

const DEFAULT_WIDTH = 100;

export const rule: Rule = {
  meta: {
    id: 'max-line-width',
    code: 'R442',
    name: 'Line too long',
    category: 'style',
    defaultSeverity: 'off',
    fixable: false,
    docsUrl: docsUrl('max-line-width'),
    description: 'Lines longer than 100 UTF-16 code units (option: the width); `s1ql fmt` breaks them.',
  },
  check(ctx) {
    const width = typeof ctx.options === 'number' && ctx.options > 0 ? ctx.options : DEFAULT_WIDTH;
    const re = /[^\r\n]*(\r\n|\r|\n|$)/g;
    for (let m = re.exec(ctx.text); m && m[0] !== ''; m = re.exec(ctx.text)) {
      const length = m[0].length - (m[1]?.length ?? 0);
      if (length > width) {
        ctx.report({
          range: ctx.rangeOf(m.index + width, m.index + length),
          message: `This line is ${length} characters long (at most ${width}); run s1ql fmt.`,
        });
      }
    }
  },
};
