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

function uri(path: string): string {
  return path.replace(/\\/g, '/').replace(/^\.\//, '');
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

function result(m: LintMessage, file: string) {
  const index = m.ruleId === null ? undefined : ruleIndex.get(m.ruleId);
  return {
    ruleId: m.ruleId ?? m.code,
    ...(index !== undefined ? { ruleIndex: index } : {}),
    level: LEVEL[m.severity],
    message: { text: m.message },
    locations: [{ physicalLocation: { artifactLocation: { uri: uri(file) }, region: region(m.range) } }],
    ...(m.fix ? { fixes: [sarifFix(m.fix, file)] } : {}),
  };
}

export function toSarif(results: readonly FileResult[], toolVersion: string): object {
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
            rules: rules.map((r) => ({
              id: r.meta.id,
              name: r.meta.name,
              shortDescription: { text: r.meta.name },
              fullDescription: { text: r.meta.description },
              helpUri: r.meta.docsUrl,
              defaultConfiguration: { level: DEFAULT_LEVEL[r.meta.defaultSeverity] },
              properties: { code: r.meta.code, category: r.meta.category },
            })),
          },
        },
        columnKind: 'utf16CodeUnits',
        results: results.flatMap((r) => r.messages.map((m) => result(m, r.filePath))),
      },
    ],
  };
}
