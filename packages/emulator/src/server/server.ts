/**
 * The emulator: a real HTTP server (node:http, no framework) that speaks the Deep Visibility API of
 * design/DV-API.md over generated or loaded events, with its limits and failures, and faults on demand.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { compile, type DvEvent } from '@s1ql/engine';
import { lookupObjectType, objectTypes, parse } from '@s1ql/language';
import { createTelemetry, type Telemetry } from '../telemetry/generator.ts';
import {
  authenticationFailed,
  type BodyVariants,
  badQuery,
  injectedStatus,
  insufficientPermissions,
  methodNotAllowed,
  missingField,
  queryNotFound,
  type Reply,
  resourceNotFound,
  tooManyRequests,
  validationError,
} from './bodies.ts';
import type { EndpointId } from './endpoints.ts';
import { route } from './endpoints.ts';
import { arraySource, type EventSource, loadEvents, telemetrySource } from './event-source.ts';
import { type Fault, FaultPlan, parseFaults, stateClass, type Variant } from './faults.ts';
import { QueryRun, type QueryTiming } from './queries.ts';
import { RateLimiter, type RateLimitOption } from './rate-limit.ts';

export interface EmulatorOptions {
  /** Interface to bind. Default 127.0.0.1. */
  readonly host?: string;
  /** Port; 0 (the default) picks a free one. */
  readonly port?: number;
  /** Generator seed (default 1) and number of events (default 10,000), when no data is given. */
  readonly seed?: number;
  readonly events?: number;
  /** Generator window: ends at `endMs` (default: start-up time) and spans `windowMs` (default 7 days). */
  readonly endMs?: number;
  readonly windowMs?: number;
  /** Serve this telemetry instead of generating one. */
  readonly telemetry?: Telemetry;
  /** Serve the events of a JSON array or NDJSON file instead of generated ones. */
  readonly data?: string;
  /** Serve these events instead of generated ones. */
  readonly eventList?: readonly DvEvent[];
  /** The only token accepted; without it any non-empty token is. Never logged or echoed. */
  readonly token?: string;
  /** What `users/api-token-details` reports; after `tokenExpiresAt` every call gets 401. */
  readonly tokenCreatedAt?: string | number;
  readonly tokenExpiresAt?: string | number;
  /** Default `'real'`. */
  readonly rateLimits?: RateLimitOption;
  /** Whether 429 responses carry a (truthful) Retry-After header. Default true. */
  readonly retryAfter?: boolean;
  /** A fault spec (see README) or parsed faults. */
  readonly faults?: string | readonly Fault[];
  /** Seed of the fault draws. Default: `seed`. */
  readonly faultSeed?: number;
  /** Upper bound of init-query `limit`: 20000 (older consoles, the default) or 100000 (current spec). */
  readonly maxLimit?: number;
  /** Simulated query run time. Default 2000 ms. */
  readonly queryDurationMs?: number;
  /** Lifetime of finished results. Default 30 minutes. */
  readonly resultTtlMs?: number;
  /** Lifetime of a cursor. Default 10 minutes. */
  readonly cursorTtlMs?: number;
  /** Most call records kept (oldest dropped first). Default 100,000. */
  readonly callLogLimit?: number;
}

export interface CallRecord {
  readonly seq: number;
  /** Epoch ms when the request arrived. */
  readonly time: number;
  readonly method: string;
  /** The endpoint id, or `unknown` for a path the API does not have. */
  readonly endpoint: EndpointId | 'unknown';
  readonly path: string;
  /** HTTP status; 0 when the connection was dropped without a response. */
  readonly status: number;
  readonly durationMs: number;
  /** A fingerprint of the token (sha256, first 12 hex digits), never the token; null when none was sent. */
  readonly token: string | null;
  /** Faults injected into this call. */
  readonly faults: readonly string[];
  readonly queryId?: string;
}

export interface EmulatorStats {
  readonly requests: number;
  readonly queries: number;
  readonly runningQueries: number;
  readonly events: number;
}

export interface EmulatorHandle {
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** Every request served, in order. */
  readonly calls: readonly CallRecord[];
  readonly stats: EmulatorStats;
  /** The generated telemetry (null when serving loaded data). */
  readonly telemetry: Telemetry | null;
  close(): Promise<void>;
}

