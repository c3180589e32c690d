/** What `run`, `sweep` and `doctor` share: connection settings, run options, cancellation and error reporting. */
import { readFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import type { Range } from '@s1ql/language';
import { Budgets, type Connection, isRunnerError, resolveConnection } from '@s1ql/runner';
import ms from 'ms';
import { ExitCode, UsageError } from './exit-codes.ts';
import { formatDiagnostic, type Io, writeLine } from './io.ts';

export interface ConnectionFlags {
  readonly host?: string;
  readonly tokenFile?: string;
}

export interface RunFlags extends ConnectionFlags {
  readonly api: string;
  readonly from?: string;
  readonly to?: string;
  readonly last?: string;
  readonly limit?: string;
  readonly site?: string[];
  readonly account?: string[];
  readonly timeout?: string;
}

export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** The flags `run` and `sweep` share (design/CLI.md "run options"). */
export function addRunOptions<T extends { option: (...args: never[]) => T }>(command: T): T {
  const c = command as unknown as import('commander').Command;
  c.option('--api <api>', 'dv (Deep Visibility), pq or lrq', 'dv')
    .option('--from <iso>', 'window start, ISO-8601 (default: --last before --to)')
    .option('--to <iso>', 'window end, ISO-8601 (default: now)')
    .option('--last <duration>', 'window ending now: 24h, 7d, 10m... (default 24h)')
    .option('--limit <n>', 'events to ask for (default 20000)')
    .option('--site <id>', 'a site id (repeatable)', collect)
    .option('--account <id>', 'an account id (repeatable)', collect)
    .option('--timeout <duration>', 'give up and cancel the query after this long', '10m');
  return addConnectionOptions(command);
}

export function addConnectionOptions<T>(command: T): T {
  const c = command as unknown as import('commander').Command;
  c.option('--host <host>', 'console host (default: S1_HOST), e.g. usea1-acme.sentinelone.net').option(
    '--token-file <file>',
    'file holding the API token (default: S1_API_TOKEN, then S1_API_TOKEN_FILE)',
  );
  return command;
}

export function duration(value: string, flag: string): number {
  const parsed = /^\d+$/.test(value) ? undefined : (ms(value as ms.StringValue) as number | undefined);
  if (parsed === undefined || !Number.isFinite(parsed) || parsed <= 0) {
    throw new UsageError(`${flag} ${value}: give a duration such as 10m, 24h or 7d`);
  }
  return parsed;
}

export interface ResolvedRunOptions {
  readonly from?: string;
  readonly to?: string;
  readonly last?: number;
  readonly limit?: number;
  readonly siteIds: string[];
  readonly accountIds: string[];
  readonly timeoutMs: number;
}

export function runOptions(flags: RunFlags): ResolvedRunOptions {
  if (flags.api !== 'dv') {
    if (flags.api === 'pq' || flags.api === 'lrq') {
      throw new UsageError(
        `--api ${flags.api}: the ${flags.api === 'pq' ? 'PowerQuery' : 'Long Running Query'} API is not available yet; use --api dv`,
      );
    }
    throw new UsageError(`--api must be dv, pq or lrq, not ${flags.api}`);
  }
  const from = flags.from === undefined ? undefined : isoDate(flags.from, '--from');
  const to = flags.to === undefined ? undefined : isoDate(flags.to, '--to');
  if (flags.from !== undefined && flags.last !== undefined) throw new UsageError('give --from or --last, not both');
  let limit: number | undefined;
  if (flags.limit !== undefined) {
    limit = Number(flags.limit);
    // The console judges the maximum (20000 on older consoles, 100000 in the current API; an emulator may allow
    // more, as the benchmarks do): here only a whole number is required.
    if (!/^\d+$/.test(flags.limit) || limit < 1 || !Number.isSafeInteger(limit)) {
      throw new UsageError(
        `--limit ${flags.limit}: give a whole number of at least 1 (consoles take up to 20000 or 100000)`,
      );
    }
  }
  const last = flags.last === undefined ? undefined : duration(flags.last, '--last');
  if (last !== undefined && (to === undefined ? Date.now() : Date.parse(to)) - last < 0) {
    throw new UsageError(`--last ${flags.last}: the window would start before 1970`);
  }
  const timeoutMs = duration(flags.timeout ?? '10m', '--timeout');
  if (timeoutMs > MAX_TIMER_MS) throw new UsageError(`--timeout ${flags.timeout}: give at most 24d`);
  for (const [flag, ids] of [
    ['--site', flags.site],
    ['--account', flags.account],
  ] as const) {
    if (ids?.some((id) => id.trim() === '')) throw new UsageError(`${flag} needs an id, not an empty value`);
  }
  const out: ResolvedRunOptions = {
    siteIds: flags.site ?? [],
    accountIds: flags.account ?? [],
    timeoutMs,
    ...(from === undefined ? {} : { from }),
    ...(to === undefined ? {} : { to }),
    ...(last === undefined ? {} : { last }),
    ...(limit === undefined ? {} : { limit }),
  };
  return out;
}

/** Node's timers hold at most 2^31 - 1 ms (24.8 days); a longer one would fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * An ISO-8601 date or date-time, checked against the calendar (2026-02-30 is refused, not moved to March). The API
 * works in UTC, so a time without an offset is read as UTC, never as this machine's local time.
 */
export function isoDate(value: string, flag: string): string {
  const m = ISO.exec(value.trim());
  const example = 'give an ISO-8601 date such as 2026-11-01 or 2026-11-01T00:00:00Z';
  if (!m) throw new UsageError(`${flag} ${value}: ${example}`);
  const [, y, mo, d, h = '00', mi = '00', sec = '00', zone] = m;
  const date = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(sec)));
  const valid =
    date.getUTCFullYear() === Number(y) &&
    date.getUTCMonth() === Number(mo) - 1 &&
    date.getUTCDate() === Number(d) &&
    date.getUTCHours() === Number(h) &&
    date.getUTCMinutes() === Number(mi) &&
    date.getUTCSeconds() === Number(sec);
  if (!valid) throw new UsageError(`${flag} ${value}: no such date or time; ${example}`);
  const normalized = value.trim().replace(' ', 'T');
  const parsed = Date.parse(zone === undefined && m[4] !== undefined ? `${normalized}Z` : normalized);
  if (Number.isNaN(parsed)) throw new UsageError(`${flag} ${value}: ${example}`);
  return new Date(parsed).toISOString();
}

