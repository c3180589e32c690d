import { rule } from '../../src/rules/duplicate-condition.ts';
import { ruleTester } from '../rule-tester.ts';

ruleTester(rule, {
  valid: ['A = "1" AND B = "1"', 'A = "1" AND (A = "1" OR B = "2")'],
  invalid: [
    {
      code: 'A = "1" AND B = "2" AND a = 1',
      message: 'already appears in this AND chain',
      column: 25,
      endColumn: 30,
      output: 'A = "1" AND B = "2"',
    },
    {
      code: 'A = "1" OR (B = "2") OR (b = "2")',
      message: 'OR chain',
      column: 25,
      endColumn: 34,
      output: 'A = "1" OR (B = "2")',
    },
  ],
});
