import { describe, expect, it } from 'vitest';
import { FaultSpecError, parseFaults } from '../src/index.ts';

describe('parseFaults', () => {
  it('reads the documented example', () => {
    expect(
      parseFaults('status:429@3,5xx:0.1,drop:events@2,slow:500ms,state:FAILED,expire-cursor@2,token:expired'),
    ).toEqual([
      { kind: 'status', status: 429, endpoint: '*', when: { type: 'nth', from: 3, to: 3 } },
      { kind: '5xx', endpoint: '*', when: { type: 'probability', p: 0.1 } },
      { kind: 'drop', endpoint: 'events', when: { type: 'nth', from: 2, to: 2 } },
      { kind: 'slow', ms: 500, endpoint: '*', when: { type: 'always' } },
      { kind: 'state', state: 'FAILED', when: { type: 'always' } },
      { kind: 'expire-cursor', when: { type: 'nth', from: 2, to: 2 } },
      { kind: 'token', mode: 'expired' },
    ]);
  });

  it('reads ranges, percentages, durations in seconds and dated expiry', () => {
    expect(parseFaults('503:query-status@2-4,drop@5+,slow:2s:events@10%,token:expires=2026-12-01T00:00:00Z')).toEqual([
      { kind: 'status', status: 503, endpoint: 'query-status', when: { type: 'nth', from: 2, to: 4 } },
      { kind: 'drop', endpoint: '*', when: { type: 'nth', from: 5, to: Number.POSITIVE_INFINITY } },
      { kind: 'slow', ms: 2000, endpoint: 'events', when: { type: 'probability', p: 0.1 } },
      { kind: 'token', mode: 'expires', at: Date.parse('2026-12-01T00:00:00Z') },
    ]);
    expect(parseFaults('cut:events@2,cut@20%')).toEqual([
      { kind: 'cut', endpoint: 'events', when: { type: 'nth', from: 2, to: 2 } },
      { kind: 'cut', endpoint: '*', when: { type: 'probability', p: 0.2 } },
    ]);
  });

  it('rejects what it does not understand, naming the item', () => {
    for (const bad of [
      'boom',
      'status:200',
      'status:429@0',
      'slow:fast',
      'state:DONE',
      'token:maybe',
      'drop@x',
      'cut:2s',
    ]) {
      expect(() => parseFaults(bad), bad).toThrow(FaultSpecError);
    }
    expect(() => parseFaults('state:DONE')).toThrow(/state:DONE/);
  });
});
