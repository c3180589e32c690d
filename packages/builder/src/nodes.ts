/**
 * Factories of frozen AST nodes (the types of @s1ql/language). Synthesized nodes have no source text, so every
 * range is the zero range at the start.
 */
import type {
  AndExpr,
  Expr,
  FieldRef,
  ListLiteral,
  NotExpr,
  NumberLiteral,
  Operand,
  OperatorId,
  OperatorNode,
  OrExpr,
  Predicate,
  Query,
  Range,
  RangeOperand,
  StringLiteral,
  Value,
} from '@s1ql/language';

const zero = Object.freeze({ offset: 0, line: 1, column: 1 });
export const ZERO_RANGE: Range = Object.freeze({ start: zero, end: zero });

export function stringNode(value: string): StringLiteral {
  return Object.freeze({ kind: 'String', value, range: ZERO_RANGE });
}

export function numberNode(value: number): NumberLiteral {
  return Object.freeze({ kind: 'Number', value, raw: String(value), range: ZERO_RANGE });
}

export function listNode(items: readonly Value[]): ListLiteral {
  return Object.freeze({ kind: 'List', items: Object.freeze([...items]), range: ZERO_RANGE });
}

export function rangeNode(low: Value, high: Value): RangeOperand {
  return Object.freeze({ kind: 'Range', low, high, range: ZERO_RANGE });
}

export function predicateNode(field: string, id: OperatorId, text: string, operand: Operand | null): Predicate {
  const fieldRef: FieldRef = Object.freeze({ kind: 'Field', name: field, canonical: field, range: ZERO_RANGE });
  const operator: OperatorNode = Object.freeze({ kind: 'Operator', id, text, range: ZERO_RANGE });
  return Object.freeze({ kind: 'Predicate', field: fieldRef, operator, operand, range: ZERO_RANGE });
}

/** A chain; nested chains of the same kind are spliced in so `a.and(b).and(c)` is one three-operand AND. */
export function chainNode(kind: 'And' | 'Or', operands: readonly Expr[]): AndExpr | OrExpr {
  const flat = operands.flatMap((o) => (o.kind === kind ? (o as AndExpr | OrExpr).operands : [o]));
  return Object.freeze({ kind, operands: Object.freeze(flat), range: ZERO_RANGE }) as AndExpr | OrExpr;
}

export function andNode(operands: readonly Expr[]): AndExpr {
  return chainNode('And', operands) as AndExpr;
}

export function notNode(operand: Expr): NotExpr {
  return Object.freeze({ kind: 'Not', operand, range: ZERO_RANGE });
}

export function queryNode(expr: Expr): Query {
  return Object.freeze({ kind: 'Query', expr, comments: Object.freeze([]), range: ZERO_RANGE });
}

/** A parsed expression re-made with zero ranges, no `parenthesized`, and frozen (for `raw`). */
export function adopt(e: Expr): Expr {
  switch (e.kind) {
    case 'And':
    case 'Or':
      return chainNode(e.kind, e.operands.map(adopt));
    case 'Not':
      return notNode(adopt(e.operand));
    case 'Predicate': {
      if (e.field.kind !== 'Field' || e.operator.kind !== 'Operator') throw new TypeError('incomplete predicate');
      const name = e.field.canonical ?? e.field.name;
      return predicateNode(name, e.operator.id, e.operator.text, adoptOperand(e.operand));
    }
    case 'Error':
      throw new TypeError('cannot adopt an expression with syntax errors');
    default:
      throw new TypeError(`unexpected node ${(e as Expr).kind}`);
  }
}

function adoptValue(v: Value | { readonly kind: 'Missing' }): Value {
  if (v.kind === 'String') return stringNode(v.value);
  if (v.kind === 'Number') return Object.freeze({ kind: 'Number', value: v.value, raw: v.raw, range: ZERO_RANGE });
  throw new TypeError('cannot adopt a missing value');
}

function adoptOperand(o: Operand | null): Operand | null {
  if (o === null) return null;
  switch (o.kind) {
    case 'String':
    case 'Number':
    case 'Missing':
      return adoptValue(o);
    case 'List':
      return listNode(o.items.map(adoptValue));
    case 'Range':
      return rangeNode(adoptValue(o.low), adoptValue(o.high));
    default:
      throw new TypeError('unexpected operand');
  }
}
