/**
 * The S1QL 1.0 syntax tree: readonly, discriminated by `kind`, plain data (it crosses worker boundaries as JSON).
 * Every node carries the range of source text it was read from. Parentheses are not nodes: an expression written
 * inside them records the range including the parentheses in `parenthesized`.
 */
import type { OperatorId } from './catalog.ts';

/** A place in the text: 0-based UTF-16 offset, 1-based line, 1-based column in UTF-16 code units. */
export interface Position {
  readonly offset: number;
  readonly line: number;
  readonly column: number;
}

/** Half-open range [start, end). */
export interface Range {
  readonly start: Position;
  readonly end: Position;
}

interface NodeBase {
  readonly range: Range;
}

export interface Query extends NodeBase {
  readonly kind: 'Query';
  /** `null` for an empty query (only whitespace or comments). */
  readonly expr: Expr | null;
  /** `--` line comments: not S1QL 1.0, kept so the formatter preserves them and the runner can strip them. */
  readonly comments: readonly Comment[];
}

export interface Comment extends NodeBase {
  readonly kind: 'Comment';
  /** The text after `--`. */
  readonly text: string;
}

export type Expr = OrExpr | AndExpr | NotExpr | Predicate | ErrorExpr;

interface ExprBase extends NodeBase {
  /** Range including the outermost pair of parentheses, when the expression was written inside parentheses. */
  readonly parenthesized?: Range;
}

/** Two or more operands joined by OR (a chain `a OR b OR c` is one node). */
export interface OrExpr extends ExprBase {
  readonly kind: 'Or';
  readonly operands: readonly Expr[];
}

/** Two or more operands joined by AND (juxtaposed clauses, an error in 1.0, are recovered as AND too). */
export interface AndExpr extends ExprBase {
  readonly kind: 'And';
  readonly operands: readonly Expr[];
}

export interface NotExpr extends ExprBase {
  readonly kind: 'Not';
  readonly operand: Expr;
}

/** A region the parser could not make sense of; always accompanied by an error diagnostic. */
export interface ErrorExpr extends ExprBase {
  readonly kind: 'Error';
}

/** `field operator operand`, for example `TgtProcName In AnyCase ("a.exe", "b.exe")`. */
export interface Predicate extends ExprBase {
  readonly kind: 'Predicate';
  readonly field: FieldRef | Missing;
  readonly operator: OperatorNode | Missing;
  /** `null` for operators that take no operand (`Exists`, `Is Empty`, ...). */
  readonly operand: Operand | null;
}

export interface FieldRef extends NodeBase {
  readonly kind: 'Field';
  /** As written. */
  readonly name: string;
  /** The catalog's spelling when the name is known (case-insensitively, or through a 2.0 name or an alias). */
  readonly canonical?: string;
  /** True when written as a dotted S1QL 2.0 name (an error in 1.0). */
  readonly dotted?: true;
}

export interface OperatorNode extends NodeBase {
  readonly kind: 'Operator';
  readonly id: OperatorId;
  /** The spelling as written, words separated by one space (`In Contains Anycase`). */
  readonly text: string;
}

export type Value = StringLiteral | NumberLiteral;
export type Operand = Value | ListLiteral | RangeOperand | Missing;

export interface StringLiteral extends NodeBase {
  readonly kind: 'String';
  /** The value after unescaping (`\"` becomes `"`; every other backslash is literal). */
  readonly value: string;
}

export interface NumberLiteral extends NodeBase {
  readonly kind: 'Number';
  readonly value: number;
  /** The digits as written (`007`, `1.50`). */
  readonly raw: string;
}

export interface ListLiteral extends NodeBase {
  readonly kind: 'List';
  readonly items: readonly (Value | Missing)[];
}

/** The two bounds of `Between low And high`. */
export interface RangeOperand extends NodeBase {
  readonly kind: 'Range';
  readonly low: Value | Missing;
  readonly high: Value | Missing;
}

/** Something required that is not there; its range is empty, at the place it was expected. */
export interface Missing extends NodeBase {
  readonly kind: 'Missing';
}

export type Node =
  | Query
  | Comment
  | Expr
  | FieldRef
  | OperatorNode
  | StringLiteral
  | NumberLiteral
  | ListLiteral
  | RangeOperand
  | Missing;

/** For exhaustive switches: `default: return assertNever(node)`. */
export function assertNever(value: never): never {
  throw new TypeError(`unexpected AST node: ${JSON.stringify(value)}`);
}

/** Calls `visit` on `node` and every node below it, parents first. */
export function walk(node: Node, visit: (node: Node, parent: Node | null) => void, parent: Node | null = null): void {
  visit(node, parent);
  switch (node.kind) {
    case 'Query':
      for (const comment of node.comments) visit(comment, node);
      if (node.expr) walk(node.expr, visit, node);
      return;
    case 'Or':
    case 'And':
      for (const operand of node.operands) walk(operand, visit, node);
      return;
    case 'Not':
      walk(node.operand, visit, node);
      return;
    case 'Predicate':
      walk(node.field, visit, node);
      walk(node.operator, visit, node);
      if (node.operand) walk(node.operand, visit, node);
      return;
    case 'List':
      for (const item of node.items) walk(item, visit, node);
      return;
    case 'Range':
      walk(node.low, visit, node);
      walk(node.high, visit, node);
      return;
    case 'Comment':
    case 'Error':
    case 'Field':
    case 'Operator':
    case 'String':
    case 'Number':
    case 'Missing':
      return;
    default:
      assertNever(node);
  }
}

/** Every predicate of an expression, left to right. */
export function predicates(expr: Expr | null): Predicate[] {
  const out: Predicate[] = [];
  if (expr) {
    walk(expr, (node) => {
      if (node.kind === 'Predicate') out.push(node);
    });
  }
  return out;
}

/** The text a node was read from. */
export function sourceText(text: string, node: { readonly range: Range }): string {
  return text.slice(node.range.start.offset, node.range.end.offset);
}
