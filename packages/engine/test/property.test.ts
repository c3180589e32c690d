/**
 * Property: the compiled engine agrees with a deliberately simple reference evaluator transcribed from
 * design/S1QL.md ("Engine semantics"), on generated queries and events. The reference shares no code with src/:
 * it evaluates the generated query tree directly (the engine sees the same query as printed text, parsed).
 */
import { lookupField, parse } from '@s1ql/language';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compile, type DvEvent } from '../src/index.ts';

type Type = 'string' | 'enum' | 'number' | 'timestamp' | 'boolean';
/** The fields the generator uses, with their catalog facts written out by hand (a test checks the catalog). */
const FIELDS: Record<string, { type: Type; members?: string[] }> = {
  SrcProcName: { type: 'string' },
  MyField: { type: 'string' }, // not in the catalog: read as a string
  EndpointOS: { type: 'enum' },
  ChildProcCount: { type: 'number' },
  EventTime: { type: 'timestamp' },
  SrcProcIsNative64Bit: { type: 'boolean' },
  CmdLine: { type: 'string', members: ['SrcProcCmdLine', 'SrcProcParentCmdLine', 'TgtProcCmdLine'] },
};
const MEMBER_TYPES: Record<string, Type> = {
  SrcProcCmdLine: 'string',
  SrcProcParentCmdLine: 'string',
  TgtProcCmdLine: 'string',
};

type Op =
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

const SPELLINGS: Record<Op, string[]> = {
  eq: ['='],
  neq: ['!='],
  lt: ['<'],
  lte: ['<='],
  gt: ['>'],
  gte: ['>='],
  in: ['In', 'in'],
  notIn: ['Not In', 'NOT  in'],
  inAnyCase: ['In AnyCase', 'in anycase'],
  inContains: ['In Contains'],
  inContainsAnyCase: ['In Contains AnyCase'],
  contains: ['Contains'],
  containsAnyCase: ['ContainsCIS', 'Contains AnyCase'],
  doesNotContain: ['Does Not Contain'],
  doesNotContainAnyCase: ['Does Not ContainCIS'],
  startsWith: ['StartsWith'],
  startsWithAnyCase: ['StartsWithCIS', 'StartsWith AnyCase'],
  endsWith: ['EndsWith'],
  endsWithAnyCase: ['EndsWithCIS', 'EndsWith AnyCase'],
  regexp: ['RegExp'],
  between: ['Between'],
  isEmpty: ['Is Empty'],
  isNotEmpty: ['Is Not Empty'],
  exists: ['Exists'],
  isTrue: ['Is True'],
  isFalse: ['Is False'],
};
const LIST_OPS: Op[] = ['in', 'notIn', 'inAnyCase', 'inContains', 'inContainsAnyCase'];
const ORDER_OPS: Op[] = ['lt', 'lte', 'gt', 'gte'];
const NO_OPERAND: Op[] = ['isEmpty', 'isNotEmpty', 'exists', 'isTrue', 'isFalse'];
const NEGATIVE: Partial<Record<Op, Op>> = {
  neq: 'eq',
  notIn: 'in',
  doesNotContain: 'contains',
  doesNotContainAnyCase: 'containsAnyCase',
};
const INSENSITIVE: Op[] = [
  'inAnyCase',
  'inContainsAnyCase',
  'containsAnyCase',
  'doesNotContainAnyCase',
  'startsWithAnyCase',
  'endsWithAnyCase',
];

const TEXTS = [
  'a',
  'A',
  'ab',
  'Ab',
  'b',
  'Ü',
  'ü',
  'xÜy',
  'windows',
  'Windows',
  'WINDOWS',
  'linux',
  '5',
  '05',
  '5.0',
  '10',
  '',
  'a b',
  'true',
  'True',
];
const NUMBERS = ['0', '5', '05', '5.0', '10', '-1', '1e1', '7.5'];
const TIMES = [
  '2024-01-01T00:00:00Z',
  '2024-01-01T00:00:00.000999Z',
  '2024-01-01T00:00:00.001Z',
  '2024-01-01T01:00:00+01:00',
  '2023-12-31T23:59:59.999999-00:00',
  '1704067200000',
  '2024-01-01',
  '2024-01-01T00:00:00.002',
];
const PATTERNS = ['a', '^a', 'a$', '(?i)a', '(?i)^w', 'ü', '(?i)ü', '\\d', '^$', '.', 'n.o', '^(a|b)+$'];

