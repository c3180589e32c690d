/**
 * The queries a file holds. A `.s1ql` file (or standard input) is one query; YAML hunts are read by the
 * library package, which maps positions in the query back to the YAML file.
 */
import type { Diagnostic, Position, Range } from '@s1ql/language';
import { HuntCodes, readHunt } from '@s1ql/library';
import type { Input } from './io.ts';

export interface QuerySource {
  readonly file: string;
  /** The query text. */
  readonly text: string;
  /** Maps a range in `text` to the range in the file, for messages. */
  readonly toFile: (range: Range) => Range;
  /** Problems with the file itself (unreadable YAML, missing query...), already in file positions. */
  readonly fileDiagnostics: readonly Diagnostic[];
  /** For YAML hunts: rewrites the file with a new query text (fmt --write). */
  readonly replaceQuery?: (newQuery: string) => string;
}

const identity = (range: Range): Range => range;

export function isYaml(path: string): boolean {
  return /\.ya?ml$/i.test(path);
}

/** The findings that stop a YAML hunt's query from being read; metadata findings are `s1ql check`'s business. */
const READING_PROBLEMS: ReadonlySet<string> = new Set([HuntCodes.yamlSyntax, HuntCodes.missingQuery]);

export function querySource(input: Input): QuerySource {
  if (!isYaml(input.path)) return { file: input.path, text: input.text, toFile: identity, fileDiagnostics: [] };
  const hunt = readHunt(input.text, input.path);
  const fileDiagnostics = hunt.diagnostics.filter((d) => READING_PROBLEMS.has(d.code));
  const query = hunt.query;
  if (!query) {
    // Nothing to parse: an empty query, its (empty) diagnostics placed at the start of the file.
    const start = { offset: 0, line: 1, column: 1 };
    return { file: input.path, text: '', toFile: () => ({ start, end: start }), fileDiagnostics };
  }
  return {
    file: input.path,
    text: query.text,
    toFile: query.toFile,
    fileDiagnostics,
    replaceQuery: hunt.replaceQuery,
  };
}

export function shiftPosition(p: Position, by: Position): Position {
  return p.line === 1
    ? { offset: p.offset + by.offset, line: by.line, column: p.column + by.column - 1 }
    : { offset: p.offset + by.offset, line: p.line + by.line - 1, column: p.column };
}
