/**
 * Runtime twin of types.ts: which operators each field kind takes, and the check every builder call goes through
 * (so a JavaScript caller, or a cast, gets the same answer the types give).
 */
import { type FieldInfo, lookupField, type OperatorId, operatorInfo } from '@s1ql/language';
import { BuilderError } from './errors.ts';
import { fieldTypes, operatorNames } from './generated/fields.ts';
import type {
  BooleanOperator,
  ExactOperator,
  FieldKind,
  FieldName,
  OperatorName,
  OrderingOperator,
  PresenceOperator,
  TextOperator,
} from './types.ts';

export const presenceOperators = ['is empty', 'is not empty', 'exists'] as const satisfies readonly PresenceOperator[];
export const exactOperators = ['=', '!=', 'in', 'not in'] as const satisfies readonly ExactOperator[];
export const orderingOperators = ['<', '<=', '>', '>=', 'between'] as const satisfies readonly OrderingOperator[];
export const booleanOperators = ['is true', 'is false'] as const satisfies readonly BooleanOperator[];
export const textOperators = [
  'in anycase',
  'in contains',
  'in contains anycase',
  'contains',
  'contains anycase',
  'does not contain',
  'does not containcis',
  'startswith',
  'startswith anycase',
  'endswith',
  'endswith anycase',
  'regexp',
] as const satisfies readonly TextOperator[];

const textKind: readonly OperatorName[] = [...exactOperators, ...textOperators, ...presenceOperators];
const orderedKind: readonly OperatorName[] = [...exactOperators, ...orderingOperators, ...presenceOperators];

/** The operators a field kind allows, in catalog order. */
export const operatorsByKind: { readonly [K in FieldKind]: readonly OperatorName[] } = {
  string: textKind,
  enum: textKind,
  hash: textKind,
  ip: textKind,
  number: orderedKind,
  timestamp: orderedKind,
  boolean: [...booleanOperators, ...presenceOperators],
};

export interface ResolvedField {
  readonly name: FieldName;
  readonly kind: FieldKind;
  readonly enumValues?: readonly string[];
  readonly info: FieldInfo;
}

/** The catalog field for a name (case-insensitive, aliases too, as the parser reads them). */
export function resolveField(name: string): ResolvedField {
  const info = typeof name === 'string' ? lookupField(name) : undefined;
  const entry = info
    ? (fieldTypes as Record<string, { type: FieldKind; values?: readonly string[] }>)[info.name]
    : undefined;
  if (!info || !entry) {
    throw new BuilderError('S1QL_BUILDER_UNKNOWN_FIELD', `Unknown S1QL 1.0 field ${JSON.stringify(name)}.`);
  }
  return {
    name: info.name as FieldName,
    kind: entry.type,
    info,
    ...(entry.values ? { enumValues: entry.values } : {}),
  };
}

export interface ResolvedOperator {
  readonly name: OperatorName;
  readonly id: OperatorId;
}

/** The operator for a builder spelling, checked against the field's kind. */
export function resolveOperator(field: ResolvedField, op: string): ResolvedOperator {
  const name = (typeof op === 'string' ? op.trim().toLowerCase().replace(/\s+/g, ' ') : '') as OperatorName;
  const entry = (operatorNames as Record<string, { id: OperatorId } | undefined>)[name];
  if (!entry) {
    throw new BuilderError(
      'S1QL_BUILDER_OPERATOR',
      `Unknown operator ${JSON.stringify(op)}; the builder takes ${Object.keys(operatorNames).join(', ')}.`,
    );
  }
  const allowed = operatorsByKind[field.kind];
  if (!allowed.includes(name)) {
    throw new BuilderError(
      'S1QL_BUILDER_OPERATOR',
      `${field.name} is a ${field.kind} field: ${operatorInfo(entry.id).canonical} does not apply. ` +
        `It takes ${allowed.join(', ')}.`,
    );
  }
  return { name, id: entry.id };
}
