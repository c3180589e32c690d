/**
 * One-token lookahead tables built straight from FIRST sets. Chevrotain's LL(k) strategy finds the lookahead of each
 * OR and OPTION by walking its whole rule, and for an OPTION also everything after it in the rule, though with one
 * token of lookahead only the first tokens inside are used. The operator rule (an OR and an OPTION for every node of
 * the spelling trie) made that quadratic: about half of start-up. The tables here are the ones
 * Chevrotain would build (a test compares them for every production of the grammar); what they do not cover
 * (gates on alternatives, separators, an alternative that can be empty, more than one token of lookahead) is left to
 * Chevrotain's own strategy.
 */
import {
  Alternation,
  Alternative,
  type IOrAlt,
  type IProduction,
  type IProductionWithOccurrence,
  type IToken,
  LLkLookaheadStrategy,
  NonTerminal,
  Option,
  type OptionalProductionType,
  Repetition,
  RepetitionMandatory,
  type Rule,
  Terminal,
  type TokenType,
  tokenMatcher,
} from 'chevrotain';

/** The productions that have a lookahead, by `Type:occurrence`, for each rule. */
type ProductionIndex = ReadonlyMap<string, IProduction>;

/** The productions inside a production (the alternatives of an alternation); none in a terminal or a rule call. */
function children(p: IProduction): readonly IProduction[] {
  return 'definition' in p ? (p as unknown as { definition: IProduction[] }).definition : [];
}

/** The production type names Chevrotain passes to a lookahead strategy. */
function typeName(p: IProduction): string | undefined {
  if (p instanceof Alternation) return 'Alternation';
  if (p instanceof Option) return 'Option';
  if (p instanceof Repetition) return 'Repetition';
  if (p instanceof RepetitionMandatory) return 'RepetitionMandatory';
  return undefined;
}

function indexProductions(rule: Rule): ProductionIndex {
  const index = new Map<string, IProduction>();
  const visit = (defs: readonly IProduction[]): void => {
    for (const p of defs) {
      if (p instanceof Terminal || p instanceof NonTerminal) continue;
      const type = typeName(p);
      if (type) index.set(`${type}:${(p as IProductionWithOccurrence).idx}`, p);
      visit(children(p));
    }
  };
  visit(rule.definition);
  return index;
}

/**
 * Adds the token types a sequence can start with to `out`; true when the whole sequence can match nothing. Other
 * rules are entered (the grammar has no left recursion: the validating build checks it).
 */
function firstOf(defs: readonly IProduction[], out: Set<TokenType>): boolean {
  for (const p of defs) {
    if (p instanceof Terminal) {
      out.add(p.terminalType);
      return false;
    }
    if (p instanceof NonTerminal) {
      if (!firstOf(p.referencedRule.definition, out)) return false;
    } else if (p instanceof Alternation) {
      let empty = false;
      for (const alt of p.definition) empty = firstOf(children(alt), out) || empty;
      if (!empty) return false;
    } else if (p instanceof Alternative || p instanceof RepetitionMandatory) {
      if (!firstOf(p.definition, out)) return false;
    } else {
      // OPTION, MANY and the separated repetitions can be skipped.
      firstOf(children(p), out);
    }
  }
  return true;
}

/**
 * For each token type index of the vocabulary, the first alternative that can start with it (undefined: none), or
 * undefined when the table cannot decide alone (an alternative that can match nothing).
 */
export function alternationTable(prod: Alternation, vocabulary: Vocabulary): (number | undefined)[] | undefined {
  const table: (number | undefined)[] = new Array(vocabulary.size).fill(undefined);
  for (const [i, alt] of prod.definition.entries()) {
    const first = new Set<TokenType>();
    if (firstOf(children(alt), first)) return undefined;
    for (const type of first) for (const idx of vocabulary.matchedBy(type)) table[idx] ??= i;
  }
  return table;
}

/** For each token type index of the vocabulary, whether an optional production (OPTION, MANY...) is entered. */
export function optionalTable(prod: IProduction, vocabulary: Vocabulary): boolean[] {
  const first = new Set<TokenType>();
  firstOf(children(prod), first);
  const table: boolean[] = new Array(vocabulary.size).fill(false);
  for (const type of first) for (const idx of vocabulary.matchedBy(type)) table[idx] = true;
  return table;
}

/** The token types a parser reads, and which of them each type (or category) accepts. */
export class Vocabulary {
  readonly size: number;
  readonly #types: readonly TokenType[];
  readonly #matched = new Map<TokenType, readonly number[]>();

  constructor(types: readonly TokenType[]) {
    this.#types = types;
    this.size = Math.max(...types.map((t) => t.tokenTypeIdx as number)) + 1;
  }

  /** The indices of the token types a token of which `accepted` matches: itself, and the types in its category. */
  matchedBy(accepted: TokenType): readonly number[] {
    let matched = this.#matched.get(accepted);
    if (!matched) {
      matched = this.#types
        .filter((t) => tokenMatcher({ tokenType: t, tokenTypeIdx: t.tokenTypeIdx } as IToken, accepted))
        .map((t) => t.tokenTypeIdx as number);
      this.#matched.set(accepted, matched);
    }
    return matched;
  }
}

/** What a lookahead function is called on: the parser in progress. */
interface Lookahead {
  LA(howMuch: number): IToken;
}

export class FirstSetLookahead extends LLkLookaheadStrategy {
  readonly #vocabulary: Vocabulary;
  readonly #productions = new Map<Rule, ProductionIndex>();

  constructor(vocabulary: readonly TokenType[]) {
    super({ maxLookahead: 1 });
    this.#vocabulary = new Vocabulary(vocabulary);
  }

  #production(rule: Rule, type: string, occurrence: number): IProduction | undefined {
    let index = this.#productions.get(rule);
    if (!index) {
      index = indexProductions(rule);
      this.#productions.set(rule, index);
    }
    return index.get(`${type}:${occurrence}`);
  }

  override buildLookaheadForAlternation(options: {
    prodOccurrence: number;
    rule: Rule;
    maxLookahead: number;
    hasPredicates: boolean;
    dynamicTokensEnabled: boolean;
  }): (orAlts?: IOrAlt<unknown>[] | undefined) => number | undefined {
    const prod = this.#production(options.rule, 'Alternation', options.prodOccurrence);
    const table =
      options.maxLookahead === 1 &&
      !options.hasPredicates &&
      !options.dynamicTokensEnabled &&
      prod instanceof Alternation
        ? alternationTable(prod, this.#vocabulary)
        : undefined;
    if (!table) return super.buildLookaheadForAlternation(options);
    return function (this: Lookahead) {
      return table[this.LA(1).tokenTypeIdx];
    };
  }

  override buildLookaheadForOptional(options: {
    prodOccurrence: number;
    prodType: OptionalProductionType;
    rule: Rule;
    maxLookahead: number;
    dynamicTokensEnabled: boolean;
  }): () => boolean {
    const prod = this.#production(options.rule, options.prodType, options.prodOccurrence);
    if (options.maxLookahead !== 1 || options.dynamicTokensEnabled || !prod)
      return super.buildLookaheadForOptional(options);
    const table = optionalTable(prod, this.#vocabulary);
    return function (this: Lookahead) {
      return table[this.LA(1).tokenTypeIdx] === true;
    };
  }
}
