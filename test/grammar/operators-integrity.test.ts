/**
 * operators.json and s1ql1.ebnf describe the same operators: every spelling in one is in the other. The lexer
 * has a token for every word, and the catalog's OperatorId type lists exactly the ids of operators.json.
 */
import { readFileSync } from 'node:fs';
import operatorsJson from '@s1ql/grammar/operators.json' with { type: 'json' };
import { invalidOperators, type OperatorId, operators, parse } from '@s1ql/language';
import { describe, expect, it } from 'vitest';

const ebnf = readFileSync(new URL('../../grammar/s1ql1.ebnf', import.meta.url), 'utf8');

/** The operator alternatives of the EBNF: each `"word" , "word"` sequence of compare_op, list_op, string_op and predicate. */
function ebnfSpellings(): Set<string> {
  const body = ebnf.replace(/\(\*[\s\S]*?\*\)/g, '');
  const rule = (name: string): string => {
    const m = new RegExp(`^${name}\\s*=([\\s\\S]*?);`, 'm').exec(body);
    if (!m?.[1]) throw new Error(`no rule ${name} in s1ql1.ebnf`);
    return m[1];
  };
  const out = new Set<string>();
  for (const name of ['compare_op', 'list_op', 'string_op']) {
    for (const alt of rule(name).split('|')) {
      const words = [...alt.matchAll(/"([^"]+)"/g)].map((w) => w[1]);
      if (words.length) out.add(words.join(' ').toLowerCase());
    }
  }
  // The predicate rule spells the remaining operators inline; its operand words (And) are not operator words.
  for (const alt of rule('predicate').split('|')) {
    const words = [...alt.matchAll(/"([^"]+)"/g)].map((w) => w[1] as string).filter((w) => w !== '(' && w !== ')');
    const head = words[0] === 'Between' ? ['Between'] : words;
    if (head.length) out.add(head.join(' ').toLowerCase());
  }
  return out;
}

describe('operators.json and s1ql1.ebnf', () => {
  const fromJson = new Set(operators.flatMap((op) => op.spellings.map((s) => s.join(' ').toLowerCase())));
  const fromEbnf = ebnfSpellings();

  it('every operator spelling of operators.json is in the EBNF', () => {
    expect([...fromJson].filter((s) => !fromEbnf.has(s))).toEqual([]);
  });

  it('every operator of the EBNF is in operators.json', () => {
    expect([...fromEbnf].filter((s) => !fromJson.has(s))).toEqual([]);
  });

  it('no spelling is both valid and invalid, or used twice', () => {
    const invalid = invalidOperators.flatMap((inv) => inv.spellings.map((s) => s.join(' ').toLowerCase()));
    expect(invalid.filter((s) => fromJson.has(s))).toEqual([]);
    const all = [...operators.flatMap((op) => op.spellings.map((s) => s.join(' ').toLowerCase())), ...invalid];
    expect(all.length).toBe(new Set(all).size);
  });

  it('every invalid spelling is reported by the parser, and replaced by a real operator when it says so', () => {
    for (const inv of invalidOperators) {
      for (const words of inv.spellings) {
        const { diagnostics } = parse(`F ${words.join(' ')} ("x")`);
        expect(
          diagnostics.some((d) => d.code === 'P209'),
          words.join(' '),
        ).toBe(true);
      }
      if (inv.replacement) expect(operators.some((op) => op.id === inv.replacement)).toBe(true);
    }
  });

  it('the OperatorId type lists exactly the ids of operators.json', () => {
    // Each id below must be an OperatorId (checked by tsc) and the file must have no other.
    const ids: readonly OperatorId[] = [
      'eq',
      'neq',
      'lt',
      'lte',
      'gt',
      'gte',
      'in',
      'notIn',
      'inAnyCase',
      'inContains',
      'inContainsAnyCase',
      'contains',
      'containsAnyCase',
      'doesNotContain',
      'doesNotContainAnyCase',
      'startsWith',
      'startsWithAnyCase',
      'endsWith',
      'endsWithAnyCase',
      'regexp',
      'between',
      'isEmpty',
      'isNotEmpty',
      'exists',
      'isTrue',
      'isFalse',
    ];
    expect(operatorsJson.operators.map((o) => o.id).sort()).toEqual([...ids].sort());
  });

  it('every operator has an operand kind, a case rule and a 2.0 form', () => {
    for (const op of operators) {
      expect(['value', 'list', 'string', 'regex', 'range', 'none']).toContain(op.operand);
      expect(['sensitive', 'insensitive', 'pattern', 'none']).toContain(op.case);
      expect(op.s1ql2.length).toBeGreaterThan(0);
      expect(op.doc.length).toBeGreaterThan(0);
    }
  });
});
