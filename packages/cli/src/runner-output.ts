/**
 * Event writers for `s1ql run`: ndjson and json stream as events arrive; csv fixes its header from the union of
 * the keys of the first 1000 events (one page) and leaves out keys that appear only later; table is for small
 * results (it buffers) and shows a few well-known columns.
 */
import { once } from 'node:events';
import type { Writable } from 'node:stream';

export type Format = 'ndjson' | 'json' | 'csv' | 'table';
export const FORMATS: readonly Format[] = ['ndjson', 'json', 'csv', 'table'];

type Event = Readonly<Record<string, unknown>>;

export interface EventWriter {
  write(event: Event): Promise<void>;
  end(): Promise<void>;
  /** Writes out what is buffered without ending (after a failed run, so delivered events are not lost). */
  flush?(): Promise<void>;
}

async function put(out: Writable, text: string): Promise<void> {
  if (!out.write(text)) await once(out, 'drain');
}

function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

const CSV_HEADER_EVENTS = 1000;
const BATCH_CHARS = 64 * 1024;
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
      // Lines are gathered into ~64 KB writes: one Buffer and one syscall per batch, not per event.
      let batch = '';
      return {
        write: (e) => {
          batch += `${JSON.stringify(e)}\n`;
          if (batch.length < BATCH_CHARS) return Promise.resolve();
          const text = batch;
          batch = '';
          return put(out, text);
        },
        end: async () => {
          if (batch !== '') await put(out, batch);
          batch = '';
        },
        flush: async () => {
          if (batch !== '') await put(out, batch);
          batch = '';
        },
      };
    }
    case 'json': {
      let first = true;
      return {
        write: (e) => {
          const text = `${first ? '[\n' : ',\n'}${JSON.stringify(e)}`;
          first = false;
          return put(out, text);
        },
        end: () => put(out, first ? '[]\n' : '\n]\n'),
      };
    }
    case 'csv': {
      // Loaded on first use, as is table's: a streaming run in the default format need not carry them.
      let stringify: typeof import('csv-stringify/sync').stringify | undefined;
      const row = async (cells: unknown[]): Promise<string> => {
        stringify ??= (await import('csv-stringify/sync')).stringify;
        return stringify([cells]);
      };
      let buffered: Event[] | undefined = [];
      let columns: string[] = [];
      const flush = async (): Promise<void> => {
        const keys = new Set<string>();
        for (const e of buffered ?? []) for (const k of Object.keys(e)) keys.add(k);
        columns = [...keys];
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
          await put(out, await row(columns.map((c) => cell(e[c]))));
        },
        end: async () => {
          if (buffered !== undefined) await flush();
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
