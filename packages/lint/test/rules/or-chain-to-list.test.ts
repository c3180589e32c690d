import { rule } from '../../src/rules/or-chain-to-list.ts';
import { ruleTester } from '../rule-tester.ts';

ruleTester(rule, {
  valid: ['X = "a" OR Y = "b"', 'X = "a" OR X Contains "b"', 'X = "a" AND X = "b"'],
  invalid: [
    {
      code: 'X = "a" OR X = "b" OR X = "c"',
      message: '3 ORed conditions on X',
      column: 1,
      endColumn: 30,
      output: 'X In ("a", "b", "c")',
    },
    {
      code: 'X Contains AnyCase "a" OR Y = "1" OR X ContainsCIS "b"',
      message: 'X In Contains AnyCase',
      column: 1,
      endColumn: 55,
      output: 'X In Contains AnyCase ("a", "b") OR Y = "1"',
    },
    {
      code: 'A = "1" AND (X In ("a") OR X = "b")',
      message: 'X In (…)',
      column: 14,
      endColumn: 35,
      output: 'A = "1" AND (X In ("a", "b"))',
    },
  ],
});
