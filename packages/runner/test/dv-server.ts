/**
 * A minimal Deep Visibility API server for the runner's tests: node:http on a loopback port 0, real sockets.
 * It is scripted (a fault schedule per endpoint and call number) and records every call it saw.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type FaultKind =
  | '429-html'
  | '429-html-retry-after'
  | '429-json'
  | '500'
  | '503'
  | 'drop'
  | 'slow'
  | 'expire'
  | 'stale-cursor'
  | '401'
  | '403';

export interface Fault {
  readonly endpoint: string;
  /** 1-based call number on that endpoint. */
  readonly nth: number;
  readonly kind: FaultKind;
}

export interface Call {
  readonly endpoint: string;
  readonly method: string;
  readonly url: string;
  readonly time: number;
  readonly authorization: string | undefined;
  readonly body: string;
}

export interface ServerOptions {
  readonly token?: string;
  readonly events?: readonly Record<string, unknown>[];
  /** status polls answered with a running state before FINISHED (default 1). */
  readonly runningPolls?: number;
  readonly faults?: readonly Fault[];
  /** Final state instead of FINISHED for every query (e.g. FAILED). */
  readonly finalState?: string;
  readonly responseError?: string;
  /** Delay of a 'slow' fault, ms. */
  readonly slowMs?: number;
  /** Shuffle/alter the data on each new query (to test continuity checks). */
  readonly eventsForRun?: (run: number) => readonly Record<string, unknown>[];
  /** The text of a dv/events body (default: JSON.stringify of `{ data, pagination }`). */
  readonly eventsBody?: (data: readonly Record<string, unknown>[], pagination: Record<string, unknown>) => string;
  /** users/api-token-details expiresAt (default: a year from now). */
  readonly tokenExpiresAt?: string;
}

export interface QueryRecord {
  readonly id: string;
  readonly body: Record<string, unknown>;
  state: string;
  polls: number;
  expired: boolean;
  events: readonly Record<string, unknown>[];
}

export interface DvServer {
  readonly url: string;
  readonly calls: Call[];
  readonly queries: Map<string, QueryRecord>;
  close(): Promise<void>;
}

export function makeEvents(n: number, offset = 0): Record<string, unknown>[] {
  return Array.from({ length: n }, (_, i) => ({
    id: String(offset + i + 1).padStart(18, '0'),
    eventType: 'Process Creation',
    agentName: `host-${(offset + i) % 7}`,
    createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, offset + i)).toISOString(),
    srcProcName: 'cmd.exe',
  }));
}

const PREFIX = '/web/api/v2.1/';
const HTML_429 =
  '<html>\n<head><title>429 Too Many Requests</title></head>\n<body>\n<center><h1>429 Too Many Requests</h1></center>\n<hr><center>nginx</center>\n</body>\n</html>\n';

