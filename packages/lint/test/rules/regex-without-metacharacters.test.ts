import { rule } from '../../src/rules/regex-without-metacharacters.ts';
import { ruleTester } from '../rule-tester.ts';

ruleTester(rule, {
  valid: ['X RegExp "a.b"', 'X RegExp "^abc"', 'X RegExp "a\\\\b"'],
  invalid: [
    {
      code: 'X RegExp "mimikatz"',
      message: 'Contains "mimikatz" matches the same',
      column: 10,
      endColumn: 20,
      output: 'X Contains "mimikatz"',
    },
    {
      code: 'A = "1" AND X RegExp "(?i)lsass dump"',
      message: 'Contains AnyCase "lsass dump"',
      column: 22,
      endColumn: 38,
      output: 'A = "1" AND X Contains AnyCase "lsass dump"',
    },
  ],
});
