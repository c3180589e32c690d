/**
 * The S1QL 1.0 grammar as Chevrotain rules (precedence NOT > AND > OR). Missing pieces are optional in the
 * rules and reported from the actions, so one mistake yields one precise diagnostic and the rest of the query
 * still parses. Operator alternatives are generated from `grammar/operators.json`.
 */
import {
  EmbeddedActionsParser,
  getLookaheadPaths,
  type IOrAlt,
  type IParserErrorMessageProvider,
  type IRecognitionException,
  type IToken,
  NoViableAltException,
  type OrMethodOpts,
  type Rule,
  type TokenType,
} from 'chevrotain';
import type {
  ErrorExpr,
  Expr,
  ListLiteral,
  Missing,
  NotExpr,
  Operand,
  OperatorNode,
  Predicate,
  Range,
  Value,
} from './ast.ts';
import { invalidOperators, type OperatorId, operators } from './catalog.ts';
import { Codes, type Fix } from './diagnostics.ts';
import { FirstSetLookahead } from './lookahead.ts';
import * as T from './tokens.ts';
import { describe, type OperatorSpelling, type TreeBuilder } from './tree-builder.ts';

function spellingTokens(words: readonly string[]): TokenType[] {
  return words.map((word) => {
    const tokenType = T.wordTokens.get(word.toLowerCase());
    if (!tokenType) throw new TypeError(`operators.json uses the word "${word}", which the lexer has no token for`);
    return tokenType;
  });
}

const operatorSpellings: readonly OperatorSpelling[] = [
  ...operators.flatMap((op) => op.spellings.map((words) => ({ words: spellingTokens(words), id: op.id }))),
  ...invalidOperators.flatMap((inv) =>
    inv.spellings.map((words) => ({
      words: spellingTokens(words),
      invalid: inv,
      ...(inv.replacement ? { id: inv.replacement } : {}),
    })),
  ),
];

/** Operator spellings as a trie of words, with the DSL occurrence indices each node uses fixed up front. */
interface TrieNode {
  readonly children: Map<TokenType, TrieNode>;
  spelling?: OperatorSpelling;
  consumeIdx: number;
  orIdx: number;
  optionIdx: number;
}

function buildTrie(spellings: readonly OperatorSpelling[]): TrieNode {
  const root: TrieNode = { children: new Map(), consumeIdx: 0, orIdx: 0, optionIdx: 0 };
  const consumeCounts = new Map<TokenType, number>();
  let ors = 0;
  let options = 0;
  for (const spelling of spellings) {
    let node = root;
    for (const word of spelling.words) {
      let child = node.children.get(word);
      if (!child) {
        const idx = (consumeCounts.get(word) ?? 0) + 1;
        consumeCounts.set(word, idx);
        child = { children: new Map(), consumeIdx: idx, orIdx: 0, optionIdx: 0 };
        node.children.set(word, child);
      }
      node = child;
    }
    if (node.spelling)
      throw new TypeError(
        `operators.json spells two operators the same way: ${spelling.words.map((w) => w.name).join(' ')}`,
      );
    node.spelling = spelling;
  }
  const number = (node: TrieNode): void => {
    node.orIdx = ++ors;
    node.optionIdx = ++options;
    for (const child of node.children.values()) number(child);
  };
  number(root);
  return root;
}

const operatorTrie = buildTrie(operatorSpellings);

function tokenWord(t: TokenType): string {
  return typeof t.PATTERN === 'string' ? t.PATTERN : t.name === 'EOF' ? 'end of query' : t.name;
}

function found(tok: IToken): string {
  return tok.tokenType.name === 'EOF' || !(tok.startOffset >= 0) ? 'the end of the query' : describe(tok);
}

/** Word pairs that start only misspellings (`Not Contains`): not offered as what may follow the first word. */
const misspeltPairs: ReadonlySet<string> = (() => {
  const pairs = (words: readonly string[]) => (words.length >= 2 ? [`${words[0]} ${words[1]}`.toLowerCase()] : []);
  const valid = new Set(operators.flatMap((op) => op.spellings.flatMap(pairs)));
  return new Set(invalidOperators.flatMap((inv) => inv.spellings.flatMap(pairs)).filter((p) => !valid.has(p)));
})();