interface Pred {
  kind: 'pred';
  field: string;
  op: Op;
  spelling: string;
  operand: string[];
  bare: boolean[];
}
type Q = Pred | { kind: 'and' | 'or'; a: Q; b: Q } | { kind: 'not'; q: Q };

function operandPool(field: string, op: Op): string[] {
  const type = FIELDS[field]?.type;
  if (op === 'regexp') return PATTERNS;
  if (ORDER_OPS.includes(op) || op === 'between') return type === 'timestamp' ? TIMES : NUMBERS;
  if (['eq', 'neq', 'in', 'notIn', 'inAnyCase'].includes(op)) {
    if (type === 'number') return NUMBERS;
    if (type === 'timestamp') return TIMES;
  }
  return [...TEXTS, ...NUMBERS.slice(0, 3)];
}

const predArb: fc.Arbitrary<Pred> = fc
  .record({ field: fc.constantFrom(...Object.keys(FIELDS)), op: fc.constantFrom(...(Object.keys(SPELLINGS) as Op[])) })
  .chain(({ field, op }) => {
    const pool = operandPool(field, op);
    const count = NO_OPERAND.includes(op) ? 0 : op === 'between' ? 2 : LIST_OPS.includes(op) ? 3 : 1;
    return fc.record({
      kind: fc.constant('pred' as const),
      field: fc.constantFrom(field, field.toLowerCase(), field.toUpperCase()),
      op: fc.constant(op),
      spelling: fc.constantFrom(...SPELLINGS[op]),
      operand: fc.array(fc.constantFrom(...pool), { minLength: count === 3 ? 1 : count, maxLength: count }),
      bare: fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
    });
  });

const queryArb: fc.Arbitrary<Q> = fc.letrec<{ q: Q }>((tie) => ({
  q: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    predArb,
    fc.record({ kind: fc.constantFrom('and' as const, 'or' as const), a: tie('q'), b: tie('q') }),
    fc.record({ kind: fc.constant('not' as const), q: tie('q') }),
  ),
})).q;

function valueText(v: string, bare: boolean | undefined): string {
  return bare && /^-?\d+$/.test(v) ? v : `"${v}"`;
}

function printQ(q: Q): string {
  switch (q.kind) {
    case 'and':
    case 'or':
      return `(${printQ(q.a)} ${q.kind.toUpperCase()} ${printQ(q.b)})`;
    case 'not':
      return `NOT (${printQ(q.q)})`;
    case 'pred': {
      const vals = q.operand.map((v, i) => valueText(v, q.bare[i]));
      const rest = LIST_OPS.includes(q.op)
        ? ` (${vals.join(', ')})`
        : q.op === 'between'
          ? ` ${vals[0]} And ${vals[1]}`
          : vals.length > 0
            ? ` ${vals[0]}`
            : '';
      return `${q.field} ${q.spelling}${rest}`;
    }
  }
}

// ---- The reference evaluator, straight from S1QL.md ----

function canonicalName(written: string): string {
  return Object.keys(FIELDS).find((n) => n.toLowerCase() === written.toLowerCase()) ?? written;
}

/** Absent, null and undefined are all "missing". */
function refRead(event: DvEvent, name: string): unknown {
  const key = Object.keys(event).find((k) => k.toLowerCase() === name.toLowerCase());
  const v = key === undefined ? undefined : event[key];
  return v === null ? undefined : v;
}

function refNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string' && /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(v)) return Number(v);
  return undefined;
}

function refTime(v: unknown): number | undefined {
  if (typeof v === 'number') return Math.floor(v);
  if (typeof v !== 'string') return undefined;
  if (/^-?\d+$/.test(v)) return Number(v);
  const m = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2}(?::\d{2})?)(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})?)?$/.exec(v);
  if (!m) return undefined;
  const time = m[2] === undefined ? '00:00:00' : m[2].length === 5 ? `${m[2]}:00` : m[2];
  const ms = (m[3] ?? '').slice(0, 3).padEnd(3, '0');
  const t = Date.parse(`${m[1]}T${time}.${ms}${m[4] ?? 'Z'}`);
  return Number.isNaN(t) ? undefined : t;
}

