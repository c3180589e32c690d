import { rule } from '../../src/rules/invalid-regex.ts';
import { ruleTester } from '../rule-tester.ts';

ruleTester(rule, {
  valid: [
    'TgtProcCmdLine RegExp "(?i)^cmd\\.exe /c"',
    'TgtProcCmdLine RegExp "a(?:b|c)+[*+]"',
    'TgtProcCmdLine RegExp "(?=x)y"',
  ],
  invalid: [
    { code: 'TgtProcCmdLine RegExp "a(b"', message: 'Invalid regular expression', column: 23, endColumn: 28 },
    { code: 'TgtProcCmdLine RegExp "a++"', message: 'possessive quantifiers', column: 23, endColumn: 28 },
    { code: 'TgtProcCmdLine RegExp "abc\\Z"', message: '\\Z is not a JavaScript anchor', column: 23, endColumn: 30 },
    { code: 'TgtProcCmdLine RegExp "a(?i)b"', message: 'leading (?i)', column: 23, endColumn: 31 },
  ],
});
