import { describe, expect, it } from 'vitest';
import { FAULT_STATES, FaultSpecError, parseFaults } from '../src/index.ts';

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
      'state:Done',
      'token:maybe',
      'drop@x',
      'cut:2s',
    ]) {
      expect(() => parseFaults(bad), bad).toThrow(FaultSpecError);
    }
    expect(() => parseFaults('state:Done')).toThrow(/state:Done/);
  });

  it('rejects an ENDPOINT or a WHEN the fault would ignore, and a second ENDPOINT', () => {
    for (const [bad, why] of [
      ['state:FAILED:events', /takes no ENDPOINT/],
      ['expire-query:events', /takes no ENDPOINT/],
      ['expire-cursor:init-query@2', /takes no ENDPOINT/],
      ['token:invalid:events', /takes no ENDPOINT/],
      ['retry-after:off:events', /takes no ENDPOINT/],
      ['token:invalid@2', /takes no @WHEN/],
      ['token:expires=2030-01-01T00:00:00Z@2', /takes no @WHEN/],
      ['retry-after:off@1', /takes no @WHEN/],
      ['variant:429-json:events', /takes no ENDPOINT/],
      ['variant:403-detail@1', /takes no @WHEN/],
      ['variant:429-html', /expected variant:403-detail\|429-json\|limit-100000/],
      ['variant', /expected variant:/],
      ['500:events:init-query', /one ENDPOINT/],
    ] as const) {
      expect(() => parseFaults(bad), bad).toThrow(FaultSpecError);
      expect(() => parseFaults(bad), bad).toThrow(why);
      expect(() => parseFaults(bad), bad).toThrow(bad);
    }
  });

  it('accepts every state the contract lists, named ones in any case', () => {
    for (const state of [
      'RUNNING',
      'PLANNING',
      'QUERY_RUNNING',
      'EVENTS_RUNNING',
      'PROCESS_RUNNING',
      'FINISHED',
      'EMPTY_RESULTS',
      'QUERY_CANCEL',
      'QUERY_CANCELLED',
      'QUERY_EXPIRED',
      'TIMED_OUT',
      'TIMEOUT',
      'FAILED',
      'FAILED_CLIENT',
      'ERROR',
      'QUERY_NOT_FOUND',
    ]) {
      expect(FAULT_STATES).toContain(state);
      expect(parseFaults(`state:${state}@2`)).toEqual([
        { kind: 'state', state, when: { type: 'nth', from: 2, to: 2 } },
      ]);
    }
    expect(parseFaults('state:empty_results')).toEqual([
      { kind: 'state', state: 'EMPTY_RESULTS', when: { type: 'always' } },
    ]);
  });

  it('accepts an unknown upper-case state as-is and rejects a malformed one clearly', () => {
    expect(parseFaults('state:SOMETHING_NEW@1,state:V2_STATE')).toEqual([
      { kind: 'state', state: 'SOMETHING_NEW', when: { type: 'nth', from: 1, to: 1 } },
      { kind: 'state', state: 'V2_STATE', when: { type: 'always' } },
    ]);
    for (const bad of [
      'state:',
      'state:something_new',
      'state:Done',
      'state:A-B',
      'state:2FAST',
      'state:_X',
      'state:A B',
    ]) {
      expect(() => parseFaults(bad), bad).toThrow(FaultSpecError);
      expect(() => parseFaults(bad), bad).toThrow(
        /STATE must be one of .*QUERY_NOT_FOUND.* or another upper-case identifier/,
      );
    }
    expect(() => parseFaults('state:FAILED:ERROR')).toThrow(/expected state:STATE/);
  });
});
