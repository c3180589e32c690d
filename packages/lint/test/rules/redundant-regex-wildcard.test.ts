import { expect, it } from 'vitest';
import { rule } from '../../src/rules/redundant-regex-wildcard.ts';
import { ruleTester, run } from '../rule-tester.ts';

ruleTester(rule, {
  valid: ['X RegExp "a.*b"', 'X RegExp ".*"', 'X RegExp "ab\\.*"'],
  invalid: [
    {
      code: 'X RegExp ".*mimikatz"',
      message: '.* is redundant: RegExp matches anywhere in the value.',
      column: 10,
      endColumn: 22,
    },
    { code: 'X RegExp "(?i)^.*a.b.*$"', message: '^.* and .*$ are redundant', column: 10, endColumn: 25 },
    { code: 'X RegExp "^.*a"', message: 'on a value of one line', column: 10, endColumn: 16 },
  ],
});

it('suggests the pattern without the wildcards', () => {
  const [m] = run(rule, 'X RegExp "(?i)^.*a.b.*$"');
  expect(m?.suggestions?.[0]?.edits[0]?.newText).toBe('"(?i)a.b"');
});
