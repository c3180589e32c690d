import { expect, it } from 'vitest';
import { rule } from '../../src/rules/case-sensitive-on-insensitive-data.ts';
import { ruleTester, run } from '../rule-tester.ts';

ruleTester(rule, {
  valid: [
    'TgtProcName Contains AnyCase "cmd.exe"',
    'TgtProcName RegExp "(?i)cmd"',
    'TgtProcName = "1234"',
    'TgtProcCmdLine Contains "-enc"',
  ],
  invalid: [
    {
      code: 'TgtProcName = "cmd.exe"',
      message: 'compares case-sensitively: use In AnyCase',
      column: 13,
      endColumn: 14,
    },
    { code: 'TgtProcName Contains "cmd"', message: 'use Contains AnyCase', column: 13, endColumn: 21 },
    { code: 'TgtFilePath RegExp "temp"', message: 'add (?i)', column: 13, endColumn: 19 },
  ],
});

it('suggests the AnyCase form without fixing', () => {
  const [m] = run(rule, 'TgtProcName = "cmd.exe"');
  expect(m?.suggestions?.[0]?.edits[0]?.newText).toBe('In AnyCase ("cmd.exe")');
  const [r] = run(rule, 'TgtFilePath RegExp "temp"');
  expect(r?.suggestions?.[0]?.edits[0]?.range.start.column).toBe(21);
});
