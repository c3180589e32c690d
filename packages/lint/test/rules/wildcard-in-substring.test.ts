import { rule } from '../../src/rules/wildcard-in-substring.ts';
import { ruleTester } from '../rule-tester.ts';

ruleTester(rule, {
  valid: [
    'X Contains "a*b"',
    'X = "a*"',
    'X RegExp "a*"',
    // Regression: %NAME% is a Windows environment variable written literally in command lines, not a wildcard.
    'X Contains "%APPDATA%"',
    'X StartsWith AnyCase "%temp%\\a.exe"',
    'X In Contains AnyCase ("%ProgramFiles(x86)%", "x")',
  ],
  invalid: [
    { code: 'X Contains "*powershell*"', message: 'matched literally', column: 12, endColumn: 26 },
    {
      code: 'X In Contains AnyCase ("a", "%temp")',
      message: 'In Contains AnyCase already matches part',
      column: 29,
      endColumn: 36,
    },
    { code: 'X Contains "%APPDATA%*"', message: 'matched literally', column: 12, endColumn: 24 },
  ],
});
