import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { Budgets, createConnection, DvClient, isRunnerError, type RunOptions, runQuery } from '../src/index.ts';
import {
  type DvServer,
  type Fault,
  type FaultKind,
  makeEvents,
  type ServerOptions,
  startDvServer,
} from './dv-server.ts';

const TOKEN = 'tok-SECRET-1234567890abcdef';
const servers: DvServer[] = [];

async function server(options: ServerOptions = {}): Promise<DvServer> {
  const s = await startDvServer({ token: TOKEN, ...options });
  servers.push(s);
  return s;
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** Fast budgets: every interval and runner delay scaled down 1000x. */
function opts(s: DvServer, extra: Partial<RunOptions> = {}): RunOptions {
  return {
    connection: createConnection(s.url, TOKEN),
    budgets: new Budgets({ scale: 0.001 }),
    from: '2026-01-01T00:00:00Z',
    to: '2026-01-02T00:00:00Z',
    pageSize: 10,
    ...extra,
  };
}

async function collect(handle: AsyncIterable<Record<string, unknown>>): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for await (const e of handle) out.push(e);
  return out;
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

const ids = (events: readonly Record<string, unknown>[]): unknown[] => events.map((e) => e.id);

describe('runQuery against a loopback DV server', () => {
  it('delivers every event once, in order, across pages, and sends the query on one line', async () => {
    const s = await server({ events: makeEvents(95), runningPolls: 2 });
    const handle = runQuery('EventType = "Process Creation" -- a comment\n  AND SrcProcName = "cmd.exe"', opts(s));
    const events = await collect(handle);
    expect(ids(events)).toEqual(ids(makeEvents(95)));
    const summary = await handle.summary;
    expect(summary).toMatchObject({ delivered: 95, totalItems: 95, truncated: false, complete: true, reruns: 0 });
    const init = s.calls.filter((c) => c.endpoint === 'dv/init-query');
    expect(init).toHaveLength(1);
    const body = JSON.parse(init[0]?.body ?? '{}') as Record<string, unknown>;
    expect(body.query).toBe('EventType = "Process Creation" AND SrcProcName = "cmd.exe"');
    expect(body).toMatchObject({
      fromDate: '2026-01-01T00:00:00.000Z',
      toDate: '2026-01-02T00:00:00.000Z',
      limit: 20000,
      queryType: ['events'],
    });
    expect(s.calls.filter((c) => c.endpoint === 'dv/events')).toHaveLength(10);
    // Events only after a done state.
    const firstEvents = s.calls.findIndex((c) => c.endpoint === 'dv/events');
    const statuses = s.calls.slice(0, firstEvents).filter((c) => c.endpoint === 'dv/query-status');
    expect(statuses).toHaveLength(3);
    for (const c of s.calls) expect(c.authorization).toBe(`ApiToken ${TOKEN}`);
  });

  it('reports truncation when the limit is reached', async () => {
    const s = await server({ events: makeEvents(30) });
    const handle = runQuery('EventType = "Process Creation"', opts(s, { limit: 30 }));
    expect(await collect(handle)).toHaveLength(30);
    expect((await handle.summary).truncated).toBe(true);
  });

  it('handles empty results', async () => {
    const s = await server({ events: [] });
    const handle = runQuery('EventType = "Process Creation"', opts(s));
    expect(await collect(handle)).toEqual([]);
    expect(await handle.summary).toMatchObject({ state: 'EMPTY_RESULTS', delivered: 0, truncated: false });
  });

  it('a syntax error costs no API call (S1QL_SYNTAX, exit 1)', async () => {
    const s = await server();
    const handle = runQuery('EventType = = "x" AND (', opts(s));
    const error = await failure(collect(handle));
    expect(isRunnerError(error, 'S1QL_SYNTAX')).toBe(true);
    expect((error as { exitCode: number }).exitCode).toBe(1);
    expect((error as { diagnostics: unknown[] }).diagnostics.length).toBeGreaterThan(0);
    expect(s.calls).toHaveLength(0);
    await expect(handle.summary).rejects.toMatchObject({ code: 'S1QL_SYNTAX' });
  });

  it('a server-side syntax rejection is S1QL_SYNTAX with exit 4', async () => {
    const s = await server();
    const error = await failure(collect(runQuery('SrcProcName = "BADSYNTAX"', opts(s))));
    expect(error).toMatchObject({ code: 'S1QL_SYNTAX', exitCode: 4, apiCode: 4000040 });
  });

  it('FAILED with responseError is S1QL_QUERY_FAILED, not re-run', async () => {
    const s = await server({ finalState: 'FAILED', responseError: 'Query timed out in backend storage' });
    const error = await failure(collect(runQuery('SrcProcName = "x"', opts(s))));
    expect(error).toMatchObject({ code: 'S1QL_QUERY_FAILED', exitCode: 4 });
    expect((error as Error).message).toContain('Query timed out in backend storage');
    expect(s.calls.filter((c) => c.endpoint === 'dv/init-query')).toHaveLength(1);
  });

  it('TIMED_OUT is re-run within the budget, then reported as S1QL_EXPIRED', async () => {
    const s = await server({ finalState: 'TIMED_OUT' });
    const error = await failure(collect(runQuery('SrcProcName = "x"', opts(s, { maxReruns: 2 }))));
    expect(error).toMatchObject({ code: 'S1QL_EXPIRED', exitCode: 4 });
    expect(s.calls.filter((c) => c.endpoint === 'dv/init-query')).toHaveLength(3);
  });

  it('an expired query reporting progress 100 is never read as success', async () => {
    const s = await server({ finalState: 'QUERY_EXPIRED' });
    const error = await failure(collect(runQuery('SrcProcName = "x"', opts(s, { maxReruns: 0 }))));
    expect(error).toMatchObject({ code: 'S1QL_EXPIRED' });
    expect(s.calls.filter((c) => c.endpoint === 'dv/events')).toHaveLength(0);
  });

  it('401 is S1QL_AUTH (exit 3) and the message never holds the token', async () => {
    const s = await server();
    const connection = createConnection(s.url, 'wrong-token-zzz');
    const error = await failure(collect(runQuery('SrcProcName = "x"', { ...opts(s), connection })));
    expect(error).toMatchObject({ code: 'S1QL_AUTH', exitCode: 3, status: 401 });
    expect(JSON.stringify(error)).not.toContain('wrong-token-zzz');
    expect(String((error as Error).message)).not.toContain('wrong-token-zzz');
  });

  it('403 is S1QL_PERMISSION naming the probable permission, never an auth failure', async () => {
    const s = await server({ faults: [{ endpoint: 'dv/init-query', nth: 1, kind: '403' }] });
    const error = (await failure(collect(runQuery('SrcProcName = "x"', opts(s))))) as Error;
    expect(error).toMatchObject({ code: 'S1QL_PERMISSION', exitCode: 3 });
    expect(error.message).toContain('SDL Data.viewEdr');
    expect(error.message.toLowerCase()).not.toContain('authentication');
    const s2 = await server({ faults: [{ endpoint: 'dv/init-query', nth: 1, kind: '403' }] });
    const scoped = (await failure(collect(runQuery('SrcProcName = "x"', opts(s2, { siteIds: ['1'] }))))) as Error;
    expect(scoped.message).toContain('scope');
  });

  it.each<[FaultKind, string]>([
    ['429-html', 'dv/query-status'],
    ['429-json', 'dv/events'],
    ['500', 'dv/events'],
    ['503', 'dv/query-status'],
    ['drop', 'dv/events'],
    ['slow', 'dv/events'],
  ])('recovers from %s on %s', async (kind, endpoint) => {
    const s = await server({ events: makeEvents(35), faults: [{ endpoint, nth: 2, kind }], slowMs: 2500 });
    const budgets = new Budgets({ scale: 0.001 });
    const client = new DvClient(createConnection(s.url, TOKEN), { budgets, headersTimeoutMs: 150 });
    try {
      const handle = runQuery('SrcProcName = "x"', { ...opts(s), client });
      expect(ids(await collect(handle))).toEqual(ids(makeEvents(35)));
      expect((await handle.summary).retries).toBe(1);
      expect(s.calls.filter((c) => c.endpoint === endpoint).length).toBeGreaterThanOrEqual(3);
    } finally {
      await client.close();
    }
  });

  it('honours Retry-After on an nginx 429 (the server’s word wins)', async () => {
    const s = await server({ faults: [{ endpoint: 'dv/init-query', nth: 1, kind: '429-html-retry-after' }] });
    const handle = runQuery('SrcProcName = "x"', opts(s));
    await collect(handle);
    const inits = s.calls.filter((c) => c.endpoint === 'dv/init-query');
    expect(inits).toHaveLength(2);
    expect((inits[1]?.time ?? 0) - (inits[0]?.time ?? 0)).toBeGreaterThanOrEqual(990);
  });

  it('a 429 on init-query without Retry-After waits the scaled 60 s', async () => {
    const s = await server({ faults: [{ endpoint: 'dv/init-query', nth: 1, kind: '429-html' }] });
    const budgets = new Budgets({ scale: 0.005 }); // 60 s -> 300 ms
    await collect(runQuery('SrcProcName = "x"', { ...opts(s), budgets }));
    const inits = s.calls.filter((c) => c.endpoint === 'dv/init-query');
    expect(inits).toHaveLength(2);
    expect((inits[1]?.time ?? 0) - (inits[0]?.time ?? 0)).toBeGreaterThanOrEqual(295);
  });

  it('never repeats an init-query that reached the server (dropped connection, 500)', async () => {
    for (const kind of ['drop', '500'] as const) {
      const s = await server({ faults: [{ endpoint: 'dv/init-query', nth: 1, kind }] });
      const error = (await failure(collect(runQuery('SrcProcName = "x"', opts(s))))) as Error;
      expect(error).toMatchObject({ code: 'S1QL_NETWORK', exitCode: 5 });
      expect(error.message).toContain('may have started');
      expect(s.calls.filter((c) => c.endpoint === 'dv/init-query')).toHaveLength(1);
    }
  });

  it('retries init-query when the connection was refused (nothing was sent), then reports S1QL_NETWORK', async () => {
    const s = await server();
    const url = s.url;
    await s.close();
    servers.pop();
    const error = (await failure(collect(runQuery('SrcProcName = "x"', { ...opts({ url } as DvServer) })))) as Error;
    expect(error).toMatchObject({ code: 'S1QL_NETWORK', exitCode: 5 });
    expect(error.message).toContain('ECONNREFUSED');
    expect(error.message).toContain('after 4 attempts');
  });

  it('rate limiting that does not clear is S1QL_RATE_LIMIT (exit 5)', async () => {
    const faults: Fault[] = [1, 2, 3, 4, 5, 6].map((nth) => ({ endpoint: 'dv/query-status', nth, kind: '429-html' }));
    const s = await server({ faults });
    const error = await failure(collect(runQuery('SrcProcName = "x"', opts(s))));
    expect(error).toMatchObject({ code: 'S1QL_RATE_LIMIT', exitCode: 5 });
  });

  it('re-runs an expired query while paging and resumes past what was delivered', async () => {
    const s = await server({ events: makeEvents(50), faults: [{ endpoint: 'dv/events', nth: 3, kind: 'expire' }] });
    const handle = runQuery('SrcProcName = "x"', opts(s));
    expect(ids(await collect(handle))).toEqual(ids(makeEvents(50)));
    const summary = await handle.summary;
    expect(summary.reruns).toBe(1);
    const inits = s.calls.filter((c) => c.endpoint === 'dv/init-query').map((c) => JSON.parse(c.body));
    expect(inits).toHaveLength(2);
    // The window is fixed at the first run's absolute dates.
    expect(inits[1].toDate).toBe(inits[0].toDate);
    expect(inits[1].fromDate).toBe(inits[0].fromDate);
  });

  it('re-runs after an expired cursor (400 on a cursor page)', async () => {
    const s = await server({
      events: makeEvents(40),
      faults: [{ endpoint: 'dv/events', nth: 3, kind: 'stale-cursor' }],
    });
    const handle = runQuery('SrcProcName = "x"', opts(s));
    expect(ids(await collect(handle))).toEqual(ids(makeEvents(40)));
    expect((await handle.summary).reruns).toBe(1);
  });

  it('fails with S1QL_EXPIRED when the re-run returns different events (never duplicates or loses)', async () => {
    const s = await server({
      faults: [{ endpoint: 'dv/events', nth: 3, kind: 'expire' }],
      eventsForRun: (run) => (run === 1 ? makeEvents(50) : makeEvents(50, 3)),
    });
    const handle = runQuery('SrcProcName = "x"', opts(s));
    const seen: unknown[] = [];
    const error = await failure(
      (async () => {
        for await (const e of handle) seen.push(e.id);
      })(),
    );
    expect(error).toMatchObject({ code: 'S1QL_EXPIRED' });
    expect(seen).toEqual(ids(makeEvents(20)));
  });

  it('fails with S1QL_EXPIRED when the re-run is shorter than what was delivered', async () => {
    const s = await server({
      faults: [{ endpoint: 'dv/events', nth: 3, kind: 'expire' }],
      eventsForRun: (run) => (run === 1 ? makeEvents(50) : makeEvents(15)),
    });
    const error = await failure(collect(runQuery('SrcProcName = "x"', opts(s))));
    expect(error).toMatchObject({ code: 'S1QL_EXPIRED' });
  });

  it('reads the next page only when the consumer has read the current one', async () => {
    const s = await server({ events: makeEvents(30) });
    const handle = runQuery('SrcProcName = "x"', opts(s));
    const iterator = handle[Symbol.asyncIterator]();
    await iterator.next();
    await new Promise((r) => setTimeout(r, 100));
    expect(s.calls.filter((c) => c.endpoint === 'dv/events')).toHaveLength(1);
    for (let i = 0; i < 9; i++) await iterator.next();
    expect(s.calls.filter((c) => c.endpoint === 'dv/events')).toHaveLength(1);
    await iterator.next();
    expect(s.calls.filter((c) => c.endpoint === 'dv/events')).toHaveLength(2);
    await iterator.return?.();
  });

  it('cancel on abort leaves no running query', async () => {
    const s = await server({ runningPolls: 1_000_000 });
    const controller = new AbortController();
    const handle = runQuery('SrcProcName = "x"', opts(s, { signal: controller.signal }));
    const progress: string[] = [];
    handle.progress.addEventListener('progress', (e) =>
      progress.push((e as CustomEvent<{ state: string }>).detail.state),
    );
    setTimeout(() => controller.abort(), 150);
    const error = await failure(collect(handle));
    expect(error).toMatchObject({ code: 'S1QL_CANCELLED', exitCode: 4 });
    expect(s.calls.filter((c) => c.endpoint === 'dv/cancel-query')).toHaveLength(1);
    expect([...s.queries.values()].map((q) => q.state)).toEqual(['QUERY_CANCELLED']);
    expect(progress).toContain('RUNNING');
  });

  it('a timeout cancels the query and fails with S1QL_TIMEOUT', async () => {
    const s = await server({ runningPolls: 1_000_000 });
    const error = await failure(collect(runQuery('SrcProcName = "x"', opts(s, { timeoutMs: 200 }))));
    expect(error).toMatchObject({ code: 'S1QL_TIMEOUT' });
    expect([...s.queries.values()].map((q) => q.state)).toEqual(['QUERY_CANCELLED']);
  });

  it('backs off polling while progress stands still, within the 1/s budget', async () => {
    const s = await server({ runningPolls: 8 });
    // scale 0.05: budget 50 ms (+margin), adaptive backoff up to 500 ms.
    await collect(runQuery('SrcProcName = "x"', { ...opts(s), budgets: new Budgets({ scale: 0.05 }) }));
    const times = s.calls.filter((c) => c.endpoint === 'dv/query-status').map((c) => c.time);
    for (let i = 1; i < times.length; i++) expect((times[i] ?? 0) - (times[i - 1] ?? 0)).toBeGreaterThanOrEqual(49);
  });

  it('three concurrent queries on one token never exceed the shared limits', async () => {
    const s = await server({ runningPolls: 3, events: makeEvents(30) });
    const budgets = new Budgets({ scale: 0.01 }); // init-query 600 ms, query-status 10 ms, events 1 ms
    const results = await Promise.all(
      [1, 2, 3].map(() => collect(runQuery('SrcProcName = "x"', { ...opts(s), budgets }))),
    );
    for (const r of results) expect(ids(r)).toEqual(ids(makeEvents(30)));
    const spacing = (endpoint: string): number => {
      const times = s.calls.filter((c) => c.endpoint === endpoint).map((c) => c.time);
      let min = Number.POSITIVE_INFINITY;
      for (let i = 1; i < times.length; i++) min = Math.min(min, (times[i] ?? 0) - (times[i - 1] ?? 0));
      return min;
    };
    expect(spacing('dv/init-query')).toBeGreaterThanOrEqual(600);
    expect(spacing('dv/query-status')).toBeGreaterThanOrEqual(10);
  });

  it('property: under random fault schedules, every event exactly once in order, or a typed error', async () => {
    const kinds: FaultKind[] = ['429-html', '429-json', '500', '503', 'drop', 'slow', 'expire', 'stale-cursor'];
    const endpoints = ['dv/init-query', 'dv/query-status', 'dv/events'];
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 45 }),
        fc.array(
          fc.record({
            endpoint: fc.constantFrom(...endpoints),
            nth: fc.integer({ min: 1, max: 6 }),
            kind: fc.constantFrom(...kinds),
          }),
          { maxLength: 6 },
        ),
        async (count, faults) => {
          const expected = ids(makeEvents(count));
          const s = await startDvServer({ token: TOKEN, events: makeEvents(count), faults, slowMs: 120 });
          const client = new DvClient(createConnection(s.url, TOKEN), {
            budgets: new Budgets({ scale: 0.0005 }),
            headersTimeoutMs: 60,
          });
          try {
            const seen: unknown[] = [];
            try {
              for await (const e of runQuery('SrcProcName = "x"', { ...opts(s), client, maxReruns: 3 }))
                seen.push(e.id);
              expect(seen).toEqual(expected);
            } catch (error) {
              expect(isRunnerError(error)).toBe(true);
              // What was delivered before the error is a prefix, never duplicated.
              expect(seen).toEqual(expected.slice(0, seen.length));
            }
          } finally {
            await client.close();
            await s.close();
          }
        },
      ),
      { numRuns: 40 },
    );
  }, 30_000);
});
