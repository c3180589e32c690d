import { compile } from '@s1ql/engine';
import { lookupField, parse } from '@s1ql/language';
import { describe, expect, it } from 'vitest';
import { BAD_DOMAINS, createTelemetry, ENDPOINTS } from '../src/index.ts';
import { END } from './helpers.ts';

/** Keys the API envelope carries that are not S1QL fields. */
const ENVELOPE_KEYS = new Set(['createdAt', 'id', 'agentId']);

function matches(query: string, events: Iterable<Record<string, unknown>>): number[] {
  const { ast, diagnostics } = parse(query);
  const compiled = compile(ast, { diagnostics });
  if (!compiled.ok) throw new Error(compiled.diagnostics[0]?.message);
  const out: number[] = [];
  let i = 0;
  for (const e of events) {
    if (compiled.query.test(e)) out.push(i);
    i++;
  }
  return out;
}

describe('telemetry generator', () => {
  it('is deterministic: same seed, same events; another seed, other events', () => {
    const a = createTelemetry({ seed: 7, count: 500, endMs: END });
    const b = createTelemetry({ seed: 7, count: 500, endMs: END });
    const c = createTelemetry({ seed: 8, count: 500, endMs: END });
    expect(JSON.stringify([...a])).toBe(JSON.stringify([...b]));
    expect(JSON.stringify([...a])).not.toBe(JSON.stringify([...c]));
    // Random access gives the same event as streaming.
    expect(a.eventAt(321)).toEqual([...b.events(321, 322)][0]);
  });

  it('spreads createdAt (microseconds) over the window, non-decreasing', () => {
    const t = createTelemetry({ seed: 1, count: 2000, endMs: END, windowMs: 86_400_000 });
    let last = 0;
    for (let i = 0; i < t.count; i++) {
      const e = t.eventAt(i);
      expect(e.createdAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
      const ms = Date.parse(e.createdAt as string);
      expect(ms).toBe(t.timeAt(i));
      expect(ms).toBeGreaterThanOrEqual(last);
      expect(ms).toBeGreaterThanOrEqual(END - 86_400_000);
      expect(ms).toBeLessThan(END);
      last = ms;
    }
  });

  it('uses only catalog fields in lowerCamel (plus the envelope keys), with one key set for every event', () => {
    const t = createTelemetry({ seed: 3, count: 3000, endMs: END });
    const keys = Object.keys(t.eventAt(0));
    expect(keys.length).toBeGreaterThanOrEqual(60);
    expect(keys.length).toBeLessThanOrEqual(140);
    for (const key of keys) {
      if (ENVELOPE_KEYS.has(key)) continue;
      expect(key[0], key).toBe(key[0]?.toLowerCase());
      expect(lookupField(key)?.name.toLowerCase(), key).toBe(key.toLowerCase());
    }
    for (const e of t) expect(Object.keys(e)).toEqual(keys);
  });

  it('is loosely typed like the API and covers the three OSes and the event kinds', () => {
    const t = createTelemetry({ seed: 1, count: 5000, endMs: END });
    const oses = new Set<unknown>();
    const types = new Set<unknown>();
    for (const e of t) {
      oses.add(e.endpointOs);
      types.add(e.objectType);
      expect(typeof e.siteId).toBe('string');
      expect(typeof e.accountId).toBe('string');
      if (e.dstPort !== null) expect(typeof e.dstPort).toBe('number');
      expect(typeof e.srcProcPid).toBe('string');
    }
    expect([...oses].sort()).toEqual(['linux', 'osx', 'windows']);
    for (const type of ['process', 'file', 'registry', 'ip', 'dns', 'url', 'logins', 'scheduled_task', 'module']) {
      expect(types, type).toContain(type);
    }
    for (const type of ['cross_process', 'command_script', 'indicators']) expect(types, type).toContain(type);
    expect(ENDPOINTS.length).toBeGreaterThanOrEqual(20);
  });

  it('plants the stories where it says, and their queries find exactly them', () => {
    const t = createTelemetry({ seed: 42, count: 20_000, endMs: END });
    expect(t.stories.map((s) => s.id)).toEqual([
      'encoded-powershell',
      'lsass-access',
      'malicious-scheduled-task',
      'bad-domain-dns',
      'certutil-download',
    ]);
    for (const story of t.stories) {
      expect(matches(story.query, t), story.id).toEqual(story.queryMatches);
      for (const i of story.indices) expect(t.eventAt(i).endpointName).toBe(story.endpoint);
    }
    const ps = t.eventAt(t.stories[0]?.queryMatches[0] ?? -1);
    expect(ps.tgtProcCmdLine).toMatch(/^powershell\.exe .*-enc [A-Za-z0-9+/]+=*$/);
    expect(matches('TgtProcName = "lsass.exe" AND EventType = "Open Remote Process Handle"', t)).toEqual(
      t.stories[1]?.queryMatches,
    );
    expect(matches(`DnsRequest ContainsCIS "${BAD_DOMAINS[0]}"`, t)).toHaveLength(1);
  });

  it('plants no stories in a stream too small to hide them', () => {
    expect(createTelemetry({ count: 50, endMs: END }).stories).toEqual([]);
  });
});
