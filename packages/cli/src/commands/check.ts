/**
 * `s1ql check DIR...`: the saved-query library (design/CLI.md, "The saved-query library"): metadata, parse, lint,
 * duplicate ids/titles/file names and hunt tests, every finding at its line and column in the hunt file.
 */
import type { CheckResult } from '@s1ql/library';
import type { Command } from 'commander';
import pc from 'picocolors';
import { findLintConfig } from '../check-config.ts';
import { startWorkers, workersFor } from '../check-workers.ts';
import { ExitCode, UsageError } from '../exit-codes.ts';
import { counted, expandPaths, type Io, maxWarnings, tooManyWarnings, writeLine } from '../io.ts';

interface CheckOptions {
  readonly format: string;
  readonly maxWarnings?: string;
  readonly config?: string;
}

const FORMATS = ['stylish', 'json', 'sarif', 'github'] as const;
type Format = (typeof FORMATS)[number];

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
      if (!FORMATS.includes(format))
        throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, not ${options.format}`);
      const max = maxWarnings(options.maxWarnings);
      if (inputs.includes('-')) throw new UsageError('check reads files and directories, not standard input');
      const configPath = findLintConfig(options.config, io.cwd);
      let paths: string[] | undefined;
      let pathError: unknown;
      try {
        paths = await expandPaths(inputs, io);
      } catch (error) {
        pathError = error;
      }
      let workers = 0;
      try {
        workers = workersFor(paths?.length ?? 0, io.env);
      } catch (error) {
        throw new UsageError((error as Error).message);
      }
      // Started before this thread loads the checking code (the imports below), so they load at the same time.
      const pool =
        workers > 0
          ? startWorkers(workers, { cwd: io.cwd, ...(configPath !== undefined ? { configPath } : {}) })
          : undefined;
      let result: CheckResult;
      let sources: ReadonlyMap<string, string>;
      let reporters: typeof import('@s1ql/lint');
      try {
        const [files, library, lint] = await Promise.all([
          import('../check-files.ts'),
          import('@s1ql/library'),
          import('@s1ql/lint'),
        ]);
        reporters = lint;
        // A bad configuration is reported before a bad path, as the files were always read after it.
        const lintConfig = files.loadLintConfig(configPath, io.cwd);
        if (paths === undefined) throw pathError;
        const checked = await files.checkFiles(paths, {
          cwd: io.cwd,
          lintConfig,
          ...(pool ? { pool } : {}),
        });
        result = library.checkAcross(checked.checks);
        sources = checked.sources;
      } catch (error) {
        await pool?.close();
        throw error;
      }
      io.stdout.write(report(reporters, format, result, sources, io));
      const tests = `hunt tests: ${result.testsRun} run, ${result.testsFailed} failed, ${counted(result.testsNotRun, 'hunt')} not run`;
      writeLine(
        io.stderr,
        `${counted(result.files.length, 'hunt')} checked: ${counted(result.errorCount, 'error')}, ${counted(result.warningCount, 'warning')}; ${tests}`,
      );
      const overWarnings = result.warningCount > max;
      if (overWarnings) writeLine(io.stderr, tooManyWarnings(result.warningCount, max));
      done(result.errorCount > 0 || result.testsFailed > 0 || overWarnings ? ExitCode.problems : ExitCode.ok);
    });
}

function report(
  { toEslintJson, toGithub, toSarif, toStylish }: typeof import('@s1ql/lint'),
  format: Format,
  result: CheckResult,
  sources: ReadonlyMap<string, string>,
  io: Io,
): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(toEslintJson(result.files, sources))}\n`;
    case 'sarif':
      return `${JSON.stringify(toSarif(result.files, TOOL_VERSION), null, 2)}\n`;
    case 'github':
      return toGithub(result.files);
    case 'stylish':
      return toStylish(result.files, { color: io.stdout.isTTY ? pc : false, sources, fixWith: '`s1ql lint --fix`' });
  }
}
