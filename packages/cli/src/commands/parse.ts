import { type Diagnostic, parse } from '@s1ql/language';
import type { Command } from 'commander';
import { ExitCode, UsageError } from '../exit-codes.ts';
import { expandPaths, formatDiagnostic, type Io, readInput, writeLine } from '../io.ts';
import { mapFinding, mapTree, type QuerySource, querySource } from '../sources.ts';

interface ParseOptions {
  readonly dialect: string;
  readonly json?: boolean;
}

export function registerParse(program: Command, io: Io, done: (code: number) => void): void {
  program
    .command('parse')
    .description('Parse queries and report syntax errors as file:line:col: severity code message')
    .option('--dialect <dialect>', 'query language: s1ql1, s1ql2 or pq', 's1ql1')
    .option('--json', 'print one JSON line per input on stdout: {"file", "ast", "diagnostics"}')
    .argument('<input...>', 'files, directories (*.s1ql, *.yml, *.yaml) or - for standard input')
    .action(async (inputs: string[], options: ParseOptions) => {
      if (options.dialect !== 's1ql1') {
        if (options.dialect === 's1ql2' || options.dialect === 'pq') {
          throw new UsageError(`--dialect ${options.dialect}: S1QL 2.0 / PowerQuery parsing is not available yet`);
        }
        throw new UsageError(`--dialect must be s1ql1, s1ql2 or pq, not ${options.dialect}`);
      }
      let errors = 0;
      for (const path of await expandPaths(inputs, io)) {
        const source = await querySource(await readInput(path, io));
        const { ast, diagnostics } = parseSource(source);
        for (const d of diagnostics) {
          writeLine(io.stderr, formatDiagnostic(source.file, d));
          if (d.severity === 'error') errors++;
        }
        if (options.json) {
          // Every position in the file's coordinates, the tree's too (for a .s1ql file they are the same).
          writeLine(io.stdout, JSON.stringify({ file: source.file, ast: mapTree(ast, source.toFile), diagnostics }));
        }
      }
      done(errors > 0 ? ExitCode.problems : ExitCode.ok);
    });
}

/** Parses a source and maps every diagnostic (with its fixes) to file positions; the tree stays in the query's. */
export function parseSource(source: QuerySource): ReturnType<typeof parse> & { diagnostics: Diagnostic[] } {
  const result = parse(source.unparsed ? '' : source.text);
  if (source.unparsed) return { ast: result.ast, diagnostics: [...source.fileDiagnostics] };
  const diagnostics = [...source.fileDiagnostics, ...result.diagnostics.map((d) => mapFinding(d, source))];
  return { ast: result.ast, diagnostics };
}
