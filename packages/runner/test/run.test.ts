import { afterEach, describe, expect, it } from 'vitest';
import { Budgets, createConnection, DvClient, type RunOptions, runQuery } from '../src/index.ts';
import { type DvServer, type FaultKind, makeEvents, type ServerOptions, startDvServer } from './dv-server.ts';

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
const parsed = (json: Uint8Array | string): Record<string, unknown> =>
  JSON.parse(typeof json === 'string' ? json : Buffer.from(json).toString('utf8')) as Record<string, unknown>;

/*
 * The runner against the emulator (every fault kind, limits, cancellation, the fast-check property) lives in
 * test/runner/. These loopback dv-server tests keep only what the emulator cannot produce: the exact init-query
 * body and Authorization header sent; a 429 with a JSON body (the emulator's are nginx HTML); a re-run whose
 * results differ from or are shorter than the first run (the emulator is deterministic); a query the local parser
 * accepts but the server rejects; progress that stands still (poll backoff); and the empty-results shape.
 */
describe('runQuery against a loopback DV server (edge cases the emulator cannot produce)', () => {
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

  it('handles empty results', async () => {
    const s = await server({ events: [] });
    const handle = runQuery('EventType = "Process Creation"', opts(s));
    expect(await collect(handle)).toEqual([]);
    expect(await handle.summary).toMatchObject({ state: 'EMPTY_RESULTS', delivered: 0, truncated: false });
  });

  it('a server-side syntax rejection is S1QL_SYNTAX with exit 4', async () => {
    const s = await server();
    const error = await failure(collect(runQuery('SrcProcName = "BADSYNTAX"', opts(s))));
    expect(error).toMatchObject({ code: 'S1QL_SYNTAX', exitCode: 4, apiCode: 4000040 });
  });

  it.each<[FaultKind, string]>([['429-json', 'dv/events']])('recovers from %s on %s', async (kind, endpoint) => {
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

  it.each(['objects', 'json'])(
    'fails with S1QL_EXPIRED when the re-run returns different events (never duplicates or loses), read as %s',
    async (mode) => {
      const s = await server({
        faults: [{ endpoint: 'dv/events', nth: 3, kind: 'expire' }],
        eventsForRun: (run) => (run === 1 ? makeEvents(50) : makeEvents(50, 3)),
      });
      const handle = runQuery('SrcProcName = "x"', opts(s));
      const seen: unknown[] = [];
      const error = await failure(
        (async () => {
          if (mode === 'json') for await (const e of handle.json()) seen.push(parsed(e).id);
          else for await (const e of handle) seen.push(e.id);
        })(),
      );
      expect(error).toMatchObject({ code: 'S1QL_EXPIRED' });
      expect(seen).toEqual(ids(makeEvents(20)));
    },
  );

  it('json(): every event once, in order, as one line of its console text', async () => {
    const events = makeEvents(95).map((e, i) => ({ ...e, big: i, text: 'line\nbreak "q" é' }));
    const s = await server({
      events,
      eventsBody: (data, pagination) =>
        // Big integers as the console sends them, which JSON.parse would round.
        JSON.stringify({ data, pagination }).replace(
          /"big":(\d+)/g,
          (_, n: string) => `"big":${2n ** 53n + 1n + BigInt(n)}`,
        ),
    });
    const handle = runQuery('SrcProcName = "x"', opts(s));
    const lines: string[] = [];
    for await (const bytes of handle.json()) lines.push(Buffer.from(bytes).toString('utf8'));
    expect(lines.map((l) => parsed(l).id)).toEqual(ids(events));
    for (const [i, line] of lines.entries()) {
      expect(line).not.toContain('\n');
      expect(line).toContain(`"big":${2n ** 53n + 1n + BigInt(i)}`);
    }
    expect(await handle.summary).toMatchObject({ delivered: 95, complete: true, reruns: 0 });
    expect(() => handle[Symbol.asyncIterator]()).toThrow(/once/);
  });

  it('a next page asked for ahead with a cursor the full read does not confirm is dropped, not delivered', async () => {
    // A last member whose key ends in `"pagination"`: read from the end of the body, it looks like the pagination.
    const s = await server({
      events: makeEvents(35),
      eventsBody: (data, pagination) =>
        `${JSON.stringify({ data, pagination }).slice(0, -1)},"x\\"pagination":{"nextCursor":"decoy"}}`,
    });
    const handle = runQuery('SrcProcName = "x"', opts(s));
    expect(ids(await collect(handle))).toEqual(ids(makeEvents(35)));
    // Had the decoy's answer (a 400) been taken, the run would have re-run the query.
    expect(await handle.summary).toMatchObject({ delivered: 35, complete: true, reruns: 0 });
    const pages = s.calls.filter((c) => c.endpoint === 'dv/events' && !c.url.includes('cursor=decoy'));
    expect(pages).toHaveLength(4);
  });

  it('fails with S1QL_EXPIRED when the re-run is shorter than what was delivered', async () => {
    const s = await server({
      faults: [{ endpoint: 'dv/events', nth: 3, kind: 'expire' }],
      eventsForRun: (run) => (run === 1 ? makeEvents(50) : makeEvents(15)),
    });
    const error = await failure(collect(runQuery('SrcProcName = "x"', opts(s))));
    expect(error).toMatchObject({ code: 'S1QL_EXPIRED' });
  });

  it('backs off polling while progress stands still, within the 1/s budget', async () => {
    const s = await server({ runningPolls: 8 });
    // scale 0.05: budget 50 ms (+margin), adaptive backoff up to 500 ms.
    await collect(runQuery('SrcProcName = "x"', { ...opts(s), budgets: new Budgets({ scale: 0.05 }) }));
    const times = s.calls.filter((c) => c.endpoint === 'dv/query-status').map((c) => c.time);
    for (let i = 1; i < times.length; i++) expect((times[i] ?? 0) - (times[i - 1] ?? 0)).toBeGreaterThanOrEqual(49);
  });
});