function after(previous: IToken | undefined): string {
  return previous && previous.startOffset >= 0 ? ` after "${previous.image}"` : '';
}

/** The internals of Chevrotain's parser that `raiseNoAltException` needs (not in its typings). */
interface ChevrotainInternals {
  getCurrRuleFullName(): string;
  SAVE_ERROR(error: IRecognitionException): IRecognitionException;
}

/** Chevrotain's own recovery is the last resort; its messages still read as a hunter would want. */
const errorMessageProvider: IParserErrorMessageProvider = {
  buildMismatchTokenMessage: ({ expected, actual, previous }) =>
    `Expected ${tokenWord(expected)}${after(previous)}, found ${found(actual)}.`,
  buildNotAllInputParsedMessage: ({ firstRedundant }) => `Unexpected ${found(firstRedundant)}.`,
  buildNoViableAltMessage: ({ expectedPathsPerAlt, actual, previous }) => {
    const all = [...new Set(expectedPathsPerAlt.flat().map((path) => path.map(tokenWord).join(' ')))];
    const prev = previous?.image.toLowerCase();
    const offered = all.filter((w) => !misspeltPairs.has(`${prev} ${w.toLowerCase()}`));
    const words = offered.length > 0 ? offered : all;
    const list = words.length > 1 ? `${words.slice(0, -1).join(', ')} or ${words.at(-1)}` : (words[0] ?? 'more');
    return `Expected ${list}${after(previous)}, found ${found(actual[0] as IToken)}.`;
  },
  buildEarlyExitMessage: ({ actual, previous }) => `Unexpected ${found(actual[0] as IToken)}${after(previous)}.`,
};

export class S1qlParser extends EmbeddedActionsParser {
  /** Builds the tree and collects diagnostics for the parse in progress (set by `parse`). */
  b!: TreeBuilder;

  /**
   * One token of lookahead is enough for this grammar (the operator trie sees to that) and keeps start-up cheap.
   * Grammar validation costs more than the rest of start-up; the test suite builds a validating instance.
   */
  constructor(options: { readonly validate?: boolean } = {}) {
    super(T.allTokens as TokenType[], {
      recoveryEnabled: true,
      maxLookahead: 1,
      lookaheadStrategy: new FirstSetLookahead(T.allTokens),
      skipValidations: !options.validate,
      errorMessageProvider,
    });
    this.performSelfAnalysis();
  }

  /** An alternation's expected paths, by rule and occurrence: see `raiseNoAltException`. */
  readonly #expectedPaths = new Map<string, TokenType[][][]>();

  /**
   * Chevrotain's internal `raiseNoAltException` (13.x) rebuilds an alternation's expected paths from the grammar for
   * every "no viable alternative" error, to name what was expected; text made of such errors (`a Not ` repeated)
   * spent a third of its time there. The paths depend only on the rule and the alternation, so this override
   * computes them once, by Chevrotain's public `getLookaheadPaths`, and raises the same error. A test checks that
   * Chevrotain still calls a method of this name.
   */
  raiseNoAltException(occurrence: number, errMsgTypes: string | undefined): never {
    const internals = this as unknown as ChevrotainInternals;
    const ruleName = internals.getCurrRuleFullName();
    const key = `${ruleName}:${occurrence}`;
    let expectedPathsPerAlt = this.#expectedPaths.get(key);
    if (!expectedPathsPerAlt) {
      const rule = this.getGAstProductions()[ruleName] as Rule;
      expectedPathsPerAlt = getLookaheadPaths({ occurrence, rule, prodType: 'Alternation', maxLookahead: 1 });
      this.#expectedPaths.set(key, expectedPathsPerAlt);
    }
    const actual = this.LA(1);
    const previous = this.LA(0);
    const message = errorMessageProvider.buildNoViableAltMessage({
      expectedPathsPerAlt,
      actual: [actual],
      previous,
      ...(errMsgTypes === undefined ? {} : { customUserDescription: errMsgTypes }),
      ruleName,
    });
    throw internals.SAVE_ERROR(new NoViableAltException(message, actual, previous));
  }

