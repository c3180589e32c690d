/**
 * `s1ql doctor`: checks the host (normalized, reachable), the token (valid, expiry date and days left) and the
 * permission to run DV queries (a one-minute, limit-1 query, cancelled at once, so no query is left running).
 * The report is for people: it goes to stderr, like every other message.
 */
import { CANCEL_POLICY, DEFAULT_ABORT_GRACE_MS, DvClient, INIT_POLICY, isRunnerError, RunnerError } from '@s1ql/runner';
import type { Command } from 'commander';
import { ExitCode } from '../exit-codes.ts';
import { type Io, writeLine } from '../io.ts';
import {
  addConnectionOptions,
  budgetsFor,
  type ConnectionFlags,
  connect,
  interruptSignal,
  reportError,
} from '../runner-shared.ts';

const DAY = 24 * 60 * 60 * 1000;
const WARN_DAYS = 30;

export function registerDoctor(program: Command, io: Io, done: (code: number) => void): void {
  const command = program
    .command('doctor')
    .description('Check the console host, the API token and the permission to run Deep Visibility queries');
  addConnectionOptions(command).action(async (flags: ConnectionFlags) => {
    const ok = (line: string): void => writeLine(io.stderr, `ok    ${line}`);
    const warn = (line: string): void => writeLine(io.stderr, `warn  ${line}`);
    const fail = (line: string): void => writeLine(io.stderr, `FAIL  ${line}`);
    let connection: Awaited<ReturnType<typeof connect>>;
    try {
      connection = await connect(flags, io);
    } catch (error) {
      // Said once, as the FAIL line, as every other failure of the report is.
      if (isRunnerError(error)) {
        fail(error.message);
        done(error.exitCode);
      } else {
        done(reportError(error, io));
      }
      return;
    }
    ok(`host ${connection.origin}`);
    const client = new DvClient(connection, { budgets: budgetsFor(io), headersTimeoutMs: 15_000 });
    let code: number = ExitCode.ok;
    let interrupt: ReturnType<typeof interruptSignal> | undefined;
    try {
      const status = await client.call<{ data?: { health?: unknown } }>('other', {
        method: 'GET',
        path: 'system/status',
      });
      const health = status.data?.health;
      if (health === 'ok') ok('console reachable (system/status: ok)');
      else warn(`console reachable, but system/status says ${JSON.stringify(health)}`);

      try {
        const { expiresAt } = await client.tokenDetails();
        const expiry = typeof expiresAt === 'string' ? new Date(expiresAt) : undefined;
        if (expiry === undefined || Number.isNaN(expiry.getTime())) {
          ok('token accepted (the console gave no expiry date)');
        } else {
          // Calendar days, as a person counts them: an expiry on the 12th is 10 days away on the 2nd, at any hour.
          const today = new Date();
          const days = Math.round(
            (Date.UTC(expiry.getUTCFullYear(), expiry.getUTCMonth(), expiry.getUTCDate()) -
              Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate())) /
              DAY,
          );
          const date = expiry.toISOString().slice(0, 10);
          if (days < 0) {
            // The console still answered with it, but by its own dates the token has expired: do not call it valid.
            fail(`token expired on ${date} (${-days} ${-days === 1 ? 'day' : 'days'} ago): create a new one`);
            code = ExitCode.auth;
          } else if (days === 0) warn(`token expires today (${date}): create a new one now`);
          else if (days < WARN_DAYS) warn(`token valid, expires ${date} (${days} days left): create a new one soon`);
          else ok(`token valid, expires ${date} (${days} days left)`);
        }
      } catch (error) {
        // Some roles may not read token details, and some consoles lack the endpoint: the DV check below still
        // proves the token works.
        if (isRunnerError(error, 'S1QL_PERMISSION')) {
          warn('the token cannot read its own details (users/api-token-details: 403); expiry unknown');
        } else if (isRunnerError(error) && error.status === 404) {
          warn('this console does not offer users/api-token-details (404); expiry unknown');
        } else {
          throw error;
        }
      }

      const to = new Date();
      const from = new Date(to.getTime() - 60_000);
      // Ctrl-C while the test query starts: its init-query may still answer (within the grace), and the query it
      // names is cancelled before doctor stops, so no query is left running.
      interrupt = interruptSignal();
      const init = await client.call<{ data?: { queryId?: unknown } }>('init-query', {
        method: 'POST',
        path: 'dv/init-query',
        body: {
          query: 'EventType = "Process Creation"',
          fromDate: from.toISOString(),
          toDate: to.toISOString(),
          limit: 1,
          queryType: ['events'],
        },
        policy: INIT_POLICY,
        signal: interrupt.signal,
        abortGraceMs: DEFAULT_ABORT_GRACE_MS,
      });
      const queryId = init.data?.queryId;
      if (typeof queryId !== 'string')
        throw new RunnerError('S1QL_BAD_RESPONSE', 'dv/init-query answered without a queryId');
      try {
        await client.call('cancel-query', {
          method: 'POST',
          path: 'dv/cancel-query',
          body: { queryId },
          policy: CANCEL_POLICY,
        });
      } catch (error) {
        if (!isRunnerError(error)) throw error;
        ok('Deep Visibility: the token can run queries (test query started)');
        throw new RunnerError(
          error.code,
          `${error.message.replace(/\.$/, '')}; the test query ${queryId} (one event, the last minute) could not be cancelled and ` +
            'may run on the console until it finishes',
          { cause: error, queryId },
        );
      }
      if (interrupt.signal.aborted) {
        throw new RunnerError('S1QL_CANCELLED', `interrupted; the test query ${queryId} was cancelled`, { queryId });
      }
      ok('Deep Visibility: the token can run queries (test query started and cancelled)');
    } catch (error) {
      if (isRunnerError(error)) fail(error.message);
      code = Math.max(code, isRunnerError(error) ? error.exitCode : reportError(error, io));
    } finally {
      interrupt?.dispose();
      await client.close();
    }
    done(code);
  });
}
