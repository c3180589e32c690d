/**
 * runQuery: init -> poll -> page -> events, with backpressure, shared rate budgets, cancel on abort/timeout,
 * and recovery from expired queries and cursors.
 *
 * Recovery (re-run and resume) and its limits: the window is fixed at absolute dates on the first run (a `last`
 * window does not slide), so a re-run asks the same question. The re-run skips the events already delivered by
 * position, and checks continuity: the event just before the resume point must have the same identity (`id`, else
 * the whole event) as the last one delivered, and the re-run must reach that point. If either check fails the
 * results changed between runs (late-arriving telemetry, retention) and the run fails with S1QL_EXPIRED rather than
 * duplicate or lose events. Re-runs count against the init-query budget (1 a minute) and are bounded by `maxReruns`.
 */
import { type Diagnostic, parse, printCompact } from '@s1ql/language';
import { type Budgets, sleep } from './budgets.ts';
import { callInto, DvClient } from './client.ts';
import type { Connection } from './connection.ts';
import { type CancelOutcome, RunnerError } from './errors.ts';
import { type EventsPage, PageBuffer, peekNextCursor, readEventsPageBytes } from './page.ts';
import { CANCEL_POLICY, GET_POLICY, INIT_POLICY } from './retry.ts';
import { classifyState, progressOf, type StateClass } from './states.ts';

export type DvEvent = Readonly<Record<string, unknown>>;

export interface RunOptions {
  /** Where to send it: a connection (the run makes and closes its own client) or a shared client. */
  readonly connection?: Connection;
  readonly client?: DvClient;
  readonly from?: Date | string;
  readonly to?: Date | string;
  /** A window ending now, in ms (used when `from` is not given; default 24 h). */
  readonly last?: number;
  /** Events asked of init-query (default 20000, what old and new consoles accept). */
  readonly limit?: number;
  readonly siteIds?: readonly string[];
  readonly accountIds?: readonly string[];
  /** Events per dv/events page, 1-1000 (default 1000). */
  readonly pageSize?: number;
  /** The whole run, init to last page; then the query is cancelled and the run fails with S1QL_TIMEOUT. */
  readonly timeoutMs?: number;
  /** Aborting cancels the query, and the run fails with S1QL_CANCELLED. */
  readonly signal?: AbortSignal;
  /**
   * When an abort or the timeout comes while dv/init-query is in flight, how long that request may still take to
   * answer (default 5 s, not retried), so that the query it may have started is cancelled rather than left running.
   * The error says which happened (RunnerError.cancel).
   */
  readonly abortGraceMs?: number;
  /** Shared budgets when the run makes its own client (default: the process-wide registry). */
  readonly budgets?: Budgets;
  /** Re-runs allowed after an expired/cancelled query or cursor (default 2). */
  readonly maxReruns?: number;
  readonly onProgress?: (progress: RunProgress) => void;
}

export interface RunProgress {
  readonly queryId: string | undefined;
  readonly state: string;
  /** 0-100 while running, as the console reports it. */
  readonly progress: number | undefined;
  readonly pages: number;
  readonly events: number;
  readonly totalItems: number | undefined;
  readonly reruns: number;
}

export interface RunSummary {
  readonly queryId: string;
  readonly state: string;
  readonly totalItems: number | undefined;
  readonly delivered: number;
  /** The result reached the requested limit: more events may exist. */
  readonly truncated: boolean;
  /** False when the consumer stopped reading before the last page. */
  readonly complete: boolean;
  readonly elapsedMs: number;
  readonly retries: number;
  readonly reruns: number;
  readonly fromDate: string;
  readonly toDate: string;
  /** The one-line query text sent. */
  readonly query: string;
}

