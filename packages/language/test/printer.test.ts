import { describe, expect, it } from 'vitest';
import { canonicalKey, parse, print, printCompact, quote, UnprintableValueError } from '../src/index.ts';

function fmt(text: string, width?: number): string {
  const { ast, diagnostics } = parse(text);
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return print(ast, width === undefined ? {} : { width });
}

describe('print', () => {
  it('writes catalog field spellings, canonical operators, upper-case keywords and quoted values', () => {
    expect(fmt('eventtype = "Process Creation" and tgtprocname containscis "a" or srcprocpid > 4')).toBe(
      '(EventType = "Process Creation" AND TgtProcName Contains AnyCase "a") OR SrcProcPID > "4"',
    );
    expect(fmt('A in contains anycase ("x","y") AND B startswithcis "c" AND C EndsWithCIS "d"')).toBe(
      'A In Contains AnyCase ("x", "y") AND B StartsWith AnyCase "c" AND C EndsWith AnyCase "d"',
    );
    expect(fmt('A does not containcis "x" and B not in ("y") and C between 1 and 2 and D is not empty')).toBe(
      'A Does Not ContainCIS "x" AND B Not In ("y") AND C Between "1" And "2" AND D Is Not Empty',
    );
  });

  it('keeps only the parentheses that are needed, plus those that make AND inside OR explicit', () => {
    expect(fmt('((A = "1")) AND ((B = "2" AND C = "3"))')).toBe('A = "1" AND B = "2" AND C = "3"');
    expect(fmt('(A = "1" OR B = "2") AND C = "3"')).toBe('(A = "1" OR B = "2") AND C = "3"');
    expect(fmt('A = "1" OR B = "2" AND C = "3"')).toBe('A = "1" OR (B = "2" AND C = "3")');
    expect(fmt('NOT (A = "1")')).toBe('NOT A = "1"');
    expect(fmt('NOT (A = "1" OR B = "2")')).toBe('NOT (A = "1" OR B = "2")');
  });

  it('escapes quotes inside values and keeps backslashes', () => {
    expect(fmt('A = "say \\"hi\\" C:\\Temp"')).toBe('A = "say \\"hi\\" C:\\Temp"');
  });

  it('breaks a long query one clause per line, nested groups indented', () => {
    const text =
      'EventType = "Process Creation" AND (TgtProcName In AnyCase ("powershell.exe", "pwsh.exe") OR TgtProcCmdLine Contains AnyCase "-enc") AND NOT SrcProcName = "explorer.exe"';
    expect(fmt(text, 60)).toBe(
      [
        'EventType = "Process Creation"',
        'AND (',
        '  TgtProcName In AnyCase ("powershell.exe", "pwsh.exe")',
        '  OR TgtProcCmdLine Contains AnyCase "-enc"',
        ')',
        'AND NOT SrcProcName = "explorer.exe"',
      ].join('\n'),
    );
  });

  it('breaks a list that does not fit, one value per line', () => {
    expect(fmt('TgtProcName In AnyCase ("aaaaaaaaaa.exe", "bbbbbbbbbb.exe", "cccccccccc.exe")', 40)).toBe(
      ['TgtProcName In AnyCase (', '  "aaaaaaaaaa.exe",', '  "bbbbbbbbbb.exe",', '  "cccccccccc.exe"', ')'].join('\n'),
    );
  });

  it('keeps -- comments: leading ones on top, others before the clause they precede', () => {
    expect(fmt('--Serv-U\n-- second\nA = "1" AND B = "2"')).toBe('--Serv-U\n-- second\nA = "1" AND B = "2"');
    expect(fmt('A = "1"\n-- why B\nAND B = "2"')).toBe('A = "1"\n-- why B\nAND B = "2"');
    expect(fmt('A = "1" -- end')).toBe('A = "1"\n-- end');
  });

  it('never drops a comment inside a clause or a group, and prints its output again unchanged', () => {
    const cases: [string, string][] = [
      ['SrcProcName In -- c\nContains ("a")', '-- c\nSrcProcName In Contains ("a")'],
      ['A = "1" AND (B = "2" -- c\n OR C = "3")', 'A = "1"\nAND (\n  B = "2"\n  -- c\n  OR C = "3"\n)'],
      ['(A = "1" OR B = "2" -- c\n) AND C = "3"', '(\n  A = "1"\n  OR B = "2"\n  -- c\n)\nAND C = "3"'],
      ['NOT -- n\n A = "1"', '-- n\nNOT A = "1"'],
      ['A In ("x", -- mid\n "y") AND B = "2"', '-- mid\nA In ("x", "y") AND B = "2"'],
      ['A = "1" AND B Between 1 -- b\n And 2', 'A = "1"\n-- b\nAND B Between "1" And "2"'],
    ];
    for (const [input, expected] of cases) {
      expect(fmt(input)).toBe(expected);
      expect(fmt(expected)).toBe(expected);
    }
  });

  it('is idempotent', () => {
    const once = fmt('a = "1" or (b = 2 and c In ("x")) -- c\n and not d exists', 30);
    expect(fmt(once, 30)).toBe(once);
  });
});

describe('printCompact', () => {
  it('writes one line without comments', () => {
    const { ast } = parse('-- label\nA = "1"\nAND\n  (B = "2" OR C = "3")');
    expect(printCompact(ast)).toBe('A = "1" AND (B = "2" OR C = "3")');
  });

  it('prints the same query as the canonical form', () => {
    const { ast } = parse('A = "1" OR B = "2" AND NOT C In ("x", "y")');
    expect(canonicalKey(parse(printCompact(ast)).ast.expr)).toBe(canonicalKey(ast.expr));
  });
});

describe('quote', () => {
  it('refuses a value ending in a backslash, which S1QL 1.0 cannot write', () => {
    expect(() => quote('C:\\Temp\\')).toThrow(UnprintableValueError);
    expect(quote('a"b\\c')).toBe('"a\\"b\\c"');
  });
});
