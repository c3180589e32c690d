/**
 * Diagnostics are plain data with stable codes. Codes are grouped by layer: L1xx lexer, P2xx parser, S3xx
 * semantic checks of the language core; the linter (R4xx) and the saved-query library (H5xx) add theirs.
 * Message text may improve over time; codes never change meaning.
 */
import type { Range } from './ast.ts';

export type Severity = 'error' | 'warning' | 'info';

export interface TextEdit {
  readonly range: Range;
  readonly newText: string;
}

/** `text` with non-overlapping `edits` applied (offsets are those of `text`). */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.range.start.offset - a.range.start.offset)) {
    out = out.slice(0, e.range.start.offset) + e.newText + out.slice(e.range.end.offset);
  }
  return out;
}

/** A rewrite: `fix` when it is certainly what was meant (applied by --fix), `suggestions` otherwise. */
export interface Fix {
  readonly title: string;
  readonly edits: readonly TextEdit[];
}

export interface Diagnostic {
  readonly code: string;
  readonly severity: Severity;
  readonly message: string;
  readonly range: Range;
  readonly fix?: Fix;
  readonly suggestions?: readonly Fix[];
}

/** The language core's diagnostic codes. */
export const Codes = {
  /** A character that cannot start any S1QL token. */
  unexpectedCharacter: 'L101',
  /** A double-quoted string with no closing quote. */
  unterminatedString: 'L102',
  /** Typographic quotes (“ ” „) used around a value. */
  smartQuotes: 'L103',
  /** A value in single quotes. */
  singleQuotes: 'L104',
  /** `\"` where a value was meant to end with a backslash (an error follows it). */
  backslashQuote: 'L105',
  /** A token that is not valid here. */
  unexpectedToken: 'P201',
  /** `(` without its `)`. */
  missingCloseParen: 'P202',
  /** `)` without a matching `(`. */
  unmatchedCloseParen: 'P203',
  /** An operator with no value after it. */
  missingValue: 'P204',
  /** A field with no operator, or a value with no operator before it. */
  missingOperator: 'P205',
  /** An operator with no field before it. */
  missingField: 'P206',
  /** AND, OR or NOT with nothing on one side. */
  danglingLogical: 'P207',
  /** Two clauses next to each other with no AND or OR between them. */
  missingLogical: 'P208',
  /** A misspelt or non-S1QL-1.0 operator (`NotIn`, `In ContainsCIS`, `LIKE`, `==`...). */
  invalidOperator: 'P209',
  /** A PowerQuery pipe in a 1.0 query. */
  pipe: 'P210',
  /** The operand does not have the shape the operator takes (a list for `In`, one value for `=`...). */
  operandShape: 'P211',
  /** An empty or malformed list. */
  badList: 'P212',
  /** No condition at all: an empty query, or one with only comments (the grammar needs one). */
  emptyQuery: 'P213',
  /** Parentheses and NOTs nested deeper than the parser follows (MAX_NESTING). */
  tooDeep: 'P214',
  /** A bare word where a value goes (`EndpointOS = windows`): values are double-quoted. */
  unquotedValue: 'P215',
  /** A dotted S1QL 2.0 field name in a 1.0 query. */
  dottedField: 'S301',
  /** `*` or `%` inside an `=` / `!=` / `In` value: matched literally, probably meant as a wildcard. */
  wildcardInEquals: 'S302',
} as const;

export type LanguageCode = (typeof Codes)[keyof typeof Codes];
