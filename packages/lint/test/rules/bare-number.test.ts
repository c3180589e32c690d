import { rule } from '../../src/rules/bare-number.ts';
import { ruleTester } from '../rule-tester.ts';

ruleTester(rule, {
  valid: [
    'TgtFileSize > "100"',
    // Regression: quoting made a query the engine evaluates ("1.5" is not a timestamp, 1.5 is epoch ms) fail.
    'EventTime > 1.5',
  ],
  invalid: [
    { code: 'TgtFileSize > 100', message: 'quoted: "100"', column: 15, endColumn: 18, output: 'TgtFileSize > "100"' },
    {
      code: 'SrcProcPid In ("1", 007)',
      message: 'number 007',
      column: 21,
      endColumn: 24,
      output: 'SrcProcPid In ("1", "007")',
    },
    {
      code: 'EventTime Between 1 And 2.5',
      message: 'number 1 quoted',
      column: 19,
      endColumn: 20,
      output: 'EventTime Between "1" And 2.5',
    },
    { code: 'DstPort > 2.5', message: 'quoted: "2.5"', column: 11, endColumn: 14, output: 'DstPort > "2.5"' },
  ],
});
