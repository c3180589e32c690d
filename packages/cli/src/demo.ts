/**
 * The Quick start's main job, on the embedded default backend: check the bundled example library, then run
 * every hunt through the real runner against an in-process DV API emulator (a real HTTP server on loopback)
 * and show what each finds, including the attack stories planted in the emulator's telemetry.
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { startEmulator } from '@s1ql/emulator';
import { checkLibrary, type Hunt, readHunt } from '@s1ql/library';
import { Budgets, createConnection, runQuery } from '@s1ql/runner';
import { counted, expandPaths, type Io, writeLine } from './io.ts';

export interface DemoOptions {
  readonly dir: string;
  readonly events: number;
  readonly seed: number;
}

export interface DemoResult {
  readonly errors: number;
  readonly warnings: number;
  readonly storiesFound: number;
  readonly stories: number;
  readonly failedRuns: number;
}

function pad(text: string, width: number): string {
  return text.length >= width ? `${text.slice(0, width - 1)}…` : text.padEnd(width);
}

export async function runDemo(io: Io, options: DemoOptions): Promise<DemoResult> {
  const out = (line = ''): void => writeLine(io.stdout, line);
  const paths = (await expandPaths([options.dir], io)).filter((p) => p !== '-');
  const hunts: Hunt[] = [];
  // Named relative to the library folder; a single hunt given instead of a folder keeps its own name.
  const nameOf = (path: string) => relative(options.dir, path) || relative(io.cwd, path) || path;
  for (const path of paths) hunts.push(readHunt(await readFile(path, 'utf8'), nameOf(path)));

  // 1. The library, as `s1ql check` sees it.
  const checked = checkLibrary(hunts);
  out(`Example library ${relative(io.cwd, options.dir) || options.dir}: ${counted(hunts.length, 'hunt')}`);
  out(
    `  ${checked.errorCount} errors, ${checked.warningCount} warnings; hunt tests: ${checked.testsRun} events checked, ` +
      `${checked.testsFailed} failed`,
  );
  for (const file of checked.files) {
    for (const m of file.messages.filter((x) => x.severity !== 'info')) {
      out(`  ${file.filePath}:${m.range.start.line}:${m.range.start.column}: ${m.severity} ${m.code} ${m.message}`);
    }
  }

  // 2. The embedded backend: a DV API emulator on loopback, with a throwaway token.
  const token = randomBytes(18).toString('base64url');
  const emulator = await startEmulator({
    seed: options.seed,
    events: options.events,
    token,
    rateLimits: 'off',
    queryDurationMs: 100,
    maxLimit: 100_000,
  });
  const stories = emulator.telemetry?.stories ?? [];
  const storyIds = new Map<string, string>();
  for (const story of stories) {
    for (const index of story.indices) storyIds.set(String(emulator.telemetry?.eventAt(index).id), story.id);
  }
  out();
  out(
    `Embedded DV API emulator at ${emulator.url}: ${options.events.toLocaleString('en-US')} synthetic events (seed ${options.seed})`,
  );
  out(`  ${pad('hunt', 44)} ${'events'.padStart(7)}  planted stories found`);

  const connection = createConnection(emulator.url, token);
  const budgets = new Budgets({ scale: 0 });
  const found = new Set<string>();
  let failedRuns = 0;
  try {
    for (const hunt of hunts) {
      const text = hunt.query?.text;
      if (!text || hunt.dialect !== 's1ql1') continue;
      const name = hunt.title ?? hunt.fileName;
      const run = runQuery(text, {
        connection,
        budgets,
        from: new Date(emulator.telemetry?.startMs ?? 0),
        to: new Date(emulator.telemetry?.endMs ?? Date.now()),
        limit: 100_000,
        timeoutMs: 60_000,
      });
      let events = 0;
      const hits = new Set<string>();
      try {
        for await (const event of run) {
          events++;
          const story = storyIds.get(String(event.id));
          if (story) hits.add(story);
        }
        await run.summary;
        for (const id of hits) found.add(id);
        out(`  ${pad(name, 44)} ${String(events).padStart(7)}  ${[...hits].join(', ')}`);
      } catch (error) {
        failedRuns++;
        out(`  ${pad(name, 44)} failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  } finally {
    await emulator.close();
  }
  out();
  out(
    `Planted stories found: ${found.size} of ${stories.length}${
      stories.length > found.size
        ? ` (missed: ${stories
            .filter((s) => !found.has(s.id))
            .map((s) => s.id)
            .join(', ')})`
        : ''
    }`,
  );
  out('Next: `./run s1ql emulator` serves the same API until Ctrl-C; `./run s1ql --help` lists every command.');
  return {
    errors: checked.errorCount,
    warnings: checked.warningCount,
    storiesFound: found.size,
    stories: stories.length,
    failedRuns,
  };
}
