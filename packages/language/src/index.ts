export type {
  AndExpr,
  Comment,
  ErrorExpr,
  Expr,
  FieldRef,
  ListLiteral,
  Missing,
  Node,
  NotExpr,
  NumberLiteral,
  Operand,
  OperatorNode,
  OrExpr,
  Position,
  Predicate,
  Query,
  Range,
  RangeOperand,
  StringLiteral,
  Value,
} from './ast.ts';
export { assertNever, predicates, sourceText, walk } from './ast.ts';
export type {
  CaseRule,
  EventTypeInfo,
  FieldInfo,
  FieldType,
  InvalidOperator,
  ObjectTypeInfo,
  OperandKind,
  OperatorId,
  OperatorInfo,
  S1ql2OnlyField,
} from './catalog.ts';
export {
  eventTypes,
  fields,
  invalidOperators,
  isEnumField,
  keywords,
  lookupEventType,
  lookupField,
  lookupFieldByS1ql2,
  lookupObjectType,
  objectTypes,
  operatorInfo,
  operators,
  s1ql2OnlyFields,
} from './catalog.ts';
export type { Diagnostic, Fix, LanguageCode, Severity, TextEdit } from './diagnostics.ts';
export { applyEdits, Codes } from './diagnostics.ts';
export { canonicalKey } from './equality.ts';
export type { ParseResult } from './parse.ts';
export { initParser, parse } from './parse.ts';
export type { PrintOptions } from './printer.ts';
export { print, printCompact, quote, UnprintableValueError } from './printer.ts';
export { LineIndex, maskEnvironmentVariables, wildcardEdges } from './text.ts';
/** The Chevrotain token types of the lexer `parse` uses, in lexer order, and the category every token is in. */
export { AnyToken, allTokens as tokenTypes } from './tokens.ts';
