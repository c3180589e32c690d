/**
 * Hunt metadata: SentinelLabs' public layout (their Schema.txt) plus our optional keys. The shape of each value is a
 * JSON Schema checked by Ajv; what a schema cannot say well (required-but-may-be-empty, ATT&CK ids, date order, the
 * error/warning split of design/CLI.md) is code in read-hunt.ts.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';

/** The keys SentinelLabs' Schema.txt marks `-required`, in its order (`title` and `query` are errors, the rest warnings). */
export const SCHEMA_REQUIRED: readonly string[] = [
  'title',
  'description',
  'author',
  'version',
  'operating_system',
  'query',
  'created_date',
  'last_update',
  'tags',
  's1ql supported version',
  'Minimum console version required',
  'Minimum agent version required',
];

/** SentinelLabs' optional keys. */
export const SCHEMA_OPTIONAL: readonly string[] = ['false_positives', 'references'];

/** Our own optional keys. */
export const OWN_KEYS: readonly string[] = ['id', 'dialect', 'lint', 'tests'];

export const KNOWN_KEYS: ReadonlySet<string> = new Set([...SCHEMA_REQUIRED, ...SCHEMA_OPTIONAL, ...OWN_KEYS]);

export const DIALECTS = ['s1ql1', 's1ql2', 'pq'] as const;
export type Dialect = (typeof DIALECTS)[number];

const text = { type: ['string', 'null'] };
const textOrNumber = { type: ['string', 'number', 'null'] };
const list = { type: ['array', 'string', 'null'], items: { type: ['string', 'number', 'null'] } };
const events = { type: 'array', items: { type: 'object' } };

/** Null is allowed on SentinelLabs' keys: an empty value is a finding of its own (H502/H503/H507), not a type error. */
export const HUNT_SCHEMA = {
  type: 'object',
  properties: {
    title: textOrNumber,
    description: text,
    author: text,
    version: textOrNumber,
    operating_system: text,
    query: text,
    created_date: text,
    last_update: text,
    tags: { type: ['array', 'null'], items: { type: ['string', 'null'] } },
    false_positives: list,
    references: list,
    's1ql supported version': textOrNumber,
    'Minimum console version required': textOrNumber,
    'Minimum agent version required': textOrNumber,
    id: { type: ['string', 'number'], pattern: '^\\S+$' },
    dialect: { enum: DIALECTS },
    lint: {
      type: 'array',
      items: {
        type: 'object',
        required: ['rule', 'reason'],
        properties: { rule: { type: 'string', minLength: 1 }, reason: { type: 'string', pattern: '\\S' } },
        additionalProperties: false,
      },
    },
    tests: {
      type: 'object',
      properties: { match: events, no_match: events },
      additionalProperties: false,
    },
  },
} as const;

let validator: ValidateFunction | undefined;

/** Schema violations of a hunt's metadata (compiled once, on first use). */
export function validateMeta(meta: unknown): readonly ErrorObject[] {
  validator ??= new Ajv({ allErrors: true, strict: false }).compile(HUNT_SCHEMA);
  return validator(meta) ? [] : (validator.errors ?? []);
}

/**
 * ATT&CK ids accepted after `mitre.` (decided): techniques `T1059`, sub-techniques `T1059.001`, tactics `TA0002`,
 * and the other ATT&CK object ids people tag hunts with: groups `G0016`, software `S0154`, mitigations `M1038`,
 * data sources `DS0009`. Case-insensitive (`mitre.t1059` is read as `T1059`). Anything else is an error.
 */
export const ATTACK_ID = /^(?:T\d{4}(?:\.\d{3})?|TA\d{4}|[GSM]\d{4}|DS\d{4})$/i;
