import { rule } from '../../src/rules/max-line-width.ts';
import { ruleTester } from '../rule-tester.ts';

const long = `X = "${'a'.repeat(100)}"`;

ruleTester(rule, {
  valid: ['X = "a"', `X = "${'a'.repeat(94)}"`, { code: long, options: 200 }],
  invalid: [
    { code: long, message: 'This line is 106 characters long (at most 100)', column: 101, endColumn: 107 },
    { code: 'A = "1"\nAND B = "22"', options: 10, message: 'at most 10', line: 2, column: 11, endColumn: 13 },
  ],
});
