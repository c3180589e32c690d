import { writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compile } from '@s1ql/engine';
import { parse } from '@s1ql/language';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  createTelemetry,
  type EmulatorHandle,
  type EmulatorOptions,
  FAULT_STATES,
  loadEvents,
  NGINX_429,
  startEmulator,
  type Telemetry,
} from '../src/index.ts';
import { allEvents, call, END, FROM, initBody, initQuery, TO, TOKEN, waitDone } from './helpers.ts';

let emu: EmulatorHandle | undefined;
afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

async function start(options: EmulatorOptions = {}): Promise<EmulatorHandle> {
  emu = await startEmulator({ events: 5000, endMs: END, rateLimits: 'off', queryDurationMs: 20, ...options });
  return emu;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface StatusData {
  responseState: string;
  progressStatus: number | string;
  responseError?: string;
}

async function status(e: EmulatorHandle, id: string): Promise<StatusData> {
  const got = await call(e, 'GET', `dv/query-status?queryId=${id}`);
  if (got.status !== 200) throw new Error(`query-status ${got.status}: ${got.text}`);
  return (got.json as { data: StatusData }).data;
}

/** Polls query-status until it reports `state` (running states included), and returns that status. */
async function waitState(e: EmulatorHandle, id: string, state: string): Promise<StatusData> {
  const seen: string[] = [];
  for (let i = 0; i < 500; i++) {
    const data = await status(e, id);
    if (data.responseState === state) return data;
    seen.push(data.responseState);
    await sleep(5);
  }
  throw new Error(`query never reported ${state} (saw ${[...new Set(seen)].join(', ')})`);
}

/** A GET read byte by byte as it arrives: whatever the body was before the connection ended, and whether it ended cleanly. */
function rawGet(e: EmulatorHandle, path: string): Promise<{ status: number; body: string; ended: boolean }> {
  return new Promise((resolve, reject) => {
    const req = request(`${e.url}/web/api/v2.1/${path}`, { headers: { authorization: `ApiToken ${TOKEN}` } }, (res) => {
      const chunks: Buffer[] = [];
      let ended = false;
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        ended = true;
      });
      res.on('close', () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), ended }),
      );
      res.on('error', () => undefined);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('endpoints and envelopes', () => {
  it('serves system/status and api-token-details', async () => {
    const e = await start({ tokenCreatedAt: '2026-01-01T00:00:00Z', tokenExpiresAt: '2027-01-01T00:00:00Z' });
    const health = await call(e, 'GET', 'system/status');
    expect(health.status).toBe(200);
    expect(health.json).toEqual({ data: { health: 'ok' } });
    const details = await call(e, 'POST', 'users/api-token-details', { data: { apiToken: TOKEN } });
    expect(details.json).toEqual({
      data: { createdAt: '2026-01-01T00:00:00.000Z', expiresAt: '2027-01-01T00:00:00.000Z' },
    });
  });

  it('runs init → status → events and returns every match exactly once across pages', async () => {
    const e = await start();
    const query = 'EventType = "Process Creation" AND EndpointOS = "windows"';
    const id = await initQuery(e, query);
    expect(id).toMatch(/^q[0-9a-f]{32}$/);
    const states = await waitDone(e, id);
    expect(states.at(-1)).toBe('FINISHED');
    const { events, pages, total } = await allEvents(e, id, 37);
    // The engine run directly over the same generator is the reference.
    const { ast } = parse(query);
    const compiled = compile(ast);
    if (!compiled.ok) throw new Error('compile');
    const telemetry = e.telemetry;
    if (!telemetry) throw new Error('no telemetry');
    const expected = [...telemetry].filter((x) => compiled.query.test(x)).map((x) => x.id);
    expect(expected.length).toBeGreaterThan(100);
    expect(events.map((x) => x.id)).toEqual(expected);
    expect(total).toBe(expected.length);
    expect(pages).toBe(Math.ceil(expected.length / 37));
  });

  it('pages with the default size of 10 and reports nextCursor null on the last page', async () => {
    const e = await start();
    const id = await initQuery(e, 'DnsRequest ContainsCIS "avsvmcloud.com"');
    await waitDone(e, id);
    const got = await call(e, 'GET', `dv/events?queryId=${id}`);
    expect(got.json).toMatchObject({ pagination: { nextCursor: null, totalItems: 1 } });
    expect((got.json as { data: unknown[] }).data).toHaveLength(1);
    const many = await initQuery(e, 'ObjectType = "file"');
    await waitDone(e, many);
    const page = (await call(e, 'GET', `dv/events?queryId=${many}`)).json as {
      data: unknown[];
      pagination: { nextCursor: string };
    };
    expect(page.data).toHaveLength(10);
    // Cursors are base64 with padding: they only round-trip URL-encoded.
    expect(page.pagination.nextCursor).toMatch(/=$/);
  });

  it('filters dv/events/{type} by object type', async () => {
    const e = await start();
    const id = await initQuery(e, 'EndpointName = "FIN-WS-07"');
    await waitDone(e, id);
    const all = await allEvents(e, id);
    const files = await allEvents(e, id, 50, 'file');
    expect(files.events.length).toBeGreaterThan(0);
    expect(files.events.every((x) => x.objectType === 'file')).toBe(true);
    expect(files.events.map((x) => x.id)).toEqual(all.events.filter((x) => x.objectType === 'file').map((x) => x.id));
    expect((await call(e, 'GET', `dv/events/nonsense?queryId=${id}`)).status).toBe(400);
    // A malformed percent-escape names no route: a client error, not the emulator's internal error.
    const malformed = await call(e, 'GET', `dv/events/%E0%A4%A?queryId=${id}`);
    expect(malformed.status).toBeGreaterThanOrEqual(400);
    expect(malformed.status).toBeLessThan(500);
  });

  it('reports EMPTY_RESULTS, respects the time window and the limit', async () => {
    const e = await start();
    const none = await initQuery(e, 'TgtProcName = "no-such-process.exe"');
    expect((await waitDone(e, none)).at(-1)).toBe('EMPTY_RESULTS');
    const outside = await initQuery(e, 'EndpointOS = "windows"', {
      fromDate: '2020-01-01T00:00:00Z',
      toDate: '2020-01-02T00:00:00Z',
    });
    expect((await waitDone(e, outside)).at(-1)).toBe('EMPTY_RESULTS');
    const limited = await initQuery(e, 'EndpointOS = "windows"', { limit: 25 });
    await waitDone(e, limited);
    expect((await allEvents(e, limited, 1000)).total).toBe(25);
    // Epoch milliseconds are dates too.
    const epoch = await initQuery(e, 'EndpointOS = "linux"', { fromDate: END - 3_600_000, toDate: END });
    await waitDone(e, epoch);
    const { events } = await allEvents(e, epoch);
    for (const x of events) expect(Date.parse(x.createdAt as string)).toBeGreaterThanOrEqual(END - 3_600_000);
  });

  it('progresses through running states, sometimes sending progressStatus as a string', async () => {
    const e = await start({ queryDurationMs: 2000 });
    const id = await initQuery(e, 'EndpointOS = "osx"');
    const seen: { state: string; progress: unknown }[] = [];
    for (;;) {
      const got = (await call(e, 'GET', `dv/query-status?queryId=${id}`)).json as {
        data: { responseState: string; progressStatus: unknown };
      };
      seen.push({ state: got.data.responseState, progress: got.data.progressStatus });
      if (got.data.responseState === 'FINISHED') break;
      await sleep(40);
    }
    const states = [...new Set(seen.map((s) => s.state))];
    expect(states[0]).toBe('RUNNING');
    expect(states).toContain('QUERY_RUNNING');
    expect(states.at(-1)).toBe('FINISHED');
    expect(seen.some((s) => typeof s.progress === 'string')).toBe(true);
    const numbers = seen.map((s) => Number(s.progress));
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
    expect(seen.at(-1)?.progress).toBe(100);
  });

  it('refuses to page before the query is done, and cancels', async () => {
    const e = await start({ queryDurationMs: 5000 });
    const id = await initQuery(e, 'EndpointOS = "windows"');
    const early = await call(e, 'GET', `dv/events?queryId=${id}`);
    expect(early.status).toBe(400);
    expect(JSON.stringify(early.json)).toContain('not finished');
    const cancelled = await call(e, 'POST', 'dv/cancel-query', { queryId: id });
    expect(cancelled.json).toEqual({ data: { success: true } });
    const status = await call(e, 'GET', `dv/query-status?queryId=${id}`);
    expect((status.json as { data: { responseState: string } }).data.responseState).toBe('QUERY_CANCELLED');
  });

  it('answers unknown queries and missing ids like the API', async () => {
    const e = await start();
    const missing = await call(e, 'GET', 'dv/query-status');
    expect(missing.status).toBe(400);
    expect(missing.json).toEqual({ errors: [{ detail: 'queryId: Missing data for required field.' }] });
    const unknown = await call(e, 'GET', `dv/query-status?queryId=q${'0'.repeat(32)}`);
    expect(unknown.status).toBe(404);
    expect(unknown.json).toEqual({ errors: [{ code: 4040010, detail: 'Query Not Found' }] });
    expect((await call(e, 'GET', 'dv/nothing')).status).toBe(404);
  });

  it('rejects a cursor that is not exactly one it issued', async () => {
    const e = await start();
    const id = await initQuery(e, 'ObjectType = "ip"');
    await waitDone(e, id);
    const first = (await call(e, 'GET', `dv/events?queryId=${id}&limit=5`)).json as {
      pagination: { nextCursor: string };
    };
    const cursor = first.pagination.nextCursor;
    const last = cursor.slice(-3, -2);
    const tampered = `${cursor.slice(0, -3)}${last === 'A' ? 'B' : 'A'}==`;
    expect(tampered).not.toBe(cursor);
    const bad = await call(e, 'GET', `dv/events?queryId=${id}&limit=5&cursor=${encodeURIComponent(tampered)}`);
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({ errors: [{ code: 4000010, detail: 'cursor: Invalid cursor' }] });
    const good = await call(e, 'GET', `dv/events?queryId=${id}&limit=5&cursor=${encodeURIComponent(cursor)}`);
    expect(good.status).toBe(200);
  });
});

describe('authentication', () => {
  it('answers 401 with the API body for a missing or wrong token', async () => {
    const e = await start({ token: 'right-token' });
    const none = await call(e, 'GET', 'system/status', undefined, null);
    expect(none.status).toBe(401);
    expect(none.json).toEqual({ errors: [{ code: 4010010, detail: null, title: 'Authentication Failed' }] });
    expect((await call(e, 'GET', 'system/status', undefined, 'wrong-token')).status).toBe(401);
    expect((await call(e, 'GET', 'system/status', undefined, 'right-token')).status).toBe(200);
    // The call log holds fingerprints, never the token.
    expect(JSON.stringify(e.calls)).not.toContain('right-token');
    expect(JSON.stringify(e.calls)).not.toContain('wrong-token');
    expect(e.calls[0]?.token).toBeNull();
    expect(e.calls[1]?.token).toMatch(/^[0-9a-f]{12}$/);
  });

  it('answers 403 Insufficient permissions on DV endpoints for token:forbidden', async () => {
    const e = await start({ faults: 'token:forbidden' });
    const got = await call(e, 'POST', 'dv/init-query', initBody('EndpointOS = "linux"'));
    expect(got.status).toBe(403);
    expect(got.json).toEqual({ errors: [{ code: 4030010, detail: null, title: 'Insufficient permissions' }] });
    expect((await call(e, 'GET', 'system/status')).status).toBe(200);
  });

  it('variant:403-detail: the 403 carries a detail string alone, as other 403s of real consoles do', async () => {
    const e = await start({ faults: 'token:forbidden,variant:403-detail' });
    const got = await call(e, 'GET', 'dv/query-status?queryId=q1');
    expect(got.status).toBe(403);
    expect(got.json).toEqual({ errors: [{ detail: 'User does not have required permissions.' }] });
    await e.close();
    const injected = await start({ faults: 'status:403:events,variant:403-detail' });
    expect((await call(injected, 'GET', 'dv/events?queryId=q1')).json).toEqual({
      errors: [{ detail: 'User does not have required permissions.' }],
    });
  });

  it('expires tokens: api-token-details reports expiresAt, and after it every call is 401', async () => {
    const soon = new Date(Date.now() + 300).toISOString();
    const e = await start({ faults: `token:expires=${soon}` });
    const details = await call(e, 'POST', 'users/api-token-details', { data: { apiToken: TOKEN } });
    expect((details.json as { data: { expiresAt: string } }).data.expiresAt).toBe(soon);
    await sleep(350);
    expect((await call(e, 'GET', 'system/status')).status).toBe(401);
    await e.close();
    emu = await startEmulator({ faults: 'token:expired', rateLimits: 'off', events: 10 });
    expect((await call(emu, 'GET', 'system/status')).status).toBe(401);
    expect((await call(emu, 'GET', 'system/status', undefined, null)).status).toBe(401);
  });
});

describe('init-query validation', () => {
  it('rejects a query that does not parse with 4000040 "could not parse query"', async () => {
    const e = await start();
    const got = await call(e, 'POST', 'dv/init-query', initBody('TgtProcName = '));
    expect(got.status).toBe(400);
    const error = (got.json as { errors: { code: number; detail: string }[] }).errors[0];
    expect(error?.code).toBe(4000040);
    expect(error?.detail).toContain('could not parse query');
  });

  it('rejects a -- comment but accepts newlines', async () => {
    const e = await start();
    const comment = await call(e, 'POST', 'dv/init-query', initBody('-- hunt\nEndpointOS = "linux"'));
    expect(comment.status).toBe(400);
    expect(comment.json).toMatchObject({ errors: [{ code: 4000040 }] });
    expect(JSON.stringify(comment.json)).toContain('could not parse query');
    const newline = await call(e, 'POST', 'dv/init-query', initBody('EndpointOS = "linux"\nAND ObjectType = "ip"'));
    expect(newline.status).toBe(200);
  });

  it('checks limit against 20000, or 100000 in current-spec mode', async () => {
    const e = await start();
    const over = await call(e, 'POST', 'dv/init-query', initBody('EndpointOS = "linux"', { limit: 20001 }));
    expect(over.status).toBe(400);
    expect(over.json).toEqual({
      errors: [
        {
          code: 4000010,
          detail: 'Limit must be greater than or equals to 1 and less than equals to 20000',
          title: 'Validation Error',
        },
      ],
    });
    expect((await call(e, 'POST', 'dv/init-query', initBody('EndpointOS = "linux"', { limit: 0 }))).status).toBe(400);
    await e.close();
    const current = await start({ faults: 'variant:limit-100000' });
    expect(
      (await call(current, 'POST', 'dv/init-query', initBody('EndpointOS = "linux"', { limit: 100_000 }))).status,
    ).toBe(200);
    const above = await call(current, 'POST', 'dv/init-query', initBody('EndpointOS = "linux"', { limit: 100_010 }));
    expect(JSON.stringify(above.json)).toContain('less than equals to 100000');
  });

  it('requires query and valid dates', async () => {
    const e = await start();
    expect((await call(e, 'POST', 'dv/init-query', { fromDate: FROM, toDate: TO })).status).toBe(400);
    const bad = await call(e, 'POST', 'dv/init-query', {
      query: 'EndpointOS = "linux"',
      fromDate: 'yesterday',
      toDate: TO,
    });
    expect(bad.json).toMatchObject({ errors: [{ code: 4000010 }] });
  });
});

describe('init-query dates', () => {
  it('reads a date without a zone as UTC, whatever the server time zone', async () => {
    const events = ['2026-11-01T02:00:00.000000Z', '2026-11-01T06:00:00.000000Z'].map((createdAt, i) => ({
      createdAt,
      id: String(i),
      endpointOs: 'linux',
    }));
    const e = await start({ eventList: events });
    const tz = process.env.TZ;
    process.env.TZ = 'America/New_York';
    try {
      const id = await initQuery(e, 'EndpointOS = "linux"', {
        fromDate: '2026-11-01T00:00:00',
        toDate: '2026-11-01T03:00:00',
      });
      await waitDone(e, id);
      expect((await allEvents(e, id)).events.map((ev) => ev.id)).toEqual(['0']);
    } finally {
      if (tz === undefined) delete process.env.TZ;
      else process.env.TZ = tz;
    }
  });

  it('rejects dates that do not exist (February 30, November 31)', async () => {
    const e = await start();
    for (const fromDate of ['2026-02-30T00:00:00.000Z', '2026-11-31T00:00:00Z', '2026-11-01T25:00:00Z']) {
      const got = await call(e, 'POST', 'dv/init-query', initBody('EndpointOS = "linux"', { fromDate }));
      expect(got.status, fromDate).toBe(400);
      expect(got.json, fromDate).toMatchObject({
        errors: [{ code: 4000010, detail: 'fromDate: Not a valid datetime.' }],
      });
    }
  });
});

describe('rate limits', () => {
  it('allows one init-query per minute per token, with a truthful Retry-After', async () => {
    const e = await start({ rateLimits: 'real' });
    expect((await call(e, 'POST', 'dv/init-query', initBody('EndpointOS = "linux"'))).status).toBe(200);
    const refused = await call(e, 'POST', 'dv/init-query', initBody('EndpointOS = "linux"'));
    expect(refused.status).toBe(429);
    expect(refused.text).toBe(NGINX_429);
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(55);
    expect(retryAfter).toBeLessThanOrEqual(60);
    // Another token has its own budget.
    expect((await call(e, 'POST', 'dv/init-query', initBody('EndpointOS = "linux"'), 'other')).status).toBe(200);
  });

  it('scales the windows: query-status at 60x is 60 per second, shared across queries; waiting Retry-After clears it', async () => {
    const e = await start({ rateLimits: { scale: 60 } });
    const a = await initQuery(e, 'EndpointOS = "linux"');
    const b = (await call(e, 'POST', 'dv/init-query', initBody('EndpointOS = "osx"'))).status;
    expect(b).toBe(429); // init-query: 1 per second at scale 60
    expect((await call(e, 'GET', `dv/query-status?queryId=${a}`)).status).toBe(200);
    const second = await call(e, 'GET', `dv/query-status?queryId=${a}`);
    expect(second.status).toBe(429);
    expect(second.headers.get('retry-after')).toBe('1');
    await sleep(1000);
    expect((await call(e, 'POST', 'dv/init-query', initBody('EndpointOS = "osx"'))).status).toBe(200);
  });

  it("variant:429-json: a 429 in the API's JSON envelope, Retry-After as configured", async () => {
    const e = await start({ rateLimits: 'real', faults: 'variant:429-json' });
    await call(e, 'GET', 'dv/query-status?queryId=x');
    const refused = await call(e, 'GET', 'dv/query-status?queryId=x');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('content-type')).toMatch(/^application\/json/);
    expect(refused.json).toEqual({ errors: [{ code: 4290010, detail: null, title: 'Too Many Requests' }] });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    await e.close();
    const injected = await start({ faults: 'status:429:system-status@1,variant:429-json,retry-after:off' });
    const got = await call(injected, 'GET', 'system/status');
    expect([got.status, got.json, got.headers.get('retry-after')]).toEqual([
      429,
      { errors: [{ code: 4290010, detail: null, title: 'Too Many Requests' }] },
      null,
    ]);
  });

  it('can leave Retry-After out', async () => {
    const e = await start({ rateLimits: 'real', retryAfter: false });
    await call(e, 'GET', 'dv/query-status?queryId=x');
    const refused = await call(e, 'GET', 'dv/query-status?queryId=x');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBeNull();
  });
});

