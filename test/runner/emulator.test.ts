/**
 * The runner against the emulator (packages/emulator) in process, over real loopback sockets: results checked
 * against the engine run directly over the same generator, every fault kind of the emulator's fault language,
 * rate limits counted from the emulator's own call log, and the token kept out of every output.
 */
import { inspect } from 'node:util';
import { isRunnerError, type RunnerError, runQuery } from '@s1ql/runner';
import { afterEach, describe, expect, it } from 'vitest';
import { callsTo, client, closeAll, collectIds, emulator, expectedIds, failure, runOptions, TOKEN } from './helpers.ts';

const Q = 'EventType = "Process Creation"';
const SCALE = 600; // limits 600x faster: init-query every 100 ms, query-status every 1.7 ms

afterEach(closeAll);

describe('runQuery against the emulator', () => {
  it('delivers every event exactly once, in order, across many pages, as the engine finds them', async () => {
    const emu = await emulator({ rateLimits: { scale: SCALE } });
    const expected = expectedIds(emu, Q);
    expect(expected.length).toBeGreaterThan(300); // many pages of 50
    const c = client(emu, SCALE);
    try {
      const handle = runQuery(Q, runOptions(c));
      expect(await collectIds(handle)).toEqual(expected);
      const summary = await handle.summary;
      expect(summary).toMatchObject({ delivered: expected.length, totalItems: expected.length, complete: true });
      expect(summary.truncated).toBe(false);
      expect(callsTo(emu, 'events')).toHaveLength(Math.ceil(expected.length / 50));
      expect(callsTo(emu, 'init-query')).toHaveLength(1);
      // Pages only after a done state: the last status call before the first page said so.
      const firstPage = emu.calls.findIndex((c) => c.endpoint === 'events');
      expect(emu.calls.slice(0, firstPage).some((c) => c.endpoint === 'query-status')).toBe(true);
    } finally {
      await c.close();
    }
  });

  it('asks for the window it was given, and the limit truncates (reported)', async () => {
    const emu = await emulator({ rateLimits: 'off' });
    const from = '2026-11-25T00:00:00.000Z';
    const to = '2026-11-27T00:00:00.000Z';
    const c = client(emu, Number.POSITIVE_INFINITY);
    try {
      const windowed = expectedIds(emu, Q, from, to);
      expect(windowed.length).toBeGreaterThan(20);
      expect(await collectIds(runQuery(Q, runOptions(c, { from, to })))).toEqual(windowed);
      const handle = runQuery(Q, runOptions(c, { limit: 120 }));
      expect(await collectIds(handle)).toEqual(expectedIds(emu, Q).slice(0, 120));
      expect((await handle.summary).truncated).toBe(true);
    } finally {
      await c.close();
    }
  });

  it('reads at most one page ahead of the consumer (backpressure)', async () => {
    const emu = await emulator({ rateLimits: 'off' });
    const c = client(emu, Number.POSITIVE_INFINITY);
    try {
      const iterator = runQuery(Q, runOptions(c))[Symbol.asyncIterator]();
      await iterator.next();
      await new Promise((r) => setTimeout(r, 150));
      expect(callsTo(emu, 'events')).toHaveLength(2);
      for (let i = 0; i < 49; i++) await iterator.next();
      await new Promise((r) => setTimeout(r, 50));
      expect(callsTo(emu, 'events')).toHaveLength(2);
      await iterator.next(); // first event of page 2: page 3 is fetched
      await new Promise((r) => setTimeout(r, 50));
      expect(callsTo(emu, 'events')).toHaveLength(3);
      await iterator.return?.();
    } finally {
      await c.close();
    }
  });

  it('a syntax error costs no call', async () => {
    const emu = await emulator();
    const c = client(emu, 1);
    try {
      const error = await failure(collectIds(runQuery('EventType = = "x" AND (', runOptions(c))));
      expect(error).toMatchObject({ code: 'S1QL_SYNTAX', exitCode: 1 });
      expect(emu.calls).toHaveLength(0);
    } finally {
      await c.close();
    }
  });

  it('abort cancels the query on the console: QUERY_CANCELLED, nothing left running', async () => {
    const emu = await emulator({ rateLimits: { scale: SCALE }, queryDurationMs: 60_000 });
    const c = client(emu, SCALE);
    try {
      const controller = new AbortController();
      const handle = runQuery(Q, runOptions(c, { signal: controller.signal }));
      setTimeout(() => controller.abort(), 150);
      const error = await failure(collectIds(handle));
      const queryId = callsTo(emu, 'init-query')[0]?.queryId;
      expect(error).toMatchObject({ code: 'S1QL_CANCELLED', exitCode: 4, cancel: 'sent', queryId });
      expect((error as Error).message).toContain(`cancel sent for ${queryId}`);
      expect(callsTo(emu, 'cancel-query').map((c) => c.status)).toEqual([200]);
      expect(emu.stats.runningQueries).toBe(0);
      const status = await fetch(`${emu.url}/web/api/v2.1/dv/query-status?queryId=${queryId}`, {
        headers: { authorization: `ApiToken ${TOKEN}` },
      });
      expect(((await status.json()) as { data: { responseState: string } }).data.responseState).toBe('QUERY_CANCELLED');
    } finally {
      await c.close();
    }
  });

  it('a timeout cancels the query and fails with S1QL_TIMEOUT', async () => {
    const emu = await emulator({ rateLimits: { scale: SCALE }, queryDurationMs: 60_000 });
    const c = client(emu, SCALE);
    try {
      const error = await failure(collectIds(runQuery(Q, runOptions(c, { timeoutMs: 200 }))));
      expect(error).toMatchObject({ code: 'S1QL_TIMEOUT', cancel: 'sent' });
      expect(callsTo(emu, 'cancel-query')).toHaveLength(1);
      expect(emu.stats.runningQueries).toBe(0);
    } finally {
      await c.close();
    }
  });

  it('a timeout while pages are read does not call the finished query unfinished', async () => {
    const emu = await emulator({ rateLimits: { scale: SCALE }, queryDurationMs: 0, faults: 'slow:2s:events' });
    const c = client(emu, SCALE);
    try {
      const error = (await failure(collectIds(runQuery(Q, runOptions(c, { timeoutMs: 1_000 }))))) as RunnerError;
      expect(error).toMatchObject({ code: 'S1QL_TIMEOUT', cancel: 'not-needed' });
      expect(error.message).toMatch(/^the run did not finish within 1 s while reading the query's results; /);
      expect(error.message).toContain('had already ended on the console');
      expect(error.message).not.toContain('the query did not finish');
      expect(callsTo(emu, 'cancel-query')).toHaveLength(0);
    } finally {
      await c.close();
    }
  });
});

describe('a state the runner does not know', () => {
  it('counts as running until the timeout: the query is polled, then cancelled, never paged', async () => {
    const emu = await emulator({ rateLimits: { scale: SCALE }, queryDurationMs: 0, faults: 'state:SOMETHING_NEW' });
    const c = client(emu, SCALE);
    try {
      const error = await failure(collectIds(runQuery(Q, runOptions(c, { timeoutMs: 1_000 }))));
      expect(error).toMatchObject({ code: 'S1QL_TIMEOUT', cancel: 'sent' });
      expect(callsTo(emu, 'query-status').length).toBeGreaterThan(1);
      expect(callsTo(emu, 'events')).toHaveLength(0);
      expect(callsTo(emu, 'cancel-query')).toHaveLength(1);
    } finally {
      await c.close();
    }
  });
});

describe('faults from the emulator', () => {
  /** Runs Q under `faults` and expects the exact result, returning the client's retry count. */
  async function recovers(
    faults: string,
    extra: { retryAfter?: boolean; headersTimeoutMs?: number; scale?: number } = {},
  ): Promise<{ retries: number; reruns: number; emu: Awaited<ReturnType<typeof emulator>> }> {
    const scale = extra.scale ?? SCALE;
    const emu = await emulator({
      rateLimits: { scale },
      faults,
      ...(extra.retryAfter === undefined ? {} : { retryAfter: extra.retryAfter }),
    });
    const c = client(
      emu,
      scale,
      extra.headersTimeoutMs === undefined ? {} : { headersTimeoutMs: extra.headersTimeoutMs },
    );
    try {
      const handle = runQuery(Q, runOptions(c, { maxReruns: 2 }));
      expect(await collectIds(handle)).toEqual(expectedIds(emu, Q));
      const summary = await handle.summary;
      return { retries: summary.retries, reruns: summary.reruns, emu };
    } finally {
      await c.close();
    }
  }

  it.each([
    ['429 HTML with Retry-After on query-status', 'status:429:query-status@1-2'],
    ['429 HTML on dv/events', '429:events@2'],
    ['429 HTML on init-query', '429:init-query@1'],
    ['500 on dv/events', '500:events@3'],
    ['502/503/504 on query-status', '502:query-status@1,503:query-status@2,504:query-status@3'],
    ['random 5xx on GETs', '5xx:events@20%,5xx:query-status@20%'],
    ['dropped connection on dv/events', 'drop:events@2'],
    ['dropped connection on query-status', 'drop:query-status@1'],
    ['connection cut mid-page on dv/events', 'cut:events@2'],
    ['connection cut mid-body on query-status', 'cut:query-status@1'],
    ['429 in the JSON envelope on init-query and dv/events', 'variant:429-json,429:init-query@1,429:events@2'],
  ])('recovers from %s', async (_name, faults) => {
    const { retries, emu } = await recovers(faults);
    expect(retries).toBeGreaterThanOrEqual(1);
    expect(emu.calls.some((c) => c.faults.length > 0)).toBe(true);
  });

  it('429 without Retry-After: backs off (init-query: the scaled 60 s) and recovers', async () => {
    const { retries, emu } = await recovers('retry-after:off,429:init-query@1,429:events@2', { scale: 60 });
    expect(retries).toBe(2);
    const inits = callsTo(emu, 'init-query');
    expect(inits.map((c) => c.status)).toEqual([429, 200]);
    expect(inits.some((c) => 'retry-after' in c)).toBe(false);
    // 60 s / 60 = 1 s before the second init-query.
    expect((inits[1]?.time ?? 0) - (inits[0]?.time ?? 0)).toBeGreaterThanOrEqual(990);
  });

  it('a slow answer past the request timeout is retried on a GET', async () => {
    // undici checks its timeouts on a coarse (~0.5 s) timer: the delay is well past the timeout.
    const { retries, emu } = await recovers('slow:2s:events@2', { headersTimeoutMs: 200 });
    expect(retries).toBe(1);
    // The emulator logs a call when it answers: the slowed one shows once its delay has passed.
    await new Promise((r) => setTimeout(r, 2100));
    expect(callsTo(emu, 'events').filter((c) => c.faults.includes('slow:2000ms'))).toHaveLength(1);
  });

  it('a slow answer within the request timeout is simply waited for', async () => {
    const { retries } = await recovers('slow:150ms:events@2', { headersTimeoutMs: 1000 });
    expect(retries).toBe(0);
  });

  it('never repeats an init-query that may have started (dropped, cut, 500, slow past the timeout)', async () => {
    for (const faults of ['drop:init-query@1', 'cut:init-query@1', '500:init-query@1', 'slow:2s:init-query@1']) {
      const emu = await emulator({ rateLimits: { scale: SCALE }, faults });
      const c = client(emu, SCALE, { headersTimeoutMs: 200 });
      try {
        const error = (await failure(collectIds(runQuery(Q, runOptions(c))))) as RunnerError;
        expect(error).toMatchObject({ code: 'S1QL_NETWORK', exitCode: 5 });
        expect(error.message).toContain('may have started');
        if (faults.startsWith('slow')) await new Promise((r) => setTimeout(r, 2100)); // logged when answered
        expect(callsTo(emu, 'init-query')).toHaveLength(1);
      } finally {
        await c.close();
      }
    }
  });

  it('5xx that never clears on a GET is S1QL_NETWORK after bounded retries', async () => {
    const emu = await emulator({ rateLimits: { scale: SCALE }, faults: '503:query-status' });
    const c = client(emu, SCALE);
    try {
      const error = await failure(collectIds(runQuery(Q, runOptions(c))));
      expect(error).toMatchObject({ code: 'S1QL_NETWORK', exitCode: 5 });
      expect(callsTo(emu, 'query-status')).toHaveLength(6);
    } finally {
      await c.close();
    }
  });

  it('429 that never clears is S1QL_RATE_LIMIT (exit 5)', async () => {
    const emu = await emulator({ rateLimits: { scale: SCALE }, faults: '429:events' });
    const c = client(emu, SCALE);
    try {
      expect(await failure(collectIds(runQuery(Q, runOptions(c))))).toMatchObject({
        code: 'S1QL_RATE_LIMIT',
        exitCode: 5,
      });
    } finally {
      await c.close();
    }
  });

  it('FAILED with responseError is S1QL_QUERY_FAILED, reported and not re-run', async () => {
    for (const state of ['FAILED', 'FAILED_CLIENT', 'ERROR']) {
      const emu = await emulator({ rateLimits: { scale: SCALE }, faults: `state:${state}@1` });
      const c = client(emu, SCALE);
      try {
        const error = (await failure(collectIds(runQuery(Q, runOptions(c))))) as Error;
        expect(error).toMatchObject({ code: 'S1QL_QUERY_FAILED', exitCode: 4 });
        expect(error.message).toContain(state);
        expect(error.message).toContain('the search backend returned an error');
        expect(callsTo(emu, 'init-query')).toHaveLength(1);
        expect(callsTo(emu, 'events')).toHaveLength(0);
      } finally {
        await c.close();
      }
    }
  });

  it('TIMED_OUT / TIMEOUT / QUERY_EXPIRED / QUERY_CANCELLED once: re-run and deliver everything', async () => {
    for (const state of ['TIMED_OUT', 'TIMEOUT', 'QUERY_EXPIRED', 'QUERY_CANCELLED', 'QUERY_CANCEL']) {
      const { reruns, emu } = await recovers(`state:${state}@1`);
      expect(reruns).toBe(1);
      // Accepted init-queries: a 429 (jitter under load) is retried, and is not a re-run.
      expect(callsTo(emu, 'init-query').filter((c) => c.status === 200)).toHaveLength(2);
    }
  });

  it('TIMED_OUT every time: re-run within the budget, then S1QL_EXPIRED; progress 100 never read as success', async () => {
    const emu = await emulator({ rateLimits: { scale: SCALE }, faults: 'state:TIMED_OUT' });
    const c = client(emu, SCALE);
    try {
      const error = await failure(collectIds(runQuery(Q, runOptions(c, { maxReruns: 2 }))));
      expect(error).toMatchObject({ code: 'S1QL_EXPIRED', exitCode: 4 });
      expect(callsTo(emu, 'init-query').filter((c) => c.status === 200)).toHaveLength(3);
      expect(callsTo(emu, 'events')).toHaveLength(0);
    } finally {
      await c.close();
    }
  });

  it('an expired query while paging is re-run and resumed past what was delivered', async () => {
    const { reruns, emu } = await recovers('expire-query@4');
    expect(reruns).toBe(1);
    const inits = callsTo(emu, 'init-query');
    expect(inits).toHaveLength(2);
    expect(callsTo(emu, 'events').filter((c) => c.status === 404)).toHaveLength(1);
  });

  it('an expired cursor is re-run and resumed', async () => {
    const { reruns, emu } = await recovers('expire-cursor@3');
    expect(reruns).toBe(1);
    expect(callsTo(emu, 'events').filter((c) => c.status === 400)).toHaveLength(1);
  });

  it('cursors that keep expiring: S1QL_EXPIRED after the re-run budget, a prefix delivered, never more', async () => {
    const emu = await emulator({ rateLimits: { scale: SCALE }, faults: 'expire-cursor@2+' });
    const c = client(emu, SCALE);
    const expected = expectedIds(emu, Q);
    const seen: string[] = [];
    try {
      const error = await failure(
        (async () => {
          for await (const e of runQuery(Q, runOptions(c, { maxReruns: 2 }))) seen.push(String(e.id));
        })(),
      );
      expect(error).toMatchObject({ code: 'S1QL_EXPIRED' });
      expect(seen).toEqual(expected.slice(0, seen.length));
      expect(seen.length).toBeLessThan(expected.length);
    } finally {
      await c.close();
    }
  });

  it('401 is S1QL_AUTH (exit 3); 403 is S1QL_PERMISSION naming the permission, never an auth failure', async () => {
    for (const [faults, code] of [
      ['token:invalid', 'S1QL_AUTH'],
      ['token:expired', 'S1QL_AUTH'],
      ['token:forbidden', 'S1QL_PERMISSION'],
      ['token:forbidden,variant:403-detail', 'S1QL_PERMISSION'],
    ] as const) {
      const emu = await emulator({ rateLimits: { scale: SCALE }, faults });
      const c = client(emu, SCALE);
      try {
        const error = (await failure(collectIds(runQuery(Q, runOptions(c))))) as RunnerError;
        expect(error).toMatchObject({ code, exitCode: 3 });
        if (code === 'S1QL_PERMISSION') {
          expect(error.message).toContain('SDL Data.viewEdr');
          expect(error.message.toLowerCase()).not.toContain('authentication');
          // A body that carries a detail alone is quoted as well as a coded one.
          expect(error.message).toContain(
            faults.includes('403-detail') ? 'User does not have required permissions.' : 'Insufficient permissions',
          );
        }
        expect(callsTo(emu, 'init-query')).toHaveLength(1);
      } finally {
        await c.close();
      }
    }
  });

  it('a token expiring mid-run is S1QL_AUTH, after a prefix of the events', async () => {
    // Limits scaled 6x: 10 events pages take ~0.2 s each, so the run outlives the token.
    const emu = await emulator({
      rateLimits: { scale: 6 },
      faults: `token:expires=${new Date(Date.now() + 600).toISOString()}`,
    });
    const c = client(emu, 6);
    const seen: string[] = [];
    try {
      const error = await failure(
        (async () => {
          for await (const e of runQuery(Q, runOptions(c, { pageSize: 10 }))) seen.push(String(e.id));
        })(),
      );
      expect(error).toMatchObject({ code: 'S1QL_AUTH', exitCode: 3 });
      expect(seen).toEqual(expectedIds(emu, Q).slice(0, seen.length));
      expect(emu.calls.some((c) => c.status === 401)).toBe(true);
    } finally {
      await c.close();
    }
  });
});

describe('rate limits, counted from the emulator’s call log', () => {
  it('three concurrent queries on one token stay within init-query 1/s, query-status 60/s, events 600/s', async () => {
    // The emulator enforces the real limits scaled 60x and answers 429 to any call over them.
    const emu = await emulator({ rateLimits: { scale: 60 }, queryDurationMs: 300 });
    const c = client(emu, 60);
    try {
      const queries = [Q, 'EventType = "File Creation"', 'EventType = "DNS Resolved"'];
      const results = await Promise.all(queries.map((q) => collectIds(runQuery(q, runOptions(c)))));
      queries.forEach((q, i) => {
        expect(results[i]).toEqual(expectedIds(emu, q));
      });
      expect(emu.calls.filter((c) => c.status === 429)).toEqual([]);
      const within = (endpoint: string, windowMs: number, max: number): void => {
        const times = callsTo(emu, endpoint).map((c) => c.time);
        for (let i = 0; i < times.length; i++) {
          const inWindow = times.filter((t) => t >= (times[i] as number) && t < (times[i] as number) + windowMs);
          expect(inWindow.length, `${endpoint} calls within ${windowMs} ms`).toBeLessThanOrEqual(max);
        }
      };
      expect(callsTo(emu, 'init-query')).toHaveLength(3);
      within('init-query', 1000, 1);
      within('query-status', 1000 / 60, 1);
      within('events', 1000 / 60, 10);
      const statuses = callsTo(emu, 'query-status').length;
      expect(statuses).toBeGreaterThan(3);
    } finally {
      await c.close();
    }
  });
});

describe('the token never shows', () => {
  it('is absent from errors, messages, summaries and the emulator call log', async () => {
    const texts: string[] = [];
    const record = (value: unknown): void => {
      texts.push(String(value), inspect(value, { depth: 10 }), JSON.stringify(value) ?? '');
      if (value instanceof Error) texts.push(value.message, value.stack ?? '', String(value.cause ?? ''));
    };
    for (const faults of ['token:invalid', 'token:forbidden', 'state:FAILED@1', 'drop:init-query', '']) {
      const emu = await emulator({ rateLimits: { scale: SCALE }, faults });
      const c = client(emu, SCALE, { onRetry: record });
      try {
        const handle = runQuery(Q, runOptions(c, { onProgress: record, limit: 60 }));
        try {
          await collectIds(handle);
          record(await handle.summary);
        } catch (error) {
          expect(isRunnerError(error)).toBe(true);
          record(error);
          record((error as RunnerError).cause);
        }
        record(c);
        record(c.connection);
        texts.push(JSON.stringify(emu.calls));
      } finally {
        await c.close();
      }
    }
    expect(texts.length).toBeGreaterThan(20);
    for (const t of texts) expect(t).not.toContain(TOKEN);
  });
});
