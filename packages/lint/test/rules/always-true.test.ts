import { describe, expect, it } from 'vitest';
import { rule } from '../../src/rules/always-true.ts';
import { ruleTester, run } from '../rule-tester.ts';

ruleTester(rule, {
  valid: ['TgtProcName Contains "a"', 'TgtProcName Exists OR NOT SrcProcName Exists', 'TgtProcName RegExp "^a.*"'],
  invalid: [
    { code: 'TgtProcName Contains ""', message: 'only tests that the field is present', column: 1, endColumn: 24 },
    { code: 'TgtProcName RegExp "(?i).*"', message: 'matches every value', column: 1, endColumn: 28 },
    { code: 'TgtProcName Exists OR NOT TgtProcName Exists', message: 'always true', column: 1, endColumn: 45 },
    {
      code: 'A = "1" AND (TgtProcName Is Empty OR TgtProcName Is Not Empty)',
      message: 'always true',
      column: 14,
      endColumn: 62,
    },
  ],
});

describe('always-true on an OR of thousands of IOCs', () => {
  it('finds the opposite pair among 5,000 operands (one pass; the cost is in pnpm bench lint, not timed here)', () => {
    const iocs = Array.from({ length: 5000 }, (_, i) => `TgtProcCmdLine Contains "v${i}"`);
    const text = [...iocs, 'NOT TgtProcCmdLine Contains "v4321"', 'A Is Empty'].join(' OR ');
    expect(run(rule, text).map((m) => m.message)).toEqual([
      'This OR is always true: it tests a condition and its opposite.',
    ]);
    expect(run(rule, iocs.join(' OR '))).toEqual([]);
  });
});
