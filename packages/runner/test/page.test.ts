import { isUtf8 } from 'node:buffer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PageBuffer, peekNextCursor, readEventsPage, readEventsPageBytes } from '../src/page.ts';

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

describe('EventsPage.json(i): each event as one line of JSON', () => {
  const text = (bytes: Uint8Array): string => Buffer.from(bytes).toString('utf8');

  it('is one line that JSON.parse reads as the event, whatever the spacing; the console bytes when compact', () => {
    const event = fc.dictionary(fc.string({ unit: 'binary', maxLength: 8 }), fc.jsonValue(), { maxKeys: 6 });
    fc.assert(
      fc.property(fc.array(event, { maxLength: 8 }), fc.constantFrom(0, 2, '\t', '\r\n'), (data, indent) => {
        // JSON.stringify puts line breaks only between tokens: \r\n for each is still JSON.
        const body =
          indent === '\r\n'
            ? JSON.stringify({ data, pagination: {} }, null, 1).replaceAll('\n', '\r\n')
            : JSON.stringify({ data, pagination: {} }, null, indent);
        const page = readEventsPage(body);
        expect(page?.length).toBe(data.length);
        const expected = JSON.parse(JSON.stringify(data)) as unknown[];
        for (let i = 0; i < data.length; i++) {
          const line = text(page?.json(i) ?? new Uint8Array());
          expect(line).not.toMatch(/[\n\r]/);
          expect(JSON.parse(line)).toEqual(expected[i]);
          if (indent === 0) expect(line).toBe(JSON.stringify(data[i]));
        }
      }),
      { numRuns: 500 },
    );
  });

  it('keeps what JSON.parse would lose: every digit of a large number, the escapes as sent', () => {
    const body = '{"data":[{"id":123456789012345678901,"n":1.50,"s":"caf\\u00e9 \\/x"}],"pagination":{}}';
    const page = readEventsPage(body);
    expect(text(page?.json(0) ?? new Uint8Array())).toBe('{"id":123456789012345678901,"n":1.50,"s":"caf\\u00e9 \\/x"}');
  });

  it('a body with invalid UTF-8 is read as its decoded text is, and its events are valid UTF-8', () => {
    const body = Buffer.concat([
      Buffer.from('{"data":[{"s":"a'),
      Buffer.from([0xff, 0xc3]),
      Buffer.from('"}],"pagination":{}}'),
    ]);
    const page = readEventsPageBytes(body);
    const bytes = page?.json(0) ?? new Uint8Array();
    expect(isUtf8(bytes)).toBe(true);
    expect(JSON.parse(text(bytes))).toEqual({ s: 'a\uFFFD\uFFFD' });
    expect(page?.event(0)).toEqual({ s: 'a\uFFFD\uFFFD' });
  });
});

describe('a page read lazily rejects exactly what JSON.parse rejects', () => {
  it('every byte value at every place of a long string (strings are scanned four bytes at a time)', () => {
    const prefix = Buffer.from('{"data":[{"key":"');
    for (let length = 1; length <= 13; length++) {
      for (let at = 0; at < length; at++) {
        for (let byte = 0; byte < 256; byte++) {
          const value = Buffer.alloc(length, 'a');
          value[at] = byte;
          const body = Buffer.concat([prefix, value, Buffer.from('"}],"pagination":{}}')]);
          let expected: unknown;
          try {
            expected = (JSON.parse(body.toString('utf8')) as { data: unknown[] }).data[0];
          } catch {
            expect(() => readEventsPageBytes(body), `${length}/${at}/${byte}`).toThrow(SyntaxError);
            continue;
          }
          expect(readEventsPageBytes(body)?.event(0), `${length}/${at}/${byte}`).toEqual(expected);
        }
      }
    }
  });

  it('any one byte changed: throws SyntaxError when JSON.parse does, else reads what it reads', () => {
    const event = fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 });
    // Bytes that matter to JSON's grammar, and any byte at all.
    const replacement = fc.oneof(
      fc.constantFrom(...'"\\{}[],:0123456789-+.eEtfnu \t\n\r\x00\x1f'.split('').map((c) => c.charCodeAt(0))),
      fc.integer({ min: 0, max: 255 }),
    );
    fc.assert(
      fc.property(fc.array(event, { minLength: 1, maxLength: 5 }), fc.nat(), replacement, (data, at, byte) => {
        const body = Buffer.from(JSON.stringify({ data, pagination: { nextCursor: 'c' } }));
        body[at % body.length] = byte;
        let expected: { data?: unknown; pagination?: unknown } | null;
        try {
          expected = JSON.parse(body.toString('utf8')) as typeof expected;
        } catch {
          expect(() => readEventsPageBytes(body)).toThrow(SyntaxError);
          return;
        }
        const page = readEventsPageBytes(body);
        if (!Array.isArray(expected?.data)) {
          expect(page).toBeUndefined();
          return;
        }
        const events = Array.from({ length: page?.length ?? 0 }, (_, i) => page?.event(i));
        expect(events).toEqual(expected.data);
        for (let i = 0; i < events.length; i++) {
          expect(JSON.parse(Buffer.from(page?.json(i) ?? []).toString('utf8'))).toEqual(expected.data[i]);
        }
      }),
      { numRuns: 3000 },
    );
  });
});

describe('peekNextCursor (the next page asked for before this one is read)', () => {
  it('reads the cursor at the end of a body, whatever was scanned before it', () => {
    const event = fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 });
    fc.assert(
      fc.property(
        fc.array(event, { maxLength: 4 }),
        fc.option(fc.string({ unit: 'binary' })),
        fc.array(event, { maxLength: 4 }),
        (data, nextCursor, other) => {
          const body = Buffer.from(JSON.stringify({ data, pagination: { nextCursor, totalItems: 9 } }));
          const expected = typeof nextCursor === 'string' && nextCursor !== '' ? nextCursor : undefined;
          expect(peekNextCursor(body)).toBe(expected);
          // Another body scanned in between (the scanner keeps a view of the bytes it reads) changes nothing.
          readEventsPageBytes(Buffer.from(JSON.stringify({ data: other, pagination: { nextCursor: 'x' } })));
          expect(peekNextCursor(body)).toBe(expected);
          expect(readEventsPageBytes(body)?.pagination).toEqual(JSON.parse(body.toString('utf8')).pagination);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('gives nothing when the body does not end with the pagination member, or is cut short', () => {
    expect(peekNextCursor(Buffer.from('{"data":[],"pagination":{"nextCursor":null}}'))).toBeUndefined();
    expect(peekNextCursor(Buffer.from('{"pagination":{"nextCursor":"abc="},"data":[]}'))).toBeUndefined();
    expect(peekNextCursor(Buffer.from('{"data":[],"pagination":{"nextCursor":"abc="}'))).toBeUndefined();
    expect(peekNextCursor(Buffer.from('{"data":[],"pagination":{"nextCursor":"abc="}} '))).toBe('abc=');
  });
});
