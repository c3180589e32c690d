import { isUtf8 } from 'node:buffer';

/**
 * A dv/events page read lazily: the body's bytes are scanned once for the spans of the `data` elements (and checked
 * as JSON.parse would check them), and each event is decoded and JSON.parse'd only when it is delivered, or handed
 * out as its own bytes when JSON text is what the consumer wants (`json(i)`: no parse at all).
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
  /**
   * The i-th event's JSON text as UTF-8 bytes on one line: the console's own bytes when the page was read lazily
   * (a view into the body, valid while the body is), otherwise the event serialized again.
   */
  json(index: number): Uint8Array;
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

/** The body is not in a shape the scanner follows (or not JSON): it is parsed whole instead. */
class NotScannable extends Error {}

const QUOTE = 34;
const BACKSLASH = 92;

/** Bytes that may follow a backslash in a JSON string, and hexadecimal digits. */
const ESCAPE = new Uint8Array(256);
for (const c of '"\\/bfnrtu') ESCAPE[c.charCodeAt(0)] = 1;
const HEX = new Uint8Array(256);
for (const c of '0123456789abcdefABCDEF') HEX[c.charCodeAt(0)] = 1;

/** Set when whitespace holds a line break; an element with one cannot be written out as one NDJSON line as is. */
let lineBreak = false;

/** A DataView of the bytes last scanned, for reading them four at a time; made again when other bytes are scanned. */
let wordBytes: Uint8Array | undefined;
let words: DataView = new DataView(new ArrayBuffer(0));

function wordsOf(b: Uint8Array): DataView {
  if (b !== wordBytes) {
    wordBytes = b;
    words = new DataView(b.buffer, b.byteOffset, b.byteLength);
  }
  return words;
}

/** Lets go of the bytes a scan looked at (a page's body is not kept alive by the scanner). */
function releaseWords(): void {
  wordBytes = undefined;
  words = new DataView(new ArrayBuffer(0));
}

/** Nesting deeper than this is left to JSON.parse. */
const MAX_DEPTH = 256;

function isDigit(c: number | undefined): boolean {
  return c !== undefined && c >= 48 && c <= 57;
}

function skipSpace(b: Uint8Array, from: number, end: number): number {
  let i = from;
  for (; i < end; i++) {
    const c = b[i];
    if (c === 32 || c === 9) continue;
    if (c === 10 || c === 13) {
      lineBreak = true;
      continue;
    }
    break;
  }
  return i;
}

/** What a byte means inside a string: 0 nothing special, 1 the closing quote, 2 an escape, 3 not allowed. */
const IN_STRING = new Uint8Array(256);
IN_STRING.fill(3, 0, 32);
IN_STRING[QUOTE] = 1;
IN_STRING[BACKSLASH] = 2;

/** Index just past the string starting at `start` (a quote), checking its escapes and that it has no control characters. */
function skipString(b: Uint8Array, start: number, end: number): number {
  let j = start + 1;
  for (;;) {
    // Four bytes at a time while none of them is a quote, a backslash or a control character (SWAR: a byte's
    // high bit is set in the mask when it equals 0x22 or 0x5c, or is below 0x20).
    const view = wordsOf(b);
    while (j + 4 <= end) {
      const x = view.getUint32(j, true);
      const q = x ^ 0x22222222;
      const s = x ^ 0x5c5c5c5c;
      if ((((q - 0x01010101) & ~q) | ((s - 0x01010101) & ~s) | ((x - 0x20202020) & ~x)) & 0x80808080) break;
      j += 4;
    }
    // Past the end b[j] is undefined, which stops the loop as a special byte would.
    while (IN_STRING[b[j] as number] === 0) j++;
    if (j >= end) throw new NotScannable('unterminated string');
    const kind = IN_STRING[b[j] as number];
    if (kind === 1) return j + 1;
    if (kind === 3) throw new NotScannable('control character in a string');
    const e = b[j + 1] as number;
    if (ESCAPE[e] !== 1) throw new NotScannable('bad escape');
    if (e === 117) {
      for (let k = j + 2; k < j + 6; k++) if (HEX[b[k] as number] !== 1) throw new NotScannable('bad \\u escape');
      j += 6;
    } else j += 2;
  }
}

function skipNumber(b: Uint8Array, i: number): number {
  let j = i;
  if (b[j] === 45) j++;
  if (b[j] === 48) j++;
  else if (isDigit(b[j])) while (isDigit(b[j])) j++;
  else throw new NotScannable('bad number');
  if (b[j] === 46) {
    j++;
    if (!isDigit(b[j])) throw new NotScannable('bad number');
    while (isDigit(b[j])) j++;
  }
  if (b[j] === 101 || b[j] === 69) {
    j++;
    if (b[j] === 43 || b[j] === 45) j++;
    if (!isDigit(b[j])) throw new NotScannable('bad number');
    while (isDigit(b[j])) j++;
  }
  return j;
}

