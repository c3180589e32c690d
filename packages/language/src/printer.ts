/**
 * The one printer of S1QL 1.0. `print` writes the canonical form (catalog spellings, one spelling per operator,
 * quoted values, parentheses only where needed or where they make mixed AND/OR explicit, long queries broken one
 * clause per line); `printCompact` writes the one-line form sent to the API (no comments).
 */
import type { Comment, Expr, Missing, Predicate, Query, Value } from './ast.ts';
import { assertNever } from './ast.ts';
import { lookupField, operatorInfo } from './catalog.ts';

export interface PrintOptions {
  /** Break a query that does not fit on one line of this many characters (default 100). */
  readonly width?: number;
  /** Spaces per nesting level when broken (default 2). */
  readonly indent?: number;
  /** The line break between lines (default `\n`; `\r\n` for a CRLF file). Line breaks inside values are kept. */
  readonly newline?: '\n' | '\r\n';
}

/** A value S1QL 1.0 cannot write: a string ending in a backslash (`\"` would escape the closing quote). */
export class UnprintableValueError extends RangeError {
  readonly code = 'S1QL_UNPRINTABLE_VALUE';
  readonly value: string;
  constructor(value: string) {
    super(`S1QL 1.0 cannot represent a value ending in a backslash: ${JSON.stringify(value)}`);
    this.name = 'UnprintableValueError';
    this.value = value;
  }
}

export function quote(value: string): string {
  if (value.endsWith('\\')) throw new UnprintableValueError(value);
  return `"${value.replaceAll('"', '\\"')}"`;
}

function printValue(v: Value | Missing): string {
  switch (v.kind) {
    case 'String':
      return quote(v.value);
    case 'Number':
      return `"${v.raw}"`;
    case 'Missing':
      throw new TypeError('cannot print a query with a missing value; print only queries that parse without errors');
    default:
      return assertNever(v);
  }
}

function fieldName(p: Predicate): string {
  if (p.field.kind !== 'Field') throw new TypeError('cannot print a predicate without a field');
  return p.field.canonical ?? lookupField(p.field.name)?.name ?? p.field.name;
}

function predicateHead(p: Predicate): string {
  if (p.operator.kind !== 'Operator') throw new TypeError('cannot print a predicate without an operator');
  return `${fieldName(p)} ${operatorInfo(p.operator.id).canonical}`;
}

function flatPredicate(p: Predicate): string {
  const head = predicateHead(p);
  const operand = p.operand;
  if (operand === null) return head;
  switch (operand.kind) {
    case 'String':
    case 'Number':
    case 'Missing':
      return `${head} ${printValue(operand)}`;
    case 'List':
      return `${head} (${operand.items.map(printValue).join(', ')})`;
    case 'Range':
      return `${head} ${printValue(operand.low)} And ${printValue(operand.high)}`;
    default:
      return assertNever(operand);
  }
}

/** Operands of a chain, with nested chains of the same kind spliced in (their parentheses are not needed). */
function chainOperands(e: Expr & { kind: 'And' | 'Or' }): Expr[] {
  return e.operands.flatMap((o) => (o.kind === e.kind ? chainOperands(o as typeof e) : [o]));
}

/** Where the first clause of `e` (its leftmost predicate, with its parentheses) ends. */
function firstClauseEnd(e: Expr): number {
  let x = e;
  while (x.kind === 'And' || x.kind === 'Or' || x.kind === 'Not') {
    x = x.kind === 'Not' ? x.operand : (x.operands[0] as Expr);
  }
  return (x.parenthesized ?? x.range).end.offset;
}

/** Where the last clause of `e` (its rightmost predicate, with its parentheses) ends. */
function lastClauseEnd(e: Expr): number {
  let x = e;
  while (x.kind === 'And' || x.kind === 'Or' || x.kind === 'Not') {
    x = x.kind === 'Not' ? x.operand : (x.operands.at(-1) as Expr);
  }
  return (x.parenthesized ?? x.range).end.offset;
}

function needsParens(child: Expr, parent: 'And' | 'Or' | 'Not'): boolean {
  if (child.kind !== 'And' && child.kind !== 'Or') return false;
  return parent === 'Not' || child.kind !== parent;
}

function flat(e: Expr): string {
  switch (e.kind) {
    case 'Predicate':
      return flatPredicate(e);
    case 'Not':
      return `NOT ${wrap(e.operand, 'Not')}`;
    case 'And':
    case 'Or':
      return chainOperands(e)
        .map((o) => wrap(o, e.kind))
        .join(e.kind === 'And' ? ' AND ' : ' OR ');
    case 'Error':
      throw new TypeError('cannot print a query with syntax errors');
    default:
      return assertNever(e);
  }
}

function wrap(child: Expr, parent: 'And' | 'Or' | 'Not'): string {
  return needsParens(child, parent) ? `(${flat(child)})` : flat(child);
}

