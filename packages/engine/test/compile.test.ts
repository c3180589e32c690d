import { parse } from '@s1ql/language';
import { describe, expect, it } from 'vitest';
import { compile, translateRegex } from '../src/index.ts';
import { compiled, compileText, matches } from './helpers.ts';

describe('reading fields', () => {
  it('matches keys case-insensitively (DstIP reads dstIp, SrcProcPID reads srcProcPid)', () => {
    expect(matches('DstIP = "10.0.0.1"', { dstIp: '10.0.0.1' })).toBe(true);
    expect(matches('SrcProcPID = "42"', { srcProcPid: '42' })).toBe(true);
    expect(matches('srcprocname = "a.exe"', { SRCPROCNAME: 'a.exe' })).toBe(true);
  });

  it('keeps up when events change shape (the cached key is only a hint)', () => {
    const q = compiled('DstIP = "1"');
    expect(q.test({ dstIp: '1' })).toBe(true);
    expect(q.test({ DSTIP: '1' })).toBe(true);
    expect(q.test({ dstIp: '2' })).toBe(false);
    expect(q.test({ dstip: '1' })).toBe(true);
    expect(q.test({ other: '1' })).toBe(false);
    expect(q.test({ dstIp: null, x: 1 })).toBe(false);
  });

  it('reads unknown fields like any other key, as strings', () => {
    expect(matches('MyCustomThing = "x"', { myCustomThing: 'x' })).toBe(true);
    expect(matches('MyCustomThing Contains "2"', { mycustomthing: 123 })).toBe(true);
    expect(matches('MyCustomThing = "X"', { myCustomThing: 'x' })).toBe(false);
  });

  it('does not read inherited properties', () => {
    expect(matches('Constructor Exists', {})).toBe(false);
    expect(matches('HasOwnProperty Is Empty', {})).toBe(true);
  });
});

describe('missing fields', () => {
  const missing = [{}, { srcProcName: null }];
  it('every operator but Is Empty is false, negative ones included', () => {
    for (const event of missing) {
      for (const q of [
        'SrcProcName = "a"',
        'SrcProcName != "a"',
        'SrcProcName In ("a")',
        'SrcProcName Not In ("a")',
        'SrcProcName Contains "a"',
        'SrcProcName Does Not Contain "a"',
        'SrcProcName Does Not ContainCIS "a"',
        'SrcProcName RegExp ".*"',
        'SrcProcName Is Not Empty',
        'SrcProcName Exists',
        'ChildProcCount > "0"',
        'ChildProcCount < "100"',
        'SrcProcIsNative64Bit Is True',
        'SrcProcIsNative64Bit Is False',
      ]) {
        expect(matches(q, event), `${q} on ${JSON.stringify(event)}`).toBe(false);
      }
      expect(matches('SrcProcName Is Empty', event)).toBe(true);
      expect(matches('NOT SrcProcName != "a"', event)).toBe(true);
    }
  });

  it('an empty string is present', () => {
    const event = { srcProcName: '' };
    expect(matches('SrcProcName Is Empty', event)).toBe(true);
    expect(matches('SrcProcName Is Not Empty', event)).toBe(false);
    expect(matches('SrcProcName Exists', event)).toBe(false);
    expect(matches('SrcProcName != "a"', event)).toBe(true);
    expect(matches('SrcProcName = ""', event)).toBe(true);
    expect(matches('SrcProcName Does Not Contain "a"', event)).toBe(true);
  });
});

