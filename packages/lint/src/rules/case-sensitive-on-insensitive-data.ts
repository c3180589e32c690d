import { type Fix, predicates } from '@s1ql/language';
import type { Rule } from '../types.ts';
import { docsUrl, fieldInfo, hasCasedLetters, operandValues, opInfo, replace } from '../util.ts';

/** The AnyCase spelling of each sensitive operator that has one. */
const ANYCASE: Readonly<Record<string, string>> = {
  in: 'In AnyCase',
  inContains: 'In Contains AnyCase',
  contains: 'Contains AnyCase',
  doesNotContain: 'Does Not ContainCIS',
  startsWith: 'StartsWith AnyCase',
  endsWith: 'EndsWith AnyCase',
};

export const rule: Rule = {
  meta: {
    id: 'case-sensitive-on-insensitive-data',
    code: 'R416',
    name: 'Case-sensitive operator on case-insensitive data',
    category: 'suspicious',
    defaultSeverity: 'warn',
    fixable: false,
    docsUrl: docsUrl('case-sensitive-on-insensitive-data'),
    description:
      'Paths, names and hashes are recorded in whatever case the system used; a case-sensitive comparison misses "CMD.EXE" when it looks for "cmd.exe". Suggests the AnyCase form.',
  },
  check(ctx) {
    for (const p of predicates(ctx.ast.expr)) {
      const info = fieldInfo(p);
      const op = opInfo(p);
      if (!info?.caseInsensitiveData || !op || p.operator.kind !== 'Operator' || !p.operand) continue;
      if (!operandValues(p).some((v) => v.kind === 'String' && hasCasedLetters(v.value))) continue;
      let suggestion: Fix | undefined;
      if (op.id === 'eq') {
        const operandText = ctx.text.slice(p.operand.range.start.offset, p.operand.range.end.offset);
        suggestion = replace(
          'Use In AnyCase',
          ctx.rangeOf(p.operator.range.start.offset, p.operand.range.end.offset),
          `In AnyCase (${operandText})`,
        );
      } else if (ANYCASE[op.id]) {
        suggestion = replace(`Use ${ANYCASE[op.id]}`, p.operator.range, ANYCASE[op.id] as string);
      } else if (op.id === 'regexp' && p.operand.kind === 'String' && !p.operand.value.startsWith('(?i)')) {
        const at = p.operand.range.start.offset + 1;
        suggestion = replace('Add (?i)', ctx.rangeOf(at, at), '(?i)');
      }
      if (!suggestion) continue;
      ctx.report({
        node: p.operator,
        message: `${info.name} holds text in any case, but ${p.operator.text} compares case-sensitively: ${suggestion.title.replace(/^Use /, 'use ').replace(/^Add /, 'add ')}.`,
        suggestions: [suggestion],
      });
    }
  },
};
