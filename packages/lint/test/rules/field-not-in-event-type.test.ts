import { rule } from '../../src/rules/field-not-in-event-type.ts';
import { ruleTester } from '../rule-tester.ts';

ruleTester(rule, {
  valid: [
    'EventType = "Process Creation" AND TgtProcName = "a"',
    'TgtFilePath Contains "x"',
    'EventType = "Process Creation" OR TgtFilePath Contains "x"',
    'EventType = "Process Creation" AND NOT TgtFilePath Contains "x"',
    'EventType = "Proccess Creation" AND TgtFilePath Contains "x"',
  ],
  invalid: [
    {
      code: 'EventType = "Process Creation" AND TgtFilePath Contains "x"',
      message: 'TgtFilePath is not carried by process events',
      column: 36,
      endColumn: 47,
    },
    {
      code: 'ObjectType In ("File", "registry") AND (DnsRequest = "a" OR TgtFilePath = "b")',
      message: 'DnsRequest is not carried by file, registry events',
      column: 41,
      endColumn: 51,
    },
  ],
});
