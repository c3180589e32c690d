/**
 * `sweep` against the emulator in process, over known events: the hits per IOC are exactly the events whose
 * searched fields hold the IOC, whatever else the query's superset returned.
 */
import { sweep } from '@s1ql/runner';
import { afterEach, describe, expect, it } from 'vitest';
import { client, closeAll, emulator, FROM, TO } from './helpers.ts';

afterEach(closeAll);

const AT = '2026-11-29T12:00:00.000Z';
const SHA256 = 'E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855';

async function hitsOf(events: readonly Record<string, unknown>[], iocs: readonly string[]) {
  const emu = await emulator({
    rateLimits: 'off',
    eventList: events.map((e, i) => ({ id: String(i + 1), createdAt: AT, endpointName: `host-${i}`, ...e })),
  });
  const c = client(emu, Number.POSITIVE_INFINITY);
  try {
    const result = await sweep(iocs, { client: c, from: FROM, to: TO, pageSize: 50 });
    return Object.fromEntries(result.hits.map((h) => [h.ioc, h.hits]));
  } finally {
    await c.close();
  }
}

describe('sweep hits per IOC', () => {
  it('one event matching in several fields, in any case, is one hit', async () => {
    const hits = await hitsOf(
      [
        { objectType: 'process', srcProcImageSha256: SHA256, tgtProcImageSha256: SHA256.toLowerCase() },
        { objectType: 'file', tgtFileSha256: SHA256.toLowerCase() },
        { objectType: 'ip', dstIp: '10.0.0.1', srcIp: '10.0.0.1' },
        { objectType: 'ip', dstIp: '2001:DB8::1', srcIp: '10.0.0.2' },
      ],
      [SHA256, '10.0.0.1', '2001:db8::1'],
    );
    expect(hits).toEqual({ [SHA256.toLowerCase()]: 2, '10.0.0.1': 1, '2001:db8::1': 1 });
  });

  it('a domain is a hit on itself and its subdomains, not on names that merely contain it', async () => {
    const hits = await hitsOf(
      [
        { objectType: 'dns', dnsRequest: 'notevil.com' },
        { objectType: 'dns', dnsRequest: 'evil.com.au' },
        { objectType: 'dns', dnsRequest: 'evil.com-cdn.net' },
        { objectType: 'dns', dnsRequest: 'WWW.EVIL.COM' },
        { objectType: 'dns', dnsRequest: 'evil.com.' },
        { objectType: 'url', url: 'http://evil.com.attacker.net/x' },
        { objectType: 'url', url: 'https://Evil.com:8443/login' },
        { objectType: 'url', url: 'http://notevil.com/gate.php' },
        { objectType: 'url', url: 'https://www.evil.com/gate.php?id=1' },
      ],
      ['evil.com', 'http://evil.com', 'https://evil.com:8443', 'evil.com/gate.php'],
    );
    expect(hits).toEqual({
      'evil.com': 4,
      'http://evil.com': 0,
      'https://evil.com:8443': 1,
      'evil.com/gate.php': 1,
    });
  });

  it('a path is a hit where the path is, not where the other separator spells it', async () => {
    const hits = await hitsOf(
      [
        { objectType: 'file', tgtFilePath: '/tmp/a' },
        { objectType: 'file', tgtFilePath: '\\tmp\\a' },
        { objectType: 'process', tgtProcImagePath: 'C:\\WINDOWS\\evil.exe' },
      ],
      ['/tmp/a', '\\tmp\\a', 'c:\\windows\\evil.exe'],
    );
    expect(hits).toEqual({ '/tmp/a': 1, '\\tmp\\a': 1, 'c:\\windows\\evil.exe': 1 });
  });
});
