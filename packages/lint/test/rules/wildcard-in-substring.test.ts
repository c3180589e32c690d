import { rule } from '../../src/rules/wildcard-in-substring.ts';
import { ruleTester } from '../rule-tester.ts';

ruleTester(rule, {
  valid: ['X Contains "a*b"', 'X = "a*"', 'X RegExp "a*"'],
  invalid: [
    { code: 'X Contains "*powershell*"', message: 'matched literally', column: 12, endColumn: 26 },
    {
      code: 'X In Contains AnyCase ("a", "%temp%")',
      message: 'In Contains AnyCase already matches part',
      column: 29,
      endColumn: 37,
    },
  ],
});
