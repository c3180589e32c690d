import { rule } from '../../src/rules/mixed-and-or.ts';
import { ruleTester } from '../rule-tester.ts';

ruleTester(rule, {
  valid: ['(A = "1" AND B = "2") OR C = "3"', 'A = "1" AND (B = "2" OR C = "3")'],
  invalid: [
    {
      code: 'A = "1" AND B = "2" OR C = "3"',
      message: 'AND binds tighter',
      column: 1,
      endColumn: 20,
      output: '(A = "1" AND B = "2") OR C = "3"',
    },
    {
      code: 'A = "1" OR B = "2" AND C = "3"',
      message: 'without parentheses',
      column: 12,
      endColumn: 31,
      output: 'A = "1" OR (B = "2" AND C = "3")',
    },
  ],
});
