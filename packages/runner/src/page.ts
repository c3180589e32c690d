/**
 * A dv/events page read lazily: the body's top level is scanned once for the spans of the `data` elements, and
 * each event is JSON.parse'd only when it is delivered.
 *
 * Why: a verbose page is ~4 MB of JSON (1000 events x ~130 fields). Parsed whole, its ~1000 objects stay alive
 * while the consumer works through them, survive every young-generation GC meanwhile, and V8 answers that high
 * survival rate by growing the young generation to its maximum (128 MB on Node 24 with a 4 GB heap limit):
 * `s1ql run` then peaked near 300 MB RSS. Parsed one at a time, each event dies young and the young generation
 * stays small; the page text itself is one large string, never copied by the scavenger.
 */

export interface EventsPage {
  /** Events on the page. */
  readonly length: number;
  /** The i-th event, parsed now (each call parses again: call it once per event). */
  event(index: number): unknown;
  readonly pagination: unknown;
}

class NotScannable extends Error {}

const QUOTE = 34;
const BACKSLASH = 92;

/** Index just past the string starting at `start` (a quote). */
function skipString(text: string, start: number): number {
  let j = start + 1;
  for (;;) {
    j = text.indexOf('"', j);
    if (j < 0) throw new NotScannable('unterminated string');
    let backslashes = 0;
    for (let k = j - 1; text.charCodeAt(k) === BACKSLASH; k--) backslashes++;
    if (backslashes % 2 === 0) return j + 1;
    j++;
  }
}

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

function skipSpace(text: string, from: number): number {
  let i = from;
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  return i;
}

/** Index just past the JSON value starting at `i` (structure only: tokens are checked when parsed). */
function skipValue(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c === QUOTE) return skipString(text, i);
  if (c === 123 || c === 91) {
    let depth = 0;
    for (let j = i; j < text.length; ) {
      const d = text.charCodeAt(j);
      if (d === QUOTE) {
        j = skipString(text, j);
        continue;
      }
      if (d === 123 || d === 91) depth++;
      else if (d === 125 || d === 93) {
        depth--;
        if (depth === 0) return j + 1;
      }
      j++;
    }
    throw new NotScannable('unterminated object');
  }
  let j = i;
  while (j < text.length) {
    const d = text.charCodeAt(j);
    if (d === 44 || d === 125 || d === 93 || isSpace(d)) break;
    j++;
  }
  if (j === i) throw new NotScannable('missing value');
  return j;
}

/** Spans [start, end) of the elements of the array starting at `i`, and the index past it. */
function scanArray(text: string, i: number): { spans: number[]; end: number } {
  const spans: number[] = [];
  let j = skipSpace(text, i + 1);
  if (text.charCodeAt(j) === 93) return { spans, end: j + 1 };
  for (;;) {
    const start = j;
    j = skipValue(text, j);
    spans.push(start, j);
    j = skipSpace(text, j);
    const c = text.charCodeAt(j);
    if (c === 93) return { spans, end: j + 1 };
    if (c !== 44) throw new NotScannable('expected , or ]');
    j = skipSpace(text, j + 1);
  }
}

function scan(text: string): { spans: number[] | undefined; data: unknown; rest: Record<string, unknown> } {
  let i = skipSpace(text, 0);
  if (text.charCodeAt(i) !== 123) throw new NotScannable('not an object');
  const rest: Record<string, unknown> = {};
  let spans: number[] | undefined;
  let data: unknown;
  i = skipSpace(text, i + 1);
  if (text.charCodeAt(i) === 125) return { spans, data, rest };
  for (;;) {
    if (text.charCodeAt(i) !== QUOTE) throw new NotScannable('expected a key');
    const keyEnd = skipString(text, i);
    const key = JSON.parse(text.slice(i, keyEnd)) as string;
    i = skipSpace(text, keyEnd);
    if (text.charCodeAt(i) !== 58) throw new NotScannable('expected :');
    i = skipSpace(text, i + 1);
    if (key === 'data' && text.charCodeAt(i) === 91) {
      const array = scanArray(text, i);
      spans = array.spans;
      data = undefined;
      i = array.end;
    } else {
      const end = skipValue(text, i);
      const value: unknown = JSON.parse(text.slice(i, end));
      if (key === 'data') {
        spans = undefined;
        data = value;
      } else rest[key] = value;
      i = end;
    }
    i = skipSpace(text, i);
    const c = text.charCodeAt(i);
    if (c === 125) break;
    if (c !== 44) throw new NotScannable('expected , or }');
    i = skipSpace(text, i + 1);
  }
  if (skipSpace(text, i + 1) !== text.length) throw new NotScannable('trailing text');
  return { spans, data, rest };
}

/**
 * Reads a dv/events body. Returns undefined when it has no `data` array (the caller reports the bad response);
 * throws SyntaxError when it is not JSON.
 */
export function readEventsPage(text: string): EventsPage | undefined {
  let scanned: ReturnType<typeof scan>;
  try {
    scanned = scan(text);
  } catch (error) {
    if (!(error instanceof NotScannable)) throw error;
    // Not a shape the scanner follows: parse it whole, which also reports text that is not JSON.
    const whole = JSON.parse(text) as { data?: unknown; pagination?: unknown } | null;
    const data = whole?.data;
    if (!Array.isArray(data)) return undefined;
    return { length: data.length, event: (index) => data[index], pagination: whole?.pagination };
  }
  const { spans, data, rest } = scanned;
  if (spans === undefined) {
    if (!Array.isArray(data)) return undefined;
    return { length: data.length, event: (index) => data[index], pagination: rest.pagination };
  }
  return {
    length: spans.length / 2,
    event: (index) => JSON.parse(text.slice(spans[2 * index] as number, spans[2 * index + 1] as number)),
    pagination: rest.pagination,
  };
}