describe('string operators and case', () => {
  const e = { srcProcName: 'PowerShell.exe', srcProcCmdLine: 'powershell -EncodedCommand AAA' };
  it('= and != are case-sensitive on string fields', () => {
    expect(matches('SrcProcName = "PowerShell.exe"', e)).toBe(true);
    expect(matches('SrcProcName = "powershell.exe"', e)).toBe(false);
    expect(matches('SrcProcName != "powershell.exe"', e)).toBe(true);
    expect(matches('SrcProcName != "PowerShell.exe"', e)).toBe(false);
  });

  it('In / Not In are sensitive, In AnyCase is not', () => {
    expect(matches('SrcProcName In ("a", "PowerShell.exe")', e)).toBe(true);
    expect(matches('SrcProcName In ("a", "powershell.exe")', e)).toBe(false);
    expect(matches('SrcProcName Not In ("a", "powershell.exe")', e)).toBe(true);
    expect(matches('SrcProcName Not In ("PowerShell.exe")', e)).toBe(false);
    expect(matches('SrcProcName In AnyCase ("a", "POWERSHELL.EXE")', e)).toBe(true);
    expect(matches('SrcProcName In AnyCase ("a", "powershell")', e)).toBe(false);
  });

  it('In Contains and In Contains AnyCase look for any substring', () => {
    expect(matches('SrcProcCmdLine In Contains ("zzz", "-Encoded")', e)).toBe(true);
    expect(matches('SrcProcCmdLine In Contains ("zzz", "-encoded")', e)).toBe(false);
    expect(matches('SrcProcCmdLine In Contains AnyCase ("zzz", "-encoded")', e)).toBe(true);
    expect(matches('SrcProcCmdLine In Contains AnyCase ("zzz", "yyy")', e)).toBe(false);
  });

  it('Contains, ContainsCIS, Contains AnyCase, Does Not Contain, Does Not ContainCIS', () => {
    expect(matches('SrcProcCmdLine Contains "-Enc"', e)).toBe(true);
    expect(matches('SrcProcCmdLine Contains "-enc"', e)).toBe(false);
    expect(matches('SrcProcCmdLine ContainsCIS "-enc"', e)).toBe(true);
    expect(matches('SrcProcCmdLine Contains AnyCase "-ENC"', e)).toBe(true);
    expect(matches('SrcProcCmdLine Does Not Contain "-enc"', e)).toBe(true);
    expect(matches('SrcProcCmdLine Does Not Contain "-Enc"', e)).toBe(false);
    expect(matches('SrcProcCmdLine Does Not ContainCIS "-enc"', e)).toBe(false);
    expect(matches('SrcProcCmdLine Does Not ContainCIS "-xyz"', e)).toBe(true);
  });

  it('StartsWith / EndsWith and their insensitive spellings', () => {
    expect(matches('SrcProcName StartsWith "Power"', e)).toBe(true);
    expect(matches('SrcProcName StartsWith "power"', e)).toBe(false);
    expect(matches('SrcProcName StartsWithCIS "power"', e)).toBe(true);
    expect(matches('SrcProcName StartsWith AnyCase "POWER"', e)).toBe(true);
    expect(matches('SrcProcName EndsWith ".exe"', e)).toBe(true);
    expect(matches('SrcProcName EndsWith ".EXE"', e)).toBe(false);
    expect(matches('SrcProcName EndsWithCIS ".EXE"', e)).toBe(true);
    expect(matches('SrcProcName EndsWith AnyCase ".EXE"', e)).toBe(true);
    expect(matches('SrcProcName EndsWith AnyCase ".dll"', e)).toBe(false);
  });

  it('insensitive means Unicode lower-casing of both sides', () => {
    expect(matches('SrcProcName ContainsCIS "Ü"', { srcProcName: 'grüße' })).toBe(true);
    expect(matches('SrcProcName Contains "Ü"', { srcProcName: 'grüße' })).toBe(false);
    expect(matches('SrcProcName In AnyCase ("ÄÖÜ")', { srcProcName: 'äöü' })).toBe(true);
    // toLowerCase, not case folding: ß does not become ss.
    expect(matches('SrcProcName In AnyCase ("STRASSE")', { srcProcName: 'straße' })).toBe(false);
  });

  it('enum fields compare case-insensitively under every string operator', () => {
    const ev = { eventType: 'Process Creation', endpointOs: 'windows', objectType: 'process' };
    expect(matches('EventType = "process creation"', ev)).toBe(true);
    expect(matches('EventType != "PROCESS CREATION"', ev)).toBe(false);
    expect(matches('EventType In ("x", "PROCESS creation")', ev)).toBe(true);
    expect(matches('EventType Not In ("process creation")', ev)).toBe(false);
    expect(matches('EndpointOS = "Windows"', ev)).toBe(true);
    expect(matches('ObjectType Contains "PROC"', ev)).toBe(true);
    expect(matches('ObjectType StartsWith "PRO"', ev)).toBe(true);
    expect(matches('ObjectType Does Not Contain "PROC"', ev)).toBe(false);
  });

  it('RegExp keeps its own case rule on enum fields', () => {
    const ev = { eventType: 'Process Creation' };
    expect(matches('EventType RegExp "process"', ev)).toBe(false);
    expect(matches('EventType RegExp "(?i)process"', ev)).toBe(true);
    expect(matches('EventType RegExp "Process"', ev)).toBe(true);
  });

  it('non-string values compare through their string form', () => {
    expect(matches('SrcProcName = "123"', { srcProcName: 123 })).toBe(true);
    expect(matches('SrcProcName = 123', { srcProcName: '123' })).toBe(true);
    expect(matches('SrcProcName Contains "ru"', { srcProcName: true })).toBe(true);
    expect(matches('SrcProcName = 007', { srcProcName: '007' })).toBe(true);
    expect(matches('SrcProcName = 007', { srcProcName: '7' })).toBe(false);
  });
});