export interface RunHandle extends AsyncIterable<DvEvent> {
  /**
   * The events as JSON text instead of objects, each as UTF-8 bytes on one line: what writing them out needs,
   * without parsing and serializing every event again. The bytes are the console's own where its page could be
   * read as is (numbers keep every digit), otherwise the event serialized again. A view into the page being read:
   * valid until the next one is asked for (copy it to keep it). A handle is read once, as objects or as JSON.
   */
  json(): AsyncIterable<Uint8Array>;
  /** Resolves when the run ends; rejects with a RunnerError. Reading the events drives the run. */
  readonly summary: Promise<RunSummary>;
  /** `progress` events: CustomEvent<RunProgress>. */
  readonly progress: EventTarget;
  /** Stops the run: cancels the query if it is still running. */
  cancel(): void;
}

export const DEFAULT_LIMIT = 20_000;
/** How long an init-query in flight at an abort may still answer (RunOptions.abortGraceMs). */
export const DEFAULT_ABORT_GRACE_MS = 5_000;
/** The bound on cancelling a query when a run stops early (dv/cancel-query, its retries included). */
const CANCEL_TIMEOUT_MS = 10_000;
const DEFAULT_WINDOW_MS = 24 * 60 * 60 * 1000;
const MAX_POLL_MS = 10_000;

interface Window {
  readonly fromDate: string;
  readonly toDate: string;
}

function toDate(value: Date | string, name: string): Date {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) {
    throw new RunnerError('S1QL_CONFIG', `${name} is not a valid date: use ISO-8601 such as 2026-11-01T00:00:00Z`);
  }
  return date;
}

/** The absolute window, fixed once so re-runs ask the same question. */
export function resolveWindow(options: Pick<RunOptions, 'from' | 'to' | 'last'>, now = Date.now()): Window {
  const to = options.to === undefined ? new Date(now) : toDate(options.to, '--to');
  const from =
    options.from === undefined
      ? new Date(to.getTime() - (options.last ?? DEFAULT_WINDOW_MS))
      : toDate(options.from, '--from');
  if (from.getTime() >= to.getTime()) {
    throw new RunnerError(
      'S1QL_CONFIG',
      `the window is empty: --from ${from.toISOString()} is not before --to ${to.toISOString()}`,
    );
  }
  return { fromDate: from.toISOString(), toDate: to.toISOString() };
}

/** Parses the query locally: a syntax error costs no API call. Returns the one-line text to send. */
export function prepareQuery(query: string): string {
  const { ast, diagnostics } = parse(query);
  const errors = diagnostics.filter((d: Diagnostic) => d.severity === 'error');
  if (errors.length > 0 || ast.expr === null || ast.expr === undefined) {
    const first = errors[0];
    const where =
      first === undefined ? '' : ` at ${first.range.start.line}:${first.range.start.column}: ${first.message}`;
    throw new RunnerError(
      'S1QL_SYNTAX',
      errors.length === 0
        ? 'the query is empty'
        : `the query has ${errors.length} syntax error${errors.length === 1 ? '' : 's'}${where}; nothing was sent`,
      { exitCode: 1, diagnostics: errors },
    );
  }
  return printCompact(ast);
}

/** One turn of the event loop: what is ready to run (I/O, immediates) runs first. */
function turn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function eventKey(event: DvEvent): string {
  const id = event.id;
  return typeof id === 'string' || typeof id === 'number' ? `id:${id}` : `json:${JSON.stringify(event)}`;
}

interface StatusBody {
  readonly data?: {
    readonly responseState?: unknown;
    readonly progressStatus?: unknown;
    readonly responseError?: unknown;
  };
}

/** A reason to re-run the query rather than fail: expired or cancelled by the console, or a stale cursor. */
class Rerun extends Error {
  readonly error: RunnerError;
  constructor(error: RunnerError) {
    super(error.message);
    this.error = error;
  }
}

interface Stop {
  readonly outcome: CancelOutcome;
  readonly queryId: string | undefined;
  readonly cancelError: unknown;
  readonly graceMs: number;
  readonly cause: unknown;
}

