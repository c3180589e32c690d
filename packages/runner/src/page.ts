/**
 * A dv/events page read lazily: the body's bytes are scanned once for the spans of the `data` elements, and each
 * event is decoded and JSON.parse'd only when it is delivered.
 *
 * Why: a verbose page is ~4 MB of JSON (1000 events x ~130 fields). Parsed whole, its ~1000 objects stay alive
 * while the consumer works through them, survive every young-generation GC meanwhile, and V8 answers that high
 * survival rate by growing the young generation to its maximum: `s1ql run` then peaked near 300 MB RSS.
 * Parsed one at a time, each event dies young.
 *
 * Why bytes, in a reused PageBuffer, rather than the body as one string: a 4 MB body decoded to text is a new
 * 4 MB malloc'd (external) string per page, plus the Buffer it was decoded from. They outlive many scavenges, so
 * they are freed only by a full GC, which V8 triggers after ~64 MB of such external memory; and glibc, having
 * seen large blocks freed, serves the next ones from its heap rather than mmap, which fragments and keeps growing
 * (measured: 84 MB of glibc heap after 300k events, still growing). A page read into a buffer that is reused
 * for the next pages allocates nothing large once the first pages have sized it.
 */

export interface EventsPage {
  /** Events on the page. */
  readonly length: number;
  /** The i-th event, parsed now (each call parses again: call it once per event). */
  event(index: number): unknown;
  readonly pagination: unknown;
}

/**
 * A growable byte buffer a body is read into, reused page after page. A page read from it is valid until the
 * buffer is reset for the next body.
 */
export class PageBuffer {
  #bytes: Buffer;
  #length = 0;

  constructor(capacity = 64 * 1024) {
    this.#bytes = Buffer.allocUnsafeSlow(capacity);
  }

  get length(): number {
    return this.#length;
  }

  /** The bytes read so far (a view, not a copy). */
  get bytes(): Buffer {
    return this.#bytes.subarray(0, this.#length);
  }

  reset(): void {
    this.#length = 0;
  }

  append(chunk: Uint8Array): void {
    const needed = this.#length + chunk.length;
    if (needed > this.#bytes.length) {
      let capacity = this.#bytes.length * 2;
      while (capacity < needed) capacity *= 2;
      const grown = Buffer.allocUnsafeSlow(capacity);
      this.#bytes.copy(grown, 0, 0, this.#length);
      this.#bytes = grown;
    }
    this.#bytes.set(chunk, this.#length);
    this.#length = needed;
  }

  text(): string {
    return this.#bytes.toString('utf8', 0, this.#length);
  }
}

class NotScannable extends Error {}

const QUOTE = 34;
const BACKSLASH = 92;

/** Index just past the string starting at `start` (a quote). */
function skipString(b: Uint8Array, start: number, end: number): number {
  for (let j = start + 1; j < end; j++) {
    const c = b[j];
    if (c === QUOTE) return j + 1;
    if (c === BACKSLASH) j++;
  }
  throw new NotScannable('unterminated string');
}

function isSpace(c: number | undefined): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

function skipSpace(b: Uint8Array, from: number, end: number): number {
  let i = from;
  while (i < end && isSpace(b[i])) i++;
  return i;
}

