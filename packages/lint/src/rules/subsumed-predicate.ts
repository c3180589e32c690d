import type { Predicate } from '@s1ql/language';
import type { Rule } from '../types.ts';
import { chains, directPredicates, docsUrl, fieldKey, isEnumFieldOf, opInfo, singleString } from '../util.ts';

type Kind = 'eq' | 'contains' | 'startsWith' | 'endsWith';
const KINDS: Readonly<Record<string, { kind: Kind; fold: boolean }>> = {
  eq: { kind: 'eq', fold: false },
  contains: { kind: 'contains', fold: false },
  containsAnyCase: { kind: 'contains', fold: true },
  startsWith: { kind: 'startsWith', fold: false },
  startsWithAnyCase: { kind: 'startsWith', fold: true },
  endsWith: { kind: 'endsWith', fold: false },
  endsWithAnyCase: { kind: 'endsWith', fold: true },
};

/** True when every value matching `p` also matches `q` (both positive text conditions on one field). */
export function implies(p: Predicate, q: Predicate): boolean {
  const a = KINDS[opInfo(p)?.id ?? ''];
  const b = KINDS[opInfo(q)?.id ?? ''];
  let pv = singleString(p);
  let qv = singleString(q);
  if (!a || !b || pv === undefined || qv === undefined || b.kind === 'eq') return false;
  if (fieldKey(p) !== fieldKey(q) || isEnumFieldOf(p)) return false;
  if (a.fold && !b.fold) return false; // an insensitive match does not imply a sensitive one
  if (b.fold) {
    pv = pv.toLowerCase();
    qv = qv.toLowerCase();
  }
  switch (b.kind) {
    case 'contains':
      return pv.includes(qv);
    case 'startsWith':
      return (a.kind === 'startsWith' || a.kind === 'eq') && pv.startsWith(qv);
    case 'endsWith':
      return (a.kind === 'endsWith' || a.kind === 'eq') && pv.endsWith(qv);
  }
}

export const rule: Rule = {
  meta: {
    id: 'subsumed-predicate',
    code: 'R413',
    name: 'Redundant (subsumed) condition',
    category: 'suspicious',
    defaultSeverity: 'warn',
    fixable: false,
    docsUrl: docsUrl('subsumed-predicate'),
    description:
      'Under AND, a condition implied by another (Contains "ab" next to Contains "abc") adds nothing; under OR, the stronger one does.',
  },
  check(ctx) {
    for (const chain of chains(ctx.ast.expr)) {
      const preds = directPredicates(chain);
      const flagged = new Set<Predicate>();
      for (const p of preds) {
        for (const q of preds) {
          if (p === q || !implies(p, q) || implies(q, p)) continue;
          // AND: q is implied by p, so q is redundant. OR: p already matches through q, so p is redundant.
          const redundant = chain.kind === 'And' ? q : p;
          const other = chain.kind === 'And' ? p : q;
          if (flagged.has(redundant)) continue;
          flagged.add(redundant);
          ctx.report({
            node: redundant,
            message: `Redundant under ${chain.kind.toUpperCase()}: ${chain.kind === 'And' ? 'implied by' : 'already covered by'} ${ctx.text.slice(other.range.start.offset, other.range.end.offset)}.`,
          });
        }
      }
    }
  },
};
