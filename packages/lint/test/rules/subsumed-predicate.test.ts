import { rule } from '../../src/rules/subsumed-predicate.ts';
import { ruleTester } from '../rule-tester.ts';

ruleTester(rule, {
  valid: [
    'X Contains "abc" AND Y Contains "ab"',
    'X Contains AnyCase "abc" AND X Contains "ab"',
    'X StartsWith "abc" AND X EndsWith "bc"',
  ],
  invalid: [
    { code: 'X Contains "abc" AND X Contains "ab"', message: 'implied by X Contains "abc"', column: 22, endColumn: 37 },
    {
      code: 'X Contains "abc" OR X Contains "ab"',
      message: 'already covered by X Contains "ab"',
      column: 1,
      endColumn: 17,
    },
    {
      code: 'X StartsWith "abc" AND X Contains AnyCase "B"',
      message: 'Redundant under AND',
      column: 24,
      endColumn: 46,
    },
  ],
});
