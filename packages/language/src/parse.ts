/**
 * `parse(text)`: the one entry point every consumer uses. It never throws; it returns the tree (partial where the
 * text is broken) and every diagnostic, lexical, syntactic and the language's own semantic warnings.
 */
import { type ILexingError, type IRecognitionException, type IToken, Lexer, type TokenType } from 'chevrotain';
import type { Comment, Expr, Query, Range } from './ast.ts';
import { markBorrowedSyntax } from './borrowed-syntax.ts';
import { lookupField, operators } from './catalog.ts';
import { Codes, type Diagnostic, type Fix } from './diagnostics.ts';
import { markMisspeltOperators } from './operator-typos.ts';
import { S1qlParser } from './parser.ts';
import { LineIndex, maskEnvironmentVariables, wildcardEdges } from './text.ts';
import * as T from './tokens.ts';
import { TreeBuilder } from './tree-builder.ts';

export interface ParseResult {
  readonly ast: Query;
  readonly diagnostics: readonly Diagnostic[];
}

let lexer: Lexer | undefined;
let parser: S1qlParser | undefined;

/** Builds the lexer and parser once; later calls are free. Exposed so a host can pay the cost up front. */
export function initParser(): void {
  // Validation is the larger part of building the lexer; the test suite builds a validating, optimised one.
  lexer ??= new Lexer(T.allTokens as TokenType[], { positionTracking: 'onlyOffset', skipValidations: true });
  parser ??= new S1qlParser();
}

export function parse(text: string): ParseResult {
  // Chevrotain recovers from a syntax error by throwing an Error, which captures a stack trace the parse never reads:
  // with thousands of errors in one text, that capture was the largest single cost. No stack trace is ever shown.
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return parseUnsafe(text);
  } catch (error) {
    // A bug of ours, never the user's input: still no throw, but say so plainly.
    const lines = new LineIndex(text);
    const range = lines.range(0, text.length);
    return {
      ast: { kind: 'Query', range, expr: null, comments: [] },
      diagnostics: [
        {
          code: 'P299',
          severity: 'error',
          message: `Internal parser error (please report it): ${error instanceof Error ? error.message : String(error)}`,
          range,
        },
      ],
    };
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
}

function parseUnsafe(text: string): ParseResult {
  initParser();
  const lines = new LineIndex(text);
  const lexed = (lexer as Lexer).tokenize(text);
  T.classifyWords(lexed.tokens);
  const diagnostics: Diagnostic[] = [];
  const { stray, absorbed } = markBorrowedSyntax(lexed.tokens, text, lines, diagnostics);
  if (absorbed.length > 0) lexed.errors = lexed.errors.filter((e) => !absorbed.includes(e.offset));
  if (stray.length > 0) lexed.errors = [...lexed.errors, ...stray].sort((a, b) => a.offset - b.offset);
  markMisspeltOperators(lexed.tokens, lines, diagnostics);
  const unquoted = markUnquotedValues(lexed.tokens, text);

  // Characters taken into an unquoted value (`*` in `= *mimikatz*`) are reported with it, once. Both lists are in
  // text order: one pass over them.
  let u = 0;
  for (const error of lexed.errors) {
    while (u < unquoted.length && end(unquoted[u] as IToken) <= error.offset) u++;
    const taken = unquoted[u];
    if (taken === undefined || error.offset < taken.startOffset) diagnostics.push(lexError(error, text, lines));
  }
  for (const tok of lexed.tokens) {
    if (tok.tokenType === T.StringLiteral) stringDiagnostic(tok, text, lines, diagnostics);
  }

  const tooDeep = nestingBeyond(lexed.tokens, MAX_NESTING);
  let expr: Expr | null = null;
  if (tooDeep) {
    diagnostics.push({
      code: Codes.tooDeep,
      severity: 'error',
      message: `Parentheses and NOTs are nested more than ${MAX_NESTING} deep here; no hunt needs that many: simplify the query.`,
      range: tokenRange(tooDeep, lines),
    });
  } else {
    const p = parser as S1qlParser;
    p.b = new TreeBuilder(text, lines, diagnostics);
    p.input = lexed.tokens;
    expr = p.query();
    const lastTok = lexed.tokens.at(-1);
    const endOfQuery = lastTok ? lastTok.startOffset + lastTok.image.length : 0;
    for (const error of p.errors) diagnostics.push(recognitionError(error, lines, endOfQuery));
  }

  for (const tok of lexed.groups.comments ?? []) {
    if (tok.tokenType !== T.SlashComment) continue;
    const slashes = lines.range(tok.startOffset, tok.startOffset + 2);
    diagnostics.push({
      code: Codes.unexpectedCharacter,
      severity: 'error',
      message:
        '`//` starts a comment in S1QL 2.0 only: S1QL 1.0 hunts mark comments with `--` (stripped before sending).',
      range: slashes,
      fix: { title: 'Use --', edits: [{ range: slashes, newText: '--' }] },
    });
  }
  const comments: Comment[] = (lexed.groups.comments ?? []).map((tok) => ({
    kind: 'Comment',
    text: tok.image.slice(2),
    range: tokenRange(tok, lines),
  }));

  if (expr) semanticChecks(expr, diagnostics);
  else if (lexed.tokens.length === 0 && lexed.errors.length === 0) {
    diagnostics.push({
      code: Codes.emptyQuery,
      severity: 'error',
      message: `The query is empty${comments.length > 0 ? ' (only comments)' : ''}: write at least one condition, such as EventType = "Process Creation".`,
      range: lines.range(0, text.length),
    });
  }
  backslashHints(lexed.tokens, lines, diagnostics);

  diagnostics.sort((a, b) => a.range.start.offset - b.range.start.offset);
  dropEchoes(diagnostics);
  return {
    ast: { kind: 'Query', range: lines.range(0, text.length), expr: expr ?? null, comments },
    diagnostics,
  };
}

