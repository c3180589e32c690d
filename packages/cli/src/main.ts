/** The `s1ql` command: wires the packages to the contract of design/CLI.md. */
import { Command, CommanderError } from 'commander';
import { registerCheck } from './commands/check.ts';
import { registerDoctor } from './commands/doctor.ts';
import { registerEmulator } from './commands/emulator.ts';
import { registerFmt } from './commands/fmt.ts';
import { registerLint } from './commands/lint.ts';
import { registerParse } from './commands/parse.ts';
import { registerRun } from './commands/run.ts';
import { registerStart } from './commands/start.ts';
import { registerSweep } from './commands/sweep.ts';
import { ExitCode, UsageError } from './exit-codes.ts';
import { type Io, writeLine } from './io.ts';

type Register = (program: Command, io: Io, done: (code: number) => void) => void;

/** One entry per command; each lives in commands/<name>.ts. */
const commands: readonly Register[] = [
  registerParse,
  registerFmt,
  registerStart,
  registerCheck,
  registerLint,
  registerRun,
  registerSweep,
  registerDoctor,
  registerEmulator,
];

/** Runs the CLI and resolves to its exit code; never throws for anything the user did. */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  let exitCode: number = ExitCode.ok;
  const program = new Command('s1ql')
    .description('Parse, format, lint, check and run SentinelOne Deep Visibility (S1QL) hunts')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    })
    .showHelpAfterError('(run with --help for usage)');
  for (const register of commands) {
    register(program, io, (code) => {
      exitCode = code;
    });
  }
  for (const command of program.commands) command.exitOverride();
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return ExitCode.ok;
      if (error.code === 'commander.help') return ExitCode.ok;
      return ExitCode.usage;
    }
    if (error instanceof UsageError) {
      writeLine(io.stderr, `s1ql: ${error.message}`);
      return ExitCode.usage;
    }
    const coded = error as { exitCode?: unknown; message?: unknown };
    if (typeof coded.exitCode === 'number') {
      writeLine(io.stderr, `s1ql: ${String(coded.message)}`);
      return coded.exitCode;
    }
    writeLine(
      io.stderr,
      `s1ql: internal error (please report it): ${error instanceof Error ? error.message : String(error)}`,
    );
    return ExitCode.problems;
  }
  return exitCode;
}
