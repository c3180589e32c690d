import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from '@s1ql/language';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Scalar, stringify } from 'yaml';
import { HuntCodes, readHunt } from '../src/index.ts';

const FULL_META = `description: d
author: a
version: 1
operating_system: windows
created_date: 2024-01-02
last_update: 2024-01-03
tags:
  - mitre.T1059
s1ql supported version: 3
Minimum console version required: "21.7"
Minimum agent version required: "21.6"
`;

/** Where the parser's L101 (the unexpected `§`) lands in the YAML file. */
function sectionSignAt(text: string): { line: number; column: number; char: string } {
  const hunt = readHunt(text, 'h.yml');
  const query = hunt.query;
  if (!query) throw new Error(`no query: ${JSON.stringify(hunt.diagnostics)}`);
  const d = parse(query.text).diagnostics.find((x) => x.code === 'L101');
  if (!d) throw new Error('no L101');
  const at = query.toFile(d.range);
  return { line: at.start.line, column: at.start.column, char: text.slice(at.start.offset, at.end.offset) };
}

describe('query positions in the YAML file (each scalar style)', () => {
  // Expected line:column worked out by hand from the text of each case.
  it('plain, multi-line (folded into spaces)', () => {
    const text = 'title: t\nquery: EventType = "x"\n  AND Foo § 1\n';
    expect(sectionSignAt(text)).toEqual({ line: 3, column: 11, char: '§' });
  });
  it('plain with CRLF line ends', () => {
    const text = 'title: t\r\nquery: EventType = "x"\r\n   AND § = 1\r\nid: a\r\n';
    expect(sectionSignAt(text)).toEqual({ line: 3, column: 8, char: '§' });
  });
  it('double-quoted with escapes before the finding', () => {
    const text = 'title: t\nquery: "A = \\"x\\"\\tAND § = 1"\n';
    expect(sectionSignAt(text)).toEqual({ line: 2, column: 24, char: '§' });
  });
  it('double-quoted: a character written as an escape maps to the whole escape', () => {
    const text = 'title: t\nquery: "A = 1 AND \\u00a7 = 1"\n';
    expect(sectionSignAt(text)).toEqual({ line: 2, column: 19, char: '\\u00a7' });
  });
  it('double-quoted over two lines, with an escaped line break', () => {
    const text = 'title: t\nquery: "A = 1 \\\n    AND § = 1"\n';
    expect(sectionSignAt(text)).toEqual({ line: 3, column: 9, char: '§' });
  });
  it("single-quoted with a doubled ''", () => {
    const text = "title: t\nquery: 'TgtProcName = \"it''s\" AND § = 1'\n";
    expect(sectionSignAt(text)).toEqual({ line: 2, column: 35, char: '§' });
  });
  it('literal block (|), more-indented line', () => {
    const text = 'title: t\nquery: |\n  EventType = "Process Creation"\n    AND § = 1\nid: x\n';
    expect(sectionSignAt(text)).toEqual({ line: 4, column: 9, char: '§' });
  });
  it('folded block (>-)', () => {
    const text = 'title: t\nquery: >-\n  EventType = "Process Creation"\n  AND § = 1\n';
    expect(sectionSignAt(text)).toEqual({ line: 4, column: 7, char: '§' });
  });
  it('literal block with an explicit indentation indicator, nested under a key indent', () => {
    const text = 'title: t\nquery: |2\n   A = 1\n   AND § = 1\n';
    expect(sectionSignAt(text)).toEqual({ line: 4, column: 8, char: '§' });
  });
  it('a range spanning a folded line break ends where its last character is', () => {
    const text = 'title: t\nquery: >\n  TgtProcName\n  Contains\n';
    const q = readHunt(text, 'h.yml').query;
    if (!q) throw new Error('no query');
    expect(q.text).toBe('TgtProcName Contains\n');
    const r = q.toFile({
      start: { offset: 0, line: 1, column: 1 },
      end: { offset: 20, line: 1, column: 21 },
    });
    expect(text.slice(r.start.offset, r.end.offset)).toBe('TgtProcName\n  Contains');
    expect([r.start.line, r.start.column, r.end.line, r.end.column]).toEqual([3, 3, 4, 11]);
  });

  const styles = [
    Scalar.PLAIN,
    Scalar.QUOTE_SINGLE,
    Scalar.QUOTE_DOUBLE,
    Scalar.BLOCK_LITERAL,
    Scalar.BLOCK_FOLDED,
  ] as const;
  it('every character maps to the source character it came from (generated values, every style)', () => {
    const chars = fc.constantFrom(...'ab "\'\\:#-\t\n(),é§'.split(''), 'And', 'x', 'y');
    fc.assert(
      fc.property(fc.array(chars, { minLength: 1, maxLength: 40 }), fc.constantFrom(...styles), (parts, type) => {
        const value = parts.join('');
        const node = new Scalar(value);
        node.type = type;
        let text: string;
        try {
          text = `title: t\nquery: ${stringify(node, { lineWidth: 20, minContentWidth: 5 })}id: x\n`;
        } catch {
          return;
        }
        const hunt = readHunt(text, 'h.yml');
        if (hunt.diagnostics.some((d) => d.code === HuntCodes.yamlSyntax)) return;
        const q = hunt.query;
        if (!q) return; // a blank value is no query (H503)
        for (let i = 0; i < q.text.length; i++) {
          const r = q.toFile({
            start: { offset: i, line: 1, column: 1 },
            end: { offset: i + 1, line: 1, column: 1 },
          });
          const source = text.slice(r.start.offset, r.end.offset);
          const c = q.text[i] as string;
          if (source === c) continue;
          // Escapes (\n, \t, \", \\), '' for ', and folded line breaks read as a space or a line break.
          const escaped = source.startsWith('\\') || (source === "''" && c === "'");
          const folded = /^(\r?\n)$/.test(source) && (c === ' ' || c === '\n');
          expect(escaped || folded, `value[${i}] ${JSON.stringify(c)} <- ${JSON.stringify(source)} in ${text}`).toBe(
            true,
          );
        }
      }),
      { numRuns: 400 },
    );
  });
});

