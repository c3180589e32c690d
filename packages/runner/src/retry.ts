/** Retry policies as data (STYLE.md item 10): which statuses, how many attempts, which delays. */

export interface RetryPolicy {
  /** HTTP statuses worth another attempt. */
  readonly statuses: readonly number[];
  /** Attempts in all, the first included. */
  readonly maxAttempts: number;
  /** Exponential backoff: base * factor^(attempt-1), capped, then jittered. */
  readonly baseDelayMs: number;
  readonly capDelayMs: number;
  readonly factor: number;
  /** Fraction of each delay that is random (0 = none, 1 = full jitter). */
  readonly jitter: number;
  /** Wait after a 429 without Retry-After; undefined = the exponential backoff. */
  readonly rateLimitDelayMs?: number;
  /**
   * The longest `Retry-After` honoured (ms, not scaled: it is the server's word). A server asking for more is
   * reported at once as rate limiting that did not clear, rather than waited on for hours.
   */
  readonly maxServerDelayMs: number;
  /**
   * Which connection failures to retry: `always` (idempotent GETs), `before-send` (only failures that prove
   * the request never reached the server: a POST that may have started a query is never repeated blindly), `never`.
   */
  readonly network: 'always' | 'before-send' | 'never';
}

/** GETs (query-status, events): idempotent, so 429, 5xx, resets and slow answers are retried. */
export const GET_POLICY: RetryPolicy = {
  statuses: [429, 500, 502, 503, 504],
  maxAttempts: 6,
  baseDelayMs: 1_000,
  capDelayMs: 16_000,
  factor: 2,
  jitter: 0.5,
  maxServerDelayMs: 300_000,
  network: 'always',
};

/** init-query: only 429 (the query was refused, so nothing started) and failures before the request was sent. */
export const INIT_POLICY: RetryPolicy = {
  statuses: [429],
  maxAttempts: 4,
  // The backoff serves only connection failures before sending (a 429 waits rateLimitDelayMs, the limit's minute).
  baseDelayMs: 1_000,
  capDelayMs: 16_000,
  factor: 2,
  jitter: 0.5,
  rateLimitDelayMs: 60_000,
  maxServerDelayMs: 300_000,
  network: 'before-send',
};

/** cancel-query: repeating a cancel is harmless. */
export const CANCEL_POLICY: RetryPolicy = {
  statuses: [429, 500, 502, 503, 504],
  maxAttempts: 3,
  baseDelayMs: 500,
  capDelayMs: 2_000,
  factor: 2,
  jitter: 0.5,
  maxServerDelayMs: 60_000,
  network: 'always',
};

/** One-off calls (doctor): a couple of tries for transient failures. */
export const SIMPLE_POLICY: RetryPolicy = { ...CANCEL_POLICY };

/** Delay before attempt `attempt + 1` (attempt counts from 1), scaled; `random` in [0, 1). */
export function backoffDelay(policy: RetryPolicy, attempt: number, scale: number, random: number): number {
  const raw = Math.min(policy.capDelayMs, policy.baseDelayMs * policy.factor ** (attempt - 1));
  const jittered = raw * (1 - policy.jitter * random);
  return Math.max(0, Math.round(jittered * scale));
}

/** `Retry-After` as ms from `now`: delta-seconds (fractions tolerated) or an HTTP-date; undefined when unusable. */
export function parseRetryAfter(value: string | string[] | undefined, now: number): number | undefined {
  const text = (Array.isArray(value) ? value[0] : value)?.trim();
  if (text === undefined || text === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/** Connection failures that prove the request was never sent (nothing reached the server). */
const BEFORE_SEND_CODES = new Set([
  'ECONNREFUSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
]);

/** Failures after the request may have been sent: resets, sockets closed mid-answer, slow answers. */
const AFTER_SEND_CODES = new Set([
  'ECONNRESET',
  'EPIPE',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'ETIMEDOUT',
  'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
]);

export type NetworkFailure = 'before-send' | 'after-send' | 'fatal';

/** Classifies a thrown transport error by its code (walking `cause`, as undici nests them). */
export function classifyNetworkError(error: unknown): NetworkFailure {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current !== null && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') {
      if (BEFORE_SEND_CODES.has(code)) return 'before-send';
      if (AFTER_SEND_CODES.has(code)) return 'after-send';
    }
    current = (current as { cause?: unknown }).cause;
  }
  return 'fatal';
}

export function networkCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current !== null && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
