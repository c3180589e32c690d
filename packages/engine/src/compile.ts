/**
 * Compiles an S1QL 1.0 AST once into a predicate over events, with the semantics decided in design/S1QL.md
 * ("Engine semantics"). Everything that does not depend on the event is done here: operator and case rules,
 * lower-cased constants, parsed numbers and instants, compiled RegExps, resolved keys. A query that cannot be
 * evaluated faithfully is refused with E6xx diagnostics instead of matching wrongly.
 *
 * Decisions the design leaves open, taken here (and mirrored by the reference evaluator in the property test):
 * - A field is typed by the catalog (`number`, `timestamp`, `enum`; `hash`, `ip`, `boolean`, `string` and unknown
 *   fields compare as text). A shortcut evaluates each member with the member's own type.
 * - On number fields `=`, `!=`, `In`, `Not In`, `In AnyCase` and the ordering operators compare numbers; on
 *   timestamp fields they compare instants. Every constant must then parse (else E603). An event value that does
 *   not parse fails the positive form, so `!=` / `Not In` are true on it (it is present).
 * - Ordering operators (`<`...`Between`) on any other field compare numbers when every bound is a number, else
 *   instants when every bound is a timestamp, else E603.
 * - String operators see non-string values through `String()`; a bare number constant through its digits as
 *   written (`= 007` is the text "007").
 */
import type {
  Diagnostic,
  Expr,
  FieldInfo,
  FieldType,
  OperatorId,
  OperatorInfo,
  Predicate,
  Query,
  Range,
  Value,
} from '@s1ql/language';
import { assertNever, isEnumField, lookupField, operatorInfo } from '@s1ql/language';
import { EngineCodes } from './codes.ts';
import { type DvEvent, expectedKey, type KeySlot, makeSlot, readSlot } from './read-field.ts';
import { translateRegex } from './regex.ts';
import { isFalseValue, isTrueValue, parseTimestamp, toNumber } from './values.ts';

export interface CompiledQuery {
  /** True when the event matches. */
  readonly test: (event: DvEvent) => boolean;
  /**
   * Which predicate decided the outcome for this event (for "failed because of clause X" messages): the last
   * predicate evaluated left to right with short-circuiting. For a failed AND it is the first clause that was
   * false; for a matched OR, the first that was true.
   */
  readonly explain: (event: DvEvent) => { readonly matched: boolean; readonly decidedBy: Predicate | null };
}

export type CompileResult =
  | { readonly ok: true; readonly query: CompiledQuery; readonly diagnostics: readonly Diagnostic[] }
  | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

export interface CompileOptions {
  /**
   * Event keys by field name (case-insensitive), overriding the catalog's `eventKey` and the lowerCamel default;
   * the key is still matched case-insensitively.
   */
  readonly eventKeys?: Readonly<Record<string, string>>;
  /**
   * The parse diagnostics of the text the AST came from. The parser recovers from some errors without leaving an
   * Error or Missing node (a dangling `AND`, an unbalanced parenthesis, a pipe); pass them so that every parse
   * error refuses the query (E602 at the error's range) instead of evaluating the recovered AST.
   */
  readonly diagnostics?: readonly Diagnostic[];
}

type Test = (event: DvEvent) => boolean;
/** A test on a present (non-null) value. */
type ValueTest = (value: unknown) => boolean;

type Compiled =
  | { readonly kind: 'pred'; readonly predicate: Predicate; readonly test: Test }
  | { readonly kind: 'and' | 'or'; readonly children: readonly Compiled[]; readonly test: Test }
  | { readonly kind: 'not'; readonly child: Compiled; readonly test: Test };

/** The positive form each negative operator negates. */
const positiveOf: Partial<Record<OperatorId, OperatorId>> = {
  neq: 'eq',
  notIn: 'in',
  doesNotContain: 'contains',
  doesNotContainAnyCase: 'containsAnyCase',
};

