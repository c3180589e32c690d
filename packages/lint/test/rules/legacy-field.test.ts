import { rule } from '../../src/rules/legacy-field.ts';
import { ruleTester } from '../rule-tester.ts';

ruleTester(rule, {
  valid: ['TgtProcCmdLine Contains "x"', 'EndpointOS = "windows"'],
  invalid: [
    {
      code: 'CmdLine Contains "x"',
      message: 'prefer SrcProcCmdLine, SrcProcParentCmdLine, TgtProcCmdLine',
      column: 1,
      endColumn: 8,
    },
    { code: 'A = "1" AND AgentOS = "windows"', message: 'prefer EndpointOS', column: 13, endColumn: 20 },
  ],
});