export async function startDvServer(options: ServerOptions = {}): Promise<DvServer> {
  const calls: Call[] = [];
  const counts = new Map<string, number>();
  const queries = new Map<string, QueryRecord>();
  const baseEvents = options.events ?? makeEvents(25);
  let runs = 0;
  const sockets = new Set<import('node:net').Socket>();

  const json = (res: ServerResponse, status: number, body: unknown): void => {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  };

  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://x');
    const endpoint = url.pathname.startsWith(PREFIX) ? url.pathname.slice(PREFIX.length) : url.pathname;
    calls.push({
      endpoint,
      method: req.method ?? '',
      url: req.url ?? '',
      time: Date.now(),
      authorization: req.headers.authorization,
      body,
    });
    const n = (counts.get(endpoint) ?? 0) + 1;
    counts.set(endpoint, n);
    const fault = options.faults?.find((f) => f.endpoint === endpoint && f.nth === n);

    if (options.token !== undefined && req.headers.authorization !== `ApiToken ${options.token}`) {
      json(res, 401, { errors: [{ code: 4010010, detail: null, title: 'Authentication Failed' }] });
      return;
    }
    switch (fault?.kind) {
      case '429-html':
        res.writeHead(429, { 'content-type': 'text/html' });
        res.end(HTML_429);
        return;
      case '429-html-retry-after':
        res.writeHead(429, { 'content-type': 'text/html', 'retry-after': '1' });
        res.end(HTML_429);
        return;
      case '429-json':
        json(res, 429, { errors: [{ code: 4290010, detail: 'Too many requests' }] });
        return;
      case '500':
        json(res, 500, { errors: [{ code: 5000010, detail: 'Server Error' }] });
        return;
      case '503':
        res.writeHead(503, { 'content-type': 'text/html' });
        res.end('<html>503</html>');
        return;
      case 'drop':
        req.socket.destroy();
        return;
      case 'slow':
        await new Promise((r) => setTimeout(r, options.slowMs ?? 500));
        if (res.destroyed || req.socket.destroyed) return;
        break;
      case '401':
        json(res, 401, { errors: [{ code: 4010010, detail: null, title: 'Authentication Failed' }] });
        return;
      case '403':
        json(res, 403, { errors: [{ code: 4030010, detail: null, title: 'Insufficient permissions' }] });
        return;
      default:
        break;
    }

    if (endpoint === 'dv/init-query' && req.method === 'POST') {
      const parsed = JSON.parse(body) as Record<string, unknown>;
      if (typeof parsed.query === 'string' && parsed.query.includes('BADSYNTAX')) {
        json(res, 400, { errors: [{ code: 4000040, detail: 'could not parse query' }] });
        return;
      }
      const id = `q${(++runs).toString(16).padStart(32, '0')}`;
      const limit = typeof parsed.limit === 'number' ? parsed.limit : 20000;
      const events = (options.eventsForRun?.(runs) ?? baseEvents).slice(0, limit);
      queries.set(id, { id, body: parsed, state: 'RUNNING', polls: 0, expired: false, events });
      json(res, 200, { data: { queryId: id } });
      return;
    }
    if (endpoint === 'dv/query-status' && req.method === 'GET') {
      const q = queries.get(url.searchParams.get('queryId') ?? '');
      if (q === undefined) {
        json(res, 404, { errors: [{ code: 4040010, detail: 'Query Not Found' }] });
        return;
      }
      if (fault?.kind === 'expire') q.expired = true;
      if (q.expired) {
        json(res, 200, { data: { responseState: 'QUERY_EXPIRED', progressStatus: 100 } });
        return;
      }
      if (q.state === 'QUERY_CANCELLED') {
        json(res, 200, { data: { responseState: 'QUERY_CANCELLED', progressStatus: 100 } });
        return;
      }
      q.polls++;
      if (q.polls <= (options.runningPolls ?? 1)) {
        json(res, 200, { data: { responseState: 'RUNNING', progressStatus: String(q.polls * 10) } });
        return;
      }
      q.state = options.finalState ?? (q.events.length === 0 ? 'EMPTY_RESULTS' : 'FINISHED');
      json(res, 200, {
        data: {
          responseState: q.state,
          progressStatus: 100,
          ...(options.responseError === undefined ? {} : { responseError: options.responseError }),
        },
      });
      return;
    }
    if (endpoint === 'dv/events' && req.method === 'GET') {
      const q = queries.get(url.searchParams.get('queryId') ?? '');
      if (fault?.kind === 'expire' && q !== undefined) q.expired = true;
      if (q === undefined || q.expired) {
        json(res, 404, { errors: [{ code: 4040010, detail: 'Query Not Found' }] });
        return;
      }
      const cursor = url.searchParams.get('cursor');
      if (fault?.kind === 'stale-cursor' && cursor !== null) {
        json(res, 400, { errors: [{ code: 4000010, detail: 'Invalid cursor' }] });
        return;
      }
      let offset = 0;
      if (cursor !== null) {
        // Cursors hold '=': the client must send them URL-encoded exactly once.
        const decoded = Buffer.from(cursor, 'base64').toString('utf8');
        const match = /^(q[0-9a-f]+):(\d+)$/.exec(decoded);
        if (match === null || match[1] !== q.id) {
          json(res, 400, { errors: [{ code: 4000010, detail: 'Invalid cursor' }] });
          return;
        }
        offset = Number(match[2]);
      }
      const limit = Math.min(1000, Number(url.searchParams.get('limit') ?? '10'));
      const page = q.events.slice(offset, offset + limit);
      const end = offset + page.length;
      const nextCursor = end < q.events.length ? Buffer.from(`${q.id}:${end}`).toString('base64') : null;
      const pagination = { nextCursor, totalItems: q.events.length };
      if (options.eventsBody !== undefined) {
        const text = options.eventsBody(page, pagination);
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
        res.end(text);
        return;
      }
      json(res, 200, { data: page, pagination });
      return;
    }
    if (endpoint === 'dv/cancel-query' && req.method === 'POST') {
      const { queryId } = JSON.parse(body) as { queryId: string };
      const q = queries.get(queryId);
      if (q !== undefined && q.state === 'RUNNING') q.state = 'QUERY_CANCELLED';
      json(res, 200, { data: { success: true } });
      return;
    }
    if (endpoint === 'users/api-token-details' && req.method === 'POST') {
      const sent = (JSON.parse(body) as { data?: { apiToken?: string } }).data?.apiToken;
      if (options.token !== undefined && sent !== options.token) {
        json(res, 400, { errors: [{ code: 4000010, detail: 'Invalid token' }] });
        return;
      }
      const expiresAt = options.tokenExpiresAt ?? new Date(Date.now() + 365 * 86_400_000).toISOString();
      json(res, 200, { data: { createdAt: '2025-01-01T00:00:00Z', expiresAt } });
      return;
    }
    if (endpoint === 'system/status') {
      json(res, 200, { data: { health: 'ok' } });
      return;
    }
    json(res, 404, { errors: [{ code: 4040010, detail: '', title: 'Requested resource was not found' }] });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    queries,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
