import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MockAgent } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import {
  Budgets,
  backoffDelay,
  classifyNetworkError,
  classifyState,
  createConnection,
  DvClient,
  GET_POLICY,
  INIT_POLICY,
  parseRetryAfter,
  progressOf,
  runQuery,
} from '../src/index.ts';

const ORIGIN = 'https://console.example.net';
let agent: MockAgent;
// Each test that makes a client closes its agent once (a test on a real socket makes none).
const closed = new WeakSet<MockAgent>();

function client(): DvClient {
  agent = new MockAgent();
  agent.disableNetConnect();
  return new DvClient(createConnection(ORIGIN, 'mock-token'), {
    budgets: new Budgets({ scale: 0 }),
    dispatcher: agent,
  });
}

afterEach(async () => {
  if (agent === undefined || closed.has(agent)) return;
  closed.add(agent);
  await agent.close();
});

describe('state classification (DV-API.md)', () => {
  it.each([
    ['RUNNING', 'running'],
    ['PLANNING', 'running'],
    ['QUERY_RUNNING', 'running'],
    ['EVENTS_RUNNING', 'running'],
    ['PROCESS_RUNNING', 'running'],
    ['FINISHED', 'done'],
    ['EMPTY_RESULTS', 'done'],
    ['QUERY_CANCEL', 'cancelled'],
    ['QUERY_CANCELLED', 'cancelled'],
    ['QUERY_EXPIRED', 'expired'],
    ['TIMED_OUT', 'expired'],
    ['TIMEOUT', 'expired'],
    ['FAILED', 'failed'],
    ['FAILED_CLIENT', 'failed'],
    ['ERROR', 'failed'],
    ['QUERY_NOT_FOUND', 'failed'],
    ['SOMETHING_NEW', 'running'],
    [undefined, 'running'],
  ])('%s is %s', (state, cls) => {
    expect(classifyState(state)).toBe(cls);
  });

  it('reads progressStatus as number or string', () => {
    expect(progressOf('60')).toBe(60);
    expect(progressOf(100)).toBe(100);
    expect(progressOf('')).toBeUndefined();
    expect(progressOf(null)).toBeUndefined();
  });
});

