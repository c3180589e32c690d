/**
 * The HTTP client of the DV API on undici: one keep-alive Pool per client (one host), shared rate budgets per
 * token and endpoint, retries driven by a RetryPolicy, and every failure mapped to a RunnerError.
 */
import { type Dispatcher, Pool } from 'undici';
import { type Budgets, defaultBudgets, type Endpoint, sleep } from './budgets.ts';
import { API_PREFIX, authorization, type Connection, tokenOf } from './connection.ts';
import { RunnerError } from './errors.ts';
import type { PageBuffer } from './page.ts';
import {
  backoffDelay,
  classifyNetworkError,
  GET_POLICY,
  networkCode,
  parseRetryAfter,
  type RetryPolicy,
} from './retry.ts';

export interface ClientOptions {
  readonly budgets?: Budgets;
  /** Time to establish a connection (default 10 s). */
  readonly connectTimeoutMs?: number;
  /** Time to the response headers of one call (default 30 s). */
  readonly headersTimeoutMs?: number;
  /** Time between two chunks of a response body (default 60 s). */
  readonly bodyTimeoutMs?: number;
  /** For tests: randomness of the jitter. */
  readonly random?: () => number;
  /** Called once per retry, for logs: never holds the token. */
  readonly onRetry?: (info: RetryInfo) => void;
  /** For tests (undici MockAgent): a dispatcher to use instead of the client's own Pool. */
  readonly dispatcher?: Dispatcher;
}

export interface RetryInfo {
  readonly endpoint: Endpoint;
  readonly attempt: number;
  readonly reason: string;
  readonly delayMs: number;
}

export interface CallOptions {
  readonly method: 'GET' | 'POST';
  /** Path under /web/api/v2.1/, without query string. */
  readonly path: string;
  readonly query?: Readonly<Record<string, string | number | undefined>>;
  readonly body?: unknown;
  readonly signal?: AbortSignal | undefined;
  /**
   * For a POST that may start something (init-query): when `signal` aborts while the request is in flight, let
   * that one request go on for up to this long rather than drop it, so its answer (the id of a query to cancel) is
   * not lost. Nothing is retried after the abort. A 2xx answer within the grace is returned as usual (the caller
   * checks its signal); otherwise the call fails with the signal's reason, or, when the request was sent and its
   * outcome is unknown (no answer in time, a 5xx, a broken connection), with a RunnerError whose `cancel` is
   * `unknown`. Without it, an abort drops the request at once.
   */
  readonly abortGraceMs?: number;
  readonly policy?: RetryPolicy;
  /** Filled when known so a 403 can name the probable missing scope. */
  readonly scoped?: boolean;
}

interface ApiErrorBody {
  readonly code?: number;
  readonly detail?: string | null;
  readonly title?: string | null;
}

/** The first `errors[]` entry of an API error body, or nothing when the body is not the API's JSON (nginx HTML). */
export function apiError(text: string): ApiErrorBody | undefined {
  try {
    const parsed = JSON.parse(text) as { errors?: unknown };
    if (Array.isArray(parsed.errors) && parsed.errors.length > 0 && typeof parsed.errors[0] === 'object') {
      return parsed.errors[0] as ApiErrorBody;
    }
  } catch {
    // not JSON
  }
  return undefined;
}

function describe(body: ApiErrorBody | undefined): string {
  if (body === undefined) return '';
  const parts = [body.title, body.detail].filter((s): s is string => typeof s === 'string' && s !== '');
  const text = [...new Set(parts)].join(': ');
  return text === '' ? (body.code === undefined ? '' : ` (code ${body.code})`) : ` (${text})`;
}

/**
 * For the runner (run.ts), not the package's API: as `callText`, but the body is read into `into` (reset
 * first) rather than decoded to a new string, so a page's bytes land in a buffer reused page after page.
 */
export let callInto: (client: DvClient, endpoint: Endpoint, options: CallOptions, into: PageBuffer) => Promise<void>;

type Body = Dispatcher.ResponseData['body'];

