import { rule } from '../../src/rules/keyword-case.ts';
import { ruleTester } from '../rule-tester.ts';

ruleTester(rule, {
  valid: ['A = "1" AND NOT (B = "2" OR C = "3")', 'A Between "1" and "2"'],
  invalid: [
    { code: 'A = "1" and B = "2"', message: 'Write AND', column: 9, endColumn: 12, output: 'A = "1" AND B = "2"' },
    { code: '(A = "1")or(B = "2")', message: 'Write OR', column: 10, endColumn: 12, output: '(A = "1")OR(B = "2")' },
    { code: 'not A = "1"', message: 'Write NOT', column: 1, endColumn: 4, output: 'NOT A = "1"' },
  ],
});
