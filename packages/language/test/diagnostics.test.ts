import { describe, expect, it } from 'vitest';
import { Codes, type Diagnostic, type Fix, parse } from '../src/index.ts';
import { applyFix, where } from './helpers.ts';

function first(text: string, code: string): Diagnostic {
  const { diagnostics } = parse(text);
  const found = diagnostics.find((d) => d.code === code);
  if (!found) throw new Error(`no ${code} for ${JSON.stringify(text)}: ${JSON.stringify(where(diagnostics))}`);
  return found;
}

function fixed(text: string, code: string): string {
  const d = first(text, code);
  if (!d.fix) throw new Error(`${code} has no fix`);
  return applyFix(text, d.fix);
}

function suggested(text: string, code: string, index = 0): string {
  const s = first(text, code).suggestions?.[index];
  if (!s) throw new Error(`${code} has no suggestion ${index}`);
  return applyFix(text, s);
}

describe('lexical diagnostics', () => {
  it('L101 unexpected character', () => {
    expect(where(parse('A = "1" & B = "2"').diagnostics)).toContain('1:9 L101');
  });

  it('L101 S1QL 2.0 // comments: read as comments so the rest parses, fixed to --', () => {
    const text = 'EventType = "Process Creation" // new processes\nAND TgtProcName = "a.exe"';
    const { ast, diagnostics } = parse(text);
    expect(where(diagnostics)).toEqual(['1:32 L101']);
    expect(ast.comments.map((c) => c.text)).toEqual([' new processes']);
    expect(ast.expr?.kind).toBe('And');
    expect(fixed(text, Codes.unexpectedCharacter)).toBe(text.replace('//', '--'));
    // Not a comment: a URL's slashes, or a UNC path written bare.
    expect(parse('Url Contains "http://evil.com/a"').diagnostics).toEqual([]);
    expect(parse('Url = http://evil.com').diagnostics.map((d) => d.code)).toEqual(['P215']);
  });

  it('L101 names an invisible character by its code point', () => {
    expect(parse('A = "1"\u200b AND B = "2"').diagnostics.map((d) => d.message)).toEqual([
      'Unexpected character "U+200B" (an invisible character).',
    ]);
  });

  it('L102 unterminated string, with a suggestion to close it', () => {
    const d = first('FileFullName Contains "rclone.conf', Codes.unterminatedString);
    expect(d.range.start).toMatchObject({ line: 1, column: 23 });
    expect(d.message).toContain('no closing quote');
    expect(suggested('FileFullName Contains "rclone.conf', Codes.unterminatedString)).toBe(
      'FileFullName Contains "rclone.conf"',
    );
    expect(parse('FileFullName Contains "rclone.conf"').diagnostics).toEqual([]);
  });

  it('L102 a last value missing its quote before the closing ) of the query: closed before the )', () => {
    const text = 'A In ("a", "b.exe)';
    expect(where(parse(text).diagnostics)).toEqual(['1:12 L102']);
    const out = suggested(text, Codes.unterminatedString);
    expect(out).toBe('A In ("a", "b.exe")');
    expect(parse(out).diagnostics).toEqual([]);
  });

  it('L102 names the trailing backslash when \\" swallowed the closing quote', () => {
    const d = first('TgtFilePath Contains "C:\\Temp\\"', Codes.unterminatedString);
    expect(d.message).toContain('cannot end with a backslash');
  });

  it('L103 typographic quotes, fixed to straight quotes', () => {
    const text = 'SrcProcCmdLine Contains Anycase “Invoke-Reflective”';
    expect(first(text, Codes.smartQuotes).range.start.column).toBe(33);
    expect(fixed(text, Codes.smartQuotes)).toBe('SrcProcCmdLine Contains Anycase "Invoke-Reflective"');
  });

  it('L103 a straight opening quote closed by a typographic one', () => {
    const text = 'A Contains Anycase "Program Data”';
    expect(fixed(text, Codes.smartQuotes)).toBe('A Contains Anycase "Program Data"');
  });

  it('L103 a straight opening quote closed by a typographic one, with more values after it', () => {
    // Read straight to straight, the value would run into the next one's opening quote.
    const text = 'TgtProcName Contains "x” AND EventType = "Process Creation"';
    expect(where(parse(text).diagnostics)).toEqual(['1:22 L103']);
    expect(fixed(text, Codes.smartQuotes)).toBe('TgtProcName Contains "x" AND EventType = "Process Creation"');
    // A closed value with a typographic quote inside, followed by what may follow a value, is that value.
    expect(parse('A = "he said ”hi” and left" AND B = "y"').diagnostics).toEqual([]);
  });

  it('L103 typographic single quotes', () => {
    expect(fixed('TgtProcName = ‘mimikatz.exe’', Codes.smartQuotes)).toBe('TgtProcName = "mimikatz.exe"');
  });

  it('L103 escapes a straight quote inside the rewritten value', () => {
    expect(fixed('A = “say "hi"”', Codes.smartQuotes)).toBe('A = "say \\"hi\\""');
  });

  it('L104 single-quoted value, fixed to double quotes (escaping inner double quotes)', () => {
    expect(fixed("A = 'x'", Codes.singleQuotes)).toBe('A = "x"');
    expect(fixed(`A = 'a"b'`, Codes.singleQuotes)).toBe('A = "a\\"b"');
  });

  it('L103/L104 offer no fix for a value ending in a backslash (no double-quoted S1QL value can)', () => {
    for (const [text, code] of [
      ["TgtFilePath = 'C:\\Temp\\'", Codes.singleQuotes],
      ['TgtFilePath = \u201cC:\\Temp\\\u201d', Codes.smartQuotes],
    ] as const) {
      const d = first(text, code);
      expect(d.fix).toBeUndefined();
      expect(d.message).toContain('ends in a backslash');
    }
    expect(fixed("TgtFilePath = 'C:\\Temp'", Codes.singleQuotes)).toBe('TgtFilePath = "C:\\Temp"');
  });

  it('L105 points at the \\" that made a value run on', () => {
    const text = 'TgtFilePath Contains "C:\\Temp\\" AND EventType = "File Creation"';
    const d = first(text, Codes.backslashQuote);
    expect(d.range.start.column).toBe(30);
    expect(d.message).toContain('cannot end with a backslash');
  });

  it('L102 a value missing its closing quote before more clauses: reported once, where it is, and the rest parses', () => {
    for (const [text, at, closed] of [
      [
        'TgtProcName = "cmd.exe AND EventType = "Process Creation"',
        '1:15 L102',
        'TgtProcName = "cmd.exe" AND EventType = "Process Creation"',
      ],
      ['A = "1"\nAND B = "x\nOR C = "y"', '2:9 L102', 'A = "1"\nAND B = "x"\nOR C = "y"'],
      ['A In ("a.exe, "b.exe")', '1:7 L102', 'A In ("a.exe", "b.exe")'],
      ['A In ("a.exe", "b.exe) AND B = "x"', '1:16 L102', 'A In ("a.exe", "b.exe") AND B = "x"'],
    ] as const) {
      expect(where(parse(text).diagnostics), text).toEqual([at]);
      const d = first(text, Codes.unterminatedString);
      expect(suggested(text, Codes.unterminatedString), text).toBe(closed);
      expect(d.message).toContain('no closing quote');
      expect(parse(closed).diagnostics).toEqual([]);
    }
    // A value glued to AND after its closing quote is fine.
    expect(parse('A = "1"AND B = "x AND y"').diagnostics).toEqual([]);
  });

  it('L105 a value ending in \\" before more clauses: the one finding, the rest parses', () => {
    const text = 'SrcProcCmdLine Contains "\\\\127.0.0.1\\ADMIN$\\" AND EventType = "Process Creation"';
    expect(where(parse(text).diagnostics)).toEqual(['1:44 L105']);
    expect(suggested(text, Codes.backslashQuote)).toBe(
      'SrcProcCmdLine Contains "\\\\127.0.0.1\\ADMIN$" AND EventType = "Process Creation"',
    );
    expect(where(parse('A In ("C:\\a\\", "b")').diagnostics)).toEqual(['1:12 L105']);
  });
});

