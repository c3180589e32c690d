/**
 * Connection settings (design/CLI.md): the console host and the API token. The token lives in a module-private
 * WeakMap, so no property, `toString`, `toJSON` or `util.inspect` of a Connection can reveal it.
 */
import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import { RunnerError } from './errors.ts';

const tokens = new WeakMap<Connection, string>();

export const API_PREFIX = '/web/api/v2.1/';

export class Connection {
  /** `https://host[:port]` (or `http://` for loopback). */
  readonly origin: string;
  /** The host as normalized, for messages. */
  readonly host: string;
  /** A short hash of the token: keys the shared rate budgets without holding the token. */
  readonly fingerprint: string;

  constructor(origin: string, token: string) {
    this.origin = origin;
    this.host = new URL(origin).host;
    this.fingerprint = createHash('sha256').update(token).digest('hex').slice(0, 16);
    tokens.set(this, token);
  }

  /**
   * `text` with the token (and its URL-encoded form) replaced by `<token>`: for text that came from elsewhere, such
   * as a console's error detail, which may quote the token it refused.
   */
  redact(text: string): string {
    const token = tokens.get(this) ?? '';
    if (token.length < 3) return text;
    let out = text.split(token).join('<token>');
    const encoded = encodeURIComponent(token);
    if (encoded !== token) out = out.split(encoded).join('<token>');
    return out;
  }

  /** The API URL of a path relative to /web/api/v2.1/. */
  url(path: string): string {
    return `${this.origin}${API_PREFIX}${path}`;
  }

  toString(): string {
    return `Connection(${this.origin}, token <redacted>)`;
  }

  toJSON(): { origin: string; token: string } {
    return { origin: this.origin, token: '<redacted>' };
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

/** The `Authorization` header value. Internal to the runner: not exported from the package entry. */
export function authorization(connection: Connection): string {
  const token = tokens.get(connection);
  if (token === undefined) throw new TypeError('not a Connection made by createConnection');
  return `ApiToken ${token}`;
}

/** The raw token, for the one call that sends it in a body (users/api-token-details). Internal. */
export function tokenOf(connection: Connection): string {
  const token = tokens.get(connection);
  if (token === undefined) throw new TypeError('not a Connection made by createConnection');
  return token;
}

function configError(message: string): RunnerError {
  return new RunnerError('S1QL_CONFIG', message);
}

export function isLoopback(hostname: string): boolean {
  const bare = hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
  if (bare.toLowerCase() === 'localhost') return true;
  if (isIP(bare) === 4) return bare.startsWith('127.');
  if (isIP(bare) === 6) return bare === '::1' || bare === '0:0:0:0:0:0:0:1';
  return false;
}

/**
 * Normalizes a console host as users paste it (`host`, `https://host/`, `http://127.0.0.1:8080`) to an origin.
 * Rejects user-info, paths, queries and fragments, and plain http except on loopback.
 */
export function normalizeHost(input: string): string {
  const raw = input.trim();
  if (raw === '') throw configError('the host is empty: give a console host such as usea1-acme.sentinelone.net');
  const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw);
  let url: URL;
  try {
    url = new URL(hasScheme ? raw : `https://${raw}`);
  } catch {
    throw configError(`the host "${raw}" is not a valid host name`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw configError(`the host must use https:// (got ${url.protocol}//)`);
  }
  if (url.username !== '' || url.password !== '' || raw.includes('@')) {
    throw configError('the host must not contain a user name or password: give the token with S1_API_TOKEN instead');
  }
  if (url.pathname !== '/' && url.pathname !== '') {
    throw configError(`the host must not contain a path (${url.pathname}): give only the console host`);
  }
  if (url.search !== '' || raw.includes('?')) throw configError('the host must not contain a query string (?...)');
  if (url.hash !== '' || raw.includes('#')) throw configError('the host must not contain a fragment (#...)');
  if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
    throw configError(
      `plain http:// is accepted only for loopback hosts (127.0.0.1, ::1, localhost); use https://${url.host}`,
    );
  }
  return url.origin;
}

export interface ResolveConnectionOptions {
  /** `--host`; falls back to `S1_HOST`. */
  readonly host?: string | undefined;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** `--token-file`; falls back to `S1_API_TOKEN_FILE`. */
  readonly tokenFile?: string | undefined;
  readonly readFile: (path: string) => string | Promise<string>;
}

const HOW_TO_TOKEN = 'set S1_API_TOKEN, or put the token in a file and name it with --token-file or S1_API_TOKEN_FILE';

/** Why a token file cannot be read, in words (the path itself is never repeated: it may be a pasted token). */
const TOKEN_FILE_ERRORS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file',
  EISDIR: 'it is a directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOTDIR: 'a part of its path is not a directory',
};

export async function resolveConnection(options: ResolveConnectionOptions): Promise<Connection> {
  const host = options.host ?? options.env.S1_HOST;
  if (host === undefined || host.trim() === '') {
    throw configError('no console host: give --host or set S1_HOST (for example usea1-acme.sentinelone.net)');
  }
  const origin = normalizeHost(host);
  // An explicit --token-file wins over the environment; then S1_API_TOKEN; then S1_API_TOKEN_FILE.
  const envToken = options.env.S1_API_TOKEN?.trim();
  const file =
    options.tokenFile ?? (envToken === undefined || envToken === '' ? options.env.S1_API_TOKEN_FILE : undefined);
  let token = envToken;
  const source = options.tokenFile !== undefined ? '--token-file' : 'S1_API_TOKEN_FILE';
  if (file !== undefined && file !== '') {
    let text: string;
    try {
      text = await options.readFile(file);
    } catch (error) {
      // Neither the path nor the file's contents: a token given by mistake where its file's name goes would show.
      const reason = (error as { code?: unknown }).code;
      throw configError(
        `cannot read the token file named by ${source}: ${TOKEN_FILE_ERRORS[String(reason)] ?? (typeof reason === 'string' ? reason : 'unreadable')}`,
      );
    }
    token = text.trim();
    if (token === '') throw configError(`the token file named by ${source} is empty: ${HOW_TO_TOKEN}`);
  }
  if (token === undefined || token === '') throw configError(`no API token: ${HOW_TO_TOKEN}`);
  if (/[\r\n]/.test(token)) throw configError('the API token holds a line break: give the token alone');
  // An HTTP header carries visible ASCII only; anything else is a copy-and-paste accident, not a network failure.
  if (!/^[\x21-\x7e]+$/.test(token)) {
    throw configError('the API token holds a space, an invisible or a non-ASCII character: give the token alone');
  }
  return new Connection(origin, token);
}

/** For code that already holds a token (tests, the editor's local server). */
export function createConnection(host: string, token: string): Connection {
  if (token.trim() === '') throw configError(`no API token: ${HOW_TO_TOKEN}`);
  return new Connection(normalizeHost(host), token.trim());
}
