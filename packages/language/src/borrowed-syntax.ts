/**
 * Syntax borrowed from other query languages: `&&` and `||` for AND and OR, `!` for NOT, `[...]` for a list, `;`
 * between list values, SQL's `Is [Not] Null`, and S1QL 2.0's `Field = *`. Each is read as what the hunter meant and reported once with the
 * S1QL 1.0 spelling as a certain fix (a suggestion for Null, since Is Empty is also true on ""), so the rest of the
 * query parses instead of cascading into "unexpected character" and "missing AND" errors. A `!`, a bracket or a
 * semicolon anywhere else is an unexpected character, as the lexer would have said.
 */
import type { ILexingError, IToken, TokenType } from 'chevrotain';
import type { Range } from './ast.ts';
import { Codes, type Diagnostic, type Fix } from './diagnostics.ts';
import type { LineIndex } from './text.ts';
import * as T from './tokens.ts';

/** `tokens[i]` comes right after `Is` or `Is Not`. */
function isAfterIs(tokens: readonly IToken[], i: number): boolean {
  const previous = tokens[i - 1]?.tokenType;
  return previous === T.Is || (previous === T.Not && tokens[i - 2]?.tokenType === T.Is);
}

/** An error diagnostic with its fix or suggestions. */
function error(
  code: string,
  message: string,
  range: Range,
  fixes: Pick<Diagnostic, 'fix' | 'suggestions'>,
): Diagnostic {
  return { code, severity: 'error', message, range, ...fixes };
}

function retype(tok: IToken, type: TokenType): void {
  tok.tokenType = type;
  tok.tokenTypeIdx = type.tokenTypeIdx as number;
}

/** `newText` in place of `tok`, with a space on either side where the text has none (`"1"&&B` -> `"1" AND B`). */
function replacement(text: string, tok: IToken, word: string, lines: LineIndex): Fix {
  const start = tok.startOffset;
  const end = start + tok.image.length;
  const before = start > 0 && !/\s/.test(text[start - 1] as string) ? ' ' : '';
  const after = end < text.length && !/\s/.test(text[end] as string) ? ' ' : '';
  return {
    title: `Replace ${tok.image} with ${word}`,
    edits: [{ range: lines.range(start, end), newText: `${before}${word}${after}` }],
  };
}

/** The `]` closing a list opened at `open`: only values and commas between them, or -1. */
function closingBracket(tokens: readonly IToken[], open: number): number {
  for (let j = open + 1; j < tokens.length; j++) {
    const type = (tokens[j] as IToken).tokenType;
    if (type === T.RBracket) return j;
    if (type !== T.Comma && !T.isWord(tokens[j]) && type !== T.StringLiteral && type !== T.NumberLiteral) return -1;
  }
  return -1;
}

/** A string or a number. */
function isValue(tok: IToken | undefined): boolean {
  const type = tok?.tokenType;
  return type === T.StringLiteral || type === T.NumberLiteral;
}

/**
 * `tokens[i]` stands between the values of a list: only values and commas back to a `(` that follows an operator taking
 * a list. `known`: the index of a semicolon already found in a list, where the search can stop (a list of a thousand
 * semicolons stays linear).
 */
function inList(tokens: readonly IToken[], i: number, known: number): boolean {
  for (let j = i - 1; j >= 0; j--) {
    if (j === known) return true;
    const tok = tokens[j] as IToken;
    if (tok.tokenType === T.LParen) return takesList(tokens[j - 1]);
    if (tok.tokenType !== T.Comma && !isValue(tok)) return false;
  }
  return false;
}

/** The `)` after values separated by commas from `from` on, or -1. */
function closingParen(tokens: readonly IToken[], from: number): number {
  for (let j = from; j < tokens.length; j++) {
    const type = (tokens[j] as IToken).tokenType;
    if (type === T.RParen) return j;
    if (type !== T.Comma && !isValue(tokens[j])) return -1;
  }
  return -1;
}

/** The operators whose last word takes a list, by token type. */
function takesList(tok: IToken | undefined): boolean {
  const type = tok?.tokenType;
  return type === T.In || type === T.AnyCase || type === T.Contains || type === T.ContainsCIS || type === T.NotIn;
}

