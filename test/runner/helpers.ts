/** Shared by the emulator-backed runner tests: an in-process emulator on port 0 and the expected results. */
import { type EmulatorHandle, type EmulatorOptions, startEmulator } from '@s1ql/emulator';
import { compile } from '@s1ql/engine';
import { parse } from '@s1ql/language';
import { Budgets, createConnection, DvClient, type RunOptions } from '@s1ql/runner';

export const TOKEN = 'emu-SECRET-token-7c1e0b9a44';
export const END = Date.parse('2026-11-30T12:00:00.000Z');
export const FROM = '2026-11-23T12:00:00.000Z';
export const TO = '2026-11-30T12:00:00.000Z';

const open: EmulatorHandle[] = [];

export async function emulator(options: EmulatorOptions = {}): Promise<EmulatorHandle> {
  const emu = await startEmulator({
    port: 0,
    seed: 7,
    events: 3000,
    endMs: END,
    token: TOKEN,
    queryDurationMs: 40,
    ...options,
  });
  open.push(emu);
  return emu;
}

export async function closeAll(): Promise<void> {
  await Promise.all(open.splice(0).map((e) => e.close()));
}

/** What the emulator must return, computed without it: the engine over the same generator and window. */
export function expectedIds(emu: EmulatorHandle, query: string, from = FROM, to = TO, limit = 20_000): string[] {
  const telemetry = emu.telemetry;
  if (telemetry === null) throw new Error('no telemetry');
  const { ast, diagnostics } = parse(query);
  const compiled = compile(ast, { diagnostics });
  if (!compiled.ok) throw new Error(`does not compile: ${query}`);
  const fromMs = Date.parse(from);
  const toMs = Date.parse(to);
  const ids: string[] = [];
  for (let i = 0; i < telemetry.count && ids.length < limit; i++) {
    const t = telemetry.timeAt(i);
    if (t < fromMs || t >= toMs) continue;
    const event = telemetry.eventAt(i);
    if (compiled.query.test(event)) ids.push(String(event.id));
  }
  return ids;
}

/** A client paced for an emulator whose limits are scaled down `scale` times. */
export function client(emu: EmulatorHandle, scale: number, extra: ConstructorParameters<typeof DvClient>[1] = {}) {
  return new DvClient(createConnection(emu.url, TOKEN), { budgets: new Budgets({ scale: 1 / scale }), ...extra });
}

export function runOptions(c: DvClient, extra: Partial<RunOptions> = {}): RunOptions {
  return { client: c, from: FROM, to: TO, pageSize: 50, ...extra };
}

export async function collectIds(handle: AsyncIterable<Record<string, unknown>>): Promise<string[]> {
  const out: string[] = [];
  for await (const e of handle) out.push(String(e.id));
  return out;
}

export async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

export function callsTo(emu: EmulatorHandle, endpoint: string) {
  return emu.calls.filter((c) => c.endpoint === endpoint);
}
