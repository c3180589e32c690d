/** ESLint's "stylish" layout: a header per file, `line:col  severity  message  rule`, and a code frame. */
import type { FileResult, LintMessage } from '../types.ts';
import { counts, shownRule, sourceOf } from './common.ts';

/** Colour functions; the CLI passes picocolors' when stdout is a terminal, and nothing otherwise. */
export interface Colors {
  readonly red: (s: string) => string;
  readonly yellow: (s: string) => string;
  readonly blue: (s: string) => string;
  readonly dim: (s: string) => string;
  readonly bold: (s: string) => string;
  readonly underline: (s: string) => string;
}

const plain = (s: string) => s;
export const noColors: Colors = { red: plain, yellow: plain, blue: plain, dim: plain, bold: plain, underline: plain };

export interface StylishOptions {
  /** false (or absent) for plain text. */
  readonly color?: Colors | false;
  /** File texts by filePath, for code frames when the results do not carry them. */
  readonly sources?: ReadonlyMap<string, string>;
  /** How fixes are applied, for the summary (default: "the `--fix` option", as `s1ql lint` takes it). */
  readonly fixWith?: string;
}

function codeFrame(text: string, m: LintMessage, c: Colors): string[] {
  const lines = text.split(/\r\n|\r|\n/);
  const line = lines[m.range.start.line - 1];
  if (line === undefined) return [];
  const gutter = String(m.range.start.line);
  const start = m.range.start.column - 1;
  const end = m.range.end.line === m.range.start.line ? m.range.end.column - 1 : line.length;
  // Tabs kept as tabs under the line, so the caret lines up however the terminal expands them.
  const marker = line.slice(0, start).replace(/[^\t]/g, ' ') + '^'.repeat(Math.max(1, end - start));
  return [
    `    ${c.dim(`${gutter} |`)} ${line}`,
    `    ${c.dim(`${' '.repeat(gutter.length)} |`)} ${(m.severity === 'error' ? c.red : c.yellow)(marker)}`,
  ];
}

export function toStylish(results: readonly FileResult[], options: StylishOptions = {}): string {
  const c = options.color || noColors;
  const out: string[] = [];
  let errors = 0;
  let warnings = 0;
  let infos = 0;
  let fixableErrors = 0;
  let fixableWarnings = 0;
  for (const result of results) {
    if (result.messages.length === 0) continue;
    const source = sourceOf(result, options.sources);
    out.push(c.underline(result.filePath));
    for (const m of result.messages) {
      const sev =
        m.severity === 'error' ? c.red('error') : m.severity === 'warning' ? c.yellow('warning') : c.blue('info');
      const pad = m.severity === 'error' ? '  ' : '';
      out.push(
        `  ${c.dim(`${m.range.start.line}:${m.range.start.column}`)}  ${sev}${pad}  ${m.message}  ${c.dim(shownRule(m))}`,
      );
      if (source !== undefined) out.push(...codeFrame(source, m, c));
      if (m.fix) {
        if (m.severity === 'error') fixableErrors++;
        else fixableWarnings++;
      }
    }
    out.push('');
    const n = counts(result.messages);
    errors += n.errors;
    warnings += n.warnings;
    infos += n.infos;
  }
  const total = errors + warnings;
  if (total + infos === 0) return '';
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  const summary =
    total === 0
      ? `${plural(infos, 'note')}, no problems`
      : `✖ ${plural(total, 'problem')} (${plural(errors, 'error')}, ${plural(warnings, 'warning')}${infos > 0 ? `; ${plural(infos, 'note')}` : ''})`;
  out.push((errors > 0 ? c.red : c.yellow)(c.bold(summary)));
  if (fixableErrors + fixableWarnings > 0) {
    out.push(
      (errors > 0 ? c.red : c.yellow)(
        c.bold(
          `  ${plural(fixableErrors, 'error')} and ${plural(fixableWarnings, 'warning')} potentially fixable with ${options.fixWith ?? 'the `--fix` option'}.`,
        ),
      ),
    );
  }
  return `${out.join('\n')}\n`;
}