describe('syntax diagnostics', () => {
  it('P202 missing ) before more text is an error that names where the ( is, and suggests the )', () => {
    const text = '(A = "1" AND B = "2" , C = "3"';
    const d = first(text, Codes.missingCloseParen);
    expect(d.severity).toBe('error');
    expect(d.message).toBe('Missing ) to close the ( of `(A = "1" AND B = "2" , C…`.');
    expect(d.range.start.column).toBe(21);
    expect(suggested(text, Codes.missingCloseParen)).toBe('(A = "1" AND B = "2") , C = "3"');
  });

  it('P202 a group left open at the end of the query is a warning with a certain fix', () => {
    const text = '(A = "1" AND B = "2"';
    const d = first(text, Codes.missingCloseParen);
    expect(d.severity).toBe('warning');
    expect(d.range.start.column).toBe(21);
    expect(fixed(text, Codes.missingCloseParen)).toBe('(A = "1" AND B = "2")');
    expect(where(parse('A = "1" AND (B = "2" OR (C = "3"').diagnostics)).toEqual(['1:33 P202', '1:33 P202']);
  });

  it('P202 a list without its )', () => {
    expect(where(parse('A In ("x", "y"').diagnostics)).toEqual(['1:15 P202']);
  });

  it('P203 a ) with no (', () => {
    const text = 'A = "1" ) OR B = "2"';
    expect(where(parse(text).diagnostics)).toEqual(['1:9 P203']);
    expect(suggested(text, Codes.unmatchedCloseParen)).toBe('A = "1"  OR B = "2"');
  });

  it('P204 missing value after an operator', () => {
    expect(where(parse('EventType = AND B = "1"').diagnostics)).toEqual(['1:12 P204']);
    expect(where(parse('EventType =').diagnostics)).toEqual(['1:12 P204']);
    expect(where(parse('A In').diagnostics)).toEqual(['1:5 P204']);
    expect(first('A Between "1"', Codes.missingValue).message).toContain('second value');
    expect(first('A Between "1" And', Codes.missingValue).message).toContain('second value after And');
  });

  it('P205 missing operator, suggesting =', () => {
    const text = 'EventType "Process Creation"';
    expect(where(parse(text).diagnostics)).toEqual(['1:1 P205']);
    expect(suggested(text, Codes.missingOperator)).toBe('EventType = "Process Creation"');
    expect(first('A = "1" AND B', Codes.missingOperator).message).toContain('needs an operator');
  });

  it('P206 missing field', () => {
    expect(where(parse('= "x"').diagnostics)).toEqual(['1:1 P206']);
    expect(where(parse('A = "1" AND "x"').diagnostics)).toEqual(['1:13 P206']);
  });

  it('P206 a value after OR or AND: repeating the field and operator before it is suggested', () => {
    const text = 'TgtProcCmdLine Contains AnyCase "-enc" OR "-EncodedCommand"';
    expect(where(parse(text).diagnostics)).toEqual(['1:43 P206']);
    const out = suggested(text, Codes.missingField);
    expect(out).toBe('TgtProcCmdLine Contains AnyCase "-enc" OR TgtProcCmdLine Contains AnyCase "-EncodedCommand"');
    expect(parse(out).diagnostics).toEqual([]);
    // Nothing to repeat: no suggestion.
    expect(first('"x" OR "y"', Codes.missingField).suggestions).toBeUndefined();
  });

  it('P207 dangling AND / OR / NOT, removable', () => {
    expect(fixed('A = "1" AND', Codes.danglingLogical)).toBe('A = "1" ');
    expect(fixed('OR A = "1"', Codes.danglingLogical)).toBe(' A = "1"');
    expect(where(parse('A = "1" AND AND B = "2"').diagnostics)).toEqual(['1:9 P207']);
    expect(where(parse('(A = "1" OR)').diagnostics)).toEqual(['1:10 P207']);
    expect(where(parse('NOT').diagnostics)).toEqual(['1:1 P207']);
  });

  it('P208 two clauses with nothing between them', () => {
    const text = 'A = "1" B = "2"';
    expect(where(parse(text).diagnostics)).toEqual(['1:9 P208']);
    expect(suggested(text, Codes.missingLogical, 0)).toBe('A = "1" AND B = "2"');
    expect(suggested(text, Codes.missingLogical, 1)).toBe('A = "1" OR B = "2"');
  });

  it('P209 invalid operator spellings, fixed where the intent is certain', () => {
    expect(fixed('A In ContainsCIS ("x")', Codes.invalidOperator)).toBe('A In Contains AnyCase ("x")');
    expect(fixed('A In Contains CIS ("x")', Codes.invalidOperator)).toBe('A In Contains AnyCase ("x")');
    expect(fixed('A NotIn ("x")', Codes.invalidOperator)).toBe('A Not In ("x")');
    expect(fixed('A Not Contains "x"', Codes.invalidOperator)).toBe('A Does Not Contain "x"');
    expect(fixed('A == "x"', Codes.invalidOperator)).toBe('A = "x"');
    expect(fixed('A <> "x"', Codes.invalidOperator)).toBe('A != "x"');
    const like = first('A LIKE "x%"', Codes.invalidOperator);
    expect(like.fix).toBeUndefined();
    expect(like.message).toContain('no LIKE');
    expect(first('A In EndsWith ("x")', Codes.invalidOperator).message).toContain('no list form of EndsWith');
  });

  it('P209 negated case-insensitive and substring list forms: a fix only where 1.0 has the operator', () => {
    expect(fixed('A Not Contains AnyCase "x"', Codes.invalidOperator)).toBe('A Does Not ContainCIS "x"');
    expect(fixed('A Does Not Contain AnyCase "x"', Codes.invalidOperator)).toBe('A Does Not ContainCIS "x"');
    // `Not In AnyCase` has no 1.0 spelling: replacing NotIn by Not In alone would leave the query broken.
    for (const text of ['A NotIn AnyCase ("x")', 'A Not In Contains ("x")', 'A Not In Contains AnyCase ("x")']) {
      const { diagnostics } = parse(text);
      expect(
        diagnostics.map((d) => d.code),
        text,
      ).toEqual(['P209']);
      expect(diagnostics[0]?.fix, text).toBeUndefined();
      expect(diagnostics[0]?.message, text).toContain('NOT (Field In AnyCase');
    }
  });

  it('P209 negated forms 1.0 does not have: one finding that says how to negate, and the rest parses', () => {
    const cases: [string, string][] = [
      ['A Not StartsWith "x" AND B = "1"', 'no negated StartsWith'],
      ['A Does Not StartsWith "x"', 'no negated StartsWith'],
      ['A Not EndsWith AnyCase "x"', 'no negated EndsWith'],
      ['A Not RegExp "x"', 'no negated RegExp'],
      ['A Not Like "%x%"', 'no LIKE'],
      ['A Not Between "1" And "2"', 'NOT (A Between'],
      ['A Not = "x"', '!='],
    ];
    for (const [text, message] of cases) {
      const { diagnostics } = parse(text);
      expect(where(diagnostics), text).toEqual(['1:3 P209']);
      expect(diagnostics[0]?.message.replace('Field', 'A'), text).toContain(message);
    }
    // Not Exists is exactly Is Empty (true when the field is missing or ""): a certain fix.
    expect(fixed('A Not Exists AND B = "1"', Codes.invalidOperator)).toBe('A Is Empty AND B = "1"');
  });

  it('P207 a group whose first clause is gone: the leading OR or AND is removed, nothing else is reported', () => {
    const text = 'EventType = "x" AND (\n  -- TgtProcName = "a"\n  OR TgtProcName = "b"\n)';
    expect(where(parse(text).diagnostics)).toEqual(['3:3 P207']);
    const out = fixed(text, Codes.danglingLogical);
    expect(parse(out).diagnostics).toEqual([]);
    expect(where(parse('A = "1" AND (AND B = "2")').diagnostics)).toEqual(['1:14 P207']);
  });

  it('P209 a misspelt operator word: one finding with the nearest operator suggested, and the rest parses', () => {
    const cases: [string, string][] = [
      ['TgtProcName StartWith "x" AND A = "1"', 'TgtProcName StartsWith "x" AND A = "1"'],
      ['TgtProcName Contians "x"', 'TgtProcName Contains "x"'],
      ['TgtProcName ContainsAnyCase "x"', 'TgtProcName Contains AnyCase "x"'],
      ['TgtProcName InAnyCase ("a", "b")', 'TgtProcName In AnyCase ("a", "b")'],
      ['TgtProcName Equals "x"', 'TgtProcName = "x"'],
      ['TgtProcName Exist OR A = "1"', 'TgtProcName Exists OR A = "1"'],
    ];
    for (const [text, want] of cases) {
      const { diagnostics } = parse(text);
      expect(where(diagnostics), text).toEqual([`1:13 P209`]);
      // A guess, not a certainty: a suggestion, never an automatic fix.
      expect(diagnostics[0]?.fix, text).toBeUndefined();
      const out = suggested(text, Codes.invalidOperator);
      expect(out, text).toBe(want);
      expect(parse(out).diagnostics, out).toEqual([]);
    }
    // A word that is no operator's misspelling is left to the usual diagnostics.
    expect(parse('A Frobnicate "x"').diagnostics.map((d) => d.code)).not.toContain('P209');
  });

  it('P209 && and || from other query languages: AND and OR as a certain fix, and the query reads as meant', () => {
    for (const [text, want, at] of [
      ['A = "1" || B = "2"', 'A = "1" OR B = "2"', '1:9 P209'],
      ['A = "1" && B = "2"', 'A = "1" AND B = "2"', '1:9 P209'],
      ['A = "1"&&B = "2"', 'A = "1" AND B = "2"', '1:8 P209'],
    ] as const) {
      const { ast, diagnostics } = parse(text);
      expect(where(diagnostics), text).toEqual([at]);
      expect(diagnostics[0]?.message, text).toContain(want.includes('OR') ? 'OR' : 'AND');
      expect(ast.expr?.kind, text).toBe(want.includes(' OR ') ? 'Or' : 'And');
      const out = fixed(text, Codes.invalidOperator);
      expect(out, text).toBe(want);
      expect(parse(out).diagnostics, out).toEqual([]);
    }
    // One `|` is still a pipe, and a lone `&` still an unexpected character.
    expect(parse('A = "1" | limit 10').diagnostics.map((d) => d.code)).toEqual(['P210']);
    expect(where(parse('A = "1" & B = "2"').diagnostics)).toContain('1:9 L101');
  });

  it("P209 S1QL 2.0's Field = * is Field Exists: one finding, a certain fix, and the rest parses", () => {
    for (const [text, want] of [
      ['TgtProcCmdLine = * AND A = "1"', 'TgtProcCmdLine Exists AND A = "1"'],
      ['(TgtProcCmdLine = *)', '(TgtProcCmdLine Exists)'],
      ['TgtProcCmdLine =* -- any', 'TgtProcCmdLine Exists -- any'],
    ] as const) {
      const { ast, diagnostics } = parse(text);
      expect(
        diagnostics.map((d) => d.code).filter((c) => c !== 'L106'),
        text,
      ).toEqual(['P209']);
      expect(JSON.stringify(ast.expr), text).toContain('"exists"');
      expect(fixed(text, Codes.invalidOperator), text).toBe(want);
    }
    // A value that starts with * is a bare value, as before.
    expect(parse('TgtProcName = *mimikatz*').diagnostics.map((d) => d.code)).toContain('P215');
  });

  it('P209 ! for NOT where a clause starts, fixed to NOT; elsewhere it is an unexpected character', () => {
    const text = 'A = "1" AND !(B = "2" OR C = "3")';
    expect(where(parse(text).diagnostics)).toEqual(['1:13 P209']);
    expect(parse(text).ast.expr).toMatchObject({ kind: 'And', operands: [{}, { kind: 'Not' }] });
    const out = fixed(text, Codes.invalidOperator);
    expect(out).toBe('A = "1" AND NOT (B = "2" OR C = "3")');
    expect(parse(out).diagnostics).toEqual([]);
    expect(fixed('!B Exists', Codes.invalidOperator)).toBe('NOT B Exists');
    expect(where(parse('A ! "x"').diagnostics)).toContain('1:3 L101');
    expect(parse('A != "x"').diagnostics).toEqual([]);
  });

  it('P212 a list in square brackets: parentheses as a certain fix, and its values read as a list', () => {
    const text = 'TgtProcName In AnyCase ["a.exe", "b.exe"] AND A = "1"';
    const { ast, diagnostics } = parse(text);
    expect(where(diagnostics)).toEqual(['1:24 P212']);
    expect(JSON.stringify(ast.expr)).toContain('b.exe');
    const out = fixed(text, Codes.badList);
    expect(out).toBe('TgtProcName In AnyCase ("a.exe", "b.exe") AND A = "1"');
    expect(parse(out).diagnostics).toEqual([]);
    // Bare values inside are quoted by their own fixes, as in parentheses.
    expect(where(parse('A In [a.exe, b.exe]').diagnostics)).toEqual(['1:6 P212', '1:7 P215', '1:14 P215']);
    // A bracket anywhere else is an unexpected character, as before.
    expect(where(parse('A = "1" [').diagnostics)).toContain('1:9 L101');
    expect(where(parse('A In ["x" AND B = "1"').diagnostics)).toContain('1:6 L101');
  });

  it('P215 a value missing its opening quote: one finding where it is, the quote as a certain fix, the rest parses', () => {
    for (const [text, want] of [
      [
        'TgtProcName = cmd.exe" AND EventType = "Process Creation"',
        'TgtProcName = "cmd.exe" AND EventType = "Process Creation"',
      ],
      ['A In ("a.exe", b.exe")', 'A In ("a.exe", "b.exe")'],
      ['TgtFilePath = C:\\Temp\\x.exe"', 'TgtFilePath = "C:\\Temp\\x.exe"'],
    ] as const) {
      const { diagnostics } = parse(text);
      expect(
        diagnostics.map((d) => d.code),
        text,
      ).toEqual(['P215']);
      expect(diagnostics[0]?.message, text).toContain('opening quote');
      const out = fixed(text, Codes.unquotedValue);
      expect(out, text).toBe(want);
      expect(parse(out).diagnostics, out).toEqual([]);
    }
  });

  it('P215 words that are followed by an operator start a clause: they are not taken into a bare value', () => {
    const codes = (text: string) => parse(text).diagnostics.map((d) => d.code);
    expect(codes('A = b c = "d"')).not.toContain('P215');
    expect(codes('A = b\nC = "d"')).not.toContain('P215');
    expect(codes('A = b C Exists')).not.toContain('P215');
    // A list left open at the end: its values are still values, and the missing ) is reported once.
    expect(codes('A In (Process Creation, File Creation')).toEqual(['P215', 'P215', 'P202']);
  });

  it("P209 SQL's Is Null and Is Not Null: Is Empty and Is Not Empty suggested, and the query reads as meant", () => {
    for (const [text, want] of [
      ['TgtProcName Is Null AND A = "1"', 'TgtProcName Is Empty AND A = "1"'],
      ['TgtProcName Is Not NULL', 'TgtProcName Is Not Empty'],
    ] as const) {
      const { diagnostics } = parse(text);
      expect(where(diagnostics), text).toEqual([`1:${text.search(/null/i) + 1} P209`]);
      expect(diagnostics[0]?.message, text).toContain('no NULL');
      const out = suggested(text, Codes.invalidOperator);
      expect(out, text).toBe(want);
      expect(parse(out).diagnostics, out).toEqual([]);
    }
  });

  it('P209 negated operators written as one word: Does Not Contain suggested', () => {
    for (const [text, want] of [
      ['TgtProcName NotContains "a"', 'TgtProcName Does Not Contain "a"'],
      ['TgtProcName DoesNotContain "a"', 'TgtProcName Does Not Contain "a"'],
      ['TgtProcName NotContainsAnyCase "a"', 'TgtProcName Does Not ContainCIS "a"'],
    ] as const) {
      expect(where(parse(text).diagnostics), text).toEqual(['1:13 P209']);
      expect(suggested(text, Codes.invalidOperator), text).toBe(want);
    }
  });

  it('P201 at the end of the query is placed after its last word, not after trailing lines and comments', () => {
    expect(where(parse('A Is\n-- note\n\n').diagnostics)).toEqual(['1:5 P201']);
  });

  it('P210 PowerQuery pipes', () => {
    const d = first('A = "1" | columns A | limit 10', Codes.pipe);
    expect(d.range.start.column).toBe(9);
    expect(d.range.end.column).toBe(31);
    expect(d.message).toContain('PowerQuery');
  });

  it('P201: one message per place, offering only what can follow (In after Not, not the misspelt Not Contains)', () => {
    expect(
      parse('A Not Contain "x"')
        .diagnostics.filter((d) => d.code === 'P201')
        .map((d) => d.message),
    ).toEqual(['Expected In after "Not", found "Contain".']);
    expect(parse('A Is Not True').diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([
      'P201 Expected Empty after "Not", found "True".',
    ]);
  });

  it('P215 a bare word where a value goes is read as that value, with the quotes as a certain fix', () => {
    expect(where(parse('EndpointOS = windows AND A = "1"').diagnostics)).toEqual(['1:14 P215']);
    expect(fixed('EndpointOS = windows AND A = "1"', Codes.unquotedValue)).toBe('EndpointOS = "windows" AND A = "1"');
    expect(fixed('(TgtProcName Contains AnyCase evil)', Codes.unquotedValue)).toBe(
      '(TgtProcName Contains AnyCase "evil")',
    );
    const list = parse('A In (abc, "d", e)');
    expect(where(list.diagnostics)).toEqual(['1:7 P215', '1:17 P215']);
    // Not a value: a word followed by an operator starts a clause of its own.
    expect(parse('A = B = "1"').diagnostics.map((d) => d.code)).not.toContain('P215');
    expect(parse('A Exists B = "1"').diagnostics.map((d) => d.code)).not.toContain('P215');
  });

  it('P215 takes the whole bare run (paths, addresses, wildcards) after every operator that takes a value', () => {
    const cases: [string, string][] = [
      ['TgtFilePath = C:\\Windows\\cmd.exe AND A = "1"', 'TgtFilePath = "C:\\Windows\\cmd.exe" AND A = "1"'],
      ['SrcIP = 10.0.0.1', 'SrcIP = "10.0.0.1"'],
      ['TgtProcName = *mimikatz*', 'TgtProcName = "*mimikatz*"'],
      ['A In (*.exe, "b")', 'A In ("*.exe", "b")'],
      ['A ContainsCIS evil', 'A ContainsCIS "evil"'],
      ['A StartsWith evil OR B = "x"', 'A StartsWith "evil" OR B = "x"'],
      ['A Does Not Contain evil', 'A Does Not Contain "evil"'],
      ['A RegExp evil', 'A RegExp "evil"'],
      // Words on one line up to AND, OR, `)` or the end are one value: an enum value or a path with spaces.
      ['EventType = Process Creation AND A = "1"', 'EventType = "Process Creation" AND A = "1"'],
      ['TgtFilePath = C:\\Program Files\\x.exe', 'TgtFilePath = "C:\\Program Files\\x.exe"'],
      ['EventType In (Process Creation, "File Creation")', 'EventType In ("Process Creation", "File Creation")'],
    ];
    for (const [text, want] of cases) {
      // One finding for the run: the characters no token takes (`*`, `\\`, `:`) are not reported again.
      expect(
        parse(text)
          .diagnostics.filter((d) => d.severity === 'error')
          .map((d) => d.code),
        text,
      ).toEqual(['P215']);
      const out = fixed(text, Codes.unquotedValue);
      expect(out, text).toBe(want);
      expect(
        parse(out).diagnostics.filter((d) => d.severity === 'error'),
        out,
      ).toEqual([]);
    }
    // Quoting a run that ends in a backslash would escape the closing quote: no fix then.
    const slash = first('A = foo\\', Codes.unquotedValue);
    expect(slash.fix).toBeUndefined();
    expect(slash.message).toContain('cannot end in a backslash');
    // Numbers stay numbers; text glued to a closed string is not a bare value.
    for (const text of ['A = 5', 'A = -5 OR B > 3', 'A In (1, 2)']) expect(parse(text).diagnostics, text).toEqual([]);
    expect(parse('A = "x"y').diagnostics.map((d) => d.code)).not.toContain('P215');
  });

  it('P211 gives no fix when the operator has no field before it (part of a misspelt operator)', () => {
    for (const text of ['A In AnyCase Contains ("a")', 'A Not In In "x"']) {
      const shape = parse(text).diagnostics.filter((d) => d.code === Codes.operandShape);
      expect(shape.length, text).toBeGreaterThan(0);
      for (const d of shape) expect(d.fix, text).toBeUndefined();
    }
  });

  it('P211 operand shape: a single value for In is wrapped, a list for = becomes In', () => {
    expect(fixed('A In "x"', Codes.operandShape)).toBe('A In ("x")');
    expect(fixed('A = ("x", "y")', Codes.operandShape)).toBe('A In ("x", "y")');
    expect(fixed('A Exists "x"', Codes.operandShape)).toBe('A Exists');
  });

  it('P211 Between with a comma for And: one finding, And as a certain fix, read as the range', () => {
    const text = 'DstPort Between "1", "1024" AND A = "x"';
    const { ast, diagnostics } = parse(text);
    expect(where(diagnostics)).toEqual(['1:20 P211']);
    expect(JSON.stringify(ast.expr)).toContain('"Range"');
    const out = fixed(text, Codes.operandShape);
    expect(out).toBe('DstPort Between "1" And "1024" AND A = "x"');
    expect(parse(out).diagnostics).toEqual([]);
  });

  it('P211 values listed without their parentheses: no fix that wraps only the first', () => {
    for (const text of ['A In "x", "y"', 'A In "x", "y" AND B = "c"']) {
      const d = first(text, Codes.operandShape);
      expect(d.fix, text).toBeUndefined();
    }
  });

  it('P211 a list missing its (: one finding, the ( as a certain fix, and the list reads as meant', () => {
    const text = 'TgtProcName In AnyCase "a.exe", "b.exe") AND B = "c"';
    const { ast, diagnostics } = parse(text);
    expect(where(diagnostics)).toEqual(['1:24 P211']);
    expect(JSON.stringify(ast.expr)).toContain('b.exe');
    const out = fixed(text, Codes.operandShape);
    expect(out).toBe('TgtProcName In AnyCase ("a.exe", "b.exe") AND B = "c"');
    expect(parse(out).diagnostics).toEqual([]);
  });

  it('P212 a missing comma between list values, with the comma as a certain fix and nothing else reported', () => {
    const text = 'TgtProcName In ("a.exe" "b.exe")';
    expect(where(parse(text).diagnostics)).toEqual(['1:24 P212']);
    expect(fixed(text, Codes.badList)).toBe('TgtProcName In ("a.exe", "b.exe")');
  });

  it('P212 list values separated by semicolons: commas as a certain fix, one finding each, and the list reads as meant', () => {
    const text = 'TgtProcName In ("a.exe"; "b.exe";"c.exe") AND A = "1"';
    const { ast, diagnostics } = parse(text);
    expect(where(diagnostics)).toEqual(['1:24 P212', '1:33 P212']);
    expect(diagnostics[0]?.message).toContain('commas');
    const both = applyFix(applyFix(text, diagnostics[1]?.fix as Fix), diagnostics[0]?.fix as Fix);
    expect(both).toBe('TgtProcName In ("a.exe", "b.exe","c.exe") AND A = "1"');
    expect(parse(both).diagnostics).toEqual([]);
    expect(
      ast.expr?.kind === 'And' && ast.expr.operands[0]?.kind === 'Predicate' && ast.expr.operands[0].operand,
    ).toMatchObject({
      kind: 'List',
      items: [{ value: 'a.exe' }, { value: 'b.exe' }, { value: 'c.exe' }],
    });
    // Anywhere else a semicolon is still an unexpected character.
    expect(where(parse('A = "1"; B = "2"').diagnostics)).toEqual(['1:8 L101', '1:10 P208']);
    expect(where(parse('A = "1";').diagnostics)).toEqual(['1:8 L101']);
  });

  it('a comma next to AND or OR is reported once, as an unexpected character', () => {
    for (const [text, at] of [
      ['A = "1" AND, B = "2"', '1:12 L101'],
      ['A = "1" ,OR B = "2"', '1:9 L101'],
    ] as const) {
      const { ast, diagnostics } = parse(text);
      expect(where(diagnostics), text).toEqual([at]);
      expect(ast.expr?.kind, text).toBe(text.includes('OR') ? 'Or' : 'And');
    }
  });

  it('P212 empty lists and stray commas', () => {
    expect(where(parse('A In ()').diagnostics)).toEqual(['1:6 P212']);
    expect(fixed('A In ("x", )', Codes.badList)).toBe('A In ("x" )');
  });

  it('S301 dotted 2.0 field names, fixed to the 1.0 name', () => {
    expect(fixed('src.process.name = "x"', Codes.dottedField)).toBe('SrcProcName = "x"');
    expect(first('no.such.field = "x"', Codes.dottedField).fix).toBeUndefined();
  });

  it('S302 wildcards in = are literal: a warning with a rewrite suggestion', () => {
    const d = first('TgtProcName = "*mimikatz*"', Codes.wildcardInEquals);
    expect(d.severity).toBe('warning');
    expect(suggested('TgtProcName = "*mimikatz*"', Codes.wildcardInEquals)).toBe('TgtProcName Contains "mimikatz"');
    expect(suggested('TgtProcName = "mimi*"', Codes.wildcardInEquals)).toBe('TgtProcName StartsWith "mimi"');
    expect(suggested('TgtProcName = "%.exe"', Codes.wildcardInEquals)).toBe('TgtProcName EndsWith ".exe"');
    expect(where(parse('A In ("a*")').diagnostics)).toEqual(['1:7 S302']);
  });

  it('S302 leaves Windows environment variables alone: their % are text, not wildcards', () => {
    for (const text of ['TgtFilePath = "%TEMP%\\a.exe"', 'A In ("%APPDATA%", "%ProgramFiles(x86)%\\x")']) {
      expect(parse(text).diagnostics, text).toEqual([]);
    }
    // A wildcard next to one is still a wildcard, and the variable survives the rewrite.
    expect(suggested('TgtFilePath = "%TEMP%*"', Codes.wildcardInEquals)).toBe('TgtFilePath StartsWith "%TEMP%"');
  });
});

describe('every diagnostic', () => {
  it('has a range inside the text and a known code', () => {
    const known = new Set<string>([...Object.values(Codes)]);
    const texts = ['A = AND', '(((', ')))', '"', '“', "'", 'A = "1" | x', 'NOT NOT', 'A In (,,,)', ', , ,'];
    for (const text of texts) {
      for (const d of parse(text).diagnostics) {
        expect(known.has(d.code), d.code).toBe(true);
        expect(d.range.start.offset).toBeGreaterThanOrEqual(0);
        expect(d.range.end.offset).toBeLessThanOrEqual(text.length);
        expect(d.range.start.offset).toBeLessThanOrEqual(d.range.end.offset);
      }
    }
  });
});