/** The offset just past a token. */
function end(tok: IToken): number {
  return tok.startOffset + tok.image.length;
}

function tokenRange(tok: IToken, lines: LineIndex): Range {
  return lines.range(tok.startOffset, tok.startOffset + tok.image.length);
}

/**
 * Text quoted for a message, with what a terminal would not show written as its code point: a zero-width space
 * (U+200B) or a next-line (U+0085) pasted from a web page is the usual cause of an unexpected character.
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\u00a0\u2000-\u200a\u202f\u205f\u3000]/gu;

function visible(text: string): string {
  const quoted = JSON.stringify(text);
  const shown = quoted.replace(
    INVISIBLE,
    (c) => `U+${(c.codePointAt(0) as number).toString(16).toUpperCase().padStart(4, '0')}`,
  );
  return shown === quoted ? quoted : `${shown} (an invisible character)`;
}

/**
 * Chevrotain's own "Unexpected X" and our rule's "Expected In, Contains... after Not, found X" can land on the same
 * token: of two P201 on one range, the more specific (longer) message is kept.
 */
function dropEchoes(diagnostics: Diagnostic[]): void {
  // One pass: the first of the longest messages per range is kept (a query with thousands of errors stays linear).
  const kept = new Map<string, Diagnostic>();
  for (const d of diagnostics) {
    if (d.code !== Codes.unexpectedToken) continue;
    const key = `${d.range.start.offset}:${d.range.end.offset}`;
    const best = kept.get(key);
    if (best === undefined || d.message.length > best.message.length) kept.set(key, d);
  }
  let n = 0;
  for (const d of diagnostics) {
    if (d.code === Codes.unexpectedToken && kept.get(`${d.range.start.offset}:${d.range.end.offset}`) !== d) continue;
    diagnostics[n++] = d;
  }
  diagnostics.length = n;
}

function lexError(error: ILexingError, text: string, lines: LineIndex): Diagnostic {
  const ch = text.slice(error.offset, error.offset + error.length);
  return {
    code: Codes.unexpectedCharacter,
    severity: 'error',
    message:
      error.length === 1
        ? `Unexpected character ${visible(ch)}.`
        : `Unexpected characters ${visible(ch.length > 20 ? `${ch.slice(0, 20)}…` : ch)}.`,
    range: lines.range(error.offset, error.offset + error.length),
  };
}

/** The last word (or symbol) of every operator that takes a value or a list: a value comes after it. */
let valueTakers: ReadonlySet<TokenType> | undefined;

