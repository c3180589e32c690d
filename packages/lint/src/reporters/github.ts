/** GitHub Actions workflow commands: each finding becomes an annotation on the pull request. */
import type { FileResult } from '../types.ts';
import { shownRule } from './common.ts';

const COMMAND = { error: 'error', warning: 'warning', info: 'notice' } as const;

/** Escaping of a command's message (data). */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escaping of a property value: as data, plus `:` and `,`, which separate properties. */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function toGithub(results: readonly FileResult[]): string {
  const lines: string[] = [];
  for (const r of results) {
    for (const m of r.messages) {
      const props = [
        `file=${escapeProperty(r.filePath)}`,
        `line=${m.range.start.line}`,
        `col=${m.range.start.column}`,
        `endLine=${m.range.end.line}`,
        `endColumn=${m.range.end.column}`,
        `title=${escapeProperty(shownRule(m))}`,
      ];
      lines.push(`::${COMMAND[m.severity]} ${props.join(',')}::${escapeData(m.message)}`);
    }
  }
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}
