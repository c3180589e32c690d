/**
 * Language core benchmarks (issue: language core): parse latency for a ~500-character hunt, throughput over the
 * S1QL 1.0 corpus repeated to 2 MB with JSON.parse of the same number of bytes as the floor (and Chevrotain's own
 * floors: its lexer alone, its recognizer consuming every token), and start-up cost.
 * Run: `pnpm bench language` (or `node test/bench/language.bench.ts`).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { AnyToken, parse, tokenTypes } from '@s1ql/language';
import { EmbeddedActionsParser, type IToken, Lexer, type TokenType } from 'chevrotain';

const corpus = readFileSync(new URL('../../../shared/data/s1ql-corpus.jsonl', import.meta.url), 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l) as { query: string; dialect: string; note?: string })
  .filter((r) => r.dialect === 's1ql1' && !r.note?.includes('malformed'))
  .map((r) => r.query);

const hunt =
  'EventType = "Process Creation" AND EndpointOS = "windows" AND TgtProcName In AnyCase ("powershell.exe", "pwsh.exe", "powershell_ise.exe") ' +
  'AND (TgtProcCmdLine Contains AnyCase "-enc" OR TgtProcCmdLine Contains AnyCase "-EncodedCommand" OR TgtProcCmdLine RegExp "(?i)\\s-e(c|nc|ncodedcommand)?\\s+[A-Za-z0-9+/=]{40,}") ' +
  'AND NOT SrcProcName In AnyCase ("ccmexec.exe", "sccm.exe", "gpupdate.exe") AND SrcProcParentName Does Not ContainCIS "msiexec" ' +
  'AND TgtProcIntegrityLevel In AnyCase ("HIGH", "SYSTEM") AND SrcProcUser Is Not Empty';

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

function round(n: number, digits = 2): string {
  return n.toFixed(digits);
}

// Warm up the JIT on everything first.
for (let i = 0; i < 20_000; i++) parse(corpus[i % corpus.length] as string);

// 1. Latency for one ~500-character hunt.
const samples: number[] = [];
for (let i = 0; i < 50_000; i++) {
  const t = performance.now();
  parse(hunt);
  samples.push((performance.now() - t) * 1000);
}
samples.sort((a, b) => a - b);

// 2. Throughput over the corpus repeated to 2 MB, against JSON.parse of the same number of bytes.
const queries: string[] = [];
let bytes = 0;
while (bytes < 2 * 1024 * 1024) {
  for (const q of corpus) {
    queries.push(q);
    bytes += Buffer.byteLength(q);
  }
}
const json = JSON.stringify(queries.map((q) => ({ query: q, dialect: 's1ql1' })));
const jsonBytes = Buffer.byteLength(json);

function best(run: () => void, times = 7): number {
  let min = Number.POSITIVE_INFINITY;
  for (let i = 0; i < times; i++) {
    const t = performance.now();
    run();
    min = Math.min(min, performance.now() - t);
  }
  return min / 1000;
}

const parseSeconds = best(() => {
  for (const q of queries) parse(q);
});
const jsonSeconds = best(() => {
  JSON.parse(json);
});
const mb = bytes / (1024 * 1024);
const parseMBs = mb / parseSeconds;
const jsonMBs = jsonBytes / (1024 * 1024) / jsonSeconds;

// 2a. Chevrotain's floors on the same queries: its lexer alone (the language's token set, as parse builds it), and
// its recognizer consuming every token in one MANY loop, the least any Chevrotain grammar can do per token, and (in
// a process of its own, see packages/language/bench/grammar-floor.ts) Chevrotain lexing and recognising this
// grammar. None builds a tree or checks anything: they show how much of the 10x budget the prescribed library takes
// by itself.
const grammarFloor = JSON.parse(
  execFileSync(
    process.execPath,
    [fileURLToPath(new URL('../../packages/language/bench/grammar-floor.ts', import.meta.url))],
    {
      input: json,
      encoding: 'utf8',
      maxBuffer: 1024 * 1024,
    },
  ),
) as { grammarMBs: number; jsonMBs: number };
const lexer = new Lexer(tokenTypes as TokenType[], { positionTracking: 'onlyOffset', skipValidations: true });
class ConsumeAll extends EmbeddedActionsParser {
  constructor() {
    super(tokenTypes as TokenType[], { maxLookahead: 1 });
    this.performSelfAnalysis();
  }
  all = this.RULE('all', () => {
    this.MANY(() => this.CONSUME(AnyToken));
  });
}
const consumer = new ConsumeAll();
const lexed: IToken[][] = queries.map((q) => lexer.tokenize(q).tokens);
const tokenCount = lexed.reduce((n, t) => n + t.length, 0);
const lexSeconds = best(() => {
  for (const q of queries) lexer.tokenize(q);
});
const consumeSeconds = best(() => {
  for (const tokens of lexed) {
    consumer.input = tokens;
    consumer.all();
  }
});
const lexMBs = mb / lexSeconds;
const consumeMBs = mb / consumeSeconds;

// 2b. Broken input at scale: every token an error (thousands of diagnostics) must stay linear, never a hang. Time per
// KB at two sizes: a ratio near 1 is linear, near 2 quadratic.
// The sizes alternate after a warm-up, each run starting from a collected heap: the garbage the throughput runs left
// behind would otherwise be collected inside whichever run comes next.
setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;
const smallText = ')'.repeat(20_000);
const largeText = ')'.repeat(80_000);
parse(smallText);
let errorsSmall = Number.POSITIVE_INFINITY;
let errorsLarge = Number.POSITIVE_INFINITY;
for (let i = 0; i < 5; i++) {
  for (const text of [smallText, largeText]) {
    collect();
    const t = performance.now();
    parse(text);
    const perKb = (performance.now() - t) / 1000 / (text.length / 1024);
    if (text === smallText) errorsSmall = Math.min(errorsSmall, perKb);
    else errorsLarge = Math.min(errorsLarge, perKb);
  }
}

// 3. Start-up: module load and lexer + parser construction, in fresh processes (best of 5).
const root = fileURLToPath(new URL('../../', import.meta.url));
const probe = `
const t0 = performance.now();
const m = await import('@s1ql/language');
const t1 = performance.now();
m.initParser();
const t2 = performance.now();
console.log(JSON.stringify({ load: t1 - t0, init: t2 - t1 }));`;
const startups = Array.from({ length: 5 }, () =>
  JSON.parse(
    execFileSync(process.execPath, ['--input-type=module', '-e', probe], {
      cwd: `${root}packages/cli`,
      encoding: 'utf8',
    }),
  ),
) as { load: number; init: number }[];
const init = Math.min(...startups.map((s) => s.init));
const load = Math.min(...startups.map((s) => s.load));

const rows = [
  ['parse latency p50, ~500-char hunt', `${round(percentile(samples, 50))} µs`, 'goal <= 20 µs'],
  ['parse latency p99', `${round(percentile(samples, 99))} µs`, ''],
  [
    `parse throughput, corpus x${Math.round(queries.length / corpus.length)} (${round(mb)} MB)`,
    `${round(parseMBs, 1)} MB/s`,
    'goal >= 30 MB/s',
  ],
  ['floor: JSON.parse of the same bytes', `${round(jsonMBs, 1)} MB/s`, ''],
  ['ratio JSON.parse / parse (lower is better)', `${round(jsonMBs / parseMBs, 1)}x`, 'goal <= 10x'],
  [
    `Chevrotain floor: its lexer alone, same queries (${tokenCount.toLocaleString('en-US')} tokens)`,
    `${round(lexMBs, 1)} MB/s = ${round(jsonMBs / lexMBs, 1)}x JSON.parse`,
    'share of the 10x budget',
  ],
  [
    'Chevrotain floor: its recognizer consuming every token (no tree)',
    `${round(consumeMBs, 1)} MB/s = ${round(jsonMBs / consumeMBs, 1)}x JSON.parse`,
    'share of the 10x budget',
  ],
  [
    'Chevrotain floor: its lexer and recognizer running this grammar, no tree built (own process)',
    `${round(grammarFloor.grammarMBs, 1)} MB/s = ${round(grammarFloor.jsonMBs / grammarFloor.grammarMBs, 1)}x JSON.parse`,
    'share of the 10x budget',
  ],
  [
    'all-error input (`)` x 80,000: 80,000 diagnostics)',
    `${round(errorsLarge * 1e6, 1)} µs/KB; ${round(errorsLarge / errorsSmall, 2)}x the per-KB time at 20,000`,
    'linear (~1x)',
  ],
  ['parser initialisation (lexer + parser)', `${round(init, 1)} ms`, 'goal <= 20 ms'],
  ['module load (chevrotain + catalogs)', `${round(load, 1)} ms`, ''],
];
console.log(`hunt length: ${hunt.length} characters; Node ${process.version}\n`);
console.log('| measure | value | target |\n|---|---|---|');
for (const [a, b, c] of rows) console.log(`| ${a} | ${b} | ${c} |`);
