/// <reference types="node" />
/**
 * Docs are code: every ```ts block in a doc comment under src/ is run here. A block is an expression followed by
 * `// => expected`; a string result is compared as is, anything else as JSON.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as builder from '../src/index.ts';

const srcDir = fileURLToPath(new URL('../src/', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

interface Example {
  readonly file: string;
  readonly code: string;
  readonly expected: string;
}

function examples(): Example[] {
  const out: Example[] = [];
  for (const file of sourceFiles(srcDir)) {
    const text = readFileSync(file, 'utf8');
    for (const block of text.matchAll(/```ts\n([\s\S]*?)```/g)) {
      const lines = (block[1] as string).split('\n').map((l) => l.replace(/^\s*\* ?/, ''));
      const at = lines.findIndex((l) => l.startsWith('// => '));
      if (at < 0) throw new Error(`${file}: example without "// => expected"`);
      out.push({
        file: file.slice(srcDir.length),
        code: lines.slice(0, at).join('\n'),
        expected: (lines[at] as string).slice(6),
      });
    }
  }
  return out;
}

const all = examples();
const names = Object.keys(builder);

describe('doc comment examples', () => {
  it('exist for every public function of the entry', () => {
    const documented = all.map((e) => e.code).join('\n');
    for (const name of ['and', 'or', 'not', 'raw', 'planSweep']) expect(documented).toContain(`${name}(`);
    for (const method of ['where(', 'cond(', '.and(', '.or(', '.not()', '.toAst()', '.toString()', '.toCompact()']) {
      expect(documented).toContain(method);
    }
  });

  it.each(all.map((e) => [`${e.file}: ${e.code.slice(0, 60)}`, e] as const))('%s', (_, example) => {
    const run = new Function(...names, `return (${example.code});`) as (...args: unknown[]) => unknown;
    const result = run(...names.map((n) => (builder as Record<string, unknown>)[n]));
    expect(typeof result === 'string' ? result : JSON.stringify(result)).toBe(example.expected);
  });
});
