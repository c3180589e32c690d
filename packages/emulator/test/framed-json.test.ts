import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createTelemetry } from '../src/index.ts';
import { FramedJson } from '../src/telemetry/framed-json.ts';
import { END } from './helpers.ts';

/** JSON primitives and the values JSON.stringify treats specially (dropped, nulled, escaped). */
const value = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.double(),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.constantFrom(Number.NaN, -0, Number.POSITIVE_INFINITY),
  fc.array(fc.oneof(fc.string(), fc.integer(), fc.constant(null)), { maxLength: 3 }),
);

const KEYS = ['createdAt', 'id', 'key with "quotes"', 'tgtFilePath', 'ünïcode', 'n'];

function build(values: readonly unknown[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [i, key] of KEYS.entries()) out[key] = values[i];
  return out;
}

describe('FramedJson', () => {
  it('gives exactly JSON.stringify of any event framed from a template', () => {
    const json = new FramedJson(KEYS);
    const row = fc.array(value, { minLength: KEYS.length, maxLength: KEYS.length });
    fc.assert(
      fc.property(
        row,
        fc.array(fc.option(value, { nil: undefined, freq: 2 }), { minLength: KEYS.length, maxLength: KEYS.length }),
        (base, changes) => {
          const template = build(base);
          // Unchanged values are the template's very values (===), as framing copies them; the rest are replaced.
          const event = build(base.map((v, i) => (changes[i] === undefined ? v : changes[i])));
          expect(json.stringify(event, template)).toBe(JSON.stringify(event));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('serves every generated event, noise and planted stories, as JSON.stringify would', () => {
    const t = createTelemetry({ seed: 3, count: 20_000, endMs: END });
    const planted = new Set(t.stories.flatMap((s) => s.indices));
    expect(planted.size).toBeGreaterThan(0);
    // Out of order, as pages of a filtered query read them, so no state carries from one event to the next.
    const order = [...planted, ...Array.from({ length: 5000 }, (_, i) => (i * 7919) % t.count)];
    for (const i of order) expect(t.jsonAt(i)).toBe(JSON.stringify(t.eventAt(i)));
  });
});
