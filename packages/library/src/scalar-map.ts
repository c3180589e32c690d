/**
 * Decodes a YAML scalar from its source text and records, for every character of the value, the source range it
 * came from. That is what lets a diagnostic on a hunt's query point at the exact character of the YAML file, for
 * plain, single- and double-quoted (escapes included) and block (`|`, `>`) scalars.
 *
 * The decoder follows YAML 1.2 folding rules; the caller compares its result with the value the `yaml` package
 * computed and falls back to an approximate mapping on any disagreement, so a corner case we decode differently
 * can only blur a position, never change the query.
 */

/** `starts[i]`/`ends[i]`: the file offsets of the source text value character `i` came from. */
export interface ScalarMap {
  readonly value: string;
  readonly starts: readonly number[];
  readonly ends: readonly number[];
}

class Builder {
  value = '';
  readonly starts: number[] = [];
  readonly ends: number[] = [];
  push(text: string, start: number, end: number): void {
    for (let i = 0; i < text.length; i++) {
      this.value += text[i];
      this.starts.push(start);
      this.ends.push(end);
    }
  }
}

interface Token {
  readonly text: string;
  readonly start: number;
  readonly end: number;
  /** Whitespace written as such (not produced by an escape): folding may trim it. */
  readonly blank: boolean;
}

interface Line {
  readonly start: number;
  readonly end: number;
  /** Offset just after the line break (equal to `end` on the last line). */
  readonly next: number;
}

function splitLines(text: string, from: number, to: number): Line[] {
  const lines: Line[] = [];
  let start = from;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) {
      const next = c === 13 && text.charCodeAt(i + 1) === 10 ? i + 2 : i + 1;
      lines.push({ start, end: i, next });
      start = next;
      i = next - 1;
    }
  }
  lines.push({ start, end: to, next: to });
  return lines;
}

const isBlank = (c: string | undefined): boolean => c === ' ' || c === '\t';

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  t: '\t',
  '\t': '\t',
  n: '\n',
  v: '\v',
  f: '\f',
  r: '\r',
  e: '\x1b',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
  N: '\u0085',
  _: '\u00a0',
  L: '\u2028',
  P: '\u2029',
};

const HEX_LENGTH: Readonly<Record<string, number>> = { x: 2, u: 4, U: 8 };

/** Tokens of one line of a flow scalar; `escapedBreak` when a double-quoted line ends in `\`. */
function lineTokens(
  text: string,
  line: Line,
  style: 'plain' | 'single' | 'double',
): { tokens: Token[]; escapedBreak: boolean } {
  const tokens: Token[] = [];
  let i = line.start;
  while (i < line.end) {
    const c = text[i] as string;
    if (style === 'single' && c === "'" && text[i + 1] === "'") {
      tokens.push({ text: "'", start: i, end: i + 2, blank: false });
      i += 2;
      continue;
    }
    if (style === 'double' && c === '\\') {
      if (i + 1 >= line.end) return { tokens, escapedBreak: true };
      const e = text[i + 1] as string;
      const simple = SIMPLE_ESCAPES[e];
      if (simple !== undefined) {
        tokens.push({ text: simple, start: i, end: i + 2, blank: false });
        i += 2;
        continue;
      }
      const n = HEX_LENGTH[e];
      if (n !== undefined) {
        const code = Number.parseInt(text.slice(i + 2, i + 2 + n), 16);
        tokens.push({
          text: String.fromCodePoint(Number.isNaN(code) ? 0xfffd : code),
          start: i,
          end: i + 2 + n,
          blank: false,
        });
        i += 2 + n;
        continue;
      }
      tokens.push({ text: e, start: i, end: i + 2, blank: false });
      i += 2;
      continue;
    }
    tokens.push({ text: c, start: i, end: i + 1, blank: isBlank(c) });
    i++;
  }
  return { tokens, escapedBreak: false };
}

/**
 * A flow scalar (plain, `'...'` or `"..."`) whose source (quotes included) spans [from, to) of `text`.
 */
