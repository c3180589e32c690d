/** What the server queries: generated telemetry, or events loaded from a JSON array / NDJSON file. */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { type DvEvent, parseTimestamp } from '@s1ql/engine';
import type { Telemetry } from '../telemetry/generator.ts';

export interface EventSource {
  readonly count: number;
  /** `createdAt` in epoch ms, NaN when the event has none. */
  timeAt(index: number): number;
  eventAt(index: number): DvEvent;
  /** Exactly JSON.stringify(eventAt(index)), when the source makes that text faster itself (generated telemetry). */
  jsonAt?(index: number): string;
  /** True when `timeAt` never decreases, so a time window is a contiguous index range. */
  readonly sorted: boolean;
}

export function telemetrySource(telemetry: Telemetry): EventSource {
  return {
    count: telemetry.count,
    timeAt: telemetry.timeAt,
    eventAt: telemetry.eventAt,
    jsonAt: telemetry.jsonAt,
    sorted: true,
  };
}

export function arraySource(events: readonly DvEvent[]): EventSource {
  const times = new Float64Array(events.length);
  let sorted = true;
  for (let i = 0; i < events.length; i++) {
    const event = events[i] as DvEvent;
    times[i] = parseTimestamp(event.createdAt) ?? Number.NaN;
    if (i > 0 && !((times[i] as number) >= (times[i - 1] as number))) sorted = false;
  }
  return {
    count: events.length,
    timeAt: (i) => times[i] as number,
    eventAt: (i) => events[i] as DvEvent,
    sorted,
  };
}

export class DataFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DataFileError';
  }
}

function asEvent(value: unknown, where: string): DvEvent {
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new DataFileError(`${where}: an event must be a JSON object`);
  return value as DvEvent;
}

/**
 * The lines of a file, streamed. Lines end only at \n (a \r before it is dropped): unlike node:readline, U+2028 and
 * U+2029, which JSON allows raw inside strings, are not line breaks, and neither is a lone \r.
 */
async function* ndjsonLines(path: string): AsyncGenerator<string> {
  let partial = '';
  // With an encoding, the stream decodes UTF-8 sequences split across chunks correctly.
  for await (const chunk of createReadStream(path, { encoding: 'utf8' }) as AsyncIterable<string>) {
    let start = 0;
    for (let nl = chunk.indexOf('\n'); nl >= 0; nl = chunk.indexOf('\n', start)) {
      const line = partial + chunk.slice(start, nl);
      partial = '';
      yield line.endsWith('\r') ? line.slice(0, -1) : line;
      start = nl + 1;
    }
    partial += chunk.slice(start);
  }
  if (partial !== '') yield partial.endsWith('\r') ? partial.slice(0, -1) : partial;
}

/** The text without the UTF-8 byte order mark some editors put first (Windows Notepad, PowerShell's Out-File). */
function withoutBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * Reads events from a file: a JSON array (or an events response `{"data": [...]}`), or NDJSON (one object a line,
 * read as a stream so a large file is never held as one string).
 */
export async function loadEvents(path: string): Promise<DvEvent[]> {
  const handle = await open(path, 'r');
  let first = '';
  try {
    const buffer = Buffer.alloc(4096);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    first = buffer.subarray(0, bytesRead).toString('utf8').trimStart();
  } finally {
    await handle.close();
  }
  if (first.startsWith('[') || (first.startsWith('{') && /^\{\s*"data"\s*:/.test(first))) {
    const { readFile } = await import('node:fs/promises');
    let parsed: unknown;
    try {
      parsed = JSON.parse(withoutBom(await readFile(path, 'utf8')));
    } catch (error) {
      // A single object that merely starts with "data" is still NDJSON; only report arrays.
      if (first.startsWith('[')) throw new DataFileError(`${path}: invalid JSON: ${(error as Error).message}`);
      parsed = undefined;
    }
    if (Array.isArray(parsed)) return parsed.map((e, i) => asEvent(e, `${path}: element ${i}`));
    const data = (parsed as { data?: unknown } | undefined)?.data;
    if (Array.isArray(data)) return data.map((e, i) => asEvent(e, `${path}: data[${i}]`));
  }
  const events: DvEvent[] = [];
  let n = 0;
  for await (const line of ndjsonLines(path)) {
    n++;
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(n === 1 ? withoutBom(line) : line);
    } catch (error) {
      throw new DataFileError(`${path}:${n}: invalid JSON: ${(error as Error).message}`);
    }
    events.push(asEvent(value, `${path}:${n}`));
  }
  return events;
}
