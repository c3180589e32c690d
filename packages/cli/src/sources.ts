/**
 * The queries a file holds. A `.s1ql` file (or standard input) is one query; YAML hunts are read by the
 * library package, which maps positions in the query back to the YAML file.
 */
import type { Diagnostic, Fix, Position, Range } from '@s1ql/language';
import type { LintMessage } from '@s1ql/lint';
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
  /** A fix of the query as edits of the file (for a YAML hunt, the new text is written as YAML writes it). */
  readonly fixToFile: (fix: Fix) => Fix;
  /**
   * The file holds no S1QL 1.0 query to read (a hunt with no query, unreadable YAML, or `dialect: s1ql2` / `pq`):
   * `fileDiagnostics` say why, and the file is neither parsed, linted, fixed nor formatted.
   */
  readonly unparsed?: true;
  /**
   * Applies a YAML hunt's own lint exclusions (its `lint:` key) to findings in query positions: those excluded are
   * dropped, and an exclusion that excluded nothing is added as H515 in file positions (`inFile`).
   */
  readonly exclude?: (found: readonly LintMessage[]) => (LintMessage & { readonly inFile?: true })[];
}

const identity = <T>(x: T): T => x;

export function isYaml(path: string): boolean {
  return /\.ya?ml$/i.test(path);
}

/**
 * The query of a file. The library package (YAML, JSON Schema: ~45 ms to load) is loaded only for a YAML hunt, so
 * `s1ql parse` on a plain query does not pay for it.
 */
export async function querySource(input: Input): Promise<QuerySource> {
  if (!isYaml(input.path)) {
    return { file: input.path, text: input.text, toFile: identity, fixToFile: identity, fileDiagnostics: [] };
  }
  const { applyHuntExclusions, dialectNote, HuntCodes, readHunt } = await import('@s1ql/library');
  const hunt = readHunt(input.text, input.path);
  // The findings that stop the query from being read; metadata findings are `s1ql check`'s business.
  const fileDiagnostics = hunt.diagnostics.filter(
    (d) => d.code === HuntCodes.yamlSyntax || d.code === HuntCodes.missingQuery,
  );
  const query = hunt.query;
  if (!query || hunt.dialect !== 's1ql1') {
    // Nothing to read as S1QL 1.0: only the reason is reported, placed in the file.
    const start = { offset: 0, line: 1, column: 1 };
    return {
      file: input.path,
      text: query?.text ?? '',
      toFile: () => ({ start, end: start }),
      fixToFile: identity,
      fileDiagnostics: query ? [...fileDiagnostics, dialectNote(hunt)] : fileDiagnostics,
      unparsed: true,
    };
  }
  return {
    file: input.path,
    text: query.text,
    toFile: query.toFile,
    fileDiagnostics,
    replaceQuery: hunt.replaceQuery,
    fixToFile: query.fixToFile,
    exclude: (found) => applyHuntExclusions(found, hunt),
  };
}

export function shiftPosition(p: Position, by: Position): Position {
  return p.line === 1
    ? { offset: p.offset + by.offset, line: by.line, column: p.column + by.column - 1 }
    : { offset: p.offset + by.offset, line: p.line + by.line - 1, column: p.column };
}

/** A finding on the query placed in the file: its range, its fix and its suggestions. */
export function mapFinding<T extends Pick<Diagnostic, 'range' | 'fix' | 'suggestions'>>(d: T, source: QuerySource): T {
  return {
    ...d,
    range: source.toFile(d.range),
    ...(d.fix ? { fix: source.fixToFile(d.fix) } : {}),
    ...(d.suggestions ? { suggestions: d.suggestions.map(source.fixToFile) } : {}),
  };
}

/** A copy of a syntax tree (plain data) with every node's `range` and `parenthesized` placed with `toFile`. */
export function mapTree<T>(node: T, toFile: (range: Range) => Range): T {
  if (Array.isArray(node)) return node.map((n) => mapTree(n, toFile)) as T;
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    out[key] = (key === 'range' || key === 'parenthesized') && value ? toFile(value as Range) : mapTree(value, toFile);
  }
  return out as T;
}
