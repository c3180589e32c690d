/**
 * The S1QL 1.0 grammar as Chevrotain rules (precedence NOT > AND > OR). Missing pieces are optional in the
 * rules and reported from the actions, so one mistake yields one precise diagnostic and the rest of the query
 * still parses. Operator alternatives are generated from `grammar/operators.json`.
 */
import {
  EmbeddedActionsParser,
  type IOrAlt,
  type IParserErrorMessageProvider,
  type IToken,
  type TokenType,
} from 'chevrotain';
import type {
  AndExpr,
  ErrorExpr,
  Expr,
  FieldRef,
  ListLiteral,
  Missing,
  NotExpr,
  Operand,
  OperatorNode,
  OrExpr,
  Predicate,
  Range,
  RangeOperand,
  Value,
} from './ast.ts';
import {
  type InvalidOperator,
  invalidOperators,
  lookupField,
  lookupFieldByS1ql2,
  type OperatorId,
  operatorInfo,
  operators,
} from './catalog.ts';
import { Codes, type Diagnostic, type Fix } from './diagnostics.ts';
import type { LineIndex } from './text.ts';
import * as T from './tokens.ts';

interface OperatorSpelling {
  readonly words: readonly TokenType[];
  readonly id?: OperatorId;
  readonly invalid?: InvalidOperator;
}

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

function after(previous: IToken | undefined): string {
  return previous && previous.startOffset >= 0 ? ` after "${previous.image}"` : '';
}

/** Chevrotain's own recovery is the last resort; its messages still read as a hunter would want. */
const errorMessageProvider: IParserErrorMessageProvider = {
  buildMismatchTokenMessage: ({ expected, actual, previous }) =>
    `Expected ${tokenWord(expected)}${after(previous)}, found ${found(actual)}.`,
  buildNotAllInputParsedMessage: ({ firstRedundant }) => `Unexpected ${found(firstRedundant)}.`,
  buildNoViableAltMessage: ({ expectedPathsPerAlt, actual, previous }) => {
    const words = [...new Set(expectedPathsPerAlt.flat().map((path) => path.map(tokenWord).join(' ')))];
    const list = words.length > 1 ? `${words.slice(0, -1).join(', ')} or ${words.at(-1)}` : (words[0] ?? 'more');
    return `Expected ${list}${after(previous)}, found ${found(actual[0] as IToken)}.`;
  },
  buildEarlyExitMessage: ({ actual, previous }) => `Unexpected ${found(actual[0] as IToken)}${after(previous)}.`,
};

export class S1qlParser extends EmbeddedActionsParser {
  text = '';
  lines!: LineIndex;
  diagnostics!: Diagnostic[];
  lastStray: Diagnostic | undefined;

  /**
   * One token of lookahead is enough for this grammar (the operator trie sees to that) and keeps start-up cheap.
   * Grammar validation costs more than the rest of start-up; the test suite builds a validating instance.
   */
  constructor(options: { readonly validate?: boolean } = {}) {
    super(T.allTokens as TokenType[], {
      recoveryEnabled: true,
      maxLookahead: 1,
      skipValidations: !options.validate,
      errorMessageProvider,
    });
    this.performSelfAnalysis();
  }

  // ---- helpers used by the actions -------------------------------------------------------------------------

  range(start: number, end: number): Range {
    return this.lines.range(start, end);
  }

  tokenRange(first: IToken, last: IToken = first): Range {
    return this.range(first.startOffset, last.startOffset + last.image.length);
  }

  /** An empty range just after a token. */
  after(tok: IToken): Range {
    const end = tok.startOffset + tok.image.length;
    return this.range(end, end);
  }

  missing(at: Range): Missing {
    return { kind: 'Missing', range: { start: at.end, end: at.end } };
  }

