/**
 * Typed access to the language-as-data in `grammar/`. Every fact about fields, operators and event types comes
 * from there; nothing else in the toolkit spells them out.
 */
import eventTypesJson from '@s1ql/grammar/event-types.json' with { type: 'json' };
import fieldsJson from '@s1ql/grammar/fields.json' with { type: 'json' };
import operatorsJson from '@s1ql/grammar/operators.json' with { type: 'json' };

export type FieldType = 'string' | 'number' | 'boolean' | 'enum' | 'timestamp' | 'ip' | 'hash';

export interface FieldInfo {
  readonly name: string;
  readonly type: FieldType;
  readonly enumLike?: true;
  readonly enumValues?: readonly string[];
  readonly objectTypes: readonly string[];
  readonly doc: string;
  readonly s1ql2?: string;
  readonly s1ql2Approximate?: true;
  readonly eventKey?: string;
  readonly members?: readonly string[];
  readonly legacy?: { readonly preferred: readonly string[]; readonly reason: string };
  readonly caseInsensitiveData?: true;
  readonly aliases?: readonly string[];
  readonly sources: readonly string[];
  readonly notes?: string;
}

export interface S1ql2OnlyField {
  readonly name: string;
  readonly type: FieldType;
  readonly doc: string;
  readonly sources: readonly string[];
}

/** The ids of `grammar/operators.json`; a test keeps the two in step. */
export type OperatorId =
  | 'eq'
  | 'neq'
  | 'lt'
  | 'lte'
  | 'gt'
  | 'gte'
  | 'in'
  | 'notIn'
  | 'inAnyCase'
  | 'inContains'
  | 'inContainsAnyCase'
  | 'contains'
  | 'containsAnyCase'
  | 'doesNotContain'
  | 'doesNotContainAnyCase'
  | 'startsWith'
  | 'startsWithAnyCase'
  | 'endsWith'
  | 'endsWithAnyCase'
  | 'regexp'
  | 'between'
  | 'isEmpty'
  | 'isNotEmpty'
  | 'exists'
  | 'isTrue'
  | 'isFalse';

export type OperandKind = 'value' | 'list' | 'string' | 'regex' | 'range' | 'none';
export type CaseRule = 'sensitive' | 'insensitive' | 'pattern' | 'none';

export interface OperatorInfo {
  readonly id: OperatorId;
  /** Every accepted spelling as words; the first is canonical. */
  readonly spellings: readonly (readonly string[])[];
  /** The canonical spelling, words joined by one space. */
  readonly canonical: string;
  readonly operand: OperandKind;
  readonly case: CaseRule;
  /** True for the negative operators (`!=`, `Not In`, `Does Not Contain...`): false on a missing field. */
  readonly negated: boolean;
  /** True for the operators that order values (`<`, `<=`, `>`, `>=`, `Between`). */
  readonly ordering: boolean;
  readonly s1ql2: string;
  readonly doc: string;
}

export interface InvalidOperator {
  readonly spellings: readonly (readonly string[])[];
  readonly replacement?: OperatorId;
  readonly message: string;
}

export interface ObjectTypeInfo {
  readonly name: string;
  readonly s1ql2Category?: string;
  readonly doc: string;
}

export interface EventTypeInfo {
  readonly name: string;
  readonly objectType: string;
  readonly s1ql2EventName?: string;
  readonly doc: string;
}

interface FieldsFile {
  readonly fields: readonly FieldInfo[];
  readonly s1ql2Only: readonly S1ql2OnlyField[];
}

interface OperatorsFile {
  readonly operators: readonly Omit<OperatorInfo, 'canonical'>[];
  readonly keywords: { readonly and: string; readonly or: string; readonly not: string; readonly betweenAnd: string };
  readonly invalid: readonly InvalidOperator[];
}

interface EventTypesFile {
  readonly objectTypes: readonly ObjectTypeInfo[];
  readonly eventTypes: readonly EventTypeInfo[];
}

const fieldsFile = fieldsJson as unknown as FieldsFile;
const operatorsFile = operatorsJson as unknown as OperatorsFile;
const eventTypesFile = eventTypesJson as unknown as EventTypesFile;

export const fields: readonly FieldInfo[] = fieldsFile.fields ?? [];
export const s1ql2OnlyFields: readonly S1ql2OnlyField[] = fieldsFile.s1ql2Only ?? [];
export const objectTypes: readonly ObjectTypeInfo[] = eventTypesFile.objectTypes ?? [];
export const eventTypes: readonly EventTypeInfo[] = eventTypesFile.eventTypes ?? [];
export const keywords: OperatorsFile['keywords'] = operatorsFile.keywords;
export const invalidOperators: readonly InvalidOperator[] = operatorsFile.invalid;

export const operators: readonly OperatorInfo[] = operatorsFile.operators.map((op) => ({
  ...op,
  canonical: (op.spellings[0] as readonly string[]).join(' '),
}));

const operatorMap = new Map<OperatorId, OperatorInfo>(operators.map((op) => [op.id, op]));

export function operatorInfo(id: OperatorId): OperatorInfo {
  const info = operatorMap.get(id);
  if (!info) throw new TypeError(`unknown operator id ${id}`);
  return info;
}

const byName = new Map<string, FieldInfo>();
const byS1ql2 = new Map<string, FieldInfo>();
for (const field of fields) {
  byName.set(field.name.toLowerCase(), field);
  if (field.s1ql2 && !field.s1ql2Approximate) byS1ql2.set(field.s1ql2.toLowerCase(), field);
}
for (const field of fields) {
  for (const alias of field.aliases ?? []) {
    const key = alias.toLowerCase();
    if (!byName.has(key)) byName.set(key, field);
  }
}

/** Names as written -> entry (null: unknown), so the common spellings skip the lower-casing. */
const byExactName = new Map<string, FieldInfo | null>();

/** The catalog entry for a 1.0 field name or alias, matched case-insensitively. */
export function lookupField(name: string): FieldInfo | undefined {
  let found = byExactName.get(name);
  if (found === undefined) {
    found = byName.get(name.toLowerCase()) ?? null;
    if (byExactName.size < 10_000) byExactName.set(name, found);
  }
  return found ?? undefined;
}

/** The 1.0 field whose exact S1QL 2.0 name this is (`src.process.name` -> SrcProcName). */
export function lookupFieldByS1ql2(dotted: string): FieldInfo | undefined {
  return byS1ql2.get(dotted.toLowerCase());
}

/** Enum fields compare case-insensitively under every string operator but RegExp. */
export function isEnumField(field: FieldInfo | undefined): boolean {
  return field?.type === 'enum';
}

const eventTypeByName = new Map(eventTypes.map((t) => [t.name.toLowerCase(), t]));
const objectTypeByName = new Map(objectTypes.map((t) => [t.name.toLowerCase(), t]));

export function lookupEventType(name: string): EventTypeInfo | undefined {
  return eventTypeByName.get(name.toLowerCase());
}

export function lookupObjectType(name: string): ObjectTypeInfo | undefined {
  return objectTypeByName.get(name.toLowerCase());
}
