import { rule } from '../../src/rules/operator-spelling.ts';
import { ruleTester } from '../rule-tester.ts';

ruleTester(rule, {
  valid: ['X Contains AnyCase "a"', 'X In Contains AnyCase ("a")'],
  invalid: [
    {
      code: 'X ContainsCIS "a"',
      message: 'Write Contains AnyCase (not ContainsCIS)',
      column: 3,
      endColumn: 14,
      output: 'X Contains AnyCase "a"',
    },
    {
      code: 'X in  anycase ("a")',
      message: 'Write In AnyCase',
      column: 3,
      endColumn: 14,
      output: 'X In AnyCase ("a")',
    },
  ],
});
