import { rule } from '../../src/rules/ambiguous-not.ts';
import { ruleTester } from '../rule-tester.ts';

ruleTester(rule, {
  valid: ['(NOT A = "1") AND B = "2"', 'NOT (A = "1" AND B = "2")', 'B = "2" AND NOT A = "1"', 'NOT A = "1"'],
  invalid: [
    {
      code: 'NOT A = "1" AND B = "2"',
      message: 'NOT applies only to the condition right after it',
      column: 1,
      endColumn: 12,
      output: '(NOT A = "1") AND B = "2"',
    },
    {
      code: 'C = "3" OR NOT A = "1" OR B = "2"',
      message: 'rest of this OR',
      column: 12,
      endColumn: 23,
      output: 'C = "3" OR (NOT A = "1") OR B = "2"',
    },
  ],
});
