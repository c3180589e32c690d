/**
 * Sweep planning of 10,000 mixed IOCs (sha1, sha256, md5, IPs, domains, URLs, paths; 2% invalid, 5% duplicates),
 * generated deterministically. Reports queries vs the theoretical minimum for the limits, planning time, and as
 * the floor in the same run: the time to JSON.stringify the planned queries' text (one pass over the output).
 */
import { planSweep } from '@s1ql/builder';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const rand = rng(42);
const hex = (n: number): string => Array.from({ length: n }, () => Math.floor(rand() * 16).toString(16)).join('');
const word = (): string =>
  Array.from({ length: 4 + Math.floor(rand() * 10) }, () => String.fromCharCode(97 + Math.floor(rand() * 26))).join('');
const makers: (() => string)[] = [
  () => hex(40),
  () => hex(64),
  () => hex(32),
  () =>
    `${1 + Math.floor(rand() * 223)}.${Math.floor(rand() * 256)}.${Math.floor(rand() * 256)}.${Math.floor(rand() * 256)}`,
  () => `${word()}[.]${word()}.com`,
  () => `hxxps://${word()}.net/${word()}/${word()}.php?id=${Math.floor(rand() * 1e6)}`,
  () => `C:\\Users\\${word()}\\AppData\\Local\\Temp\\${word()}.exe`,
];
const N = 10_000;
const iocs: string[] = [];
for (let i = 0; i < N; i++) {
  const r = rand();
  if (r < 0.02) iocs.push(`${word()} not-an-ioc`);
  else if (r < 0.07 && iocs.length > 0) iocs.push(iocs[Math.floor(rand() * iocs.length)] as string);
  else iocs.push((makers[i % makers.length] as () => string)());
}

function time<T>(fn: () => T, runs: number): { ms: number; result: T } {
  let result = fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    result = fn();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  return { ms: samples[Math.floor(samples.length / 2)] as number, result };
}

const { ms: planMs, result: plan } = time(() => planSweep(iocs), 9);
const texts = plan.queries.map((q) => q.text);
const { ms: floorMs } = time(() => JSON.stringify(texts), 9);
const minimum = plan.lowerBound;
// What one query per kind, one list per field (100 values) would take: the plan packs kinds and lists together.
const countOnly = plan.kinds.reduce((n, k) => n + Math.ceil(k.iocs / 100), 0);

console.log('| measure | value |');
console.log('|---|---|');
console.log(`| input entries | ${N} (unique valid ${plan.iocs.length}, invalid ${plan.invalid.length}) |`);
console.log(`| queries planned | ${plan.queries.length} |`);
console.log(`| lower bound (total size / room in one query) | ${minimum} |`);
console.log(`| one query per kind and 100 values (sum ceil(n/100)), for comparison | ${countOnly} |`);
for (const k of plan.kinds)
  console.log(`| ${k.kind} | ${k.iocs} IOCs in ${k.queries} queries (bound ${k.lowerBound}) |`);
console.log(`| longest query | ${Math.max(...texts.map((t) => t.length))} chars (limit 8000) |`);
console.log(`| planning time (median of 9) | ${planMs.toFixed(1)} ms |`);
console.log(`| floor: JSON.stringify of the planned query texts | ${floorMs.toFixed(2)} ms |`);
console.log(`| ratio plan / floor | ${(planMs / floorMs).toFixed(1)}x |`);
