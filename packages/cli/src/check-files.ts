/**
 * Each hunt's own checks for `s1ql check` (read, parse, lint, hunt tests), in this thread and in worker threads.
 * The results come back in the order of the paths however they were computed, so the output does not depend on
 * it. The checks across files (duplicates) need every hunt and are the caller's.
 */
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, matchesGlob, relative } from 'node:path';
import { checkHunt, type HuntCheck, readHunt, readYamlValue } from '@s1ql/library';
import { ConfigError, loadConfig, type ResolvedConfig, resolveConfig, validateConfig } from '@s1ql/lint';
import type { FileOutcome, WorkerPool, WorkerRequest } from './check-workers.ts';
import { UsageError } from './exit-codes.ts';
import { decodeText, readError } from './io.ts';

export type LintConfigFor = (fileName: string) => ResolvedConfig;

/**
 * The lint configuration for each file, from the configuration file at `path` (absolute), read as `s1ql lint`
 * reads it. Loaded in every thread: a resolved configuration holds functions, which cannot be posted.
 */
export function loadLintConfig(path: string | undefined, cwd: string): LintConfigFor | undefined {
  if (path === undefined) return undefined;
  let base: ResolvedConfig;
  try {
    const text = readFileSync(path, 'utf8');
    if (/\.ya?ml$/i.test(path)) {
      let value: unknown;
      try {
        value = readYamlValue(text);
      } catch (error) {
        throw new ConfigError(`not valid YAML (${error instanceof Error ? error.message : String(error)})`, path);
      }
      base = resolveConfig(validateConfig(value, path));
    } else {
      base = loadConfig(text, path);
    }
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(`invalid config ${error.message}`);
    throw new UsageError(`cannot read config ${path}: ${readError(error)}`);
  }
  const dir = dirname(path);
  return (fileName) => {
    // Overrides and exclusions name files relative to the configuration file.
    const rel = relative(dir, isAbsolute(fileName) ? fileName : join(cwd, fileName))
      .split('\\')
      .join('/');
    return resolveConfig(base.config, rel, { matchGlob: (p, g) => matchesGlob(p, g) });
  };
}

/** Reads and checks one file; a file that cannot be read is reported by its error code, never thrown. */
export function checkFile(
  index: number,
  path: string,
  cwd: string,
  lintConfig: LintConfigFor | undefined,
): FileOutcome {
  let text: string;
  try {
    text = decodeText(readFileSync(isAbsolute(path) ? path : join(cwd, path))).text;
  } catch (error) {
    return { index, error: readError(error) };
  }
  return { index, check: checkHunt(readHunt(text, path), lintConfig ? { lintConfig } : {}), text };
}

export interface CheckFilesOptions {
  readonly cwd: string;
  readonly lintConfig: LintConfigFor | undefined;
  /** Workers started with the same cwd and configuration file, to share the files with this thread. */
  readonly pool?: WorkerPool;
}

export interface CheckedFiles {
  readonly checks: HuntCheck[];
  /** Every file's text, by path as given (the reporters show code frames and ESLint's `source`). */
  readonly sources: Map<string, string>;
}

/**
 * Batches handed out on demand, so a thread that gets the slower hunts takes fewer of them. Up to 32 files (the
 * messages then cost nothing next to the work, and this thread answers the workers between two of its own
 * batches), shrinking towards the end so that the threads finish together.
 */
function batchSize(remaining: number, threads: number): number {
  return Math.max(4, Math.min(32, Math.ceil(remaining / (threads * 4))));
}

export async function checkFiles(paths: readonly string[], options: CheckFilesOptions): Promise<CheckedFiles> {
  const { cwd, lintConfig, pool } = options;
  const outcomes: FileOutcome[] = new Array(paths.length);
  const threads = (pool?.size ?? 0) + 1;
  let next = 0;
  let failed = false;
  const take = (): WorkerRequest => {
    if (next >= paths.length || failed) return null;
    const first = next;
    next = Math.min(paths.length, next + batchSize(paths.length - next, threads));
    return { first, paths: paths.slice(first, next) };
  };
  const store = (outcome: FileOutcome): void => {
    outcomes[outcome.index] = outcome;
    // Reading stops at an unreadable file (the first one in order is reported, as when reading one by one).
    if ('error' in outcome) failed = true;
  };
  const running = pool?.run(take, (batch) => {
    for (const outcome of batch) store(outcome);
  });
  for (let request = take(); request !== null; request = take()) {
    for (const [i, path] of request.paths.entries()) store(checkFile(request.first + i, path, cwd, lintConfig));
    // Let the workers' results in, and hand them their next batches.
    if (pool) await new Promise((resolve) => setImmediate(resolve));
  }
  await running;
  const checks: HuntCheck[] = [];
  const sources = new Map<string, string>();
  for (const [i, path] of paths.entries()) {
    const outcome = outcomes[i];
    if (!outcome) throw new Error(`no result for ${path}`);
    if ('error' in outcome) throw new UsageError(`cannot read ${path}: ${outcome.error}`);
    sources.set(path, outcome.text);
    checks.push(outcome.check);
  }
  return { checks, sources };
}