describe('RegExp', () => {
  it('matches anywhere, anchors with ^ and $', () => {
    const e = { tgtProcCmdLine: 'cmd.exe /c whoami' };
    expect(matches('TgtProcCmdLine RegExp "who"', e)).toBe(true);
    expect(matches('TgtProcCmdLine RegExp "^who"', e)).toBe(false);
    expect(matches('TgtProcCmdLine RegExp "^cmd\\.exe"', e)).toBe(true);
    expect(matches('TgtProcCmdLine RegExp "WHOAMI$"', e)).toBe(false);
    expect(matches('TgtProcCmdLine RegExp "(?i)WHOAMI$"', e)).toBe(true);
    expect(matches('TgtProcCmdLine RegExp "(?<=/c )\\w+"', e)).toBe(true);
  });

  it('is case-sensitive unless the pattern starts with (?i)', () => {
    expect(matches('TgtProcName RegExp "A"', { tgtProcName: 'a' })).toBe(false);
    expect(matches('TgtProcName RegExp "(?i)A"', { tgtProcName: 'a' })).toBe(true);
  });

  it('reads a Windows path pattern with literal backslashes', () => {
    expect(
      matches('TgtFilePath RegExp "C:\\\\Windows\\\\Temp\\\\.*\\.ps1$"', { tgtFilePath: 'C:\\Windows\\Temp\\x.ps1' }),
    ).toBe(true);
  });

  it('refuses patterns JavaScript cannot express faithfully, with E601 on the pattern', () => {
    const refused = [
      'a*+',
      'a++',
      'a?+',
      'a{2}+',
      '(?>abc)',
      'abc\\Z',
      '\\Aabc',
      'abc\\z',
      '\\Gx',
      '\\Qa.b\\E',
      '\\p{L}+',
      '\\P{Lu}',
      '\\h+',
      'a(?i)b',
      '(?s)a.b',
      '(?m)^a',
      '(?-i)a',
      '(?i:a)b',
      '(?i)(?i)a',
      '(?#comment)a',
      '(?P<n>a)',
      '[[:alpha:]]+',
      '[]a]',
      '\\1(a)',
      '\\01',
      '\\x4',
      '\\u{41}',
      '\\k<x>',
      'a{,3}',
      '(unclosed',
    ];
    for (const pattern of refused) {
      const text = `TgtProcCmdLine RegExp "${pattern}"`;
      const result = compileText(text);
      expect(result.ok, pattern).toBe(false);
      expect(result.diagnostics.map((d) => d.code)).toEqual(['E601']);
      const range = result.diagnostics[0]?.range;
      // The range is the quoted pattern.
      expect(text.slice(range?.start.offset, range?.end.offset)).toBe(`"${pattern}"`);
    }
  });

  it('refuses a trailing backslash (reachable only through an AST or translateRegex)', () => {
    expect(translateRegex('a\\')).toEqual({ ok: false, reason: 'it ends with a backslash' });
  });

  it('accepts the common syntax', () => {
    for (const pattern of [
      '^a.*b$',
      '(a|b)+?c{1,3}',
      '[^\\\\/]+\\.exe',
      '\\d{1,3}(\\.\\d{1,3}){3}',
      '(?:x)(?=y)(?!z)(?<!w)',
      '(?<n>a)\\k<n>',
      '(a)\\1',
      '\\x41\\u0041\\cA\\0',
      'a{',
      '[\\b]',
      '',
    ]) {
      expect(compileText(`TgtProcCmdLine RegExp "${pattern}"`).ok, pattern).toBe(true);
    }
  });
});

