/**
 * The example library and the emulator's telemetry belong together: every attack story planted in the generated
 * events is found by at least one example hunt, evaluated by the engine over the same events the emulator serves,
 * and the example hunts do not fire on much of the benign noise.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTelemetry, MIN_EVENTS_FOR_STORIES } from '@s1ql/emulator';
import { compile } from '@s1ql/engine';
import { parse } from '@s1ql/language';
import { readHunt } from '@s1ql/library';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../examples/hunts', import.meta.url));

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : /\.(s1ql|ya?ml)$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

const hunts = files(root).map((file) => {
  const hunt = readHunt(readFileSync(file, 'utf8'), file);
  const text = hunt.query?.text ?? '';
  const parsed = parse(text);
  const compiled = compile(parsed.ast, { diagnostics: parsed.diagnostics });
  if (!compiled.ok)
    throw new Error(`${file} does not compile: ${compiled.diagnostics.map((d) => d.message).join('; ')}`);
  return { file: file.slice(root.length + 1), test: compiled.query.test };
});

const telemetry = createTelemetry({ seed: 1, count: Math.max(MIN_EVENTS_FOR_STORIES, 20_000) });

describe('example hunts over the emulator telemetry', () => {
  it('has stories to find and hunts to find them with', () => {
    expect(telemetry.stories.length).toBeGreaterThanOrEqual(5);
    expect(hunts.length).toBeGreaterThanOrEqual(20);
  });

  it.each(telemetry.stories.map((s) => [s.id, s] as const))('story %s is found by an example hunt', (_id, story) => {
    const finders = hunts.filter((h) => story.indices.some((i) => h.test(telemetry.eventAt(i))));
    expect(
      finders.map((h) => h.file),
      story.title,
    ).not.toEqual([]);
  });

  it('the hunts stay quiet on benign noise (under 1% of events each)', () => {
    const planted = new Set(telemetry.stories.flatMap((s) => s.indices));
    const noisy: string[] = [];
    for (const h of hunts) {
      let hits = 0;
      for (let i = 0; i < telemetry.count; i++) if (!planted.has(i) && h.test(telemetry.eventAt(i))) hits++;
      if (hits > telemetry.count / 100) noisy.push(`${h.file}: ${hits}`);
    }
    expect(noisy).toEqual([]);
  });
});
