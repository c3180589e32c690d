/**
 * Applies safe fixes. Each fix is checked by parsing the result: it must not add a syntax error, and unless its
 * rule declares `changesMeaning`, the query must match exactly what it matched before. "The same" is decided on a
 * normal form finer than canonicalKey's: AND/OR are sets (order and duplicates do not matter), a list operator is
 * the OR of its values (`Not In` the AND of `!=`), values compared without case are lower-cased, and a RegExp with
 * no metacharacters is the Contains it stands for. So removing a duplicate or merging an OR chain into a list is
 * verified, not trusted.
 */
import { applyEdits, type Expr, type Fix, isEnumField, type Predicate, parse, type TextEdit } from '@s1ql/language';
import { rules } from './registry.ts';
import type { LintMessage } from './types.ts';
import { fieldInfo, insensitive, opInfo, splitRegex, valueText } from './util.ts';

type NF = string | readonly NF[] | { readonly [k: string]: NF };

const meaningChanging = new Set(rules.filter((r) => r.meta.changesMeaning).map((r) => r.meta.id));
const LIST_TO_ONE: Readonly<Record<string, string>> = {
  in: 'eq',
  inAnyCase: 'eqAnyCase',
  inContains: 'contains',
  inContainsAnyCase: 'containsAnyCase',
  notIn: 'neq',
};
const REGEX_META = /[\\^$.|?*+()[\]{}]/;

function predicateNF(p: Predicate): NF {
  const field = p.field.kind === 'Field' ? (fieldInfo(p)?.name ?? p.field.name).toLowerCase() : '?';
  const op = opInfo(p);
  if (!op) return { p: [field, '?'] };
  const fold = insensitive(p);
  const val = (v: { kind: string } & Parameters<typeof valueText>[0]) =>
    fold ? valueText(v).toLowerCase() : valueText(v);
  const o = p.operand;
  let id: string = op.id;
  if (id === 'eq' && fold) id = 'eqAnyCase';
  if (o?.kind === 'List') {
    const one = LIST_TO_ONE[op.id] ?? op.id;
    const oneId = one === 'eq' && fold ? 'eqAnyCase' : one;
    const items = o.items.map((v) =>
      v.kind === 'Missing' ? { p: [field, oneId, '?'] } : { p: [field, oneId, val(v)] },
    );
    return setOf(op.negated ? 'And' : 'Or', items);
  }
  if (op.id === 'regexp' && o?.kind === 'String') {
    const { body, ignoreCase } = splitRegex(o.value);
    // Without (?i) a RegExp is case-sensitive even on an enum field, where Contains is not.
    if (!REGEX_META.test(body) && body !== '' && (ignoreCase || !isEnumField(fieldInfo(p)))) {
      return { p: [field, ignoreCase ? 'containsAnyCase' : 'contains', ignoreCase ? body.toLowerCase() : body] };
    }
  }
  if (o === null) return { p: [field, id] };
  if (o.kind === 'String' || o.kind === 'Number') return { p: [field, id, val(o)] };
  if (o.kind === 'Range') {
    const b = (v: typeof o.low) => (v.kind === 'Missing' ? '?' : valueText(v));
    return { p: [field, id, b(o.low), b(o.high)] };
  }
  return { p: [field, id, '?'] };
}

function setOf(kind: 'And' | 'Or', items: readonly NF[]): NF {
  const flat: NF[] = [];
  for (const item of items) {
    const inner = typeof item === 'object' && !Array.isArray(item) ? (item as Record<string, NF>)[kind] : undefined;
    if (Array.isArray(inner)) flat.push(...inner);
    else flat.push(item);
  }
  const unique = [...new Map(flat.map((f) => [JSON.stringify(f), f])).entries()].sort(([a], [b]) => (a < b ? -1 : 1));
  if (unique.length === 1) return (unique[0] as [string, NF])[1];
  return { [kind]: unique.map(([, f]) => f) };
}

function exprNF(e: Expr): NF {
  switch (e.kind) {
    case 'And':
    case 'Or':
      return setOf(e.kind, e.operands.map(exprNF));
    case 'Not':
      return { Not: exprNF(e.operand) };
    case 'Error':
      return 'Error';
    case 'Predicate':
      return predicateNF(e);
  }
}

/** Equal for two queries that match the same events (sufficient, not necessary). */
export function meaningKey(expr: Expr | null): string {
  return JSON.stringify(expr ? exprNF(expr) : null);
}

function errorCount(text: string): number {
  return parse(text).diagnostics.filter((d) => d.severity === 'error').length;
}

function sortedEdits(fix: Fix): TextEdit[] {
  return [...fix.edits].sort((a, b) => a.range.start.offset - b.range.start.offset);
}

function span(fix: Fix): [number, number] {
  const edits = sortedEdits(fix);
  return [edits[0]?.range.start.offset ?? 0, Math.max(...edits.map((e) => e.range.end.offset))];
}

export interface FixResult {
  readonly output: string;
  readonly applied: LintMessage[];
  /** Fixes refused, with why (they broke the parse or would change what the query matches). */
  readonly dropped: { message: LintMessage; reason: string }[];
  /** Fixes that overlap an applied one: lint the output again to get them (the CLI does, up to 10 passes). */
  readonly deferred: LintMessage[];
}

/** Applies the non-overlapping safe fixes of `messages` to `text`, verifying each one by re-parsing. */
export function applyFixes(text: string, messages: readonly LintMessage[]): FixResult {
  const withFix = messages
    .filter((m): m is LintMessage & { fix: Fix } => m.fix !== undefined && m.fix.edits.length > 0)
    .sort((a, b) => span(a.fix)[0] - span(b.fix)[0] || span(a.fix)[1] - span(b.fix)[1]);
  const chosen: (LintMessage & { fix: Fix })[] = [];
  const deferred: LintMessage[] = [];
  let lastEnd = -1;
  for (const m of withFix) {
    const edits = sortedEdits(m.fix);
    const selfOverlap = edits.some(
      (e, i) => i > 0 && e.range.start.offset < (edits[i - 1] as TextEdit).range.end.offset,
    );
    if (selfOverlap) continue;
    const [start, end] = span(m.fix);
    if (start < lastEnd) {
      deferred.push(m);
      continue;
    }
    chosen.push(m);
    lastEnd = end;
  }
  const applied: LintMessage[] = [];
  const dropped: { message: LintMessage; reason: string }[] = [];
  let current = text;
  let currentErrors = errorCount(text);
  let currentKey = meaningKey(parse(text).ast.expr);
  // From the end of the text backwards, so offsets before each fix stay valid.
  for (const m of chosen.reverse()) {
    const next = applyEdits(current, m.fix.edits);
    const parsed = parse(next);
    const errors = parsed.diagnostics.filter((d) => d.severity === 'error').length;
    // A fix never adds an error, and the fix of an error (a parser finding) must remove one.
    if (errors > currentErrors || (m.severity === 'error' && m.ruleId === null && errors >= currentErrors)) {
      dropped.push({ message: m, reason: 'the fixed query would not parse' });
      continue;
    }
    const nextKey = meaningKey(parsed.ast.expr);
    if (!(m.ruleId !== null && meaningChanging.has(m.ruleId)) && nextKey !== currentKey) {
      dropped.push({ message: m, reason: 'the fix would change what the query matches' });
      continue;
    }
    current = next;
    currentErrors = errors;
    currentKey = nextKey;
    applied.push(m);
  }
  applied.reverse();
  dropped.reverse();
  return { output: current, applied, dropped, deferred };
}
