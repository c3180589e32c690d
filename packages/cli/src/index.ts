/** The CLI in-process, for tests and embedders: `main(argv, io)` resolves to the exit code of design/CLI.md. */
export type { Io } from './io.ts';
export { main } from './main.ts';
