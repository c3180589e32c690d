/**
 * Fault injection: a small spec language (`--faults`) and the deterministic plan that decides, call by call,
 * which faults fire. See the package README for the language.
 */
import { Rng } from '../telemetry/prng.ts';
import { ENDPOINT_IDS, type EndpointId } from './endpoints.ts';

/** When a fault fires, counted over the calls it targets (1-based). */
export type When =
  | { readonly type: 'always' }
  | { readonly type: 'nth'; readonly from: number; readonly to: number }
  | { readonly type: 'probability'; readonly p: number };

/** Deep Visibility query states by class, as the contract (`dv/query-status`) lists them. */
export const RUNNING_STATES = ['RUNNING', 'PLANNING', 'QUERY_RUNNING', 'EVENTS_RUNNING', 'PROCESS_RUNNING'] as const;
export const DONE_STATES = ['FINISHED', 'EMPTY_RESULTS'] as const;
export const CANCELLED_STATES = ['QUERY_CANCEL', 'QUERY_CANCELLED', 'QUERY_EXPIRED', 'TIMED_OUT', 'TIMEOUT'] as const;
/** Failed states carry `responseError`. */
export const FAILED_STATES = ['FAILED', 'FAILED_CLIENT', 'ERROR', 'QUERY_NOT_FOUND'] as const;

/**
 * The named states a `state` fault can force on a query. Any other upper-case identifier (`state:SOMETHING_NEW`)
 * is accepted too: an unknown state, reported as-is.
 */
export const FAULT_STATES = [...DONE_STATES, ...FAILED_STATES, ...CANCELLED_STATES, ...RUNNING_STATES] as const;
/** A state name: one of FAULT_STATES or any other upper-case identifier. */
export type FaultState = string;

/** What a forced state does to a query once its simulated run is over. */
export type StateClass = 'running' | 'done' | 'cancelled' | 'failed' | 'unknown';

export function stateClass(state: string): StateClass {
  const is = (list: readonly string[]) => list.includes(state);
  if (is(DONE_STATES)) return 'done';
  if (is(FAILED_STATES)) return 'failed';
  if (is(CANCELLED_STATES)) return 'cancelled';
  if (is(RUNNING_STATES)) return 'running';
  return 'unknown';
}

const STATE_NAME = /^[A-Z][A-Z0-9_]*$/;

export type Fault =
  | { readonly kind: 'status'; readonly status: number; readonly endpoint: EndpointId | '*'; readonly when: When }
  | { readonly kind: '5xx'; readonly endpoint: EndpointId | '*'; readonly when: When }
  | { readonly kind: 'drop'; readonly endpoint: EndpointId | '*'; readonly when: When }
  /** The status, the headers and half the body are sent, then the connection is cut. */
  | { readonly kind: 'cut'; readonly endpoint: EndpointId | '*'; readonly when: When }
  | { readonly kind: 'slow'; readonly ms: number; readonly endpoint: EndpointId | '*'; readonly when: When }
  /** Counted over accepted init-query calls: the Nth query ends in `state`. */
  | { readonly kind: 'state'; readonly state: FaultState; readonly when: When }
  /** Counted over dv/events calls: the query's results are gone (404 Query Not Found, state QUERY_EXPIRED). */
  | { readonly kind: 'expire-query'; readonly when: When }
  /** Counted over dv/events calls that carry a cursor: the cursor has expired (400). */
  | { readonly kind: 'expire-cursor'; readonly when: When }
  | { readonly kind: 'token'; readonly mode: 'invalid' | 'forbidden' | 'expired' }
  | { readonly kind: 'token'; readonly mode: 'expires'; readonly at: number }
  | { readonly kind: 'retry-after'; readonly on: boolean }
  /** A documented way some consoles answer differently (design/DV-API.md); applies to every call. */
  | { readonly kind: 'variant'; readonly variant: Variant };

/**
 * The answers on which consoles differ: `403-detail` (a 403 body carrying only a detail string), `429-json` (a 429
 * in the API's JSON error envelope instead of nginx's HTML page), `limit-100000` (init-query takes a `limit` up to
 * 100000, as the current spec says, instead of 20000).
 */
export const VARIANTS = ['403-detail', '429-json', 'limit-100000'] as const;
export type Variant = (typeof VARIANTS)[number];

export class FaultSpecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FaultSpecError';
  }
}

const ALWAYS: When = { type: 'always' };

function parseWhen(text: string, item: string): When {
  const pct = /^(\d+(?:\.\d+)?)%$/.exec(text);
  if (pct) return probability(Number(pct[1]) / 100, item);
  if (/^0?\.\d+$|^1\.0*$/.test(text)) return probability(Number(text), item);
  const range = /^(\d+)(?:-(\d+)|(\+))?$/.exec(text);
  if (range) {
    const from = Number(range[1]);
    const to = range[3] ? Number.POSITIVE_INFINITY : range[2] ? Number(range[2]) : from;
    if (from < 1 || to < from) throw new FaultSpecError(`${item}: call numbers start at 1 (got @${text})`);
    return { type: 'nth', from, to };
  }
  throw new FaultSpecError(`${item}: @${text} is not a call number (3, 2-5, 4+) or a probability (0.1, 10%)`);
}