function codes(text: string): string[] {
  return readHunt(text, 'h.yml').diagnostics.map(
    (d) => `${d.code} ${d.severity} ${d.range.start.line}:${d.range.start.column}`,
  );
}

describe('metadata rules (design/CLI.md)', () => {
  it('a complete hunt has no findings', () => {
    expect(codes(`title: t\nquery: A = 1\n${FULL_META}`)).toEqual([]);
  });
  it('missing or empty title and query are errors', () => {
    expect(codes(`query: A = 1\n${FULL_META}`)).toEqual(['H502 error 1:1']);
    expect(codes(`title: "  "\nquery: A = 1\n${FULL_META}`)).toEqual(['H502 error 1:8']);
    expect(codes(`title: t\n${FULL_META}`)).toEqual(['H503 error 1:1']);
    expect(codes(`title: t\nquery:\n${FULL_META}`)).toEqual(['H503 error 2:7']);
  });
  it('ATT&CK ids: techniques, sub-techniques and tactics are valid; T99999 is an error at the tag', () => {
    const base = `title: t\nquery: A = 1\n${FULL_META.replace(/tags:\n {2}- mitre.T1059\n/, '')}`;
    const withTags = (tags: string[]) => `${base}tags:\n${tags.map((t) => `  - ${t}\n`).join('')}`;
    expect(codes(withTags(['mitre.T1059', 'mitre.T1059.001', 'mitre.TA0002', 'hafnium']))).toEqual([]);
    // Lines: title 1, query 2, the other keys 3-11, tags 12, its items from 13.
    expect(codes(withTags(['mitre.T1059', 'mitre.T99999']))).toEqual(['H504 error 14:5']);
    expect(codes(withTags(['mitre.T1059.1']))).toEqual(['H504 error 13:5']);
    expect(codes(withTags(['Sunburst']))).toEqual(['H507 warning 12:1']);
    // One tag written as a scalar: the wrong type (H516), and its ATT&CK id still checked, at the value.
    expect(codes(`${base}tags: mitre.T99999\n`)).toEqual(['H516 warning 12:7', 'H504 error 12:7']);
    expect(codes(`${base}tags: mitre.T1059\n`)).toEqual(['H516 warning 12:7']);
  });
  it('dates: YYYY-MM-DD or D-Mon-YYYY in any case; last_update before created_date is an error', () => {
    const meta = (created: string, updated: string) =>
      `title: t\nquery: A = 1\n${FULL_META.replace('created_date: 2024-01-02', `created_date: ${created}`).replace(
        'last_update: 2024-01-03',
        `last_update: ${updated}`,
      )}`;
    expect(codes(meta('20-DEC-2019', '16-Nov-2020'))).toEqual([]);
    expect(codes(meta('27-jan-2021', '2021-01-27'))).toEqual([]);
    expect(codes(meta('8-Mar-2021', '4-Mar-2021'))).toEqual(['H505 error 8:14']);
    expect(codes(meta('2021-02-30', '2021-03-01'))).toEqual(['H506 warning 7:15']);
    // `created_date: ` (14 characters): the empty value is at column 15.
    expect(codes(meta('', '2021-03-01'))).toEqual(['H507 warning 7:15']);
  });
  it('version may be a number or a string', () => {
    expect(codes(`title: t\nquery: A = 1\n${FULL_META.replace('version: 1', 'version: "1.1b"')}`)).toEqual([]);
    expect(codes(`title: t\nquery: A = 1\n${FULL_META.replace('version: 1', 'version: 1.1')}`)).toEqual([]);
  });
  it('an unknown key is a warning, and is kept', () => {
    const hunt = readHunt(`title: t\nquery: A = 1\n${FULL_META}x-vendor: {a: 1}\n`, 'h.yml');
    expect(hunt.diagnostics.map((d) => `${d.code} ${d.severity} ${d.range.start.line}`)).toEqual(['H508 warning 14']);
    expect(hunt.meta['x-vendor']).toEqual({ a: 1 });
  });
  it('a key Schema.txt requires, missing, is a warning', () => {
    expect(codes(`title: t\nquery: A = 1\n${FULL_META.replace('author: a\n', '')}`)).toEqual(['H507 warning 1:1']);
  });
  it('unreadable YAML is an error at its line', () => {
    expect(codes('title: t\nquery: A = 1\ntags: [mitre.T1059\n')).toEqual(['H501 error 3:7']);
    expect(codes('title: t\ntitle: u\nquery: A = 1\n')).toEqual(['H501 error 2:1']);
    expect(codes('- just\n- a list\n')).toEqual(['H501 error 1:1']);
  });
  it('an unclosed [ or { is reported where it opens, not on the next line', () => {
    const found = (text: string) =>
      readHunt(text, 'h.yml').diagnostics.map(
        (d) => `${d.code} ${d.range.start.line}:${d.range.start.column} ${d.message}`,
      );
    expect(found('title: t\ntags: [mitre.T1059, mitre.T1003\ndescription: d\nquery: A = 1\n')).toEqual([
      'H501 2:7 Unreadable YAML: this [ is never closed (a flow sequence ends with ])',
    ]);
    expect(found('title: t\nx-vendor: {a: 1, b: 2\nquery: A = 1\n')).toEqual([
      'H501 2:11 Unreadable YAML: this { is never closed (a flow mapping ends with })',
    ]);
    // With CRLF line ends, the line's \r is not part of the place.
    const crlf = readHunt('title: t\r\ntags: [a\r\nquery: A = 1\r\n', 'h.yml').diagnostics[0]?.range;
    expect([crlf?.start.column, crlf?.end.column, crlf?.end.line]).toEqual([7, 9, 2]);
    // Nested: each one at its own bracket.
    expect(codes('title: t\nx-vendor: {a: [1\nquery: A = 1\n')).toEqual(['H501 error 2:15', 'H501 error 2:11']);
  });
  it('an alias to no anchor is reported at the alias', () => {
    expect(codes('title: t\nquery: A = 1\ndescription: *nowhere\n')).toEqual(['H501 error 3:14']);
  });
  it('a %YAML 1.1 document reads its dates as text, as a YAML 1.2 one does', () => {
    const v11 = `%YAML 1.1\n---\ntitle: t\nquery: A = 1\n${FULL_META}`;
    expect(codes(v11)).toEqual([]);
    expect(readHunt(v11, 'h.yml').meta.created_date).toBe('2024-01-02');
    const backwards = v11.replace('last_update: 2024-01-03', 'last_update: 2023-12-31');
    expect(codes(backwards)).toEqual(['H505 error 10:14']);
  });
  it('several documents, an alias to no anchor, a query that is not text: said in words', () => {
    const message = (text: string) => readHunt(text, 'h.yml').diagnostics.map((d) => `${d.code} ${d.message}`);
    expect(message('title: t\nquery: A = 1\n---\ntitle: u\n')).toEqual([
      'H501 Unreadable YAML: the file holds several YAML documents (---); a hunt file holds one',
    ]);
    expect(message('title: *nowhere\nquery: A = 1\n')).toEqual([
      'H501 Unreadable YAML: Unresolved alias (the anchor must be set before the alias): nowhere',
    ]);
    expect(message(`title: t\nquery: 42\n${FULL_META}`)).toEqual([
      'H503 Invalid query: query must be text, not the number 42',
    ]);
    expect(message(`title: t\nquery: A = 1\n${FULL_META}references: {a: 1}\n`)).toEqual([
      'H516 Unexpected value: references must be a list or text, not a mapping',
    ]);
    expect(message(`title: [t]\nquery: A = 1\n${FULL_META}`)).toEqual([
      'H502 Invalid title: title must be text or a number, not a list',
    ]);
    // An unclosed quote is found by the yaml package at the end of the file; it is reported where it opens.
    expect(
      codes('title: t\nauthor: me\nquery: "EventType = \\"x\\"\ncreated_date: 2021-01-01\ntags:\n  - a\n'),
    ).toEqual(['H501 error 3:8']);
    // With CRLF line ends, the place ends with its line, not inside the line break (fuzz.test.ts found 2:15 on a line
    // of 13 characters).
    const crlf = readHunt("title: t\r\nquery: 'A = 1\r\n", 'h.yml').diagnostics.map((d) => d.range);
    expect(crlf.map((r) => `${r.start.line}:${r.start.column}-${r.end.line}:${r.end.column}`)).toEqual(['2:8-2:14']);
  });
  it('our keys: lint exclusions need a reason; tests are {match, no_match} lists of events', () => {
    const hunt = readHunt(
      `title: t\nquery: A = 1\n${FULL_META}id: h-1\ndialect: s1ql1\nlint:\n  - rule: no-foo\n    reason: because\ntests:\n  match:\n    - {eventType: Login}\n  no_match: []\n`,
      'h.yml',
    );
    expect(hunt.diagnostics).toEqual([]);
    expect(hunt.id).toBe('h-1');
    // Lines: title 1, query 2, FULL_META 3-13, id 14, dialect 15, lint 16, its item 17, tests 19, match 20.
    expect(hunt.exclusions.map((e) => [e.rule, e.reason, e.range.start.line])).toEqual([['no-foo', 'because', 17]]);
    expect(hunt.tests?.match.map((t) => [t.event, t.range.start.line])).toEqual([[{ eventType: 'Login' }, 21]]);
    expect(codes(`title: t\nquery: A = 1\n${FULL_META}lint:\n  - rule: no-foo\n`)).toEqual(['H509 error 15:5']);
    expect(codes(`title: t\nquery: A = 1\n${FULL_META}tests:\n  matches: []\n`)).toEqual(['H509 error 15:3']);
    expect(codes(`title: t\nquery: A = 1\n${FULL_META}dialect: kql\n`)).toEqual(['H509 error 14:10']);
  });
});

