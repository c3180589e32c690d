/**
 * Shared rate budgets (design/DV-API.md "Rate limits"): one per token and endpoint, shared by every query a
 * process runs with that token, so concurrent queries never exceed the console's limits together.
 * Every call takes a slot, retries included; only a call whose connection was refused (it never reached the
 * console) gives its slot back.
 */

export type Endpoint = 'init-query' | 'query-status' | 'events' | 'pq' | 'cancel-query' | 'other';

/**
 * Minimum spacing between calls, in ms, at scale 1. init-query, query-status and pq are the documented limits.
 * dv/events has no documented limit: we allow 10 pages a second (10,000 events/s at 1000 a page), which keeps a
 * 20,000-event result to about 2 s; cancel-query and the health/token calls are rare and go out unpaced so a
 * cancel is never delayed.
 */
export const DEFAULT_INTERVALS: Readonly<Record<Endpoint, number>> = {
  'init-query': 60_000,
  'query-status': 1_000,
  pq: 250,
  events: 100,
  'cancel-query': 0,
  other: 0,
};

export interface BudgetsOptions {
  /**
   * Multiplies every interval (and the runner's own retry delays): 1 = the console's real limits,
   * 1/60 = an emulator running 60x faster, 0 = no pacing (an emulator with rate limits off).
   */
  readonly scale?: number;
  readonly intervals?: Partial<Record<Endpoint, number>>;
  /** For tests: a clock. */
  readonly now?: () => number;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0) return signal?.aborted ? Promise.reject(signal.reason) : Promise.resolve();
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export { sleep };

/** Calls to one endpoint with one token: each call reserves the next free slot, spaced by `intervalMs`. */
export class RateBudget {
  readonly intervalMs: number;
  readonly #now: () => number;
  #next = 0;
  #calls = 0;

  constructor(intervalMs: number, now: () => number = Date.now) {
    this.intervalMs = intervalMs;
    this.#now = now;
  }

  /** Calls granted so far (retries included). */
  get calls(): number {
    return this.#calls;
  }

  /**
   * Waits for this call's slot. A slot once reserved stays used even if the wait is aborted (conservative). Resolves
   * to a function that gives the slot back, for a call that provably never reached the server (its connection was
   * refused): only while no later call has reserved the slot after it.
   */
  async acquire(signal?: AbortSignal): Promise<() => void> {
    const now = this.#now();
    const slot = Math.max(now, this.#next);
    // A margin so latency jitter between client and server (a first request that reached the server late, the
    // next one early) never squeezes two calls into one window: 2% of the interval, at least 25 ms.
    const margin = this.intervalMs > 0 ? Math.max(25, this.intervalMs * 0.02) : 0;
    const next = slot + this.intervalMs + margin;
    this.#next = next;
    this.#calls++;
    await sleep(slot - now, signal);
    return () => {
      if (this.#next === next) this.#next = slot;
    };
  }

  /** The server said "not before": no call on this budget goes out earlier (the server's word wins). */
  deferUntil(time: number): void {
    this.#next = Math.max(this.#next, time);
  }
}

/** The registry of budgets, keyed by token fingerprint and endpoint. */
export class Budgets {
  readonly scale: number;
  readonly #intervals: Record<Endpoint, number>;
  readonly #now: () => number;
  readonly #budgets = new Map<string, RateBudget>();

  constructor(options: BudgetsOptions = {}) {
    this.scale = options.scale ?? 1;
    if (!(this.scale >= 0) || !Number.isFinite(this.scale)) throw new RangeError('scale must be a finite number >= 0');
    this.#intervals = { ...DEFAULT_INTERVALS, ...options.intervals };
    this.#now = options.now ?? Date.now;
  }

  get(fingerprint: string, endpoint: Endpoint): RateBudget {
    const key = `${fingerprint}:${endpoint}`;
    let budget = this.#budgets.get(key);
    if (budget === undefined) {
      budget = new RateBudget(this.#intervals[endpoint] * this.scale, this.#now);
      this.#budgets.set(key, budget);
    }
    return budget;
  }
}

let processBudgets: Budgets | undefined;

/** The process-wide registry used when a caller passes none: the console's real limits. */
export function defaultBudgets(): Budgets {
  processBudgets ??= new Budgets();
  return processBudgets;
}