describe('numbers', () => {
  it('compare numerically on number fields, numbers or numeric strings', () => {
    for (const value of [5, '5', '5.0', '05', '5e0']) {
      const e = { childProcCount: value };
      expect(matches('ChildProcCount = "5"', e), String(value)).toBe(true);
      expect(matches('ChildProcCount = 5', e)).toBe(true);
      expect(matches('ChildProcCount In ("4", "5")', e)).toBe(true);
      expect(matches('ChildProcCount > "4"', e)).toBe(true);
      expect(matches('ChildProcCount >= "5"', e)).toBe(true);
      expect(matches('ChildProcCount < "5"', e)).toBe(false);
      expect(matches('ChildProcCount <= "5"', e)).toBe(true);
      expect(matches('ChildProcCount != "5"', e)).toBe(false);
    }
    expect(matches('ChildProcCount > 10', { childProcCount: '9' })).toBe(false);
    expect(matches('ChildProcCount > 10', { childProcCount: '100' })).toBe(true);
  });

  it('Between is inclusive at both ends', () => {
    expect(matches('DstPort Between "1" And "5"', { dstPort: 1 })).toBe(true);
    expect(matches('DstPort Between "1" And "5"', { dstPort: '5' })).toBe(true);
    expect(matches('DstPort Between "1" And "5"', { dstPort: '5.5' })).toBe(false);
    expect(matches('DstPort Between "1" And "5"', { dstPort: 0 })).toBe(false);
  });

  it('non-numeric event values fail positive comparisons and pass != (they are present)', () => {
    const e = { childProcCount: 'many' };
    expect(matches('ChildProcCount = 5', e)).toBe(false);
    expect(matches('ChildProcCount > 5', e)).toBe(false);
    expect(matches('ChildProcCount != 5', e)).toBe(true);
    expect(matches('ChildProcCount Not In (5)', e)).toBe(true);
    expect(matches('ChildProcCount > 5', { childProcCount: '' })).toBe(false);
    expect(matches('ChildProcCount > 5', { childProcCount: true })).toBe(false);
  });

  it('string operators still see the text on number fields', () => {
    expect(matches('ChildProcCount Contains "2"', { childProcCount: 123 })).toBe(true);
    expect(matches('ChildProcCount StartsWith "0"', { childProcCount: '05' })).toBe(true);
  });

  it('refuses operands that are not numbers on number fields (E603, on the operand)', () => {
    for (const [text, bad] of [
      ['ChildProcCount = "five"', '"five"'],
      ['ChildProcCount > "0x10"', '"0x10"'],
      ['ChildProcCount In ("1", "two")', '"two"'],
      ['ChildProcCount Between "1" And ""', '""'],
    ] as const) {
      const result = compileText(text);
      expect(result.ok, text).toBe(false);
      expect(result.diagnostics.map((d) => d.code)).toEqual(['E603']);
      const range = result.diagnostics[0]?.range;
      expect(text.slice(range?.start.offset, range?.end.offset)).toBe(bad);
    }
  });

  it('orders numerically on untyped fields when the bound is a number', () => {
    expect(matches('MyCount > "10"', { myCount: '9' })).toBe(false);
    expect(matches('MyCount > "10"', { myCount: '11' })).toBe(true);
    expect(compileText('MyCount > "ten"').ok).toBe(false);
  });
});

