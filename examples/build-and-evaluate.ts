// Build a query from data with the typed builder, then evaluate it against events with the engine.
import assert from 'node:assert/strict';
import { s1ql } from '@s1ql/builder';
import { compile } from '@s1ql/engine';

// A value from a feed cannot inject a clause: it becomes exactly one literal.
const hostile = 'evil.exe" OR EventType = "Process Creation';
const query = s1ql
  .where('EventType', '=', 'Process Creation')
  .and('TgtProcName', 'in anycase', ['mimikatz.exe', hostile])
  .and('TgtProcCmdLine', 'contains anycase', 'sekurlsa');

console.log(query.toString());
assert.equal(
  query.toCompact(),
  'EventType = "Process Creation" AND TgtProcName In AnyCase ("mimikatz.exe", "evil.exe\\" OR EventType = \\"Process Creation") AND TgtProcCmdLine Contains AnyCase "sekurlsa"',
);

// Events as the DV API returns them: lowerCamel keys, loosely typed values.
const compiled = compile(query.toAst());
assert.ok(compiled.ok);
const hit = { eventType: 'Process Creation', tgtProcName: 'MIMIKATZ.EXE', tgtProcCmdLine: 'sekurlsa::logonpasswords' };
const miss = { eventType: 'Process Creation', tgtProcName: 'notepad.exe', tgtProcCmdLine: 'notes.txt' };
assert.equal(compiled.query.test(hit), true);
assert.equal(compiled.query.test(miss), false);
const decided = compiled.query.explain(miss).decidedBy;
assert.equal(decided?.field.kind === 'Field' && decided.field.name, 'TgtProcName');
console.log('the miss was decided by the TgtProcName clause');
