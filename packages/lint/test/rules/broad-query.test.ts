import { rule } from '../../src/rules/broad-query.ts';
import { ruleTester } from '../rule-tester.ts';

ruleTester(rule, {
  valid: [
    'EventType = "Process Creation" AND TgtProcName = "a"',
    'ObjectType In ("file") AND X = "1"',
    '(EventType = "Login" OR ObjectType = "dns") AND X = "1"',
  ],
  invalid: [
    { code: 'TgtProcName = "a"', message: 'No EventType or ObjectType restriction', column: 1, endColumn: 18 },
    { code: 'EventType = "Login" OR X = "1"', message: 'No EventType', column: 1, endColumn: 31 },
    { code: 'NOT EventType = "Login" AND X != "1"', message: 'only negative conditions', column: 1, endColumn: 37 },
  ],
});
