import { readFile } from 'node:fs/promises';
import { isAbsolute, join, matchesGlob, relative } from 'node:path';
import { LineIndex, parse } from '@s1ql/language';
import {
  applyFixes,
  ConfigError,
  type Exclusion,
  type FileResult,
  type LintMessage,
  type LintOptions as LintRunOptions,
  lint,
  loadConfig,
  type ResolvedConfig,
  recommended,
  resolveConfig,
  sharedExclusions,
  toEslintJson,
  toGithub,
  toSarif,
  toStylish,
  UNUSED_EXCLUSION,
  validateConfig,
} from '@s1ql/lint';
import type { Command } from 'commander';
import pc from 'picocolors';
import { ExitCode, UsageError } from '../exit-codes.ts';
import {
  CONFIG_NAMES,
  expandPaths,
  type Io,
  maxWarnings,
  readError,
  readInput,
  tooManyWarnings,
  writeInput,
  writeLine,
} from '../io.ts';
import { mapFinding, type QuerySource, querySource } from '../sources.ts';

const FORMATS = ['stylish', 'json', 'sarif', 'github'] as const;
const MAX_FIX_PASSES = 10;
const TOOL_VERSION = '0.1.0';

interface LintOptions {
  readonly format: string;
  readonly maxWarnings?: string;
  readonly fix?: boolean;
  readonly config?: string;
}

interface ReadConfig {
  readonly config: ResolvedConfig;
  readonly dir: string;
  /** The configuration file as named (and its text), when there is one. */
  readonly file?: string;
  readonly text?: string;
}

