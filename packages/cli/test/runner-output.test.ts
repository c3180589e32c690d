import { once } from 'node:events';
import { createWriteStream, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { eventWriter } from '../src/runner-output.ts';

/**
 * A slow sink with a small buffer, so writers meet backpressure. It keeps the chunks it is given, as a Writable
 * may: a writer that reused a chunk after the callback would change what was written.
 */
function sink(): { out: Writable; text: () => string } {
  const chunks: Buffer[] = [];
  const out = new Writable({
    highWaterMark: 1024,
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk);
      setImmediate(done);
    },
  });
  return { out, text: () => Buffer.concat(chunks).toString('utf8') };
}

/** A file sink, where batches are reused. */
function fileSink(): { out: Writable; text: () => string } {
  const path = join(mkdtempSync(join(tmpdir(), 's1ql-out-')), 'events');
  const out = createWriteStream(path, { highWaterMark: 4096 });
  return { out, text: () => readFileSync(path, 'utf8') };
}

const event = fc.dictionary(fc.string({ maxLength: 6 }), fc.oneof(fc.string({ unit: 'binary' }), fc.integer()), {
  maxKeys: 4,
});

describe('ndjson and json writers', () => {
  it('write the events given as objects or as JSON bytes, in order, one per line, whatever their size', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(event, fc.boolean(), fc.nat({ max: 200_000 })), { maxLength: 12 }),
        fc.constantFrom('ndjson' as const, 'json' as const),
        fc.boolean(),
        async (items, format, toFile) => {
          const { out, text } = toFile ? fileSink() : sink();
          const writer = eventWriter(format, out);
          const expected: unknown[] = [];
          for (const [e, asBytes, pad] of items) {
            // Some events larger than a batch.
            const big = pad > 150_000 ? { ...e, pad: 'x'.repeat(pad) } : e;
            expected.push(big);
            if (asBytes && writer.writeJson) {
              const bytes = Buffer.from(JSON.stringify(big));
              const written = writer.writeJson(bytes);
              // Copied before writeJson returns: the caller may reuse its buffer at once.
              bytes.fill(0x20);
              await written;
            } else await writer.write(big);
          }
          await writer.end();
          await new Promise<void>((resolve) => out.end(resolve));
          if (toFile) await once(out, 'close');
          const output = text();
          if (format === 'json') {
            expect(JSON.parse(output)).toEqual(expected);
            expect(output.endsWith('\n')).toBe(true);
          } else {
            expect(
              output === ''
                ? []
                : output
                    .trimEnd()
                    .split('\n')
                    .map((l) => JSON.parse(l)),
            ).toEqual(expected);
            expect(output === '' || output.endsWith('\n')).toBe(true);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('megabytes of events, to a stream that keeps its chunks and to a file: every byte as written', async () => {
    for (const make of [sink, fileSink]) {
      const { out, text } = make();
      const writer = eventWriter('ndjson', out);
      const expected: string[] = [];
      for (let i = 0; i < 400; i++) {
        const line = JSON.stringify({ i, pad: String(i % 10).repeat(5000) });
        expected.push(line);
        await writer.writeJson?.(Buffer.from(line));
      }
      await writer.end();
      await new Promise<void>((resolve) => out.end(resolve));
      if (make === fileSink) await once(out, 'close');
      expect(text()).toBe(`${expected.join('\n')}\n`);
    }
  });

  it('json: an empty result is an empty array; flush writes what is buffered without ending it', async () => {
    const empty = sink();
    const writer = eventWriter('json', empty.out);
    await writer.end();
    await new Promise<void>((resolve) => empty.out.end(resolve));
    expect(empty.text()).toBe('[]\n');
    const partial = sink();
    const lines = eventWriter('ndjson', partial.out);
    await lines.writeJson?.(Buffer.from('{"a":1}'));
    await lines.flush?.();
    await new Promise<void>((resolve) => partial.out.end(resolve));
    expect(partial.text()).toBe('{"a":1}\n');
  });
});