export function mapFlowScalar(text: string, from: number, to: number, style: 'plain' | 'single' | 'double'): ScalarMap {
  const inner = style === 'plain' ? { from, to } : { from: from + 1, to: Math.max(from + 1, to - 1) };
  const lines = splitLines(text, inner.from, inner.to);
  const out = new Builder();
  let empties: Line[] = [];
  let previous: Line | null = null;
  let joinWithNothing = false;
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n] as Line;
    const first = n === 0;
    const last = n === lines.length - 1;
    const { tokens, escapedBreak } = lineTokens(text, line, style);
    let s = 0;
    let e = tokens.length;
    if (!first) while (s < e && tokens[s]?.blank) s++;
    if (!last && !escapedBreak) while (e > s && tokens[e - 1]?.blank) e--;
    if (!first && !last && s === e && !escapedBreak) {
      empties.push(line);
      continue;
    }
    if (previous !== null && !joinWithNothing) {
      if (empties.length === 0) out.push(' ', previous.end, previous.next);
      else for (const empty of empties) out.push('\n', empty.end, empty.next);
    }
    for (let k = s; k < e; k++) {
      const t = tokens[k] as Token;
      out.push(t.text, t.start, t.end);
    }
    empties = [];
    previous = line;
    joinWithNothing = escapedBreak;
  }
  return out;
}

/**
 * A block scalar: `header` is the indicator text (`|`, `>-`, `|2+`...), its content spans [from, to) of `text`,
 * and `parentIndent` is the indentation of the node that holds it.
 */
export function mapBlockScalar(
  text: string,
  header: string,
  from: number,
  to: number,
  parentIndent: number,
): ScalarMap {
  const folded = header.startsWith('>');
  const chomp = header.includes('-') ? 'strip' : header.includes('+') ? 'keep' : 'clip';
  const digit = /[1-9]/.exec(header);
  const lines = splitLines(text, from, to);
  // The content normally ends with a line break, which leaves an empty last "line" that is not content.
  if (lines.length > 1 && (lines[lines.length - 1] as Line).start === to) lines.pop();
  let indent: number;
  if (digit) indent = parentIndent + Number(digit[0]);
  else {
    indent = 0;
    for (const line of lines) {
      let k = line.start;
      while (k < line.end && text[k] === ' ') k++;
      if (k < line.end) {
        indent = k - line.start;
        break;
      }
    }
  }
  const out = new Builder();
  // Pending line breaks after the last content line, each kept as [end, next] so chomping can emit them.
  let breaks: Line[] = [];
  let previous: { line: Line; moreIndented: boolean } | null = null;
  for (const line of lines) {
    const contentStart = line.start + indent;
    // A line no longer than the indentation, blanks only, is an empty line: a line break of the value.
    if (contentStart >= line.end && /^[ \t]*$/.test(text.slice(line.start, line.end))) {
      breaks.push(line);
      continue;
    }
    const moreIndented = isBlank(text[contentStart]);
    if (previous !== null) {
      const [firstBreak, ...rest] = [previous.line, ...breaks];
      if (folded && !previous.moreIndented && !moreIndented) {
        if (rest.length === 0) out.push(' ', (firstBreak as Line).end, (firstBreak as Line).next);
        else for (const b of rest) out.push('\n', b.end, b.next);
      } else {
        for (const b of [firstBreak as Line, ...rest]) out.push('\n', b.end, b.next);
      }
    } else {
      // Empty lines before the first content line are line breaks of the value.
      for (const b of breaks) out.push('\n', b.end, b.next);
    }
    for (let c = contentStart; c < line.end; c++) out.push(text[c] as string, c, c + 1);
    breaks = [];
    previous = { line, moreIndented };
  }
  if (previous !== null && chomp !== 'strip') {
    const trailing = [previous.line, ...breaks].filter((l) => l.next > l.end);
    const keep = chomp === 'keep' ? trailing : trailing.slice(0, 1);
    for (const b of keep) out.push('\n', b.end, b.next);
  }
  return out;
}
