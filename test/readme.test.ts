/**
 * Docs are code: every example the README shows is a file under examples/, shown verbatim, and runs (each file
 * checks its own output with node:assert).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../', import.meta.url));
const readme = readFileSync(`${root}README.md`, 'utf8');
const examples = [...readme.matchAll(/<!-- example: (\S+) -->\s*```ts\n([\s\S]*?)```/g)].map((m) => ({
  file: m[1] as string,
  shown: m[2] as string,
}));

describe('README examples', () => {
  it('shows at least the core examples', () => {
    expect(examples.map((e) => e.file)).toEqual(
      expect.arrayContaining([
        'examples/parse-and-format.ts',
        'examples/build-and-evaluate.ts',
        'examples/sweep-plan.ts',
      ]),
    );
  });

  it.each(examples.map((e) => [e.file, e.shown] as const))('%s is shown verbatim and runs', (file, shown) => {
    expect(shown).toBe(readFileSync(`${root}${file}`, 'utf8'));
    const run = spawnSync(process.execPath, [`${root}${file}`], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });
});
