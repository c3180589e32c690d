// Parse a hunt, read its diagnostics, and print it in canonical and one-line form.
import assert from 'node:assert/strict';
import { parse, print, printCompact } from '@s1ql/language';

const text = `-- encoded PowerShell
eventtype = "Process Creation" and tgtprocname in anycase ("powershell.exe", "pwsh.exe")
and (TgtProcCmdLine containscis "-enc" or TgtProcCmdLine ContainsCIS "-EncodedCommand")`;

const { ast, diagnostics } = parse(text); // never throws
assert.deepEqual(diagnostics, []);

// Canonical form: catalog spellings, one spelling per operator, one clause per line past the width.
console.log(print(ast, { width: 80 }));
assert.equal(
  print(ast, { width: 80 }),
  `-- encoded PowerShell
EventType = "Process Creation"
AND TgtProcName In AnyCase ("powershell.exe", "pwsh.exe")
AND (
  TgtProcCmdLine Contains AnyCase "-enc"
  OR TgtProcCmdLine Contains AnyCase "-EncodedCommand"
)`,
);

// What the runner sends: one line, comments stripped.
assert.equal(
  printCompact(ast),
  'EventType = "Process Creation" AND TgtProcName In AnyCase ("powershell.exe", "pwsh.exe") AND (TgtProcCmdLine Contains AnyCase "-enc" OR TgtProcCmdLine Contains AnyCase "-EncodedCommand")',
);

// Broken input still gives a tree, and every problem with its place and, where certain, a fix.
const broken = parse('TgtProcName NotIn ("a.exe") AND SrcProcCmdLine Contains “-nop”');
for (const d of broken.diagnostics) {
  console.log(
    `${d.range.start.line}:${d.range.start.column} ${d.code} ${d.message} ${d.fix ? `(fix: ${d.fix.title})` : ''}`,
  );
}
assert.deepEqual(
  broken.diagnostics.map((d) => d.code),
  ['P209', 'L103'],
);