const DV_ENDPOINTS: ReadonlySet<EndpointId> = new Set(['init-query', 'query-status', 'events', 'cancel-query']);
const MAX_BODY = 1 << 20;
const DAY = 86_400_000;

/** Fingerprint of a token for logs: enough to tell tokens apart, useless to recover one. */
export function tokenFingerprint(token: string): string {
  return createHash('sha256').update(token).digest('hex').slice(0, 12);
}

function toMs(value: string | number | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = typeof value === 'number' ? value : Date.parse(value);
  if (Number.isNaN(ms)) throw new RangeError(`not a date: ${String(value)}`);
  return ms;
}

/**
 * A date the API accepts: ISO-8601 text, or epoch milliseconds (number or digits). The API's dates are UTC: text
 * without a zone is read as UTC (never in the server's time zone), and a day that does not exist (February 30) is
 * refused rather than rolled over into the next month.
 */
function parseApiDate(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value !== 'string') return undefined;
  if (/^\d{10,16}$/.test(value)) return Number(value);
  const m = /^(\d{4})-(\d{2})-(\d{2})(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.exec(value);
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1 || day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return undefined;
  const ms = Date.parse(m[4] !== undefined && m[7] === undefined ? `${value}Z` : value);
  return Number.isNaN(ms) ? undefined : ms;
}

function stringSet(value: unknown): Set<string> | null | 'invalid' {
  if (value === undefined || value === null) return null;
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string' || typeof v === 'number')) return 'invalid';
  return value.length === 0 ? null : new Set(value.map(String));
}

/** The longest the query evaluation loop runs before letting requests in, in ms. */
const TICK_MS = 8;

/** Bytes per chunk of a streamed dv/events body. */
const CHUNK_BYTES = 64 * 1024;

/**
 * A dv/events body built from the events' own JSON text, in chunks of ~64 KB made as they are sent: the same bytes
 * as JSON.stringify of `{ data, pagination }`, without building the event objects or the whole body first. The
 * client receives the start of a page while its end is still being made, as from a console streaming its answer.
 */
function* eventsPageChunks(
  jsonAt: (index: number) => string,
  indices: Uint32Array,
  pagination: { nextCursor: string | null; totalItems: number },
): Generator<Buffer> {
  let chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  let used = chunk.write('{"data":[', 0, 'latin1');
  for (let i = 0; i <= indices.length; i++) {
    const text =
      i < indices.length
        ? `${i > 0 ? ',' : ''}${jsonAt(indices[i] as number)}`
        : `],"pagination":${JSON.stringify(pagination)}}`;
    // A UTF-16 code unit is at most 3 bytes of UTF-8.
    if (used + 3 * text.length > chunk.length) {
      if (used > 0) yield chunk.subarray(0, used);
      chunk = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, 3 * text.length));
      used = 0;
    }
    used += chunk.write(text, used, 'utf8');
  }
  yield chunk.subarray(0, used);
}

/** Writes `part` and, once it has reached the socket, cuts the connection: the client sees a body that stops short. */
function cutAfter(res: ServerResponse, part: Uint8Array): Promise<void> {
  return new Promise((resolve) => {
    res.write(part, () => {
      res.destroy();
      resolve();
    });
  });
}