const TRUE = [116, 114, 117, 101];
const FALSE = [102, 97, 108, 115, 101];

function skipLiteral(b: Uint8Array, i: number, literal: readonly number[]): number {
  for (let k = 0; k < literal.length; k++) if (b[i + k] !== literal[k]) throw new NotScannable('bad literal');
  return i + literal.length;
}

/**
 * Index just past the JSON value starting at `i`, which must be valid JSON (UTF-8 validity aside: the caller checks
 * the whole body for that), so a page read lazily rejects what JSON.parse would reject.
 */
function skipValue(b: Uint8Array, i: number, end: number, depth: number): number {
  const c = b[i];
  if (c === QUOTE) return skipString(b, i, end);
  if (c === 123) return skipObject(b, i, end, depth + 1);
  if (c === 91) return skipArray(b, i, end, depth + 1);
  if (c === 116) return skipLiteral(b, i, TRUE);
  if (c === 102) return skipLiteral(b, i, FALSE);
  if (c === 110) {
    // null, checked inline: about half the values of a verbose event.
    if (b[i + 1] === 117 && b[i + 2] === 108 && b[i + 3] === 108) return i + 4;
    throw new NotScannable('bad literal');
  }
  if (c === 45 || isDigit(c)) return skipNumber(b, i);
  throw new NotScannable('expected a value');
}

/**
 * Whitespace is rare in an API body: the byte after a token is looked at before skipSpace is called. The check is
 * written out at each place: as a small helper function it measured 1.2x slower (pnpm bench runner scan).
 */
const SPACE = new Uint8Array(256);
for (const c of ' \t\n\r') SPACE[c.charCodeAt(0)] = 1;

function skipObject(b: Uint8Array, i: number, end: number, depth: number): number {
  if (depth > MAX_DEPTH) throw new NotScannable('too deep');
  let j = skipSpace(b, i + 1, end);
  if (b[j] === 125) return j + 1;
  for (;;) {
    if (b[j] !== QUOTE) throw new NotScannable('expected a key');
    j = skipString(b, j, end);
    if (SPACE[b[j] as number] === 1) j = skipSpace(b, j, end);
    if (b[j] !== 58) throw new NotScannable('expected :');
    j++;
    if (SPACE[b[j] as number] === 1) j = skipSpace(b, j, end);
    j = skipValue(b, j, end, depth);
    if (SPACE[b[j] as number] === 1) j = skipSpace(b, j, end);
    const c = b[j];
    if (c === 125) return j + 1;
    if (c !== 44) throw new NotScannable('expected , or }');
    j++;
    if (SPACE[b[j] as number] === 1) j = skipSpace(b, j, end);
  }
}

function skipArray(b: Uint8Array, i: number, end: number, depth: number): number {
  if (depth > MAX_DEPTH) throw new NotScannable('too deep');
  let j = skipSpace(b, i + 1, end);
  if (b[j] === 93) return j + 1;
  for (;;) {
    j = skipValue(b, j, end, depth);
    if (SPACE[b[j] as number] === 1) j = skipSpace(b, j, end);
    const c = b[j];
    if (c === 93) return j + 1;
    if (c !== 44) throw new NotScannable('expected , or ]');
    j++;
    if (SPACE[b[j] as number] === 1) j = skipSpace(b, j, end);
  }
}

interface Elements {
  /** [start, end) of each element, flat. */
  readonly spans: number[];
  /** Elements with a line break in their whitespace. */
  readonly broken: Set<number> | undefined;
  readonly end: number;
}

/** The elements of the array starting at `i`. */
function scanArray(b: Uint8Array, i: number, end: number): Elements {
  const spans: number[] = [];
  let broken: Set<number> | undefined;
  let j = skipSpace(b, i + 1, end);
  if (b[j] === 93) return { spans, broken, end: j + 1 };
  for (;;) {
    const start = j;
    lineBreak = false;
    j = skipValue(b, j, end, 1);
    if (lineBreak) {
      broken ??= new Set();
      broken.add(spans.length / 2);
    }
    spans.push(start, j);
    j = skipSpace(b, j, end);
    const c = b[j];
    if (c === 93) return { spans, broken, end: j + 1 };
    if (c !== 44) throw new NotScannable('expected , or ]');
    j = skipSpace(b, j + 1, end);
  }
}

interface Scanned {
  readonly elements: Elements | undefined;
  /** `data` when it is not an array. */
  readonly data: unknown;
  readonly rest: Record<string, unknown>;
}

function scan(b: Buffer): Scanned {
  try {
    return scanBody(b);
  } finally {
    releaseWords();
  }
}