function refText(v: unknown): string {
  return String(v);
}

function refPositive(op: Op, operand: string[], v: unknown, type: Type): boolean {
  const ci = INSENSITIVE.includes(op) || (type === 'enum' && op !== 'regexp');
  const low = (s: string) => (ci ? s.toLowerCase() : s);
  const s = low(refText(v));
  const consts = operand.map(low);
  switch (op) {
    case 'isNotEmpty':
    case 'exists':
      return v !== '';
    case 'isTrue':
      return v === true || v === 'true' || v === 'True';
    case 'isFalse':
      return v === false || v === 'false' || v === 'False';
    case 'eq':
    case 'in':
    case 'inAnyCase':
      if (type === 'number') return refNumber(v) !== undefined && operand.some((o) => refNumber(o) === refNumber(v));
      if (type === 'timestamp') return refTime(v) !== undefined && operand.some((o) => refTime(o) === refTime(v));
      return consts.includes(s);
    case 'lt':
    case 'lte':
    case 'gt':
    case 'gte':
    case 'between': {
      const conv =
        type === 'timestamp'
          ? refTime
          : type === 'number'
            ? refNumber
            : operand.every((o) => refNumber(o) !== undefined)
              ? refNumber
              : refTime;
      const x = conv(v);
      const [lo, hi] = operand.map((o) => conv(o) as number) as [number, number];
      if (x === undefined) return false;
      if (op === 'lt') return x < lo;
      if (op === 'lte') return x <= lo;
      if (op === 'gt') return x > lo;
      if (op === 'gte') return x >= lo;
      return x >= lo && x <= hi;
    }
    case 'inContains':
    case 'inContainsAnyCase':
    case 'contains':
    case 'containsAnyCase':
      return consts.some((c) => s.includes(c));
    case 'startsWith':
    case 'startsWithAnyCase':
      return s.startsWith(consts[0] as string);
    case 'endsWith':
    case 'endsWithAnyCase':
      return s.endsWith(consts[0] as string);
    case 'regexp': {
      const p = operand[0] as string;
      const re = p.startsWith('(?i)') ? new RegExp(p.slice(4), 'i') : new RegExp(p);
      return re.test(refText(v));
    }
    default:
      throw new Error(`reference: ${op} is not positive`);
  }
}

function refPred(p: Pred, event: DvEvent): boolean {
  const name = canonicalName(p.field);
  const info = FIELDS[name] ?? { type: 'string' as Type };
  const members = info.members ?? [name];
  const typeOf = (m: string): Type => (info.members ? (MEMBER_TYPES[m] ?? 'string') : info.type);
  const lowerCamel = (m: string) => m[0]?.toLowerCase() + m.slice(1);
  const values = members.map((m) => ({ v: refRead(event, lowerCamel(m)), type: typeOf(m) }));
  const present = values.filter((x) => x.v !== undefined);
  if (p.op === 'isEmpty') return values.every((x) => x.v === undefined || x.v === '');
  const positive = NEGATIVE[p.op];
  if (positive) return present.length > 0 && !present.some((x) => refPositive(positive, p.operand, x.v, x.type));
  return present.some((x) => refPositive(p.op, p.operand, x.v, x.type));
}

function refEval(q: Q, event: DvEvent): boolean {
  switch (q.kind) {
    case 'and':
      return refEval(q.a, event) && refEval(q.b, event);
    case 'or':
      return refEval(q.a, event) || refEval(q.b, event);
    case 'not':
      return !refEval(q.q, event);
    case 'pred':
      return refPred(q, event);
  }
}

// ---- Events ----

const EVENT_KEYS: Record<string, Type> = {
  srcProcName: 'string',
  myField: 'string',
  endpointOs: 'enum',
  childProcCount: 'number',
  eventTime: 'timestamp',
  srcProcIsNative64Bit: 'boolean',
  srcProcCmdLine: 'string',
  srcProcParentCmdLine: 'string',
  tgtProcCmdLine: 'string',
};
const EVENT_VALUES: Record<Type, unknown[]> = {
  string: [...TEXTS, 5, true, 'grüÜn', 'A B'],
  enum: ['windows', 'Windows', 'WINDOWS', 'linux', 'Linux', '', 'ü'],
  number: [5, '5', '05', '5.0', '10', 10, -1, '-1', '7.5', 'abc', '', true, '1e1'],
  timestamp: [...TIMES, '2024-01-01T00:00:00.000123Z', 1704067200000, 1704067200001, 'garbage', ''],
  boolean: [true, false, 'true', 'True', 'TRUE', 'false', 'False', '', 1, 'yes'],
};

