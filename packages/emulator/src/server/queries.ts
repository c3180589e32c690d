/**
 * Deep Visibility queries as the emulator runs them: evaluated by the engine over the event source in the
 * background, in slices so the server stays responsive, with results kept as indices into the source (never
 * copies of events) and states reported on a simulated clock.
 */
import type { DvEvent } from '@s1ql/engine';
import type { EventSource } from './event-source.ts';
import { type FaultState, type StateClass, stateClass } from './faults.ts';

export interface QueryTiming {
  /** Simulated run time: states progress over it even when evaluation is faster. */
  readonly durationMs: number;
  /** How long finished results stay available; after it the query reports QUERY_EXPIRED and pages get 404. */
  readonly resultTtlMs: number;
  /** How long an issued cursor stays valid. */
  readonly cursorTtlMs: number;
}

export interface QueryRequest {
  readonly id: string;
  readonly tokenKey: string;
  readonly test: (event: DvEvent) => boolean;
  readonly fromMs: number;
  readonly toMs: number;
  readonly limit: number;
  readonly siteIds: ReadonlySet<string> | null;
  readonly accountIds: ReadonlySet<string> | null;
  readonly forcedState: FaultState | null;
}

interface Cursor {
  readonly offset: number;
  readonly type: string | null;
  readonly issuedAt: number;
  /** Set once the cursor has been refused as expired, so it stays expired. */
  readonly expired?: boolean;
}

/** Events evaluated per slice: a few ms, so the evaluation loop can stop between slices (see server.ts's pump). */
const SLICE = 2_000;

export class QueryRun {
  readonly id: string;
  readonly tokenKey: string;
  readonly createdAt: number;
  readonly request: QueryRequest;
  #matches = new Uint32Array(1024);
  #total = 0;
  /** Source range to evaluate: [#from, #to). */
  readonly #from: number;
  readonly #to: number;
  #next: number;
  evaluationDone = false;
  evaluationDoneAt = 0;
  cancelledAt: number | null = null;
  cancelledProgress = 0;
  expired = false;
  statusPolls = 0;
  readonly cursors = new Map<string, Cursor>();
  readonly #byType = new Map<string, Uint32Array>();
  readonly #source: EventSource;
  readonly #timing: QueryTiming;
  #error: string | null = null;

  constructor(request: QueryRequest, source: EventSource, timing: QueryTiming, now: number) {
    this.id = request.id;
    this.tokenKey = request.tokenKey;
    this.request = request;
    this.createdAt = now;
    this.#source = source;
    this.#timing = timing;
    const [from, to] = source.sorted ? timeRange(source, request.fromMs, request.toMs) : [0, source.count];
    this.#from = from;
    this.#to = to;
    this.#next = from;
  }

  get total(): number {
    return this.#total;
  }