/**
 * Re-types borrowed syntax in place and reports it. Borrowed tokens that mean nothing where they stand are taken out
 * of the token list and returned as lexing errors, in text order.
 */
export function markBorrowedSyntax(
  tokens: IToken[],
  text: string,
  lines: LineIndex,
  out: Diagnostic[],
): { readonly stray: ILexingError[]; readonly absorbed: readonly number[] } {
  const stray: ILexingError[] = [];
  // Offsets of characters the lexer could not read that a re-typed token now covers (the `*` of `= *`).
  const absorbed: number[] = [];
  // The first value of a list that lost its `(`, and the `(` to put before it.
  const opened = new Map<IToken, IToken>();
  let listSemicolon = -1;
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i] as IToken;
    const type = tok.tokenType;
    if (type === T.DoubleAmp || type === T.DoublePipe) {
      const word = type === T.DoubleAmp ? 'AND' : 'OR';
      const fix = replacement(text, tok, word, lines);
      const range = lines.range(tok.startOffset, tok.startOffset + tok.image.length);
      out.push(error(Codes.invalidOperator, `S1QL 1.0 writes ${word}, not ${tok.image}.`, range, { fix }));
      retype(tok, type === T.DoubleAmp ? T.And : T.Or);
    } else if (type === T.Bang) {
      const next = tokens[i + 1];
      const negates = next !== undefined && (next.tokenType === T.LParen || next.tokenType === T.Not || T.isWord(next));
      if (T.startsClause(tokens[i - 1]) && negates) {
        const range = lines.range(tok.startOffset, tok.startOffset + 1);
        out.push(
          error(Codes.invalidOperator, 'S1QL 1.0 writes NOT, not !.', range, {
            fix: replacement(text, tok, 'NOT', lines),
          }),
        );
        retype(tok, T.Not);
      } else pushStray(stray, tok);
    } else if (type === T.LBracket) {
      const close = takesList(tokens[i - 1]) ? closingBracket(tokens, i) : -1;
      if (close < 0) {
        pushStray(stray, tok);
        continue;
      }
      const closing = tokens[close] as IToken;
      const bracket = (t: IToken, newText: string) => ({
        range: lines.range(t.startOffset, t.startOffset + 1),
        newText,
      });
      out.push(
        error(
          Codes.badList,
          'S1QL 1.0 writes a list in parentheses, not square brackets.',
          lines.range(tok.startOffset, closing.startOffset + 1),
          { fix: { title: 'Use parentheses', edits: [bracket(tok, '('), bracket(closing, ')')] } },
        ),
      );
      retype(tok, T.LParen);
      retype(closing, T.RParen);
      i = close;
    } else if (type === T.RBracket) pushStray(stray, tok);
    else if (type === T.Semicolon) {
      // Between quoted values only: `In (a.exe; b.exe)` is left to the bare-value reading.
      if (!isValue(tokens[i - 1]) || !isValue(tokens[i + 1]) || !inList(tokens, i, listSemicolon)) {
        pushStray(stray, tok);
        continue;
      }
      const range = lines.range(tok.startOffset, tok.startOffset + 1);
      out.push(
        error(Codes.badList, 'S1QL 1.0 separates list values with commas, not semicolons.', range, {
          fix: { title: 'Replace ; with ,', edits: [{ range, newText: ',' }] },
        }),
      );
      retype(tok, T.Comma);
      listSemicolon = i;
    } else if (
      type === T.Comma &&
      (isLogical(tokens[i - 1]) || (isLogical(tokens[i + 1]) && !inList(tokens, i, listSemicolon)))
    ) {
      // `A = "1" AND, B = "2"`: a comma is never valid next to AND or OR; dropped (with the stray semicolons below),
      // the clauses read as meant.
      pushStray(stray, tok);
      retype(tok, T.Semicolon);
    } else if (takesList(tok) && isValue(tokens[i + 1]) && tokens[i + 2]?.tokenType === T.Comma) {
      // `In "a", "b")`: values and commas up to a `)` are a list that lost its `(`.
      const close = closingParen(tokens, i + 1);
      if (close < 0) continue;
      const first = tokens[i + 1] as IToken;
      const at = lines.range(first.startOffset, first.startOffset);
      out.push(
        error(Codes.operandShape, 'This list is missing its opening parenthesis.', at, {
          fix: { title: 'Insert (', edits: [{ range: at, newText: '(' }] },
        }),
      );
      // A zero-width `(` where it belongs, so the list parses as one (inserted in the one pass at the end).
      opened.set(first, {
        ...first,
        image: '',
        endOffset: first.startOffset - 1,
        tokenType: T.LParen,
        tokenTypeIdx: T.LParen.tokenTypeIdx as number,
        payload: undefined,
      });
      i = close;
    } else if (type === T.Equals && T.isWord(tokens[i - 1])) {
      // S1QL 2.0's `Field = *` (the field has a value) is exactly 1.0's `Field Exists`.
      const star = presenceStar(text, tok, tokens[i + 1]);
      if (star < 0) continue;
      tok.image = text.slice(tok.startOffset, star + 1);
      tok.endOffset = star;
      const range = lines.range(tok.startOffset, star + 1);
      out.push(
        error(Codes.invalidOperator, "S1QL 1.0 writes `Exists` for S1QL 2.0's `= *` (the field has a value).", range, {
          fix: { title: 'Replace with Exists', edits: [{ range, newText: 'Exists' }] },
        }),
      );
      retype(tok, T.Exists);
      absorbed.push(star);
    } else if (
      type === T.Identifier &&
      tok.image.length === 4 &&
      tok.image.toLowerCase() === 'null' &&
      isAfterIs(tokens, i)
    ) {
      // SQL's IS [NOT] NULL: 1.0 says Is [Not] Empty, which is also true on "" (a guess the hunter confirms).
      const range = lines.range(tok.startOffset, tok.startOffset + tok.image.length);
      out.push(
        error(
          Codes.invalidOperator,
          'S1QL 1.0 has no NULL: Is Empty is true when the field is missing or "", Is Not Empty when it has a value.',
          range,
          { suggestions: [{ title: 'Replace with Empty', edits: [{ range, newText: 'Empty' }] }] },
        ),
      );
      retype(tok, T.Empty);
    }
  }
  if (stray.length > 0 || opened.size > 0) {
    // One pass that drops the stray tokens and inserts the missing `(`: a query of a thousand stays linear.
    const kept: IToken[] = [];
    for (const tok of tokens) {
      const type = tok.tokenType;
      if (type === T.Bang || type === T.LBracket || type === T.RBracket || type === T.Semicolon) continue;
      const open = opened.get(tok);
      if (open) kept.push(open);
      kept.push(tok);
    }
    // Copied back in place (a spread of a million tokens into splice would overflow the stack).
    tokens.length = kept.length;
    for (let j = 0; j < kept.length; j++) tokens[j] = kept[j] as IToken;
  }
  return { stray, absorbed };
}