class Layout {
  readonly lines: string[] = [];
  readonly width: number;
  readonly unit: string;
  constructor(width: number, unit: string) {
    this.width = width;
    this.unit = unit;
  }

  /**
   * Writes `e` starting with `prefix` at `depth`. `comments` are the ones inside `e`, in order: a comment runs to the
   * end of its line, so each goes on its own line before the clause it sits in or precedes (after the last one when
   * it follows every clause of a group). None is ever dropped. Comments in or before the first clause of `e` go
   * before `e` as a whole, so they do not break it: printing the output again gives the same text.
   */
  expr(e: Expr, depth: number, prefix: string, parent: 'And' | 'Or' | 'Not' | null, comments: Comment[] = []): void {
    this.comments(comments, firstClauseEnd(e), depth);
    const parens = parent !== null && needsParens(e, parent);
    // After the last clause: inside printed parentheses a comment stays before the `)`; otherwise it follows `e`.
    const after = parens ? [] : takeFrom(comments, lastClauseEnd(e));
    this.#expr(e, depth, prefix, parens, comments);
    this.comments(after, Number.POSITIVE_INFINITY, depth);
  }

  #expr(e: Expr, depth: number, prefix: string, parens: boolean, comments: Comment[]): void {
    const pad = this.unit.repeat(depth);
    const one = parens ? `(${flat(e)})` : flat(e);
    if (comments.length === 0 && pad.length + prefix.length + one.length <= this.width) {
      this.lines.push(pad + prefix + one);
      return;
    }
    if (e.kind === 'And' || e.kind === 'Or') {
      const inner = parens ? depth + 1 : depth;
      if (parens) this.lines.push(`${pad}${prefix}(`);
      const word = e.kind === 'And' ? 'AND ' : 'OR ';
      chainOperands(e).forEach((o, i) => {
        const { start, end } = o.parenthesized ?? o.range;
        this.comments(comments, start.offset, inner);
        this.expr(o, inner, i === 0 ? (parens ? '' : prefix) : word, e.kind, takeBefore(comments, end.offset));
      });
      this.comments(comments, Number.POSITIVE_INFINITY, inner);
      if (parens) this.lines.push(`${pad})`);
      return;
    }
    if (e.kind === 'Not') {
      this.expr(e.operand, depth, `${prefix}NOT `, 'Not', comments);
      return;
    }
    this.comments(comments, Number.POSITIVE_INFINITY, depth);
    if (e.kind === 'Predicate' && e.operand?.kind === 'List' && pad.length + prefix.length + one.length > this.width) {
      this.lines.push(`${pad}${prefix}${predicateHead(e)} (`);
      const items = e.operand.items.map(printValue);
      items.forEach((item, i) => {
        this.lines.push(`${pad}${this.unit}${item}${i < items.length - 1 ? ',' : ''}`);
      });
      this.lines.push(`${pad})`);
      return;
    }
    this.lines.push(pad + prefix + one);
  }

  /** Writes, each on its own line at `depth`, the leading `comments` that start before `offset`. */
  comments(comments: Comment[], offset: number, depth: number): void {
    for (const c of takeBefore(comments, offset)) this.lines.push(`${this.unit.repeat(depth)}--${c.text}`);
  }
}

/** Removes and returns the trailing `comments` (in text order) that start at or after `offset`. */
function takeFrom(comments: Comment[], offset: number): Comment[] {
  let n = comments.length;
  while (n > 0 && (comments[n - 1] as Comment).range.start.offset >= offset) n--;
  return comments.splice(n);
}

/** Removes and returns the leading `comments` (in text order) that start before `offset`. */
function takeBefore(comments: Comment[], offset: number): Comment[] {
  let n = 0;
  while (n < comments.length && (comments[n] as Comment).range.start.offset < offset) n++;
  return comments.splice(0, n);
}

/** Canonical text of a query (with its `--` comments) or of an expression. Ends without a newline. */
export function print(node: Query | Expr, options: PrintOptions = {}): string {
  const layout = new Layout(options.width ?? 100, ' '.repeat(options.indent ?? 2));
  if (node.kind !== 'Query') {
    layout.expr(node, 0, '', null);
    return layout.lines.join(options.newline ?? '\n');
  }
  const comments = [...node.comments];
  const expr = node.expr;
  if (expr) {
    const { start, end } = expr.parenthesized ?? expr.range;
    layout.comments(comments, start.offset, 0);
    layout.expr(expr, 0, '', null, takeBefore(comments, end.offset));
  }
  layout.comments(comments, Number.POSITIVE_INFINITY, 0);
  return layout.lines.join(options.newline ?? '\n');
}

/** The query on one line, without comments: what the runner sends. */
export function printCompact(node: Query | Expr): string {
  if (node.kind === 'Query') return node.expr ? flat(node.expr) : '';
  return flat(node);
}