describe('timestamps', () => {
  it('compare as instants at millisecond precision, microseconds truncated', () => {
    const e = { eventTime: '2024-03-01T12:00:00.123456Z' };
    expect(matches('EventTime = "2024-03-01T12:00:00.123Z"', e)).toBe(true);
    expect(matches('EventTime = "2024-03-01T12:00:00.123999Z"', e)).toBe(true);
    expect(matches('EventTime = "2024-03-01T13:00:00.123+01:00"', e)).toBe(true);
    expect(matches('EventTime = "2024-03-01T12:00:00.124Z"', e)).toBe(false);
    expect(matches('EventTime > "2024-03-01T12:00:00.122999Z"', e)).toBe(true);
    expect(matches('EventTime < "2024-03-01T12:00:00.123Z"', e)).toBe(false);
    expect(matches('EventTime <= "2024-03-01T12:00:00.123Z"', e)).toBe(true);
    expect(matches(`EventTime = "${Date.UTC(2024, 2, 1, 12, 0, 0, 123)}"`, e)).toBe(true);
    expect(matches('EventTime Between "2024-03-01" And "2024-03-02"', e)).toBe(true);
    expect(matches('EventTime Between "2024-03-02" And "2024-03-03"', e)).toBe(false);
  });

  it('reads epoch-millisecond event values and offsets in events', () => {
    const ms = Date.UTC(2024, 0, 1);
    expect(matches('EventTime = "2024-01-01T00:00:00Z"', { eventTime: ms })).toBe(true);
    expect(matches('EventTime = "2024-01-01T00:00:00Z"', { eventTime: String(ms) })).toBe(true);
    expect(matches('EventTime = "2024-01-01T00:00:00Z"', { eventTime: '2023-12-31T19:00:00-05:00' })).toBe(true);
    expect(matches('EventTime > "2024-01-01T00:00:00Z"', { eventTime: 'soon' })).toBe(false);
  });

  it('refuses operands that are not timestamps (E603)', () => {
    const result = compileText('EventTime > "last tuesday"');
    expect(result.ok).toBe(false);
    expect(result.diagnostics[0]?.code).toBe('E603');
  });

  it('orders by instant on untyped fields when the bound is a timestamp', () => {
    expect(matches('CreatedAt > "2024-01-01T00:00:00Z"', { createdAt: '2024-01-01T00:00:00.001Z' })).toBe(true);
    expect(matches('CreatedAt > "2024-01-01T00:00:00Z"', { createdAt: '2023-12-31T23:59:59.999Z' })).toBe(false);
  });
});

describe('booleans', () => {
  it('true/"true"/"True" and false/"false"/"False"; anything else is neither', () => {
    const t = 'SrcProcIsNative64Bit Is True';
    const f = 'SrcProcIsNative64Bit Is False';
    for (const v of [true, 'true', 'True']) {
      expect(matches(t, { srcProcIsNative64Bit: v })).toBe(true);
      expect(matches(f, { srcProcIsNative64Bit: v })).toBe(false);
    }
    for (const v of [false, 'false', 'False']) {
      expect(matches(t, { srcProcIsNative64Bit: v })).toBe(false);
      expect(matches(f, { srcProcIsNative64Bit: v })).toBe(true);
    }
    for (const v of ['TRUE', 'yes', 1, 0, '', null]) {
      expect(matches(t, { srcProcIsNative64Bit: v }), String(v)).toBe(false);
      expect(matches(f, { srcProcIsNative64Bit: v }), String(v)).toBe(false);
    }
  });
});

