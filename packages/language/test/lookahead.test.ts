import {
  Alternation,
  getLookaheadPaths,
  type IProduction,
  type IToken,
  type LookaheadProductionType,
  NonTerminal,
  Option,
  Repetition,
  RepetitionMandatory,
  type Rule,
  Terminal,
  type TokenType,
  tokenMatcher,
} from 'chevrotain';
import { describe, expect, it } from 'vitest';
import { alternationTable, optionalTable, Vocabulary } from '../src/lookahead.ts';
import { S1qlParser } from '../src/parser.ts';
import { allTokens } from '../src/tokens.ts';

interface Found {
  readonly rule: Rule;
  readonly prod: IProduction;
  readonly type: LookaheadProductionType;
  readonly idx: number;
}

/** Every production with a lookahead in every rule, found here independently of the code under test. */
function productions(rules: readonly Rule[]): Found[] {
  const found: Found[] = [];
  for (const rule of rules) {
    const visit = (defs: readonly IProduction[]): void => {
      for (const prod of defs) {
        if (prod instanceof Terminal || prod instanceof NonTerminal) continue;
        const type =
          prod instanceof Alternation
            ? 'Alternation'
            : prod instanceof Option
              ? 'Option'
              : prod instanceof Repetition
                ? 'Repetition'
                : prod instanceof RepetitionMandatory
                  ? 'RepetitionMandatory'
                  : undefined;
        if (type) found.push({ rule, prod, type, idx: (prod as unknown as { idx: number }).idx });
        visit((prod as unknown as { definition: IProduction[] }).definition);
      }
    };
    visit(rule.definition);
  }
  return found;
}

const token = (type: TokenType) => ({ tokenType: type, tokenTypeIdx: type.tokenTypeIdx }) as IToken;

/** Whether one of Chevrotain's one-token paths accepts a token of this type (an empty path accepts any). */
function accepts(paths: readonly TokenType[][], type: TokenType): boolean {
  return paths.some((path) => path.length === 0 || tokenMatcher(token(type), path[0] as TokenType));
}

describe('one-token lookahead from FIRST sets', () => {
  const rules = Object.values(new S1qlParser().getGAstProductions());
  const vocabulary = new Vocabulary(allTokens);
  const all = productions(rules);

  it('covers every OR and optional production of the grammar, the operator trie included', () => {
    expect(all.filter((p) => p.type === 'Alternation').length).toBeGreaterThan(30);
    expect(all.filter((p) => p.type !== 'Alternation').length).toBeGreaterThan(30);
  });

  it('chooses what Chevrotain would choose, for every production and every token type', () => {
    for (const { rule, prod, type, idx } of all) {
      const paths = getLookaheadPaths({ occurrence: idx, rule, prodType: type, maxLookahead: 1 });
      const where = `${rule.name} ${type}${idx}`;
      if (prod instanceof Alternation) {
        const table = alternationTable(prod, vocabulary);
        // No alternative of this grammar can match nothing, so every OR gets a table (none falls back).
        expect(table, where).toBeDefined();
        for (const t of allTokens) {
          const expected = paths.findIndex((alt) => accepts(alt, t));
          expect(table?.[t.tokenTypeIdx as number], `${where} on ${t.name}`).toBe(expected < 0 ? undefined : expected);
        }
      } else {
        const table = optionalTable(prod, vocabulary);
        for (const t of allTokens) {
          expect(table[t.tokenTypeIdx as number], `${where} on ${t.name}`).toBe(accepts(paths[0] ?? [], t));
        }
      }
    }
  });
});
