import { describe, expect, it } from 'vitest';
import { inTimeWindow, parseTimestamp, readField } from '../src/index.ts';

describe('parseTimestamp', () => {
  it('reads ISO-8601 in UTC when there is no offset', () => {
    expect(parseTimestamp('2024-03-01T12:34:56.789Z')).toBe(1709296496789);
    expect(parseTimestamp('2024-03-01T12:34:56.789')).toBe(1709296496789);
    expect(parseTimestamp('2024-03-01 12:34:56.789')).toBe(1709296496789);
    expect(parseTimestamp('1970-01-01')).toBe(0);
    expect(parseTimestamp('1970-01-01T00:01')).toBe(60_000);
  });

  it('truncates extra fraction digits (microseconds) to milliseconds', () => {
    expect(parseTimestamp('1970-01-01T00:00:00.123456Z')).toBe(123);
    expect(parseTimestamp('1970-01-01T00:00:00.999999Z')).toBe(999);
    expect(parseTimestamp('1970-01-01T00:00:00.5Z')).toBe(500);
    expect(parseTimestamp('1970-01-01T00:00:00,25Z')).toBe(250);
  });

  it('applies offsets', () => {
    expect(parseTimestamp('1970-01-01T01:00:00+01:00')).toBe(0);
    expect(parseTimestamp('1970-01-01T01:00:00+0100')).toBe(0);
    expect(parseTimestamp('1970-01-01T01:00:00+01')).toBe(0);
    expect(parseTimestamp('1969-12-31T19:30:00.000001-04:30')).toBe(0);
  });

  it('reads epoch milliseconds as numbers and digit strings', () => {
    expect(parseTimestamp(1709296496789)).toBe(1709296496789);
    expect(parseTimestamp('1709296496789')).toBe(1709296496789);
    expect(parseTimestamp(1.9)).toBe(1);
    expect(parseTimestamp(-1)).toBe(-1);
  });

  it('handles leap years and years before 100 without Date quirks', () => {
    expect(parseTimestamp('2024-02-29')).toBe(Date.UTC(2024, 1, 29));
    expect(parseTimestamp('2023-02-29')).toBeUndefined();
    expect(parseTimestamp('1900-02-29')).toBeUndefined();
    expect(parseTimestamp('2000-02-29')).toBe(Date.UTC(2000, 1, 29));
    expect(parseTimestamp('0050-06-15T00:00:00Z')).toBe(new Date('0050-06-15T00:00:00Z').getTime());
  });

  it('rejects what is not a timestamp', () => {
    for (const bad of [
      '',
      'yesterday',
      '2024-13-01',
      '2024-01-32',
      '2024-01-01T24:00:00Z',
      '2024-01-01T10:60',
      '2024-1-1',
      '2024-01-01T10',
      '2024-01-01Z',
      '2024-01-01T00:00:00+24:00',
      '1.5',
      true,
      null,
      undefined,
      {},
      Number.NaN,
    ]) {
      expect(parseTimestamp(bad), String(bad)).toBeUndefined();
    }
  });
});

describe('readField', () => {
  it('finds keys case-insensitively and treats null as missing', () => {
    const event = { dstIp: '10.0.0.1', srcProcPid: '42', tgtProcName: null, empty: '' };
    expect(readField(event, 'DstIP')).toBe('10.0.0.1');
    expect(readField(event, 'SrcProcPID')).toBe('42');
    expect(readField(event, 'TgtProcName')).toBeUndefined();
    expect(readField(event, 'Empty')).toBe('');
    expect(readField(event, 'Nope')).toBeUndefined();
  });

  it('reads an alias through its catalog field', () => {
    expect(readField({ tgtProcImageMd5: 'abc' }, 'TgtProcMd5')).toBe('abc');
  });

  it('never answers from inherited properties', () => {
    expect(readField({}, 'constructor')).toBeUndefined();
    expect(readField({}, 'ToString')).toBeUndefined();
    expect(readField({ toString: 'x' }, 'TOSTRING')).toBe('x');
  });
});

describe('inTimeWindow', () => {
  it('is inclusive at from and exclusive at to, on createdAt', () => {
    const at = (createdAt: unknown) => ({ createdAt });
    expect(inTimeWindow(at('1970-01-01T00:00:01.000999Z'), 1000, 2000)).toBe(true);
    expect(inTimeWindow(at('1970-01-01T00:00:01.999999Z'), 1000, 2000)).toBe(true);
    expect(inTimeWindow(at('1970-01-01T00:00:02Z'), 1000, 2000)).toBe(false);
    expect(inTimeWindow(at('1970-01-01T00:00:00.999Z'), 1000, 2000)).toBe(false);
    expect(inTimeWindow(at(1500), 1000, 2000)).toBe(true);
    expect(inTimeWindow({ CreatedAt: '1970-01-01T00:00:01Z' }, 1000, 2000)).toBe(true);
    expect(inTimeWindow({}, 1000, 2000)).toBe(false);
    expect(inTimeWindow(at('garbage'), 1000, 2000)).toBe(false);
  });
});
