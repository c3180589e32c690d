/**
 * `s1ql start`: the Quick start's main job on the embedded default. Until the editor lands, it checks the bundled
 * example library (examples/hunts/): parses and format-checks every hunt and prints a readable report.
 */
import { fileURLToPath } from 'node:url';
import { print } from '@s1ql/language';
import type { Command } from 'commander';
import { ExitCode } from '../exit-codes.ts';
import { expandPaths, formatDiagnostic, type Io, readInput, writeLine } from '../io.ts';
import { querySource } from '../sources.ts';
import { parseSource } from './parse.ts';

const EXAMPLES = fileURLToPath(new URL('../../../../examples/hunts', import.meta.url));

export function registerStart(program: Command, io: Io, done: (code: number) => void): void {
  program
    .command('start')
    .description('Check the bundled example hunts (examples/hunts/) and print a report')
    .argument('[dir]', 'a folder of hunts', EXAMPLES)
    .action(async (dir: string) => {
      const paths = await expandPaths([dir], io);
      let clean = 0;
      let unformatted = 0;
      let broken = 0;
      for (const path of paths) {
        const source = querySource(await readInput(path, io));
        const { ast, diagnostics } = parseSource(source);
        const errors = diagnostics.filter((d) => d.severity === 'error');
        const name = path.slice(dir.length + 1) || path;
        if (errors.length > 0) {
          broken++;
          writeLine(io.stdout, `  ✗ ${name}`);
          for (const d of errors) writeLine(io.stdout, `      ${formatDiagnostic(name, d)}`);
          continue;
        }
        const formatted = source.replaceQuery ? source.replaceQuery(print(ast)) : `${print(ast)}\n`;
        if (formatted !== source.text) {
          unformatted++;
          writeLine(io.stdout, `  ~ ${name} (parses; not in canonical format: s1ql fmt --write)`);
        } else {
          clean++;
          writeLine(io.stdout, `  ✓ ${name}`);
        }
      }
      writeLine(
        io.stdout,
        `\n${paths.length} hunts: ${clean} clean, ${unformatted} to reformat, ${broken} with syntax errors`,
      );
      done(broken > 0 ? ExitCode.problems : ExitCode.ok);
    });
}
