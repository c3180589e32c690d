import { rule } from '../../src/rules/unknown-field.ts';
import { ruleTester } from '../rule-tester.ts';

ruleTester(rule, {
  valid: ['TgtProcName = "a"', 'tgtprocname = "a"', 'EventType = "Process Creation"'],
  invalid: [
    { code: 'TgtProcNam = "a"', message: 'Did you mean "TgtProcName"', column: 1, endColumn: 11 },
    {
      code: 'EventType = "Login" AND Zzzzzzzzz Exists',
      message: 'Unknown field "Zzzzzzzzz".',
      column: 25,
      endColumn: 34,
    },
  ],
});
