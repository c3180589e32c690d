import { type Predicate, sourceText, type TextEdit } from '@s1ql/language';
import type { Rule } from '../types.ts';
import { docsUrl, fieldKey, opInfo, outer } from '../util.ts';

/** The list operator each single-value or list operator folds into. */
const LIST_OP: Readonly<Record<string, string>> = {
  eq: 'In',
  in: 'In',
  inAnyCase: 'In AnyCase',
  contains: 'In Contains',
  inContains: 'In Contains',
  containsAnyCase: 'In Contains AnyCase',
  inContainsAnyCase: 'In Contains AnyCase',
};
const MAX = 100;

export const rule: Rule = {
  meta: {
    id: 'or-chain-to-list',
    code: 'R434',
    name: 'OR chain on one field',
    category: 'performance',
    defaultSeverity: 'warn',
    fixable: true,
    docsUrl: docsUrl('or-chain-to-list'),
    description:
      'Several ORed conditions on one field with one operator are one list: In, In AnyCase, In Contains or In Contains AnyCase. Shorter, and faster to evaluate.',
  },
  check(ctx) {
    const visit = (chain: { kind: string; operands: readonly import('@s1ql/language').Expr[] }) => {
      if (chain.kind !== 'Or') return;
      const groups = new Map<string, { index: number; p: Predicate }[]>();
      chain.operands.forEach((e, index) => {
        if (e.kind !== 'Predicate' || !e.operand || e.operand.kind === 'Missing') return;
        const op = opInfo(e);
        const key = fieldKey(e);
        const listOp = op ? LIST_OP[op.id] : undefined;
        if (!listOp || !key) return;
        const group = `${key}\u0000${listOp}`;
        groups.set(group, [...(groups.get(group) ?? []), { index, p: e }]);
      });
      for (const [group, members] of groups) {
        if (members.length < 2) continue;
        const listOp = group.split('\u0000')[1] as string;
        const values = members.flatMap(({ p }) =>
          p.operand?.kind === 'List'
            ? p.operand.items.map((v) => sourceText(ctx.text, v))
            : p.operand
              ? [sourceText(ctx.text, p.operand)]
              : [],
        );
        if (values.length > MAX) continue;
        const first = members[0] as { index: number; p: Predicate };
        const last = members[members.length - 1] as { index: number; p: Predicate };
        const fieldText = sourceText(ctx.text, first.p.field);
        const edits: TextEdit[] = [{ range: first.p.range, newText: `${fieldText} ${listOp} (${values.join(', ')})` }];
        for (const m of members.slice(1)) {
          const prev = chain.operands[m.index - 1];
          if (!prev) continue;
          edits.push({
            range: ctx.rangeOf(outer(prev).end.offset, outer(chain.operands[m.index] as Predicate).end.offset),
            newText: '',
          });
        }
        ctx.report({
          range: ctx.rangeOf(first.p.range.start.offset, last.p.range.end.offset),
          message: `${members.length} ORed conditions on ${fieldText} can be one list: ${fieldText} ${listOp} (…).`,
          fix: { title: `Merge into ${listOp}`, edits },
        });
      }
    };
    const walkExpr = (e: import('@s1ql/language').Expr): void => {
      if (e.kind === 'And' || e.kind === 'Or') {
        visit(e);
        for (const o of e.operands) walkExpr(o);
      } else if (e.kind === 'Not') walkExpr(e.operand);
    };
    if (ctx.ast.expr) walkExpr(ctx.ast.expr);
  },
};