describe("SentinelLabs' public queries", () => {
  const dir = fileURLToPath(new URL('../../../../shared/data/sentinellabs-s1ql-queries/Queries', import.meta.url));
  const files = readdirSync(dir).filter((f) => f.endsWith('.yml'));
  it('load with no errors (their layout as it is)', () => {
    expect(files.length).toBe(21);
    for (const f of files) {
      const hunt = readHunt(readFileSync(join(dir, f), 'utf8'), f);
      expect(
        hunt.diagnostics.filter((d) => d.severity === 'error'),
        f,
      ).toEqual([]);
      expect(hunt.query?.text.length, f).toBeGreaterThan(20);
      expect(hunt.title, f).toBeTruthy();
    }
  });
  it('their empty created_date is a warning, not an error', () => {
    const hunt = readHunt(readFileSync(join(dir, 'suspicious_data_compression.yml'), 'utf8'), 'x.yml');
    expect(hunt.diagnostics.find((d) => d.message.includes('created_date'))?.severity).toBe('warning');
  });
});

describe('replaceQuery', () => {
  const original = `# a comment\ntitle: t   # trailing\nquery: A = 1 AND B = 2\nid: x\n`;
  it('keeps every other byte, and a one-line query plain', () => {
    const out = readHunt(original, 'h.yml').replaceQuery('A = "1" AND B = "2"');
    expect(out).toBe(`# a comment\ntitle: t   # trailing\nquery: A = "1" AND B = "2"\nid: x\n`);
  });
  it('writes a block scalar for a multi-line query, and reads back the same text', () => {
    const q = 'A = "1"\nAND (\n  B = "2"\n  OR C Contains ": #x"\n)';
    const out = readHunt(original, 'h.yml').replaceQuery(q);
    expect(out).toBe(
      `# a comment\ntitle: t   # trailing\nquery: |\n  A = "1"\n  AND (\n    B = "2"\n    OR C Contains ": #x"\n  )\nid: x\n`,
    );
    const again = readHunt(out, 'h.yml');
    expect(again.query?.text).toBe(`${q}\n`);
    expect(again.replaceQuery(q)).toBe(out);
    // Once a block, it stays a block: the file's style is its author's.
    expect(again.replaceQuery('A = 1 AND B = 2')).toBe(original.replace('query: A', 'query: |\n  A'));
  });
  it('quotes a one-line query that cannot be plain', () => {
    const out = readHunt(original, 'h.yml').replaceQuery('"quoted" : start # not a comment');
    expect(readHunt(out, 'h.yml').query?.text).toBe('"quoted" : start # not a comment');
    expect(out.startsWith('# a comment\ntitle: t   # trailing\nquery: ')).toBe(true);
    expect(out.endsWith('\nid: x\n')).toBe(true);
  });
  it('keeps a block scalar block: its header, the comment after it, its indentation and its line breaks', () => {
    const folded = `title: t\nquery: >- # the hunt\n    EventType = "Login" AND\n    SrcIP = 10.0.0.1\nid: x\n`;
    const out = readHunt(folded, 'h.yml').replaceQuery('EventType = "Login" AND SrcIP = "10.0.0.1"');
    expect(out).toBe(`title: t\nquery: >- # the hunt\n    EventType = "Login" AND SrcIP = "10.0.0.1"\nid: x\n`);
    // A multi-line query in a folded scalar would fold into one line: it becomes literal, the comment kept.
    const q = 'EventType = "Login"\nAND SrcIP = "10.0.0.1"';
    const literal = readHunt(folded, 'h.yml').replaceQuery(q);
    expect(literal).toBe(
      `title: t\nquery: |- # the hunt\n    EventType = "Login"\n    AND SrcIP = "10.0.0.1"\nid: x\n`,
    );
    expect(readHunt(literal, 'h.yml').query?.text).toBe(q);
    const crlf = 'title: t\r\nquery: |\r\n  A = 1 AND\r\n  B = 2\r\nid: x\r\n';
    expect(readHunt(crlf, 'h.yml').replaceQuery('A = "1"\nAND B = "2"')).toBe(
      'title: t\r\nquery: |\r\n  A = "1"\r\n  AND B = "2"\r\nid: x\r\n',
    );
  });
  it('a .s1ql file is the query itself', () => {
    const hunt = readHunt('A = 1\n', 'h.s1ql');
    expect(hunt.format).toBe('s1ql');
    expect(hunt.query?.text).toBe('A = 1\n');
    expect(hunt.replaceQuery('B = 2')).toBe('B = 2\n');
  });
});