  /** Evaluates one slice; returns true when evaluation is complete. */
  step(now: number): boolean {
    if (this.evaluationDone) return true;
    const { test, fromMs, toMs, limit, siteIds, accountIds } = this.request;
    const source = this.#source;
    const sorted = source.sorted;
    const end = Math.min(this.#to, this.#next + SLICE);
    let i = this.#next;
    try {
      for (; i < end && this.#total < limit; i++) {
        if (!sorted) {
          const t = source.timeAt(i);
          if (!(t >= fromMs && t < toMs)) continue;
        }
        const event = source.eventAt(i);
        if (siteIds !== null && !siteIds.has(String(event.siteId))) continue;
        if (accountIds !== null && !accountIds.has(String(event.accountId))) continue;
        if (test(event)) this.#push(i);
      }
    } catch (error) {
      // An engine bug must not crash the server: the query fails, as a real one would.
      this.#error = `Internal error while evaluating the query: ${error instanceof Error ? error.message : String(error)}`;
      i = this.#to;
    }
    this.#next = i;
    if (i >= this.#to || this.#total >= limit) {
      this.evaluationDone = true;
      this.evaluationDoneAt = now;
    }
    return this.evaluationDone;
  }

  #push(index: number): void {
    if (this.#total === this.#matches.length) {
      const bigger = new Uint32Array(this.#matches.length * 2);
      bigger.set(this.#matches);
      this.#matches = bigger;
    }
    this.#matches[this.#total++] = index;
  }

  /** Fraction of the work done, on the simulated clock and on the real evaluation, whichever is behind. */
  progress(now: number): number {
    const timeFraction =
      this.#timing.durationMs <= 0 ? 1 : Math.min(1, (now - this.createdAt) / this.#timing.durationMs);
    const span = this.#to - this.#from;
    const evalFraction = this.evaluationDone ? 1 : span <= 0 ? 1 : (this.#next - this.#from) / span;
    return Math.min(timeFraction, evalFraction);
  }

  finishedAt(): number | null {
    if (!this.evaluationDone) return null;
    return Math.max(this.evaluationDoneAt, this.createdAt + this.#timing.durationMs);
  }

  /** The class of the forced state, if any. */
  get #forcedClass(): StateClass | null {
    const forced = this.request.forcedState;
    return forced === null ? null : stateClass(forced);
  }

  /**
   * True when the query ends in a forced running or unknown state: it never leaves it on its own (no results, no
   * expiry, never forgotten); only cancel-query ends it.
   */
  get #stuck(): boolean {
    const c = this.#forcedClass;
    return c === 'running' || c === 'unknown';
  }

  /** The state the API would report now, with its progress. */
  state(now: number): { state: string; progress: number; error?: string } {
    if (this.cancelledAt !== null) return { state: 'QUERY_CANCELLED', progress: this.cancelledProgress };
    const finished = this.finishedAt();
    const done = finished !== null && now >= finished;
    if (this.#error !== null && done) return { state: 'FAILED', progress: 100, error: this.#error };
    const forced = this.request.forcedState;
    if (forced !== null && done && this.#stuck) return { state: forced, progress: 99 };
    if (this.expired || (done && now >= finished + this.#timing.resultTtlMs)) {
      return { state: 'QUERY_EXPIRED', progress: 100 };
    }
    if (done) {
      if (forced !== null) {
        if (this.#forcedClass === 'failed') {
          return {
            state: forced,
            progress: 100,
            error:
              forced === 'QUERY_NOT_FOUND'
                ? 'Query not found: the search backend lost the query (fault injected by the emulator)'
                : 'Query failed: the search backend returned an error (fault injected by the emulator)',
          };
        }
        return { state: forced, progress: 100 };
      }
      return { state: this.#total > 0 ? 'FINISHED' : 'EMPTY_RESULTS', progress: 100 };
    }
    const fraction = this.progress(now);
    const progress = Math.min(99, Math.floor(fraction * 100));
    const state =
      fraction < 0.1 ? 'RUNNING' : fraction < 0.3 ? 'PLANNING' : fraction < 0.7 ? 'QUERY_RUNNING' : 'EVENTS_RUNNING';
    return { state, progress };
  }

  /** The matches, all or of one object type (`dv/events/{type}`), as source indices. */
  indices(type: string | null): Uint32Array {
    // A forced EMPTY_RESULTS has no results, whatever matched.
    if (this.request.forcedState === 'EMPTY_RESULTS') return new Uint32Array(0);
    const all = this.#matches.subarray(0, this.#total);
    if (type === null) return all;
    let filtered = this.#byType.get(type);
    if (!filtered) {
      const kept: number[] = [];
      for (const index of all) {
        const objectType = this.#source.eventAt(index).objectType;
        if (typeof objectType === 'string' && objectType.toLowerCase() === type) kept.push(index);
      }
      filtered = Uint32Array.from(kept);
      this.#byType.set(type, filtered);
    }
    return filtered;
  }

  eventAt(index: number): DvEvent {
    return this.#source.eventAt(index);
  }

  /**
   * True once the query can be forgotten (twice the result lifetime after it finished or was cancelled); a query
   * stuck in a forced running or unknown state is kept until it is cancelled.
   */
  collectable(now: number): boolean {
    const end = this.cancelledAt ?? (this.#stuck ? null : this.finishedAt());
    return end !== null && now >= end + 2 * this.#timing.resultTtlMs;
  }
}

/** The index range of a sorted source whose times fall in [fromMs, toMs). */
function timeRange(source: EventSource, fromMs: number, toMs: number): [number, number] {
  return [lowerBound(source, fromMs), lowerBound(source, toMs)];
}

function lowerBound(source: EventSource, t: number): number {
  let lo = 0;
  let hi = source.count;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (source.timeAt(mid) < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
