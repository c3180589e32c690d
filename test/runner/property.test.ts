/**
 * Property: under a random emulator fault schedule, a run delivers every event exactly once and in order, or fails
 * with a typed RunnerError after a prefix of them; never a short, duplicated or reordered result, whether the events
 * are read as objects or as JSON text.
 */
import { isRunnerError, runQuery } from '@s1ql/runner';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { client, closeAll, emulator, expectedIds, runOptions } from './helpers.ts';

const SCALE = 600;
const Q = 'EventType = "Process Creation"';

const when = fc.oneof(
  fc.integer({ min: 1, max: 6 }).map((n) => `@${n}`),
  fc.integer({ min: 1, max: 5 }).map((n) => `@${n}-${n + 1}`),
  fc.constantFrom('@20%', '@40%'),
);
const endpoint = fc.constantFrom('', ':init-query', ':query-status', ':events', ':cancel-query');
const fault = fc.oneof(
  fc
    .tuple(fc.constantFrom('429', '500', '502', '503', '504', '5xx', 'drop', 'cut'), endpoint, when)
    .map((p) => p.join('')),
  fc.tuple(fc.constantFrom('slow:60ms', 'slow:1500ms'), endpoint, when).map((p) => p.join('')),
  fc
    .tuple(fc.constantFrom('state:FAILED', 'state:TIMED_OUT', 'state:QUERY_EXPIRED', 'state:QUERY_CANCELLED'), when)
    .map((p) => p.join('')),
  fc.tuple(fc.constantFrom('expire-query', 'expire-cursor'), when).map((p) => p.join('')),
  fc.constant('retry-after:off'),
);

afterEach(closeAll);

describe('runQuery under random emulator fault schedules', () => {
  it('delivers every event exactly once in order, or a typed RunnerError after a prefix', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 100, max: 600 }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.array(fault, { minLength: 1, maxLength: 4 }),
        fc.boolean(),
        async (events, seed, faults, asJson) => {
          const emu = await emulator({
            events,
            seed: seed % 1000,
            faultSeed: seed,
            rateLimits: { scale: SCALE },
            faults: faults.join(','),
          });
          const expected = expectedIds(emu, Q);
          const c = client(emu, SCALE, { headersTimeoutMs: 300 });
          const seen: string[] = [];
          try {
            try {
              const handle = runQuery(Q, runOptions(c, { pageSize: 7, maxReruns: 3 }));
              // As objects, or as JSON text (one line each), the same run.
              if (asJson) {
                for await (const bytes of handle.json()) {
                  const line = Buffer.from(bytes).toString('utf8');
                  expect(line).not.toContain('\n');
                  seen.push(String((JSON.parse(line) as { id: unknown }).id));
                }
              } else for await (const e of handle) seen.push(String(e.id));
            } catch (error) {
              expect(isRunnerError(error), String(error)).toBe(true);
              expect(seen).toEqual(expected.slice(0, seen.length));
              return;
            }
            expect(seen).toEqual(expected);
          } finally {
            await c.close();
            await closeAll();
          }
        },
      ),
      { numRuns: 30 },
    );
  }, 240_000);
});
