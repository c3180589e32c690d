import { rule } from '../../src/rules/bare-number.ts';
import { ruleTester } from '../rule-tester.ts';

ruleTester(rule, {
  valid: ['TgtFileSize > "100"'],
  invalid: [
    { code: 'TgtFileSize > 100', message: 'quoted: "100"', column: 15, endColumn: 18, output: 'TgtFileSize > "100"' },
    {
      code: 'SrcProcPid In ("1", 007)',
      message: 'number 007',
      column: 21,
      endColumn: 24,
      output: 'SrcProcPid In ("1", "007")',
    },
  ],
});
