import { rule } from '../../src/rules/duplicate-list-value.ts';
import { ruleTester } from '../rule-tester.ts';

ruleTester(rule, {
  valid: ['TgtProcName In ("a", "A")', 'TgtProcName In ("a", "b")'],
  invalid: [
    {
      code: 'TgtProcName In ("a", "b", "a")',
      message: '"a" is already in this list',
      column: 27,
      endColumn: 30,
      output: 'TgtProcName In ("a", "b")',
    },
    {
      code: 'TgtProcName In AnyCase ("a", "A", "b")',
      message: 'compared without case',
      column: 30,
      endColumn: 33,
      output: 'TgtProcName In AnyCase ("a", "b")',
    },
    {
      code: 'EventType In ("Login", "LOGIN")',
      message: 'already in this list',
      column: 24,
      endColumn: 31,
      output: 'EventType In ("Login")',
    },
  ],
});
