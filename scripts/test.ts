/**
 * `pnpm test` (and so `./run test` and CI): type check, lint, then every test, and a closing line
 * `Tests: N passed, N failed[, N skipped]` that CI reads. Stops at the first failing stage.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function stage(title: string, command: string, args: string[]): boolean {
  process.stdout.write(`\n> ${title}: ${command} ${args.join(' ')}\n`);
  const result = spawnSync(command, args, { stdio: 'inherit', shell: false });
  return result.status === 0;
}

const bin = (name: string): string => join('node_modules', '.bin', name);
const results = join(tmpdir(), `s1ql-vitest-${process.pid}.json`);

if (!stage('typecheck', bin('tsc'), ['-b'])) {
  console.log('\nTests: 0 passed, 1 failed (type check failed)');
  process.exit(1);
}
if (!stage('lint', bin('biome'), ['check', '--error-on-warnings', '.'])) {
  console.log('\nTests: 0 passed, 1 failed (lint failed)');
  process.exit(1);
}
const ok = stage('tests', bin('vitest'), [
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${results}`,
  ...process.argv.slice(2),
]);
try {
  const report = JSON.parse(readFileSync(results, 'utf8')) as {
    numPassedTests: number;
    numFailedTests: number;
    numPendingTests: number;
    numTodoTests: number;
    numFailedTestSuites: number;
  };
  const skipped = report.numPendingTests + report.numTodoTests;
  const failed =
    report.numFailedTests + (report.numFailedTests === 0 && !ok ? Math.max(1, report.numFailedTestSuites) : 0);
  console.log(`\nTests: ${report.numPassedTests} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
} catch {
  console.log(`\nTests: 0 passed, 1 failed (no test report)`);
} finally {
  rmSync(results, { force: true });
}
process.exit(ok ? 0 : 1);