describe('faults', () => {
  it('status:429@2 refuses exactly the second call', async () => {
    const e = await start({ faults: 'status:429:system-status@2' });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await call(e, 'GET', 'system/status')).status);
    expect(statuses).toEqual([200, 429, 200]);
    expect(e.calls[1]?.faults).toEqual(['status:429']);
  });

  it('5xx with a probability is deterministic for a seed and gives realistic bodies', async () => {
    const run = async () => {
      const e = await start({ faults: '5xx:system-status@0.5', faultSeed: 9 });
      const out: number[] = [];
      for (let i = 0; i < 20; i++) out.push((await call(e, 'GET', 'system/status')).status);
      await e.close();
      emu = undefined;
      return out;
    };
    const first = await run();
    expect(await run()).toEqual(first);
    expect(first.filter((s) => s >= 500).length).toBeGreaterThan(2);
    expect(first.every((s) => s === 200 || [500, 502, 503, 504].includes(s))).toBe(true);
  });

  it('drop:events@1 closes the connection without a response', async () => {
    const e = await start({ faults: 'drop:events@1' });
    const id = await initQuery(e, 'EndpointOS = "linux"');
    await waitDone(e, id);
    await expect(call(e, 'GET', `dv/events?queryId=${id}`)).rejects.toThrow();
    expect((await call(e, 'GET', `dv/events?queryId=${id}`)).status).toBe(200);
    expect(e.calls.find((c) => c.endpoint === 'events')?.status).toBe(0);
  });

  it('cut sends the status, the headers and half the body, then closes the connection', async () => {
    const e = await start({ faults: 'cut:query-status@1,cut:events@1' });
    const id = await initQuery(e, 'EventType = "Process Creation"');
    await sleep(200); // finished (queryDurationMs 20): both status answers below are the same
    // A body with a length: half of it arrives, then the connection ends short of content-length.
    const status = await rawGet(e, `dv/query-status?queryId=${id}`);
    expect(status.status).toBe(200);
    const whole = (await call(e, 'GET', `dv/query-status?queryId=${id}`)).text;
    expect(status.body).toBe(whole.slice(0, whole.length >> 1));
    expect(status.ended).toBe(false);
    // A streamed page: the first bytes of the same page, then no terminating chunk.
    const page = await rawGet(e, `dv/events?queryId=${id}&limit=1000`);
    expect(page.status).toBe(200);
    const full = (await call(e, 'GET', `dv/events?queryId=${id}&limit=1000`)).text;
    expect(page.body.length).toBeGreaterThan(1000);
    expect(page.body.length).toBeLessThan(full.length);
    expect(full.startsWith(page.body)).toBe(true);
    expect(page.ended).toBe(false);
    const cut = e.calls.filter((c) => c.faults.includes('cut'));
    expect(cut.map((c) => [c.endpoint, c.status])).toEqual([
      ['query-status', 200],
      ['events', 200],
    ]);
  });

  it('a failure while a page is streamed cuts the connection: a broken body, never a hang', async () => {
    const base = createTelemetry({ seed: 3, count: 2000, endMs: END });
    // The events' text fails part-way through the first page, after its first chunks have been sent.
    const failing: Telemetry = Object.assign(Object.create(base) as Telemetry, {
      jsonAt: (i: number) => {
        if (i >= 200) throw new Error('event text failed');
        return base.jsonAt(i);
      },
    });
    const warnings = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    try {
      const e = await start({ telemetry: failing });
      const id = await initQuery(e, 'EventType = "Process Creation" OR EventType != "Process Creation"');
      await waitDone(e, id);
      const page = await rawGet(e, `dv/events?queryId=${id}&limit=1000`);
      expect(page.status).toBe(200);
      expect(page.body.length).toBeGreaterThan(64 * 1024 - 1);
      expect(page.ended).toBe(false);
      expect(String(warnings.mock.calls[0]?.[0])).toContain('s1ql emulator: internal error: event text failed');
      // The server is still up.
      expect((await call(e, 'GET', 'system/status')).status).toBe(200);
    } finally {
      warnings.mockRestore();
    }
  });

  it('slow delays the response', async () => {
    const e = await start({ faults: 'slow:200ms:system-status@1' });
    const t0 = Date.now();
    await call(e, 'GET', 'system/status');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(190);
  });

  it('state:FAILED ends the query with responseError; state:TIMED_OUT too', async () => {
    const e = await start({ faults: 'state:FAILED@1,state:TIMED_OUT@2,state:SOMETHING_NEW@3' });
    const failed = await initQuery(e, 'EndpointOS = "linux"');
    await waitDone(e, failed);
    const status = (await call(e, 'GET', `dv/query-status?queryId=${failed}`)).json as {
      data: { responseState: string; responseError: string };
    };
    expect(status.data.responseState).toBe('FAILED');
    expect(status.data.responseError).toMatch(/failed/i);
    const timedOut = await initQuery(e, 'EndpointOS = "linux"');
    expect((await waitDone(e, timedOut)).at(-1)).toBe('TIMED_OUT');
    expect((await call(e, 'GET', `dv/events?queryId=${timedOut}`)).status).toBe(400);
  });

  it('state:EMPTY_RESULTS ends a query that matched in EMPTY_RESULTS, and paging it gives zero events', async () => {
    const e = await start({ faults: 'state:EMPTY_RESULTS@1' });
    const id = await initQuery(e, 'EndpointOS = "linux"');
    expect((await waitDone(e, id)).at(-1)).toBe('EMPTY_RESULTS');
    expect(await status(e, id)).toEqual({ responseState: 'EMPTY_RESULTS', progressStatus: 100 });
    expect(await allEvents(e, id)).toEqual({ events: [], pages: 1, total: 0 });
    const page = await call(e, 'GET', `dv/events?queryId=${id}&limit=1000`);
    expect(page.json).toEqual({ data: [], pagination: { nextCursor: null, totalItems: 0 } });
    expect((await call(e, 'GET', `dv/events/process?queryId=${id}`)).json).toMatchObject({ data: [] });
    // The next query is not affected: it matches and finishes.
    const next = await initQuery(e, 'EndpointOS = "linux"');
    expect((await waitDone(e, next)).at(-1)).toBe('FINISHED');
    expect((await allEvents(e, next)).total).toBeGreaterThan(0);
  });

  it('state:QUERY_NOT_FOUND fails the query with responseError; its pages are 404 Query Not Found', async () => {
    const e = await start({ faults: 'state:QUERY_NOT_FOUND@1' });
    const id = await initQuery(e, 'EndpointOS = "linux"');
    expect((await waitDone(e, id)).at(-1)).toBe('QUERY_NOT_FOUND');
    const data = await status(e, id);
    expect(data.responseState).toBe('QUERY_NOT_FOUND');
    expect(data.progressStatus).toBe(100);
    expect(data.responseError).toMatch(/not found/i);
    const page = await call(e, 'GET', `dv/events?queryId=${id}&limit=10`);
    expect(page.status).toBe(404);
    expect(page.json).toEqual({ errors: [{ code: 4040010, detail: 'Query Not Found' }] });
  });

  it('state:STATE can force every state the contract lists; failed ones carry responseError', async () => {
    const failed = ['FAILED', 'FAILED_CLIENT', 'ERROR', 'QUERY_NOT_FOUND'];
    const e = await start({ faults: FAULT_STATES.map((s, i) => `state:${s}@${i + 1}`).join(',') });
    for (const state of FAULT_STATES) {
      const id = await initQuery(e, 'EndpointOS = "linux"');
      const data = await waitState(e, id, state);
      expect('responseError' in data, state).toBe(failed.includes(state));
    }
  });

  it('an unknown state (state:SOMETHING_NEW) is reported as-is and never left, until cancel-query', async () => {
    const e = await start({ faults: 'state:SOMETHING_NEW@1,state:PROCESS_RUNNING@2', resultTtlMs: 30 });
    const id = await initQuery(e, 'EndpointOS = "linux"');
    const states = await waitDone(e, id);
    expect(states.at(-1)).toBe('SOMETHING_NEW');
    // Well past the result lifetime and twice it (when a finished query is forgotten), it is still there.
    await sleep(150);
    for (let i = 0; i < 3; i++) {
      expect(await status(e, id)).toEqual({ responseState: 'SOMETHING_NEW', progressStatus: expect.anything() });
      await sleep(20);
    }
    const page = await call(e, 'GET', `dv/events?queryId=${id}&limit=10`);
    expect(page.status).toBe(400);
    expect(page.text).toMatch(/not finished \(state SOMETHING_NEW\)/);
    expect((await status(e, id)).responseState).toBe('SOMETHING_NEW');
    // A client that times out cancels it, like a running query.
    expect((await call(e, 'POST', 'dv/cancel-query', { queryId: id })).json).toEqual({ data: { success: true } });
    expect((await status(e, id)).responseState).toBe('QUERY_CANCELLED');
    // A forced running state is never left either.
    const stuck = await initQuery(e, 'EndpointOS = "linux"');
    await waitState(e, stuck, 'PROCESS_RUNNING');
    await sleep(150);
    expect((await status(e, stuck)).responseState).toBe('PROCESS_RUNNING');
  });

  it('cancel-query on a query that already failed, timed out or was cancelled answers its state and keeps it', async () => {
    // The third query is held RUNNING by its fault: it does not finish before the cancel, however fast the machine.
    const e = await start({ faults: 'state:FAILED@1,state:TIMED_OUT@2,state:RUNNING@3' });
    for (const state of ['FAILED', 'TIMED_OUT']) {
      const id = await initQuery(e, 'EndpointOS = "linux"');
      const before = await waitState(e, id, state);
      const cancelled = await call(e, 'POST', 'dv/cancel-query', { queryId: id });
      expect(cancelled.json, state).toEqual({ data: { success: state } });
      expect(await status(e, id), state).toEqual(before);
    }
    // A query that never ends is cancelled once; after that it answers QUERY_CANCELLED.
    const running = await initQuery(e, 'EndpointOS = "linux"');
    expect((await call(e, 'POST', 'dv/cancel-query', { queryId: running })).json).toEqual({ data: { success: true } });
    expect((await call(e, 'POST', 'dv/cancel-query', { queryId: running })).json).toEqual({
      data: { success: 'QUERY_CANCELLED' },
    });
  });

  it('cancel-query on a forgotten query is 404 Query Not Found, like its status', async () => {
    const e = await start({ resultTtlMs: 100 });
    const id = await initQuery(e, 'EndpointOS = "linux"');
    await waitDone(e, id);
    await sleep(250);
    expect((await call(e, 'GET', `dv/query-status?queryId=${id}`)).status).toBe(404);
    const cancelled = await call(e, 'POST', 'dv/cancel-query', { queryId: id });
    expect(cancelled.status).toBe(404);
    expect(cancelled.json).toEqual({ errors: [{ code: 4040010, detail: 'Query Not Found' }] });
  });

  it('rejects a malformed state fault', async () => {
    await expect(start({ faults: 'state:something-new' })).rejects.toThrow(/upper-case identifier/);
  });

  it('expire-query@2 and expire-cursor@1 break paging the way the API does', async () => {
    const e = await start({ faults: 'expire-query@3,expire-cursor@1' });
    const id = await initQuery(e, 'ObjectType = "file"');
    await waitDone(e, id);
    const first = (await call(e, 'GET', `dv/events?queryId=${id}&limit=5`)).json as {
      pagination: { nextCursor: string };
    };
    const expiredCursor = await call(
      e,
      'GET',
      `dv/events?queryId=${id}&limit=5&cursor=${encodeURIComponent(first.pagination.nextCursor)}`,
    );
    expect(expiredCursor.status).toBe(400);
    expect(expiredCursor.json).toMatchObject({ errors: [{ detail: 'cursor: Cursor expired' }] });
    const gone = await call(e, 'GET', `dv/events?queryId=${id}&limit=5`);
    expect(gone.status).toBe(404);
    expect(gone.json).toEqual({ errors: [{ code: 4040010, detail: 'Query Not Found' }] });
    const status = (await call(e, 'GET', `dv/query-status?queryId=${id}`)).json as {
      data: { responseState: string; progressStatus: unknown };
    };
    expect(status.data).toEqual({ responseState: 'QUERY_EXPIRED', progressStatus: 100 });
  });

  it('results and cursors expire with time', async () => {
    const e = await start({ resultTtlMs: 300, cursorTtlMs: 100 });
    const id = await initQuery(e, 'ObjectType = "file"');
    await waitDone(e, id);
    const first = (await call(e, 'GET', `dv/events?queryId=${id}&limit=5`)).json as {
      pagination: { nextCursor: string };
    };
    await sleep(150);
    const cursor = encodeURIComponent(first.pagination.nextCursor);
    expect((await call(e, 'GET', `dv/events?queryId=${id}&limit=5&cursor=${cursor}`)).status).toBe(400);
    await sleep(250);
    expect((await call(e, 'GET', `dv/events?queryId=${id}&limit=5`)).status).toBe(404);
  });
});

