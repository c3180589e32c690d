/**
 * Event writers for `s1ql run`: ndjson and json stream as events arrive; csv fixes its header from the union of
 * the keys of the first 1000 events (one page) and leaves out keys that appear only later, counted and reported
 * (never silently), and starts a cell that a spreadsheet would run as a formula with `'`; table is for small
 * results (it buffers) and shows a few well-known columns.
 */
import { once } from 'node:events';
import { WriteStream } from 'node:fs';
import type { Writable } from 'node:stream';

export type Format = 'ndjson' | 'json' | 'csv' | 'table';
export const FORMATS: readonly Format[] = ['ndjson', 'json', 'csv', 'table'];

type Event = Readonly<Record<string, unknown>>;

export interface EventWriter {
  write(event: Event): Promise<void>;
  /**
   * Writes an event given as its JSON text on one line, in UTF-8 (RunHandle.json()); the bytes are copied before
   * this returns. Only the formats that write JSON text have it.
   */
  writeJson?(json: Uint8Array): Promise<void>;
  end(): Promise<void>;
  /** Writes out what is buffered without ending (after a failed run, so delivered events are not lost). */
  flush?(): Promise<void>;
  /** After `end`: what the format could not hold, for a warning (csv: values in columns the header lacks). */
  leftOut?(): string | undefined;
}

/** Waits until `out` takes more; rejects at once if it has failed (a failed stream never drains). */
async function drained(out: Writable): Promise<void> {
  if (out.errored) throw out.errored;
  if (out.destroyed) throw new Error('the output was closed');
  await once(out, 'drain');
}

async function put(out: Writable, text: string | Uint8Array): Promise<void> {
  if (!out.write(text)) await drained(out);
}

const NEWLINE = Buffer.from('\n');
const OPEN = Buffer.from('[\n');
const COMMA = Buffer.from(',\n');
const CLOSE = Buffer.from('\n]\n');
const EMPTY = Buffer.from('[]\n');

function utf8(text: string): Uint8Array {
  return Buffer.from(text, 'utf8');
}

/** Spare batches kept for reuse, at most. */
const SPARE_BATCHES = 16;

/**
 * Bytes gathered into ~128 KB writes: one Buffer and one syscall per batch, not per event. Into a file, a batch is
 * reused once the stream has written it (its callback), so gigabytes of output reuse a few buffers rather than
 * allocating (and page-faulting in) a fresh one per batch. Any other stream gets a fresh batch each time: a
 * Writable may keep the chunks it was given after calling back.
 */
class JsonBatch {
  readonly #out: Writable;
  readonly #reuse: boolean;
  readonly #spare: Buffer<ArrayBuffer>[] = [];
  #batch: Buffer<ArrayBuffer> = Buffer.allocUnsafeSlow(BATCH_BYTES);
  #used = 0;

  constructor(out: Writable) {
    this.#out = out;
    this.#reuse = out instanceof WriteStream;
  }

