import { rule } from '../../src/rules/no-comment.ts';
import { ruleTester } from '../rule-tester.ts';

ruleTester(rule, {
  valid: ['A = "--x"'],
  invalid: [
    { code: '-- label\nA = "1"', message: 'not S1QL 1.0', column: 1, endColumn: 9 },
    { code: 'A = "1"\n  -- trailing', message: 'strips them', line: 2, column: 3, endColumn: 14 },
  ],
});
