import { canonicalKey, parse, predicates } from '@s1ql/language';
import { describe, expect, it } from 'vitest';
import {
  and,
  BuilderError,
  escapeRegExp,
  type FieldName,
  not,
  operatorsByKind,
  or,
  RawSyntaxError,
  raw,
  s1ql,
  UnrepresentableValueError,
} from '../src/index.ts';

/** For calls the types reject: what a JavaScript caller (or a cast) would hit at run time. */
const untyped = s1ql.where as unknown as (
  field: string,
  op: string,
  ...operand: unknown[]
) => ReturnType<typeof s1ql.where>;

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return error instanceof BuilderError ? error.code : `not a BuilderError: ${String(error)}`;
  }
  return undefined;
}

function deepFrozen(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return true;
  return Object.isFrozen(value) && Object.values(value).every(deepFrozen);
}

describe('builder', () => {
  const q = s1ql
    .where('EventType', '=', 'Process Creation')
    .and('TgtProcName', 'in anycase', ['powershell.exe', 'pwsh.exe'])
    .and(
      or(
        s1ql.cond('TgtProcCmdLine', 'contains anycase', '-enc'),
        s1ql.cond('TgtProcCmdLine', 'contains anycase', '-e '),
      ),
    );

  it('prints through @s1ql/language (canonical and compact)', () => {
    expect(q.toCompact()).toBe(
      'EventType = "Process Creation" AND TgtProcName In AnyCase ("powershell.exe", "pwsh.exe") AND ' +
        '(TgtProcCmdLine Contains AnyCase "-enc" OR TgtProcCmdLine Contains AnyCase "-e ")',
    );
    expect(q.toString()).toBe(
      [
        'EventType = "Process Creation"',
        'AND TgtProcName In AnyCase ("powershell.exe", "pwsh.exe")',
        'AND (TgtProcCmdLine Contains AnyCase "-enc" OR TgtProcCmdLine Contains AnyCase "-e ")',
      ].join('\n'),
    );
  });

  it('builds frozen AST nodes with zero ranges, and is immutable', () => {
    const ast = q.toAst();
    expect(deepFrozen(ast)).toBe(true);
    expect(Object.isFrozen(q)).toBe(true);
    expect(ast.range).toEqual({ start: { offset: 0, line: 1, column: 1 }, end: { offset: 0, line: 1, column: 1 } });
    const base = s1ql.where('SrcProcPID', '>', 4);
    const a = base.and('SrcProcPID', '<', 10);
    const b = base.or('SrcProcPID', '=', 0);
    expect(base.toCompact()).toBe('SrcProcPID > "4"');
    expect(a.toCompact()).toBe('SrcProcPID > "4" AND SrcProcPID < "10"');
    expect(b.toCompact()).toBe('SrcProcPID > "4" OR SrcProcPID = "0"');
  });

  it('round-trips every operator of S1QL 1.0 through parse', () => {
    const parts = [
      s1ql.where('TgtProcName', '=', 'a'),
      s1ql.where('TgtProcName', '!=', 'a'),
      s1ql.where('SrcProcPID', '<', 1),
      s1ql.where('SrcProcPID', '<=', 1),
      s1ql.where('SrcProcPID', '>', 1.5),
      s1ql.where('SrcProcPID', '>=', -1),
      s1ql.where('TgtProcName', 'in', ['a', 'b']),
      s1ql.where('TgtProcName', 'not in', ['a']),
      s1ql.where('TgtProcName', 'in anycase', ['a']),
      s1ql.where('TgtProcName', 'in contains', ['a']),
      s1ql.where('TgtProcName', 'in contains anycase', ['a']),
      s1ql.where('TgtProcName', 'contains', 'a'),
      s1ql.where('TgtProcName', 'contains anycase', 'a'),
      s1ql.where('TgtProcName', 'does not contain', 'a'),
      s1ql.where('TgtProcName', 'does not containcis', 'a'),
      s1ql.where('TgtProcName', 'startswith', 'a'),
      s1ql.where('TgtProcName', 'startswith anycase', 'a'),
      s1ql.where('TgtProcName', 'endswith', 'a'),
      s1ql.where('TgtProcName', 'endswith anycase', 'a'),
      s1ql.where('TgtProcName', 'regexp', '^a\\d+$'),
      s1ql.where('SrcProcPID', 'between', 1, 2),
      s1ql.where('TgtProcName', 'is empty'),
      s1ql.where('TgtProcName', 'is not empty'),
      s1ql.where('TgtProcName', 'exists'),
      s1ql.where('TgtFileIsExecutable', 'is true'),
      s1ql.where('TgtFileIsExecutable', 'is false'),
    ];
    const query = and(
      parts[0] as (typeof parts)[0],
      ...parts.slice(1),
      not(or(parts[1] as (typeof parts)[0], parts[2] as (typeof parts)[0])),
    );
    const parsed = parse(query.toString());
    expect(parsed.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(canonicalKey(parsed.ast.expr)).toBe(canonicalKey(query.toAst().expr));
    const ids = predicates(parsed.ast.expr).map((p) => (p.operator.kind === 'Operator' ? p.operator.id : null));
    expect(new Set(ids).size).toBe(26);
  });

  it('writes timestamps and enum values as given', () => {
    expect(s1ql.where('EventTime', '>=', new Date(Date.UTC(2024, 0, 2))).toCompact()).toBe(
      'EventTime >= "2024-01-02T00:00:00.000Z"',
    );
    expect(s1ql.where('EventTime', 'between', 0, '2024-01-01T00:00:00Z').toCompact()).toBe(
      'EventTime Between "0" And "2024-01-01T00:00:00Z"',
    );
    expect(s1ql.where('AgentOS', 'in', ['windows', 'osx']).toCompact()).toBe('AgentOS In ("windows", "osx")');
  });

  it('rejects at run time what the types reject at compile time, with stable codes', () => {
    expect(codeOf(() => untyped('TgtProcNam', '=', 'x'))).toBe('S1QL_BUILDER_UNKNOWN_FIELD');
    expect(codeOf(() => untyped('TgtProcName', '<', 'x'))).toBe('S1QL_BUILDER_OPERATOR');
    expect(codeOf(() => untyped('TgtProcName', 'like', 'x'))).toBe('S1QL_BUILDER_OPERATOR');
    expect(codeOf(() => untyped('SrcProcPID', 'contains', '4'))).toBe('S1QL_BUILDER_OPERATOR');
    expect(codeOf(() => untyped('TgtFileIsExecutable', 'in', ['true']))).toBe('S1QL_BUILDER_OPERATOR');
    expect(codeOf(() => untyped('SrcProcPID', '=', '4'))).toBe('S1QL_BUILDER_VALUE');
    expect(codeOf(() => untyped('SrcProcPID', '=', Number.NaN))).toBe('S1QL_BUILDER_VALUE');
    expect(codeOf(() => untyped('TgtProcName', '=', 4))).toBe('S1QL_BUILDER_VALUE');
    expect(codeOf(() => untyped('EventType', '=', 'Proccess Creation'))).toBe('S1QL_BUILDER_VALUE');
    expect(codeOf(() => untyped('EventTime', '>', 'yesterday'))).toBe('S1QL_BUILDER_VALUE');
    expect(codeOf(() => untyped('TgtProcName', 'in', 'a'))).toBe('S1QL_BUILDER_VALUE');
    expect(codeOf(() => untyped('TgtProcName', 'in', []))).toBe('S1QL_BUILDER_EMPTY_LIST');
    expect(codeOf(() => untyped('TgtProcName', '='))).toBe('S1QL_BUILDER_VALUE');
    expect(codeOf(() => untyped('TgtProcName', 'exists', 'x'))).toBe('S1QL_BUILDER_VALUE');
    // Any case of a field name, and aliases, resolve as the parser resolves them; output uses the catalog spelling.
    expect(untyped('tgtprocname', 'Contains  AnyCase', 'x').toCompact()).toBe('TgtProcName Contains AnyCase "x"');
  });

  it('keeps the kind table total: every catalog operator applies to some field kind', () => {
    const all = new Set(Object.values(operatorsByKind).flat());
    expect(all.size).toBe(26);
  });

  it('raw() parses now and throws a typed error listing the diagnostics', () => {
    const r = raw('srcprocname = "a" or (TgtProcPid > 4 and X exists)');
    expect(deepFrozen(r.toAst())).toBe(true);
    expect(and(s1ql.where('EventType', '=', 'Login'), r).toCompact()).toBe(
      // Mixed AND/OR is always parenthesised in generated text (S1QL.md).
      'EventType = "Login" AND (SrcProcName = "a" OR (TgtProcPID > "4" AND X Exists))',
    );
    let error: unknown;
    try {
      raw('TgtProcName = "a" AND');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RawSyntaxError);
    expect((error as RawSyntaxError).code).toBe('S1QL_BUILDER_RAW_SYNTAX');
    expect((error as RawSyntaxError).diagnostics.length).toBeGreaterThan(0);
    expect((error as RawSyntaxError).message).toContain((error as RawSyntaxError).diagnostics[0]?.code);
    expect(codeOf(() => raw('   '))).toBe('S1QL_BUILDER_RAW_SYNTAX');
    expect(codeOf(() => raw('A = "C:\\Temp\\" AND B = "x"'))).toBe('S1QL_BUILDER_RAW_SYNTAX');
  });
});

describe('values ending in a backslash', () => {
  function refused(field: FieldName, op: string, value: unknown): UnrepresentableValueError {
    try {
      untyped(field, op, value);
    } catch (error) {
      if (error instanceof UnrepresentableValueError) return error;
      throw error;
    }
    throw new Error('expected UnrepresentableValueError');
  }

  /** The RegExp an alternative uses, run as JavaScript would (a leading (?i) becomes the i flag). */
  function patternOf(s1qlText: string): RegExp {
    const p = predicates(parse(s1qlText).ast.expr).find(
      (x) => x.operator.kind === 'Operator' && x.operator.id === 'regexp',
    );
    const text = p?.operand?.kind === 'String' ? p.operand.value : '';
    return text.startsWith('(?i)') ? new RegExp(text.slice(4), 'i') : new RegExp(text);
  }

  it('are refused with an exact RegExp alternative and an honest superset', () => {
    const error = refused('TgtFilePath', '=', 'C:\\Temp\\');
    expect(error.code).toBe('S1QL_BUILDER_UNREPRESENTABLE');
    expect(error.message).toContain('cannot write a value ending in a backslash');
    expect(error.alternatives.map((a) => [a.s1ql, a.precision])).toEqual([
      ['TgtFilePath RegExp "^C:\\\\Temp\\\\$"', 'exact'],
      ['TgtFilePath StartsWith "C:\\Temp"', 'superset'],
    ]);
    const re = patternOf(error.alternatives[0]?.s1ql ?? '');
    expect(re.test('C:\\Temp\\')).toBe(true);
    expect(re.test('C:\\Temp\\x')).toBe(false);
    expect(re.test('c:\\temp\\')).toBe(false);
  });

  it('offer alternatives that parse and match exactly what the operator meant', () => {
    const value = 'a.b(c)\\';
    const cases: [string, (s: string) => boolean][] = [
      ['=', (s) => s === value],
      ['in anycase', (s) => s.toLowerCase() === value.toLowerCase()],
      ['contains', (s) => s.includes(value)],
      ['contains anycase', (s) => s.toLowerCase().includes(value.toLowerCase())],
      ['startswith', (s) => s.startsWith(value)],
      ['endswith anycase', (s) => s.toLowerCase().endsWith(value.toLowerCase())],
    ];
    const samples = [value, `x${value}`, `${value}y`, value.toUpperCase(), 'a.b(c)', 'aXb(c)\\', `x${value}y`];
    for (const [op, meaning] of cases) {
      const alt = refused('TgtFilePath', op, op.startsWith('in') ? [value] : value).alternatives[0];
      expect(alt?.precision).toBe('exact');
      expect(parse(alt?.s1ql ?? '').diagnostics).toEqual([]);
      const re = patternOf(alt?.s1ql ?? '');
      for (const s of samples) expect([op, s, re.test(s)]).toEqual([op, s, meaning(s)]);
    }
  });

  it('say when no alternative is exact', () => {
    const error = refused('TgtFilePath', 'does not contain', 'C:\\Temp\\');
    expect(error.alternatives[0]?.precision).toBe('nearly-exact');
    expect(error.alternatives[0]?.s1ql).toBe('TgtFilePath Exists AND NOT TgtFilePath RegExp "C:\\\\Temp[\\\\]"');
    expect(refused('TgtFilePath', 'regexp', 'a\\').alternatives).toEqual([]);
  });

  it('escapeRegExp makes any text a literal pattern', () => {
    const text = 'a.b*c+d?e^f$g{h}i(j)k|l[m]n\\o/p';
    expect(new RegExp(`^${escapeRegExp(text)}$`).test(text)).toBe(true);
  });
});
