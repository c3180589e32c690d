import { parse, predicates } from '@s1ql/language';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeIoc, planSweep, s1ql } from '../src/index.ts';

const sha1 = (i: number): string => i.toString(16).padStart(40, '0');

describe('normalizeIoc', () => {
  it.each([
    ['DA39A3EE5E6B4B0D3255BFEF95601890AFD80709', 'sha1', 'da39a3ee5e6b4b0d3255bfef95601890afd80709'],
    ['d41d8cd98f00b204e9800998ecf8427e', 'md5', 'd41d8cd98f00b204e9800998ecf8427e'],
    [`${'A'.repeat(64)}`, 'sha256', 'a'.repeat(64)],
    ['  198.51.100[.]7 ', 'ip', '198.51.100.7'],
    ['2001:DB8:0:0:0:0:0:1', 'ip', '2001:db8::1'],
    ['[2001:db8::1]', 'ip', '2001:db8::1'],
    ['::ffff:192.0.2.1', 'ip', '192.0.2.1'],
    ['Evil[.]Example(.)COM', 'domain', 'evil.example.com'],
    ['bücher.example.', 'domain', 'xn--bcher-kva.example'],
    ['hxxps[:]//Evil.Example:443/a/../b?q=1', 'url', 'https://evil.example/b?q=1'],
    ['http://evil.example', 'url', 'http://evil.example'],
    ['C:\\Users\\Public\\x.exe', 'path', 'C:\\Users\\Public\\x.exe'],
    ['/tmp/.x/run', 'path', '/tmp/.x/run'],
    // A URL without a scheme is still a URL: searched as written after its host, in any scheme.
    ['evil[.]example/gate.php?id=1', 'url', 'evil.example/gate.php?id=1'],
    ['WWW.Evil.Example/a b', 'url', 'www.evil.example/a%20b'],
    ['198.51.100.7:8080/x', 'url', '198.51.100.7:8080/x'],
    // A wildcard names the subdomains, which a domain sweep already covers.
    ['*.Evil.Example', 'domain', 'evil.example'],
  ])('%s is %s %s', (input, kind, value) => {
    expect(normalizeIoc(input)).toEqual({ kind, value });
  });

  it.each([
    ['abc123', /IPv4|not a hash/],
    ['0123456789abcdef0123', /length 20/],
    ['10.0.0.0/8', /CIDR/],
    ['127.1', /four decimal parts/],
    ['C:\\Temp\\', /backslash/],
    ['evil', /not a hash, IP address, URL, path or domain name/],
    ['a\u0007b.com', /control character/],
    ['http://', /URL/],
    // A file name is not a domain, though its extension looks like a TLD.
    ['mimikatz.exe', /file name/],
    ['Invoice.PDF.js', /file name/],
    ['folder/file.txt', /not a hash, IP address, URL, path or domain name/],
  ])('%s is refused (%s)', (input, reason) => {
    const result = normalizeIoc(input);
    expect('reason' in result && result.reason).toMatch(reason);
  });

  it('checks the requested kind', () => {
    expect(normalizeIoc('d41d8cd98f00b204e9800998ecf8427e', 'sha1')).toEqual({
      reason: '32 hex digits is a md5, not a sha1 (40 digits)',
    });
    expect(normalizeIoc('evil.example', 'domain')).toEqual({ kind: 'domain', value: 'evil.example' });
    expect('reason' in normalizeIoc('evil.example', 'ip')).toBe(true);
    expect(normalizeIoc('evil.example/a', 'url')).toEqual({ kind: 'url', value: 'evil.example/a' });
    expect(normalizeIoc('mimikatz.exe', 'domain')).toEqual({ kind: 'domain', value: 'mimikatz.exe' });
  });
});

