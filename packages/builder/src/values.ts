/**
 * Turning caller values into literal nodes. A string becomes exactly one String literal whose parsed value is the
 * string itself (the printer escapes `"`; every other character is literal in S1QL 1.0), so nothing a value holds
 * can change the query's structure. The one string S1QL 1.0 cannot write, one ending in a backslash, is refused
 * with the alternatives that still express the intent.
 */
import { type OperatorId, operatorInfo, printCompact, type Value } from '@s1ql/language';
import { type Alternative, BuilderError, UnrepresentableValueError } from './errors.ts';
import { andNode, notNode, numberNode, predicateNode, stringNode } from './nodes.ts';
import type { ResolvedField } from './operators.ts';

/** `value` as a regular expression that matches it literally. */
export function escapeRegExp(value: string): string {
  return value.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
}

/** A literal pattern that does not end in a backslash: a final escaped backslash becomes the class `[\\]`. */
function openEnded(pattern: string): string {
  return pattern.endsWith('\\\\') ? `${pattern.slice(0, -2)}[\\\\]` : pattern;
}

function regexpText(field: string, pattern: string, negate: 'exists-not' | null): string {
  const p = predicateNode(field, 'regexp', 'RegExp', stringNode(pattern));
  if (negate === null) return printCompact(p);
  const exists = predicateNode(field, 'exists', 'Exists', null);
  return printCompact(andNode([exists, notNode(p)]));
}

function plainText(field: string, id: OperatorId, value: string): string {
  return printCompact(predicateNode(field, id, operatorInfo(id).canonical, stringNode(value)));
}

/** What S1QL 1.0 can still say for `field <id> value` when `value` ends in a backslash. */
export function alternativesFor(field: ResolvedField, id: OperatorId, value: string): Alternative[] {
  const info = operatorInfo(id);
  const insensitive = info.case === 'insensitive' || (field.kind === 'enum' && id !== 'regexp');
  const flag = insensitive ? '(?i)' : '';
  const lit = escapeRegExp(value);
  const trimmed = value.replace(/\\+$/, '');
  const name = field.name;
  const exact = (pattern: string, note: string): Alternative => ({
    s1ql: regexpText(name, flag + pattern, null),
    precision: 'exact',
    note,
  });
  const negated = (pattern: string): Alternative => ({
    s1ql: regexpText(name, flag + pattern, 'exists-not'),
    precision: 'nearly-exact',
    note: `differs only where ${name} is the empty string (${info.canonical} is true there, Exists is false)`,
  });
  const superset = (op: OperatorId, why: string): Alternative[] =>
    trimmed === '' ? [] : [{ s1ql: plainText(name, op, trimmed), precision: 'superset', note: why }];
  switch (id) {
    case 'eq':
    case 'in':
    case 'inAnyCase':
      return [
        exact(`^${lit}$`, 'the value as an anchored, escaped pattern'),
        ...superset(
          insensitive ? 'startsWithAnyCase' : 'startsWith',
          'without the trailing backslash: also matches longer values',
        ),
      ];
    case 'neq':
    case 'notIn':
      return [negated(`^${lit}$`)];
    case 'contains':
    case 'containsAnyCase':
    case 'inContains':
    case 'inContainsAnyCase':
      return [
        exact(openEnded(lit), 'the value as an escaped pattern; the final backslash as [\\\\]'),
        ...superset(
          insensitive ? 'containsAnyCase' : 'contains',
          'without the trailing backslash: also matches where no backslash follows',
        ),
      ];
    case 'doesNotContain':
    case 'doesNotContainAnyCase':
      return [negated(openEnded(lit))];
    case 'startsWith':
    case 'startsWithAnyCase':
      return [
        exact(`^${openEnded(lit)}`, 'the value as an anchored, escaped pattern'),
        ...superset(id, 'without the trailing backslash: also matches where no backslash follows'),
      ];
    case 'endsWith':
    case 'endsWithAnyCase':
      return [
        exact(`${lit}$`, 'the value as an escaped pattern anchored at the end'),
        ...superset(id, 'without the trailing backslash: also matches values not ending in a backslash'),
      ];
    case 'regexp': {
      const trailing = /\\+$/.exec(value)?.[0].length ?? 0;
      if (trailing % 2 === 1) return []; // a dangling escape: not a valid pattern at all
      return [
        {
          s1ql: regexpText(name, openEnded(value), null),
          precision: 'exact',
          note: 'the final escaped backslash written as the class [\\\\]',
        },
      ];
    }
    default:
      return [];
  }
}

function stringValue(field: ResolvedField, id: OperatorId, value: unknown): Value {
  if (typeof value !== 'string') {
    throw new BuilderError('S1QL_BUILDER_VALUE', `${field.name} takes a string, not ${describe(value)}.`);
  }
  if (value.endsWith('\\')) {
    throw new UnrepresentableValueError(
      field.name,
      operatorInfo(id).canonical,
      value,
      alternativesFor(field, id, value),
    );
  }
  return stringNode(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'string' ? JSON.stringify(value) : `a ${typeof value} (${String(value)})`;
}

const isoLike = /^\d{4}-\d{2}-\d{2}/;

/**
 * One value for `field <id>`. Exact operators on enum fields take only catalog values; numbers must be finite;
 * timestamps are a Date, epoch milliseconds, or an ISO-8601 string.
 */
export function valueNode(field: ResolvedField, id: OperatorId, value: unknown, exactValue: boolean): Value {
  if (!exactValue) return stringValue(field, id, value);
  switch (field.kind) {
    case 'number':
      if (typeof value === 'number' && Number.isFinite(value)) return numberNode(value);
      throw new BuilderError(
        'S1QL_BUILDER_VALUE',
        `${field.name} is a number field: ${describe(value)} is not a finite number.`,
      );
    case 'timestamp':
      if (typeof value === 'number' && Number.isFinite(value)) return numberNode(value);
      if (value instanceof Date && !Number.isNaN(value.getTime())) return stringNode(value.toISOString());
      if (typeof value === 'string' && isoLike.test(value) && !Number.isNaN(Date.parse(value)))
        return stringNode(value);
      throw new BuilderError(
        'S1QL_BUILDER_VALUE',
        `${field.name} is a timestamp field: ${describe(value)} is not a Date, epoch milliseconds or an ISO-8601 string.`,
      );
    case 'enum': {
      const values = field.enumValues ?? [];
      const lower = typeof value === 'string' ? value.toLowerCase() : undefined;
      if (lower === undefined || !values.some((v) => v.toLowerCase() === lower)) {
        throw new BuilderError(
          'S1QL_BUILDER_VALUE',
          `${describe(value)} is not a value of ${field.name}; it takes ${values.map((v) => JSON.stringify(v)).join(', ')}.`,
        );
      }
      return stringValue(field, id, value);
    }
    case 'boolean':
      throw new BuilderError('S1QL_BUILDER_VALUE', `${field.name} is a boolean field: use Is True or Is False.`);
    case 'string':
    case 'hash':
    case 'ip':
      return stringValue(field, id, value);
    default:
      throw new BuilderError('S1QL_BUILDER_VALUE', `unexpected field kind ${String(field.kind)}`);
  }
}