describe('shortcut fields', () => {
  // CmdLine = SrcProcCmdLine, SrcProcParentCmdLine, TgtProcCmdLine
  it('a positive operator matches when any present member matches', () => {
    expect(matches('CmdLine Contains "evil"', { tgtProcCmdLine: 'run evil' })).toBe(true);
    expect(matches('CmdLine Contains "evil"', { srcProcCmdLine: 'ok', srcProcParentCmdLine: 'evil' })).toBe(true);
    expect(matches('CmdLine Contains "evil"', { srcProcCmdLine: 'ok' })).toBe(false);
    expect(matches('CmdLine Contains "evil"', {})).toBe(false);
    expect(matches('CmdLine Exists', { tgtProcCmdLine: 'x' })).toBe(true);
    expect(matches('CmdLine Exists', { tgtProcCmdLine: '', srcProcCmdLine: null })).toBe(false);
  });

  it('a negative operator needs a present member and no present member matching', () => {
    expect(matches('CmdLine Does Not Contain "evil"', { srcProcCmdLine: 'ok' })).toBe(true);
    expect(matches('CmdLine Does Not Contain "evil"', { srcProcCmdLine: 'ok', tgtProcCmdLine: 'evil' })).toBe(false);
    expect(matches('CmdLine Does Not Contain "evil"', {})).toBe(false);
    expect(matches('CmdLine Does Not Contain "evil"', { srcProcCmdLine: null })).toBe(false);
    expect(matches('CmdLine != "a"', { srcProcCmdLine: 'b', tgtProcCmdLine: 'c' })).toBe(true);
    expect(matches('CmdLine != "a"', { srcProcCmdLine: 'b', tgtProcCmdLine: 'a' })).toBe(false);
    expect(matches('CmdLine Not In ("a", "b")', { srcProcCmdLine: 'c' })).toBe(true);
    expect(matches('CmdLine Not In ("a", "b")', { srcProcCmdLine: 'c', srcProcParentCmdLine: 'b' })).toBe(false);
    expect(matches('CmdLine Does Not ContainCIS "EVIL"', { srcProcCmdLine: 'Evil' })).toBe(false);
  });

  it('Is Empty is true when every member is empty', () => {
    expect(matches('CmdLine Is Empty', {})).toBe(true);
    expect(matches('CmdLine Is Empty', { srcProcCmdLine: '', tgtProcCmdLine: null })).toBe(true);
    expect(matches('CmdLine Is Empty', { srcProcCmdLine: '', tgtProcCmdLine: 'x' })).toBe(false);
    expect(matches('CmdLine Is Not Empty', { srcProcCmdLine: '', tgtProcCmdLine: 'x' })).toBe(true);
  });

  it('IP reads DstIP and SrcIP whatever their casing', () => {
    expect(matches('IP = "10.0.0.1"', { srcIp: '10.0.0.1' })).toBe(true);
    expect(matches('IP = "10.0.0.1"', { DSTIP: '10.0.0.1' })).toBe(true);
    expect(matches('IP != "10.0.0.1"', { dstIp: '10.0.0.2', srcIp: '10.0.0.1' })).toBe(false);
  });
});

describe('logic and explain', () => {
  const e = { eventType: 'Process Creation', tgtProcName: 'cmd.exe', endpointOs: 'windows' };
  it('AND, OR and NOT combine predicates with NOT > AND > OR', () => {
    expect(matches('EventType = "Process Creation" AND TgtProcName = "cmd.exe"', e)).toBe(true);
    expect(matches('EventType = "x" OR TgtProcName = "cmd.exe"', e)).toBe(true);
    expect(matches('EventType = "x" OR TgtProcName = "x" AND EndpointOS = "windows"', e)).toBe(false);
    expect(matches('(EventType = "x" OR TgtProcName = "cmd.exe") AND EndpointOS = "windows"', e)).toBe(true);
    expect(matches('NOT TgtProcName = "cmd.exe"', e)).toBe(false);
    expect(matches('NOT NOT TgtProcName = "cmd.exe"', e)).toBe(true);
    expect(matches('EventType = "x" OR EventType = "y" OR EventType = "z" OR TgtProcName = "cmd.exe"', e)).toBe(true);
    expect(
      matches('EndpointOS = "windows" AND EndpointOS = "windows" AND EndpointOS = "windows" AND TgtProcName = "x"', e),
    ).toBe(false);
  });

  it('names the predicate that decided the outcome', () => {
    const q = compiled('EventType = "Process Creation" AND TgtProcName = "x.exe" AND EndpointOS = "windows"');
    const failed = q.explain(e);
    expect(failed.matched).toBe(false);
    expect(failed.decidedBy?.field).toMatchObject({ name: 'TgtProcName' });
    const passed = q.explain({ ...e, tgtProcName: 'x.exe' });
    expect(passed).toMatchObject({ matched: true, decidedBy: { field: { name: 'EndpointOS' } } });
    const or = compiled('TgtProcName = "a" OR NOT TgtProcName = "cmd.exe" OR EndpointOS = "windows"');
    expect(or.explain(e)).toMatchObject({ matched: true, decidedBy: { field: { name: 'EndpointOS' } } });
    expect(or.explain({ tgtProcName: 'b' })).toMatchObject({ matched: true, decidedBy: { operator: { id: 'eq' } } });
    // 'TgtProcName = "a" OR NOT ' is 25 characters: the NOT's own predicate decided.
    expect(or.explain({ tgtProcName: 'b' }).decidedBy?.range.start.offset).toBe(25);
  });

  it('test and explain agree', () => {
    const q = compiled('(A = "1" OR NOT B = "2") AND C Exists');
    for (const ev of [{}, { a: '1' }, { a: '1', c: 'x' }, { b: '2', c: 'x' }, { b: '3', c: 'x' }]) {
      expect(q.explain(ev).matched).toBe(q.test(ev));
    }
  });
});