/** Resolves when the response can take more, or is closed (a client gone mid-page must not leave it waiting). */
function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<EmulatorHandle> {
  const host = options.host ?? '127.0.0.1';
  const seed = options.seed ?? 1;
  const startedAt = Date.now();
  let telemetry: Telemetry | null = null;
  let source: EventSource;
  if (options.eventList) source = arraySource(options.eventList);
  else if (options.data !== undefined) source = arraySource(await loadEvents(options.data));
  else {
    telemetry =
      options.telemetry ??
      createTelemetry({
        seed,
        count: options.events ?? 10_000,
        endMs: options.endMs ?? startedAt,
        windowMs: options.windowMs,
      });
    source = telemetrySource(telemetry);
  }
  const faults = typeof options.faults === 'string' ? parseFaults(options.faults) : (options.faults ?? []);
  const plan = new FaultPlan(faults, options.faultSeed ?? seed);
  const limiter = new RateLimiter(options.rateLimits ?? 'real');
  let retryAfter = options.retryAfter ?? true;
  let tokenMode: 'ok' | 'invalid' | 'forbidden' = 'ok';
  const tokenCreatedAt = toMs(options.tokenCreatedAt) ?? startedAt - 30 * DAY;
  let tokenExpiresAt = toMs(options.tokenExpiresAt) ?? tokenCreatedAt + 180 * DAY;
  const has = (variant: Variant) => faults.some((f) => f.kind === 'variant' && f.variant === variant);
  const bodies: BodyVariants = { json429: has('429-json'), detailOnly403: has('403-detail') };
  for (const f of faults) {
    if (f.kind === 'retry-after') retryAfter = f.on;
    else if (f.kind === 'token') {
      if (f.mode === 'expired') tokenExpiresAt = Math.min(tokenExpiresAt, startedAt - DAY);
      else if (f.mode === 'expires') tokenExpiresAt = f.at;
      else tokenMode = f.mode;
    }
  }
  const expectedTokenHash = options.token === undefined ? null : createHash('sha256').update(options.token).digest();
  const maxLimit = options.maxLimit ?? (has('limit-100000') ? 100_000 : 20_000);
  const timing: QueryTiming = {
    durationMs: options.queryDurationMs ?? 2000,
    resultTtlMs: options.resultTtlMs ?? 30 * 60_000,
    cursorTtlMs: options.cursorTtlMs ?? 10 * 60_000,
  };
  const callLogLimit = options.callLogLimit ?? 100_000;
  const calls: CallRecord[] = [];
  let seq = 0;
  const runs = new Map<string, QueryRun>();
  const active = new Set<QueryRun>();
  let pumping = false;

  // One evaluation loop for all queries: slices of each in turn for at most TICK_MS, then yield to the event loop.
  // The bound keeps requests from waiting behind evaluation: a call the loop held back for long would be timed late
  // and land in the next rate window with the one after it (two query-status calls seen ~1 s apart got a 429 while
  // whole 25,000-event slices held the loop for 90-160 ms).
  const pump = () => {
    if (pumping) return;
    pumping = true;
    const tick = () => {
      const started = performance.now();
      do {
        const now = Date.now();
        for (const run of active) {
          if (run.cancelledAt !== null || run.step(now)) active.delete(run);
        }
      } while (active.size > 0 && performance.now() - started < TICK_MS);
      if (active.size > 0) setImmediate(tick);
      else pumping = false;
    };
    setImmediate(tick);
  };

  const sweep = setInterval(() => {
    const now = Date.now();
    for (const [id, run] of runs) if (run.collectable(now)) runs.delete(id);
  }, 60_000);
  sweep.unref();

  function checkAuth(req: IncomingMessage, endpoint: EndpointId): { reply: Reply | null; key: string | null } {
    const header = req.headers.authorization ?? '';
    const m = /^ApiToken\s+(\S.*)$/i.exec(header.trim());
    const token = m?.[1]?.trim() ?? '';
    if (token === '') return { reply: authenticationFailed(), key: null };
    const key = tokenFingerprint(token);
    if (expectedTokenHash !== null) {
      const given = createHash('sha256').update(token).digest();
      if (!timingSafeEqual(given, expectedTokenHash)) return { reply: authenticationFailed(), key };
    }
    if (tokenMode === 'invalid' || Date.now() >= tokenExpiresAt) return { reply: authenticationFailed(), key };
    if (tokenMode === 'forbidden' && DV_ENDPOINTS.has(endpoint))
      return { reply: insufficientPermissions(bodies.detailOnly403), key };
    return { reply: null, key };
  }

  async function readJson(req: IncomingMessage): Promise<{ ok: true; value: unknown } | { ok: false; reply: Reply }> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > MAX_BODY) return { ok: false, reply: validationError('Request body is too large') };
      chunks.push(chunk as Buffer);
    }
    const text = Buffer.concat(chunks).toString('utf8');
    if (text.trim() === '') return { ok: true, value: undefined };
    try {
      return { ok: true, value: JSON.parse(text) };
    } catch {
      return { ok: false, reply: validationError('Invalid JSON in request body') };
    }
  }

  function initQuery(body: unknown, key: string): { reply: Reply; queryId?: string } {
    if (body === null || typeof body !== 'object' || Array.isArray(body))
      return { reply: validationError('Request body must be a JSON object') };
    const b = body as Record<string, unknown>;
    if (b.query === undefined || b.query === null || b.query === '') return { reply: missingField('query') };
    if (typeof b.query !== 'string') return { reply: validationError('query: Not a valid string.') };
    if (b.fromDate === undefined || b.fromDate === null) return { reply: missingField('fromDate') };
    if (b.toDate === undefined || b.toDate === null) return { reply: missingField('toDate') };
    const fromMs = parseApiDate(b.fromDate);
    if (fromMs === undefined) return { reply: validationError('fromDate: Not a valid datetime.') };
    const toMsValue = parseApiDate(b.toDate);
    if (toMsValue === undefined) return { reply: validationError('toDate: Not a valid datetime.') };
    if (toMsValue < fromMs) return { reply: validationError('toDate must be later than fromDate') };
    let limit = 1000;
    if (b.limit !== undefined && b.limit !== null) {
      const n = typeof b.limit === 'string' && /^\d+$/.test(b.limit) ? Number(b.limit) : b.limit;
      if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > maxLimit) {
        return {
          reply: validationError(`Limit must be greater than or equals to 1 and less than equals to ${maxLimit}`),
        };
      }
      limit = n;
    }
    if (b.queryType !== undefined && b.queryType !== null) {
      if (!Array.isArray(b.queryType) || b.queryType.some((t) => t !== 'events'))
        return { reply: validationError('queryType: Must be one of: events.') };
    }
    const siteIds = stringSet(b.siteIds);
    const accountIds = stringSet(b.accountIds);
    if (siteIds === 'invalid') return { reply: validationError('siteIds: Not a valid list.') };
    if (accountIds === 'invalid') return { reply: validationError('accountIds: Not a valid list.') };
    const { ast, diagnostics } = parse(b.query);
    const error = diagnostics.find((d) => d.severity === 'error');
    if (error)
      return {
        reply: badQuery(`${error.message} (line ${error.range.start.line}, column ${error.range.start.column})`),
      };
    if (ast.comments.length > 0) {
      const c = ast.comments[0];
      return {
        reply: badQuery(
          `unexpected "--" at line ${c?.range.start.line ?? 1}, column ${c?.range.start.column ?? 1} (comments are not part of the query language)`,
        ),
      };
    }
    const compiled = compile(ast, { diagnostics });
    if (!compiled.ok) {
      const first = compiled.diagnostics.find((d) => d.severity === 'error') ?? compiled.diagnostics[0];
      return { reply: badQuery(first?.message ?? 'the query cannot be evaluated') };
    }
    const id = `q${randomBytes(16).toString('hex')}`;
    const now = Date.now();
    const run = new QueryRun(
      {
        id,
        tokenKey: key,
        test: compiled.query.test,
        fromMs,
        toMs: toMsValue,
        limit,
        siteIds,
        accountIds,
        forcedState: plan.forQuery(),
      },
      source,
      timing,
      now,
    );
    runs.set(id, run);
    active.add(run);
    pump();
    return { reply: { status: 200, body: { data: { queryId: id } } }, queryId: id };
  }

  function findRun(url: URL): { run: QueryRun } | { reply: Reply } {
    const id = url.searchParams.get('queryId');
    if (id === null || id === '') return { reply: missingField('queryId') };
    const run = runs.get(id);
    if (!run || run.collectable(Date.now())) return { reply: queryNotFound() };
    return { run };
  }

  function queryStatus(url: URL): Reply {
    const found = findRun(url);
    if ('reply' in found) return found.reply;
    const run = found.run;
    const { state, progress, error } = run.state(Date.now());
    run.statusPolls++;
    // Real consoles send progressStatus as a number or as a string; alternate while running so clients see both.
    const progressStatus = progress < 100 && run.statusPolls % 2 === 0 ? String(progress) : progress;
    const data: Record<string, unknown> = { progressStatus, responseState: state };
    if (error !== undefined) data.responseError = error;
    return { status: 200, body: { data } };
  }

  function events(url: URL, type: string | undefined): Reply {
    const found = findRun(url);
    if ('reply' in found) return found.reply;
    const run = found.run;
    let objectType: string | null = null;
    if (type !== undefined) {
      const info = lookupObjectType(type.trim().replace(/[\s-]+/g, '_'));
      if (!info) {
        return validationError(`Unknown event type "${type}": one of ${objectTypes.map((o) => o.name).join(', ')}`);
      }
      objectType = info.name.toLowerCase();
    }
    const limitText = url.searchParams.get('limit');
    let pageSize = 10;
    if (limitText !== null) {
      pageSize = /^\d+$/.test(limitText) ? Number(limitText) : Number.NaN;
      if (!(pageSize >= 1 && pageSize <= 1000)) return validationError('limit: Must be between 1 and 1000.');
    }
    const cursorText = url.searchParams.get('cursor');
    const hasCursor = cursorText !== null && cursorText !== '';
    const injected = plan.forPage(hasCursor);
    if (injected.expireQuery) run.expired = true;
    const now = Date.now();
    const { state } = run.state(now);
    if (state === 'QUERY_EXPIRED' || state === 'QUERY_NOT_FOUND') return queryNotFound();
    if (state !== 'FINISHED' && state !== 'EMPTY_RESULTS') {
      return validationError(
        `Query ${run.id} is not finished (state ${state}): poll dv/query-status until FINISHED before reading events`,
      );
    }
    let offset = 0;
    if (hasCursor) {
      const cursor = run.cursors.get(cursorText);
      if (!cursor || cursor.type !== objectType) return validationError('cursor: Invalid cursor');
      if (cursor.expired || injected.expireCursor || now >= cursor.issuedAt + timing.cursorTtlMs) {
        // Kept, marked: the same cursor sent again is still an expired one, not an unknown one.
        if (!cursor.expired) run.cursors.set(cursorText, { ...cursor, expired: true });
        return validationError('cursor: Cursor expired');
      }
      offset = cursor.offset;
    }
    const indices = run.indices(objectType);
    const end = Math.min(indices.length, offset + pageSize);
    let nextCursor: string | null = null;
    if (end < indices.length) {
      // Opaque, and base64 with padding on purpose: clients must send it back URL-encoded, exactly once.
      nextCursor = randomBytes(16).toString('base64');
      run.cursors.set(nextCursor, { offset: end, type: objectType, issuedAt: now });
    }
    const pagination = { nextCursor, totalItems: indices.length };
    const page = indices.subarray(offset, end);
    if (source.jsonAt) return { status: 200, body: null, chunks: eventsPageChunks(source.jsonAt, page, pagination) };
    const data: DvEvent[] = [];
    for (const index of page) data.push(run.eventAt(index));
    return { status: 200, body: { data, pagination } };
  }

  function cancel(body: unknown): Reply {
    const id = (body as { queryId?: unknown } | undefined)?.queryId;
    if (typeof id !== 'string' || id === '') return missingField('queryId');
    const run = runs.get(id);
    const now = Date.now();
    if (!run || run.collectable(now)) return queryNotFound();
    const { state, progress } = run.state(now);
    // Only a query still running (or stuck in a forced running or unknown state) is cancelled; one that has
    // ended (done, failed, cancelled, timed out, expired) keeps its state.
    const running = stateClass(state) === 'running' || stateClass(state) === 'unknown';
    if (run.cancelledAt === null && running) {
      run.cancelledAt = now;
      run.cancelledProgress = progress;
      active.delete(run);
      return { status: 200, body: { data: { success: true } } };
    }
    // A query that already ended reports its final state, as consoles do ({"success": "FINISHED"}).
    return { status: 200, body: { data: { success: state } } };
  }

  function tokenDetails(body: unknown): Reply {
    const token = (body as { data?: { apiToken?: unknown } } | undefined)?.data?.apiToken;
    if (typeof token !== 'string' || token === '') return missingField('data.apiToken');
    return {
      status: 200,
      body: {
        data: { createdAt: new Date(tokenCreatedAt).toISOString(), expiresAt: new Date(tokenExpiresAt).toISOString() },
      },
    };
  }

  /** Sends a reply; with `cut` (the fault), only its status, headers and the first half of its body, then the connection is cut. */
  async function send(res: ServerResponse, reply: Reply, cut = false): Promise<void> {
    const headers = {
      'content-type': reply.html ? 'text/html' : 'application/json',
      'cache-control': 'no-store',
      server: 'nginx',
      ...reply.headers,
    };
    if (reply.chunks === undefined) {
      const bytes = Buffer.from(reply.html ? String(reply.body) : JSON.stringify(reply.body));
      res.writeHead(reply.status, { ...headers, 'content-length': bytes.length });
      if (cut) return cutAfter(res, bytes.subarray(0, bytes.length >> 1));
      res.end(bytes);
      return;
    }
    if (cut) {
      // A streamed body's length is not known before it is made: half of its first chunk is sent.
      res.writeHead(reply.status, headers);
      const [first = new Uint8Array(0)] = reply.chunks;
      return cutAfter(res, first.subarray(0, first.length >> 1));
    }
    // Chunked transfer: each chunk is sent as it is made, waiting while the client is behind.
    res.writeHead(reply.status, headers);
    for (const chunk of reply.chunks) {
      if (res.destroyed) return;
      if (!res.write(chunk)) await drained(res);
    }
    res.end();
  }

  function record(entry: Omit<CallRecord, 'seq'>): void {
    calls.push({ seq: ++seq, ...entry });
    if (calls.length > callLogLimit) calls.splice(0, calls.length - callLogLimit);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const time = Date.now();
    const url = new URL(req.url ?? '/', 'http://emulator');
    const method = req.method ?? 'GET';
    const r = route(url.pathname);
    let token: string | null = null;
    let queryId: string | undefined = url.searchParams.get('queryId') ?? undefined;
    const log = (status: number, fired: readonly string[]) =>
      record({
        time,
        method,
        endpoint: r?.endpoint ?? 'unknown',
        path: url.pathname,
        status,
        durationMs: Date.now() - time,
        token,
        faults: fired,
        ...(queryId !== undefined ? { queryId } : {}),
      });
    if (!r) {
      req.resume();
      await send(res, resourceNotFound());
      log(404, []);
      return;
    }
    if (method !== r.method) {
      req.resume();
      await send(res, methodNotAllowed());
      log(405, []);
      return;
    }
    const injected = plan.forCall(r.endpoint);
    if (injected.slowMs > 0) await new Promise((resolve) => setTimeout(resolve, injected.slowMs));
    if (injected.drop) {
      req.socket.destroy();
      log(0, injected.fired);
      return;
    }
    const auth = checkAuth(req, r.endpoint);
    token = auth.key;
    const answer = async (): Promise<Reply> => {
      if (auth.reply) return auth.reply;
      const taken = limiter.take(auth.key ?? '', r.endpoint, Date.now());
      if (!taken.ok)
        return tooManyRequests(retryAfter ? Math.max(1, Math.ceil(taken.retryAfterMs / 1000)) : null, bodies.json429);
      if (injected.status !== null) return injectedStatus(injected.status, retryAfter ? 1 : null, bodies);
      const key = auth.key ?? '';
      switch (r.endpoint) {
        case 'init-query': {
          const body = await readJson(req);
          if (!body.ok) return body.reply;
          const result = initQuery(body.value, key);
          queryId = result.queryId;
          return result.reply;
        }
        case 'query-status':
          return queryStatus(url);
        case 'events':
          return events(url, r.eventType);
        case 'cancel-query': {
          const body = await readJson(req);
          if (!body.ok) return body.reply;
          const id = (body.value as { queryId?: unknown } | undefined)?.queryId;
          if (typeof id === 'string') queryId = id;
          return cancel(body.value);
        }
        case 'api-token-details': {
          const body = await readJson(req);
          if (!body.ok) return body.reply;
          return tokenDetails(body.value);
        }
        case 'system-status':
          return { status: 200, body: { data: { health: 'ok' } } };
      }
    };
    let reply: Reply;
    try {
      reply = await answer();
    } catch (error) {
      // The client gave up (a timeout during a `slow` fault) while its body was being read: the call still
      // reached the server, so it is logged (status 0, like a drop) rather than lost from the call log.
      if (req.destroyed || res.destroyed) {
        log(0, injected.fired);
        return;
      }
      throw error;
    }
    if (!req.readableEnded) req.resume();
    await send(res, reply, injected.cut);
    log(reply.status, injected.fired);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      // Never echo request data (it may hold a token); say only that the emulator failed.
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            errors: [{ code: 5000010, detail: 'emulator internal error', title: 'Internal server error' }],
          }),
        );
      } else {
        // Failed while streaming a body: cut the connection, so the client sees a broken answer, not a hang.
        res.destroy();
      }
      process.emitWarning(`s1ql emulator: internal error: ${error instanceof Error ? error.message : String(error)}`);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  return {
    url: `http://${urlHost}:${address.port}`,
    host: address.address,
    port: address.port,
    calls,
    get stats(): EmulatorStats {
      return { requests: seq, queries: runs.size, runningQueries: active.size, events: source.count };
    },
    telemetry,
    close: () =>
      new Promise<void>((resolve, reject) => {
        clearInterval(sweep);
        active.clear();
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