const keyCase = fc.constantFrom(
  (k: string) => k,
  (k: string) => k.toLowerCase(),
  (k: string) => k.toUpperCase(),
  (k: string) => k[0]?.toUpperCase() + k.slice(1),
);

const eventArb: fc.Arbitrary<DvEvent> = fc
  .tuple(
    ...Object.entries(EVENT_KEYS).map(([key, type]) =>
      fc.tuple(
        fc.constant(key),
        keyCase,
        fc.oneof(
          { weight: 1, arbitrary: fc.constant<'absent' | null>('absent') },
          { weight: 1, arbitrary: fc.constant(null) },
          { weight: 5, arbitrary: fc.constantFrom(...EVENT_VALUES[type]) },
        ),
      ),
    ),
  )
  .map((entries) => {
    const event: Record<string, unknown> = { id: '1', createdAt: '2024-01-01T00:00:00.000000Z' };
    for (const [key, casing, value] of entries) if (value !== 'absent') event[casing(key)] = value;
    return event;
  });

describe('engine vs reference evaluator', () => {
  it('the hand-written field facts match the catalog', () => {
    for (const [name, info] of Object.entries(FIELDS)) {
      const entry = lookupField(name);
      if (name === 'MyField') {
        expect(entry).toBeUndefined();
        continue;
      }
      expect(entry?.type, name).toBe(info.type);
      expect(entry?.members, name).toEqual(info.members);
    }
  });

  it('agrees on generated queries and events', () => {
    let trues = 0;
    let falses = 0;
    fc.assert(
      fc.property(queryArb, fc.array(eventArb, { minLength: 4, maxLength: 4 }), (q, events) => {
        const text = printQ(q);
        const { ast, diagnostics } = parse(text);
        expect(
          diagnostics.filter((d) => d.severity === 'error'),
          text,
        ).toEqual([]);
        const result = compile(ast, { diagnostics });
        if (!result.ok) throw new Error(`refused ${text}: ${result.diagnostics.map((d) => d.message).join('; ')}`);
        for (const event of events) {
          const expected = refEval(q, event);
          const actual = result.query.test(event);
          if (actual !== expected) {
            throw new Error(`${text}\non ${JSON.stringify(event)}\nengine ${actual}, reference ${expected}`);
          }
          expect(result.query.explain(event).matched).toBe(actual);
          if (actual) trues++;
          else falses++;
        }
      }),
      { numRuns: 3000 },
    );
    // Both outcomes must be well represented, or the property says little.
    expect(trues).toBeGreaterThan(1500);
    expect(falses).toBeGreaterThan(1500);
  });

  it('agrees on single predicates, where every operator and field type shows both outcomes', () => {
    const outcomes = new Map<string, Set<boolean>>();
    fc.assert(
      fc.property(predArb, fc.array(eventArb, { minLength: 8, maxLength: 8 }), (p, events) => {
        const text = printQ(p);
        const result = compile(parse(text).ast);
        if (!result.ok) throw new Error(`refused ${text}`);
        for (const event of events) {
          const actual = result.query.test(event);
          if (actual !== refPred(p, event)) {
            throw new Error(`${text}\non ${JSON.stringify(event)}\nengine ${actual}, reference ${!actual}`);
          }
          const key = `${canonicalName(p.field)} ${p.op}`;
          const seen = outcomes.get(key) ?? new Set<boolean>();
          seen.add(actual);
          outcomes.set(key, seen);
        }
      }),
      { numRuns: 4000 },
    );
    // Every operator reaches both outcomes on at least one field.
    for (const op of Object.keys(SPELLINGS)) {
      const both = [...outcomes].some(([k, s]) => k.endsWith(` ${op}`) && s.size === 2);
      expect(both, op).toBe(true);
    }
  });
});
