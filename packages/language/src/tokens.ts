/**
 * The S1QL 1.0 vocabulary: every token type, in the order the lexer tries them. Keywords and operator words
 * are case-insensitive; the parser builds operator alternatives from `grammar/operators.json` through
 * `wordTokens`, so a spelling added there needs only its words here.
 */
import { createToken, type IToken, Lexer, type TokenType } from 'chevrotain';

/** Every token is also an AnyToken, so error recovery can consume whatever is there. */
export const AnyToken: TokenType = createToken({ name: 'AnyToken', pattern: Lexer.NA });

function token(name: string, pattern: RegExp | string, extra: Partial<Parameters<typeof createToken>[0]> = {}) {
  return createToken({ name, pattern, categories: [AnyToken], ...extra });
}

/** Tokens that are a value (a string or a number), and tokens that name a field: one CONSUME each in the parser. */
export const ValueToken: TokenType = createToken({ name: 'ValueToken', pattern: Lexer.NA });
export const FieldToken: TokenType = createToken({ name: 'FieldToken', pattern: Lexer.NA });

/**
 * ASCII white space, as one set with `+`: Chevrotain skips such a token by a table lookup per character, with no
 * regular expression run (white space is every other token of a query). Other Unicode white space (a no-break space
 * pasted from a web page) is skipped by `UnicodeWhiteSpace`.
 */
export const WhiteSpace: TokenType = createToken({
  name: 'WhiteSpace',
  pattern: /[\t\n\v\f\r ]+/,
  group: Lexer.SKIPPED,
});
export const UnicodeWhiteSpace: TokenType = createToken({
  name: 'UnicodeWhiteSpace',
  pattern: /\s+/,
  group: Lexer.SKIPPED,
});
export const Comment: TokenType = createToken({ name: 'Comment', pattern: /--[^\r\n]*/, group: 'comments' });
/** Where `//` may start an S1QL 2.0 comment: at a line's start or after a space, and followed by a space or the end. */
const slashComment = /\/\/(?:[ \t][^\r\n]*)?(?![^\r\n])/y;
/**
 * S1QL 2.0's `// comment`, read as a comment so the rest of the query parses, and reported with `--` as the fix. Only
 * after a space or at a line's start and before a space: `http://x` and `//server/share` are not comments.
 */
export const SlashComment: TokenType = createToken({
  name: 'SlashComment',
  pattern: {
    exec: (text: string, offset: number) => {
      if (offset > 0 && !/\s/.test(text[offset - 1] as string)) return null;
      slashComment.lastIndex = offset;
      return slashComment.exec(text);
    },
  } as unknown as RegExp,
  group: 'comments',
  line_breaks: false,
  start_chars_hint: ['/'],
});

/** How a string literal was quoted; the lexer reports all but `ok`. */
/** `unquoted`: a bare word in a value's place (`EndpointOS = windows`), read as that value. */
export type StringQuoting = 'ok' | 'smart' | 'single' | 'unterminated' | 'unquoted';

export interface StringPayload {
  readonly quoting: StringQuoting;
  /** The unescaped value (for an unterminated string, what follows the quote). */
  readonly value: string;
}

const SMART_QUOTES = '\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb';
// A backslash before a quote always escapes it (no backtracking into a lone backslash): `"C:\Temp\"` is open.
const asciiString = /"(?:[^"\\]|\\"|\\(?!"))*"/y;
const asciiOpen = /"(?:[^"\\]|\\"|\\(?!"))*/y;
const smartBody = new RegExp(`[^"${SMART_QUOTES}\\r\\n]*[${SMART_QUOTES}"]`, 'y');
const smartOnlyBody = new RegExp(`[^${SMART_QUOTES}\\r\\n]*[${SMART_QUOTES}]`, 'y');
const singleBody = /'[^'\r\n]*'/y;
/** Typographic single quotes (and the prime a keyboard macro makes of them): ‘value’ is a value in the wrong quotes. */
const SMART_SINGLE = '\u2018\u2019\u201a\u201b\u2032';
const smartSingleBody = new RegExp(`[^${SMART_SINGLE}'\\r\\n]*[${SMART_SINGLE}']`, 'y');
const SMART_ANY = new RegExp(`[${SMART_QUOTES}]`);
/** What may follow a closed value: space, `)`, `,`, a comment, or the end. */
const afterValue = /[\s),-]|$/y;

function unescapeQuotes(body: string): string {
  return body.includes('\\"') ? body.replaceAll('\\"', '"') : body;
}

