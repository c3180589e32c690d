export type { Alternative, BuilderErrorCode } from './errors.ts';
export { BuilderError, RawSyntaxError, UnrepresentableValueError } from './errors.ts';
export { fieldTypes, operatorNames } from './generated/fields.ts';
export { operatorsByKind } from './operators.ts';
export type { ConditionFunction, S1qlEntry } from './query.ts';
export { and, not, or, raw, S1qlQuery, s1ql } from './query.ts';
export type { IocKind } from './sweep/normalize.ts';
export { normalizeIoc, refang } from './sweep/normalize.ts';
export type {
  InvalidIoc,
  KindPlan,
  NormalizedIoc,
  PlannedQuery,
  SweepOptions,
  SweepPlan,
} from './sweep/plan.ts';
export { planSweep, searchedFields } from './sweep/plan.ts';
export type {
  BooleanOperator,
  CheckOperator,
  ExactOperator,
  ExactValue,
  FieldKind,
  FieldName,
  OperandArgs,
  OperatorFor,
  OperatorName,
  OperatorsByKind,
  OrderingOperator,
  PresenceOperator,
  TextOperator,
  TimestampValue,
} from './types.ts';
export { escapeRegExp } from './values.ts';
