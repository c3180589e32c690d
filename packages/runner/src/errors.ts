/**
 * The runner's typed error family (STYLE.md item 8): callers switch on `code`, never on message text.
 * Messages say what to do next and never hold the API token (nor does any `cause` we attach).
 */

export type RunnerErrorCode =
  | 'S1QL_CONFIG'
  | 'S1QL_AUTH'
  | 'S1QL_PERMISSION'
  | 'S1QL_SYNTAX'
  | 'S1QL_QUERY_FAILED'
  | 'S1QL_EXPIRED'
  | 'S1QL_RATE_LIMIT'
  | 'S1QL_NETWORK'
  | 'S1QL_TIMEOUT'
  | 'S1QL_CANCELLED'
  | 'S1QL_BAD_RESPONSE';

/** Exit codes of design/CLI.md for each code (a local syntax error is the input's problem: 1). */
const EXIT_CODES: Readonly<Record<RunnerErrorCode, number>> = {
  S1QL_CONFIG: 2,
  S1QL_AUTH: 3,
  S1QL_PERMISSION: 3,
  S1QL_SYNTAX: 4,
  S1QL_QUERY_FAILED: 4,
  S1QL_EXPIRED: 4,
  S1QL_CANCELLED: 4,
  // The query did not finish within the caller's time: the query was cancelled, like a server-side cancel.
  S1QL_TIMEOUT: 4,
  S1QL_RATE_LIMIT: 5,
  S1QL_NETWORK: 5,
  // A response we cannot read comes from a server or a proxy that is not speaking the API: a network-side failure.
  S1QL_BAD_RESPONSE: 5,
};

/**
 * What became of the console-side query when a run stopped before it ended (an abort or a timeout, or any failure
 * once a query was running), so a caller can say truthfully whether a query may be left running:
 * - `sent`: dv/cancel-query was sent for `queryId` and the console accepted it;
 * - `failed`: dv/cancel-query for `queryId` could not be delivered: the query may still be running;
 * - `not-needed`: no query was running: none had been started (or init-query was refused), or `queryId` had
 *   already ended on the console;
 * - `unknown`: dv/init-query was in flight and its outcome could not be learned in time: a query may still be
 *   running, and its id is not known.
 */
export type CancelOutcome = 'sent' | 'failed' | 'not-needed' | 'unknown';

export interface RunnerErrorOptions {
  readonly cause?: unknown;
  readonly exitCode?: number;
  /** HTTP status when the error comes from a response. */
  readonly status?: number;
  /** The API's own error code (for example 4000040), when the body had one. */
  readonly apiCode?: number;
  readonly queryId?: string;
  /** Set when the run stopped early (abort, timeout): whether a query may be left running on the console. */
  readonly cancel?: CancelOutcome;
  /** Syntax errors found locally (parse diagnostics), so callers can print them with positions. */
  readonly diagnostics?: readonly unknown[];
}

export class RunnerError extends Error {
  readonly code: RunnerErrorCode;
  readonly exitCode: number;
  readonly status: number | undefined;
  readonly apiCode: number | undefined;
  readonly queryId: string | undefined;
  readonly cancel: CancelOutcome | undefined;
  readonly diagnostics: readonly unknown[] | undefined;

  constructor(code: RunnerErrorCode, message: string, options: RunnerErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'RunnerError';
    this.code = code;
    this.exitCode = options.exitCode ?? EXIT_CODES[code];
    this.status = options.status;
    this.apiCode = options.apiCode;
    this.queryId = options.queryId;
    this.cancel = options.cancel;
    this.diagnostics = options.diagnostics;
  }
}

export function isRunnerError(error: unknown, code?: RunnerErrorCode): error is RunnerError {
  return error instanceof RunnerError && (code === undefined || error.code === code);
}

/** Exit code for a runner error (for callers that only have `unknown`). */
export function exitCodeOf(error: unknown): number | undefined {
  return error instanceof RunnerError ? error.exitCode : undefined;
}
