/** The `s1ql` command: wires the packages to the contract of design/CLI.md. */
import { Command, CommanderError } from 'commander';
import packageJson from '../package.json' with { type: 'json' };
import { ExitCode, UsageError } from './exit-codes.ts';
import { type Io, readError, writeLine } from './io.ts';

type Register = (program: Command, io: Io, done: (code: number) => void) => void;

/**
 * One entry per command, in help order; each lives in commands/<name>.ts. Loaded on demand: a process runs one
 * command, and importing every command's dependencies (HTTP client, runner, emulator...) costs more start-up time
 * than most commands take.
 */
const commands: readonly { readonly name: string; readonly load: () => Promise<Register> }[] = [
  { name: 'parse', load: async () => (await import('./commands/parse.ts')).registerParse },
  { name: 'fmt', load: async () => (await import('./commands/fmt.ts')).registerFmt },
  { name: 'start', load: async () => (await import('./commands/start.ts')).registerStart },
  { name: 'check', load: async () => (await import('./commands/check.ts')).registerCheck },
  { name: 'lint', load: async () => (await import('./commands/lint.ts')).registerLint },
  { name: 'run', load: async () => (await import('./commands/run.ts')).registerRun },
  { name: 'sweep', load: async () => (await import('./commands/sweep.ts')).registerSweep },
  { name: 'doctor', load: async () => (await import('./commands/doctor.ts')).registerDoctor },
  { name: 'emulator', load: async () => (await import('./commands/emulator.ts')).registerEmulator },
];

/**
 * The commands to register: just the one named first on the command line (what `s1ql <command> ...` dispatches
 * to, so nothing it does can depend on the others), none for `--version`, and all of them otherwise (`s1ql --help`,
 * `s1ql help run`, a misspelt command, which must list them).
 */
async function commandsFor(argv: readonly string[]): Promise<Register[]> {
  if (argv[0] === '--version' || argv[0] === '-V') return [];
  const named = commands.find((c) => c.name === argv[0]);
  return Promise.all((named ? [named] : commands).map((c) => c.load()));
}

/** Runs the CLI and resolves to its exit code; never throws for anything the user did. */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  // Standard output that cannot be written (a full disk, a closed pipe) is an 'error' event, which would otherwise
  // crash the process with a stack. A closed pipe (`| head`) means the reader has what it wanted: the command
  // finishes with its own exit code. Any other failure is reported, exit 2: the output is incomplete.
  let outputFailure: NodeJS.ErrnoException | undefined;
  io.stdout.on('error', (error: NodeJS.ErrnoException) => {
    outputFailure ??= error;
  });
  const code = await dispatch(argv, io);
  // A failed write is reported after the write returns: wait until what was written has reached the descriptor.
  if (!io.stdout.destroyed && outputFailure === undefined) {
    await new Promise<void>((resolve) => io.stdout.write('', () => resolve()));
  }
  if (outputFailure !== undefined && outputFailure.code !== 'EPIPE' && code !== ExitCode.usage) {
    writeLine(
      io.stderr,
      `s1ql: cannot write to standard output: ${readError(outputFailure)}; the output is incomplete`,
    );
    return ExitCode.usage;
  }
  return code;
}

async function dispatch(argv: readonly string[], io: Io): Promise<number> {
  let exitCode: number = ExitCode.ok;
  const program = new Command('s1ql')
    .description('Parse, format, lint, check and run SentinelOne Deep Visibility (S1QL) hunts')
    .version(packageJson.version, '-V, --version')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      outputError: usageLine('s1ql'),
    });
  for (const register of await commandsFor(argv)) {
    register(program, io, (code) => {
      exitCode = code;
    });
  }
  for (const command of program.commands) {
    command.exitOverride().configureOutput({ outputError: usageLine(`s1ql ${command.name()}`) });
  }
  // An unknown command is an error whatever follows it: with `--help` after it, Commander would print the general
  // help and exit 0, and a script would take `s1ql translate --help` for a working command.
  const first = argv[0];
  const unknown =
    first !== undefined && !first.startsWith('-') && first !== 'help' && !commands.some((c) => c.name === first);
  try {
    await program.parseAsync(unknown ? [first] : argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return ExitCode.ok;
      // Help asked for (`s1ql help run`) is 0; help shown because no command was given (`s1ql`, `s1ql help nope`)
      // is a usage error.
      if (error.code === 'commander.help') return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
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

/**
 * Commander's usage errors (`error: unknown option '--jsn'` and, on a second line, `(Did you mean --json?)`) as one
 * line on stderr, named like the command's other messages, with where to find what it accepts.
 */
function usageLine(name: string): (message: string, write: (s: string) => void) => void {
  return (message, write) => {
    const line = message
      .trim()
      .replace(/^error: /, '')
      .replace(/\s*\n\s*/g, ' ')
      .replace(/\.$/, '')
      // Commander quotes an unknown `--flag=value` whole; the value may be a secret (`--token=...`), so drop it.
      .replace(/'(--?[\w-]+)=[^']*'/g, "'$1=…'");
    write(`${name}: ${line}; run ${name} --help for usage\n`);
  };
}