async function readConfig(options: LintOptions, io: Io): Promise<ReadConfig> {
  let file = options.config;
  if (file === undefined) {
    for (const name of CONFIG_NAMES) {
      try {
        await readFile(join(io.cwd, name));
        file = name;
        break;
      } catch {
        // not there: try the next name
      }
    }
    if (file === undefined) return { config: recommended, dir: io.cwd };
  }
  const full = isAbsolute(file) ? file : join(io.cwd, file);
  let text: string;
  try {
    text = await readFile(full, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read config ${file}: ${readError(error)}`);
  }
  const dir = join(full, '..');
  try {
    if (/\.ya?ml$/i.test(file)) {
      const { readYamlValue } = await import('@s1ql/library');
      let value: unknown;
      try {
        value = readYamlValue(text);
      } catch (error) {
        throw new ConfigError(`not valid YAML (${error instanceof Error ? error.message : String(error)})`, file);
      }
      return { config: resolveConfig(validateConfig(value, file)), dir, file, text };
    }
    return { config: loadConfig(text, file), dir, file, text };
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(`invalid config ${error.message}`);
    throw error;
  }
}

/**
 * Lints a source: the parser's and the rules' findings, less those the hunt's own exclusions exclude (with H515 for
 * an exclusion that excluded nothing, as `check` reports it), all in file positions.
 */
function lintSource(source: QuerySource, config: ResolvedConfig, options: LintRunOptions): { messages: LintMessage[] } {
  const own: LintMessage[] = source.fileDiagnostics.map((d) => ({ ...d, ruleId: d.code }));
  if (source.unparsed) return { messages: own };
  const found = lint(parse(source.text), source.text, config, options);
  const kept = source.exclude ? source.exclude(found) : found;
  const mapped = kept.map(({ inFile, ...m }: LintMessage & { inFile?: true }) => (inFile ? m : mapFinding(m, source)));
  const messages = [...own, ...mapped].sort(
    (a, b) => a.range.start.offset - b.range.start.offset || a.range.end.offset - b.range.end.offset,
  );
  return { messages };
}

/** Applies safe fixes until none is left (or 10 passes), as ESLint does. */
function fixText(text: string, config: ResolvedConfig, exclude: QuerySource['exclude'], options: LintRunOptions) {
  let current = text;
  const dropped: { message: LintMessage; reason: string }[] = [];
  for (let pass = 0; pass < MAX_FIX_PASSES; pass++) {
    // What the hunt excludes is not fixed either.
    const found = lint(parse(current), current, config, { shared: options.shared });
    const messages = exclude ? exclude(found).filter((m) => !m.inFile) : found;
    const result = applyFixes(current, messages);
    if (pass === 0 || result.applied.length === 0) dropped.push(...result.dropped);
    if (result.applied.length === 0) break;
    current = result.output;
  }
  return { output: current, dropped };
}

export function registerLint(program: Command, io: Io, done: (code: number) => void): void {
  program
    .command('lint')
    .description('Lint queries: correctness, suspicious patterns, performance and style (ESLint-like output)')
    .option('--format <format>', 'stylish, json (ESLint shape), sarif or github', 'stylish')
    .option('--max-warnings <n>', 'exit 1 when there are more warnings than this')
    .option('--fix', 'write safe fixes back to the files (with -, print the fixed query on stdout)')
    .option('--config <file>', 's1ql.config.json / .yaml (default: the one in the current directory, if any)')
    .argument('<input...>', 'files, directories (*.s1ql, *.yml, *.yaml) or - for standard input')
    .action(async (inputs: string[], options: LintOptions) => {
      if (!(FORMATS as readonly string[]).includes(options.format)) {
        throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, not ${options.format}`);
      }
      const max = maxWarnings(options.maxWarnings);
      const { config, dir, file: configFile, text: configText } = await readConfig(options, io);
      // Exclusions that cover several files are unused only when they excluded nothing in any of them.
      const run: LintRunOptions = { shared: sharedExclusions(config.config), used: new Set() };
      const covered = new Set<Exclusion>();
      const results: FileResult[] = [];
      for (const path of await expandPaths(inputs, io)) {
        const full = isAbsolute(path) ? path : join(io.cwd, path);
        // Overrides and exclusions name files relative to the configuration file.
        const rel = path === '-' ? '-' : relative(dir, full).split('\\').join('/');
        const fileConfig = resolveConfig(config.config, rel, { matchGlob: (p, g) => matchesGlob(p, g) });
        for (const e of fileConfig.exclusions) if (run.shared?.has(e)) covered.add(e);
        const input = await readInput(path, io);
        let source = await querySource(input);
        // The whole file (code frames, ESLint's `source`, fix offsets): for a YAML hunt more than its query, and
        // for one whose query is not read (unreadable YAML, another dialect) something else entirely.
        let text = input.text;
        if (options.fix && !source.unparsed) {
          const { output, dropped } = fixText(source.text, fileConfig, source.exclude, run);
          for (const { message, reason } of dropped) {
            const at = source.toFile(message.range).start;
            writeLine(
              io.stderr,
              `${source.file}:${at.line}:${at.column}: fix of ${message.ruleId ?? message.code} not applied: ${reason}`,
            );
          }
          if (path === '-') {
            io.stdout.write(output);
            source = { ...source, text: output };
            text = output;
          } else if (output !== source.text) {
            await writeInput(path, source.replaceQuery ? source.replaceQuery(output) : output, input, io);
            const fixed = await readInput(path, io);
            source = await querySource(fixed);
            text = fixed.text;
          }
        }
        const { messages } = lintSource(source, fileConfig, run);
        results.push({ filePath: source.file, messages, source: text });
      }
      const unused = [...covered].filter((e) => !run.used?.has(e));
      if (unused.length > 0 && configFile !== undefined && configText !== undefined) {
        results.push({
          filePath: configFile,
          messages: unused.map((e) => unusedExclusion(e, configText)),
          source: configText,
        });
      }
      // With --fix on standard input the fixed query owns stdout, so the report goes to stderr.
      const out = options.fix && inputs.includes('-') ? io.stderr : io.stdout;
      switch (options.format) {
        case 'json':
          writeLine(out, JSON.stringify(toEslintJson(results)));
          break;
        case 'sarif':
          writeLine(out, JSON.stringify(toSarif(results, TOOL_VERSION), null, 2));
          break;
        case 'github':
          out.write(toGithub(results));
          break;
        default:
          out.write(toStylish(results, { color: out.isTTY ? pc : false }));
      }
      let errors = 0;
      let warnings = 0;
      for (const r of results) {
        for (const m of r.messages) {
          // An info is neither an error nor a warning: it never fails the run.
          if (m.severity === 'error') errors++;
          else if (m.severity === 'warning') warnings++;
        }
      }
      if (errors === 0 && warnings > max) writeLine(io.stderr, tooManyWarnings(warnings, max));
      done(errors > 0 || warnings > max ? ExitCode.problems : ExitCode.ok);
    });
}

/**
 * An exclusion of the configuration that excluded nothing in any file it covers, reported in the configuration file
 * at its reason (reasons are free text, so usually unique), else at its file or rule, else at the start.
 */
function unusedExclusion(e: Exclusion, configText: string): LintMessage {
  const from = Math.max(0, configText.indexOf('exclusions'));
  const once = (needle: string) => {
    const at = configText.indexOf(needle, from);
    return at >= 0 && configText.indexOf(needle, at + 1) < 0 ? at : -1;
  };
  const found = [e.reason, e.file ?? '', `"${e.rule}"`].map((n) => (n.length > 2 ? once(n) : -1)).find((at) => at >= 0);
  const lines = new LineIndex(configText);
  const lineStart = found === undefined ? 0 : configText.lastIndexOf('\n', found) + 1;
  const indent = /^[ \t-]*/.exec(configText.slice(lineStart))?.[0].length ?? 0;
  const at = found === undefined ? 0 : lineStart + indent;
  return {
    ruleId: UNUSED_EXCLUSION.ruleId,
    code: UNUSED_EXCLUSION.code,
    severity: 'warning',
    message: `The exclusion of "${e.rule}"${e.file ? ` for ${e.file}` : ''} no longer matches any finding in the files it covers; remove it.`,
    range: lines.range(at, at),
  };
}
