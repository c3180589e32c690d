import { rule } from '../../src/rules/list-too-long.ts';
import { ruleTester } from '../rule-tester.ts';

ruleTester(rule, {
  valid: ['TgtProcName In ("a", "b", "c")', { code: 'TgtProcName In ("a", "b")', options: 2 }],
  invalid: [
    {
      code: 'TgtProcName In ("a", "b", "c")',
      options: 2,
      message: 'This list has 3 values',
      column: 16,
      endColumn: 31,
      output: '(TgtProcName In ("a", "b") OR TgtProcName In ("c"))',
    },
    {
      code: 'X = "1" AND TgtProcName Not In ("a", "b", "c")',
      options: 2,
      message: 'lists of more than 2 are not safe',
      column: 32,
      endColumn: 47,
      output: 'X = "1" AND (TgtProcName Not In ("a", "b") AND TgtProcName Not In ("c"))',
    },
    {
      code: `SrcProcName In (${Array.from({ length: 101 }, (_, i) => `"v${i}"`).join(', ')})`,
      message: 'This list has 101 values',
      column: 16,
      endColumn: 16 + 2 + 10 * 4 + 90 * 5 + 6 + 100 * 2,
      output: `(SrcProcName In (${Array.from({ length: 100 }, (_, i) => `"v${i}"`).join(', ')}) OR SrcProcName In ("v100"))`,
    },
  ],
});