/**
 * The offset of the `*` in `= *` when it is all the value there is: only spaces around it, then AND, OR, `)`, a
 * comment or the end. -1 otherwise (`= *mimikatz*` is a bare value, reported as such).
 */
function presenceStar(text: string, equals: IToken, next: IToken | undefined): number {
  let at = equals.startOffset + equals.image.length;
  while (text[at] === ' ' || text[at] === '\t') at++;
  if (text[at] !== '*') return -1;
  const star = at;
  at++;
  while (at < text.length && /\s/.test(text[at] as string)) at++;
  const type = next?.tokenType;
  if (next === undefined) return at === text.length || text.startsWith('--', at) ? star : -1;
  return next.startOffset === at && (type === T.And || type === T.Or || type === T.RParen) ? star : -1;
}

function isLogical(tok: IToken | undefined): boolean {
  return tok?.tokenType === T.And || tok?.tokenType === T.Or;
}

/** Reports `tok` as an unexpected character, with the one before it when they touch (`;;;` is one finding). */
function pushStray(stray: ILexingError[], tok: IToken): void {
  const previous = stray.at(-1);
  if (previous && previous.offset + previous.length === tok.startOffset) {
    stray[stray.length - 1] = { ...previous, length: previous.length + tok.image.length };
  } else stray.push(strayError(tok));
}

function strayError(tok: IToken): ILexingError {
  return {
    offset: tok.startOffset,
    length: tok.image.length,
    line: undefined,
    column: undefined,
    message: `unexpected character: ->${tok.image}<-`,
  };
}