  report(code: string, message: string, range: Range, fix?: Fix, suggestions?: Fix[]): void {
    this.diagnostics.push({
      code,
      severity: 'error',
      message,
      range,
      ...(fix ? { fix } : {}),
      ...(suggestions?.length ? { suggestions } : {}),
    });
  }

  /** Where Chevrotain's own recovery resumed: the last token consumed, or the start. */
  recoveryRange(): Range {
    const last = this.LA(0);
    if (!last || Number.isNaN(last.startOffset)) return this.range(0, 0);
    return this.tokenRange(last);
  }

  recoveredExpr = (): Expr => ({ kind: 'Error', range: this.recoveryRange() });
  recoveredMissing = (): Missing => ({ kind: 'Missing', range: this.recoveryRange() });

  outer(e: Expr): Range {
    return e.parenthesized ?? e.range;
  }

  span(first: Expr, last: Expr): Range {
    return { start: this.outer(first).start, end: this.outer(last).end };
  }

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
                    edits: [{ range: this.tokenRange(tok), newText: '' }],
                  };
                  this.report(
                    Codes.unmatchedCloseParen,
                    'This ) has no matching (: remove it, or add the ( where the group begins.',
                    this.tokenRange(tok),
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
                  this.report(
                    Codes.pipe,
                    'S1QL 1.0 (Deep Visibility) has no pipes: this looks like a PowerQuery (S1QL 2.0) pipeline. ' +
                      'Use the filter alone here, or run it with --dialect pq.',
                    this.tokenRange(pipe, last),
                  ),
                );
              },
            },
            {
              ALT: () => {
                const next = this.SUBRULE2(this.orExpr);
                this.ACTION(() => {
                  const prev = expr as Expr | null;
                  expr = prev ? this.joinAnd(prev, next) : next;
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
                  if (!left) this.reportStray(word);
                  else if (!rhs) this.reportDangling(word);
                  if (!rhs) return;
                  if (!left) expr = rhs;
                  else if (word.tokenType === T.And) expr = this.joinAnd(left, rhs);
                  else {
                    const operands = left.kind === 'Or' && !left.parenthesized ? [...left.operands, rhs] : [left, rhs];
                    expr = this.chain('Or', operands);
                  }
                });
              },
            },
            {
              ALT: () => {
                const first = this.CONSUME2(T.AnyToken);
                this.ACTION(() => this.reportStray(first));
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
          else this.reportDangling(orTok);
        });
      });
      return this.ACTION(() => this.chain('Or', operands));
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
                else this.reportDangling(andTok);
              });
            },
          },
          {
            // Two clauses side by side: recovered as AND, reported.
            ALT: () => {
              const next = this.SUBRULE3(this.notExpr);
              this.ACTION(() => {
                const at = this.outer(next);
                const insert: Fix = {
                  title: 'Insert AND',
                  edits: [{ range: { start: at.start, end: at.start }, newText: 'AND ' }],
                };
                const insertOr: Fix = {
                  title: 'Insert OR',
                  edits: [{ range: { start: at.start, end: at.start }, newText: 'OR ' }],
                };
                this.report(
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
      return this.ACTION(() => this.chain('And', operands));
    },
    { recoveryValueFunc: this.recoveredExpr },
  );

  notExpr = this.RULE(
    'notExpr',
    (): Expr => {
      // `NOT In (...)` with no field reads as NOT applied to a field-less predicate: reported, not ambiguous.
      return this.OR({
        IGNORE_AMBIGUITIES: true,
        DEF: [
          {
            ALT: () => {
              const notTok = this.CONSUME(T.Not);
              const operand = this.OPTION(() => this.SUBRULE(this.notExpr));
              return this.ACTION((): Expr => {
                if (!operand) {
                  this.report(Codes.danglingLogical, 'NOT needs a condition after it.', this.tokenRange(notTok));
                  return { kind: 'Error', range: this.tokenRange(notTok) } satisfies ErrorExpr;
                }
                return {
                  kind: 'Not',
                  range: { start: this.tokenRange(notTok).start, end: this.outer(operand).end },
                  operand,
                } satisfies NotExpr;
              });
            },
          },
          { ALT: () => this.SUBRULE(this.primary) },
        ],
      });
    },
    { recoveryValueFunc: this.recoveredExpr },
  );

  primary = this.RULE(
    'primary',
    (): Expr => {
      return this.OR([
        {
          ALT: () => {
            const open = this.CONSUME(T.LParen);
            const inner = this.OPTION(() => this.SUBRULE(this.orExpr));
            const close = this.OPTION2(() => this.CONSUME(T.RParen));
            return this.ACTION((): Expr => {
              const openRange = this.tokenRange(open);
              if (!inner) {
                const end = close ? this.tokenRange(close).end : openRange.end;
                this.report(Codes.unexpectedToken, 'Empty parentheses: put a condition inside them.', {
                  start: openRange.start,
                  end,
                });
                return { kind: 'Error', range: { start: openRange.start, end } };
              }
              if (!close) {
                const at = this.outer(inner).end;
                const insert: Fix = { title: 'Insert )', edits: [{ range: { start: at, end: at }, newText: ')' }] };
                const where = `the ( at line ${openRange.start.line}, column ${openRange.start.column} of the query`;
                if (this.LA(1).tokenType.name === 'EOF') {
                  // The group runs to the end: the only place its ) can go. Deep Visibility closes it (SentinelLabs
                  // publish such a hunt), so this is a warning with a certain fix rather than an error.
                  this.diagnostics.push({
                    code: Codes.missingCloseParen,
                    severity: 'warning',
                    message: `Missing ) at the end of the query to close ${where}.`,
                    range: { start: at, end: at },
                    fix: insert,
                  });
                } else {
                  this.report(
                    Codes.missingCloseParen,
                    `Missing ) to close ${where}.`,
                    { start: at, end: at },
                    undefined,
                    [insert],
                  );
                }
                return { ...inner, parenthesized: { start: openRange.start, end: at } };
              }
              return { ...inner, parenthesized: { start: openRange.start, end: this.tokenRange(close).end } };
            });
          },
        },
        { ALT: () => this.SUBRULE(this.predicate) },
      ]);
    },
    { recoveryValueFunc: this.recoveredExpr },
  );

  predicate = this.RULE(
    'predicate',
    (): Predicate => {
      return this.OR([
        {
          ALT: () => {
            const fieldTok = this.CONSUME(T.FieldToken);
            const field = this.ACTION(() => this.fieldNode(fieldTok));
            const op = this.OPTION(() => this.SUBRULE(this.operator));
            const operand = this.OPTION2(() =>
              this.SUBRULE(this.operand, { ARGS: [op?.kind === 'Operator' ? op.id : undefined] }),
            );
            return this.ACTION(() => this.finishPredicate(field, op, operand));
          },
        },
        {
          ALT: () => {
            const op = this.SUBRULE2(this.operator);
            const operand = this.OPTION3(() =>
              this.SUBRULE2(this.operand, { ARGS: [op?.kind === 'Operator' ? op.id : undefined] }),
            );
            return this.ACTION(() => this.finishPredicate(undefined, op, operand));
          },
        },
        {
          ALT: () => {
            const valueTok = this.CONSUME(T.ValueToken);
            const value = this.ACTION(() => this.valueNode(valueTok));
            return this.ACTION(() => this.finishPredicate(undefined, undefined, value));
          },
        },
      ]);
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

  /** A field name: catalog spelling resolved; a dotted 2.0 name reported (fixed when the catalog maps it). */
  fieldNode(tok: IToken): FieldRef {
    const range = this.tokenRange(tok);
    if (tok.tokenType !== T.DottedIdentifier) {
      const known = lookupField(tok.image);
      return { kind: 'Field', name: tok.image, range, ...(known ? { canonical: known.name } : {}) };
    }
    const known = lookupFieldByS1ql2(tok.image);
    const fix: Fix | undefined = known
      ? { title: `Use the 1.0 name ${known.name}`, edits: [{ range, newText: known.name }] }
      : undefined;
    this.diagnostics.push({
      code: Codes.dottedField,
      severity: 'error',
      message: known
        ? `"${tok.image}" is an S1QL 2.0 field name; in S1QL 1.0 it is ${known.name}.`
        : `"${tok.image}" is an S1QL 2.0 (dotted) field name; S1QL 1.0 field names have no dots.`,
      range,
      ...(fix ? { fix } : {}),
    });
    return { kind: 'Field', name: tok.image, range, dotted: true, ...(known ? { canonical: known.name } : {}) };
  }

  operator = this.RULE(
    'operator',
    (): OperatorNode | Missing => {
      const toks: IToken[] = [];
      this.operatorTokens = toks;
      const spelling = this.operatorWords(operatorTrie) as OperatorSpelling;
      return this.ACTION(() => this.finishOperator(spelling, toks));
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
            const low = this.ACTION(() => this.valueNode(lowTok));
            const high = this.OPTION({
              GATE: () => opId === 'between',
              DEF: () => {
                const andTok = this.CONSUME(T.And);
                const vTok = this.OPTION2(() => this.CONSUME2(T.ValueToken));
                const v = vTok && this.ACTION(() => this.valueNode(vTok));
                return this.ACTION(() => {
                  if (v) return v;
                  this.report(Codes.missingValue, 'Between needs a second value after And.', this.after(andTok));
                  return this.missing(this.tokenRange(andTok));
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
      const first = firstTok && this.ACTION(() => this.valueNode(firstTok));
      this.ACTION(() => {
        if (first) items.push(first);
      });
      this.MANY(() => {
        const comma = this.CONSUME(T.Comma);
        const itemTok = this.OPTION2(() => this.CONSUME2(T.ValueToken));
        const item = itemTok && this.ACTION(() => this.valueNode(itemTok));
        this.ACTION(() => {
          if (items.length === 0) {
            this.report(Codes.badList, 'A list starts with a value, not a comma.', this.tokenRange(comma));
          }
          if (item) items.push(item);
          else {
            this.report(Codes.badList, 'Missing value after this comma.', this.tokenRange(comma), {
              title: 'Remove the comma',
              edits: [{ range: this.tokenRange(comma), newText: '' }],
            });
          }
        });
      });
      const close = this.OPTION3(() => this.CONSUME(T.RParen));
      return this.ACTION((): ListLiteral => {
        const start = this.tokenRange(open).start;
        const lastItem = items.at(-1);
        const end = close ? this.tokenRange(close).end : (lastItem?.range.end ?? this.tokenRange(open).end);
        if (!close) {
          this.report(
            Codes.missingCloseParen,
            `Missing ) to close the list opened at line ${start.line}, column ${start.column} of the query.`,
            { start: end, end },
            undefined,
            [{ title: 'Insert )', edits: [{ range: { start: end, end }, newText: ')' }] }],
          );
        }
        if (items.length === 0) {
          this.report(Codes.badList, 'Empty list: put at least one value in the parentheses.', {
            start,
            end,
          });
        }
        return { kind: 'List', range: { start, end }, items };
      });
    },
    { recoveryValueFunc: (): ListLiteral => ({ kind: 'List', range: this.recoveryRange(), items: [] }) },
  );

  valueNode(tok: IToken): Value {
    if (tok.tokenType === T.NumberLiteral) {
      return { kind: 'Number', value: Number(tok.image), raw: tok.image, range: this.tokenRange(tok) };
    }
    return { kind: 'String', value: (tok.payload as T.StringPayload).value, range: this.tokenRange(tok) };
  }

  // ---- node construction ----------------------------------------------------------------------------------

  chain(kind: 'And' | 'Or', operands: Expr[]): Expr {
    if (operands.length === 1) return operands[0] as Expr;
    const range = this.span(operands[0] as Expr, operands.at(-1) as Expr);
    return kind === 'And'
      ? ({ kind, range, operands } satisfies AndExpr)
      : ({ kind, range, operands } satisfies OrExpr);
  }

  joinAnd(left: Expr, right: Expr): Expr {
    const operands = left.kind === 'And' && !left.parenthesized ? [...left.operands, right] : [left, right];
    return { kind: 'And', range: this.span(operands[0] as Expr, right), operands };
  }

  finishOperator(spelling: OperatorSpelling, toks: IToken[]): OperatorNode | Missing {
    const first = toks[0] as IToken;
    const last = toks.at(-1) as IToken;
    const range = this.tokenRange(first, last);
    const text = toks.length === 1 ? first.image : toks.map((t) => t.image).join(' ');
    if (spelling.invalid) {
      const replacement = spelling.id ? operatorInfo(spelling.id).canonical : undefined;
      const fix: Fix | undefined = replacement
        ? { title: `Replace with ${replacement}`, edits: [{ range, newText: replacement }] }
        : undefined;
      this.report(Codes.invalidOperator, spelling.invalid.message, range, fix);
      if (!spelling.id) return { kind: 'Missing', range };
    }
    return { kind: 'Operator', id: spelling.id as OperatorId, text, range };
  }

  finishPredicate(
    field: FieldRef | Missing | undefined,
    op: OperatorNode | Missing | undefined,
    operand: Operand | undefined,
  ): Predicate {
    const start = (field ?? op ?? (operand as Operand)).range.start;
    const end = (operand ?? op ?? (field as FieldRef | Missing)).range.end;
    const range = { start, end };
    let fieldNode: FieldRef | Missing;
    if (field) fieldNode = field;
    else {
      fieldNode = { kind: 'Missing', range: { start, end: start } };
      this.report(
        Codes.missingField,
        op
          ? 'This operator has no field before it.'
          : 'A value on its own is not a condition: add a field and an operator before it.',
        range,
      );
    }
    let opNode: OperatorNode | Missing;
    if (op) opNode = op;
    else {
      const at = field ? field.range.end : start;
      opNode = { kind: 'Missing', range: { start: at, end: at } };
      if (field?.kind === 'Field') {
        const insertEq: Fix = { title: 'Insert =', edits: [{ range: { start: at, end: at }, newText: ' =' }] };
        this.report(
          Codes.missingOperator,
          operand
            ? `Missing operator between ${field.name} and its value.`
            : `${field.name} needs an operator and a value (for example ${field.name} = "...", or ${field.name} Exists).`,
          field.range,
          undefined,
          operand ? [insertEq] : [],
        );
      }
    }
    const checked = opNode.kind === 'Operator' ? this.checkOperand(opNode, operand) : (operand ?? null);
    return { kind: 'Predicate', range, field: fieldNode, operator: opNode, operand: checked };
  }

  /** Checks the operand has the shape the operator takes, and reports what is missing or extra. */
  checkOperand(op: OperatorNode, operand: Operand | undefined): Operand | null {
    const info = operatorInfo(op.id);
    const name = info.canonical;
    switch (info.operand) {
      case 'none':
        if (operand) {
          this.report(Codes.operandShape, `${name} takes no value.`, operand.range, {
            title: 'Remove the value',
            edits: [{ range: { start: op.range.end, end: operand.range.end }, newText: '' }],
          });
        }
        return null;
      case 'list':
        if (!operand) {
          this.report(Codes.missingValue, `${name} needs a list of values: ${name} ("a", "b").`, {
            start: op.range.end,
            end: op.range.end,
          });
          return this.missing(op.range);
        }
        if (operand.kind === 'String' || operand.kind === 'Number') {
          this.report(Codes.operandShape, `${name} takes a list in parentheses.`, operand.range, {
            title: 'Wrap the value in parentheses',
            edits: [
              { range: { start: operand.range.start, end: operand.range.start }, newText: '(' },
              { range: { start: operand.range.end, end: operand.range.end }, newText: ')' },
            ],
          });
          return { kind: 'List', range: operand.range, items: [operand] };
        }
        if (operand.kind === 'Range') {
          this.report(Codes.operandShape, `${name} takes a list in parentheses, not a range.`, operand.range);
        }
        return operand;
      case 'range':
        if (!operand) {
          this.report(Codes.missingValue, 'Between needs two values: Between "1" And "5".', {
            start: op.range.end,
            end: op.range.end,
          });
          return this.missing(op.range);
        }
        if (operand.kind === 'String' || operand.kind === 'Number') {
          this.report(Codes.missingValue, 'Between needs a second value: Between "1" And "5".', {
            start: operand.range.end,
            end: operand.range.end,
          });
          return {
            kind: 'Range',
            range: operand.range,
            low: operand,
            high: this.missing(operand.range),
          } satisfies RangeOperand;
        }
        if (operand.kind === 'List')
          this.report(Codes.operandShape, 'Between takes two values, not a list.', operand.range);
        return operand;
      default:
        // value, string, regex: exactly one value.
        if (!operand) {
          this.report(Codes.missingValue, `Missing value after ${op.text}.`, {
            start: op.range.end,
            end: op.range.end,
          });
          return this.missing(op.range);
        }
        if (operand.kind === 'List') {
          const inList =
            op.id === 'eq'
              ? 'In'
              : op.id === 'containsAnyCase'
                ? 'In Contains AnyCase'
                : op.id === 'contains'
                  ? 'In Contains'
                  : undefined;
          const fix: Fix | undefined = inList
            ? { title: `Use ${inList}`, edits: [{ range: op.range, newText: inList }] }
            : undefined;
          this.report(
            Codes.operandShape,
            `${name} takes one value, not a list${inList ? `; for a list use ${inList}` : ''}.`,
            operand.range,
            fix,
          );
        }
        return operand;
    }
  }

  reportDangling(tok: IToken): void {
    const word = tok.image.toUpperCase();
    this.report(Codes.danglingLogical, `${word} needs a condition after it.`, this.tokenRange(tok), {
      title: `Remove the ${word}`,
      edits: [{ range: this.tokenRange(tok), newText: '' }],
    });
  }

  reportStray(tok: IToken): void {
    const range = this.tokenRange(tok);
    if (tok.tokenType === T.And || tok.tokenType === T.Or) {
      const word = tok.image.toUpperCase();
      this.report(Codes.danglingLogical, `${word} needs a condition before it.`, range, {
        title: `Remove the ${word}`,
        edits: [{ range, newText: '' }],
      });
      return;
    }
    // One diagnostic for a run of unexpected tokens.
    const previous = this.diagnostics.at(-1);
    if (previous && previous === this.lastStray) {
      const between = this.text.slice(previous.range.end.offset, range.start.offset);
      if (/^\s*$/.test(between)) {
        this.lastStray = {
          ...previous,
          message: 'Unexpected text.',
          range: { start: previous.range.start, end: range.end },
        };
        this.diagnostics[this.diagnostics.length - 1] = this.lastStray;
        return;
      }
    }
    this.report(Codes.unexpectedToken, `Unexpected ${describe(tok)}.`, range);
    this.lastStray = this.diagnostics.at(-1);
  }
}

export function describe(tok: IToken): string {
  if (tok.tokenType === T.StringLiteral) return `value ${tok.image}`;
  if (tok.tokenType === T.NumberLiteral) return `number ${tok.image}`;
  if (tok.tokenType === T.Identifier || tok.tokenType === T.DottedIdentifier) return `field ${tok.image}`;
  return `"${tok.image}"`;
}
