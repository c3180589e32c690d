/** Small helpers the rules share: catalog facts about a predicate, text edits, and name distance. */
import {
  type Expr,
  type FieldInfo,
  type Fix,
  isEnumField,
  lookupField,
  type OperatorInfo,
  operatorInfo,
  operators,
  type Predicate,
  type Range,
  type Value,
  walk,
} from '@s1ql/language';

/** Operators that look for part of a value: the string operators and the In Contains lists (catalog facts). */
export const SUBSTRING_OPERATORS: ReadonlySet<string> = new Set(
  operators
    .filter((o) => o.operand === 'string' || (o.operand === 'list' && o.s1ql2.startsWith('contains')))
    .map((o) => o.id),
);

export function docsUrl(id: string): string {
  return `https://github.com/s1ql/s1ql/blob/main/packages/lint/docs/rules/${id}.md`;
}

export function fieldInfo(p: Predicate): FieldInfo | undefined {
  return p.field.kind === 'Field' ? lookupField(p.field.canonical ?? p.field.name) : undefined;
}

export function opInfo(p: Predicate): OperatorInfo | undefined {
  return p.operator.kind === 'Operator' ? operatorInfo(p.operator.id) : undefined;
}

/** The field's catalog name (lower-cased when unknown), for grouping predicates on one field. */
export function fieldKey(p: Predicate): string | undefined {
  if (p.field.kind !== 'Field') return undefined;
  return fieldInfo(p)?.name ?? p.field.name.toLowerCase();
}

/** The single value of a `value`/`string`/`regex` operand, or the values of a list. */
export function operandValues(p: Predicate): Value[] {
  const o = p.operand;
  if (!o) return [];
  if (o.kind === 'String' || o.kind === 'Number') return [o];
  if (o.kind === 'List') return o.items.filter((v): v is Value => v.kind !== 'Missing');
  return [];
}

export function singleString(p: Predicate): string | undefined {
  return p.operand?.kind === 'String' ? p.operand.value : undefined;
}

/** True when string values compare without case under this operator on this field. */
export function insensitive(p: Predicate): boolean {
  const op = opInfo(p);
  if (!op) return false;
  if (op.case === 'insensitive') return true;
  return op.case === 'sensitive' && isEnumField(fieldInfo(p));
}

export function valueText(v: Value): string {
  return v.kind === 'String' ? v.value : v.raw;
}

/** The range of an expression including its own parentheses. */
export function outer(e: Expr): Range {
  return e.parenthesized ?? e.range;
}

/** Every AND / OR chain of the query, with whether it sits under a NOT. */
export function chains(expr: Expr | null): (Expr & { kind: 'And' | 'Or' })[] {
  const out: (Expr & { kind: 'And' | 'Or' })[] = [];
  if (expr) {
    walk(expr, (node) => {
      if (node.kind === 'And' || node.kind === 'Or') out.push(node);
    });
  }
  return out;
}

/** Predicates that are direct operands of a chain (parentheses around one predicate are fine). */
export function directPredicates(chain: { readonly operands: readonly Expr[] }): Predicate[] {
  return chain.operands.filter((e): e is Predicate => e.kind === 'Predicate');
}

export function replace(title: string, range: Range, newText: string): Fix {
  return { title, edits: [{ range, newText }] };
}

export function hasCasedLetters(s: string): boolean {
  return s.toLowerCase() !== s.toUpperCase();
}

/** Levenshtein distance with an upper bound (returns bound + 1 when exceeded). */
export function editDistance(a: string, b: string, bound = Number.POSITIVE_INFINITY): number {
  if (Math.abs(a.length - b.length) > bound) return bound + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const v = Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      cur.push(v);
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > bound) return bound + 1;
    prev = cur;
  }
  return prev[b.length] as number;
}

/** The candidates closest to `word` (case-insensitively), within a distance that grows with its length. */
export function closest(word: string, candidates: Iterable<string>): string[] {
  const w = word.toLowerCase();
  const bound = Math.max(1, Math.min(3, Math.floor(w.length / 3)));
  let best = bound + 1;
  let out: string[] = [];
  for (const c of candidates) {
    const d = editDistance(w, c.toLowerCase(), bound);
    if (d < best) {
      best = d;
      out = [c];
    } else if (d === best && !out.includes(c)) out.push(c);
  }
  return best <= bound ? out : [];
}

/** `"a"`, `"a" or "b"`, `"a", "b" or "c"`. */
export function orList(items: readonly string[]): string {
  const quoted = items.map((s) => `"${s}"`);
  if (quoted.length <= 1) return quoted.join('');
  return `${quoted.slice(0, -1).join(', ')} or ${quoted[quoted.length - 1]}`;
}

/** The pattern of a RegExp operand without its leading `(?i)`, and whether it had one. */
export function splitRegex(pattern: string): { body: string; ignoreCase: boolean } {
  return pattern.startsWith('(?i)')
    ? { body: pattern.slice(4), ignoreCase: true }
    : { body: pattern, ignoreCase: false };
}

export function isEnumFieldOf(p: Predicate): boolean {
  return isEnumField(fieldInfo(p));
}