/** Index just past the JSON value starting at `i` (structure only: tokens are checked when parsed). */
function skipValue(b: Uint8Array, i: number, end: number): number {
  const c = b[i];
  if (c === QUOTE) return skipString(b, i, end);
  if (c === 123 || c === 91) {
    let depth = 0;
    for (let j = i; j < end; ) {
      const d = b[j] as number;
      if (d === QUOTE) {
        j = skipString(b, j, end);
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
  while (j < end) {
    const d = b[j];
    if (d === 44 || d === 125 || d === 93 || isSpace(d)) break;
    j++;
  }
  if (j === i) throw new NotScannable('missing value');
  return j;
}

/** Spans [start, end) of the elements of the array starting at `i`, and the index past it. */
function scanArray(b: Uint8Array, i: number, end: number): { spans: number[]; end: number } {
  const spans: number[] = [];
  let j = skipSpace(b, i + 1, end);
  if (b[j] === 93) return { spans, end: j + 1 };
  for (;;) {
    const start = j;
    j = skipValue(b, j, end);
    spans.push(start, j);
    j = skipSpace(b, j, end);
    const c = b[j];
    if (c === 93) return { spans, end: j + 1 };
    if (c !== 44) throw new NotScannable('expected , or ]');
    j = skipSpace(b, j + 1, end);
  }
}

function scan(b: Buffer): { spans: number[] | undefined; data: unknown; rest: Record<string, unknown> } {
  const end = b.length;
  let i = skipSpace(b, 0, end);
  if (b[i] !== 123) throw new NotScannable('not an object');
  const rest: Record<string, unknown> = {};
  let spans: number[] | undefined;
  let data: unknown;
  i = skipSpace(b, i + 1, end);
  if (b[i] === 125) return { spans, data, rest };
  for (;;) {
    if (b[i] !== QUOTE) throw new NotScannable('expected a key');
    const keyEnd = skipString(b, i, end);
    const key = JSON.parse(b.toString('utf8', i, keyEnd)) as string;
    i = skipSpace(b, keyEnd, end);
    if (b[i] !== 58) throw new NotScannable('expected :');
    i = skipSpace(b, i + 1, end);
    if (key === 'data' && b[i] === 91) {
      const array = scanArray(b, i, end);
      spans = array.spans;
      data = undefined;
      i = array.end;
    } else {
      const valueEnd = skipValue(b, i, end);
      const value: unknown = JSON.parse(b.toString('utf8', i, valueEnd));
      if (key === 'data') {
        spans = undefined;
        data = value;
      } else rest[key] = value;
      i = valueEnd;
    }
    i = skipSpace(b, i, end);
    const c = b[i];
    if (c === 125) break;
    if (c !== 44) throw new NotScannable('expected , or }');
    i = skipSpace(b, i + 1, end);
  }
  if (skipSpace(b, i + 1, end) !== end) throw new NotScannable('trailing text');
  return { spans, data, rest };
}

function wholePage(text: string): EventsPage | undefined {
  const whole = JSON.parse(text) as { data?: unknown; pagination?: unknown } | null;
  const data = whole?.data;
  if (!Array.isArray(data)) return undefined;
  return { length: data.length, event: (index) => data[index], pagination: whole?.pagination };
}

/**
 * Reads a dv/events body held as UTF-8 bytes; the page reads `bytes` when an event is asked for, so they must
 * stay unchanged while the page is used. Returns undefined when the body has no `data` array (the caller reports
 * the bad response); throws SyntaxError when it is not JSON.
 */
export function readEventsPageBytes(body: Buffer): EventsPage | undefined {
  // A UTF-8 byte order mark is dropped, as decoding the body as text (undici's text()) does.
  const bytes = body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf ? body.subarray(3) : body;
  let scanned: ReturnType<typeof scan>;
  try {
    scanned = scan(bytes);
  } catch (error) {
    if (!(error instanceof NotScannable)) throw error;
    // Not a shape the scanner follows: parse it whole, which also reports text that is not JSON.
    return wholePage(bytes.toString('utf8'));
  }
  const { spans, data, rest } = scanned;
  if (spans === undefined) {
    if (!Array.isArray(data)) return undefined;
    return { length: data.length, event: (index) => data[index], pagination: rest.pagination };
  }
  return {
    length: spans.length / 2,
    event: (index) => JSON.parse(bytes.toString('utf8', spans[2 * index] as number, spans[2 * index + 1] as number)),
    pagination: rest.pagination,
  };
}

/** As readEventsPageBytes, for a body held as text. */
export function readEventsPage(text: string): EventsPage | undefined {
  return readEventsPageBytes(Buffer.from(text, 'utf8'));
}