  /** Where Chevrotain's own recovery resumed: the last token consumed, or the start. */
  recoveryRange(): Range {
    const last = this.LA(0);
    if (!last || Number.isNaN(last.startOffset)) return this.b.range(0, 0);
    return this.b.tokenRange(last);
  }

  notAlts?: OrMethodOpts<Expr>;
  primaryAlts?: IOrAlt<Expr>[];
  predicateAlts?: IOrAlt<Predicate>[];

  recoveredExpr = (): Expr => ({ kind: 'Error', range: this.recoveryRange() });
  recoveredMissing = (): Missing => ({ kind: 'Missing', range: this.recoveryRange() });

  // ---- rules ----------------------------------------------------------------------------------------------

  query = this.RULE(
    'query',
    (): Expr | null => {
      let expr: Expr | null = null;
      this.OPTION(() => {
        expr = this.SUBRULE(this.orExpr);
      });
      // Whatever is left after a complete expression: report it, and keep parsing what follows.
      this.MANY(() => {
        this.OR({
          IGNORE_AMBIGUITIES: true,
          DEF: [
            {
              ALT: () => {
                const tok = this.CONSUME(T.RParen);
                this.ACTION(() => {
                  const removal: Fix = {
                    title: 'Remove this )',
                    edits: [{ range: this.b.tokenRange(tok), newText: '' }],
                  };
                  this.b.report(
                    Codes.unmatchedCloseParen,
                    'This ) has no matching (: remove it, or add the ( where the group begins.',
                    this.b.tokenRange(tok),
                    undefined,
                    [removal],
                  );
                });
              },
            },
            {
              ALT: () => {
                const pipe = this.CONSUME(T.Pipe);
                let last = pipe;
                this.MANY2(() => {
                  last = this.CONSUME(T.AnyToken);
                });
                this.ACTION(() =>
                  this.b.report(
                    Codes.pipe,
                    'S1QL 1.0 (Deep Visibility) has no pipes: this looks like a PowerQuery (S1QL 2.0) pipeline. ' +
                      'Use the filter alone here (PowerQuery is not parsed in this release).',
                    this.b.tokenRange(pipe, last),
                  ),
                );
              },
            },
            {
              ALT: () => {
                const next = this.SUBRULE2(this.orExpr);
                this.ACTION(() => {
                  const prev = expr as Expr | null;
                  expr = prev ? this.b.joinAnd(prev, next) : next;
                });
              },
            },
            {
              // After a stray `)`, `OR ...` / `AND ...` carries on the expression on the left.
              ALT: () => {
                const word = this.OR2([{ ALT: () => this.CONSUME(T.Or) }, { ALT: () => this.CONSUME(T.And) }]);
                const rhs = this.OPTION2(() => this.SUBRULE(this.andExpr));
                this.ACTION(() => {
                  const left = expr as Expr | null;
                  if (!left) this.b.reportStray(word);
                  else if (!rhs) this.b.reportDangling(word);
                  if (!rhs) return;
                  if (!left) expr = rhs;
                  else if (word.tokenType === T.And) expr = this.b.joinAnd(left, rhs);
                  else {
                    const operands = left.kind === 'Or' && !left.parenthesized ? [...left.operands, rhs] : [left, rhs];
                    expr = this.b.chain('Or', operands);
                  }
                });
              },
            },
            {
              ALT: () => {
                const first = this.CONSUME2(T.AnyToken);
                this.ACTION(() => this.b.reportStray(first));
              },
            },
          ],
        });
      });
      return expr;
    },
    { recoveryValueFunc: () => null },
  );

  orExpr = this.RULE(
    'orExpr',
    (): Expr => {
      const operands: Expr[] = [this.SUBRULE(this.andExpr)];
      this.MANY(() => {
        const orTok = this.CONSUME(T.Or);
        const next = this.OPTION(() => this.SUBRULE2(this.andExpr));
        this.ACTION(() => {
          if (next) operands.push(next);
          else this.b.reportDangling(orTok);
        });
      });
      return this.ACTION(() => this.b.chain('Or', operands));
    },
    { recoveryValueFunc: this.recoveredExpr },
  );

