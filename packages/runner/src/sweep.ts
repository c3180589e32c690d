/**
 * sweep: plans the fewest queries that cover an IOC list (@s1ql/builder planSweep), runs them within the token's
 * shared budgets, and reports hits per IOC by matching every returned event's values against the IOCs.
 */
import { type InvalidIoc, type IocKind, type NormalizedIoc, type PlannedQuery, planSweep } from '@s1ql/builder';
import { DvClient } from './client.ts';
import type { Connection } from './connection.ts';
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
}

export interface SweepResult {
  readonly hits: readonly IocHit[];
  readonly invalid: readonly InvalidIoc[];
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

function matches(ioc: NormalizedIoc, value: string): boolean {
  const v = norm(value);
  const target = norm(ioc.value);
  switch (ioc.kind) {
    case 'domain':
    case 'url':
      // As the planned query does: a DNS request equal to it, or a URL containing it.
      return v === target || v.includes(target);
    case 'path':
      return v === target || v.replaceAll('/', '\\') === target.replaceAll('/', '\\');
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

/** Counts, for one query's events, which of its IOCs each event holds (any string value of the event). */
function tally(query: PlannedQuery, event: DvEvent, tallies: Map<string, Tally>): void {
  const values: string[] = [];
  for (const v of Object.values(event)) if (typeof v === 'string' && v !== '') values.push(v);
  for (const ioc of query.iocs) {
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
  const summaries: { text: string; summary: RunSummary }[] = new Array(plan.queries.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (;;) {
      const index = next++;
      const query = plan.queries[index];
      if (query === undefined) return;
      options.onQuery?.(index, plan.queries.length, query.text);
      const handle = runQuery(query.text, {
        ...options,
        client,
        from: window.fromDate,
        to: window.toDate,
      });
      for await (const event of handle) tally(query, event, tallies);
      summaries[index] = { text: query.text, summary: await handle.summary };
    }
  };
  try {
    const workers = Math.max(1, Math.min(options.concurrency ?? 2, plan.queries.length));
    await Promise.all(Array.from({ length: workers }, worker));
  } finally {
    if (ownClient) await client.close();
  }
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
    };
  });
  return { hits, invalid: plan.invalid, queries: summaries, truncated: summaries.some((s) => s.summary.truncated) };
}
