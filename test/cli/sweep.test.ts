/** `s1ql sweep --dry-run` as a process: what an analyst's IOC file becomes, and what is reported about it. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, walk } from '@s1ql/language';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.ts';

function iocFile(content: string | Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 's1ql-sweep-'));
  writeFileSync(join(dir, 'iocs.txt'), content);
  return join(dir, 'iocs.txt');
}

describe('s1ql sweep --dry-run', () => {
  it('reports each entry it does not understand with its line, control characters escaped', async () => {
    const file = iocFile(
      '\uFEFF# feed\r\nevil[.]example/gate.php\r\n\u001b[2Jred\r\nmimikatz.exe\r\nC:\\Temp\\\r\n\r\n10.0.0.0/8\r\n',
    );
    const r = await runCli(['sweep', '--iocs', file, '--dry-run']);
    expect(r.code).toBe(1);
    expect(r.stderr).not.toContain('\u001b');
    expect(r.stderr).toContain(`${file}:3: skipped "\\u001b[2Jred": contains a control character`);
    expect(r.stderr).toContain(`${file}:4: skipped "mimikatz.exe": a file name`);
    expect(r.stderr).toContain(`${file}:5: skipped "C:\\Temp\\": ends in a backslash`);
    expect(r.stderr).toContain(`${file}:7: skipped "10.0.0.0/8": a CIDR range`);
    expect(r.stdout).toBe('ObjectType = "url" AND Url In Contains AnyCase ("evil.example/gate.php")\n');
  });

  it('says so when the list holds no IOC at all, so an empty feed does not pass unnoticed', async () => {
    const r = await runCli(['sweep', '--iocs', iocFile('# nothing this week\n\n'), '--dry-run']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('holds no IOCs');
  });

  it('every value in the printed queries is the IOC exactly', async () => {
    const iocs = ['/tmp/a"b', '/tmp/\\"x', '/tmp/) OR (EventType Exists', '/tmp/-- x', '/tmp/“q”', '/opt/ü😀'];
    const r = await runCli(['sweep', '--iocs', iocFile(iocs.join('\n')), '--dry-run', '--kind', 'path']);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const parsed = parse(lines[0] as string);
    expect(parsed.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const values = new Set<string>();
    if (parsed.ast.expr) walk(parsed.ast.expr, (n) => void (n.kind === 'String' && values.add(n.value)));
    expect([...values].sort()).toEqual([...iocs].sort());
  });
});