export class DvClient {
  static {
    callInto = async (client, endpoint, options, into) => {
      await client.#call(
        endpoint,
        options,
        async (body: Body) => {
          into.reset();
          for await (const chunk of body) into.append(chunk as Buffer);
        },
        () => into.text(),
      );
    };
  }

  readonly connection: Connection;
  readonly budgets: Budgets;
  readonly #dispatcher: Dispatcher;
  readonly #ownPool: Pool | undefined;
  readonly #random: () => number;
  readonly #onRetry: ((info: RetryInfo) => void) | undefined;
  /** Calls made per endpoint (retries included), for summaries and tests. */
  readonly calls: Record<Endpoint, number> = {
    'init-query': 0,
    'query-status': 0,
    events: 0,
    pq: 0,
    'cancel-query': 0,
    other: 0,
  };

  constructor(connection: Connection, options: ClientOptions = {}) {
    this.connection = connection;
    this.budgets = options.budgets ?? defaultBudgets();
    this.#random = options.random ?? Math.random;
    this.#onRetry = options.onRetry;
    this.#ownPool =
      options.dispatcher === undefined
        ? new Pool(connection.origin, {
            connections: 8,
            pipelining: 1,
            keepAliveTimeout: 10_000,
            connectTimeout: options.connectTimeoutMs ?? 10_000,
            headersTimeout: options.headersTimeoutMs ?? 30_000,
            bodyTimeout: options.bodyTimeoutMs ?? 60_000,
          })
        : undefined;
    this.#dispatcher = options.dispatcher ?? (this.#ownPool as Pool);
  }

  async close(): Promise<void> {
    await this.#ownPool?.close();
  }

  /** Retries made by this client, all endpoints. */
  retries = 0;

  /** One API call: paced by the budget, retried per policy, the JSON body returned or a RunnerError thrown. */
  async call<T>(endpoint: Endpoint, options: CallOptions): Promise<T> {
    const text = await this.callText(endpoint, options);
    try {
      return JSON.parse(text) as T;
    } catch (error) {
      throw this.notJson(options, error);
    }
  }

  /** A 2xx body that is not JSON: not the API speaking (a login page, a proxy). */
  notJson(options: Pick<CallOptions, 'method' | 'path'>, cause: unknown): RunnerError {
    return new RunnerError(
      'S1QL_BAD_RESPONSE',
      `${options.method} ${options.path}: the server answered with a body that is not JSON; is ${this.connection.host} a SentinelOne console?`,
      { cause },
    );
  }

  /** As `call`, but the 2xx body is returned as text, unparsed (dv/events pages are parsed lazily). */
  async callText(endpoint: Endpoint, options: CallOptions): Promise<string> {
    let text = '';
    await this.#call(
      endpoint,
      options,
      async (body) => {
        text = await body.text();
      },
      () => text,
    );
    return text;
  }

  /** One call, retried per policy: `read` takes each attempt's body; `text` gives it as text for errors. */
  async #call(
    endpoint: Endpoint,
    options: CallOptions,
    read: (body: Body) => Promise<void>,
    bodyText: () => string,
  ): Promise<void> {
    const policy = options.policy ?? GET_POLICY;
    const budget = this.budgets.get(this.connection.fingerprint, endpoint);
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined) search.set(key, String(value));
    }
    const qs = search.toString();
    const path = `${API_PREFIX}${options.path}${qs === '' ? '' : `?${qs}`}`;
    const label = `${options.method} ${options.path}`;
    for (let attempt = 1; ; attempt++) {
      const release = await abortable(budget.acquire(options.signal), options.signal);
      // Aborted while its slot came up: nothing is sent.
      if (options.signal?.aborted) throw cancelled(options.signal, undefined);
      this.calls[endpoint]++;
      let status: number;
      let retryAfter: string | string[] | undefined;
      const flight = inFlight(options.signal, options.abortGraceMs);
      try {
        const response = await this.#dispatcher.request({
          origin: this.connection.origin,
          method: options.method,
          path,
          headers: {
            authorization: authorization(this.connection),
            accept: 'application/json',
            ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          body: options.body === undefined ? null : JSON.stringify(options.body),
          signal: flight.signal ?? null,
        });
        status = response.statusCode;
        retryAfter = response.headers['retry-after'];
        await read(response.body);
      } catch (error) {
        if (options.signal?.aborted) {
          // Within a grace, a request that reached the server and got no usable answer may have started something.
          const unknown = flight.graced && classifyNetworkError(error) !== 'before-send';
          throw cancelled(options.signal, error, unknown ? label : undefined);
        }
        const failure = classifyNetworkError(error);
        const code = networkCode(error) ?? 'unknown';
        // Nothing reached the console: the call used none of its limit.
        if (failure === 'before-send') release();
        const retryable =
          failure !== 'fatal' &&
          (policy.network === 'always' || (policy.network === 'before-send' && failure === 'before-send'));
        if (retryable && attempt < policy.maxAttempts) {
          const delay = backoffDelay(policy, attempt, this.budgets.scale, this.#random());
          this.#retry(endpoint, attempt, `network ${code}`, delay);
          await sleep(delay, options.signal).catch((e: unknown) => {
            throw waitStopped(
              options.signal,
              e,
              'S1QL_NETWORK',
              `${label}: cannot reach ${this.connection.host} (${code})`,
            );
          });
          continue;
        }
        const mayHaveStarted = policy.network === 'before-send' && failure === 'after-send';
        throw new RunnerError(
          'S1QL_NETWORK',
          mayHaveStarted
            ? `${label}: the connection to ${this.connection.host} failed after the request was sent (${code}); ` +
                'a query may have started, so it was not sent again. Check the network and run the command again.'
            : /SSL|TLS|CERT/i.test(code)
              ? `${label}: the TLS handshake with ${this.connection.host} failed (${code}). ` +
                (code.includes('WRONG_VERSION')
                  ? 'The server does not speak HTTPS there: for a local emulator, give the host as http://127.0.0.1:<port>.'
                  : 'Check the host name and the certificate chain (a proxy that inspects TLS needs its CA trusted).')
              : `${label}: cannot reach ${this.connection.host} (${code})${attempt > 1 ? ` after ${attempt} attempts` : ''}. ` +
                'Check the host name, the network and any proxy, then run the command again.',
          { cause: error },
        );
      } finally {
        flight.dispose();
      }
      if (status >= 200 && status < 300) return;
      // An answer that came within the grace is not retried: a refusal (4xx) started nothing; a 5xx may have.
      if (options.signal?.aborted) {
        throw cancelled(options.signal, undefined, flight.graced && status >= 500 ? label : undefined);
      }
      const body = apiError(bodyText());
      if (policy.statuses.includes(status) && attempt < policy.maxAttempts) {
        const now = Date.now();
        const serverDelay = status === 429 || status === 503 ? parseRetryAfter(retryAfter, now) : undefined;
        let delay: number;
        if (serverDelay !== undefined && serverDelay > policy.maxServerDelayMs) {
          throw new RunnerError(
            'S1QL_RATE_LIMIT',
            `${label}: the console asks for a pause of ${Math.round(serverDelay / 1000)} s before the next call ` +
              `(HTTP ${status}, Retry-After), longer than s1ql waits (${Math.round(policy.maxServerDelayMs / 1000)} s); ` +
              'another client may be using the same token. Run the command again later.',
            { status },
          );
        }
        if (serverDelay !== undefined) {
          // The server's word wins, and it holds for every caller of this budget.
          delay = serverDelay;
          budget.deferUntil(now + serverDelay);
        } else if (status === 429 && policy.rateLimitDelayMs !== undefined) {
          delay = Math.round(policy.rateLimitDelayMs * this.budgets.scale);
          budget.deferUntil(now + delay);
        } else {
          delay = backoffDelay(policy, attempt, this.budgets.scale, this.#random());
        }
        this.#retry(endpoint, attempt, `HTTP ${status}`, delay);
        await sleep(delay, options.signal).catch((e: unknown) => {
          throw status === 429
            ? waitStopped(options.signal, e, 'S1QL_RATE_LIMIT', `${label}: still rate limited (429)`)
            : waitStopped(options.signal, e, 'S1QL_NETWORK', `${label}: the console kept failing (HTTP ${status})`);
        });
        continue;
      }
      throw this.#statusError(endpoint, label, status, body, attempt, options.scoped === true);
    }
  }

  /** users/api-token-details: the token's dates. The token goes only in this request's body. */
  async tokenDetails(signal?: AbortSignal): Promise<{ createdAt?: unknown; expiresAt?: unknown }> {
    const body = await this.call<{ data?: { createdAt?: unknown; expiresAt?: unknown } }>('other', {
      method: 'POST',
      path: 'users/api-token-details',
      body: { data: { apiToken: tokenOf(this.connection) } },
      signal,
    });
    return body.data ?? {};
  }

  #retry(endpoint: Endpoint, attempt: number, reason: string, delayMs: number): void {
    this.retries++;
    this.#onRetry?.({ endpoint, attempt, reason, delayMs });
  }

  #statusError(
    endpoint: Endpoint,
    label: string,
    status: number,
    body: ApiErrorBody | undefined,
    attempts: number,
    scoped: boolean,
  ): RunnerError {
    const options = { status, ...(body?.code === undefined ? {} : { apiCode: body.code }) };
    // The console's own words, which may quote the token it refused.
    const detail = this.connection.redact(describe(body));
    if (status === 401) {
      return new RunnerError(
        'S1QL_AUTH',
        `${label}: the console refused the API token (401${detail}): it is wrong, revoked or expired. ` +
          'Create a new token in the console (My User > API token) and give it with S1_API_TOKEN or --token-file.',
        options,
      );
    }
    if (status === 403) {
      const probable = scoped
        ? 'the token’s scope probably does not cover the sites or accounts asked for (--site/--account); ' +
          'otherwise its role lacks the "SDL Data.viewEdr" permission or the account lacks the Complete SKU'
        : endpoint === 'init-query' || endpoint === 'query-status' || endpoint === 'events'
          ? 'the token’s role probably lacks the "SDL Data.viewEdr" (Deep Visibility) permission; ' +
            'if it has it, the token’s scope (site/account) or the account’s SKU (Deep Visibility needs Complete) is missing'
          : 'the token’s role lacks a permission this call needs, or its scope is too narrow';
      return new RunnerError(
        'S1QL_PERMISSION',
        `${label}: the console accepted the token but refused the call (403${detail}): ${probable}. ` +
          'Ask a console admin to grant it.',
        options,
      );
    }
    if (status === 429) {
      return new RunnerError(
        'S1QL_RATE_LIMIT',
        `${label}: still rate limited (429) after ${attempts === 1 ? 'one attempt' : `${attempts} attempts`}; another client may be using the same token. ` +
          'Wait a few minutes and run the command again.',
        options,
      );
    }
    if (status === 404 && body?.code === 4040010) {
      return new RunnerError(
        'S1QL_EXPIRED',
        `${label}: the query is no longer known to the console (404${detail})`,
        options,
      );
    }
    if (status === 400 && body?.code === 4000040) {
      return new RunnerError(
        'S1QL_SYNTAX',
        `${label}: the console rejected the query's syntax (400${detail}). Check it with "s1ql parse".`,
        options,
      );
    }
    if (status >= 500) {
      return new RunnerError(
        'S1QL_NETWORK',
        endpoint === 'init-query'
          ? `${label}: the console failed (HTTP ${status}${detail}); a query may have started, so it was not sent again. Run the command again later.`
          : `${label}: the console kept failing (HTTP ${status}${detail}) after ${attempts === 1 ? 'one attempt' : `${attempts} attempts`}. Run the command again later.`,
        options,
      );
    }
    // Consoles differ on the largest init-query limit (20000 on older ones, 100000 in the current spec).
    const most = endpoint === 'init-query' && status === 400 ? /\blimit\b.*?(\d+)\s*$/i.exec(body?.detail ?? '') : null;
    if (most !== null) {
      return new RunnerError(
        'S1QL_QUERY_FAILED',
        `${label}: the console refused the limit (400${detail}): this console returns at most ${most[1]} events ` +
          `per query; give --limit ${most[1]} or less, and a shorter window (--last, --from/--to) for the rest.`,
        options,
      );
    }
    return new RunnerError(
      'S1QL_QUERY_FAILED',
      `${label}: the console refused the request (HTTP ${status}${detail})`,
      options,
    );
  }
}

