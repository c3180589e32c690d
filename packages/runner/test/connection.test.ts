import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createConnection, isRunnerError, normalizeHost, resolveConnection } from '../src/index.ts';

const noFile = (): string => {
  throw Object.assign(new Error('nope'), { code: 'ENOENT' });
};

describe('normalizeHost', () => {
  it.each([
    ['usea1-acme.sentinelone.net', 'https://usea1-acme.sentinelone.net'],
    ['https://usea1-acme.sentinelone.net/', 'https://usea1-acme.sentinelone.net'],
    ['  HTTPS://Usea1-Acme.SentinelOne.net  ', 'https://usea1-acme.sentinelone.net'],
    ['http://127.0.0.1:8080', 'http://127.0.0.1:8080'],
    ['http://127.9.9.9:1/', 'http://127.9.9.9:1'],
    ['http://localhost:3000', 'http://localhost:3000'],
    ['http://[::1]:3000', 'http://[::1]:3000'],
  ])('%s -> %s', (input, origin) => {
    expect(normalizeHost(input)).toBe(origin);
  });

  it.each([
    ['https://user:pw@host.net', 'user name'],
    ['host.net/web/api/v2.1', 'path'],
    ['host.net?x=1', 'query'],
    ['host.net#frag', 'fragment'],
    ['http://usea1-acme.sentinelone.net', 'loopback'],
    ['http://128.0.0.1', 'loopback'],
    ['ftp://host.net', 'https'],
    ['', 'empty'],
  ])('rejects %s (%s)', (input, word) => {
    try {
      normalizeHost(input);
      throw new Error('accepted');
    } catch (error) {
      expect(isRunnerError(error, 'S1QL_CONFIG')).toBe(true);
      expect((error as Error).message).toContain(word);
      expect((error as { exitCode: number }).exitCode).toBe(2);
    }
  });
});

describe('resolveConnection', () => {
  it('takes the host from S1_HOST and the token from S1_API_TOKEN', async () => {
    const c = await resolveConnection({ env: { S1_HOST: 'x.net', S1_API_TOKEN: ' abc ' }, readFile: noFile });
    expect(c.origin).toBe('https://x.net');
  });

  it('reads and trims a token file (--token-file over the environment)', async () => {
    const files: Record<string, string> = { '/t': '\n  file-token-777 \n' };
    const c = await resolveConnection({
      host: 'x.net',
      env: { S1_API_TOKEN: 'env-token' },
      tokenFile: '/t',
      readFile: (p) => files[p] ?? noFile(),
    });
    const fromEnv = await resolveConnection({ host: 'x.net', env: { S1_API_TOKEN: 'env-token' }, readFile: noFile });
    expect(c.fingerprint).not.toBe(fromEnv.fingerprint);
    const viaEnvFile = await resolveConnection({
      host: 'x.net',
      env: { S1_API_TOKEN_FILE: '/t' },
      readFile: (p) => files[p] ?? noFile(),
    });
    expect(viaEnvFile.fingerprint).toBe(c.fingerprint);
  });

  it('without a token: S1QL_CONFIG (exit 2) saying how to give one', async () => {
    await expect(resolveConnection({ host: 'x.net', env: {}, readFile: noFile })).rejects.toMatchObject({
      code: 'S1QL_CONFIG',
      exitCode: 2,
      message: expect.stringContaining('S1_API_TOKEN'),
    });
    await expect(
      resolveConnection({ host: 'x.net', env: {}, tokenFile: '/missing', readFile: noFile }),
    ).rejects.toMatchObject({ code: 'S1QL_CONFIG', message: expect.stringContaining('no such file') });
    // The file's name is not repeated: it may be the token itself, given where its file's name goes.
    await expect(
      resolveConnection({ host: 'x.net', env: { S1_API_TOKEN_FILE: 'SECRET-token-abc' }, readFile: noFile }),
    ).rejects.toSatisfy((e: Error) => e.message.includes('S1_API_TOKEN_FILE') && !e.message.includes('SECRET'));
    // A character no HTTP header can carry is a configuration mistake (2), not a network failure (5).
    await expect(
      resolveConnection({ host: 'x.net', env: { S1_API_TOKEN: 'abc\u00e9def' }, readFile: noFile }),
    ).rejects.toMatchObject({ code: 'S1QL_CONFIG', exitCode: 2 });
    await expect(resolveConnection({ env: { S1_API_TOKEN: 'a' }, readFile: noFile })).rejects.toMatchObject({
      code: 'S1QL_CONFIG',
      message: expect.stringContaining('S1_HOST'),
    });
  });

  it('never reveals the token: toString, JSON, inspect, own properties', () => {
    const secret = 'SECRET-token-abcdef-0123';
    const c = createConnection('x.net', secret);
    expect(String(c)).not.toContain(secret);
    expect(JSON.stringify(c)).not.toContain(secret);
    expect(inspect(c, { showHidden: true, depth: 10 })).not.toContain(secret);
    expect(JSON.stringify(Object.getOwnPropertyDescriptors(c))).not.toContain(secret);
    expect(c.fingerprint).toMatch(/^[0-9a-f]{16}$/);
  });

  it('redact replaces the token, plain or URL-encoded, in text from elsewhere (a console quoting it back)', () => {
    const secret = 'tok/en+with=chars';
    const c = createConnection('x.net', secret);
    expect(c.redact(`bad ${secret}; again ${encodeURIComponent(secret)}.`)).toBe('bad <token>; again <token>.');
    expect(c.redact('nothing to hide')).toBe('nothing to hide');
  });
});
