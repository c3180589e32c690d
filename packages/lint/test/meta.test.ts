/// <reference types="node" />
/**
 * Keeps each rule's three parts in step (STYLE.md item 7): the rule, its test, its doc whose Bad example produces
 * the rule's finding and whose Good example does not; and the docs index, regenerated and compared with the
 * committed one (`UPDATE_DOCS=1 pnpm vitest run --project lint` rewrites it).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parse } from '@s1ql/language';
import { describe, expect, it } from 'vitest';
import { lint, rules } from '../src/index.ts';
import { only } from './rule-tester.ts';

const root = new URL('../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8');

function example(doc: string, heading: 'Bad' | 'Good'): string | undefined {
  const m = new RegExp(`## ${heading}\\n+\`\`\`s1ql\\n([\\s\\S]*?)\\n\`\`\``).exec(doc);
  return m?.[1];
}

export function rulesIndex(): string {
  const rows = rules.map(
    (r) =>
      `| [${r.meta.id}](./${r.meta.id}.md) | ${r.meta.code} | ${r.meta.category} | ${r.meta.defaultSeverity} | ${r.meta.fixable ? (r.meta.changesMeaning ? 'yes (changes meaning)' : 'yes') : ''} | ${r.meta.description.replace(/\|/g, '\\|')} |`,
  );
  return [
    '# Lint rules',
    '',
    "Generated from the rules' `meta` by `packages/lint/test/meta.test.ts`; do not edit by hand.",
    '',
    '| rule | code | category | default | fix | description |',
    '|---|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}

describe('every rule has its rule file, test and doc, in step', () => {
  it('has unique ids and codes', () => {
    expect(new Set(rules.map((r) => r.meta.id)).size).toBe(rules.length);
    expect(new Set(rules.map((r) => r.meta.code)).size).toBe(rules.length);
    for (const r of rules) expect(r.meta.code).toMatch(/^R4\d\d$/);
  });

  for (const rule of rules) {
    const id = rule.meta.id;
    describe(id, () => {
      it('has src, test and doc files and a matching docsUrl', () => {
        expect(existsSync(new URL(`src/rules/${id}.ts`, root))).toBe(true);
        expect(existsSync(new URL(`test/rules/${id}.test.ts`, root))).toBe(true);
        expect(existsSync(new URL(`docs/rules/${id}.md`, root))).toBe(true);
        expect(rule.meta.docsUrl).toBe(`https://github.com/s1ql/s1ql/blob/main/packages/lint/docs/rules/${id}.md`);
      });

      it('its Bad example produces the finding and its Good example does not', () => {
        const doc = read(`docs/rules/${id}.md`);
        const bad = example(doc, 'Bad');
        const good = example(doc, 'Good');
        expect(bad, 'a "## Bad" ```s1ql block').toBeDefined();
        expect(good, 'a "## Good" ```s1ql block').toBeDefined();
        const findings = (text: string) => {
          const parsed = parse(text);
          expect(parsed.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
          return lint(parsed, text, only(rule)).filter((m) => m.ruleId === id);
        };
        expect(findings(bad as string).length).toBeGreaterThan(0);
        expect(findings(good as string)).toEqual([]);
      });
    });
  }

  it('docs/rules/README.md matches the rules', () => {
    const expected = rulesIndex();
    const path = new URL('docs/rules/README.md', root);
    if (process.env.UPDATE_DOCS) writeFileSync(path, expected);
    // Biome aligns Markdown tables; compare cells, not padding.
    const cells = (md: string) =>
      md
        .split('\n')
        .map((l) => (l.startsWith('|') ? l.replace(/ *\| */g, '|').replace(/-{3,}/g, '---') : l))
        .join('\n')
        .trimEnd();
    expect(cells(existsSync(path) ? readFileSync(path, 'utf8') : '')).toBe(cells(expected));
  });
});