function probability(p: number, item: string): When {
  if (!(p > 0 && p <= 1)) throw new FaultSpecError(`${item}: a probability must be in (0, 1]`);
  return { type: 'probability', p };
}

function parseDuration(text: string, item: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s)?$/.exec(text);
  if (!m) throw new FaultSpecError(`${item}: ${text} is not a duration (500ms, 2s)`);
  return Number(m[1]) * (m[2] === 's' ? 1000 : 1);
}

function isEndpoint(text: string): text is EndpointId | '*' {
  return text === '*' || (ENDPOINT_IDS as readonly string[]).includes(text);
}

/** Parses a `--faults` spec such as `status:429@3,5xx:events@0.1,drop:events@2,slow:500ms,state:FAILED`. */
export function parseFaults(spec: string): Fault[] {
  const faults: Fault[] = [];
  for (const raw of spec.split(',')) {
    const item = raw.trim();
    if (item === '') continue;
    const at = item.indexOf('@');
    const head = at >= 0 ? item.slice(0, at) : item;
    let when: When = at >= 0 ? parseWhen(item.slice(at + 1), item) : ALWAYS;
    if (head.startsWith('token:expires=')) {
      // The date holds ':' itself, so it is read whole.
      if (at >= 0) throw new FaultSpecError(`${item}: token takes no @WHEN (it applies to every call)`);
      const text = head.slice('token:expires='.length);
      const ms = Date.parse(text);
      if (Number.isNaN(ms)) throw new FaultSpecError(`${item}: ${text} is not an ISO-8601 date`);
      faults.push({ kind: 'token', mode: 'expires', at: ms });
      continue;
    }
    const [kind = '', ...args] = head.split(':');
    let endpoint: EndpointId | '*' = '*';
    const rest: string[] = [];
    let endpoints = 0;
    for (const arg of args) {
      if (isEndpoint(arg)) {
        endpoint = arg;
        endpoints++;
      } else if (/^(\d+(?:\.\d+)?%|0?\.\d+)$/.test(arg) && at < 0) when = parseWhen(arg, item);
      else rest.push(arg);
    }
    const need = (n: number, what: string) => {
      if (rest.length !== n) throw new FaultSpecError(`${item}: expected ${what}`);
    };
    if (endpoints > 1) throw new FaultSpecError(`${item}: give at most one ENDPOINT`);
    // Faults that are not about one endpoint's calls, or not about some calls only: an ENDPOINT or a WHEN they would
    // silently ignore is refused instead.
    const noEndpoint = (what: string) => {
      if (endpoints > 0) throw new FaultSpecError(`${item}: ${kind} takes no ENDPOINT (${what})`);
    };
    const noWhen = () => {
      if (when.type !== 'always')
        throw new FaultSpecError(`${item}: ${kind} takes no @WHEN (it applies to every call)`);
    };
    switch (kind) {
      case 'status': {
        need(1, 'status:CODE[:ENDPOINT][@WHEN]');
        const status = Number(rest[0]);
        if (!Number.isInteger(status) || status < 400 || status > 599)
          throw new FaultSpecError(`${item}: the status must be 400-599`);
        faults.push({ kind: 'status', status, endpoint, when });
        break;
      }
      case '429':
      case '500':
      case '502':
      case '503':
      case '504':
        need(0, `${kind}[:ENDPOINT][@WHEN]`);
        faults.push({ kind: 'status', status: Number(kind), endpoint, when });
        break;
      case '5xx':
        need(0, '5xx[:ENDPOINT][@WHEN]');
        faults.push({ kind: '5xx', endpoint, when });
        break;
      case 'drop':
      case 'cut':
        need(0, `${kind}[:ENDPOINT][@WHEN]`);
        faults.push({ kind, endpoint, when });
        break;
      case 'slow':
        need(1, 'slow:DURATION[:ENDPOINT][@WHEN]');
        faults.push({ kind: 'slow', ms: parseDuration(rest[0] ?? '', item), endpoint, when });
        break;
      case 'state': {
        noEndpoint('WHEN counts accepted init-query calls');
        need(1, 'state:STATE[@WHEN]');
        const text = rest[0] ?? '';
        // Named states are matched in any case (state:failed); any other name must be an upper-case identifier.
        const named = FAULT_STATES.find((s) => s === text.toUpperCase());
        if (named === undefined && !STATE_NAME.test(text)) {
          throw new FaultSpecError(
            `${item}: STATE must be one of ${FAULT_STATES.join(', ')}, or another upper-case identifier (A-Z, 0-9, _; such as SOMETHING_NEW) for an unknown state`,
          );
        }
        faults.push({ kind: 'state', state: named ?? text, when });
        break;
      }
      case 'expire-query':
      case 'expire-cursor':
        noEndpoint('it applies to dv/events calls');
        need(0, `${kind}[@WHEN]`);
        faults.push({ kind, when });
        break;
      case 'token': {
        noEndpoint('token:forbidden answers 403 on the DV endpoints only');
        noWhen();
        need(1, 'token:invalid|forbidden|expired|expires=ISO-DATE');
        const mode = rest[0] ?? '';
        if (mode === 'invalid' || mode === 'forbidden' || mode === 'expired') faults.push({ kind: 'token', mode });
        else throw new FaultSpecError(`${item}: expected token:invalid|forbidden|expired|expires=ISO-DATE`);
        break;
      }
      case 'retry-after':
        noEndpoint('it applies to every 429');
        noWhen();
        need(1, 'retry-after:on|off');
        if (rest[0] !== 'on' && rest[0] !== 'off') throw new FaultSpecError(`${item}: expected retry-after:on|off`);
        faults.push({ kind: 'retry-after', on: rest[0] === 'on' });
        break;
      case 'variant': {
        noEndpoint('it applies to every call');
        noWhen();
        const variant = VARIANTS.find((v) => v === rest[0]);
        if (rest.length !== 1 || variant === undefined)
          throw new FaultSpecError(`${item}: expected variant:${VARIANTS.join('|')}`);
        faults.push({ kind: 'variant', variant });
        break;
      }
      default:
        throw new FaultSpecError(
          `${item}: unknown fault "${kind}" (status, 429, 5xx, drop, cut, slow, state, expire-query, expire-cursor, token, retry-after, variant)`,
        );
    }
  }
  return faults;
}