function scanBody(b: Buffer): Scanned {
  const end = b.length;
  let i = skipSpace(b, 0, end);
  if (b[i] !== 123) throw new NotScannable('not an object');
  const rest: Record<string, unknown> = {};
  let elements: Elements | undefined;
  let data: unknown;
  i = skipSpace(b, i + 1, end);
  if (b[i] !== 125) {
    for (;;) {
      if (b[i] !== QUOTE) throw new NotScannable('expected a key');
      const keyEnd = skipString(b, i, end);
      const key = JSON.parse(b.toString('utf8', i, keyEnd)) as string;
      i = skipSpace(b, keyEnd, end);
      if (b[i] !== 58) throw new NotScannable('expected :');
      i = skipSpace(b, i + 1, end);
      if (key === 'data' && b[i] === 91) {
        elements = scanArray(b, i, end);
        data = undefined;
        i = elements.end;
      } else {
        const valueEnd = skipValue(b, i, end, 0);
        const value: unknown = JSON.parse(b.toString('utf8', i, valueEnd));
        if (key === 'data') {
          elements = undefined;
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
  }
  if (skipSpace(b, i + 1, end) !== end) throw new NotScannable('trailing text');
  return { elements, data, rest };
}

function serialized(value: unknown): Uint8Array {
  return Buffer.from(JSON.stringify(value), 'utf8');
}

function arrayPage(data: readonly unknown[], pagination: unknown): EventsPage {
  return {
    length: data.length,
    event: (index) => data[index],
    json: (index) => serialized(data[index]),
    pagination,
  };
}

function wholePage(text: string): EventsPage | undefined {
  const whole = JSON.parse(text) as { data?: unknown; pagination?: unknown } | null;
  const data = whole?.data;
  return Array.isArray(data) ? arrayPage(data, whole?.pagination) : undefined;
}

/**
 * Reads a dv/events body held as UTF-8 bytes; the page reads `bytes` when an event is asked for, so they must
 * stay unchanged while the page is used. Returns undefined when the body has no `data` array (the caller reports
 * the bad response); throws SyntaxError when it is not JSON.
 */
export function readEventsPageBytes(body: Buffer): EventsPage | undefined {
  // A UTF-8 byte order mark is dropped, as decoding the body as text (undici's text()) does.
  const bytes = body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf ? body.subarray(3) : body;
  // Invalid UTF-8 decodes to U+FFFD: only the decoded text says what the events are.
  if (!isUtf8(bytes)) return wholePage(bytes.toString('utf8'));
  let scanned: Scanned;
  try {
    scanned = scan(bytes);
  } catch (error) {
    if (!(error instanceof NotScannable)) throw error;
    // Not a shape the scanner follows: parse it whole, which also reports text that is not JSON.
    return wholePage(bytes.toString('utf8'));
  }
  const { elements, data, rest } = scanned;
  if (elements === undefined) return Array.isArray(data) ? arrayPage(data, rest.pagination) : undefined;
  const { spans, broken } = elements;
  const text = (index: number): string =>
    bytes.toString('utf8', spans[2 * index] as number, spans[2 * index + 1] as number);
  return {
    length: spans.length / 2,
    event: (index) => JSON.parse(text(index)),
    json: (index) =>
      broken?.has(index)
        ? serialized(JSON.parse(text(index)))
        : bytes.subarray(spans[2 * index] as number, spans[2 * index + 1] as number),
    pagination: rest.pagination,
  };
}

const PAGINATION = Buffer.from('"pagination"');

/**
 * The next cursor, read from the end of a dv/events body without reading the rest: the value of its last
 * `"pagination"` key when that is the body's last member. A guess, so the next page can be asked for before this
 * one is read in full: the caller checks it against the full read. Undefined when the body does not end that way
 * or says there is no next page.
 */
export function peekNextCursor(body: Buffer): string | undefined {
  const at = body.lastIndexOf(PAGINATION);
  if (at === -1) return undefined;
  const end = body.length;
  try {
    let i = skipSpace(body, at + PAGINATION.length, end);
    if (body[i] !== 58) return undefined;
    i = skipSpace(body, i + 1, end);
    const valueEnd = skipValue(body, i, end, 0);
    const close = skipSpace(body, valueEnd, end);
    if (body[close] !== 125 || skipSpace(body, close + 1, end) !== end) return undefined;
    const cursor = (JSON.parse(body.toString('utf8', i, valueEnd)) as { nextCursor?: unknown } | null)?.nextCursor;
    return typeof cursor === 'string' && cursor !== '' ? cursor : undefined;
  } catch {
    return undefined;
  } finally {
    releaseWords();
  }
}

/** As readEventsPageBytes, for a body held as text. */
export function readEventsPage(text: string): EventsPage | undefined {
  return readEventsPageBytes(Buffer.from(text, 'utf8'));
}
