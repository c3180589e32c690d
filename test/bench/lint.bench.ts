/**
 * Lint cost per query over the corpus's S1QL 1.0 rows: parse alone (the floor) against parse + lint with every
 * rule on, in µs per query (p50, p99, mean) and the ratio lint/parse.
 */
import { readFileSync } from 'node:fs';
import { parse } from '@s1ql/language';
import { lint, resolveConfig } from '@s1ql/lint';

const rows = readFileSync(new URL('../../../shared/data/s1ql-corpus.jsonl', import.meta.url), 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l) as { query: string; dialect: string })
  .filter((r) => r.dialect === 's1ql1')
  .map((r) => r.query);
const all = resolveConfig({ extends: 'all' });
const ROUNDS = 20;

function measure(work: (q: string) => void): { p50: number; p99: number; mean: number } {
  for (const q of rows) work(q); // warm-up
  const times: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    for (const q of rows) {
      const t0 = process.hrtime.bigint();
      work(q);
      times.push(Number(process.hrtime.bigint() - t0) / 1000);
    }
  }
  times.sort((a, b) => a - b);
  const at = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))] as number;
  return { p50: at(0.5), p99: at(0.99), mean: times.reduce((s, t) => s + t, 0) / times.length };
}

const parseOnly = measure((q) => {
  parse(q);
});
const parseLint = measure((q) => {
  lint(parse(q), q, all);
});
const f = (n: number) => n.toFixed(1);
console.log(`${rows.length} S1QL 1.0 queries x ${ROUNDS} rounds, all rules on\n`);
console.log('| measure | p50 µs | p99 µs | mean µs |');
console.log('|---|---|---|---|');
console.log(`| parse (floor) | ${f(parseOnly.p50)} | ${f(parseOnly.p99)} | ${f(parseOnly.mean)} |`);
console.log(`| parse + lint | ${f(parseLint.p50)} | ${f(parseLint.p99)} | ${f(parseLint.mean)} |`);
console.log(
  `| ratio (parse+lint)/parse | ${(parseLint.p50 / parseOnly.p50).toFixed(2)} | ${(parseLint.p99 / parseOnly.p99).toFixed(2)} | ${(parseLint.mean / parseOnly.mean).toFixed(2)} |`,
);
