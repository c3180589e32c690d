import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readEventsPage } from '../src/page.ts';

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