  andExpr = this.RULE(
    'andExpr',
    (): Expr => {
      const operands: Expr[] = [this.SUBRULE(this.notExpr)];
      this.MANY(() => {
        this.OR([
          {
            ALT: () => {
              const andTok = this.CONSUME(T.And);
              const next = this.OPTION(() => this.SUBRULE2(this.notExpr));
              this.ACTION(() => {
                if (next) operands.push(next);
                else this.b.reportDangling(andTok);
              });
            },
          },
          {
            // Two clauses side by side: recovered as AND, reported.
            ALT: () => {
              const next = this.SUBRULE3(this.notExpr);
              this.ACTION(() => {
                const at = this.b.outer(next);
                const insert: Fix = {
                  title: 'Insert AND',
                  edits: [{ range: { start: at.start, end: at.start }, newText: 'AND ' }],
                };
                const insertOr: Fix = {
                  title: 'Insert OR',
                  edits: [{ range: { start: at.start, end: at.start }, newText: 'OR ' }],
                };
                this.b.report(
                  Codes.missingLogical,
                  'Missing AND or OR before this clause.',
                  { start: at.start, end: at.start },
                  undefined,
                  [insert, insertOr],
                );
                operands.push(next);
              });
            },
          },
        ]);
      });
      return this.ACTION(() => this.b.chain('And', operands));
    },
    { recoveryValueFunc: this.recoveredExpr },
  );

  notExpr = this.RULE(
    'notExpr',
    (): Expr => {
      // `NOT In (...)` with no field reads as NOT applied to a field-less predicate: reported, not ambiguous.
      // Alternatives that close over no local are built once: a literal here would allocate them on every call.
      this.notAlts ??= {
        IGNORE_AMBIGUITIES: true,
        DEF: [
          {
            ALT: () => {
              const notTok = this.CONSUME(T.Not);
              const operand = this.OPTION(() => this.SUBRULE(this.notExpr));
              return this.ACTION((): Expr => {
                if (!operand) {
                  this.b.report(Codes.danglingLogical, 'NOT needs a condition after it.', this.b.tokenRange(notTok));
                  return { kind: 'Error', range: this.b.tokenRange(notTok) } satisfies ErrorExpr;
                }
                return {
                  kind: 'Not',
                  range: { start: this.b.tokenRange(notTok).start, end: this.b.outer(operand).end },
                  operand,
                } satisfies NotExpr;
              });
            },
          },
          { ALT: () => this.SUBRULE(this.primary) },
        ],
      };
      return this.OR(this.notAlts);
    },
    { recoveryValueFunc: this.recoveredExpr },
  );

  primary = this.RULE(
    'primary',
    (): Expr => {
      this.primaryAlts ??= [
        {
          ALT: () => {
            const open = this.CONSUME(T.LParen);
            // `( OR b = "x")`: what is left when a group's first clause is commented out. The OR is reported with
            // its removal, and the group parses as meant.
            const lead = this.OPTION3(() =>
              this.OR2([{ ALT: () => this.CONSUME(T.Or) }, { ALT: () => this.CONSUME(T.And) }]),
            );
            const inner = this.OPTION(() => this.SUBRULE(this.orExpr));
            const close = this.OPTION2(() => this.CONSUME(T.RParen));
            return this.ACTION((): Expr => {
              if (lead) this.b.reportStray(lead);
              const openRange = this.b.tokenRange(open);
              if (!inner) {
                const end = close ? this.b.tokenRange(close).end : openRange.end;
                this.b.report(Codes.unexpectedToken, 'Empty parentheses: put a condition inside them.', {
                  start: openRange.start,
                  end,
                });
                return { kind: 'Error', range: { start: openRange.start, end } };
              }
              if (!close) {
                const at = this.b.outer(inner).end;
                const insert: Fix = { title: 'Insert )', edits: [{ range: { start: at, end: at }, newText: ')' }] };
                const where = `the ( of \`${this.b.snippet(openRange.start.offset)}\``;
                if (this.LA(1).tokenType.name === 'EOF') {
                  // The group runs to the end: the only place its ) can go. Deep Visibility closes it (SentinelLabs
                  // publish such a hunt), so this is a warning with a certain fix rather than an error.
                  this.b.diagnostics.push({
                    code: Codes.missingCloseParen,
                    severity: 'warning',
                    message: `Missing ) at the end of the query to close ${where}.`,
                    range: { start: at, end: at },
                    fix: insert,
                  });
                } else {
                  this.b.report(
                    Codes.missingCloseParen,
                    `Missing ) to close ${where}.`,
                    { start: at, end: at },
                    undefined,
                    [insert],
                  );
                }
                return { ...inner, parenthesized: { start: openRange.start, end: at } };
              }
              return { ...inner, parenthesized: { start: openRange.start, end: this.b.tokenRange(close).end } };
            });
          },
        },
        { ALT: () => this.SUBRULE(this.predicate) },
      ];
      return this.OR(this.primaryAlts);
    },
    { recoveryValueFunc: this.recoveredExpr },
  );

