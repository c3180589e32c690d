/**
 * Syntax borrowed from other query languages: `&&` and `||` for AND and OR, `!` for NOT, `[...]` for a list, and
 * SQL's `Is [Not] Null`.
 * Each is read as what the hunter meant and reported once with the S1QL 1.0 spelling as a certain fix (a suggestion
 * for Null, since Is Empty is also true on ""), so the rest of the query parses instead of cascading into "unexpected character" and "missing AND" errors. A `!` or a bracket
 * anywhere else is an unexpected character, as the lexer would have said.
 */
import type { ILexingError, IToken, TokenType } from 'chevrotain';
import { Codes, type Diagnostic, type Fix } from './diagnostics.ts';
import type { LineIndex } from './text.ts';
import * as T from './tokens.ts';

/** `tokens[i]` comes right after `Is` or `Is Not`. */
function isAfterIs(tokens: readonly IToken[], i: number): boolean {
  const previous = tokens[i - 1]?.tokenType;
  return previous === T.Is || (previous === T.Not && tokens[i - 2]?.tokenType === T.Is);
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
): ILexingError[] {
  const stray: ILexingError[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i] as IToken;
    const type = tok.tokenType;
    if (type === T.DoubleAmp || type === T.DoublePipe) {
      const word = type === T.DoubleAmp ? 'AND' : 'OR';
      const fix = replacement(text, tok, word, lines);
      out.push({
        code: Codes.invalidOperator,
        severity: 'error',
        message: `S1QL 1.0 writes ${word}, not ${tok.image}.`,
        range: lines.range(tok.startOffset, tok.startOffset + tok.image.length),
        fix,
      });
      retype(tok, type === T.DoubleAmp ? T.And : T.Or);
    } else if (type === T.Bang) {
      const next = tokens[i + 1];
      const negates = next !== undefined && (next.tokenType === T.LParen || next.tokenType === T.Not || T.isWord(next));
      if (T.startsClause(tokens[i - 1]) && negates) {
        out.push({
          code: Codes.invalidOperator,
          severity: 'error',
          message: 'S1QL 1.0 writes NOT, not !.',
          range: lines.range(tok.startOffset, tok.startOffset + 1),
          fix: replacement(text, tok, 'NOT', lines),
        });
        retype(tok, T.Not);
      } else stray.push(strayError(tok));
    } else if (type === T.LBracket) {
      const close = takesList(tokens[i - 1]) ? closingBracket(tokens, i) : -1;
      if (close < 0) {
        stray.push(strayError(tok));
        continue;
      }
      const closing = tokens[close] as IToken;
      const bracket = (t: IToken, newText: string) => ({
        range: lines.range(t.startOffset, t.startOffset + 1),
        newText,
      });
      out.push({
        code: Codes.badList,
        severity: 'error',
        message: 'S1QL 1.0 writes a list in parentheses, not square brackets.',
        range: lines.range(tok.startOffset, closing.startOffset + 1),
        fix: { title: 'Use parentheses', edits: [bracket(tok, '('), bracket(closing, ')')] },
      });
      retype(tok, T.LParen);
      retype(closing, T.RParen);
      i = close;
    } else if (type === T.RBracket) stray.push(strayError(tok));
    else if (type === T.Identifier && tok.image.toLowerCase() === 'null' && isAfterIs(tokens, i)) {
      // SQL's IS [NOT] NULL: 1.0 says Is [Not] Empty, which is also true on "" (a guess the hunter confirms).
      const range = lines.range(tok.startOffset, tok.startOffset + tok.image.length);
      out.push({
        code: Codes.invalidOperator,
        severity: 'error',
        message:
          'S1QL 1.0 has no NULL: Is Empty is true when the field is missing or "", Is Not Empty when it has a value.',
        range,
        suggestions: [{ title: 'Replace with Empty', edits: [{ range, newText: 'Empty' }] }],
      });
      retype(tok, T.Empty);
    }
  }
  if (stray.length > 0) {
    // One compacting pass: a query of a thousand brackets stays linear.
    let n = 0;
    for (const tok of tokens) {
      if (tok.tokenType !== T.Bang && tok.tokenType !== T.LBracket && tok.tokenType !== T.RBracket) tokens[n++] = tok;
    }
    tokens.length = n;
  }
  return stray;
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