/** A character that continues a value: a value's closing quote glued to one was the next value's opening quote. */
const valueChar = /[\p{L}\p{N}_\\.*%$]/uy;
const logicalWord = /(?:and|or|not)(?!\w)/iy;
/** Where a value that lost its closing quote most likely ended: before an AND or OR (and the `)` before it), or a comma. */
const valueEnds = /\)*\s+(?:and|or)\s|,/gi;

/**
 * `A = "x AND B = "y"`: the value of A lost its closing quote, so the quote that opens B's value closes it and `y"`
 * is left glued to it. The end of the value as meant (before its last AND, OR or comma), or -1 when the string is not
 * glued to a value or has no such place. Runs only on a string glued to what follows it, never on valid queries.
 */
function runOnEnd(text: string, offset: number, image: string): number {
  const end = offset + image.length;
  valueChar.lastIndex = end;
  logicalWord.lastIndex = end;
  if (!valueChar.test(text) || logicalWord.test(text)) return -1;
  let cut = -1;
  for (const m of image.slice(1, -1).matchAll(valueEnds)) cut = m.index;
  return cut > 0 ? offset + 1 + cut : -1;
}

/** A character a bare value can end with, right before a quote that closes it. */
const bareEnd = /[\p{L}\p{N}_.*%\\$:]/u;
/** What follows a value: AND or OR, a `)`, a comment or the end. */
const afterClosing = /\s+(?:and|or)(?!\w)|\s*\)|\s*(?:--|$)/iy;

/**
 * `TgtProcName = cmd.exe" AND ...`: a quote glued to the end of a bare word and followed by the end of the value
 * closes a value whose opening quote is missing. It is not read as the start of a string (which would swallow
 * ` AND ...` up to the next value's quote): the bare value takes it (see markUnquotedValues in parse.ts).
 */
export function closesBareValue(text: string, offset: number): boolean {
  // Usually a space stands before the quote: no regex run for that.
  if (offset === 0 || text.charCodeAt(offset - 1) <= 0x20 || !bareEnd.test(text[offset - 1] as string)) return false;
  afterClosing.lastIndex = offset + 1;
  return afterClosing.test(text);
}

function matched(text: string, payload: StringPayload): RegExpExecArray {
  const result = [text] as unknown as RegExpExecArray & { payload: StringPayload };
  result.payload = payload;
  return result;
}

/**
 * Strings: `"..."` with `\"` as the only escape. Typographic and single quotes are read as strings too (and
 * reported with a fix), so one wrong quote does not derail the rest of the query.
 */