/**
 * The error of a call stopped by its signal: the signal's reason. `inFlight` names a request that was sent and
 * whose outcome is unknown: the error says so (`cancel: 'unknown'`), since it may have started a query.
 */
function cancelled(signal: AbortSignal | undefined, cause: unknown, inFlight?: string): RunnerError {
  const reason = signal?.reason;
  const stopped = reason instanceof RunnerError ? reason : new RunnerError('S1QL_CANCELLED', 'cancelled', { cause });
  if (inFlight === undefined) return stopped;
  return new RunnerError(
    stopped.code,
    `${stopped.message}; ${inFlight} was in flight and its outcome is unknown: a query may still be running on the console`,
    { cause: cause ?? stopped, cancel: 'unknown' },
  );
}

/**
 * A wait before a retry cut short. When the run's time ran out, the cause is what the run was waiting out (rate
 * limiting or an unreachable console, exit 5), not a slow query: that is the error, with the timeout said too.
 */
function waitStopped(
  signal: AbortSignal | undefined,
  cause: unknown,
  code: 'S1QL_RATE_LIMIT' | 'S1QL_NETWORK',
  what: string,
): RunnerError {
  const reason = signal?.reason;
  if (!(reason instanceof RunnerError) || reason.code !== 'S1QL_TIMEOUT') return cancelled(signal, cause);
  return new RunnerError(code, `${what} when the time ran out (${reason.message})`, { cause: reason });
}

interface Flight {
  /** The request's own signal. */
  readonly signal: AbortSignal | undefined;
  /** True once the caller's signal aborted during this request and the grace let it go on. */
  readonly graced: boolean;
  dispose(): void;
}

/** The signal of one request: the caller's, or with a grace, one that aborts `graceMs` after the caller's does. */
function inFlight(signal: AbortSignal | undefined, graceMs: number | undefined): Flight {
  if (signal === undefined || graceMs === undefined) return { signal, graced: false, dispose: () => undefined };
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let graced = false;
  const onAbort = (): void => {
    graced = true;
    timer = setTimeout(() => controller.abort(signal.reason), Math.max(0, graceMs));
  };
  if (signal.aborted) onAbort();
  else signal.addEventListener('abort', onAbort, { once: true });
  return {
    signal: controller.signal,
    get graced() {
      return graced;
    },
    dispose: () => {
      signal.removeEventListener('abort', onAbort);
      if (timer !== undefined) clearTimeout(timer);
    },
  };
}

async function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  try {
    return await promise;
  } catch (error) {
    throw cancelled(signal, error);
  }
}