/**
 * Re-types as one string the bare text that stands where a value goes and ends it: after an operator and before
 * AND, OR, `)` or the end (`EndpointOS = windows`, `SrcIP = 10.0.0.1`, `TgtFilePath = C:\Temp\a.exe`,
 * `TgtProcName = *mimikatz*`), or as a list item (`In (a.exe, "b.exe")`). It is reported (P215) with the quotes as a
 * certain fix, and the rest of the query parses as meant. One pass over the tokens, no change to the grammar (a
 * gated alternative there costs every parse about a tenth). Returns the re-typed tokens.
 */
function markUnquotedValues(tokens: IToken[], text: string): IToken[] {
  valueTakers ??= new Set(
    operators
      .filter((op) => op.operand !== 'none' && op.operand !== 'range')
      .flatMap((op) => op.spellings.map((words) => T.wordTokens.get((words.at(-1) as string).toLowerCase())))
      .filter((t): t is TokenType => t !== undefined),
  );
  const marked: IToken[] = [];
  for (let i = 0; i < tokens.length - 1; i++) {
    const taker = tokens[i] as IToken;
    const type = taker.tokenType;
    const inList =
      type === T.Comma ||
      (type === T.LParen && valueTakers.has((tokens[i - 1] as IToken | undefined)?.tokenType as TokenType));
    if (!inList && !valueTakers.has(type)) continue;
    // The run of characters that can make a bare value, from the first token after the operator.
    const first = tokens[i + 1] as IToken;
    let start = first.startOffset;
    const takerEnd = taker.startOffset + taker.image.length;
    while (start > takerEnd && glued(text, start - 1)) start--;
    if (start === first.startOffset && !isBare(first)) continue;
    // The tokens inside the run: words and numbers only (a keyword or a string means something else is wrong). Runs
    // separated by spaces on one line are one value when only such runs stand before the end of the value
    // (`EventType = Process Creation AND ...`); a word followed by an operator starts a clause of its own.
    let end = runEnd(text, start);
    let last = i + 1;
    let words = 0;
    let ends = false;
    for (;;) {
      const from = last;
      while (last < tokens.length && (tokens[last] as IToken).startOffset < end) {
        const t = tokens[last] as IToken;
        if (t.startOffset + t.image.length > end || !isBare(t)) break;
        if (T.isWord(t)) words++;
        last++;
      }
      // A token cut by the run's end, or a keyword or string inside it, means something else is wrong.
      if ((last === from && from === i + 1) || (tokens[last]?.startOffset ?? end) < end) break;
      const next = tokens[last]?.tokenType;
      ends = inList
        ? next === undefined || next === T.Comma || next === T.RParen
        : next === undefined || next === T.And || next === T.Or || next === T.RParen;
      if (ends) break;
      let gap = end;
      while (text[gap] === ' ' || text[gap] === '\t') gap++;
      if (gap === end || gap >= text.length || !glued(text, gap)) break;
      end = runEnd(text, gap);
    }
    const inside = last - (i + 1);
    if (!ends || inside === 0) continue;
    // `cmd.exe"`: the quote that closes a value missing its opening one (left unread by the lexer) is part of it.
    const closed = text[end] === '"' && T.closesBareValue(text, end);
    if (closed) end++;
    // A lone number is a number.
    if (inside === 1 && words === 0 && start === first.startOffset && end === start + first.image.length) continue;
    first.image = text.slice(start, end);
    first.startOffset = start;
    first.endOffset = end - 1;
    first.tokenType = T.StringLiteral;
    first.tokenTypeIdx = T.StringLiteral.tokenTypeIdx as number;
    first.payload = {
      quoting: 'unquoted',
      value: closed ? first.image.slice(0, -1) : first.image,
    } satisfies T.StringPayload;
    if (inside > 1) tokens.splice(i + 2, inside - 1);
    marked.push(first);
  }
  return marked;
}

/** A token that can be part of a bare value: a word that is no keyword, or a number. */
function isBare(tok: IToken): boolean {
  return T.isWord(tok) || tok.tokenType === T.NumberLiteral;
}

/** The end of the run of characters that can belong to a bare value, from `at`. */
function runEnd(text: string, at: number): number {
  let end = at;
  while (end < text.length && glued(text, end)) end++;
  return end;
}

