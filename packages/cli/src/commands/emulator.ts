/**
 * `s1ql emulator`: the local Deep Visibility API emulator (design/CLI.md). Prints `listening <url>` on stdout when
 * ready and serves until SIGINT or SIGTERM. `--token` is the token the emulator accepts; it is never printed.
 */
import { FaultSpecError, parseFaults, type RateLimitOption, startEmulator } from '@s1ql/emulator';
import type { Command } from 'commander';
import { ExitCode, UsageError } from '../exit-codes.ts';
import { type Io, readError, writeLine } from '../io.ts';

interface EmulatorFlags {
  readonly port: string;
  readonly host: string;
  readonly seed: string;
  readonly events: string;
  readonly data?: string;
  readonly token?: string;
  readonly rateLimits: string;
  readonly faults?: string;
}

const FAULTS_HELP = `
Faults (--faults SPEC): a comma-separated list of KIND[:ARG...][@WHEN].
  status:CODE[:ENDPOINT]   answer CODE (429 = nginx HTML page, 5xx = realistic bodies); also 429, 500, 502, 503, 504
  5xx[:ENDPOINT]           one of 500/502/503/504, drawn from the seeded RNG
  drop[:ENDPOINT]          close the connection before any response
  cut[:ENDPOINT]           send the status, the headers and half the body, then close the connection
  slow:DURATION[:ENDPOINT] delay the response (500ms, 2s)
  state:STATE              the query ends in STATE: any state of the API (FAILED, QUERY_NOT_FOUND with
                           responseError; EMPTY_RESULTS pages empty; TIMED_OUT, QUERY_EXPIRED, ...) or an unknown
                           upper-case one (SOMETHING_NEW), then reported until cancelled
                           (WHEN counts accepted init-query calls)
  expire-query             the query's results are gone while paging: 404 Query Not Found, state QUERY_EXPIRED
                           (WHEN counts dv/events calls)
  expire-cursor            the cursor sent has expired: 400 "cursor: Cursor expired" (WHEN counts calls with a cursor)
  token:invalid|forbidden|expired|expires=ISO-DATE
                           every call 401 / DV calls 403 / token already expired / expires at that date (then 401)
  retry-after:on|off       whether 429 responses carry Retry-After (default on)
  variant:403-detail|429-json|limit-100000
                           answer as other consoles do: 403 bodies with a detail string alone / 429s in the JSON
                           error envelope instead of nginx's page / init-query limit up to 100000 instead of 20000
ENDPOINT: init-query, query-status, events, cancel-query, api-token-details, system-status (default: all);
  state, expire-query, expire-cursor, token, retry-after and variant take none; token, retry-after and variant take
  no WHEN.
WHEN: N (the Nth targeted call), N-M, N+ (from the Nth on), 0.1 or 10% (probability per call, seeded by --seed);
default: every call. A probability may also be written as an argument: 5xx:0.1.
Example: --faults 'status:429@3,5xx:events@0.1,drop:events@2,slow:500ms,state:FAILED@1,expire-cursor@2'`;

function integer(flag: string, text: string, min: number, max: number): number {
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) {
    throw new UsageError(`${flag} must be an integer from ${min} to ${max}, not ${JSON.stringify(text)}`);
  }
  return Number(text);
}

export function registerEmulator(program: Command, io: Io, done: (code: number) => void): void {
  program
    .command('emulator')
    .description('Run the local Deep Visibility API emulator over synthetic (or loaded) telemetry')
    .option('--port <n>', 'port to listen on (0 picks a free one)', '0')
    .option('--host <host>', 'interface to bind', '127.0.0.1')
    .option('--seed <s>', 'seed of the generated telemetry and of fault draws', '1')
    .option('--events <n>', 'number of generated events', '10000')
    .option('--data <file>', 'serve the events of a JSON array or NDJSON file instead of generated ones')
    .option('--token <token>', 'accept only this API token (otherwise any non-empty one); never printed')
    .option('--rate-limits <mode>', 'real or off', 'real')
    .option('--faults <spec>', 'inject faults (see below)')
    .addHelpText('after', FAULTS_HELP)
    .action(async (flags: EmulatorFlags) => {
      const port = integer('--port', flags.port, 0, 65535);
      const seed = integer('--seed', flags.seed, 0, 0xffffffff);
      const events = integer('--events', flags.events, 0, 100_000_000);
      if (flags.rateLimits !== 'real' && flags.rateLimits !== 'off') {
        throw new UsageError(`--rate-limits must be real or off, not ${JSON.stringify(flags.rateLimits)}`);
      }
      if (flags.token !== undefined && flags.token.trim() === '') throw new UsageError('--token must not be empty');
      let faults: ReturnType<typeof parseFaults> = [];
      if (flags.faults !== undefined) {
        try {
          faults = parseFaults(flags.faults);
        } catch (error) {
          if (error instanceof FaultSpecError) throw new UsageError(`--faults: ${error.message}`);
          throw error;
        }
      }
      let emulator: Awaited<ReturnType<typeof startEmulator>>;
      try {
        emulator = await startEmulator({
          host: flags.host,
          port,
          seed,
          events,
          ...(flags.data !== undefined ? { data: flags.data } : {}),
          ...(flags.token !== undefined ? { token: flags.token } : {}),
          rateLimits: flags.rateLimits as RateLimitOption,
          faults,
        });
      } catch (error) {
        const { code, syscall } = error as NodeJS.ErrnoException;
        if (code === 'EADDRINUSE') throw new UsageError(`port ${port} on ${flags.host} is already in use`);
        // Binding the address: a host name that does not resolve, an address not on this machine, a port not allowed.
        if (syscall === 'listen' || syscall === 'bind' || syscall === 'getaddrinfo') {
          const why =
            code === 'ENOTFOUND' || code === 'EAI_AGAIN'
              ? 'no such host name'
              : code === 'EADDRNOTAVAIL'
                ? 'the address is not one of this machine’s'
                : code === 'EACCES'
                  ? `port ${port} needs privileges (use a port above 1023, or 0 for a free one)`
                  : code;
          throw new UsageError(
            `cannot listen on ${flags.host} port ${port}: ${why}; --host takes an address of this machine such as 127.0.0.1`,
          );
        }
        if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR')
          throw new UsageError(`cannot read ${flags.data ?? 'the data file'}: ${readError(error)}`);
        if (error instanceof Error && error.name === 'DataFileError') throw new UsageError(error.message);
        throw error;
      }
      writeLine(io.stdout, `listening ${emulator.url}`);
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          resolve();
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
      await emulator.close();
      done(ExitCode.ok);
    });
}
