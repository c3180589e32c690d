/** Runs the enabled rules over one parsed query and merges their findings with the parser's. */
import {
  type Diagnostic,
  eventTypes,
  fields,
  LineIndex,
  lookupField,
  objectTypes,
  operatorInfo,
  type Query,
  type Range,
} from '@s1ql/language';
import { recommended } from './config.ts';
import { rules } from './registry.ts';
import type { Catalog, Exclusion, LintMessage, Report, ResolvedConfig } from './types.ts';

const catalog: Catalog = { fields, eventTypes, objectTypes, lookupField, operatorInfo };
const ruleById = new Map(rules.map((r) => [r.meta.id, r]));

/** The code and rule id of the finding for an exclusion that no longer matches anything. */
export const UNUSED_EXCLUSION = { ruleId: 'unused-exclusion', code: 'R490' } as const;

function compare(a: LintMessage, b: LintMessage): number {
  return (
    a.range.start.offset - b.range.start.offset ||
    a.range.end.offset - b.range.end.offset ||
    (a.code < b.code ? -1 : a.code > b.code ? 1 : 0)
  );
}

export interface LintOptions {
  /**
   * Exclusions that cover other files too (a glob, or no file): whether they still match anything is judged over the
   * whole run by the caller, so they are not reported as unused here.
   */
  readonly shared?: ReadonlySet<Exclusion>;
  /** Collects every exclusion that excluded a finding. */
  readonly used?: Set<Exclusion>;
}

/**
 * Lints one query. Returns the parse diagnostics (ruleId null) and the rules' findings, sorted by position.
 * A rule that throws is a bug in the rule: the error propagates.
 */
export function lint(
  parsed: { readonly ast: Query; readonly diagnostics: readonly Diagnostic[] },
  text: string,
  config: ResolvedConfig = recommended,
  options: LintOptions = {},
): LintMessage[] {
  const lines = new LineIndex(text);
  const found: LintMessage[] = [];
  for (const [id, rc] of config.rules) {
    const rule = ruleById.get(id);
    if (!rule) continue;
    const report = (r: Report) => {
      const range = r.range ?? r.node?.range;
      if (!range) throw new TypeError(`rule ${id} reported without a node or range`);
      found.push({
        ruleId: id,
        code: rule.meta.code,
        severity: rc.severity,
        message: r.message,
        range,
        ...(r.fix ? { fix: r.fix } : {}),
        ...(r.suggestions && r.suggestions.length > 0 ? { suggestions: r.suggestions } : {}),
      });
    };
    rule.check({
      ast: parsed.ast,
      text,
      catalog,
      options: rc.options,
      rangeOf: (start, end) => lines.range(start, end),
      report,
    });
  }
  const used = new Set<number>();
  const kept = found.filter((m) => {
    const i = config.exclusions.findIndex((e) => e.rule === m.ruleId || e.rule === '*');
    if (i < 0) return true;
    used.add(i);
    options.used?.add(config.exclusions[i] as Exclusion);
    return false;
  });
  const start: Range = lines.range(0, 0);
  config.exclusions.forEach((e, i) => {
    if (used.has(i) || options.shared?.has(e)) return;
    kept.push({
      ruleId: UNUSED_EXCLUSION.ruleId,
      code: UNUSED_EXCLUSION.code,
      severity: 'warning',
      message: `The exclusion of "${e.rule}"${e.file ? ` for ${e.file}` : ''} no longer matches any finding; remove it.`,
      range: start,
    });
  });
  const parseMessages: LintMessage[] = parsed.diagnostics.map((d) => ({ ...d, ruleId: null }));
  return [...parseMessages, ...kept].sort(compare);
}
