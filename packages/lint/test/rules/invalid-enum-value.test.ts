import { rule } from '../../src/rules/invalid-enum-value.ts';
import { ruleTester } from '../rule-tester.ts';

ruleTester(rule, {
  valid: ['EventType = "process creation"', 'ObjectType In ("File", "registry")', 'EventType Contains "Proc"'],
  invalid: [
    {
      code: 'EventType = "Proccess Creation"',
      message: 'Did you mean "Process Creation"?',
      column: 13,
      endColumn: 32,
      output: 'EventType = "Process Creation"',
    },
    {
      code: 'ObjectType In ("file", "Scheduled Task")',
      message: '"Scheduled Task" is not a valid ObjectType value',
      column: 24,
      endColumn: 40,
      output: 'ObjectType In ("file", "scheduled_task")',
    },
    { code: 'EventType = "Nothing Like It"', message: 'is not a valid EventType value.', column: 13, endColumn: 30 },
  ],
});
