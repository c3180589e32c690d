/**
 * An abort or a timeout while dv/init-query is in flight, against the emulator over real sockets: the console may
 * already have started the query, so the runner lets that request answer for a bounded grace and cancels the query
 * it started; when the answer does not come in time, the error says a query may still be running.
 */
import { type RunnerError, runQuery } from '@s1ql/runner';
import { afterEach, describe, expect, it } from 'vitest';
import { callsTo, client, closeAll, collectIds, emulator, failure, runOptions, TOKEN } from './helpers.ts';

const Q = 'EventType = "Process Creation"';
const SCALE = 600;

afterEach(closeAll);

type Emu = Awaited<ReturnType<typeof emulator>>;

async function responseState(emu: Emu, queryId: string): Promise<string> {
  const res = await fetch(`${emu.url}/web/api/v2.1/dv/query-status?queryId=${queryId}`, {
    headers: { authorization: `ApiToken ${TOKEN}` },
  });
  return ((await res.json()) as { data: { responseState: string } }).data.responseState;
}

/** The init-query the emulator accepted (logged once answered), and the cancel-query it then received for it. */
async function expectCancelled(emu: Emu, error: RunnerError): Promise<void> {
  const inits = callsTo(emu, 'init-query');
  expect(inits.map((c) => c.status)).toEqual([200]);
  const queryId = inits[0]?.queryId as string;
  expect(queryId).toMatch(/^q[0-9a-f]{32}$/);
  expect(callsTo(emu, 'cancel-query').map((c) => [c.status, c.queryId])).toEqual([[200, queryId]]);
  expect(await responseState(emu, queryId)).toBe('QUERY_CANCELLED');
  expect(emu.stats.runningQueries).toBe(0);
  expect(error).toMatchObject({ cancel: 'sent', queryId, exitCode: 4 });
  expect(error.message).toContain(`cancel sent for ${queryId}`);
  expect(error.message).not.toContain('may still be running');
  expect(error.message).not.toContain(TOKEN);
}

/** Runs Q on `c`, aborts it after `ms`, and returns the run's error and how long it took to come. */
async function abortAfter(
  c: ReturnType<typeof client>,
  ms: number,
  options: Omit<Parameters<typeof runOptions>[1], 'signal'> = {},
): Promise<{ error: RunnerError; handle: ReturnType<typeof runQuery>; elapsedMs: number }> {
  const controller = new AbortController();
  const handle = runQuery(Q, runOptions(c, { ...options, signal: controller.signal }));
  setTimeout(() => controller.abort(), ms);
  const started = Date.now();
  const error = (await failure(collectIds(handle))) as RunnerError;
  return { error, handle, elapsedMs: Date.now() - started };
}

describe('abort or timeout while init-query is in flight', () => {
  it('abort: the slow init-query is let answer, and the query it started is cancelled', async () => {
    const emu = await emulator({ rateLimits: { scale: SCALE }, queryDurationMs: 60_000, faults: 'slow:1s:init-query' });
    const c = client(emu, SCALE);
    try {
      const { error, handle, elapsedMs } = await abortAfter(c, 150);
      expect(elapsedMs).toBeLessThan(4000);
      expect(error).toMatchObject({ code: 'S1QL_CANCELLED' });
      await expectCancelled(emu, error);
      await expect(handle.summary).rejects.toBe(error);
    } finally {
      await c.close();
    }
  });

  it('timeout: the slow init-query is let answer, the query cancelled, S1QL_TIMEOUT says so', async () => {
    const emu = await emulator({ rateLimits: { scale: SCALE }, queryDurationMs: 60_000, faults: 'slow:1s:init-query' });
    const c = client(emu, SCALE);
    try {
      const error = (await failure(collectIds(runQuery(Q, runOptions(c, { timeoutMs: 150 }))))) as RunnerError;
      expect(error).toMatchObject({ code: 'S1QL_TIMEOUT' });
      expect(error.message).toContain('raise --timeout');
      await expectCancelled(emu, error);
    } finally {
      await c.close();
    }
  });

  it('a cancel that fails is reported as failed: the query may still be running', async () => {
    const emu = await emulator({
      rateLimits: { scale: SCALE },
      queryDurationMs: 60_000,
      faults: 'slow:500ms:init-query,500:cancel-query',
    });
    const c = client(emu, SCALE);
    try {
      const { error } = await abortAfter(c, 100);
      const queryId = callsTo(emu, 'init-query')[0]?.queryId;
      expect(error).toMatchObject({ code: 'S1QL_CANCELLED', cancel: 'failed', queryId });
      expect(error.message).toContain(`cancelling ${queryId} failed`);
      expect(error.message).toContain('may still be running on the console');
      expect(error.message).not.toContain('cancel sent');
      // Bounded: CANCEL_POLICY's attempts, then it gives up.
      expect(callsTo(emu, 'cancel-query').map((call) => call.status)).toEqual([500, 500, 500]);
    } finally {
      await c.close();
    }
  });

  it('no answer within the grace: the error says a query may still be running, and no retry is made', async () => {
    const emu = await emulator({ rateLimits: { scale: SCALE }, queryDurationMs: 60_000, faults: 'slow:3s:init-query' });
    const c = client(emu, SCALE);
    try {
      const { error, elapsedMs } = await abortAfter(c, 100, { abortGraceMs: 300 });
      // Within the grace, not after the slow answer.
      expect(elapsedMs).toBeLessThan(2000);
      expect(error).toMatchObject({ code: 'S1QL_CANCELLED', cancel: 'unknown', queryId: undefined, exitCode: 4 });
      expect(error.message).toContain('a query may still be running on the console');
      expect(error.message).not.toContain('cancel sent');
      expect(error.message).not.toContain(TOKEN);
      expect(c.calls['init-query']).toBe(1);
      expect(c.calls['cancel-query']).toBe(0);
    } finally {
      await c.close();
    }
  });

  it('a 5xx within the grace: the outcome is unknown, said so, not retried', async () => {
    const emu = await emulator({ rateLimits: { scale: SCALE }, faults: 'slow:500ms:init-query,500:init-query' });
    const c = client(emu, SCALE);
    try {
      const { error } = await abortAfter(c, 100);
      expect(error).toMatchObject({ code: 'S1QL_CANCELLED', cancel: 'unknown' });
      expect(error.message).toContain('a query may still be running on the console');
      expect(callsTo(emu, 'init-query').map((call) => call.status)).toEqual([500]);
      expect(callsTo(emu, 'cancel-query')).toHaveLength(0);
    } finally {
      await c.close();
    }
  });

  it('abort while init-query waits for its budget slot: nothing was sent, and the error says so', async () => {
    const emu = await emulator({ rateLimits: 'off' });
    const c = client(emu, 1); // the real 1/min pacing
    try {
      // Another run on this token just took the init-query slot: this one waits a minute for its own.
      await c.budgets.get(c.connection.fingerprint, 'init-query').acquire();
      const { error } = await abortAfter(c, 100);
      expect(error).toMatchObject({ code: 'S1QL_CANCELLED', cancel: 'not-needed', queryId: undefined });
      expect(error.message).toContain('no query had been started');
      expect(emu.calls).toHaveLength(0);
    } finally {
      await c.close();
    }
  });
});
