import { rule } from '../../src/rules/contradictory-and.ts';
import { ruleTester } from '../rule-tester.ts';

ruleTester(rule, {
  valid: [
    'TgtProcName = "a" OR TgtProcName = "b"',
    'EventType = "Login" AND EventType = "LOGIN"',
    'TgtProcName = "a" AND TgtProcName In ("a", "b")',
    'CmdLine = "a" AND CmdLine = "b"',
    // Regression: number fields compare numerically, quoted or not ("021" is 21).
    'DstPort = "021" AND DstPort = 21',
    'DstPort In ("443.0", "80") AND DstPort = "443"',
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
    // On a text field a bare number is its digits as written: "007" is not "7".
    { code: 'TgtProcName = 007 AND TgtProcName = "7"', message: 'never matches', column: 23, endColumn: 40 },
  ],
});