/** The error of a run stopped by an abort or its timeout, saying truthfully what became of its query. */
function stopped(reason: RunnerError, stop: Stop): RunnerError {
  const { outcome, queryId } = stop;
  let what: string;
  switch (outcome) {
    case 'sent':
      what = `the query was cancelled on the console (cancel sent for ${queryId})`;
      break;
    case 'failed': {
      // Its own bound running out surfaces as S1QL_CANCELLED (the timeout signal's reason is not a RunnerError).
      const error = stop.cancelError;
      const why =
        error instanceof RunnerError && error.code !== 'S1QL_CANCELLED'
          ? error.code
          : `no answer within ${CANCEL_TIMEOUT_MS / 1000} s`;
      what =
        `cancelling ${queryId} failed (${why}), so the query may still be running on the console ` +
        'until it finishes or expires';
      break;
    }
    case 'unknown':
      what =
        `dv/init-query was in flight and its outcome could not be learned within ${Math.round(stop.graceMs / 100) / 10} s, ` +
        'so a query may still be running on the console (its id is unknown) until it finishes or expires';
      break;
    case 'not-needed':
      what =
        queryId === undefined
          ? 'no query had been started on the console'
          : `the query ${queryId} had already ended on the console`;
      break;
  }
  const advice = reason.code === 'S1QL_TIMEOUT' ? '. Narrow the window or raise --timeout' : '';
  return new RunnerError(reason.code, `${reason.message}; ${what}${advice}`, {
    cause: stop.cause ?? stop.cancelError,
    ...(queryId === undefined ? {} : { queryId }),
    cancel: outcome,
  });
}