export async function connect(flags: ConnectionFlags, io: Io): Promise<Connection> {
  const connection = await resolveConnection({
    host: flags.host,
    env: io.env,
    tokenFile: flags.tokenFile,
    readFile: (path) => readFile(isAbsolute(path) ? path : join(io.cwd, path), 'utf8'),
  });
  guardMessages(io, connection);
  return connection;
}

/**
 * The last line of defence for the token: from now on, whatever is written to stderr has it replaced. The runner
 * already redacts what the console says; this also covers text that reaches a message another way. Standard output
 * is left alone: it carries the events, byte for byte.
 */
function guardMessages(io: Io, connection: Connection): void {
  const stderr = io.stderr as Io['stderr'] & { s1qlGuarded?: true };
  if (stderr.s1qlGuarded) return;
  const write = stderr.write.bind(stderr) as (chunk: unknown, ...rest: unknown[]) => boolean;
  stderr.write = ((chunk: unknown, ...rest: unknown[]) =>
    write(typeof chunk === 'string' ? connection.redact(chunk) : chunk, ...rest)) as typeof stderr.write;
  stderr.s1qlGuarded = true;
}

/**
 * The budgets: the console's real limits. S1QL_RATE_SCALE (a number, e.g. 0.0167 for an emulator running 60x
 * faster, 0 for one with rate limits off) scales them; it exists for the emulator and benchmarks.
 */
export function budgetsFor(io: Io): Budgets {
  const raw = io.env.S1QL_RATE_SCALE;
  if (raw === undefined || raw === '') return new Budgets();
  const scale = Number(raw);
  if (!Number.isFinite(scale) || scale < 0) throw new UsageError(`S1QL_RATE_SCALE=${raw}: give a number >= 0`);
  return new Budgets({ scale });
}

/**
 * Ctrl-C or SIGTERM (a CI job stopped, `kill`, `timeout`) aborts the run, which cancels its query; a second one is
 * left to Node's default.
 */
export function interruptSignal(): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const onSignal = (): void => controller.abort();
  const signals = ['SIGINT', 'SIGTERM'] as const;
  for (const s of signals) process.once(s, onSignal);
  return {
    signal: controller.signal,
    dispose: () => {
      for (const s of signals) process.removeListener(s, onSignal);
    },
  };
}

/**
 * Prints an error the way CLI.md wants (a message saying what to do, never a stack) and returns its exit code.
 * `toFile` places a local syntax error's positions in `file` (a YAML hunt's query starts inside the file).
 */
export function reportError(error: unknown, io: Io, file = '-', toFile?: (range: Range) => Range): number {
  if (isRunnerError(error)) {
    let message = error.message;
    if (error.code === 'S1QL_SYNTAX' && error.diagnostics !== undefined && error.diagnostics.length > 0) {
      const diagnostics = (error.diagnostics as Parameters<typeof formatDiagnostic>[1][]).map((d) =>
        toFile === undefined ? d : { ...d, range: toFile(d.range) },
      );
      for (const d of diagnostics) writeLine(io.stderr, formatDiagnostic(file, d));
      const first = diagnostics[0];
      // The runner names the first error's place in the query text: say where it is in the file.
      if (toFile !== undefined && first !== undefined) {
        message = message.replace(/ at \d+:\d+:/, ` at ${first.range.start.line}:${first.range.start.column}:`);
      }
    }
    writeLine(io.stderr, `s1ql: ${message} [${error.code}]`);
    return error.exitCode;
  }
  if (error instanceof UsageError) throw error;
  writeLine(io.stderr, `s1ql: unexpected failure: ${error instanceof Error ? error.message : String(error)}`);
  return ExitCode.problems;
}
