/** `s1ql sweep`: plan and run the fewest queries covering an IOC list, and report hits per IOC (design/CLI.md). */
import type { IocKind } from '@s1ql/builder';
import { DvClient, planSweepQueries, SweepIncompleteError, type SweepResult, sweep } from '@s1ql/runner';
import Table from 'cli-table3';
import type { Command } from 'commander';
import { ExitCode, UsageError } from '../exit-codes.ts';
import { counted, type Io, readInput, writeLine } from '../io.ts';
import { eventWriter } from '../runner-output.ts';
import {
  addRunOptions,
  budgetsFor,
  connect,
  interruptSignal,
  type RunFlags,
  reportError,
  runOptions,
} from '../runner-shared.ts';

interface Flags extends RunFlags {
  readonly iocs?: string;
  readonly kind: string;
  readonly dryRun?: boolean;
  readonly format: string;
}

const KINDS = ['auto', 'sha1', 'sha256', 'md5', 'ip', 'domain', 'url', 'path'];

export function registerSweep(program: Command, io: Io, done: (code: number) => void): void {
  const command = program
    .command('sweep')
    .description('Build and run the fewest queries that cover an IOC list, and report hits per IOC')
    .option('--iocs <file>', 'the IOC list, one a line (- for standard input)')
    .option('--kind <kind>', `${KINDS.join('|')}`, 'auto')
    .option('--dry-run', 'print the planned queries, one a line, and run nothing')
    .option('--format <format>', 'table, json (one document), ndjson or csv (one row per IOC)', 'table');
  addRunOptions(command).action(async (flags: Flags) => {
    if (flags.iocs === undefined) throw new UsageError('sweep needs --iocs FILE');
    if (!KINDS.includes(flags.kind)) throw new UsageError(`--kind must be one of ${KINDS.join(', ')}`);
    if (!['table', 'json', 'ndjson', 'csv'].includes(flags.format)) {
      throw new UsageError(`--format must be table, json, ndjson or csv, not ${flags.format}`);
    }
    // Strict UTF-8, as every input: a byte that is not would become U+FFFD inside a query.
    const { text } = await readInput(flags.iocs, io);
    const lines = text.split(/\r?\n/);
    const kind = flags.kind as 'auto' | IocKind;
    const options = runOptions(flags);
    const plan = planSweepQueries(lines, kind);
    for (const bad of plan.invalid)
      writeLine(io.stderr, `${flags.iocs}:${bad.line}: skipped "${printable(bad.input)}": ${bad.reason}`);
    const inputCode = plan.invalid.length > 0 ? ExitCode.problems : ExitCode.ok;
    if (plan.iocs.length === 0 && plan.invalid.length === 0) {
      // An empty feed (a failed download, a filter that removed everything) must not pass a CI job unnoticed.
      writeLine(
        io.stderr,
        `s1ql: warning: ${flags.iocs} holds no IOCs (only blank lines and # comments): nothing was swept`,
      );
    }
    if (flags.dryRun) {
      for (const q of plan.queries) writeLine(io.stdout, q.text);
      writeLine(
        io.stderr,
        `s1ql: ${counted(plan.queries.length, 'query', 'queries')} for ${counted(plan.iocs.length, 'IOC')} (dry run: nothing sent)`,
      );
      done(inputCode);
      return;
    }
    let connection: Awaited<ReturnType<typeof connect>>;
    try {
      connection = await connect(flags, io);
    } catch (error) {
      done(reportError(error, io));
      return;
    }
    const client = new DvClient(connection, { budgets: budgetsFor(io) });
    const interrupt = interruptSignal();
    let code: number = inputCode;
    try {
      const result = await sweep(lines, {
        ...options,
        kind,
        client,
        signal: interrupt.signal,
        onQuery: (i, n) => {
          if (io.stderr.isTTY) writeLine(io.stderr, `s1ql: query ${i + 1}/${n}`);
        },
      });
      await printSweep(result, flags.format, io);
    } catch (error) {
      // A failed query stops the sweep: what the others found is still printed, each IOC marked as checked or not.
      if (error instanceof SweepIncompleteError) await printSweep(error.partial, flags.format, io);
      code = reportError(error, io);
      if (error instanceof SweepIncompleteError) {
        const unchecked = error.partial.hits.filter((h) => h.status === 'not-checked').length;
        writeLine(
          io.stderr,
          `s1ql: the sweep is incomplete: ${counted(unchecked, 'IOC')} not checked (marked in the report); ` +
            'their hit counts are a lower bound.',
        );
      }
    } finally {
      interrupt.dispose();
      await client.close();
    }
    done(code);
  });
}

/** An entry as written, its control characters escaped: an IOC file must not drive the terminal. */
function printable(text: string): string {
  return text.replace(/\p{Cc}/gu, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

async function printSweep(result: SweepResult, format: string, io: Io): Promise<void> {
  // Every key in every record (null when an IOC was not seen), so programs read one shape.
  const rows = result.hits.map((h) => ({ ...h, firstSeen: h.firstSeen ?? null, lastSeen: h.lastSeen ?? null }));
  if (format === 'json') {
    writeLine(io.stdout, JSON.stringify({ hits: rows, invalid: result.invalid }, null, 2));
  } else if (format === 'ndjson' || format === 'csv') {
    // One record per IOC, through the writers `run` uses (CSV quoting included); endpoints joined for CSV.
    const writer = eventWriter(format, io.stdout);
    for (const h of rows)
      await writer.write({ ...h, endpoints: format === 'csv' ? h.endpoints.join(' ') : h.endpoints });
    await writer.end();
  } else {
    const table = new Table({
      head: ['ioc', 'kind', 'hits', 'first seen', 'last seen', 'endpoints', 'checked'],
      style: { head: [], border: [] },
    });
    for (const h of result.hits) {
      const checked = h.status === 'complete' ? 'yes' : h.status === 'possibly-truncated' ? 'truncated?' : 'NO';
      table.push([h.ioc, h.kind, String(h.hits), h.firstSeen ?? '', h.lastSeen ?? '', h.endpoints.join(', '), checked]);
    }
    writeLine(io.stdout, table.toString());
  }
  const found = result.hits.filter((h) => h.hits > 0).length;
  writeLine(
    io.stderr,
    `s1ql: ${found} of ${counted(result.hits.length, 'IOC')} seen, ${counted(result.queries.length, 'query', 'queries')}`,
  );
  if (result.truncated) {
    writeLine(
      io.stderr,
      's1ql: warning: a query reached its limit: hit counts are possibly truncated. Narrow the window or raise --limit.',
    );
  }
}
