import { rule } from '../../src/rules/always-true.ts';
import { ruleTester } from '../rule-tester.ts';

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
