import { predicates, print, type Query, type Range } from '@s1ql/language';
import type { Command } from 'commander';
import { ExitCode, UsageError } from '../exit-codes.ts';
import { encodeText, expandPaths, formatDiagnostic, type Io, readInput, writeInput, writeLine } from '../io.ts';
import { querySource } from '../sources.ts';
import { parseSource } from './parse.ts';

interface FmtOptions {
  readonly check?: boolean;
  readonly write?: boolean;
  readonly width: string;
}

export function registerFmt(program: Command, io: Io, done: (code: number) => void): void {
  program
    .command('fmt')
    .description('Format queries canonically (printed to stdout unless --write or --check)')
    .option('--check', 'print nothing on stdout; exit 1 when any input would change')
    .option('--write', 'rewrite the files in place')
    .option('--width <n>', 'break queries longer than this many characters', '100')
    .argument('<input...>', 'files, directories (*.s1ql, *.yml, *.yaml) or - for standard input')
    .action(async (inputs: string[], options: FmtOptions) => {
      if (options.check && options.write) throw new UsageError('--check and --write cannot be used together');
      // Whatever standard input holds: a usage error does not depend on the input, and no file is written first.
      if (options.write && inputs.includes('-')) throw new UsageError('--write needs files, not standard input');
      const width = Number(options.width);
      if (!Number.isInteger(width) || width < 20) throw new UsageError('--width must be a whole number of at least 20');
      let problems = 0;
      for (const path of await expandPaths(inputs, io)) {
        const input = await readInput(path, io);
        const source = await querySource(input);
        const { ast, diagnostics } = parseSource(source);
        const errors = diagnostics.filter((d) => d.severity === 'error');
        if (source.unparsed && errors.length === 0) {
          // Another dialect: said once, and the file is left as it is.
          for (const d of diagnostics) writeLine(io.stderr, formatDiagnostic(source.file, d));
          if (!options.check && !options.write) io.stdout.write(encodeText(input.text, input));
          continue;
        }
        if (errors.length > 0) {
          for (const d of errors) writeLine(io.stderr, formatDiagnostic(source.file, d));
          writeLine(io.stderr, `${source.file}: not formatted: fix the syntax errors first`);
          problems++;
          continue;
        }
        // A file written with CRLF line ends keeps them (a Windows checkout must pass --check). Only the printer's
        // own line breaks change: one inside a query's string value is part of the value. A YAML hunt is written
        // with LF and then converted whole, since YAML reads every line break in a scalar as LF anyway.
        const newline = lineEnding(input.text, source.replaceQuery ? [] : valueRanges(ast));
        const newText = source.replaceQuery
          ? source.replaceQuery(print(ast, { width })).replace(/\r?\n/g, newline)
          : `${print(ast, { width, newline })}${newline}`;
        // Compare with the whole file: for a YAML hunt, source.text is only its query.
        const changed = newText !== input.text;
        if (options.check) {
          if (changed) {
            writeLine(io.stderr, `${source.file}: would reformat`);
            problems++;
          }
        } else if (options.write) {
          if (changed) {
            await writeInput(path, newText, input, io);
            writeLine(io.stderr, `${source.file}: formatted`);
          }
        } else {
          // The bytes --write would write, byte order mark included: `fmt a > b` and `fmt --write` agree, and
          // formatting the output again changes nothing (a second mark, now first, would otherwise be dropped).
          io.stdout.write(encodeText(newText, input));
        }
      }
      done(problems > 0 ? ExitCode.problems : ExitCode.ok);
    });
}

/** The ranges of a query's string values, in text order: line breaks inside them belong to the values. */
function valueRanges(ast: Query): Range[] {
  const ranges: Range[] = [];
  for (const p of predicates(ast.expr)) {
    const o = p.operand;
    if (o === null || o.kind === 'Missing') continue;
    const values = o.kind === 'List' ? o.items : o.kind === 'Range' ? [o.low, o.high] : [o];
    for (const v of values) if (v.kind === 'String') ranges.push(v.range);
  }
  return ranges.sort((a, b) => a.start.offset - b.start.offset);
}

/** The file's line end: CRLF when most line breaks outside `values` are CRLF, else LF. */
function lineEnding(text: string, values: readonly Range[]): '\r\n' | '\n' {
  let crlf = 0;
  let lf = 0;
  let v = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
    while (v < values.length && (values[v] as Range).end.offset <= i) v++;
    if (v < values.length && (values[v] as Range).start.offset <= i) continue;
    if (text[i - 1] === '\r') crlf++;
    else lf++;
  }
  return crlf > lf ? '\r\n' : '\n';
}