describe('refusals', () => {
  it('refuses Error and Missing nodes with E602 on their range', () => {
    for (const text of ['SrcProcName = ', 'SrcProcName "x"', '= "x"', 'A Between 1 And']) {
      const { ast } = parse(text);
      const result = compile(ast);
      expect(result.ok, text).toBe(false);
      expect(result.diagnostics.length, text).toBeGreaterThan(0);
      for (const d of result.diagnostics) {
        expect(d.code, text).toBe('E602');
        expect(d.severity).toBe('error');
        expect(d.range.start.offset).toBeGreaterThanOrEqual(0);
        expect(d.range.end.offset).toBeLessThanOrEqual(text.length);
      }
    }
  });

  it('refuses recovered parse errors when given the parse diagnostics', () => {
    for (const text of [
      'A = "x" AND',
      '(A = "x" , B = "y"',
      'A = "x")',
      'A = "x" B = "y"',
      'A In "x"',
      'A In ("a",)',
      'A = "x" | columns',
    ]) {
      const { ast, diagnostics } = parse(text);
      // Without the diagnostics the recovered AST is complete and compiles.
      expect(compile(ast).ok, text).toBe(true);
      const result = compile(ast, { diagnostics });
      expect(result.ok, text).toBe(false);
      const parseErrors = diagnostics.filter((d) => d.severity === 'error');
      expect(
        result.diagnostics.map((d) => [d.code, d.range]),
        text,
      ).toEqual(parseErrors.map((d) => ['E602', d.range]));
    }
    const { ast, diagnostics } = parse('-- a comment\nA = "x"');
    expect(compile(ast, { diagnostics }).ok).toBe(true);
    // A group left open at the very end is a warning (the API closes it): it compiles.
    const open = parse('(A = "x" OR B = "y"');
    expect(compile(open.ast, { diagnostics: open.diagnostics }).ok).toBe(true);
  });

  it('gives the exact range of Error and Missing nodes', () => {
    for (const [text, start, end] of [
      ['A = "x" AND ()', 12, 14],
      ['A = "x" AND NOT', 12, 15],
      ['SrcProcName "x"', 11, 11],
      ['= "x"', 0, 0],
    ] as const) {
      const result = compile(parse(text).ast);
      expect(
        result.diagnostics.map((d) => [d.code, d.range.start.offset, d.range.end.offset]),
        text,
      ).toEqual([['E602', start, end]]);
    }
  });

  it('points at the missing operand', () => {
    const text = 'A = "x" AND B Contains';
    const result = compile(parse(text).ast);
    expect(result.ok).toBe(false);
    expect(result.diagnostics[0]?.range.start.offset).toBe(text.length);
  });

  it('refuses an empty query, wrong operand shapes and dotted 2.0 names', () => {
    expect(compile(parse('').ast).ok).toBe(false);
    expect(compile(parse('A = ("a", "b")').ast).diagnostics.map((d) => d.code)).toEqual(['E602']);
    expect(compile(parse('A In ()').ast).diagnostics.map((d) => d.code)).toEqual(['E602']);
    expect(compile(parse('src.process.name = "x"').ast).diagnostics.map((d) => d.code)).toEqual(['E602']);
  });

  it('reports every problem at once', () => {
    const result = compileText('ChildProcCount > "x" AND TgtProcName RegExp "a*+" AND EventTime < "y"');
    expect(result.diagnostics.map((d) => d.code)).toEqual(['E603', 'E601', 'E603']);
  });

  it('compiles an Expr as well as a Query', () => {
    const { ast } = parse('A = "1"');
    if (!ast.expr) throw new Error('no expr');
    const result = compile(ast.expr);
    expect(result.ok && result.query.test({ a: '1' })).toBe(true);
  });

  it('honours eventKeys overrides', () => {
    const { ast } = parse('TgtProcName = "x"');
    const result = compile(ast, { eventKeys: { tgtprocname: 'target_name' } });
    expect(result.ok && result.query.test({ TARGET_NAME: 'x' })).toBe(true);
    expect(result.ok && result.query.test({ tgtProcName: 'x' })).toBe(false);
  });
});