  predicate = this.RULE(
    'predicate',
    (): Predicate => {
      this.predicateAlts ??= [
        {
          ALT: () => {
            const fieldTok = this.CONSUME(T.FieldToken);
            const field = this.ACTION(() => this.b.fieldNode(fieldTok));
            const op = this.OPTION(() => this.SUBRULE(this.operator));
            const opId = this.ACTION(() => this.operandOf(op));
            const operand = this.OPTION2(() => this.SUBRULE(this.operand, { ARGS: [opId] }));
            return this.ACTION(() => this.b.finishPredicate(field, op, operand));
          },
        },
        {
          ALT: () => {
            const op = this.SUBRULE2(this.operator);
            const opId = this.ACTION(() => this.operandOf(op));
            const operand = this.OPTION3(() => this.SUBRULE2(this.operand, { ARGS: [opId] }));
            return this.ACTION(() => this.b.finishPredicate(undefined, op, operand));
          },
        },
        {
          ALT: () => {
            const valueTok = this.CONSUME(T.ValueToken);
            const value = this.ACTION(() => this.b.valueNode(valueTok));
            return this.ACTION(() => this.b.finishPredicate(undefined, undefined, value));
          },
        },
      ];
      return this.OR(this.predicateAlts);
    },
    {
      recoveryValueFunc: (): Predicate => ({
        kind: 'Predicate',
        range: this.recoveryRange(),
        field: this.recoveredMissing(),
        operator: this.recoveredMissing(),
        operand: null,
      }),
    },
  );

  /**
   * The operator whose operand follows: the one read, or for a spelling 1.0 does not have (`Not Between`), Between
   * when it ends with that word, so its `And` and second value are read as a range rather than as a new clause.
   */
  operandOf(op: OperatorNode | Missing | undefined): OperatorId | undefined {
    if (op?.kind === 'Operator') return op.id;
    return op !== undefined && this.LA(0).tokenType === T.Between ? 'between' : undefined;
  }

  operator = this.RULE(
    'operator',
    (): OperatorNode | Missing => {
      const toks: IToken[] = [];
      this.operatorTokens = toks;
      const spelling = this.operatorWords(operatorTrie) as OperatorSpelling;
      return this.ACTION(() => this.b.finishOperator(spelling, toks));
    },
    { recoveryValueFunc: this.recoveredMissing },
  );

  /** The tokens of the operator being read (the trie's alternatives are built once, so they cannot close over it). */
  operatorTokens: IToken[] = [];
  readonly trieAlts = new Map<TrieNode, IOrAlt<OperatorSpelling | undefined>[]>();

  /** Walks the spelling trie: one token of lookahead at each step, however many spellings share a prefix. */
  operatorWords(node: TrieNode): OperatorSpelling | undefined {
    let alts = this.trieAlts.get(node);
    if (!alts) {
      alts = [...node.children].map(([word, child]) => ({
        ALT: () => {
          this.operatorTokens.push(this.consume(child.consumeIdx, word));
          return this.operatorWords(child);
        },
      }));
      this.trieAlts.set(node, alts);
    }
    if (alts.length === 0) return node.spelling;
    if (node.spelling) return this.option(node.optionIdx, () => this.or(node.orIdx, alts)) ?? node.spelling;
    return this.or(node.orIdx, alts);
  }