describe('cursor expiry', () => {
  it('an expired cursor sent again is still "Cursor expired", not "Invalid cursor"', async () => {
    const e = await start({ faults: 'expire-cursor@1' });
    const id = await initQuery(e, 'ObjectType = "file"');
    await waitDone(e, id);
    const first = (await call(e, 'GET', `dv/events?queryId=${id}&limit=5`)).json as {
      pagination: { nextCursor: string };
    };
    const cursor = encodeURIComponent(first.pagination.nextCursor);
    for (let i = 0; i < 2; i++) {
      const again = await call(e, 'GET', `dv/events?queryId=${id}&limit=5&cursor=${cursor}`);
      expect(again.status).toBe(400);
      expect(again.json).toMatchObject({ errors: [{ code: 4000010, detail: 'cursor: Cursor expired' }] });
    }
  });
});

describe('data files', () => {
  it('serves events from NDJSON and JSON array files', async () => {
    const events = createTelemetry({ seed: 5, count: 300, endMs: END }).events(0, 300);
    const list = [...events];
    const dir = tmpdir();
    const ndjson = join(dir, `emulator-${process.pid}.ndjson`);
    const array = join(dir, `emulator-${process.pid}.json`);
    await writeFile(ndjson, `${list.map((x) => JSON.stringify(x)).join('\n')}\n`);
    await writeFile(array, JSON.stringify(list));
    for (const data of [ndjson, array]) {
      const e = await start({ data });
      const id = await initQuery(e, 'EndpointOS = "osx"');
      await waitDone(e, id);
      const got = await allEvents(e, id);
      expect(got.events.map((x) => x.id)).toEqual(list.filter((x) => x.endpointOs === 'osx').map((x) => x.id));
      await e.close();
      emu = undefined;
    }
  });

  it('loads NDJSON whose strings hold raw U+2028 and U+2029, and serves those exact strings', async () => {
    const list = [...createTelemetry({ seed: 7, count: 200, endMs: END }).events(0, 200)].map((x, i) =>
      i % 3 === 0
        ? { ...x, srcProcCmdLine: `cmd.exe /c echo a\u2028b\u2029c ${i}`, tgtFilePath: `C:\\x\u2029\u2028${i}` }
        : x,
    );
    const lines = list.map((x) => JSON.stringify(x));
    // JSON.stringify leaves U+2028/U+2029 raw, which is what this test is about.
    expect(lines[0]).toContain('\u2028');
    expect(lines[0]).not.toContain('\\u2028');
    // \r\n line ends are still line ends, and the last line needs no newline.
    const ndjson = join(tmpdir(), `emulator-${process.pid}-ls.ndjson`);
    await writeFile(ndjson, `${lines.slice(0, 100).join('\r\n')}\r\n${lines.slice(100).join('\n')}`);
    expect(await loadEvents(ndjson)).toEqual(list);
    const e = await start({ data: ndjson });
    const id = await initQuery(e, 'EndpointOS = "windows"');
    await waitDone(e, id);
    const got = await allEvents(e, id, 7);
    const expected = list.filter((x) => x.endpointOs === 'windows');
    expect(expected.some((x) => String(x.srcProcCmdLine).includes('\u2028b\u2029'))).toBe(true);
    expect(got.events).toEqual(expected);
  });

  it('reads NDJSON and JSON array files that start with a UTF-8 byte order mark (as Windows editors save them)', async () => {
    const list = [
      { id: '1', createdAt: FROM },
      { id: '2', createdAt: FROM },
    ];
    const dir = tmpdir();
    const ndjson = join(dir, `emulator-${process.pid}-bom.ndjson`);
    const array = join(dir, `emulator-${process.pid}-bom.json`);
    await writeFile(ndjson, `\ufeff${list.map((x) => JSON.stringify(x)).join('\n')}\n`);
    await writeFile(array, `\ufeff${JSON.stringify(list)}`);
    expect(await loadEvents(ndjson)).toEqual(list);
    expect(await loadEvents(array)).toEqual(list);
  });
});
