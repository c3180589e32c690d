import { applyEdits, type Diagnostic, type Fix } from '../src/index.ts';

/** Applies a fix's edits (non-overlapping) to the text. */
export function applyFix(text: string, fix: Fix): string {
  return applyEdits(text, fix.edits);
}

/** `line:column code` of each diagnostic, for compact assertions. */
export function where(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((d) => `${d.range.start.line}:${d.range.start.column} ${d.code}`);
}
