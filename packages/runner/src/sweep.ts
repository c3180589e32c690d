/**
 * sweep: plans the fewest queries that cover an IOC list (@s1ql/builder planSweep), runs them within the token's
 * shared budgets, and reports hits per IOC by matching every returned event's values against the IOCs.
 */
import {
  type InvalidIoc,
  type IocKind,
  type NormalizedIoc,
  type PlannedQuery,
  planSweep,
  searchedFields,
} from '@s1ql/builder';
import { lookupField } from '@s1ql/language';
import { DvClient } from './client.ts';
import type { Connection } from './connection.ts';
import { RunnerError } from './errors.ts';
import { type DvEvent, type RunOptions, type RunSummary, resolveWindow, runQuery } from './run.ts';

export interface IocHit {
  readonly ioc: string;
  readonly kind: IocKind;
  /** The entry as written in the list. */
  readonly input: string;
  readonly hits: number;
  readonly firstSeen: string | undefined;
  readonly lastSeen: string | undefined;
  /** Endpoint names (sorted) where it was seen. */
  readonly endpoints: readonly string[];
  /**
   * How far `hits` can be trusted: `complete`; `possibly-truncated` (a query covering it reached its limit); or
   * `not-checked` (a query covering it failed or was not run: its hits are a lower bound).
   */
  readonly status: 'complete' | 'possibly-truncated' | 'not-checked';
}

export interface SweepResult {
  readonly hits: readonly IocHit[];
  readonly invalid: readonly InvalidIoc[];
  /** The queries that ran to the end (a failed or unrun one has no entry). */
  readonly queries: readonly { readonly text: string; readonly summary: RunSummary }[];
  /** True when any query reached its limit: hits may be missing. */
  readonly truncated: boolean;
}

export interface SweepRunOptions extends Omit<RunOptions, 'onProgress'> {
  readonly kind?: 'auto' | IocKind;
  /** Queries in flight at once (default 2): init-query's 1/min budget paces them anyway. */
  readonly concurrency?: number;
  readonly onQuery?: (index: number, total: number, text: string) => void;
}

/** The planned queries, for --dry-run. */
export function planSweepQueries(
  iocs: readonly string[],
  kind: 'auto' | IocKind = 'auto',
): ReturnType<typeof planSweep> {
  return planSweep(iocs, { kind });
}

function norm(value: string): string {
  return value.trim().toLowerCase();
}

/** A character that can continue a host name: a match of a name ending before one is part of a longer name. */
const hostChar = /[\p{L}\p{N}_-]/u;

/**
 * `target` inside `v` where it starts a host name or one of its labels (`www.evil.com` holds `evil.com`;
 * `notevil.com` does not) and, with `hostEnd`, where the host name ends with it (not `evil.com.au`).
 */
function hostIn(v: string, target: string, hostEnd: boolean): boolean {
  for (let at = v.indexOf(target); at !== -1; at = v.indexOf(target, at + 1)) {
    const before = v[at - 1] ?? '';
    const after = v.slice(at + target.length, at + target.length + 2);
    // A trailing dot (`evil.com.`) ends the name; a dot before a label (`evil.com.au`) does not.
    const ends = after === '' || (after[0] === '.' ? !hostChar.test(after[1] ?? '') : !hostChar.test(after[0] ?? ''));
    if (!hostChar.test(before) && (!hostEnd || ends)) return true;
  }
  return false;
}

const scheme = /^[a-z][a-z0-9+.-]*:\/\//;

/**
 * Whether an event value holds the IOC. The planned query is a superset where it matches substrings (`In Contains
 * AnyCase`); this is the narrowing: a domain is a hit on itself and its subdomains, in a DNS request or a URL; a URL
 * is a hit where it starts a host (any scheme when it has none) and, without a path, where that host ends;
 * everything else compares the whole value in any case, as `In AnyCase` does.
 */