/** A character that can belong to a bare value: not space, a quote, a parenthesis, a comma or a comment's start. */
function glued(text: string, at: number): boolean {
  const code = text.charCodeAt(at);
  if (code === 0x20 || code === 0x22 || code === 0x28 || code === 0x29 || code === 0x2c) return false; // the usual
  const c = text[at] as string;
  if (/[\s"'()[\],\u2018-\u201f\u2032\u2033\u00ab\u00bb]/.test(c)) return false;
  return !(c === '-' && (text[at + 1] === '-' || text[at - 1] === '-'));
}

/** How deep parentheses and NOTs may nest: every consumer of the tree recurses, and the stack is finite. */
const MAX_NESTING = 200;

/** The first token past `max` levels of open parentheses and NOTs in a row, if any. */
function nestingBeyond(tokens: readonly IToken[], max: number): IToken | undefined {
  let depth = 0;
  let nots = 0;
  for (const tok of tokens) {
    if (tok.tokenType === T.LParen) depth++;
    else if (tok.tokenType === T.RParen) depth = Math.max(0, depth - 1);
    if (tok.tokenType === T.Not) nots++;
    else if (tok.tokenType !== T.LParen) nots = 0;
    if (depth + nots > max) return tok;
  }
  return undefined;
}

/** `endOfQuery`: where the last token ends; an error at the end of input is placed there, not after comments. */
function recognitionError(error: IRecognitionException, lines: LineIndex, endOfQuery: number): Diagnostic {
  const tok = error.token;
  // Chevrotain marks the end-of-input token with offset -1 (NaN in older versions).
  const at = tok.startOffset >= 0 ? tokenRange(tok, lines) : lines.range(endOfQuery, endOfQuery);
  return { code: Codes.unexpectedToken, severity: 'error', message: error.message, range: at };
}

function escapeQuotes(value: string): string {
  return value.replaceAll('"', '\\"');
}

function stringDiagnostic(tok: IToken, text: string, lines: LineIndex, out: Diagnostic[]): void {
  const payload = tok.payload as T.StringPayload;
  if (payload.quoting === 'ok') return;
  const range = tokenRange(tok, lines);
  switch (payload.quoting) {
    case 'unquoted': {
      // `\"` is an escaped quote: a value ending in a backslash cannot simply be quoted.
      const cannot = payload.value.endsWith('\\');
      out.push({
        code: Codes.unquotedValue,
        severity: 'error',
        message: cannot
          ? 'Values are written in double quotes, and a double-quoted S1QL value cannot end in a backslash.'
          : tok.image.endsWith('"')
            ? `This value is missing its opening quote: "${payload.value}".`
            : `Values are written in double quotes: "${payload.value}".`,
        range,
        ...(cannot ? {} : { fix: { title: 'Quote the value', edits: [{ range, newText: `"${payload.value}"` }] } }),
      });
      return;
    }
    case 'smart':
    case 'single': {
      const smart = payload.quoting === 'smart';
      // `\"` is an escaped quote, so a value ending in a backslash cannot be written in double quotes: no fix then.
      const cannot = payload.value.endsWith('\\');
      const fix: Fix = {
        title: smart ? 'Use straight double quotes' : 'Use double quotes',
        edits: [{ range, newText: `"${escapeQuotes(payload.value)}"` }],
      };
      out.push({
        code: smart ? Codes.smartQuotes : Codes.singleQuotes,
        severity: 'error',
        message:
          (smart
            ? 'Typographic quotes (“ ” or ‘ ’) around a value: S1QL uses straight double quotes (").'
            : 'S1QL 1.0 values are written in double quotes, not single quotes.') +
          (cannot
            ? ' This value ends in a backslash, which a double-quoted S1QL value cannot (\\" escapes the quote).'
            : ''),
        range,
        ...(cannot ? {} : { fix }),
      });
      return;
    }
    case 'unterminated': {
      // Cut short by the lexer (`"C:\Temp\" AND B = "x"`, see tokens.ts): the \" swallowed the closing quote.
      if (end(tok) < text.length && tok.image.endsWith('\\"')) {
        out.push(backslashQuote(end(tok) - 2, lines));
        return;
      }
      const body = text.slice(tok.startOffset + 1, tok.startOffset + tok.image.length);
      const endsInBackslash = /\\"/.test(body);
      out.push({
        code: Codes.unterminatedString,
        severity: 'error',
        message: endsInBackslash
          ? 'This value is never closed: \\" is an escaped quote in S1QL 1.0, so a value cannot end with a backslash.'
          : 'This value has no closing quote.',
        range,
        ...(endsInBackslash
          ? {}
          : {
              suggestions: [
                { title: 'Close the quote', edits: [{ range: { start: range.end, end: range.end }, newText: '"' }] },
              ],
            }),
      });
      return;
    }
  }
}

/**
 * `"C:\Temp\"`: the `\"` escapes the quote, the string runs on, and the error shows up later. When an error
 * follows such a string, say where the real problem is.
 */
function backslashHints(tokens: IToken[], lines: LineIndex, out: Diagnostic[]): void {
  const firstError = out.find((d) => d.severity === 'error' && d.code !== Codes.unterminatedString);
  if (!firstError) return;
  for (const tok of tokens) {
    if (tok.startOffset >= firstError.range.start.offset) break;
    if (tok.tokenType !== T.StringLiteral || (tok.payload as T.StringPayload).quoting !== 'ok') continue;
    const at = tok.image.indexOf('\\"');
    if (at < 0 || at === tok.image.length - 2) continue;
    out.push(backslashQuote(tok.startOffset + at, lines));
    return;
  }
}

/** L105 at the `\"` at `offset`, which was meant to end a value. */
function backslashQuote(offset: number, lines: LineIndex): Diagnostic {
  const range = lines.range(offset, offset + 2);
  return {
    code: Codes.backslashQuote,
    severity: 'error',
    message:
      'This \\" is an escaped quote, not the end of the value: an S1QL 1.0 value cannot end with a backslash. ' +
      'Drop the trailing backslash (for example EndsWith "\\Temp") or use RegExp.',
    range,
    suggestions: [{ title: 'End the value here, without the backslash', edits: [{ range, newText: '"' }] }],
  };
}

const WILDCARD_OPERATORS = new Set(['eq', 'neq', 'in', 'notIn', 'inAnyCase']);

/** Semantic warnings that belong to the language itself (the linter adds the catalog-driven ones). */
function semanticChecks(expr: Expr, out: Diagnostic[]): void {
  const visit = (e: Expr): void => {
    switch (e.kind) {
      case 'Or':
      case 'And':
        for (const operand of e.operands) visit(operand);
        return;
      case 'Not':
        visit(e.operand);
        return;
      case 'Error':
        return;
      case 'Predicate': {
        if (e.operator.kind !== 'Operator' || !WILDCARD_OPERATORS.has(e.operator.id)) return;
        const values = e.operand?.kind === 'List' ? e.operand.items : e.operand ? [e.operand] : [];
        for (const v of values) {
          if (v.kind !== 'String' || !/[*%]/.test(maskEnvironmentVariables(v.value))) continue;
          const field = e.field.kind === 'Field' ? (lookupField(e.field.name)?.name ?? e.field.name) : 'field';
          out.push({
            code: Codes.wildcardInEquals,
            severity: 'warning',
            message: `"${v.value}" is compared literally: S1QL 1.0 has no wildcards in ${e.operator.text}. Use Contains, StartsWith or EndsWith (or RegExp) to match part of a value.`,
            range: v.range,
            suggestions: wildcardRewrites(e.operator.range, v.range, v.value, field, e.operator.id === 'eq'),
          });
        }
        return;
      }
      default:
        return;
    }
  };
  visit(expr);
}

function wildcardRewrites(opRange: Range, valueRange: Range, value: string, _field: string, single: boolean): Fix[] {
  if (!single) return [];
  const { lead, trail } = wildcardEdges(value);
  const inner = value.slice(lead, Math.max(lead, value.length - trail));
  if (/[*%]/.test(maskEnvironmentVariables(inner)) || inner === '') return [];
  const leading = lead > 0;
  const trailing = trail > 0;
  const op = leading && trailing ? 'Contains' : trailing ? 'StartsWith' : 'EndsWith';
  return [
    {
      title: `Use ${op} "${inner}"`,
      edits: [
        { range: opRange, newText: op },
        { range: valueRange, newText: `"${escapeQuotes(inner)}"` },
      ],
    },
  ];
}
