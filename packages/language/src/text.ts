import type { Position, Range } from './ast.ts';

/**
 * Maps UTF-16 offsets to 1-based line and column; `\n`, `\r\n` and `\r` end a line. An offset between the `\r` and
 * the `\n` of a `\r\n` (where the yaml package places some errors) has no place in an editor: it is shown at the end
 * of its line, where the `\r` is.
 */
export class LineIndex {
  readonly #starts: number[] = [0];
  readonly #length: number;
  /** The text, kept only when it has a `\r`: to find offsets inside a `\r\n`. */
  readonly #text: string | undefined;

  constructor(text: string) {
    this.#length = text.length;
    if (!text.includes('\r')) {
      // The common case: a native search per line instead of a loop per character.
      for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.#starts.push(i + 1);
      return;
    }
    this.#text = text;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) this.#starts.push(i + 1);
      else if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        this.#starts.push(i + 1);
      }
    }
  }

  position(offset: number): Position {
    const at = Math.max(0, Math.min(offset, this.#length));
    const starts = this.#starts;
    if (starts.length === 1) return { offset: at, line: 1, column: at + 1 };
    const text = this.#text;
    if (text !== undefined && text.charCodeAt(at) === 10 && text.charCodeAt(at - 1) === 13) {
      // Inside a \r\n: the line and column of the \r (the offset stays what the caller counts with).
      return { ...this.position(at - 1), offset: at };
    }
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] as number) <= at) lo = mid;
      else hi = mid - 1;
    }
    return { offset: at, line: lo + 1, column: at - (starts[lo] as number) + 1 };
  }

  range(start: number, end: number): Range {
    const s = this.position(start);
    return { start: s, end: end === start ? s : this.position(end) };
  }
}

/** A Windows environment variable (`%APPDATA%`, `%ProgramFiles(x86)%`): command lines and paths hold it literally. */
const ENVIRONMENT_VARIABLE = /%[A-Za-z_][A-Za-z0-9_()]*%/g;

/** `value` with each environment variable blanked out (same length), so its `%` are not taken for wildcards. */
export function maskEnvironmentVariables(value: string): string {
  if (!value.includes('%')) return value;
  return value.replace(ENVIRONMENT_VARIABLE, (m) => '_'.repeat(m.length));
}

/** How many `*` / `%` wildcard characters start and end `value`, environment variables not counted. */
export function wildcardEdges(value: string): { readonly lead: number; readonly trail: number } {
  const masked = maskEnvironmentVariables(value);
  const lead = /^[*%]*/.exec(masked)?.[0].length ?? 0;
  const trail = lead === masked.length ? 0 : (/[*%]*$/.exec(masked)?.[0].length ?? 0);
  return { lead, trail };
}