function matchString(text: string, offset: number): RegExpExecArray | null {
  const c = text[offset];
  if (c === '"' && closesBareValue(text, offset)) return null;
  if (c === '"') {
    // Most values: a closing quote, then a space, `)`, `,`, `-`, a line break or the end. A quote after a backslash is
    // escaped (`\"`, whatever comes before the backslash), as `asciiString` reads it; native searches find the quote.
    const length = text.length;
    let close = text.indexOf('"', offset + 1);
    let escaped = false;
    while (close > 0 && text.charCodeAt(close - 1) === 0x5c) {
      escaped = true;
      close = text.indexOf('"', close + 1);
    }
    if (close < 0) close = length;
    if (close < length) {
      const next = text.charCodeAt(close + 1);
      if (close + 1 === length || next === 0x20 || next === 0x29 || next === 0x2c || next === 0x2d || next === 0x0a) {
        const image = text.slice(offset, close + 1);
        const body = image.slice(1, -1);
        return matched(image, { quoting: 'ok', value: escaped ? body.replaceAll('\\"', '"') : body });
      }
    }
    asciiString.lastIndex = offset;
    const full = asciiString.exec(text);
    if (full) {
      afterValue.lastIndex = offset + full[0].length;
      if (!afterValue.test(text)) {
        // `"x” AND b = "y"`: read straight to straight, the value would swallow `” AND b = ` and its closing quote
        // would open the next value, leaving `y"` glued to it. A value already broken that way, with a typographic
        // quote inside, was closed by that quote.
        if (SMART_ANY.test(full[0])) {
          smartBody.lastIndex = offset + 1;
          const smart = smartBody.exec(text);
          if (smart && smart[0].at(-1) !== '"')
            return matched(`"${smart[0]}`, { quoting: 'smart', value: smart[0].slice(0, -1) });
        }
        const cut = runOnEnd(text, offset, full[0]);
        if (cut > 0)
          return matched(text.slice(offset, cut), {
            quoting: 'unterminated',
            value: unescapeQuotes(text.slice(offset + 1, cut)),
          });
      }
      return matched(full[0], { quoting: 'ok', value: unescapeQuotes(full[0].slice(1, -1)) });
    }
    // No closing ASCII quote: a typographic closing quote on the same line is the likely culprit.
    smartBody.lastIndex = offset + 1;
    const smart = smartBody.exec(text);
    if (smart && smart[0].at(-1) !== '"') {
      return matched(`"${smart[0]}`, { quoting: 'smart', value: smart[0].slice(0, -1) });
    }
    asciiOpen.lastIndex = offset;
    const open = asciiOpen.exec(text) as RegExpExecArray;
    // `In ("a", "b.exe)`: the last value's quote was meant before the `)`s that end the query; they stay `)`s.
    // A scan from the end, not a regex: `"` then a hundred thousand `)` must stay linear.
    let cut = open[0].length;
    while (cut > 1 && (open[0][cut - 1] === ')' || /\s/.test(open[0][cut - 1] as string))) cut--;
    const image = cut > 1 && open[0].includes(')', cut) ? open[0].slice(0, cut) : open[0];
    return matched(image, { quoting: 'unterminated', value: unescapeQuotes(image.slice(1)) });
  }
  if (c !== undefined && SMART_QUOTES.includes(c)) {
    // Inside typographic quotes a straight quote is content: “say "hi"” is one value.
    smartOnlyBody.lastIndex = offset + 1;
    smartBody.lastIndex = offset + 1;
    const smart = smartOnlyBody.exec(text) ?? smartBody.exec(text);
    if (smart) return matched(c + smart[0], { quoting: 'smart', value: smart[0].slice(0, -1) });
    const rest = /[^\r\n]*/y;
    rest.lastIndex = offset + 1;
    const body = (rest.exec(text) as RegExpExecArray)[0];
    return matched(c + body, { quoting: 'unterminated', value: body });
  }
  if (c !== undefined && SMART_SINGLE.includes(c)) {
    smartSingleBody.lastIndex = offset + 1;
    const smart = smartSingleBody.exec(text);
    if (smart) return matched(c + smart[0], { quoting: 'smart', value: smart[0].slice(0, -1) });
    return null;
  }
  if (c === "'") {
    singleBody.lastIndex = offset;
    const single = singleBody.exec(text);
    if (single) return matched(single[0], { quoting: 'single', value: single[0].slice(1, -1) });
  }
  return null;
}

export const StringLiteral: TokenType = token('StringLiteral', { exec: matchString } as unknown as RegExp, {
  line_breaks: true,
  start_chars_hint: ['"', "'", ...SMART_QUOTES, ...SMART_SINGLE],
  categories: [AnyToken, ValueToken],
});