export function runQuery(query: string, options: RunOptions): RunHandle {
  const progressTarget = new EventTarget();
  const controller = new AbortController();
  const started = Date.now();
  let summaryResolve!: (s: RunSummary) => void;
  let summaryReject!: (e: unknown) => void;
  const summary = new Promise<RunSummary>((resolve, reject) => {
    summaryResolve = resolve;
    summaryReject = reject;
  });
  // Callers that only iterate must not get an unhandled rejection from the summary.
  summary.catch(() => undefined);

  // The reason says why the run stopped; what became of its query is added when the run ends (see `stopped`).
  const onUserAbort = (): void => {
    controller.abort(new RunnerError('S1QL_CANCELLED', 'the run was cancelled'));
  };
  if (options.signal?.aborted) onUserAbort();
  else options.signal?.addEventListener('abort', onUserAbort, { once: true });

  let iterated = false;
  const once = (): void => {
    if (iterated) throw new Error('a RunHandle can be iterated once');
    iterated = true;
  };
  const handle: RunHandle = {
    summary,
    progress: progressTarget,
    cancel: onUserAbort,
    [Symbol.asyncIterator](): AsyncIterator<DvEvent> {
      once();
      return generate((page, i) => page.event(i) as DvEvent);
    },
    json(): AsyncIterable<Uint8Array> {
      once();
      return { [Symbol.asyncIterator]: () => generate((page, i) => page.json(i)) };
    },
  };

  /** The run, delivering each event as `read` takes it from its page. */
  async function* generate<T>(read: (page: EventsPage, index: number) => T): AsyncGenerator<T> {
    const signal = controller.signal;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const ownClient = options.client === undefined;
    let client: DvClient | undefined;
    let queryId: string | undefined;
    let state = 'NOT_STARTED';
    let stateClass: StateClass = 'running';
    let delivered = 0;
    let pages = 0;
    let reruns = 0;
    let totalItems: number | undefined;
    let lastKey: string | undefined;
    let complete = false;
    let finished = false;
    let retriesAtStart = 0;
    // True while dv/init-query is being called: an abort then leaves its outcome to learn.
    let initInFlight = false;
    const graceMs = Math.max(0, options.abortGraceMs ?? DEFAULT_ABORT_GRACE_MS);
    // The query is cancelled once at most, when the run stops before the console finished it.
    let cancelTried = false;
    const cancelRunning = async (): Promise<{ readonly outcome: CancelOutcome; readonly error?: unknown }> => {
      if (cancelTried || client === undefined || queryId === undefined || stateClass !== 'running') {
        return { outcome: 'not-needed' };
      }
      cancelTried = true;
      try {
        // Paced and retried like any call on this token (CANCEL_POLICY), within a bound of its own.
        await client.call('cancel-query', {
          method: 'POST',
          path: 'dv/cancel-query',
          body: { queryId },
          signal: AbortSignal.timeout(CANCEL_TIMEOUT_MS),
          policy: CANCEL_POLICY,
        });
        return { outcome: 'sent' };
      } catch (error) {
        return { outcome: 'failed', error };
      }
    };
    // Aborts a prefetched page when the run stops early.
    let pageController: AbortController | undefined;
    const spare: PageBuffer[] = [];
    try {
      const text = prepareQuery(query);
      const window = resolveWindow(options);
      const limit = options.limit ?? DEFAULT_LIMIT;
      if (!Number.isInteger(limit) || limit < 1)
        throw new RunnerError('S1QL_CONFIG', '--limit must be a whole number >= 1');
      const pageSize = Math.max(1, Math.min(1000, Math.floor(options.pageSize ?? 1000)));
      const maxReruns = options.maxReruns ?? 2;
      if (options.client === undefined && options.connection === undefined) {
        throw new TypeError('runQuery needs a connection or a client');
      }
      client =
        options.client ??
        new DvClient(
          options.connection as Connection,
          options.budgets === undefined ? {} : { budgets: options.budgets },
        );
      retriesAtStart = client.retries;
      const scale = client.budgets.scale;
      if (options.timeoutMs !== undefined) {
        timer = setTimeout(() => {
          const seconds = Math.round((options.timeoutMs ?? 0) / 1000);
          // A query the console has finished is not called unfinished: its results were still being read.
          const what =
            stateClass === 'done'
              ? `the run did not finish within ${seconds} s while reading the query's results`
              : `the query did not finish within ${seconds} s`;
          controller.abort(new RunnerError('S1QL_TIMEOUT', what));
        }, options.timeoutMs);
      }
      const emit = (progress: number | undefined): void => {
        const detail: RunProgress = { queryId, state, progress, pages, events: delivered, totalItems, reruns };
        options.onProgress?.(detail);
        progressTarget.dispatchEvent(new CustomEvent('progress', { detail }));
      };
      const c = client;

      for (;;) {
        // 1. init-query
        const body: Record<string, unknown> = {
          query: text,
          fromDate: window.fromDate,
          toDate: window.toDate,
          limit,
          queryType: ['events'],
        };
        if (options.siteIds !== undefined && options.siteIds.length > 0) body.siteIds = [...options.siteIds];
        if (options.accountIds !== undefined && options.accountIds.length > 0)
          body.accountIds = [...options.accountIds];
        const scoped = body.siteIds !== undefined || body.accountIds !== undefined;
        state = 'INIT';
        stateClass = 'running';
        // A re-run's previous query has ended (cancelled or expired by the console): there is none to cancel.
        queryId = undefined;
        initInFlight = true;
        const init = await c.call<{ data?: { queryId?: unknown } }>('init-query', {
          method: 'POST',
          path: 'dv/init-query',
          body,
          signal,
          // An abort now lets the request answer, so a query it started is cancelled, not left running.
          abortGraceMs: graceMs,
          policy: INIT_POLICY,
          scoped,
        });
        const id = init.data?.queryId;
        if (typeof id !== 'string' || id === '') {
          throw new RunnerError('S1QL_BAD_RESPONSE', 'dv/init-query answered without a queryId');
        }
        queryId = id;
        initInFlight = false;
        // Aborted while init-query was answering: the query it started is cancelled on the way out.
        if (signal.aborted) throw signal.reason;
        state = 'STARTED';
        emit(0);

        try {
          // 2. poll until a done state, adaptively: from the 1/s limit, x1.5 up to 10 s while progress stands still.
          const base = 1000 * scale;
          let interval = base;
          let lastProgress: number | undefined;
          for (;;) {
            let status: StatusBody;
            try {
              status = await c.call<StatusBody>('query-status', {
                method: 'GET',
                path: 'dv/query-status',
                query: { queryId },
                signal,
                policy: GET_POLICY,
                scoped,
              });
            } catch (error) {
              if (error instanceof RunnerError && error.code === 'S1QL_EXPIRED') throw new Rerun(error);
              throw error;
            }
            const data = status.data;
            if (data === undefined || data === null || typeof data !== 'object') {
              throw new RunnerError('S1QL_BAD_RESPONSE', 'dv/query-status answered without data', { queryId });
            }
            // Text from the console, shown in messages: it may quote the token.
            state = c.connection.redact(
              typeof data.responseState === 'string' ? data.responseState : String(data.responseState),
            );
            stateClass = classifyState(data.responseState);
            const progress = progressOf(data.progressStatus);
            emit(progress);
            if (stateClass === 'done') break;
            if (stateClass === 'failed') {
              const why =
                typeof data.responseError === 'string' && data.responseError !== ''
                  ? c.connection.redact(data.responseError)
                  : 'no reason given';
              throw new RunnerError('S1QL_QUERY_FAILED', `the console failed the query (${state}): ${why}`, {
                queryId,
              });
            }
            if (stateClass === 'cancelled' || stateClass === 'expired') {
              throw new Rerun(
                new RunnerError(
                  stateClass === 'cancelled' ? 'S1QL_CANCELLED' : 'S1QL_EXPIRED',
                  `the console ${stateClass === 'cancelled' ? 'cancelled' : 'expired'} the query (${state})`,
                  { queryId },
                ),
              );
            }
            if (progress !== lastProgress) interval = base;
            else interval = Math.min(interval * 1.5, MAX_POLL_MS * scale);
            lastProgress = progress;
            await sleep(interval, signal).catch((e: unknown) => {
              throw signal.reason instanceof RunnerError ? signal.reason : e;
            });
          }

          // 3. page; on a re-run, skip what was delivered and check continuity. The next page is fetched while
          // the consumer reads this one (one page ahead at most: backpressure still holds), so the server's
          // work and ours overlap. It is asked for as soon as this page has arrived, with the cursor read from the
          // end of its body, before the page is checked and read in full; if the full read finds another cursor,
          // that request is dropped and the right one made.
          const skip = delivered;
          let index = 0;
          let emptyPages = 0;
          // Page bodies are read into buffers reused from page to page: the one being read out and the one being
          // prefetched. A buffer is back in `spare` once its page is read out, or its fetch failed.
          interface Fetch {
            readonly cursor: string | undefined;
            readonly controller: AbortController;
            readonly body: Promise<PageBuffer>;
          }
          const fetchPage = (cursor: string | undefined): Fetch => {
            const controller = new AbortController();
            const body = (async () => {
              const buffer = spare.pop() ?? new PageBuffer();
              try {
                await callInto(
                  c,
                  'events',
                  {
                    method: 'GET',
                    path: 'dv/events',
                    query: { queryId, limit: pageSize, cursor },
                    signal: AbortSignal.any([pageSignal, controller.signal]),
                    policy: GET_POLICY,
                    scoped,
                  },
                  buffer,
                );
              } catch (error) {
                spare.push(buffer);
                if (error instanceof RunnerError && error.code === 'S1QL_EXPIRED') throw new Rerun(error);
                // A 400 on a cursor page: the cursor went stale.
                if (error instanceof RunnerError && error.status === 400 && cursor !== undefined) {
                  throw new Rerun(
                    new RunnerError('S1QL_EXPIRED', `the result cursor expired (${error.message})`, {
                      cause: error,
                      queryId,
                    }),
                  );
                }
                throw error;
              }
              return buffer;
            })();
            // Its failure is handled when the consumer reaches it, or not at all when it is dropped.
            body.catch(() => undefined);
            return { cursor, controller, body };
          };
          const readPage = (buffer: PageBuffer): EventsPage => {
            let page: EventsPage | undefined;
            try {
              page = readEventsPageBytes(buffer.bytes);
            } catch (error) {
              spare.push(buffer);
              throw c.notJson({ method: 'GET', path: 'dv/events' }, error);
            }
            if (page === undefined || page.pagination === undefined || page.pagination === null) {
              spare.push(buffer);
              throw new RunnerError('S1QL_BAD_RESPONSE', 'dv/events answered without data[] and pagination', {
                queryId,
              });
            }
            return page;
          };
          /** Room under the limit for events on the page after this one, if this one holds `onPage`. */
          const roomAfter = (onPage: number): boolean =>
            delivered + Math.max(0, onPage - Math.max(0, skip - index)) < limit;
          pageController = new AbortController();
          const pageSignal = AbortSignal.any([signal, pageController.signal]);
          let pending: Fetch | undefined = fetchPage(undefined);
          paging: while (pending !== undefined) {
            const buffer = await pending.body;
            pending = undefined;
            // Ahead of the full read, only while even a full page leaves room under the limit.
            const guess = peekNextCursor(buffer.bytes);
            if (guess !== undefined && roomAfter(pageSize)) {
              pending = fetchPage(guess);
              // Let the request go out before the page is read in full (a few ms of work that never yields): its
              // budget, the pool's dispatch and the socket write take two turns of the event loop (measured).
              await turn();
              await turn();
            }
            const page = readPage(buffer);
            pages++;
            const pagination = page.pagination as { nextCursor?: unknown; totalItems?: unknown };
            const total = pagination.totalItems;
            if (typeof total === 'number') totalItems = total;
            else if (typeof total === 'string' && /^\d+$/.test(total)) totalItems = Number(total);
            const next = pagination.nextCursor;
            const more = !(next === null || next === undefined || next === '');
            if (more && typeof next !== 'string')
              throw new RunnerError('S1QL_BAD_RESPONSE', 'dv/events: nextCursor is not a string', { queryId });
            if (more && page.length === 0 && ++emptyPages > 20) {
              throw new RunnerError('S1QL_BAD_RESPONSE', 'dv/events keeps returning empty pages with a cursor', {
                queryId,
              });
            }
            if (page.length > 0) emptyPages = 0;
            if (pending !== undefined && (!more || pending.cursor !== next || !roomAfter(page.length))) {
              // Asked for with a cursor the full read does not confirm, or past the limit after all: dropped.
              pending.controller.abort();
              await pending.body.catch(() => undefined);
              pending = undefined;
            }
            // Prefetch only while the limit leaves room for more events.
            if (more && pending === undefined && roomAfter(page.length)) pending = fetchPage(next as string);
            let last = -1;
            for (let i = 0; i < page.length; i++) {
              if (index < skip) {
                if (index === skip - 1 && eventKey(page.event(i) as DvEvent) !== lastKey) {
                  throw new RunnerError(
                    'S1QL_EXPIRED',
                    `the query expired after ${delivered} events and its re-run returned different results at that point; ` +
                      'stopping rather than duplicating or losing events. Run it again, or narrow the window.',
                    { queryId },
                  );
                }
                index++;
                continue;
              }
              if (delivered >= limit) break paging;
              let event: T;
              try {
                event = read(page, i);
              } catch (error) {
                throw c.notJson({ method: 'GET', path: 'dv/events' }, error);
              }
              index++;
              delivered++;
              last = i;
              yield event;
            }
            // The identity a re-run checks continuity against, taken once per page while its bytes are valid: a
            // re-run starts only between pages.
            if (last >= 0) lastKey = eventKey(page.event(last) as DvEvent);
            emit(100);
            // Read out: its buffer can take the page after next.
            spare.push(buffer);
            if (more && pending === undefined && delivered < limit) pending = fetchPage(next as string);
          }
          pageController.abort();
          pageController = undefined;
          if (index < skip) {
            throw new RunnerError(
              'S1QL_EXPIRED',
              `the query expired after ${delivered} events and its re-run returned only ${index}; ` +
                'stopping rather than returning a short result. Run it again.',
              { queryId },
            );
          }
          const expected = totalItems === undefined ? undefined : Math.min(totalItems, limit);
          if (expected !== undefined && delivered < expected) {
            throw new RunnerError(
              'S1QL_BAD_RESPONSE',
              `dv/events ended after ${delivered} events but the console counted ${totalItems}; the result would be short`,
              { queryId },
            );
          }
          complete = true;
          break;
        } catch (error) {
          if (!(error instanceof Rerun)) throw error;
          if (reruns >= maxReruns) {
            throw new RunnerError(
              error.error.code,
              `${error.error.message}; re-ran it ${reruns} time${reruns === 1 ? '' : 's'}, giving up. Run it again later or narrow the window.`,
              { cause: error.error, queryId },
            );
          }
          reruns++;
          stateClass = 'running';
        }
      }
      finished = true;
      summaryResolve({
        queryId,
        state,
        totalItems,
        delivered,
        truncated: delivered >= limit,
        complete,
        elapsedMs: Date.now() - started,
        retries: c.retries - retriesAtStart,
        reruns,
        fromDate: window.fromDate,
        toDate: window.toDate,
        query: text,
      } as RunSummary);
    } catch (error) {
      finished = true;
      const reason = controller.signal.reason;
      // Leave no query running, before the failure is reported (a caller may exit on it).
      const { outcome, error: cancelError } = await cancelRunning();
      // The time ran out while the client waited out rate limiting or an unreachable console: that is the cause.
      const waited =
        error instanceof RunnerError &&
        error.cause === reason &&
        (error.code === 'S1QL_RATE_LIMIT' || error.code === 'S1QL_NETWORK');
      const mapped =
        controller.signal.aborted && reason instanceof RunnerError
          ? stopped(waited ? error : reason, {
              // init-query failed in flight other than by the abort itself (no answer within the grace, a 5xx, a
              // broken connection): a query may have started.
              // (A wait before retrying init-query follows a refusal or a failure before sending: nothing started.)
              outcome: initInFlight && error !== reason && !waited ? 'unknown' : outcome,
              queryId,
              cancelError,
              graceMs,
              cause: error === reason ? undefined : error,
            })
          : error instanceof RunnerError
            ? error
            : error instanceof TypeError
              ? error
              : new RunnerError('S1QL_NETWORK', `the run failed: ${(error as Error)?.message ?? String(error)}`, {
                  cause: error,
                });
      summaryReject(mapped);
      throw mapped;
    } finally {
      pageController?.abort();
      if (timer !== undefined) clearTimeout(timer);
      options.signal?.removeEventListener('abort', onUserAbort);
      // Leave no query running: cancel when the consumer stops reading before the console finished it.
      await cancelRunning();
      if (!finished) {
        // The consumer stopped reading early.
        summaryResolve({
          queryId: queryId ?? '',
          state,
          totalItems,
          delivered,
          truncated: false,
          complete: false,
          elapsedMs: Date.now() - started,
          retries: (client?.retries ?? 0) - retriesAtStart,
          reruns,
          fromDate: '',
          toDate: '',
          query: '',
        });
      }
      if (ownClient && client !== undefined) await client.close();
    }
  }

  return handle;
}
