import { describe, expect, it } from 'vitest';
import { rule } from '../../src/rules/subsumed-predicate.ts';
import { ruleTester, run } from '../rule-tester.ts';

ruleTester(rule, {
  valid: [
    'X Contains "abc" AND Y Contains "ab"',
    'X Contains AnyCase "abc" AND X Contains "ab"',
    'X StartsWith "abc" AND X EndsWith "bc"',
  ],
  invalid: [
    { code: 'X Contains "abc" AND X Contains "ab"', message: 'implied by X Contains "abc"', column: 22, endColumn: 37 },
    {
      code: 'X Contains "abc" OR X Contains "ab"',
      message: 'already covered by X Contains "ab"',
      column: 1,
      endColumn: 17,
    },
    {
      code: 'X StartsWith "abc" AND X Contains AnyCase "B"',
      message: 'Redundant under AND',
      column: 24,
      endColumn: 46,
    },
  ],
});

describe('subsumed-predicate on an OR of thousands of IOCs', () => {
  it('reads each condition once and compares only those on one field, over 4,000 operands', () => {
    const iocs = Array.from(
      { length: 4000 },
      (_, i) => `TgtProcCmdLine Contains "${(i * 7919).toString(16).padStart(8, '0')}"`,
    );
    const text = [...iocs, 'SrcProcName Contains "cmd"', 'TgtProcCmdLine Contains "00000000 /c"'].join(' OR ');
    expect(run(rule, text).map((m) => m.message)).toEqual([
      'Redundant under OR: already covered by TgtProcCmdLine Contains "00000000".',
    ]);
  });
});