export const NumberLiteral: TokenType = token('NumberLiteral', /-?\d+(?:\.\d+)?/, {
  categories: [AnyToken, ValueToken],
});
/** Every word is lexed as an Identifier, then `classifyWords` re-types keywords and dotted names. */
export const Identifier: TokenType = token('Identifier', /[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*/, {
  categories: [AnyToken, FieldToken],
});
export const DottedIdentifier: TokenType = token('DottedIdentifier', Lexer.NA, { categories: [AnyToken, FieldToken] });

function keyword(word: string): TokenType {
  return token(word, Lexer.NA);
}

// Logical keywords.
export const And: TokenType = keyword('And');
export const Or: TokenType = keyword('Or');
export const Not: TokenType = keyword('Not');

// Operator words. Longer words that share a prefix come first (ContainsCIS before Contains).
export const NotIn: TokenType = keyword('NotIn');
export const In: TokenType = keyword('In');
export const AnyCase: TokenType = keyword('AnyCase');
export const ContainsCIS: TokenType = keyword('ContainsCIS');
export const Contains: TokenType = keyword('Contains');
export const ContainCIS: TokenType = keyword('ContainCIS');
export const Contain: TokenType = keyword('Contain');
export const CIS: TokenType = keyword('CIS');
export const Does: TokenType = keyword('Does');
export const StartsWithCIS: TokenType = keyword('StartsWithCIS');
export const StartsWith: TokenType = keyword('StartsWith');
export const EndsWithCIS: TokenType = keyword('EndsWithCIS');
export const EndsWith: TokenType = keyword('EndsWith');
export const RegExpKw: TokenType = keyword('RegExp');
export const Between: TokenType = keyword('Between');
export const Is: TokenType = keyword('Is');
export const Empty: TokenType = keyword('Empty');
export const True: TokenType = keyword('True');
export const False: TokenType = keyword('False');
export const Exists: TokenType = keyword('Exists');
export const Like: TokenType = keyword('Like');

export const NotEquals: TokenType = token('NotEquals', '!=');
export const LessEquals: TokenType = token('LessEquals', '<=');
export const GreaterEquals: TokenType = token('GreaterEquals', '>=');
export const DoubleEquals: TokenType = token('DoubleEquals', '==');
export const LessGreater: TokenType = token('LessGreater', '<>');
export const Equals: TokenType = token('Equals', '=');
export const Less: TokenType = token('Less', '<');
export const Greater: TokenType = token('Greater', '>');
export const LParen: TokenType = token('LParen', '(');
export const RParen: TokenType = token('RParen', ')');
export const Comma: TokenType = token('Comma', ',');
export const Pipe: TokenType = token('Pipe', '|');
/**
 * Borrowed from other query languages: read as AND, OR, NOT, a list and its commas, or dropped, before parsing (see
 * borrowed-syntax.ts).
 */
export const DoubleAmp: TokenType = token('DoubleAmp', '&&');
export const DoublePipe: TokenType = token('DoublePipe', '||');
export const Bang: TokenType = token('Bang', '!');
export const LBracket: TokenType = token('LBracket', '[');
export const RBracket: TokenType = token('RBracket', ']');
export const Semicolon: TokenType = token('Semicolon', ';');

export const keywordTokens: readonly TokenType[] = [
  And,
  Or,
  NotIn,
  Not,
  In,
  AnyCase,
  ContainsCIS,
  Contains,
  ContainCIS,
  Contain,
  CIS,
  Does,
  StartsWithCIS,
  StartsWith,
  EndsWithCIS,
  EndsWith,
  RegExpKw,
  Between,
  Is,
  Empty,
  True,
  False,
  Exists,
  Like,
];

/**
 * The parser's vocabulary, in lexer order (the first pattern that matches wins; tokens carry offsets only, so a
 * token ends at startOffset + image.length). Keywords and dotted names have no pattern: see `classifyWords`.
 */
export const allTokens: readonly TokenType[] = [
  WhiteSpace,
  UnicodeWhiteSpace,
  Comment,
  SlashComment,
  StringLiteral,
  NumberLiteral,
  Identifier,
  DottedIdentifier,
  ...keywordTokens,
  NotEquals,
  Bang,
  LessEquals,
  GreaterEquals,
  DoubleEquals,
  LessGreater,
  Equals,
  Less,
  Greater,
  LParen,
  RParen,
  Comma,
  DoublePipe,
  Pipe,
  DoubleAmp,
  LBracket,
  RBracket,
  Semicolon,
  AnyToken,
  ValueToken,
  FieldToken,
];

/** Operator words and symbols of `grammar/operators.json`, by lower-case spelling. */
export const wordTokens: ReadonlyMap<string, TokenType> = new Map<string, TokenType>([
  ...keywordTokens.map((t): [string, TokenType] => [t.name.replace(/Kw$/, '').toLowerCase(), t]),
  ['!=', NotEquals],
  ['<=', LessEquals],
  ['>=', GreaterEquals],
  ['==', DoubleEquals],
  ['<>', LessGreater],
  ['=', Equals],
  ['<', Less],
  ['>', Greater],
]);

const keywordByWord = new Map<string, TokenType>(keywordTokens.map((t) => [t.name.toLowerCase(), t]));
/** Words as written -> their type (null: a plain identifier); most words repeat, so this skips the lower-casing. */
const wordCache = new Map<string, TokenType | null>();

/** A word that is no keyword: a field name, or a bare word where something else was meant. */
export function isWord(tok: IToken | undefined): boolean {
  return tok !== undefined && (tok.tokenType === Identifier || tok.tokenType === DottedIdentifier);
}

/** Where a clause may start: the beginning, or after AND, OR, NOT or `(`. */
export function startsClause(tok: IToken | undefined): boolean {
  const type = tok?.tokenType;
  return type === undefined || type === And || type === Or || type === Not || type === LParen;
}

/**
 * Re-types the words the lexer read as identifiers: keywords (case-insensitively) and dotted 2.0 names. One
 * lexer pattern for all words plus a map lookup is much faster than a case-insensitive pattern per keyword.
 */
export function classifyWords(tokens: IToken[]): void {
  for (const tok of tokens) {
    if (tok.tokenType !== Identifier) continue;
    const image = tok.image;
    let type = wordCache.get(image);
    if (type === undefined) {
      type = (image.includes('.') ? DottedIdentifier : keywordByWord.get(image.toLowerCase())) ?? null;
      if (wordCache.size < 10_000) wordCache.set(image, type);
    }
    if (type) {
      tok.tokenType = type;
      tok.tokenTypeIdx = type.tokenTypeIdx as number;
    }
  }
}
