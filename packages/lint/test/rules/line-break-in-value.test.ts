import { applyEdits } from '@s1ql/language';
import { expect, it } from 'vitest';
import { rule } from '../../src/rules/line-break-in-value.ts';
import { ruleTester, run } from '../rule-tester.ts';

ruleTester(rule, {
  valid: ['X Contains "a b"', 'X In ("a",\n  "b")', 'X = "a" AND\nY = "b"', 'X RegExp "a\\\\nb"'],
  invalid: [
    { code: 'X Contains "powershell -enc\n  AAAA"', message: 'line break', column: 12, endLine: 2, endColumn: 8 },
    { code: 'X In ("a", "b\r\nc")', message: 'line break', column: 12, endLine: 2, endColumn: 3 },
  ],
});

it('suggests joining the lines with one space, the usual intent of a wrapped value', () => {
  const code = 'X Contains "powershell -enc\n    AAAA\n  BBBB"';
  const [finding] = run(rule, code);
  const join = finding?.suggestions?.[0];
  expect(join?.title).toContain('Join');
  expect(applyEdits(code, join?.edits ?? [])).toBe('X Contains "powershell -enc AAAA BBBB"');
});
