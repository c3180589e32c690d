import { rule } from '../../src/rules/short-substring.ts';
import { ruleTester } from '../rule-tester.ts';

ruleTester(rule, {
  valid: ['X Contains "abc"', 'X = "a"', 'X Contains ""', { code: 'X Contains "ab"', options: 2 }],
  invalid: [
    { code: 'X Contains "ab"', message: 'shorter than 3 characters', column: 12, endColumn: 16 },
    { code: 'X In Contains ("abcd", "/c")', message: '"/c"', column: 24, endColumn: 28 },
  ],
});
