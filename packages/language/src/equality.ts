/**
 * Structural identity of queries, ignoring what does not change meaning: ranges, spelling of fields and
 * operators, parentheses, how a chain of ANDs was grouped, and whether a number was quoted. Used by the
 * round-trip properties and by lint rules that look for duplicates.
 */
import type { Expr, Missing, Operand, Value } from './ast.ts';
import { assertNever } from './ast.ts';
import { lookupField } from './catalog.ts';

type Key = string | number | null | readonly Key[] | { readonly [k: string]: Key };

function valueKey(v: Value | Missing): Key {
  switch (v.kind) {
    case 'String':
      return v.value;
    case 'Number':
      return v.raw;
    case 'Missing':
      return null;
    default:
      return assertNever(v);
  }
}

function operandKey(o: Operand | null): Key {
  if (o === null) return null;
  switch (o.kind) {
    case 'String':
    case 'Number':
    case 'Missing':
      return valueKey(o);
    case 'List':
      return o.items.map(valueKey);
    case 'Range':
      return { low: valueKey(o.low), high: valueKey(o.high) };
    default:
      return assertNever(o);
  }
}

export function exprKey(e: Expr): Key {
  switch (e.kind) {
    case 'And':
    case 'Or':
      return {
        [e.kind]: e.operands.flatMap((o) =>
          o.kind === e.kind ? (exprKey(o) as { [k: string]: Key[] })[e.kind] : [exprKey(o)],
        ) as Key[],
      };
    case 'Not':
      return { Not: exprKey(e.operand) };
    case 'Error':
      return { Error: null };
    case 'Predicate': {
      const field =
        e.field.kind === 'Field'
          ? (e.field.canonical ?? lookupField(e.field.name)?.name ?? e.field.name).toLowerCase()
          : null;
      const op = e.operator.kind === 'Operator' ? e.operator.id : null;
      return { field, op, operand: operandKey(e.operand) };
    }
    default:
      return assertNever(e);
  }
}

/** A string that is equal for two expressions exactly when they are the same query up to formatting. */
export function canonicalKey(e: Expr | null): string {
  return JSON.stringify(e === null ? null : exprKey(e));
}