describe('planSweep', () => {
  it('plans an end-to-end sweep: fields per kind, ObjectType scope, duplicates, invalid entries', () => {
    const plan = planSweep([
      '# weekly feed',
      'D41D8CD98F00B204E9800998ECF8427E',
      'evil[.]example',
      '',
      '203.0.113.7',
      'd41d8cd98f00b204e9800998ecf8427e',
      'not an ioc',
    ]);
    // Three kinds, one query: each kind in its own fields, under its own object types.
    expect(plan.queries.map((q) => q.text)).toEqual([
      'SrcProcImageMd5 In AnyCase ("d41d8cd98f00b204e9800998ecf8427e") OR SrcProcParentImageMd5 In AnyCase ("d41d8cd98f00b204e9800998ecf8427e") OR TgtFileMd5 In AnyCase ("d41d8cd98f00b204e9800998ecf8427e") OR TgtProcImageMd5 In AnyCase ("d41d8cd98f00b204e9800998ecf8427e") OR ' +
        '(ObjectType = "ip" AND (DstIP In AnyCase ("203.0.113.7") OR SrcIP In AnyCase ("203.0.113.7"))) OR ' +
        '(ObjectType In ("dns", "url") AND (DnsRequest In Contains AnyCase ("evil.example") OR Url In Contains AnyCase ("evil.example")))',
    ]);
    expect(plan.queries[0]?.kinds).toEqual(['md5', 'ip', 'domain']);
    expect(plan.lowerBound).toBe(1);
    expect(plan.invalid).toEqual([{ input: 'not an ioc', line: 7, reason: expect.any(String) }]);
    expect(plan.iocs.find((i) => i.kind === 'md5')).toEqual({
      kind: 'md5',
      value: 'd41d8cd98f00b204e9800998ecf8427e',
      input: 'D41D8CD98F00B204E9800998ECF8427E',
      lines: [2, 6],
    });
    for (const q of plan.queries) expect(parse(q.text).diagnostics).toEqual([]);
  });

  it('ANDs a scope to every query', () => {
    const scope = s1ql.where('AgentOS', '=', 'windows');
    const plan = planSweep(['203.0.113.7'], { scope });
    expect(plan.queries[0]?.text).toBe(
      'AgentOS = "windows" AND ObjectType = "ip" AND (DstIP In AnyCase ("203.0.113.7") OR SrcIP In AnyCase ("203.0.113.7"))',
    );
    const mixed = planSweep(['203.0.113.7', 'evil.example'], { scope });
    expect(mixed.queries.map((q) => q.text)).toEqual([
      'AgentOS = "windows" AND ((ObjectType = "ip" AND (DstIP In AnyCase ("203.0.113.7") OR SrcIP In AnyCase ("203.0.113.7"))) OR ' +
        '(ObjectType In ("dns", "url") AND (DnsRequest In Contains AnyCase ("evil.example") OR Url In Contains AnyCase ("evil.example"))))',
    ]);
  });

  it('keeps every list within maxListSize, several lists per field in one query when the length allows', () => {
    const hashes = Array.from({ length: 250 }, (_, i) => sha1(i));
    const plan = planSweep(hashes, { maxListSize: 100, maxQueryLength: 1e6 });
    expect(plan.queries.map((q) => q.iocs.length)).toEqual([250]);
    const lists = predicates(parse(plan.queries[0]?.text ?? '').ast.expr).map((p) =>
      p.operand?.kind === 'List' ? p.operand.items.length : 0,
    );
    // Four SHA-1 fields, three lists each.
    expect(lists.sort((a, b) => a - b)).toEqual([50, 50, 50, 50, 100, 100, 100, 100, 100, 100, 100, 100]);
    expect(plan.kinds).toEqual([{ kind: 'sha1', iocs: 250, queries: 1, lowerBound: 1 }]);
  });

  it('packs what is left of each kind together: fewer queries than one per kind', () => {
    const few = planSweep([sha1(1), '203.0.113.7', 'evil.example', 'http://evil.example/x', 'C:\\Temp\\x.exe']);
    expect(few.queries.map((q) => q.kinds)).toEqual([['sha1', 'ip', 'domain', 'url', 'path']]);
    // 600 IPs are six lists of at most 100 per field, but the text of three queries holds them, a hash and a domain.
    const ips = Array.from({ length: 600 }, (_, i) => `192.168.${i >> 8}.${i & 255}`);
    const plan = planSweep([...ips, sha1(1), 'evil.example']);
    expect(plan.queries.length).toBe(3);
    expect(plan.queries.length).toBe(plan.lowerBound);
    for (const q of plan.queries) expect(q.text.length).toBeLessThanOrEqual(8000);
  });

  it('packs to the length limit exactly when it binds (equal-size hashes: optimal)', () => {
    const hashes = Array.from({ length: 250 }, (_, i) => sha1(i));
    const plan = planSweep(hashes, { maxQueryLength: 8000 });
    // A SHA-1 costs 44 characters per field, 4 fields: 176 per hash; the query shell is about 200 characters.
    const perQuery = plan.queries[0]?.iocs.length ?? 0;
    const shell = planSweep([sha1(0)]).queries[0]?.text.length ?? 0;
    expect(perQuery).toBe(Math.floor((8000 - (shell - 176)) / 176));
    expect(plan.queries.length).toBe(Math.ceil(250 / perQuery));
    for (const q of plan.queries) expect(q.text.length).toBeLessThanOrEqual(8000);
    expect(plan.kinds[0]?.lowerBound).toBe(plan.queries.length);
  });

  it('covers every unique IOC exactly once, within the limits, for any input (property)', () => {
    const ioc = fc.oneof(
      fc.integer({ min: 0, max: 200 }).map(sha1),
      fc.tuple(fc.nat(255), fc.nat(255)).map(([a, b]) => `10.0.${a}.${b}`),
      fc.stringMatching(/^[a-z]{1,30}\.(com|net|example)$/),
      fc.stringMatching(/^C:\\[A-Za-z ]{1,40}\\[a-z]{1,8}\.exe$/),
      fc.string({ maxLength: 12 }),
    );
    fc.assert(
      fc.property(
        fc.array(ioc, { maxLength: 120 }),
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 900, max: 4000 }),
        (iocs, maxListSize, maxQueryLength) => {
          const plan = planSweep(iocs, { maxListSize, maxQueryLength });
          const covered = plan.queries.flatMap((q) => q.iocs.map((i) => `${i.kind}:${i.value}`));
          expect(covered.sort()).toEqual(plan.iocs.map((i) => `${i.kind}:${i.value}`).sort());
          for (const q of plan.queries) {
            expect(q.text.length).toBeLessThanOrEqual(maxQueryLength);
            const parsed = parse(q.text);
            expect(parsed.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
            for (const p of predicates(parsed.ast.expr)) {
              if (p.operand?.kind === 'List') expect(p.operand.items.length).toBeLessThanOrEqual(maxListSize);
            }
          }
          for (const k of plan.kinds) expect(k.queries).toBeGreaterThanOrEqual(k.lowerBound);
          expect(plan.queries.length).toBeGreaterThanOrEqual(plan.lowerBound);
          expect(new Set(plan.queries.flatMap((q) => q.kinds))).toEqual(new Set(plan.kinds.map((k) => k.kind)));
          const skipped = iocs.filter((s) => s.trim() === '' || s.trim().startsWith('#')).length;
          const lines = plan.iocs.reduce((n, i) => n + i.lines.length, 0);
          expect(lines + plan.invalid.length + skipped).toBe(iocs.length);
        },
      ),
      { numRuns: 200 },
    );
  });
});
