import { LineIndex, type Severity } from '@s1ql/language';
import type { FileResult, LintMessage } from '../types.ts';

export function isError(m: LintMessage): boolean {
  return m.severity === 'error';
}

/** Errors, warnings and infos: an info is neither (it never fails a run, nor counts against --max-warnings). */
export function counts(messages: readonly LintMessage[]): { errors: number; warnings: number; infos: number } {
  let errors = 0;
  let warnings = 0;
  for (const m of messages) {
    if (isError(m)) errors++;
    else if (m.severity === 'warning') warnings++;
  }
  return { errors, warnings, infos: messages.length - errors - warnings };
}

export function eslintSeverity(s: Severity): 1 | 2 {
  return s === 'error' ? 2 : 1;
}

/** The rule id shown for a message: parser diagnostics have none, so their code stands in. */
export function shownRule(m: LintMessage): string {
  return m.ruleId ?? m.code;
}

export function sourceOf(result: FileResult, sources?: ReadonlyMap<string, string>): string | undefined {
  return result.source ?? sources?.get(result.filePath);
}

export function lineIndex(text: string | undefined): LineIndex | undefined {
  return text === undefined ? undefined : new LineIndex(text);
}