export function compile(query: Query | Expr, options: CompileOptions = {}): CompileResult {
  const ctx = new Context(options);
  for (const d of options.diagnostics ?? []) {
    if (d.severity === 'error')
      ctx.error(EngineCodes.incompleteQuery, `The query has a syntax error: ${d.message}`, d.range);
  }
  const expr = query.kind === 'Query' ? query.expr : query;
  if (expr === null) {
    ctx.error(EngineCodes.incompleteQuery, 'The query is empty: there is nothing to evaluate.', query.range);
    return { ok: false, diagnostics: ctx.diagnostics };
  }
  const root = ctx.build(expr);
  if (root === null || ctx.failed) return { ok: false, diagnostics: ctx.diagnostics };
  const compiled: CompiledQuery = {
    test: root.test,
    explain: (event) => explain(root, event),
  };
  return { ok: true, query: compiled, diagnostics: ctx.diagnostics };
}

function explain(node: Compiled, event: DvEvent): { matched: boolean; decidedBy: Predicate | null } {
  switch (node.kind) {
    case 'pred':
      return { matched: node.test(event), decidedBy: node.predicate };
    case 'not': {
      const inner = explain(node.child, event);
      return { matched: !inner.matched, decidedBy: inner.decidedBy };
    }
    case 'and':
    case 'or': {
      const stopOn = node.kind === 'or';
      let decidedBy: Predicate | null = null;
      for (const child of node.children) {
        const r = explain(child, event);
        decidedBy = r.decidedBy;
        if (r.matched === stopOn) return r;
      }
      return { matched: !stopOn, decidedBy };
    }
    default:
      return assertNever(node);
  }
}

function all(tests: readonly Test[]): Test {
  const [a, b, c] = tests;
  if (tests.length === 1 && a) return a;
  if (tests.length === 2 && a && b) return (e) => a(e) && b(e);
  if (tests.length === 3 && a && b && c) return (e) => a(e) && b(e) && c(e);
  return (e) => {
    for (const t of tests) if (!t(e)) return false;
    return true;
  };
}

function any(tests: readonly Test[]): Test {
  const [a, b, c] = tests;
  if (tests.length === 1 && a) return a;
  if (tests.length === 2 && a && b) return (e) => a(e) || b(e);
  if (tests.length === 3 && a && b && c) return (e) => a(e) || b(e) || c(e);
  return (e) => {
    for (const t of tests) if (t(e)) return true;
    return false;
  };
}

/** How a field's values compare under `=`, `In`, ordering and `Between`. */
type Mode = 'number' | 'timestamp' | 'text';

interface Member {
  readonly slot: KeySlot;
  readonly type: FieldType;
  readonly isEnum: boolean;
}

class Context {
  readonly diagnostics: Diagnostic[] = [];
  failed = false;
  readonly #eventKeys: Map<string, string>;
  readonly #seen = new Set<string>();

