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

/** What `implies` compares of a predicate, worked out once. */
interface Condition {
  readonly kind: Kind;
  readonly fold: boolean;
  readonly value: string;
  /** The value lower-cased, for a comparison in any case. */
  readonly folded: string;
  readonly field: string;
}

/** A positive text condition on a field that is not an enum, or undefined when `implies` never holds for it. */
function condition(p: Predicate): Condition | undefined {
  const how = KINDS[opInfo(p)?.id ?? ''];
  const value = singleString(p);
  const field = fieldKey(p);
  if (!how || value === undefined || field === undefined || isEnumFieldOf(p)) return undefined;
  return { ...how, value, folded: value.toLowerCase(), field };
}

function conditionImplies(a: Condition, b: Condition): boolean {
  if (b.kind === 'eq' || a.field !== b.field) return false;
  if (a.fold && !b.fold) return false; // an insensitive match does not imply a sensitive one
  const pv = b.fold ? a.folded : a.value;
  const qv = b.fold ? b.folded : b.value;
  switch (b.kind) {
    case 'contains':
      return pv.includes(qv);
    case 'startsWith':
      return (a.kind === 'startsWith' || a.kind === 'eq') && pv.startsWith(qv);
    case 'endsWith':
      return (a.kind === 'endsWith' || a.kind === 'eq') && pv.endsWith(qv);
  }
}

/** True when every value matching `p` also matches `q` (both positive text conditions on one field). */
export function implies(p: Predicate, q: Predicate): boolean {
  const a = condition(p);
  const b = condition(q);
  return a !== undefined && b !== undefined && conditionImplies(a, b);
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
      // Each predicate read once, and compared only with those on its field, in the order of the chain (an OR of
      // thousands of IOCs compared pair by pair, reading each pair again, took seconds).
      const read = directPredicates(chain).flatMap((p) => {
        const c = condition(p);
        return c ? [{ p, c }] : [];
      });
      const byField = new Map<string, typeof read>();
      for (const x of read) {
        const group = byField.get(x.c.field);
        if (group) group.push(x);
        else byField.set(x.c.field, [x]);
      }
      const flagged = new Set<Predicate>();
      for (const { p, c: a } of read) {
        for (const { p: q, c: b } of byField.get(a.field) ?? []) {
          if (p === q || !conditionImplies(a, b) || conditionImplies(b, a)) continue;
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
