import { rule } from '../../src/rules/operator-type-mismatch.ts';
import { ruleTester } from '../rule-tester.ts';

ruleTester(rule, {
  valid: [
    'TgtFileSize > "100"',
    'TgtFileIsExecutable Is True',
    'TgtProcName Contains "a"',
    'TgtFileSize In ("1", "2")',
  ],
  invalid: [
    {
      code: 'TgtProcName > "a"',
      message: '> orders numbers and timestamps; TgtProcName is a string field',
      column: 13,
      endColumn: 14,
    },
    { code: 'TgtFileSize Contains "1"', message: 'TgtFileSize is a number field', column: 13, endColumn: 21 },
    {
      code: 'TgtFileIsExecutable = "true"',
      message: 'boolean field: use Is True or Is False',
      column: 21,
      endColumn: 22,
    },
    { code: 'TgtProcName Is True', message: 'Is True applies to boolean fields', column: 13, endColumn: 20 },
    { code: 'DstIP Between "1" And "2"', message: 'DstIP is an ip field', column: 7, endColumn: 14 },
  ],
});