function matches(ioc: NormalizedIoc, value: string): boolean {
  const v = norm(value);
  const target = norm(ioc.value);
  switch (ioc.kind) {
    case 'domain':
      return hostIn(v, target, true);
    case 'url':
      return hostIn(v, target, !/[/?#]/.test(target.replace(scheme, '')));
    default:
      return v === target;
  }
}

function eventTime(event: DvEvent): string | undefined {
  for (const key of ['eventTime', 'createdAt']) {
    const v = event[key];
    if (typeof v === 'string' && v !== '') return v;
  }
  return undefined;
}

function endpointOf(event: DvEvent): string | undefined {
  for (const key of ['endpointName', 'agentName']) {
    const v = event[key];
    if (typeof v === 'string' && v !== '') return v;
  }
  return undefined;
}

/** IOCs are compared by kind and normalized value: the plan's lists need not share object identity. */
function keyOf(ioc: NormalizedIoc): string {
  return `${ioc.kind}:${ioc.value}`;
}

interface Tally {
  hits: number;
  first: string | undefined;
  last: string | undefined;
  endpoints: Set<string>;
}

/** The event keys (lower case) a kind's searched fields are read from: the name, and the catalog's eventKey. */
const keysByKind = new Map<IocKind, readonly string[]>();
function keysOf(kind: IocKind): readonly string[] {
  let keys = keysByKind.get(kind);
  if (keys === undefined) {
    keys = searchedFields(kind).flatMap((name) => {
      const eventKey = lookupField(name)?.eventKey;
      return eventKey === undefined ? [name.toLowerCase()] : [name.toLowerCase(), eventKey.toLowerCase()];
    });
    keysByKind.set(kind, keys);
  }
  return keys;
}

/**
 * Counts, for one query's events, which of its IOCs each event holds: in the fields the query searched for that
 * IOC's kind (read as the engine reads them, by key in any case), never in any other field of the event. An event
 * of a query for hashes and IPs whose command line mentions a listed domain is not a hit for that domain.
 */
function tally(query: PlannedQuery, event: DvEvent, tallies: Map<string, Tally>): void {
  const byKey = new Map<string, string>();
  for (const [key, v] of Object.entries(event)) if (typeof v === 'string' && v !== '') byKey.set(key.toLowerCase(), v);
  for (const ioc of query.iocs) {
    const values = keysOf(ioc.kind).flatMap((key) => byKey.get(key) ?? []);
    if (!values.some((v) => matches(ioc, v))) continue;
    const t = tallies.get(keyOf(ioc)) as Tally;
    t.hits++;
    const time = eventTime(event);
    if (time !== undefined) {
      if (t.first === undefined || time < t.first) t.first = time;
      if (t.last === undefined || time > t.last) t.last = time;
    }
    const endpoint = endpointOf(event);
    if (endpoint !== undefined) t.endpoints.add(endpoint);
  }
}

/**
 * A sweep stopped by a failed query. It is the first failure (same code and exit code), with the results so far:
 * the hits of the queries that ran, every IOC marked with how far its count can be trusted. Queries still running
 * at the failure were let finish; none was started after it.
 */
export class SweepIncompleteError extends RunnerError {
  readonly partial: SweepResult;
  constructor(failure: RunnerError, partial: SweepResult) {
    super(failure.code, failure.message, {
      cause: failure,
      exitCode: failure.exitCode,
      ...(failure.status === undefined ? {} : { status: failure.status }),
      ...(failure.queryId === undefined ? {} : { queryId: failure.queryId }),
    });
    this.name = 'SweepIncompleteError';
    this.partial = partial;
  }
}

export async function sweep(iocs: readonly string[], options: SweepRunOptions): Promise<SweepResult> {
  const plan = planSweep(iocs, { kind: options.kind ?? 'auto' });
  const tallies = new Map<string, Tally>();
  for (const ioc of plan.iocs)
    tallies.set(keyOf(ioc), { hits: 0, first: undefined, last: undefined, endpoints: new Set() });
  // One window for every query, fixed now, so the hits of all queries describe the same period.
  const window = resolveWindow(options);
  const ownClient = options.client === undefined;
  const client =
    options.client ??
    new DvClient(options.connection as Connection, options.budgets === undefined ? {} : { budgets: options.budgets });
  const summaries: ({ text: string; summary: RunSummary } | undefined)[] = new Array(plan.queries.length);
  let next = 0;
  let failure: unknown;
  const worker = async (): Promise<void> => {
    // After a failure no query is started: with the same token, the next would most likely fail the same way.
    while (failure === undefined) {
      const index = next++;
      const query = plan.queries[index];
      if (query === undefined) return;
      options.onQuery?.(index, plan.queries.length, query.text);
      // A query's events count only once it has run to the end: a failed one must not leave half its hits.
      const own = new Map<string, Tally>();
      for (const ioc of query.iocs)
        own.set(keyOf(ioc), { hits: 0, first: undefined, last: undefined, endpoints: new Set() });
      try {
        const handle = runQuery(query.text, { ...options, client, from: window.fromDate, to: window.toDate });
        for await (const event of handle) tally(query, event, own);
        summaries[index] = { text: query.text, summary: await handle.summary };
      } catch (error) {
        failure ??= error;
        continue;
      }
      for (const [key, t] of own) merge(tallies.get(key) as Tally, t);
    }
  };
  try {
    const workers = Math.max(1, Math.min(options.concurrency ?? 2, plan.queries.length));
    await Promise.all(Array.from({ length: workers }, worker));
  } finally {
    if (ownClient) await client.close();
  }
  // An IOC is as trustworthy as the least complete of the queries that cover it.
  const rank = { complete: 0, 'possibly-truncated': 1, 'not-checked': 2 } as const;
  const status = new Map<string, IocHit['status']>();
  plan.queries.forEach((query, i) => {
    const done = summaries[i];
    const mark: IocHit['status'] =
      done === undefined ? 'not-checked' : done.summary.truncated ? 'possibly-truncated' : 'complete';
    for (const ioc of query.iocs) {
      const key = keyOf(ioc);
      if (rank[mark] >= rank[status.get(key) ?? 'complete']) status.set(key, mark);
    }
  });
  const hits: IocHit[] = plan.iocs.map((ioc) => {
    const t = tallies.get(keyOf(ioc)) as Tally;
    return {
      ioc: ioc.value,
      kind: ioc.kind,
      input: ioc.input,
      hits: t.hits,
      firstSeen: t.first,
      lastSeen: t.last,
      endpoints: [...t.endpoints].sort(),
      status: status.get(keyOf(ioc)) ?? 'complete',
    };
  });
  const ran = summaries.filter((s) => s !== undefined);
  const result: SweepResult = {
    hits,
    invalid: plan.invalid,
    queries: ran,
    truncated: ran.some((s) => s.summary.truncated),
  };
  if (failure === undefined) return result;
  if (failure instanceof RunnerError) throw new SweepIncompleteError(failure, result);
  throw failure;
}

function merge(into: Tally, from: Tally): void {
  into.hits += from.hits;
  if (from.first !== undefined && (into.first === undefined || from.first < into.first)) into.first = from.first;
  if (from.last !== undefined && (into.last === undefined || from.last > into.last)) into.last = from.last;
  for (const e of from.endpoints) into.endpoints.add(e);
}
