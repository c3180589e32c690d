/**
 * The builder's type-level rules: which operators each field type takes and which values they accept. The
 * runtime checks in operators.ts use the same tables, so a call that compiles is a call that builds.
 */
import type { fieldTypes, operatorNames } from './generated/fields.ts';

type Fields = typeof fieldTypes;
type Operators = typeof operatorNames;

/** Every field of the catalog, in its catalog spelling. */
export type FieldName = keyof Fields;
/** Every operator, written as the catalog's canonical spelling in lower case (`'contains anycase'`). */
export type OperatorName = keyof Operators;
/** The value type of a field: `string`, `number`, `boolean`, `timestamp`, `ip`, `hash` or `enum`. */
export type FieldKind = Fields[FieldName]['type'];

/** Operators that test presence; every field takes them. */
export type PresenceOperator = 'is empty' | 'is not empty' | 'exists';
/** Exact comparison of one value or a list. */
export type ExactOperator = '=' | '!=' | 'in' | 'not in';
/** Ordering: numbers and timestamps only. */
export type OrderingOperator = '<' | '<=' | '>' | '>=' | 'between';
/** Text matching: strings, enums, hashes and IPs. */
export type TextOperator =
  | 'in anycase'
  | 'in contains'
  | 'in contains anycase'
  | 'contains'
  | 'contains anycase'
  | 'does not contain'
  | 'does not containcis'
  | 'startswith'
  | 'startswith anycase'
  | 'endswith'
  | 'endswith anycase'
  | 'regexp';
/** Booleans take only these (and the presence tests). */
export type BooleanOperator = 'is true' | 'is false';

/** The operators a field kind allows. */
export interface OperatorsByKind {
  string: ExactOperator | TextOperator | PresenceOperator;
  enum: ExactOperator | TextOperator | PresenceOperator;
  hash: ExactOperator | TextOperator | PresenceOperator;
  ip: ExactOperator | TextOperator | PresenceOperator;
  number: ExactOperator | OrderingOperator | PresenceOperator;
  timestamp: ExactOperator | OrderingOperator | PresenceOperator;
  boolean: BooleanOperator | PresenceOperator;
}

/** The operators field `F` allows. */
export type OperatorFor<F extends FieldName> = OperatorsByKind[Fields[F]['type']];

/** A timestamp: a `Date`, epoch milliseconds, or an ISO-8601 string. */
export type TimestampValue = Date | number | string;

type EnumLiterals<F extends FieldName> = Fields[F] extends { readonly values: readonly (infer V)[] } ? V : never;

/** The value an exact operator (`=`, `In`...) takes on field `F`: enum fields take only their catalog values. */
export type ExactValue<F extends FieldName> = {
  string: string;
  enum: EnumLiterals<F>;
  hash: string;
  ip: string;
  number: number;
  timestamp: TimestampValue;
  boolean: never;
}[Fields[F]['type']];

/** The argument(s) after the operator: none, one value, a list, a pattern, or the two bounds of `Between`. */
export type OperandArgs<F extends FieldName, O extends OperatorName> = Operators[O]['operand'] extends 'none'
  ? []
  : Operators[O]['operand'] extends 'range'
    ? [low: ExactValue<F>, high: ExactValue<F>]
    : Operators[O]['operand'] extends 'string' | 'regex'
      ? [text: string]
      : Operators[O]['operand'] extends 'list'
        ? O extends 'in contains' | 'in contains anycase'
          ? [values: readonly string[]]
          : [values: readonly ExactValue<F>[]]
        : [value: ExactValue<F>];

/** The operator itself when field `F` takes it; otherwise a message type, so the compiler error says why. */
export type CheckOperator<F extends FieldName, O extends OperatorName> =
  O extends OperatorFor<F> ? O : `'${O}' does not apply to ${F}, a ${Fields[F]['type']} field`;
