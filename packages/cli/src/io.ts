/** Inputs and outputs shared by the commands: files, directories, standard input, and diagnostic lines. */
import { readdir, readFile, realpath, stat, writeFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
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
  /** The text, without a leading byte order mark: positions are counted as editors count them. */
  readonly text: string;
  /** Whether the file started with a byte order mark (kept when the file is rewritten). */
  readonly bom: boolean;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** A file's text: strict UTF-8 (a bad byte is an error, never a silent U+FFFD), a leading BOM set aside. */
export function decodeText(bytes: Uint8Array): { text: string; bom: boolean } {
  // A UTF-16 byte order mark (what Windows editors call "Unicode"): say so rather than "not valid UTF-8".
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new Error('UTF-16 text; save it as UTF-8');
  }
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw new Error('not valid UTF-8');
  }
  return text.charCodeAt(0) === 0xfeff ? { text: text.slice(1), bom: true } : { text, bom: false };
}

/** The bytes to write back for `text`, the new content of `input`: its byte order mark, if it had one, kept. */
export function encodeText(text: string, input: Pick<Input, 'bom'>): string {
  return input.bom ? `\ufeff${text}` : text;
}

export const HUNT_EXTENSIONS: readonly string[] = ['.s1ql', '.yml', '.yaml'];

async function readStdin(stdin: Readable): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks);
}

/** The linter's own configuration files: found in a hunt folder, they are read as configuration, never as hunts. */
export const CONFIG_NAMES: readonly string[] = ['s1ql.config.json', 's1ql.config.yaml', 's1ql.config.yml'];

function isHuntFile(name: string): boolean {
  const lower = name.toLowerCase();
  return HUNT_EXTENSIONS.some((ext) => lower.endsWith(ext)) && !CONFIG_NAMES.includes(lower);
}

/** Why a path cannot be read, in words rather than an errno code. */
export function readError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory';
  if (code === 'ELOOP') return 'too many levels of symbolic links';
  if (code === 'ENOTDIR') return 'not a directory';
  if (code === 'ENAMETOOLONG') return 'file name too long';
  if (code === 'ENOSPC') return 'no space left on device';
  if (code === 'EPIPE') return 'the reading end of the pipe was closed';
  return error instanceof Error && code === undefined ? error.message : (code ?? 'unreadable');
}

class PathWalk {
  readonly out: string[] = [];
  /** Real paths of the files listed: a file named twice (or reached twice) is read once. */
  readonly #seen = new Set<string>();
  /** Real paths of the directories walked, with the number of hunt files under each (0 while walking it). */
  readonly #dirs = new Map<string, number>();
  readonly #cwd: string;
  constructor(cwd: string) {
    this.#cwd = cwd;
  }

  #resolve(path: string): string {
    return isAbsolute(path) ? path : join(this.#cwd, path);
  }