/** The per-call decisions of a fault list; counters and draws make the same calls fail the same way every run. */
export class FaultPlan {
  readonly faults: readonly Fault[];
  readonly #counts: number[];
  readonly #rngs: Rng[];

  constructor(faults: readonly Fault[], seed: number) {
    this.faults = faults;
    this.#counts = faults.map(() => 0);
    this.#rngs = faults.map((_, i) => new Rng((seed ^ Math.imul(i + 1, 0x9e3779b1)) >>> 0));
  }

  /** Counts one eligible call for fault `i` and says whether it fires. */
  #fires(i: number, when: When): boolean {
    const n = (this.#counts[i] ?? 0) + 1;
    this.#counts[i] = n;
    switch (when.type) {
      case 'always':
        return true;
      case 'nth':
        return n >= when.from && n <= when.to;
      case 'probability':
        return (this.#rngs[i] as Rng).float() < when.p;
    }
  }

  /** Connection-level and status faults for a call to `endpoint`, in spec order. */
  forCall(endpoint: EndpointId): {
    slowMs: number;
    drop: boolean;
    cut: boolean;
    status: number | null;
    fired: string[];
  } {
    let slowMs = 0;
    let drop = false;
    let cut = false;
    let status: number | null = null;
    const fired: string[] = [];
    this.faults.forEach((f, i) => {
      if (f.kind !== 'slow' && f.kind !== 'drop' && f.kind !== 'cut' && f.kind !== 'status' && f.kind !== '5xx') return;
      if (f.endpoint !== '*' && f.endpoint !== endpoint) return;
      if (!this.#fires(i, f.when)) return;
      if (f.kind === 'slow') {
        slowMs += f.ms;
        fired.push(`slow:${f.ms}ms`);
      } else if (f.kind === 'drop') {
        drop = true;
        fired.push('drop');
      } else if (f.kind === 'cut') {
        cut = true;
        fired.push('cut');
      } else if (status === null) {
        status = f.kind === 'status' ? f.status : ([500, 502, 503, 504][(this.#rngs[i] as Rng).int(4)] as number);
        fired.push(`status:${status}`);
      }
    });
    return { slowMs, drop, cut, status, fired };
  }

  /** The forced final state of a newly accepted query, if a `state` fault fires for it. */
  forQuery(): FaultState | null {
    let state: FaultState | null = null;
    this.faults.forEach((f, i) => {
      if (f.kind === 'state' && this.#fires(i, f.when) && state === null) state = f.state;
    });
    return state;
  }

  /** For a dv/events call: whether the query has expired, and (when a cursor was sent) whether it has. */
  forPage(hasCursor: boolean): { expireQuery: boolean; expireCursor: boolean } {
    let expireQuery = false;
    let expireCursor = false;
    this.faults.forEach((f, i) => {
      if (f.kind === 'expire-query' && this.#fires(i, f.when)) expireQuery = true;
      if (f.kind === 'expire-cursor' && hasCursor && this.#fires(i, f.when)) expireCursor = true;
    });
    return { expireQuery, expireCursor };
  }
}
