import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PageBuffer, readEventsPage, readEventsPageBytes } from '../src/page.ts';

function all(text: string): unknown[] | undefined {
  const page = readEventsPage(text);
  if (page === undefined) return undefined;
  return Array.from({ length: page.length }, (_, i) => page.event(i));
}

describe('readEventsPage (lazy dv/events page)', () => {
  it('reads any page exactly as JSON.parse does, whatever the spacing, key order and string contents', () => {
    const event = fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 6 });
    fc.assert(
      fc.property(
        fc.array(event, { maxLength: 8 }),
        fc.record({ nextCursor: fc.option(fc.string()), totalItems: fc.nat() }),
        fc.boolean(),
        fc.constantFrom(0, 2),
        (data, pagination, paginationFirst, indent) => {
          const body = paginationFirst ? { pagination, data } : { data, pagination };
          const text = JSON.stringify(body, null, indent);
          const page = readEventsPage(text);
          expect(page?.pagination).toEqual(JSON.parse(JSON.stringify(pagination)));
          expect(all(text)).toEqual(JSON.parse(JSON.stringify(data)));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('handles escapes, quotes and brackets inside strings', () => {
    const data = [{ a: 'x\\"}]', b: '\\\\', c: '{[' }, { 'k"}': ['"', '\\'] }];
    expect(all(JSON.stringify({ data, pagination: { nextCursor: 'YQ==' } }))).toEqual(data);
  });

  it('a body without data[] gives undefined; text that is not JSON throws SyntaxError', () => {
    expect(readEventsPage('{"pagination":{}}')).toBeUndefined();
    expect(readEventsPage('{"data":{"x":1},"pagination":{}}')).toBeUndefined();
    expect(() => readEventsPage('<html>login</html>')).toThrow(SyntaxError);
    expect(() => readEventsPage('{"data":[{"a":1}],"pagination":{}')).toThrow(SyntaxError);
  });
});

describe('readEventsPageBytes over a reused PageBuffer', () => {
  it('reads any Unicode page fed in uneven chunks, with or without a byte order mark, as JSON.parse does', () => {
    const unicode = fc.string({ unit: 'binary', maxLength: 12 });
    const event = fc.dictionary(unicode, fc.oneof(unicode, fc.integer(), fc.boolean(), fc.constant(null)), {
      maxKeys: 5,
    });
    const buffer = new PageBuffer(16);
    fc.assert(
      fc.property(
        fc.array(event, { maxLength: 6 }),
        fc.option(unicode),
        fc.boolean(),
        fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 20 }),
        (data, nextCursor, bom, cuts) => {
          const json = Buffer.from(JSON.stringify({ data, pagination: { nextCursor, totalItems: data.length } }));
          const body = bom ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), json]) : json;
          buffer.reset();
          let at = 0;
          for (let i = 0; at < body.length; i++) {
            const size = cuts[i % cuts.length] as number;
            buffer.append(body.subarray(at, at + size));
            at += size;
          }
          const page = readEventsPageBytes(buffer.bytes);
          expect(page?.pagination).toEqual({ nextCursor, totalItems: data.length });
          const events = Array.from({ length: page?.length ?? 0 }, (_, i) => page?.event(i));
          expect(events).toEqual(JSON.parse(JSON.stringify(data)));
        },
      ),
      { numRuns: 1000 },
    );
  });
});
