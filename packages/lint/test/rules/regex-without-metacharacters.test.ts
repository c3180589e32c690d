import { parse } from '@s1ql/language';
import { describe, expect, it } from 'vitest';
import { meaningKey } from '../../src/index.ts';
import { rule } from '../../src/rules/regex-without-metacharacters.ts';
import { ruleTester } from '../rule-tester.ts';

ruleTester(rule, {
  valid: [
    'X RegExp "a.b"',
    'X RegExp "^abc"',
    'X RegExp "a\\\\b"',
    // Regression: RegExp is case-sensitive on an enum field, Contains is not ("PrOCess" matched after the fix).
    'EventType RegExp "process"',
    // Regression: Contains on a number field is an operator-type-mismatch error, so --fix added an error.
    'EventType = "IP Connect" AND DstPort RegExp "443"',
  ],
  invalid: [
    {
      code: 'X RegExp "mimikatz"',
      message: 'Contains "mimikatz" matches the same',
      column: 10,
      endColumn: 20,
      output: 'X Contains "mimikatz"',
    },
    {
      code: 'A = "1" AND X RegExp "(?i)lsass dump"',
      message: 'Contains AnyCase "lsass dump"',
      column: 22,
      endColumn: 38,
      output: 'A = "1" AND X Contains AnyCase "lsass dump"',
    },
    {
      // Regression: the fix was dropped as "would change what the query matches" when the pattern had capitals.
      code: 'X RegExp "(?i)MimiKatz"',
      message: 'Contains AnyCase "MimiKatz"',
      column: 10,
      endColumn: 24,
      output: 'X Contains AnyCase "MimiKatz"',
    },
    {
      code: 'EventType RegExp "(?i)Process"',
      message: 'Contains AnyCase "Process"',
      column: 18,
      endColumn: 31,
      output: 'EventType Contains AnyCase "Process"',
    },
  ],
});

describe('meaningKey of a RegExp without metacharacters', () => {
  const key = (text: string) => meaningKey(parse(text).ast.expr);
  it('is not the Contains key on an enum field, where Contains ignores case', () => {
    expect(key('EventType RegExp "process"')).not.toBe(key('EventType Contains "process"'));
  });
  it('is the Contains AnyCase key for a (?i) pattern, whatever its case', () => {
    expect(key('X RegExp "(?i)MimiKatz"')).toBe(key('X Contains AnyCase "mimikatz"'));
  });
});
