import { predicates } from '@s1ql/language';
import type { Rule } from '../types.ts';
import { docsUrl, fieldInfo, opInfo, SUBSTRING_OPERATORS } from '../util.ts';

const NOT_FOR_BOOLEAN = new Set(['eq', 'neq', 'lt', 'lte', 'gt', 'gte', 'in', 'notIn', 'inAnyCase', 'between']);

export const rule: Rule = {
  meta: {
    id: 'operator-type-mismatch',
    code: 'R403',
    name: 'Operator does not suit the field type',
    category: 'correctness',
    defaultSeverity: 'error',
    fixable: false,
    docsUrl: docsUrl('operator-type-mismatch'),
    description:
      'Ordering on strings, hashes, IPs or enums; substring operators on numbers; comparisons or lists on booleans; Is True / Is False on a non-boolean field.',
  },
  check(ctx) {
    for (const p of predicates(ctx.ast.expr)) {
      const info = fieldInfo(p);
      const op = opInfo(p);
      if (!info || !op || p.operator.kind !== 'Operator') continue;
      let why: string | undefined;
      if (info.type === 'boolean') {
        if (NOT_FOR_BOOLEAN.has(op.id)) why = `${info.name} is a boolean field: use Is True or Is False`;
      } else if (op.id === 'isTrue' || op.id === 'isFalse') {
        why = `${op.canonical} applies to boolean fields; ${info.name} is ${info.type === 'enum' ? 'an' : 'a'} ${info.type} field`;
      } else if (op.ordering && ['string', 'hash', 'ip', 'enum'].includes(info.type)) {
        why = `${op.canonical} orders numbers and timestamps; ${info.name} is ${info.type === 'enum' || info.type === 'ip' ? 'an' : 'a'} ${info.type} field`;
      } else if (SUBSTRING_OPERATORS.has(op.id) && info.type === 'number') {
        why = `${op.canonical} matches text; ${info.name} is a number field: compare with =, In or Between`;
      }
      if (why) ctx.report({ node: p.operator, message: `${why}.` });
    }
  },
};