  operand = this.RULE(
    'operand',
    (opId: OperatorId | undefined): Operand => {
      return this.OR([
        { ALT: () => this.SUBRULE(this.list) },
        {
          ALT: () => {
            const lowTok = this.CONSUME(T.ValueToken);
            const low = this.ACTION(() => this.b.valueNode(lowTok));
            const high = this.OPTION({
              GATE: () => opId === 'between',
              DEF: () => {
                // `Between "1", "5"`: a comma where And goes is read as And, and reported with And as a certain fix.
                const andTok = this.OR2([{ ALT: () => this.CONSUME(T.And) }, { ALT: () => this.CONSUME(T.Comma) }]);
                const vTok = this.OPTION2(() => this.CONSUME2(T.ValueToken));
                const v = vTok && this.ACTION(() => this.b.valueNode(vTok));
                return this.ACTION(() => {
                  if (andTok.tokenType === T.Comma) {
                    const range = this.b.tokenRange(andTok);
                    this.b.report(Codes.operandShape, 'Between joins its two values with And, not a comma.', range, {
                      title: 'Replace the comma with And',
                      edits: [{ range, newText: ' And' }],
                    });
                  }
                  if (v) return v;
                  this.b.report(Codes.missingValue, 'Between needs a second value after And.', this.b.after(andTok));
                  return this.b.missing(this.b.tokenRange(andTok));
                });
              },
            });
            return this.ACTION((): Operand => {
              if (!high) return low;
              return { kind: 'Range', range: { start: low.range.start, end: high.range.end }, low, high };
            });
          },
        },
      ]);
    },
    { recoveryValueFunc: this.recoveredMissing },
  );

  list = this.RULE(
    'list',
    (): ListLiteral => {
      const open = this.CONSUME(T.LParen);
      const items: (Value | Missing)[] = [];
      const firstTok = this.OPTION(() => this.CONSUME(T.ValueToken));
      const first = firstTok && this.ACTION(() => this.b.valueNode(firstTok));
      this.ACTION(() => {
        if (first) items.push(first);
      });
      this.MANY(() => {
        this.OR([
          {
            ALT: () => {
              const comma = this.CONSUME(T.Comma);
              const itemTok = this.OPTION2(() => this.CONSUME2(T.ValueToken));
              const item = itemTok && this.ACTION(() => this.b.valueNode(itemTok));
              this.ACTION(() => {
                if (items.length === 0) {
                  this.b.report(Codes.badList, 'A list starts with a value, not a comma.', this.b.tokenRange(comma));
                }
                if (item) items.push(item);
                else {
                  this.b.report(Codes.badList, 'Missing value after this comma.', this.b.tokenRange(comma), {
                    title: 'Remove the comma',
                    edits: [{ range: this.b.tokenRange(comma), newText: '' }],
                  });
                }
              });
            },
          },
          {
            // `("a.exe" "b.exe")`: two values side by side in a list can only be missing their comma.
            ALT: () => {
              const itemTok = this.CONSUME3(T.ValueToken);
              this.ACTION(() => {
                const item = this.b.valueNode(itemTok);
                const at = (items.at(-1) ?? item).range.end;
                this.b.report(
                  Codes.badList,
                  'Missing comma between these list values.',
                  { start: at, end: item.range.start },
                  { title: 'Insert a comma', edits: [{ range: { start: at, end: at }, newText: ',' }] },
                );
                items.push(item);
              });
            },
          },
        ]);
      });
      const close = this.OPTION3(() => this.CONSUME(T.RParen));
      return this.ACTION((): ListLiteral => {
        const start = this.b.tokenRange(open).start;
        const lastItem = items.at(-1);
        const end = close ? this.b.tokenRange(close).end : (lastItem?.range.end ?? this.b.tokenRange(open).end);
        if (!close) {
          this.b.report(
            Codes.missingCloseParen,
            `Missing ) to close the list \`${this.b.snippet(start.offset)}\`.`,
            { start: end, end },
            undefined,
            [{ title: 'Insert )', edits: [{ range: { start: end, end }, newText: ')' }] }],
          );
        }
        if (items.length === 0) {
          this.b.report(Codes.badList, 'Empty list: put at least one value in the parentheses.', {
            start,
            end,
          });
        }
        return { kind: 'List', range: { start, end }, items };
      });
    },
    { recoveryValueFunc: (): ListLiteral => ({ kind: 'List', range: this.recoveryRange(), items: [] }) },
  );
}
