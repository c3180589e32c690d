/** SARIF 2.1.0, as GitHub code scanning and other CI dashboards read it. */
import type { Fix, Range } from '@s1ql/language';
import { rules } from '../registry.ts';
import type { FileResult, LintMessage } from '../types.ts';

const LEVEL = { error: 'error', warning: 'warning', info: 'note' } as const;
const DEFAULT_LEVEL = { error: 'error', warn: 'warning', off: 'none' } as const;
const ruleIndex = new Map(rules.map((r, i) => [r.meta.id, i]));

function region(range: Range) {
  return {
    startLine: range.start.line,
    startColumn: range.start.column,
    endLine: range.end.line,
    endColumn: range.end.column,
  };
}

/**
 * A file path as a SARIF artifact URI: relative paths stay relative (resolved against the checkout by code scanning),
 * absolute ones become file:// URIs; every segment is percent-encoded (a space, `%`, `#`, `?` are not URI text).
 */
function uri(path: string): string {
  const slashed = path.replace(/\\/g, '/').replace(/^\.\//, '');
  const encoded = slashed.split('/').map(encodeURIComponent).join('/');
  if (/^[A-Za-z]:\//.test(slashed)) return `file:///${encoded.replace('%3A', ':')}`;
  return slashed.startsWith('/') ? `file://${encoded}` : encoded;
}

/** What a finding without a lint rule is, by its code's layer (diagnostics.ts, library codes.ts). */
const LAYERS: Readonly<Record<string, string>> = {
  L: 'S1QL lexical error',
  P: 'S1QL syntax error',
  S: 'S1QL 1.0 language check',
  H: 'saved-query library check',
};

/** The SARIF rule id of a finding: its lint rule's id, else its code (parser, language, library findings). */
function idOf(m: LintMessage): string {
  return m.ruleId ?? m.code;
}

/**
 * A rules entry for each finding the lint rules do not describe that the results use: the parser's and the
 * language's (ruleId null), the library's (ruleId = its H5xx code) and the linter's own (unused-exclusion).
 */
function codeRules(results: readonly FileResult[]): { id: string; shortDescription: { text: string } }[] {
  const codes = new Map<string, string>();
  for (const r of results) {
    for (const m of r.messages) if (!ruleIndex.has(idOf(m))) codes.set(idOf(m), m.code);
  }
  return [...codes]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([id, code]) => ({
      id,
      shortDescription: {
        text: id === code ? `${LAYERS[code[0] ?? ''] ?? 'finding'} ${code}` : `${id.replaceAll('-', ' ')} (${code})`,
      },
    }));
}

function sarifFix(fix: Fix, file: string) {
  return {
    description: { text: fix.title },
    artifactChanges: [
      {
        artifactLocation: { uri: uri(file) },
        replacements: fix.edits.map((e) => ({ deletedRegion: region(e.range), insertedContent: { text: e.newText } })),
      },
    ],
  };
}

function result(m: LintMessage, file: string, codeIndex: ReadonlyMap<string, number>) {
  const index = ruleIndex.get(idOf(m)) ?? codeIndex.get(idOf(m));
  return {
    ruleId: idOf(m),
    ...(index !== undefined ? { ruleIndex: index } : {}),
    level: LEVEL[m.severity],
    message: { text: m.message },
    locations: [{ physicalLocation: { artifactLocation: { uri: uri(file) }, region: region(m.range) } }],
    ...(m.fix ? { fixes: [sarifFix(m.fix, file)] } : {}),
  };
}

export function toSarif(results: readonly FileResult[], toolVersion: string): object {
  const extra = codeRules(results);
  const codeIndex = new Map(extra.map((r, i) => [r.id, rules.length + i]));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 's1ql',
            version: toolVersion,
            informationUri: 'https://github.com/s1ql/s1ql',
            rules: [
              ...rules.map((r) => ({
                id: r.meta.id,
                name: r.meta.name,
                shortDescription: { text: r.meta.name },
                fullDescription: { text: r.meta.description },
                helpUri: r.meta.docsUrl,
                defaultConfiguration: { level: DEFAULT_LEVEL[r.meta.defaultSeverity] },
                properties: { code: r.meta.code, category: r.meta.category },
              })),
              ...extra,
            ],
          },
        },
        columnKind: 'utf16CodeUnits',
        results: results.flatMap((r) => r.messages.map((m) => result(m, r.filePath, codeIndex))),
      },
    ],
  };
}