  /** Appends the parts, in order, copying them. */
  add(...parts: Uint8Array[]): Promise<void> {
    let size = 0;
    for (const part of parts) size += part.length;
    let flushed: Promise<void> | undefined;
    if (this.#used + size > this.#batch.length) {
      flushed = this.flush();
      if (size > BATCH_BYTES) {
        // Larger than a batch: written on its own.
        const whole = Buffer.concat(parts, size);
        return flushed.then(() => put(this.#out, whole));
      }
    }
    for (const part of parts) {
      this.#batch.set(part, this.#used);
      this.#used += part.length;
    }
    return flushed ?? Promise.resolve();
  }

  flush(): Promise<void> {
    if (this.#used === 0) return Promise.resolve();
    const full = this.#batch;
    const used = this.#used;
    this.#batch = this.#spare.pop() ?? Buffer.allocUnsafeSlow(BATCH_BYTES);
    this.#used = 0;
    const written = this.#out.write(full.subarray(0, used), (error) => {
      if (!error && this.#reuse && this.#spare.length < SPARE_BATCHES) this.#spare.push(full);
    });
    return written ? Promise.resolve() : drained(this.#out);
  }
}

/**
 * A CSV cell. Numbers stay numbers, and so do numbers sent as text (the API sends ids and exit codes as strings) when
 * they print back the same: `escape_formulas` leaves a negative number alone, but would quote `"-1073741510"`.
 */
function cell(value: unknown): string | number {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.startsWith('-') && String(Number(value)) === value) return Number(value);
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

const CSV_HEADER_EVENTS = 1000;
const BATCH_BYTES = 128 * 1024;
const TABLE_COLUMNS = [
  'eventTime',
  'createdAt',
  'endpointName',
  'agentName',
  'eventType',
  'srcProcName',
  'tgtFilePath',
  'dstIp',
  'id',
];

export function eventWriter(format: Format, out: Writable): EventWriter {
  switch (format) {
    case 'ndjson': {
      const lines = new JsonBatch(out);
      return {
        write: (e) => lines.add(utf8(JSON.stringify(e)), NEWLINE),
        writeJson: (json) => lines.add(json, NEWLINE),
        end: () => lines.flush(),
        flush: () => lines.flush(),
      };
    }
    case 'json': {
      // An array, one element per line.
      const lines = new JsonBatch(out);
      let first = true;
      const add = (json: Uint8Array): Promise<void> => {
        const before = first ? OPEN : COMMA;
        first = false;
        return lines.add(before, json);
      };
      return {
        write: (e) => add(utf8(JSON.stringify(e))),
        writeJson: add,
        end: async () => {
          await lines.add(first ? EMPTY : CLOSE);
          first = false;
          await lines.flush();
        },
        flush: () => lines.flush(),
      };
    }
    case 'csv': {
      // Loaded on first use, as is table's: a streaming run in the default format need not carry them.
      let stringify: typeof import('csv-stringify/sync').stringify | undefined;
      const row = async (cells: unknown[]): Promise<string> => {
        stringify ??= (await import('csv-stringify/sync')).stringify;
        // Event text is the endpoint's, so an attacker's: a command line such as `=cmd|' /C calc'!A0` would run when
        // the CSV is opened in a spreadsheet. Such a cell (=, +, -, @, tab, CR first) gets a leading `'` (OWASP).
        return stringify([cells], { escape_formulas: true });
      };
      let buffered: Event[] | undefined = [];
      let columns: string[] = [];
      let known = new Set<string>();
      // Keys first seen after the header was written: how many values each had.
      const late = new Map<string, number>();
      const flush = async (): Promise<void> => {
        const keys = new Set<string>();
        for (const e of buffered ?? []) for (const k of Object.keys(e)) keys.add(k);
        columns = [...keys];
        known = keys;
        if (columns.length > 0) await put(out, await row(columns));
        for (const e of buffered ?? []) await put(out, await row(columns.map((c) => cell(e[c]))));
        buffered = undefined;
      };
      return {
        write: async (e) => {
          if (buffered !== undefined) {
            buffered.push(e);
            if (buffered.length >= CSV_HEADER_EVENTS) await flush();
            return;
          }
          for (const k in e)
            if (!known.has(k) && e[k] !== null && e[k] !== undefined) late.set(k, (late.get(k) ?? 0) + 1);
          await put(out, await row(columns.map((c) => cell(e[c]))));
        },
        end: async () => {
          if (buffered !== undefined) await flush();
        },
        leftOut: () => {
          if (late.size === 0) return undefined;
          const values = [...late.values()].reduce((a, b) => a + b, 0);
          const keys = [...late.keys()];
          const named =
            keys.length > 8 ? `${keys.slice(0, 8).join(', ')} and ${keys.length - 8} more` : keys.join(', ');
          return (
            `${values} ${values === 1 ? 'value' : 'values'} in ${keys.length === 1 ? 'a field' : `${keys.length} fields`} ` +
            `first seen after the first ${CSV_HEADER_EVENTS} events ${values === 1 ? 'is' : 'are'} not in the CSV, ` +
            `whose columns were fixed by then (${named}): use --format ndjson or json to keep every field`
          );
        },
      };
    }
    case 'table': {
      const rows: Event[] = [];
      return {
        write: async (e) => {
          rows.push(e);
        },
        end: async () => {
          const keys = new Set<string>();
          for (const e of rows) for (const k of Object.keys(e)) keys.add(k);
          let head = TABLE_COLUMNS.filter((c) => keys.has(c));
          if (head.includes('eventTime')) head = head.filter((c) => c !== 'createdAt');
          if (head.includes('endpointName')) head = head.filter((c) => c !== 'agentName');
          if (head.length === 0) head = [...keys].slice(0, 6);
          const { default: Table } = await import('cli-table3');
          const table = new Table({ head, style: { head: [], border: [] } });
          for (const e of rows) table.push(head.map((c) => cell(e[c])));
          await put(out, `${table.toString()}\n`);
        },
      };
    }
    default: {
      const never: never = format;
      throw new Error(`unknown format ${String(never)}`);
    }
  }
}