  constructor(options: CompileOptions) {
    this.#eventKeys = new Map(Object.entries(options.eventKeys ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  }

  error(code: string, message: string, range: Range): void {
    this.failed = true;
    // A shortcut compiles its operand once per member: report each problem once.
    const key = `${code}@${range.start.offset}-${range.end.offset}:${message}`;
    if (this.#seen.has(key)) return;
    this.#seen.add(key);
    this.diagnostics.push({ code, severity: 'error', message, range });
  }

  build(expr: Expr): Compiled | null {
    switch (expr.kind) {
      case 'Or':
      case 'And': {
        const children = expr.operands.map((operand) => this.build(operand));
        if (children.some((c) => c === null)) return null;
        const ok = children as Compiled[];
        const tests = ok.map((c) => c.test);
        return expr.kind === 'And'
          ? { kind: 'and', children: ok, test: all(tests) }
          : { kind: 'or', children: ok, test: any(tests) };
      }
      case 'Not': {
        const child = this.build(expr.operand);
        if (child === null) return null;
        const inner = child.test;
        return { kind: 'not', child, test: (e) => !inner(e) };
      }
      case 'Error':
        this.error(EngineCodes.incompleteQuery, 'This part of the query has a syntax error.', expr.range);
        return null;
      case 'Predicate': {
        const test = this.predicate(expr);
        return test === null ? null : { kind: 'pred', predicate: expr, test };
      }
      default:
        return assertNever(expr);
    }
  }

  predicate(p: Predicate): Test | null {
    const incomplete = EngineCodes.incompleteQuery;
    if (p.field.kind === 'Missing') {
      this.error(incomplete, 'The clause has no field.', p.field.range);
      return null;
    }
    if (p.operator.kind === 'Missing') {
      this.error(incomplete, `The clause on ${p.field.name} has no operator.`, p.operator.range);
      return null;
    }
    if (p.field.dotted) {
      this.error(incomplete, `"${p.field.name}" is an S1QL 2.0 field name, not S1QL 1.0.`, p.field.range);
      return null;
    }
    const op = operatorInfo(p.operator.id);
    if (!this.operandShapeOk(p, op)) return null;

    const info = lookupField(p.field.canonical ?? p.field.name);
    const memberInfos: (FieldInfo | string)[] =
      info?.members && info.members.length > 0
        ? info.members.map((name) => lookupField(name) ?? name)
        : [info ?? p.field.name];
    const members = memberInfos.map((m) => this.member(m));

    switch (op.id) {
      case 'isEmpty':
        return isEmptyTest(members);
      case 'isNotEmpty':
      case 'exists':
        return positiveTest(members, [(v) => v !== '']);
      case 'isTrue':
        return positiveTest(members, [isTrueValue]);
      case 'isFalse':
        return positiveTest(members, [isFalseValue]);
      default:
        break;
    }
    const positiveId = op.negated ? positiveOf[op.id] : op.id;
    if (positiveId === undefined) throw new TypeError(`no positive form for negated operator ${op.id}`);
    const positive = operatorInfo(positiveId);
    const valueTests = members.map((m) => this.valueTest(positive, m, p));
    if (valueTests.some((t) => t === null)) return null;
    const tests = valueTests as ValueTest[];
    return op.negated ? negativeTest(members, tests) : positiveTest(members, tests);
  }

  member(info: FieldInfo | string): Member {
    const name = typeof info === 'string' ? info : info.name;
    const key =
      this.#eventKeys.get(name.toLowerCase()) ??
      expectedKey(name, typeof info === 'string' ? undefined : info.eventKey);
    return {
      slot: makeSlot(key),
      type: typeof info === 'string' ? 'string' : info.type,
      isEnum: typeof info !== 'string' && isEnumField(info),
    };
  }

  operandShapeOk(p: Predicate, op: OperatorInfo): boolean {
    const incomplete = EngineCodes.incompleteQuery;
    const operand = p.operand;
    const where = p.operator.range;
    if (operand?.kind === 'Missing') {
      this.error(incomplete, `${op.canonical} is missing its value.`, operand.range);
      return false;
    }
    switch (op.operand) {
      case 'none':
        if (operand === null) return true;
        break;
      case 'value':
      case 'string':
      case 'regex':
        if (operand?.kind === 'String' || operand?.kind === 'Number') return true;
        break;
      case 'list':
        if (operand?.kind === 'List') {
          if (operand.items.length === 0) {
            this.error(incomplete, `${op.canonical} has an empty list.`, operand.range);
            return false;
          }
          let ok = true;
          for (const item of operand.items) {
            if (item.kind === 'Missing') {
              this.error(incomplete, 'A value is missing from the list.', item.range);
              ok = false;
            }
          }
          return ok;
        }
        break;
      case 'range':
        if (operand?.kind === 'Range') {
          let ok = true;
          for (const bound of [operand.low, operand.high]) {
            if (bound.kind === 'Missing') {
              this.error(incomplete, 'Between is missing a bound.', bound.range);
              ok = false;
            }
          }
          return ok;
        }
        break;
      default:
        return assertNever(op.operand);
    }
    this.error(incomplete, `${op.canonical} does not take this kind of operand.`, operand?.range ?? where);
    return false;
  }

  /** The test of a positive operator on one present value of `member`. */
  valueTest(op: OperatorInfo, member: Member, p: Predicate): ValueTest | null {
    const operand = p.operand;
    const values: Value[] = [];
    if (operand?.kind === 'String' || operand?.kind === 'Number') {
      values.push(operand);
    } else if (operand?.kind === 'List') {
      for (const item of operand.items) if (item.kind !== 'Missing') values.push(item);
    } else if (operand?.kind === 'Range' && operand.low.kind !== 'Missing' && operand.high.kind !== 'Missing') {
      values.push(operand.low, operand.high);
    }

    if (op.id === 'regexp') {
      const value = values[0];
      if (!value) return null;
      const pattern = value.kind === 'String' ? value.value : value.raw;
      const translated = translateRegex(pattern);
      if (!translated.ok) {
        this.error(EngineCodes.unsupportedRegex, `Unsupported regular expression: ${translated.reason}.`, value.range);
        return null;
      }
      const re = translated.regexp;
      return (v) => re.test(typeof v === 'string' ? v : String(v));
    }

    const comparesValues = op.id === 'eq' || op.id === 'in' || op.id === 'inAnyCase';
    if (op.ordering || comparesValues) {
      const mode = this.mode(op, member, values);
      if (mode === null) return null;
      if (mode !== 'text') {
        const parse = mode === 'number' ? toNumber : parseTimestamp;
        const constants = values.map((v) => parse(v.value) as number);
        return orderedTest(op.id, parse, constants);
      }
    }
    const insensitive = op.case === 'insensitive' || (op.case === 'sensitive' && member.isEnum);
    return textTest(
      op.id,
      values.map((v) => (v.kind === 'String' ? v.value : v.raw)),
      insensitive,
    );
  }

  /** Number or timestamp comparison where the field or operator calls for it; E603 when a constant does not fit. */
  mode(op: OperatorInfo, member: Member, values: readonly Value[]): Mode | null {
    const isNumber = (v: Value): boolean => toNumber(v.value) !== undefined;
    const isInstant = (v: Value): boolean => parseTimestamp(v.value) !== undefined;
    const refuse = (bad: readonly Value[], what: string, field: string): null => {
      for (const value of bad) {
        const shown = value.kind === 'String' ? `"${value.value}"` : value.raw;
        this.error(
          EngineCodes.invalidOperand,
          `${shown} is not ${what}, as ${op.canonical} on ${field} needs.`,
          value.range,
        );
      }
      return null;
    };
    if (member.type === 'number') {
      const bad = values.filter((v) => !isNumber(v));
      return bad.length === 0 ? 'number' : refuse(bad, 'a number', 'a number field');
    }
    if (member.type === 'timestamp') {
      const bad = values.filter((v) => !isInstant(v));
      return bad.length === 0 ? 'timestamp' : refuse(bad, 'a timestamp', 'a timestamp field');
    }
    if (!op.ordering) return 'text';
    // Ordering on a field that is neither number nor timestamp: numbers if every bound is one, else instants.
    if (values.every(isNumber)) return 'number';
    if (values.every(isInstant)) return 'timestamp';
    const bad = values.filter((v) => !isNumber(v) && !isInstant(v));
    return refuse(
      bad.length > 0 ? bad : values,
      bad.length > 0 ? 'a number or a timestamp' : 'a number and a timestamp at once (use one kind for both bounds)',
      'this field',
    );
  }
}

/** `=`, `In`, ordering and `Between` on numbers or instants. */
function orderedTest(id: OperatorId, parse: (v: unknown) => number | undefined, constants: number[]): ValueTest {
  const c = constants[0] as number;
  switch (id) {
    case 'eq':
      return (v) => parse(v) === c;
    case 'in':
    case 'inAnyCase': {
      if (constants.length === 1) return (v) => parse(v) === c;
      const set = new Set(constants);
      return (v) => {
        const n = parse(v);
        return n !== undefined && set.has(n);
      };
    }
    case 'lt':
      return (v) => {
        const n = parse(v);
        return n !== undefined && n < c;
      };
    case 'lte':
      return (v) => {
        const n = parse(v);
        return n !== undefined && n <= c;
      };
    case 'gt':
      return (v) => {
        const n = parse(v);
        return n !== undefined && n > c;
      };
    case 'gte':
      return (v) => {
        const n = parse(v);
        return n !== undefined && n >= c;
      };
    case 'between': {
      const high = constants[1] as number;
      return (v) => {
        const n = parse(v);
        return n !== undefined && n >= c && n <= high;
      };
    }
    default:
      throw new TypeError(`operator ${id} does not compare numbers or instants`);
  }
}

/** String operators on the text of a value; insensitive means `toLowerCase()` of both sides. */
function textTest(id: OperatorId, constants: string[], insensitive: boolean): ValueTest {
  const cs = insensitive ? constants.map((c) => c.toLowerCase()) : constants;
  const c = cs[0] as string;
  const original = constants[0] as string;
  if (insensitive) {
    switch (id) {
      case 'eq':
        return (v) => {
          const s = typeof v === 'string' ? v : String(v);
          return s === original || s.toLowerCase() === c;
        };
      case 'in':
      case 'inAnyCase': {
        const set = new Set(cs);
        return (v) => set.has((typeof v === 'string' ? v : String(v)).toLowerCase());
      }
      case 'inContains':
      case 'inContainsAnyCase':
        return (v) => {
          const s = (typeof v === 'string' ? v : String(v)).toLowerCase();
          for (const part of cs) if (s.includes(part)) return true;
          return false;
        };
      case 'contains':
      case 'containsAnyCase':
        return (v) => (typeof v === 'string' ? v : String(v)).toLowerCase().includes(c);
      case 'startsWith':
      case 'startsWithAnyCase':
        return (v) => (typeof v === 'string' ? v : String(v)).toLowerCase().startsWith(c);
      case 'endsWith':
      case 'endsWithAnyCase':
        return (v) => (typeof v === 'string' ? v : String(v)).toLowerCase().endsWith(c);
      default:
        throw new TypeError(`operator ${id} is not a string operator`);
    }
  }
  switch (id) {
    case 'eq':
      return (v) => (typeof v === 'string' ? v : String(v)) === c;
    case 'in':
    case 'inAnyCase': {
      const set = new Set(cs);
      return (v) => set.has(typeof v === 'string' ? v : String(v));
    }
    case 'inContains':
    case 'inContainsAnyCase':
      return (v) => {
        const s = typeof v === 'string' ? v : String(v);
        for (const part of cs) if (s.includes(part)) return true;
        return false;
      };
    case 'contains':
    case 'containsAnyCase':
      return (v) => (typeof v === 'string' ? v : String(v)).includes(c);
    case 'startsWith':
    case 'startsWithAnyCase':
      return (v) => (typeof v === 'string' ? v : String(v)).startsWith(c);
    case 'endsWith':
    case 'endsWithAnyCase':
      return (v) => (typeof v === 'string' ? v : String(v)).endsWith(c);
    default:
      throw new TypeError(`operator ${id} is not a string operator`);
  }
}

/** Missing fields fail; a shortcut matches when any present member passes its test. */
function positiveTest(members: readonly Member[], tests: readonly ValueTest[]): Test {
  const only = members[0];
  const first = tests[0] as ValueTest;
  if (members.length === 1 && only) {
    const slot = only.slot;
    return (e) => {
      const v = readSlot(slot, e);
      return v !== undefined && first(v);
    };
  }
  const slots = members.map((m) => m.slot);
  // Per-member tests (members may differ in type); a shared test (Is Not Empty, Is True...) serves them all.
  const perMember = slots.map((_, i) => tests[i] ?? first);
  return (e) => {
    for (let i = 0; i < slots.length; i++) {
      const v = readSlot(slots[i] as KeySlot, e);
      if (v !== undefined && (perMember[i] as ValueTest)(v)) return true;
    }
    return false;
  };
}

/** Negative operators: at least one member present, and no present member passes the positive test. */
function negativeTest(members: readonly Member[], tests: readonly ValueTest[]): Test {
  const only = members[0];
  if (members.length === 1 && only) {
    const slot = only.slot;
    const t = tests[0] as ValueTest;
    return (e) => {
      const v = readSlot(slot, e);
      return v !== undefined && !t(v);
    };
  }
  const slots = members.map((m) => m.slot);
  return (e) => {
    let present = false;
    for (let i = 0; i < slots.length; i++) {
      const v = readSlot(slots[i] as KeySlot, e);
      if (v !== undefined) {
        if ((tests[i] as ValueTest)(v)) return false;
        present = true;
      }
    }
    return present;
  };
}

/** `Is Empty`: every member missing or `""`. */
function isEmptyTest(members: readonly Member[]): Test {
  const slots = members.map((m) => m.slot);
  const only = slots[0];
  if (slots.length === 1 && only) {
    return (e) => {
      const v = readSlot(only, e);
      return v === undefined || v === '';
    };
  }
  return (e) => {
    for (const slot of slots) {
      const v = readSlot(slot, e);
      if (v !== undefined && v !== '') return false;
    }
    return true;
  };
}
