/** ESLint's JSON formatter shape, so tools that read ESLint output read ours (design/CLI.md). */
import type { Fix } from '@s1ql/language';
import type { FileResult } from '../types.ts';
import { counts, eslintSeverity, sourceOf } from './common.ts';

export interface EslintFix {
  readonly range: [number, number];
  readonly text: string;
}

/** ESLint fixes are one replacement: several edits merge into one spanning them, with the text between kept. */
export function toEslintFix(fix: Fix, source: string | undefined): EslintFix | undefined {
  const edits = [...fix.edits].sort((a, b) => a.range.start.offset - b.range.start.offset);
  const first = edits[0];
  if (!first) return undefined;
  if (edits.length === 1) return { range: [first.range.start.offset, first.range.end.offset], text: first.newText };
  if (source === undefined) return undefined;
  let text = '';
  let at = first.range.start.offset;
  for (const e of edits) {
    text += source.slice(at, e.range.start.offset) + e.newText;
    at = e.range.end.offset;
  }
  return { range: [first.range.start.offset, at], text };
}

export function toEslintJson(results: readonly FileResult[], sources?: ReadonlyMap<string, string>): object[] {
  return results.map((result) => {
    const source = sourceOf(result, sources);
    const n = counts(result.messages);
    let fixableErrorCount = 0;
    let fixableWarningCount = 0;
    let fatalErrorCount = 0;
    const messages = result.messages.map((m) => {
      const fix = m.fix ? toEslintFix(m.fix, source) : undefined;
      if (fix) {
        if (m.severity === 'error') fixableErrorCount++;
        else fixableWarningCount++;
      }
      const suggestions = (m.suggestions ?? []).flatMap((s) => {
        const f = toEslintFix(s, source);
        return f ? [{ desc: s.title, fix: f }] : [];
      });
      // ESLint marks what its parser could not read as fatal: here the language core's lexer and parser errors.
      const fatal = m.ruleId === null && m.severity === 'error' && /^[LP]\d/.test(m.code);
      if (fatal) fatalErrorCount++;
      return {
        ruleId: m.ruleId,
        severity: eslintSeverity(m.severity),
        message: m.message,
        line: m.range.start.line,
        column: m.range.start.column,
        endLine: m.range.end.line,
        endColumn: m.range.end.column,
        messageId: m.code,
        ...(fatal ? { fatal: true } : {}),
        ...(fix ? { fix } : {}),
        ...(suggestions.length > 0 ? { suggestions } : {}),
      };
    });
    return {
      filePath: result.filePath,
      messages,
      suppressedMessages: [],
      errorCount: n.errors,
      fatalErrorCount,
      warningCount: n.warnings,
      fixableErrorCount,
      fixableWarningCount,
      usedDeprecatedRules: [],
      ...(source !== undefined ? { source } : {}),
    };
  });
}
