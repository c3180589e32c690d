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

/**
 * How much of a long line a code frame shows: the finding and what is around it. A frame of the whole line would make
 * the report grow with the square of the line: thousands of findings on a one-line query of 20,000 characters (a
 * pasted IOC list) printed it thousands of times, hundreds of megabytes, until the process ran out of memory.
 */
const FRAME_WIDTH = 120;
const FRAME_BEFORE = 30;

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

function codeFrame(lines: readonly string[], m: LintMessage, c: Colors): string[] {
  const line = lines[m.range.start.line - 1];
  if (line === undefined) return [];
  const gutter = String(m.range.start.line);
  const start = m.range.start.column - 1;
  const end = m.range.end.line === m.range.start.line ? m.range.end.column - 1 : line.length;
  // The part of the line shown, `…` where it is cut (never inside a character of two UTF-16 code units).
  let from = 0;
  let to = line.length;
  if (line.length > FRAME_WIDTH) {
    from = Math.max(0, Math.min(start - FRAME_BEFORE, line.length - FRAME_WIDTH));
    to = Math.min(line.length, from + FRAME_WIDTH);
    if (isLowSurrogate(line.charCodeAt(from))) from++;
    if (to < line.length && isHighSurrogate(line.charCodeAt(to - 1))) to--;
  }
  const cutBefore = from > 0 ? '…' : '';
  const shown = `${cutBefore}${line.slice(from, to)}${to < line.length ? '…' : ''}`;
  const markFrom = Math.max(start, from);
  const markTo = Math.min(Math.max(end, markFrom), to);
  // Tabs kept as tabs under the line, so the caret lines up however the terminal expands them.
  const marker = `${cutBefore ? ' ' : ''}${line.slice(from, markFrom).replace(/[^\t]/g, ' ')}${'^'.repeat(Math.max(1, markTo - markFrom))}`;
  return [
    `    ${c.dim(`${gutter} |`)} ${shown}`,
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
    // Split once per file, not once per finding.
    const lines = source?.split(/\r\n|\r|\n/);
    out.push(c.underline(result.filePath));
    for (const m of result.messages) {
      const sev =
        m.severity === 'error' ? c.red('error') : m.severity === 'warning' ? c.yellow('warning') : c.blue('info');
      const pad = m.severity === 'error' ? '  ' : '';
      out.push(
        `  ${c.dim(`${m.range.start.line}:${m.range.start.column}`)}  ${sev}${pad}  ${m.message}  ${c.dim(shownRule(m))}`,
      );
      if (lines !== undefined) out.push(...codeFrame(lines, m, c));
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
