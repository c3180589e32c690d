import { describe, expect, it } from 'vitest';
import { checkAcross, checkHunt, checkLibrary, readHunt } from '../src/index.ts';

const META = `description: d
author: a
version: 1
operating_system: windows
created_date: 2024-01-02
last_update: 2024-01-03
tags:
  - mitre.T1059
s1ql supported version: 3
Minimum console version required: "21.7"
Minimum agent version required: "21.6"
`;

const hunt = (file: string, title: string, id: string, query: string, rest = '') =>
  readHunt(`title: ${title}\nid: ${id}\nquery: ${query}\n${META}${rest}`, file);

const line = (r: ReturnType<typeof checkLibrary>) =>
  r.files.flatMap((f) =>
    f.messages.map((m) => `${f.filePath}:${m.range.start.line}:${m.range.start.column} ${m.code}`),
  );

const Q = 'EventType = "Process Creation" AND TgtProcName In AnyCase ("cmd.exe")';

describe('checkLibrary', () => {
  it('a clean library has no findings', () => {
    const r = checkLibrary([hunt('a.yml', 'A', 'a', Q), hunt('b.yml', 'B', 'b', Q)]);
    expect(line(r)).toEqual([]);
    expect(r.errorCount).toBe(0);
  });

  it('duplicate ids, titles (any case) and file names are errors at both places', () => {
    const r = checkLibrary([
      hunt('x/a.yml', 'Same', 'dup', Q),
      hunt('y/A.yaml', 'same', 'dup', Q),
      hunt('z/c.yml', 'Other', 'c', Q),
    ]);
    expect(line(r).sort()).toEqual(
      [
        'x/a.yml:1:1 H511',
        'x/a.yml:2:1 H510',
        'x/a.yml:1:1 H512',
        'y/A.yaml:1:1 H511',
        'y/A.yaml:2:1 H510',
        'y/A.yaml:1:1 H512',
      ].sort(),
    );
    const msg = r.files[0]?.messages.find((m) => m.code === 'H510')?.message;
    expect(msg).toContain('y/A.yaml:2:1');
    expect(r.errorCount).toBe(6);
  });

  const tests = (match: string, noMatch: string) => `tests:\n  match:\n    - ${match}\n  no_match:\n    - ${noMatch}\n`;

  it('passing hunt tests are counted, failing ones are errors naming the event and the deciding clause', () => {
    const ok = hunt(
      'ok.yml',
      'Ok',
      'ok',
      Q,
      tests('{eventType: Process Creation, tgtProcName: CMD.EXE}', '{eventType: Process Creation, tgtProcName: a.exe}'),
    );
    const bad = hunt(
      'bad.yml',
      'Bad',
      'bad',
      Q,
      tests(
        '{eventType: Process Creation, tgtProcName: pwsh.exe}',
        '{eventType: Process Creation, tgtProcName: cmd.exe}',
      ),
    );
    const r = checkLibrary([ok, bad]);
    expect(r.testsRun).toBe(4);
    expect(r.testsFailed).toBe(2);
    // `query: ` is 7 characters and the clause follows 35 more: column 43. bad.yml: title 1, id 2, query 3, META 4-14, tests 15, match 16, its event 17, no_match 18, its event 19.
    expect(line(r)).toEqual(['bad.yml:17:7 H513', 'bad.yml:19:7 H513']);
    const [first, second] = r.files[1]?.messages ?? [];
    expect(first?.message).toContain('tests.match[0] did not match');
    expect(first?.message).toContain('TgtProcName In AnyCase ("cmd.exe")');
    expect(first?.message).toContain('line 3, column 43');
    expect(second?.message).toContain('tests.no_match[0] matched');
  });

  it('without an engine, hunt tests are reported as not run (info), never as passed', () => {
    const h = hunt('t.yml', 'T', 't', Q, tests('{eventType: Process Creation}', '{eventType: Login}'));
    const r = checkLibrary([h], { compile: null });
    expect(line(r)).toEqual(['t.yml:15:1 H514']);
    expect(r.files[0]?.messages[0]?.severity).toBe('info');
    expect(r.testsRun).toBe(0);
    expect(r.testsNotRun).toBe(1);
  });

  it('parse and lint findings point into the YAML file', () => {
    const h = hunt('p.yml', 'P', 'p', 'EventType = "Process Creation" AND TgtProcNme = "x" AND (A = 1');
    const r = checkLibrary([h]);
    const codes = line(r);
    // query is on line 3 after `query: ` (7 characters): TgtProcNme starts at column 8 + 35.
    expect(codes).toContain('p.yml:3:43 R401');
    expect(codes.some((c) => c.startsWith('p.yml:3:') && c.endsWith('P202'))).toBe(true);
  });

  it('lint exclusions in a hunt silence their rule; an unused one is a warning at the exclusion', () => {
    const q = 'EventType = "Process Creation" AND TgtProcNme = "x"';
    const used = hunt('u.yml', 'U', 'u', q, 'lint:\n  - rule: unknown-field\n    reason: vendor field\n');
    const unused = hunt('n.yml', 'N', 'n', Q, 'lint:\n  - rule: unknown-field\n    reason: vendor field\n');
    const r = checkLibrary([used, unused]);
    expect(line(r)).toEqual(['n.yml:16:5 H515']);
  });

  it('checkHunt gives plain data (it survives a structured clone), and checkAcross over it is checkLibrary', () => {
    const q = 'EventType = "Process Creation" AND TgtProcNme = "x" AND (A = 1';
    const hunts = [
      hunt('x/a.yml', 'Same', 'dup', q, tests('{eventType: Process Creation}', '{eventType: Login}')),
      hunt('y/b.yml', 'Other', 'b', Q, 'lint:\n  - rule: unknown-field\n    reason: vendor field\n'),
      hunt(
        'z/A.yml',
        'same',
        'dup',
        Q,
        tests('{eventType: Process Creation, tgtProcName: a.exe}', '{eventType: Login}'),
      ),
      readHunt('title: [unclosed\n', 'w/broken.yml'),
      readHunt('EventType = "Process Creation"', 'q.s1ql'),
    ];
    const checks = hunts.map((h) => checkHunt(h));
    // structuredClone throws on a function, and drops prototypes: what a worker thread would post back.
    const posted = checks.map((c) => structuredClone(c));
    expect(posted).toEqual(checks);
    const across = checkAcross(posted);
    expect(across).toEqual(checkLibrary(hunts));
    // Counted by hand: `query: ` is 7 characters, so offset n of the query is column 8 + n on line 3; the title
    // (any case), the id and the file name (a.yml, A.yml) are shared by x/ and z/; tests.match[0] is on line 17.
    expect(line(across)).toEqual([
      'x/a.yml:1:1 H511',
      'x/a.yml:1:1 H512',
      'x/a.yml:2:1 H510',
      'x/a.yml:3:43 R401',
      'x/a.yml:3:65 R401',
      'x/a.yml:3:69 R417',
      'x/a.yml:3:70 P202',
      'x/a.yml:17:7 H513',
      'y/b.yml:16:5 H515',
      'z/A.yml:1:1 H511',
      'z/A.yml:1:1 H512',
      'z/A.yml:2:1 H510',
      'z/A.yml:17:7 H513',
      'w/broken.yml:1:8 H501',
    ]);
    expect(across.files.map((f) => f.filePath)).toEqual(hunts.map((h) => h.fileName));
  });

  it('checkAcross sorts each file by position and leaves what it is given unchanged', () => {
    const hunts = [hunt('a.yml', 'A', 'same', Q), hunt('b.yml', 'B', 'same', 'EventType = "Process Creation" AND (')];
    const checks = hunts.map((h) => checkHunt(h));
    const before = structuredClone(checks);
    const r = checkAcross(checks);
    expect(checks).toEqual(before);
    const b = r.files[1]?.messages.map((m) => `${m.range.start.line}:${m.range.start.column}`) ?? [];
    expect(b).toEqual([...b].sort((x, y) => Number(x.split(':')[0]) - Number(y.split(':')[0])));
    expect(b[0]).toBe('2:1');
  });
});