  /** Adds `path` (as the user will see it) unless its real path was already added. */
  async file(path: string): Promise<void> {
    // A pipe (`/dev/stdin`, a shell's `<(...)`) has no real path: it is its own path, and read once anyway.
    const real = await realpath(this.#resolve(path)).catch(() => this.#resolve(path));
    if (this.#seen.has(real)) return;
    this.#seen.add(real);
    this.out.push(path);
  }

  /**
   * Hunt files under `dir`, recursively, sorted by name; symbolic links are followed (each target once). Returns
   * how many hunt files are under it, including those already listed.
   */
  async dir(dir: string): Promise<number> {
    const real = await realpath(this.#resolve(dir));
    const known = this.#dirs.get(real);
    if (known !== undefined) return known;
    this.#dirs.set(real, 0);
    let found = 0;
    const entries = await readdir(real, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      const path = join(dir, entry.name);
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        let target: Awaited<ReturnType<typeof stat>> | undefined;
        try {
          target = await stat(this.#resolve(path));
        } catch (error) {
          // A broken link that names a hunt is a hunt that cannot be read; any other is not ours.
          if (isHuntFile(entry.name)) throw new UsageError(`cannot read ${path}: ${readError(error)}`);
        }
        isDir = target?.isDirectory() ?? false;
        isFile = target?.isFile() ?? false;
      }
      if (isDir) {
        found += await this.dir(path);
      } else if (isFile && isHuntFile(entry.name)) {
        await this.file(path);
        found++;
      }
    }
    this.#dirs.set(real, found);
    return found;
  }
}

/**
 * Paths named on the command line, with directories expanded (recursively, *.s1ql, *.yml, *.yaml, sorted). A file
 * named twice, or inside two directories given, is listed once, as first named. A directory with no hunt in it is
 * a usage error, as a linter's pattern that matches nothing is: a CI job pointed at the wrong folder must not pass.
 */
export async function expandPaths(args: readonly string[], io: Io): Promise<string[]> {
  if (args.length === 0) throw new UsageError('no input: name files or directories, or - for standard input');
  const walk = new PathWalk(io.cwd);
  for (const arg of args) {
    if (arg === '-') {
      if (!walk.out.includes('-')) walk.out.push('-');
      continue;
    }
    // `join(cwd, '')` is the working directory: an empty argument (an unset shell variable) must not mean "everything".
    if (arg.trim() === '')
      throw new UsageError('an input path is empty: name files or directories, or - for standard input');
    let info: Awaited<ReturnType<typeof stat>>;
    try {
      info = await stat(isAbsolute(arg) ? arg : join(io.cwd, arg));
    } catch (error) {
      throw new UsageError(`cannot read ${arg}: ${readError(error)}`);
    }
    let found = 1;
    try {
      if (info.isDirectory()) found = await walk.dir(arg);
      else await walk.file(arg);
    } catch (error) {
      if (error instanceof UsageError) throw error;
      throw new UsageError(`cannot read ${arg}: ${readError(error)}`);
    }
    if (found === 0) throw new UsageError(`${arg}: no ${HUNT_EXTENSIONS.join(', ')} files in this directory`);
  }
  return walk.out;
}

/** Names of standard input that cannot be opened when it is a socket (ENXIO), as a parent process's pipe often is. */
const STDIN_NAMES = new Set(['/dev/stdin', '/dev/fd/0', '/proc/self/fd/0']);

async function readPath(path: string, io: Io): Promise<Uint8Array> {
  try {
    return await readFile(isAbsolute(path) ? path : join(io.cwd, path));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENXIO' && STDIN_NAMES.has(path)) return readStdin(io.stdin);
    throw error;
  }
}

export async function readInput(path: string, io: Io): Promise<Input> {
  try {
    const bytes = path === '-' ? await readStdin(io.stdin) : await readPath(path, io);
    return { path, ...decodeText(bytes) };
  } catch (error) {
    throw new UsageError(`cannot read ${path === '-' ? 'standard input' : path}: ${readError(error)}`);
  }
}

/** Rewrites a file named on the command line (`fmt --write`, `lint --fix`), its byte order mark kept; a file that
 * cannot be written is a usage error that names it. */
export async function writeInput(path: string, text: string, input: Pick<Input, 'bom'>, io: Io): Promise<void> {
  try {
    await writeFile(isAbsolute(path) ? path : join(io.cwd, path), encodeText(text, input), 'utf8');
  } catch (error) {
    throw new UsageError(`cannot write ${path}: ${readError(error)}`);
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

/** `--max-warnings N` (lint, check): digits only (not `''`, `0x10` or `1e3`); no flag means no maximum. */
export function maxWarnings(value: string | undefined): number {
  if (value === undefined) return Number.POSITIVE_INFINITY;
  if (!/^\d+$/.test(value)) throw new UsageError(`--max-warnings must be a whole number, 0 or more, not "${value}"`);
  return Number(value);
}

/** The line both commands print when there are more warnings than `--max-warnings` allows. */
export function tooManyWarnings(warnings: number, max: number): string {
  return `s1ql: too many warnings (${warnings}; maximum: ${max}).`;
}
