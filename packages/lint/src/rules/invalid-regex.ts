import { predicates } from '@s1ql/language';
import type { Rule } from '../types.ts';
import { docsUrl, opInfo, splitRegex } from '../util.ts';

/** A construct JavaScript reads differently or not at all, or undefined. */
export function unsupportedConstruct(body: string): string | undefined {
  let inClass = false;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '\\') {
      const next = body[i + 1];
      if (!inClass && (next === 'Z' || next === 'A' || next === 'z')) {
        return `\\${next} is not a JavaScript anchor (use ^ or $)`;
      }
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === '(' && body[i + 1] === '?') {
      const rest = body.slice(i + 2);
      if (/^[a-zA-Z-]+[:)]/.test(rest)) return 'inline flags are only supported as a leading (?i)';
    } else if ((c === '*' || c === '+' || c === '?' || c === '}') && body[i + 1] === '+') {
      const prev = body[i - 1];
      // `(?+` is not a quantifier; `*+`, `++`, `?+`, `}+` are possessive.
      if (!(c === '?' && prev === '(')) return 'possessive quantifiers (*+, ++, ?+, {n}+) are not supported';
    }
  }
  return undefined;
}

export const rule: Rule = {
  meta: {
    id: 'invalid-regex',
    code: 'R405',
    name: 'Invalid regular expression',
    category: 'correctness',
    defaultSeverity: 'error',
    fixable: false,
    docsUrl: docsUrl('invalid-regex'),
    description:
      'A RegExp pattern that does not compile, or uses a construct that cannot be evaluated faithfully (possessive quantifiers, \\Z, inline flags other than a leading (?i)).',
  },
  check(ctx) {
    for (const p of predicates(ctx.ast.expr)) {
      if (opInfo(p)?.id !== 'regexp' || p.operand?.kind !== 'String') continue;
      const { body } = splitRegex(p.operand.value);
      const unsupported = unsupportedConstruct(body);
      if (unsupported) {
        ctx.report({ node: p.operand, message: `Unsupported regular expression: ${unsupported}.` });
        continue;
      }
      try {
        new RegExp(body);
      } catch (error) {
        const why = error instanceof Error ? error.message.replace(/^Invalid regular expression: /, '') : 'invalid';
        ctx.report({ node: p.operand, message: `Invalid regular expression: ${why}.` });
      }
    }
  },
};
