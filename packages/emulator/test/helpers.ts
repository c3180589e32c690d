import type { EmulatorHandle } from '../src/index.ts';

export const TOKEN = 'test-token-not-a-secret';
export const END = Date.parse('2026-11-30T12:00:00.000Z');
export const FROM = '2026-11-01T00:00:00.000Z';
export const TO = '2026-12-01T00:00:00.000Z';

export interface Got {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  readonly json: unknown;
}

export async function call(
  emu: EmulatorHandle,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
  token: string | null = TOKEN,
): Promise<Got> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token !== null) headers.authorization = `ApiToken ${token}`;
  const res = await fetch(`${emu.url}/web/api/v2.1/${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}

export function initBody(query: string, extra: Record<string, unknown> = {}) {
  return { query, fromDate: FROM, toDate: TO, limit: 20000, queryType: ['events'], ...extra };
}

export async function initQuery(emu: EmulatorHandle, query: string, extra: Record<string, unknown> = {}) {
  const got = await call(emu, 'POST', 'dv/init-query', initBody(query, extra));
  if (got.status !== 200) throw new Error(`init-query ${got.status}: ${got.text}`);
  return (got.json as { data: { queryId: string } }).data.queryId;
}

export async function waitDone(emu: EmulatorHandle, queryId: string): Promise<string[]> {
  const states: string[] = [];
  for (let i = 0; i < 500; i++) {
    const got = await call(emu, 'GET', `dv/query-status?queryId=${queryId}`);
    const state = (got.json as { data: { responseState: string } }).data.responseState;
    states.push(state);
    if (!['RUNNING', 'PLANNING', 'QUERY_RUNNING', 'EVENTS_RUNNING', 'PROCESS_RUNNING'].includes(state)) return states;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error('query did not finish');
}

export async function allEvents(emu: EmulatorHandle, queryId: string, pageSize = 1000, type?: string) {
  const events: Record<string, unknown>[] = [];
  let cursor: string | null = null;
  let pages = 0;
  let total = -1;
  do {
    const path: string = `dv/events${type ? `/${type}` : ''}?queryId=${queryId}&limit=${pageSize}${
      cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`
    }`;
    const got = await call(emu, 'GET', path);
    if (got.status !== 200) throw new Error(`events ${got.status}: ${got.text}`);
    const body = got.json as {
      data: Record<string, unknown>[];
      pagination: { nextCursor: string | null; totalItems: number };
    };
    events.push(...body.data);
    total = body.pagination.totalItems;
    cursor = body.pagination.nextCursor;
    pages++;
  } while (cursor !== null);
  return { events, pages, total };
}
