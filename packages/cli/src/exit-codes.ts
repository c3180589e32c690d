/** The exit codes of design/CLI.md: scripts and CI depend on them. */
export const ExitCode = {
  ok: 0,
  problems: 1,
  usage: 2,
  auth: 3,
  queryFailed: 4,
  network: 5,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** A mistake in how the command was called (exit 2). Its message is shown as it is, without a stack trace. */
export class UsageError extends Error {
  readonly exitCode = ExitCode.usage;
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
