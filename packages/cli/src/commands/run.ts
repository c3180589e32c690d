/** `s1ql run`: run a Deep Visibility query and stream its events (design/CLI.md). */
import { createWriteStream, type Stats, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { Writable } from 'node:stream';
import type { Diagnostic, Range } from '@s1ql/language';
import { DvClient, type RunProgress, runQuery } from '@s1ql/runner';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { ExitCode, UsageError } from '../exit-codes.ts';
import { counted, formatDiagnostic, HUNT_EXTENSIONS, type Io, readError, readInput, writeLine } from '../io.ts';
import { eventWriter, FORMATS, type Format } from '../runner-output.ts';
import {
  addRunOptions,
  budgetsFor,
  connect,
  interruptSignal,
  type RunFlags,
  reportError,
  runOptions,
} from '../runner-shared.ts';
import { querySource } from '../sources.ts';

interface Flags extends RunFlags {
  readonly format: string;
  readonly out?: string;
}

/**
 * INPUT is `-`, an existing .s1ql/.yml/.yaml file, a pipe or device (`/dev/stdin`, a shell's `<(...)`), or else the
 * query text itself (an empty one included).
 */
export async function queryArgument(
  arg: string,
  io: Io,
): Promise<{ file: string; text: string; toFile?: (range: Range) => Range; problems?: readonly Diagnostic[] }> {
  if (arg.trim() === '') return { file: '<query>', text: arg };
  const path = isAbsolute(arg) ? arg : join(io.cwd, arg);
  const stat = arg === '-' ? undefined : statOrNothing(path);
  const oneWord = !/\s/.test(arg);
  const isPipe = oneWord && stat !== undefined && (stat.isFIFO() || stat.isCharacterDevice() || stat.isSocket());
  const looksLikeFile = isPipe || HUNT_EXTENSIONS.some((ext) => arg.toLowerCase().endsWith(ext));
  if (oneWord && stat?.isDirectory()) {
    throw new UsageError(
      `${arg} is a directory: give one .s1ql, .yml or .yaml file, - for standard input, or the query`,
    );
  }
  if (arg !== '-' && !(looksLikeFile && (isPipe || stat?.isFile()))) {
    if (looksLikeFile && oneWord) throw new UsageError(`cannot read ${arg}: no such file`);
    return { file: '<query>', text: arg };
  }
  const input = await readInput(arg, io);
  if (arg === '-') return { file: '-', text: input.text };
  // A YAML hunt's query is placed in the file (positions in messages are the file's), and the file's own
  // problems (unreadable YAML, no query) are reported where they are.
  const source = await querySource(input);
  const problems = source.fileDiagnostics.filter((d) => d.severity === 'error');
  if (problems.length > 0) return { file: arg, text: source.text, problems };
  if (source.unparsed) {
    // A hunt whose `dialect` is not S1QL 1.0: the DV API does not take it.
    throw new UsageError(`${arg}: the hunt's dialect is not S1QL 1.0, the only one s1ql run sends (--api dv)`);
  }
  return { file: arg, text: source.text, toFile: source.toFile };
}

/** What is at `path`, if anything: query text is rarely a path (ENOENT), and may not even be one (ENAMETOOLONG). */
function statOrNothing(path: string): Stats | undefined {
  try {
    return statSync(path, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

export interface Output {
  readonly stream: Writable;
  /** Ends a file output (standard output stays open); never rejects: a failure is left in `failed()`. */
  readonly close: () => Promise<void>;
  /** The write error that stopped the output, if any (a full disk, a closed pipe). */
  readonly failed: () => NodeJS.ErrnoException | undefined;
}

export async function openOutput(out: string | undefined, io: Io): Promise<Output> {
  let failure: NodeJS.ErrnoException | undefined;
  const record = (error: NodeJS.ErrnoException): void => {
    failure ??= error;
  };
  if (out === undefined) {
    // Kept for the life of the process: a closed pipe may report itself after the run has ended.
    io.stdout.on('error', record);
    return { stream: io.stdout, close: async () => undefined, failed: () => failure };
  }
  // A megabyte may wait for the disk before the writer waits: a batch per event-loop turn would stall the run.
  const stream = createWriteStream(isAbsolute(out) ? out : join(io.cwd, out), { highWaterMark: 1024 * 1024 });
  await new Promise<void>((resolve, reject) => {
    stream.once('open', () => resolve());
    stream.once('error', (e: NodeJS.ErrnoException) => reject(new UsageError(`cannot write ${out}: ${readError(e)}`)));
  });
  stream.on('error', record);
  return {
    stream,
    close: () =>
      new Promise<void>((resolve) => {
        if (failure !== undefined || stream.destroyed) resolve();
        else {
          // The last buffered bytes are written here: a failure then is recorded, for the caller to report.
          stream.end((error?: Error | null) => {
            if (error) record(error as NodeJS.ErrnoException);
            resolve();
          });
        }
      }),
    failed: () => failure,
  };
}

export function registerRun(program: Command, io: Io, done: (code: number) => void): void {
  const command = program
    .command('run')
    .description('Run a Deep Visibility query and stream its events')
    .option('--format <format>', "ndjson, json, csv (formula-like cells quoted with ') or table", 'ndjson')
    .option('--out <file>', 'write the events to a file instead of standard output')
    .argument('<input>', 'a .s1ql/.yml/.yaml file, - or a pipe (/dev/stdin) for standard input, or the query text');
  addRunOptions(command).action(async (arg: string, flags: Flags) => {
    if (!FORMATS.includes(flags.format as Format)) {
      throw new UsageError(`--format must be ndjson, json, csv or table, not ${flags.format}`);
    }
    const options = runOptions(flags);
    const { file, text, toFile, problems } = await queryArgument(arg, io);
    if (problems !== undefined) {
      for (const d of problems) writeLine(io.stderr, formatDiagnostic(file, d));
      writeLine(io.stderr, `s1ql: ${file} holds no query that can be run; nothing was sent`);
      done(ExitCode.problems);
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
    const output = await openOutput(flags.out, io);
    const writer = eventWriter(flags.format as Format, output.stream);
    const bar = io.stderr.isTTY
      ? new SingleBar({
          stream: io.stderr as NodeJS.WritableStream,
          format: 's1ql run [{bar}] {percentage}% | {state} | {events} events',
          hideCursor: true,
          clearOnComplete: true,
        })
      : undefined;
    bar?.start(100, 0, { state: 'starting', events: 0 });
    const onProgress = (p: RunProgress): void => {
      bar?.update(p.progress ?? 0, { state: p.state, events: p.events });
    };
    let code: number = ExitCode.ok;
    let written = 0;
    try {
      const handle = runQuery(text, { ...options, client, signal: interrupt.signal, onProgress });
      // JSON formats take each event's JSON text as the console sent it: nothing is parsed and serialized again.
      const { writeJson } = writer;
      if (writeJson !== undefined) {
        for await (const json of handle.json()) {
          await writeJson(json);
          written++;
        }
      } else {
        for await (const event of handle) {
          await writer.write(event);
          written++;
        }
      }
      await writer.end();
      const summary = await handle.summary;
      bar?.stop();
      const leftOut = writer.leftOut?.();
      if (leftOut !== undefined) writeLine(io.stderr, `s1ql: warning: ${leftOut}.`);
      writeLine(
        io.stderr,
        `s1ql: ${counted(summary.delivered, 'event')} (query ${summary.queryId}, ${summary.state}, ` +
          `${(summary.elapsedMs / 1000).toFixed(1)} s, ${counted(summary.retries, 'retry', 'retries')}, ` +
          `${counted(summary.reruns, 're-run')})`,
      );
      if (summary.truncated) {
        writeLine(
          io.stderr,
          `s1ql: warning: the result reached its limit of ${counted(options.limit ?? 20000, 'event')}: possibly truncated. ` +
            'Narrow the window or raise --limit.',
        );
      }
    } catch (error) {
      bar?.stop();
      // Standard output redirected to a file writes synchronously: its error is thrown before it is emitted.
      const thrown = error as NodeJS.ErrnoException;
      const failed = output.failed() ?? (thrown?.syscall === 'write' && thrown.code ? thrown : undefined);
      if (failed !== undefined && failed.code === 'EPIPE' && flags.out === undefined) {
        // The reader went away (| head): stop quietly, as Unix tools do.
        code = ExitCode.ok;
      } else if (failed !== undefined) {
        writeLine(
          io.stderr,
          `s1ql: cannot write ${flags.out ?? 'standard output'}: ${readError(failed)}; the run was stopped, ` +
            'so the output is incomplete.',
        );
        code = ExitCode.usage;
      } else {
        await writer.flush?.().catch(() => undefined);
        code = reportError(error, io, file, toFile);
        if (written > 0) {
          writeLine(
            io.stderr,
            `s1ql: ${counted(written, 'event')} written before it stopped: the output is incomplete.`,
          );
        } else if (code !== ExitCode.problems && code !== ExitCode.usage) {
          // A run that stopped before its first event leaves an empty output (an empty --out file): say that it is
          // not an empty result. (A local syntax error or a bad option sent nothing and says so itself.)
          writeLine(
            io.stderr,
            `s1ql: nothing was written to ${flags.out ?? 'standard output'}: the run stopped before its first event.`,
          );
        }
      }
    } finally {
      interrupt.dispose();
      await output.close();
      await client.close();
    }
    const lastWrite = output.failed();
    if (code === ExitCode.ok && lastWrite !== undefined && !(lastWrite.code === 'EPIPE' && flags.out === undefined)) {
      // The run itself succeeded, but the file's last bytes could not be written: never a silent short file.
      writeLine(
        io.stderr,
        `s1ql: cannot write ${flags.out ?? 'standard output'}: ${readError(lastWrite)}; the output is incomplete.`,
      );
      code = ExitCode.usage;
    }
    done(code);
  });
}
