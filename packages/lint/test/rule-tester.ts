/** Runs one rule alone over valid and invalid queries, asserting code, message, exact range and fix output. */
import { parse } from '@s1ql/language';
import { describe, expect, it } from 'vitest';
import { applyFixes, lint, type ResolvedConfig, type Rule } from '../src/index.ts';

export interface InvalidCase {
  readonly code: string;
  /** A substring of the message. */
  readonly message: string;
  readonly line?: number;
  readonly column: number;
  readonly endLine?: number;
  readonly endColumn: number;
  /** The text after applying this finding's fix; absent when the finding has no fix. */
  readonly output?: string;
  readonly options?: unknown;
  /** How many findings of this rule the query gives (default 1; the first is asserted). */
  readonly count?: number;
}

export type ValidCase = string | { readonly code: string; readonly options?: unknown };

export function only(rule: Rule, options?: unknown): ResolvedConfig {
  return { rules: new Map([[rule.meta.id, { severity: 'error', options }]]), exclusions: [], config: {} };
}

export function run(rule: Rule, code: string, options?: unknown) {
  const parsed = parse(code);
  expect(parsed.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return lint(parsed, code, only(rule, options)).filter((m) => m.ruleId === rule.meta.id);
}

export function ruleTester(rule: Rule, cases: { valid: readonly ValidCase[]; invalid: readonly InvalidCase[] }): void {
  describe(rule.meta.id, () => {
    for (const v of cases.valid) {
      const c = typeof v === 'string' ? { code: v } : v;
      it(`valid: ${c.code}`, () => {
        expect(run(rule, c.code, c.options)).toEqual([]);
      });
    }
    for (const c of cases.invalid) {
      it(`invalid: ${c.code}`, () => {
        const found = run(rule, c.code, c.options);
        expect(found).toHaveLength(c.count ?? 1);
        const m = found[0];
        if (!m) return;
        expect(m.code).toBe(rule.meta.code);
        expect(m.message).toContain(c.message);
        expect({
          line: m.range.start.line,
          column: m.range.start.column,
          endLine: m.range.end.line,
          endColumn: m.range.end.column,
        }).toEqual({ line: c.line ?? 1, column: c.column, endLine: c.endLine ?? c.line ?? 1, endColumn: c.endColumn });
        if (c.output === undefined) {
          expect(m.fix).toBeUndefined();
        } else {
          expect(rule.meta.fixable).toBe(true);
          const result = applyFixes(c.code, [m]);
          expect(result.dropped).toEqual([]);
          expect(result.output).toBe(c.output);
        }
      });
    }
  });
}
