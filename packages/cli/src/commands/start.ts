/**
 * `s1ql start`: the Quick start's main job on the embedded default. It checks the bundled example library
 * (examples/hunts/), then runs every hunt through the runner against an in-process DV API emulator and reports
 * what each finds, including the attack stories planted in the emulator's telemetry.
 */
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { runDemo } from '../demo.ts';
import { ExitCode, UsageError } from '../exit-codes.ts';
import type { Io } from '../io.ts';

const EXAMPLES = fileURLToPath(new URL('../../../../examples/hunts', import.meta.url));

interface StartOptions {
  readonly events: string;
  readonly seed: string;
}

export function registerStart(program: Command, io: Io, done: (code: number) => void): void {
  program
    .command('start')
    .description('Check the example hunts, then run them against the embedded DV API emulator and report the hits')
    .argument('[dir]', 'a folder of hunts', EXAMPLES)
    .option('--events <n>', 'synthetic events the emulator serves', '50000')
    .option('--seed <n>', 'seed of the synthetic telemetry', '1')
    .action(async (dir: string, options: StartOptions) => {
      const events = Number(options.events);
      const seed = Number(options.seed);
      if (!Number.isInteger(events) || events < 100 || events > 5_000_000) {
        throw new UsageError('--events must be a whole number from 100 to 5000000');
      }
      if (!Number.isInteger(seed) || seed < 0) throw new UsageError('--seed must be a whole number');
      const result = await runDemo(io, { dir, events, seed });
      done(result.errors > 0 || result.failedRuns > 0 ? ExitCode.problems : ExitCode.ok);
    });
}
