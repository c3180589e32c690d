/** Inputs and outputs shared by the commands: files, directories, standard input, and diagnostic lines. */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import type { Diagnostic } from '@s1ql/language';
import { UsageError } from './exit-codes.ts';

export interface Io {
  readonly stdout: Writable & { isTTY?: boolean };
  readonly stderr: Writable & { isTTY?: boolean };
  readonly stdin: Readable & { isTTY?: boolean };
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
}

export function processIo(): Io {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env, cwd: process.cwd() };
}

export interface Input {
  /** As the user named it (`-` for standard input); used in every message. */
  readonly path: string;
  readonly text: string;
}

export const HUNT_EXTENSIONS: readonly string[] = ['.s1ql', '.yml', '.yaml'];

async function readStdin(stdin: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

async function walk(dir: string, out: string[]): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await walk(path, out);
    else if (entry.isFile() && HUNT_EXTENSIONS.some((ext) => entry.name.toLowerCase().endsWith(ext))) out.push(path);
  }
}

/** Paths named on the command line, with directories expanded (recursively, *.s1ql, *.yml, *.yaml, sorted). */
export async function expandPaths(args: readonly string[], io: Io): Promise<string[]> {
  if (args.length === 0) throw new UsageError('no input: name files or directories, or - for standard input');
  const out: string[] = [];
  for (const arg of args) {
    if (arg === '-') {
      out.push('-');
      continue;
    }
    const full = join(io.cwd, arg);
    let info: Awaited<ReturnType<typeof stat>>;
    try {
      info = await stat(arg.startsWith('/') ? arg : full);
    } catch {
      throw new UsageError(`cannot read ${arg}: no such file or directory`);
    }
    if (info.isDirectory()) await walk(arg, out);
    else out.push(arg);
  }
  return out;
}

export async function readInput(path: string, io: Io): Promise<Input> {
  if (path === '-') return { path, text: await readStdin(io.stdin) };
  try {
    return { path, text: await readFile(path.startsWith('/') ? path : join(io.cwd, path), 'utf8') };
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new UsageError(`cannot read ${path}: ${reason}`);
  }
}

/** `file:line:col: severity code message`, the line format editors and CI parse. */
export function formatDiagnostic(file: string, d: Pick<Diagnostic, 'range' | 'severity' | 'code' | 'message'>): string {
  return `${file}:${d.range.start.line}:${d.range.start.column}: ${d.severity} ${d.code} ${d.message}`;
}

export function writeLine(stream: Writable, line: string): void {
  stream.write(`${line}\n`);
}

/** `1 event`, `2 events`; `plural` for words that do not take an s (`retry`, `retries`). */
export function counted(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}
