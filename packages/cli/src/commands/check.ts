/**
 * `s1ql check DIR...`: the saved-query library (design/CLI.md, "The saved-query library"): metadata, parse, lint,
 * duplicate ids/titles/file names and hunt tests, every finding at its line and column in the hunt file.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, matchesGlob, relative } from 'node:path';
import { type CheckResult, checkLibrary, type Hunt, readHunt, readYamlValue } from '@s1ql/library';
import {
  ConfigError,
  loadConfig,
  type ResolvedConfig,
  resolveConfig,
  toEslintJson,
  toGithub,
  toSarif,
  toStylish,
  validateConfig,
} from '@s1ql/lint';
import type { Command } from 'commander';
import pc from 'picocolors';
import { ExitCode, UsageError } from '../exit-codes.ts';
import { expandPaths, type Io, writeLine } from '../io.ts';

interface CheckOptions {
  readonly format: string;
  readonly maxWarnings?: string;
  readonly config?: string;
}

const FORMATS = ['stylish', 'json', 'sarif', 'github'] as const;
type Format = (typeof FORMATS)[number];

const CONFIG_NAMES = ['s1ql.config.json', 's1ql.config.yaml', 's1ql.config.yml'];
const TOOL_VERSION = '0.1.0';

export function registerCheck(program: Command, io: Io, done: (code: number) => void): void {
  program
    .command('check')
    .description('Check a saved-query library: metadata, parse, lint, duplicate ids/titles/file names, and hunt tests')
    .option('--format <format>', 'stylish, json (ESLint shape), sarif or github', 'stylish')
    .option('--max-warnings <n>', 'exit 1 when there are more warnings than this')
    .option('--config <file>', 'lint configuration (default: s1ql.config.json or .yaml in the current directory)')
    .argument('<dir...>', 'directories or files (*.s1ql, *.yml, *.yaml)')
    .action(async (inputs: string[], options: CheckOptions) => {
      const format = options.format as Format;
      if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}`);
      let maxWarnings = Number.POSITIVE_INFINITY;
      if (options.maxWarnings !== undefined) {
        maxWarnings = Number(options.maxWarnings);
        if (!Number.isInteger(maxWarnings) || maxWarnings < 0) {
          throw new UsageError('--max-warnings must be a whole number, 0 or more');
        }
      }
      if (inputs.includes('-')) throw new UsageError('check reads files and directories, not standard input');
      const lintConfig = loadLintConfig(options.config, io);
      const paths = await expandPaths(inputs, io);
      const hunts: Hunt[] = [];
      const sources = new Map<string, string>();
      for (const path of paths) {
        let text: string;
        try {
          text = readFileSync(isAbsolute(path) ? path : join(io.cwd, path), 'utf8');
        } catch (error) {
          throw new UsageError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? 'unreadable'}`);
        }
        sources.set(path, text);
        hunts.push(readHunt(text, path));
      }
      const result = checkLibrary(hunts, lintConfig ? { lintConfig } : {});
      io.stdout.write(report(format, result, sources, io));
      const tests = `hunt tests: ${result.testsRun} run, ${result.testsFailed} failed, ${result.testsNotRun} hunts not run`;
      writeLine(
        io.stderr,
        `${hunts.length} hunts checked: ${result.errorCount} errors, ${result.warningCount} warnings; ${tests}`,
      );
      const tooManyWarnings = result.warningCount > maxWarnings;
      if (tooManyWarnings) writeLine(io.stderr, `too many warnings (${result.warningCount}, at most ${maxWarnings})`);
      done(result.errorCount > 0 || result.testsFailed > 0 || tooManyWarnings ? ExitCode.problems : ExitCode.ok);
    });
}

/** The lint configuration for each file: s1ql.config.json / .yaml, read as `s1ql lint` reads it. */
function loadLintConfig(explicit: string | undefined, io: Io): ((fileName: string) => ResolvedConfig) | undefined {
  let path: string | undefined;
  if (explicit !== undefined) {
    path = isAbsolute(explicit) ? explicit : join(io.cwd, explicit);
    if (!existsSync(path)) throw new UsageError(`cannot read config ${explicit}: no such file`);
  } else {
    path = CONFIG_NAMES.map((name) => join(io.cwd, name)).find((p) => existsSync(p));
  }
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
    throw new UsageError(`cannot read config ${path}: ${(error as NodeJS.ErrnoException).code ?? 'unreadable'}`);
  }
  const dir = dirname(path);
  return (fileName) => {
    // Overrides and exclusions name files relative to the configuration file.
    const rel = relative(dir, isAbsolute(fileName) ? fileName : join(io.cwd, fileName))
      .split('\\')
      .join('/');
    return resolveConfig(base.config, rel, { matchGlob: (p, g) => matchesGlob(p, g) });
  };
}

function report(format: Format, result: CheckResult, sources: ReadonlyMap<string, string>, io: Io): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(toEslintJson(result.files, sources))}\n`;
    case 'sarif':
      return `${JSON.stringify(toSarif(result.files, TOOL_VERSION), null, 2)}\n`;
    case 'github':
      return toGithub(result.files);
    case 'stylish':
      return toStylish(result.files, { color: io.stdout.isTTY ? pc : false, sources });
  }
}
