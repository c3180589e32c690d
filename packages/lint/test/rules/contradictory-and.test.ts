import { rule } from '../../src/rules/contradictory-and.ts';
import { ruleTester } from '../rule-tester.ts';

ruleTester(rule, {
  valid: [
    'TgtProcName = "a" OR TgtProcName = "b"',
    'EventType = "Login" AND EventType = "LOGIN"',
    'TgtProcName = "a" AND TgtProcName In ("a", "b")',
    'CmdLine = "a" AND CmdLine = "b"',
  ],
  invalid: [
    {
      code: 'TgtProcName = "a" AND TgtProcName = "b"',
      message: 'cannot be "a" and "b" at once',
      column: 23,
      endColumn: 40,
    },
    { code: 'TgtProcName = "a" AND TgtProcName = "A"', message: 'never matches', column: 23, endColumn: 40 },
    {
      code: 'EventType = "Login" AND EventType In ("Logout", "File Scan")',
      message: 'EventType cannot be',
      column: 25,
      endColumn: 61,
    },
  ],
});