describe('retry data', () => {
  it('parses Retry-After seconds and HTTP-dates', () => {
    expect(parseRetryAfter('3', 0)).toBe(3000);
    expect(parseRetryAfter('0.5', 0)).toBe(500);
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:10 GMT', now)).toBe(10_000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });

  it('backs off exponentially, capped, jittered, scaled', () => {
    expect(backoffDelay(GET_POLICY, 1, 1, 0)).toBe(1000);
    expect(backoffDelay(GET_POLICY, 3, 1, 0)).toBe(4000);
    expect(backoffDelay(GET_POLICY, 10, 1, 0)).toBe(16_000);
    expect(backoffDelay(GET_POLICY, 10, 1, 0.999)).toBeGreaterThanOrEqual(8000);
    expect(backoffDelay(GET_POLICY, 1, 0.5, 0)).toBe(500);
    expect(INIT_POLICY.statuses).toEqual([429]);
  });

  it('tells connection failures before sending from those after', () => {
    expect(classifyNetworkError(Object.assign(new Error(), { code: 'ECONNREFUSED' }))).toBe('before-send');
    expect(classifyNetworkError(Object.assign(new Error(), { code: 'UND_ERR_CONNECT_TIMEOUT' }))).toBe('before-send');
    expect(classifyNetworkError(Object.assign(new Error(), { code: 'UND_ERR_SOCKET' }))).toBe('after-send');
    expect(classifyNetworkError(new Error('x', { cause: Object.assign(new Error(), { code: 'ECONNRESET' }) }))).toBe(
      'after-send',
    );
    expect(classifyNetworkError(Object.assign(new Error(), { code: 'CERT_HAS_EXPIRED' }))).toBe('fatal');
  });
});

describe('DvClient edge cases (MockAgent)', () => {
  it('a 2xx body that is not JSON is S1QL_BAD_RESPONSE', async () => {
    const c = client();
    agent
      .get(ORIGIN)
      .intercept({ path: '/web/api/v2.1/system/status', method: 'GET' })
      .reply(200, '<html>login</html>');
    await expect(c.call('other', { method: 'GET', path: 'system/status' })).rejects.toMatchObject({
      code: 'S1QL_BAD_RESPONSE',
      exitCode: 5,
    });
  });

  it('a connection error after sending init-query is not retried', async () => {
    const c = client();
    agent
      .get(ORIGIN)
      .intercept({ path: '/web/api/v2.1/dv/init-query', method: 'POST' })
      .replyWithError(Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }));
    await expect(
      c.call('init-query', { method: 'POST', path: 'dv/init-query', body: {}, policy: INIT_POLICY }),
    ).rejects.toMatchObject({ code: 'S1QL_NETWORK', message: expect.stringContaining('may have started') });
    expect(c.calls['init-query']).toBe(1);
  });

  it('a connect refusal on init-query is retried', async () => {
    const c = client();
    const pool = agent.get(ORIGIN);
    pool
      .intercept({ path: '/web/api/v2.1/dv/init-query', method: 'POST' })
      .replyWithError(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }));
    pool.intercept({ path: '/web/api/v2.1/dv/init-query', method: 'POST' }).reply(200, { data: { queryId: 'q1' } });
    await expect(
      c.call('init-query', { method: 'POST', path: 'dv/init-query', body: {}, policy: INIT_POLICY }),
    ).resolves.toEqual({ data: { queryId: 'q1' } });
    expect(c.calls['init-query']).toBe(2);
  });

  it('a refused connection does not use the init-query minute: an unreachable console fails in seconds', async () => {
    // Real limits (scale 1): each refused attempt gives its slot back, so only the backoff (1 + 2 + 4 s at most) is
    // waited, not three init-query minutes. Port 1 on loopback refuses at once.
    const c = new DvClient(createConnection('http://127.0.0.1:1', 'refused-token'), { budgets: new Budgets() });
    const started = Date.now();
    await expect(
      c.call('init-query', { method: 'POST', path: 'dv/init-query', body: {}, policy: INIT_POLICY }),
    ).rejects.toMatchObject({ code: 'S1QL_NETWORK', message: expect.stringContaining('ECONNREFUSED') });
    expect(c.calls['init-query']).toBe(INIT_POLICY.maxAttempts);
    expect(Date.now() - started).toBeLessThan(20_000);
    await c.close();
  }, 30_000);

  it('a Retry-After longer than the policy waits is rate limiting that did not clear, reported at once', async () => {
    const server = createServer((_req, res) => {
      res.writeHead(429, { 'content-type': 'text/html', 'retry-after': '100000' });
      res.end('<html>429 Too Many Requests</html>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const c = new DvClient(createConnection(`http://127.0.0.1:${port}`, 'ra-token'), { budgets: new Budgets() });
    try {
      await expect(c.call('query-status', { method: 'GET', path: 'dv/query-status' })).rejects.toMatchObject({
        code: 'S1QL_RATE_LIMIT',
        exitCode: 5,
        message: expect.stringContaining('pause of 100000 s'),
      });
      expect(c.calls['query-status']).toBe(1);
    } finally {
      await c.close();
      server.close();
    }
  });

  it('a run whose time runs out while the console stays unreachable fails as a network failure (exit 5)', async () => {
    const run = runQuery('EventType = "Process Creation"', {
      connection: createConnection('http://127.0.0.1:1', 'refused-token'),
      budgets: new Budgets(),
      timeoutMs: 1_500,
    });
    const drain = async (): Promise<void> => {
      for await (const _ of run) {
        // no events: the console is never reached
      }
    };
    await expect(drain()).rejects.toMatchObject({
      code: 'S1QL_NETWORK',
      exitCode: 5,
      cancel: 'not-needed',
      message: expect.stringContaining('when the time ran out'),
    });
  }, 15_000);

  it('https:// to a plain-HTTP server (a real socket) says the server does not speak HTTPS, not "cannot reach"', async () => {
    const server = createServer((_req, res) => res.end('{}'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const c = new DvClient(createConnection(`https://127.0.0.1:${port}`, 'tls-token'), {
      budgets: new Budgets({ scale: 0 }),
    });
    try {
      await expect(c.call('other', { method: 'GET', path: 'system/status' })).rejects.toMatchObject({
        code: 'S1QL_NETWORK',
        message: expect.stringContaining('does not speak HTTPS there'),
      });
    } finally {
      await c.close();
      server.close();
    }
  });

  it('sends a cursor holding = URL-encoded exactly once', async () => {
    const c = client();
    const pool = agent.get(ORIGIN);
    const seen: string[] = [];
    pool
      .intercept({
        path: (p) => {
          seen.push(p);
          return p.startsWith('/web/api/v2.1/dv/events');
        },
        method: 'GET',
      })
      .reply(200, { data: [], pagination: { nextCursor: null, totalItems: 0 } });
    await c.call('events', {
      method: 'GET',
      path: 'dv/events',
      query: { queryId: 'q1', limit: 10, cursor: 'ab+c/d==' },
    });
    expect(seen.at(-1)).toBe('/web/api/v2.1/dv/events?queryId=q1&limit=10&cursor=ab%2Bc%2Fd%3D%3D');
  });

  it('a page that ends before totalItems is never a silently short result', async () => {
    const c = client();
    const pool = agent.get(ORIGIN);
    pool.intercept({ path: '/web/api/v2.1/dv/init-query', method: 'POST' }).reply(200, { data: { queryId: 'q1' } });
    pool
      .intercept({ path: (p) => p.startsWith('/web/api/v2.1/dv/query-status'), method: 'GET' })
      .reply(200, { data: { responseState: 'FINISHED', progressStatus: 100 } });
    pool
      .intercept({ path: (p) => p.startsWith('/web/api/v2.1/dv/events'), method: 'GET' })
      .reply(200, { data: [{ id: '1' }], pagination: { nextCursor: null, totalItems: 5 } });
    const seen: unknown[] = [];
    await expect(
      (async () => {
        for await (const e of runQuery('SrcProcName = "x"', { client: c })) seen.push(e.id);
      })(),
    ).rejects.toMatchObject({ code: 'S1QL_BAD_RESPONSE' });
    expect(seen).toEqual(['1']);
  });
});
