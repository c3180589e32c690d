/**
 * The builder's typed errors. Callers branch on `code`, never on message text. They are programmer errors (a call
 * that the types would have rejected, or a value S1QL 1.0 cannot write), so the builder throws them.
 */
import type { Diagnostic } from '@s1ql/language';

export type BuilderErrorCode =
  | 'S1QL_BUILDER_RAW_SYNTAX'
  | 'S1QL_BUILDER_UNKNOWN_FIELD'
  | 'S1QL_BUILDER_OPERATOR'
  | 'S1QL_BUILDER_VALUE'
  | 'S1QL_BUILDER_EMPTY_LIST'
  | 'S1QL_BUILDER_UNREPRESENTABLE';

export class BuilderError extends Error {
  readonly code: BuilderErrorCode;
  constructor(code: BuilderErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BuilderError';
    this.code = code;
  }
}

/** `raw(text)` was given text that does not parse; `diagnostics` are the parser's errors. */
export class RawSyntaxError extends BuilderError {
  readonly text: string;
  readonly diagnostics: readonly Diagnostic[];
  constructor(text: string, diagnostics: readonly Diagnostic[]) {
    const list = diagnostics.map((d) => `  ${d.code} ${d.range.start.line}:${d.range.start.column} ${d.message}`);
    super(
      'S1QL_BUILDER_RAW_SYNTAX',
      diagnostics.length === 0
        ? `raw(): ${JSON.stringify(text)} holds no expression.`
        : `raw(): ${JSON.stringify(text)} does not parse:\n${list.join('\n')}`,
    );
    this.name = 'RawSyntaxError';
    this.text = text;
    this.diagnostics = diagnostics;
  }
}

/** An alternative that S1QL 1.0 can write, with how faithful it is. */
export interface Alternative {
  /** The S1QL text of the alternative (itself built and printed, so it is valid). */
  readonly s1ql: string;
  /** `exact`: matches the same events; `superset`: matches these and possibly more. */
  readonly precision: 'exact' | 'superset' | 'nearly-exact';
  readonly note: string;
}

/**
 * A value ending in a backslash: S1QL 1.0 reads `\"` as an escaped quote, so the closing quote would be lost.
 * `alternatives` lists what can still express the intent, most faithful first.
 */
export class UnrepresentableValueError extends BuilderError {
  readonly value: string;
  readonly alternatives: readonly Alternative[];
  constructor(field: string, operator: string, value: string, alternatives: readonly Alternative[]) {
    const lines = alternatives.map((a) => `  ${a.s1ql}  (${a.precision}: ${a.note})`);
    super(
      'S1QL_BUILDER_UNREPRESENTABLE',
      `${field} ${operator} ${JSON.stringify(value)}: S1QL 1.0 cannot write a value ending in a backslash ` +
        `(\\" is an escaped quote, so the closing quote would be lost).` +
        (lines.length > 0 ? ` Instead use:\n${lines.join('\n')}` : ''),
    );
    this.name = 'UnrepresentableValueError';
    this.value = value;
    this.alternatives = alternatives;
  }
}
