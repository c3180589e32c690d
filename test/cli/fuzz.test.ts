/**
 * The offline commands (`parse`, `fmt`, `lint`, `check`) fuzzed in-process through `main(argv, io)`. Each run builds a
 * fresh workspace in a temporary directory (hunt files, a folder of hunts, an empty folder, configuration files good
 * and bad) whose contents are arbitrary text, mutated corpus queries and mutated SentinelLabs hunts, with byte order
 * marks, CRLF or lone CR line ends, invalid UTF-8, NUL bytes and very long lines; the command line mixes the real
 * flags with bad values, unknown flags, `-`, empty, missing and odd paths. Whatever the input, design/CLI.md holds:
 * - `main` resolves, in time, to 0, 1 or 2 (2 with a message naming `s1ql`);
 * - nothing on stderr or stdout is a stack trace or an internal error (`internal error`, P299);
 * - every position printed (`file:line:col:` on stderr, the JSON, SARIF, GitHub and stylish reports, every range of
 *   `parse --json`'s tree) is 1-based and inside the file it names, which is a file of the run;
 * - `parse --json` prints one JSON object per line, `--format json|sarif` one JSON document, whose `source` is the
 *   file's text;
 * - `fmt --check` prints nothing on stdout; `fmt` succeeds exactly when `parse` does, and its output parses without
 *   errors and formats to itself; after `fmt --write` succeeds, `fmt --check` does too;
 * - `lint --fix` never turns a file that parsed into one that does not, and no file changes unless `fmt --write` or
 *   `lint --fix` was asked to rewrite it.
 * A second property drives `fmt` alone on single files, most of them well-formed, to reach the formatter often.
 */
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, extname, join, resolve } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { main } from '@s1ql/cli';
import { parse } from '@s1ql/language';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const DATA = new URL('../../../shared/data/', import.meta.url);
/** Longest a single command may take before it counts as hung (a cold `check` loads YAML, Ajv and the engine). */
const HANG_MS = 10_000;

// ---- running the CLI in-process -------------------------------------------------------------------------------

interface Outcome {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A stream that keeps what is written to it. */
function sink(): { stream: Writable; text: () => string } {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
      callback();
    },
  });
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

/** Runs `s1ql argv...` in `cwd` with `stdin`; rejects when it does not finish within HANG_MS. */
async function cli(argv: readonly string[], cwd: string, stdin: Uint8Array = new Uint8Array()): Promise<Outcome> {
  const out = sink();
  const err = sink();
  const io = {
    stdout: out.stream,
    stderr: err.stream,
    stdin: Readable.from(stdin.length > 0 ? [Buffer.from(stdin)] : []),
    env: {},
    cwd,
  };
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`s1ql ${JSON.stringify(argv)} did not finish in ${HANG_MS} ms`)),
      HANG_MS,
    );
  });
  const started = performance.now();
  try {
    const code = await Promise.race([main(argv, io), hung]);
    // Work that never yields cannot be stopped by the timer: it is caught here, once it ends.
    const took = performance.now() - started;
    if (took > HANG_MS) throw new Error(`s1ql ${JSON.stringify(argv)} took ${Math.round(took)} ms`);
    return { code, stdout: out.text(), stderr: err.text() };
  } finally {
    clearTimeout(timer);
  }
}

// ---- inputs -----------------------------------------------------------------------------------------------------

const corpus: string[] = (await readFile(new URL('s1ql-corpus.jsonl', DATA), 'utf8'))
  .trim()
  .split('\n')
  .map((line) => (JSON.parse(line) as { query: string }).query);

const HUNTS_DIR = new URL('sentinellabs-s1ql-queries/Queries/', DATA);
const hunts: string[] = await Promise.all(
  [
    'LOLBAS_cmstp.yml',
    'LOLBAS_shell32.yml', // CRLF
    'dhcp_calloutdll.yml', // a backslash in a plain scalar
    'powershell_unmanaged.yml',
    'powershell_unnecessary_escaping.yml',
    'sunburst_dll_hash.yml',
    'suspicious_data_compression.yml',
  ].map((name) => readFile(new URL(name, HUNTS_DIR), 'utf8')),
);

/** Pieces of S1QL, YAML and text that break things when dropped into a query. */
const FRAGMENTS = [
  'EventType',
  'TgtProcName',
  '=',
  '!=',
  'In',
  'Not',
  'AnyCase',
  'Contains',
  'ContainsCIS',
  'RegExp',
  'Between',
  'And',
  'OR',
  'NOT',
  'Is Empty',
  'Exists',
  '(',
  ')',
  ',',
  '"x"',
  '"',
  "'",
  '\\',
  '\\"',
  '1',
  '--',
  '//',
  '|',
  '#',
  ':',
  ': ',
  '- ',
  '\t',
  '\n',
  '\r\n',
  '\r',
  '\u00a0',
  '\u2028',
  '\u0000',
  '\ud83d\ude00',
  '\ud800',
  '“',
  '%APPDATA%',
  '*',
  '{',
  '[',
  '&a',
  '*a',
  '---',
  '...',
];

interface ChunkEdit {
  readonly op: 'delete' | 'duplicate' | 'swap' | 'insert';
  readonly a: number;
  readonly b: number;
  readonly c: number;
  readonly fragment: string;
}

const chunkEdit: fc.Arbitrary<ChunkEdit> = fc.record({
  op: fc.constantFrom('delete' as const, 'duplicate' as const, 'swap' as const, 'insert' as const),
  a: fc.nat(),
  b: fc.nat(),
  c: fc.nat(),
  fragment: fc.constantFrom(...FRAGMENTS),
});

/** Deletes, duplicates or swaps chunks of `text` (code units: a surrogate pair may be split), or inserts a fragment. */
function applyEdit(text: string, e: ChunkEdit): string {
  const n = text.length + 1;
  const [from, to] = [e.a % n, e.b % n].sort((x, y) => x - y) as [number, number];
  const span = Math.min(to - from, 40);
  const end = from + span;
  switch (e.op) {
    case 'delete':
      return text.slice(0, from) + text.slice(end);
    case 'duplicate':
      return text.slice(0, end) + text.slice(from, end) + text.slice(end);
    case 'insert':
      return text.slice(0, from) + e.fragment + text.slice(from);
    case 'swap': {
      const at = end + ((e.c % (text.length - end + 1)) >> 1);
      const other = text.slice(at, at + span);
      return text.slice(0, from) + other + text.slice(end, at) + text.slice(from, end) + text.slice(at + span);
    }
  }
}

const mutated = (base: fc.Arbitrary<string>, maxEdits = 4): fc.Arbitrary<string> =>
  fc.tuple(base, fc.array(chunkEdit, { maxLength: maxEdits })).map(([text, edits]) => edits.reduce(applyEdit, text));

/** Query text: real queries (mostly mutated), fragments strung together, and arbitrary strings. */
const queryText: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: mutated(fc.constantFrom(...corpus)) },
  { weight: 2, arbitrary: fc.constantFrom(...corpus) },
  { weight: 1, arbitrary: fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 12 }).map((p) => p.join(' ')) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
);

/** The query written as a YAML value in one of the styles people use (or, `raw`, pasted without care). */
function yamlValue(query: string, style: string): string {
  const lines = query.split(/\r\n|\r|\n/);
  switch (style) {
    case 'double':
      return JSON.stringify(query);
    case 'single':
      return `'${query.replace(/'/g, "''")}'`;
    case 'literal':
      return `|\n${lines.map((l) => `  ${l}`).join('\n')}`;
    case 'folded':
      return `>-\n${lines.map((l) => `  ${l}`).join('\n')}`;
    case 'empty':
      return '';
    default:
      return query;
  }
}

/** Our own keys, valid and not. */
const OWN_KEYS = [
  'id: hunt-1',
  'id: two words',
  'dialect: s1ql2',
  'dialect: pq',
  'dialect: s1ql1',
  'dialect: sql',
  'lint:\n  - rule: keyword-case\n    reason: written as the vendor wrote it',
  'lint:\n  - rule: no-such-rule\n    reason: x',
  'lint:\n  - rule: keyword-case',
  'tests:\n  match:\n    - TgtProcName: cmstp.exe\n      EventType: Process Creation\n  no_match:\n    - {}',
  'tests:\n  match: nope',
  'tests:\n  match:\n    - 42',
  'created_date: 2024-02-30',
  'last_update: 1-Jan-1999',
  'tags:\n  - mitre.T99999',
  'title: ""',
  'query2: extra',
  'x: &a [*a]',
  'y: *nowhere',
];

/** Ways YAML breaks. */
const YAML_BREAKS = [
  'query: "unclosed\n',
  'tags: [mitre.T1059\n',
  'a: {b: 1\n',
  '\tindented: with a tab\n',
  'title: again\n',
  '---\nsecond: document\n',
  'key: : value\n',
  '- a list item\n',
  '  bad: indent\n',
  '? complex\n: key\n',
  '%YAML 1.1\n---\n',
];

/** A SentinelLabs hunt with its query replaced, keys added, YAML broken and lines shuffled, each at random. */
const huntText: fc.Arbitrary<string> = fc
  .record({
    hunt: fc.constantFrom(...hunts),
    query: fc.option(queryText, { nil: undefined }),
    style: fc.constantFrom('plain', 'double', 'single', 'literal', 'folded', 'empty', 'raw'),
    extra: fc.subarray(OWN_KEYS, { maxLength: 3 }),
    breaks: fc.array(fc.tuple(fc.constantFrom(...YAML_BREAKS), fc.nat()), { maxLength: 2 }),
    edits: fc.array(chunkEdit, { maxLength: 2 }),
    dropQuery: fc.boolean(),
  })
  .map(({ hunt, query, style, extra, breaks, edits, dropQuery }) => {
    let text = hunt;
    if (dropQuery && query === undefined) text = text.replace(/^query:[^\r\n]*(\r?\n)?/m, '');
    else if (query !== undefined) text = text.replace(/^query:[^\r\n]*/m, () => `query: ${yamlValue(query, style)}`);
    if (!text.endsWith('\n')) text += '\n';
    text += extra.map((k) => `${k}\n`).join('');
    for (const [piece, at] of breaks) {
      const lines = text.split('\n');
      lines.splice(at % lines.length, 0, piece.replace(/\n$/, ''));
      text = lines.join('\n');
    }
    return edits.reduce(applyEdit, text);
  });

type ByteEdit = (bytes: Uint8Array) => Uint8Array;

const concat = (...parts: ArrayLike<number>[]): Uint8Array => Uint8Array.from(parts.flatMap((p) => Array.from(p)));
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

const insertAt = (junk: fc.Arbitrary<ArrayLike<number>>): fc.Arbitrary<ByteEdit> =>
  fc.tuple(fc.nat(), junk).map(
    ([at, bytes]): ByteEdit =>
      (b) =>
        concat(b.slice(0, at % (b.length + 1)), bytes, b.slice(at % (b.length + 1))),
  );

/** What happens to files on the way: editors, Windows, copy and paste, binary junk (rarer: the file is unreadable). */
const byteEdit: fc.Arbitrary<ByteEdit> = fc.oneof(
  { weight: 2, arbitrary: fc.constant<ByteEdit>((b) => concat([0xef, 0xbb, 0xbf], b)) },
  { weight: 2, arbitrary: fc.constant<ByteEdit>((b) => utf8(new TextDecoder().decode(b).replace(/\r?\n/g, '\r\n'))) },
  { weight: 1, arbitrary: fc.constant<ByteEdit>((b) => utf8(new TextDecoder().decode(b).replace(/\r?\n/g, '\r'))) },
  { weight: 1, arbitrary: fc.constant<ByteEdit>((b) => concat(b, [0x0a, 0x0a, 0x20, 0x0a])) },
  { weight: 2, arbitrary: insertAt(fc.constantFrom([0x00], [0x00, 0x00], [0xe2, 0x80, 0xa8], [0x0d], [0x09])) },
  {
    weight: 2,
    arbitrary: insertAt(
      fc
        .tuple(fc.constantFrom('x', 'a AND ', '"', ' ', 'é', '\ud83d\ude00'), fc.integer({ min: 2_000, max: 20_000 }))
        .map(([unit, length]) => utf8(unit.repeat(Math.ceil(length / unit.length)))),
    ),
  },
  {
    weight: 1,
    arbitrary: fc.oneof(
      insertAt(fc.constantFrom([0xff], [0xc3], [0xed, 0xa0, 0x80], [0xc0, 0x80])),
      fc.constant<ByteEdit>((b) => concat([0xff, 0xfe], b)),
      fc.constant<ByteEdit>((b) => b.slice(0, -1)),
    ),
  },
);

const withByteEdits = (text: fc.Arbitrary<string>): fc.Arbitrary<Uint8Array> =>
  fc
    .tuple(
      text,
      fc.oneof({ weight: 3, arbitrary: fc.constant([]) }, fc.array(byteEdit, { minLength: 1, maxLength: 2 })),
    )
    .map(([t, edits]) => edits.reduce((b, edit) => edit(b), utf8(t)));

const queryFile = withByteEdits(fc.oneof({ weight: 5, arbitrary: queryText }, huntText));
const huntFile = withByteEdits(fc.oneof({ weight: 5, arbitrary: huntText }, queryText));

/** The S1QL 1.0 queries of the corpus that parse without errors. */
const validQueries = (await readFile(new URL('s1ql-corpus.jsonl', DATA), 'utf8'))
  .trim()
  .split('\n')
  .map((line) => JSON.parse(line) as { query: string; dialect: string })
  .filter((row) => row.dialect === 's1ql1' && !parse(row.query).diagnostics.some((d) => d.severity === 'error'))
  .map((row) => row.query);

/** What editors do to a good file without breaking it: a byte order mark, CRLF line ends, blank lines at the end. */
const harmlessEdits = fc.subarray<ByteEdit>([
  (b) => concat([0xef, 0xbb, 0xbf], b),
  (b) => utf8(new TextDecoder().decode(b).replace(/\r?\n/g, '\r\n')),
  (b) => concat(b, [0x0a, 0x0a]),
]);
const harmless = (text: string, edits: readonly ByteEdit[]): Uint8Array => edits.reduce((b, e) => e(b), utf8(text));
const goodQueryFile = fc
  .tuple(fc.constantFrom(...validQueries), harmlessEdits)
  .map(([text, edits]) => harmless(text, edits));

/** A SentinelLabs hunt holding a query that parses, written in each scalar style (plain may not survive YAML). */
const goodHuntFile = fc
  .record({
    hunt: fc.constantFrom(...hunts),
    query: fc.constantFrom(...validQueries),
    style: fc.constantFrom('plain', 'double', 'single', 'literal', 'folded'),
    edits: harmlessEdits,
  })
  .map(({ hunt, query, style, edits }) =>
    harmless(
      hunt.replace(/^query:[^\r\n]*/m, () => `query: ${yamlValue(query, style)}`),
      edits,
    ),
  );

// ---- the workspace ----------------------------------------------------------------------------------------------

const CONFIGS: Readonly<Record<string, string | Uint8Array>> = {
  'good.json': JSON.stringify({ extends: 'all', rules: { 'keyword-case': 'error' } }),
  'good.yaml':
    'extends: recommended\nrules:\n  keyword-case: warn\noverrides:\n  - files: ["lib/**"]\n    rules:\n      keyword-case: "off"\n',
  'exclusions.json': JSON.stringify(
    {
      extends: 'all',
      exclusions: [
        { file: '**/*.yml', rule: 'keyword-case', reason: 'the vendor writes keywords this way' },
        { file: 'q.s1ql', rule: '*', reason: 'a scratch file' },
        { file: 'lib/*', rule: 'list-too-long', reason: 'hash lists are long' },
      ],
    },
    null,
    2,
  ),
  'bom.json': `\ufeff${JSON.stringify({ extends: 'recommended' })}`,
  'bad-syntax.json': '{ "extends": "all", rules: { } ',
  'bad-rule.json': JSON.stringify({ rules: { 'no-such-rule': 'warn' } }),
  'bad-shape.json': '[1, 2, 3]',
  'bad.yaml': 'extends: [all\nrules: {',
  'empty.json': '',
  'binary.json': new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]),
};

const GOOD_CONFIGS = ['good.json', 'good.yaml', 'exclusions.json', 'bom.json'];
const BAD_CONFIGS = [
  ...Object.keys(CONFIGS).filter((c) => !GOOD_CONFIGS.includes(c)),
  'missing.json',
  'lib',
  '',
  'q.s1ql',
];

/** The files of a run, by path relative to the workspace. */
interface Workspace {
  readonly files: Readonly<Record<string, Uint8Array>>;
  readonly brokenLink: boolean;
}

const ODD_NAME = 'we:ird, #%20 name.s1ql';

/** Hunt files as they come (mutated, broken, odd bytes)... */
const messyHunts = fc.record({
  'q.s1ql': queryFile,
  'h.yml': huntFile,
  'lib/a.s1ql': queryFile,
  'lib/b.yaml': huntFile,
  'lib/deep/c.YML': huntFile,
  [ODD_NAME]: queryFile,
  noext: queryFile,
});

/** ...or a library that checks clean (SentinelLabs' hunts, three different ones, and queries that parse). */
const goodHunts = fc
  .record({
    queries: fc.array(goodQueryFile, { minLength: 4, maxLength: 4 }),
    hunts: fc.shuffledSubarray(hunts, { minLength: 3, maxLength: 3 }),
    edits: fc.array(harmlessEdits, { minLength: 3, maxLength: 3 }),
  })
  .map(({ queries: [q, a, odd, noext], hunts: [h, b, c], edits: [eh, eb, ec] }) => ({
    'q.s1ql': q as Uint8Array,
    'h.yml': harmless(h as string, eh ?? []),
    'lib/a.s1ql': a as Uint8Array,
    'lib/b.yaml': harmless(b as string, eb ?? []),
    'lib/deep/c.YML': harmless(c as string, ec ?? []),
    [ODD_NAME]: odd as Uint8Array,
    noext: noext as Uint8Array,
  }));

const workspace: fc.Arbitrary<Workspace> = fc.record({
  files: fc
    .record({
      hunts: fc.oneof({ weight: 2, arbitrary: messyHunts }, goodHunts),
      's1ql.config.json': fc.oneof(
        { weight: 6, arbitrary: fc.constant(undefined) },
        { weight: 2, arbitrary: fc.constantFrom('good.json', 'exclusions.json') },
        fc.constant('bad-rule.json'),
      ),
    })
    .map(({ 's1ql.config.json': cwdConfig, hunts }) => {
      const all: Record<string, Uint8Array> = { ...hunts };
      for (const [name, text] of Object.entries(CONFIGS)) all[name] = typeof text === 'string' ? utf8(text) : text;
      if (cwdConfig !== undefined) all['s1ql.config.json'] = all[cwdConfig] as Uint8Array;
      all['lib/notes.txt'] = utf8('not a hunt');
      all['empty/readme.txt'] = utf8('no hunts here');
      return all;
    }),
  // Rarely: a link to nowhere named like a hunt makes the folder unreadable (exit 2 whatever else is asked).
  brokenLink: fc.oneof({ weight: 9, arbitrary: fc.constant(false) }, fc.constant(true)),
});

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 's1ql-fuzz-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

let runs = 0;
async function materialize(ws: Workspace): Promise<string> {
  const dir = join(root, `run-${runs++}`);
  await mkdir(join(dir, 'lib/deep'), { recursive: true });
  await mkdir(join(dir, 'empty'), { recursive: true });
  for (const [name, bytes] of Object.entries(ws.files)) await writeFile(join(dir, name), bytes);
  if (ws.brokenLink) await symlink(join(dir, 'nowhere.s1ql'), join(dir, 'lib/broken.s1ql'));
  return dir;
}

/** Every file of the workspace as text (BOM set aside, as editors count), by absolute path; undefined when not UTF-8. */
async function snapshot(dir: string, ws: Workspace): Promise<Map<string, string | undefined>> {
  const texts = new Map<string, string | undefined>();
  for (const name of Object.keys(ws.files)) texts.set(join(dir, name), decoded(await readFile(join(dir, name))));
  return texts;
}

function decoded(bytes: Uint8Array): string | undefined {
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  } catch {
    return undefined;
  }
}

// ---- command lines ----------------------------------------------------------------------------------------------

const COMMANDS = ['parse', 'fmt', 'lint', 'check'] as const;
type CommandName = (typeof COMMANDS)[number];

const INPUTS = ['q.s1ql', 'h.yml', 'lib', 'lib/b.yaml', 'lib/deep/c.YML', './lib/', ODD_NAME, 'noext', '-', 'ABSOLUTE'];
const BAD_INPUTS = ['empty', 'missing.s1ql', 'q.s1ql/', 'lib/notes.txt', '', ' '];
const input = fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...INPUTS) }, fc.constantFrom(...BAD_INPUTS));

/** `--name value` or `--name=value`, the value mostly one of `good`. */
const flag = (name: string, good: readonly string[], bad: readonly string[]): fc.Arbitrary<readonly string[]> =>
  fc
    .tuple(
      fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...good) }, { weight: 1, arbitrary: fc.constantFrom(...bad) }),
      fc.boolean(),
    )
    .map(([v, joined]) => (joined ? [`${name}=${v}`] : [name, v]));

const FORMATS = ['stylish', 'json', 'sarif', 'github'];
const BAD_FORMATS = ['garbage', 'JSON', ''];
const MAX_WARNINGS = ['0', '1', '5', '1000'];
const BAD_MAX_WARNINGS = ['-1', '1e3', '0x10', '', 'many', ' 2'];

const OWN_FLAGS: Readonly<Record<CommandName, fc.Arbitrary<readonly string[]>>> = {
  parse: fc.oneof(
    { weight: 3, arbitrary: fc.constant(['--json']) },
    flag('--dialect', ['s1ql1'], ['s1ql2', 'pq', 'xx', '']),
  ),
  fmt: fc.oneof(
    fc.constant(['--check']),
    fc.constant(['--write']),
    flag('--width', ['20', '40', '100'], ['19', 'abc', '1e2', '']),
  ),
  lint: fc.oneof(
    { weight: 2, arbitrary: flag('--format', FORMATS, BAD_FORMATS) },
    flag('--max-warnings', MAX_WARNINGS, BAD_MAX_WARNINGS),
    fc.constant(['--fix']),
    flag('--config', GOOD_CONFIGS, BAD_CONFIGS),
  ),
  check: fc.oneof(
    { weight: 2, arbitrary: flag('--format', FORMATS, BAD_FORMATS) },
    flag('--max-warnings', MAX_WARNINGS, BAD_MAX_WARNINGS),
    flag('--config', GOOD_CONFIGS, BAD_CONFIGS),
  ),
};

const STRAY_FLAGS: fc.Arbitrary<readonly string[]> = fc.oneof(
  fc.constantFrom(['--bogus'], ['-x'], ['--json=yes'], ['--token=secret'], ['--'], ['--help'], ['--format']),
  fc.constantFrom(...COMMANDS).chain((c) => OWN_FLAGS[c]),
);

interface Call {
  readonly command: CommandName;
  readonly argv: string[];
  readonly stdin: Uint8Array;
}

const call: fc.Arbitrary<Call> = fc.constantFrom(...COMMANDS).chain((command) =>
  fc
    .record({
      flags: fc.array(fc.oneof({ weight: 12, arbitrary: OWN_FLAGS[command] }, STRAY_FLAGS), { maxLength: 3 }),
      inputs: fc.oneof(
        { weight: 1, arbitrary: fc.constant<string[]>([]) },
        { weight: 20, arbitrary: fc.array(input, { minLength: 1, maxLength: 3 }) },
      ),
      order: fc.array(fc.nat(), { minLength: 8, maxLength: 8 }),
      stdin: fc.oneof(queryFile, huntFile, goodQueryFile),
    })
    .map(({ flags, inputs, order, stdin }) => {
      // Flags and inputs in any order, a flag and its value kept together.
      const groups = [...flags, ...inputs.map((i) => [i])]
        .map((g, i) => ({ g, key: order[i % order.length] as number }))
        .sort((a, b) => a.key - b.key)
        .flatMap(({ g }) => g);
      return { command, argv: [command, ...groups], stdin };
    }),
);

/** The value a repeated option ends with (Commander keeps the last), as `--name v` or `--name=v`. */
function option(argv: readonly string[], name: string): string | undefined {
  let value: string | undefined;
  const end = argv.indexOf('--');
  const args = end < 0 ? argv : argv.slice(0, end);
  args.forEach((a, i) => {
    if (a === name) value = args[i + 1];
    else if (a.startsWith(`${name}=`)) value = a.slice(name.length + 1);
  });
  return value;
}

const has = (argv: readonly string[], name: string): boolean => {
  const end = argv.indexOf('--');
  return (end < 0 ? argv : argv.slice(0, end)).includes(name);
};

// ---- checking what was printed ----------------------------------------------------------------------------------

interface Context {
  readonly cwd: string;
  /** File texts before the run (positions in messages about the input), by absolute path. */
  readonly before: ReadonlyMap<string, string | undefined>;
  /** And after it (`fmt --write` and `lint --fix` rewrite files; reports describe the result). */
  readonly after: ReadonlyMap<string, string | undefined>;
  readonly stdin: string | undefined;
}

/** The text of the file a message names, or a reason it is not a file of the run. */
function fileNamed(ctx: Context, file: string, when: 'before' | 'after'): string {
  if (file === '-') {
    if (ctx.stdin === undefined) throw new Error('a position in standard input, which is not UTF-8');
    return ctx.stdin;
  }
  const path = resolve(ctx.cwd, file);
  const texts = when === 'before' ? ctx.before : ctx.after;
  if (!texts.has(path)) throw new Error(`a position in ${JSON.stringify(file)}, which is not a file of the run`);
  const text = texts.get(path);
  if (text === undefined) throw new Error(`a position in ${JSON.stringify(file)}, which is not UTF-8`);
  return text;
}

/** Asserts that line:column is 1-based and inside `text` (columns in UTF-16 code units; the end of a line is fine). */
function expectInside(text: string, line: number, column: number, what: string): void {
  const lines = text.split(/\r\n|\r|\n/);
  const where = `${what} at ${line}:${column}`;
  if (!Number.isInteger(line) || !Number.isInteger(column)) throw new Error(`${where}: not whole numbers`);
  if (line < 1 || column < 1) throw new Error(`${where}: not 1-based`);
  const lineText = lines[line - 1];
  if (lineText === undefined) throw new Error(`${where}: the file has ${lines.length} lines`);
  if (column > lineText.length + 1) throw new Error(`${where}: line ${line} has ${lineText.length} characters`);
}

interface Range {
  start: { line: number; column: number };
  end: { line: number; column: number };
}

function isRange(value: unknown): value is Range {
  const r = value as Range;
  return typeof r?.start?.line === 'number' && typeof r?.end?.line === 'number';
}

function expectRangeInside(text: string, r: Range, what: string): void {
  expectInside(text, r.start.line, r.start.column, `${what} (start)`);
  expectInside(text, r.end.line, r.end.column, `${what} (end)`);
  if (r.end.line < r.start.line || (r.end.line === r.start.line && r.end.column < r.start.column)) {
    throw new Error(
      `${what}: ends (${r.end.line}:${r.end.column}) before it starts (${r.start.line}:${r.start.column})`,
    );
  }
}

/** Every range in a JSON value (a syntax tree, diagnostics with their fixes). */
function ranges(value: unknown, out: Range[] = []): Range[] {
  if (isRange(value)) out.push(value);
  if (value !== null && typeof value === 'object') for (const v of Object.values(value)) ranges(v, out);
  return out;
}

const POSITION_LINE = /^(.*?):(\d+):(\d+): (?:error|warning|info|fix of) /;

/** `file:line:col: ...` lines (parse, fmt, lint --fix): positions in the file as it was read. */
function checkPositionLines(stream: string, ctx: Context): void {
  for (const line of stream.split('\n')) {
    const m = POSITION_LINE.exec(line);
    if (!m) continue;
    expectInside(fileNamed(ctx, m[1] as string, 'before'), Number(m[2]), Number(m[3]), line);
  }
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`${what} is not JSON (${(error as Error).message}): ${text.slice(0, 300)}`);
  }
}

function checkParseJson(stdout: string, ctx: Context): void {
  const lines = stdout.split('\n');
  if (lines.pop() !== '') throw new Error('parse --json output does not end with a line break');
  for (const line of lines) {
    const entry = parseJson(line, 'a line of parse --json') as { file?: unknown; ast?: unknown; diagnostics?: unknown };
    if (typeof entry.file !== 'string' || typeof entry.ast !== 'object' || !Array.isArray(entry.diagnostics)) {
      throw new Error(`a line of parse --json is not {file, ast, diagnostics}: ${line.slice(0, 300)}`);
    }
    const text = fileNamed(ctx, entry.file, 'before');
    for (const r of ranges(entry.ast)) expectRangeInside(text, r, `a node of ${entry.file}'s tree`);
    for (const r of ranges(entry.diagnostics)) expectRangeInside(text, r, `a diagnostic of ${entry.file}`);
  }
}

interface EslintResult {
  filePath: string;
  source?: string;
  messages: { line: number; column: number; endLine: number; endColumn: number; fix?: { range: [number, number] } }[];
}

function checkEslintJson(stdout: string, ctx: Context): void {
  const results = parseJson(stdout, '--format json output') as EslintResult[];
  if (!Array.isArray(results)) throw new Error('--format json output is not an array');
  for (const r of results) {
    const text = fileNamed(ctx, r.filePath, 'after');
    if (r.source !== undefined && r.source !== text) {
      throw new Error(`the source of ${r.filePath} in --format json is not the file's text`);
    }
    for (const m of r.messages) {
      expectRangeInside(
        text,
        { start: { line: m.line, column: m.column }, end: { line: m.endLine, column: m.endColumn } },
        `a message on ${r.filePath}`,
      );
      if (m.fix && !(0 <= m.fix.range[0] && m.fix.range[0] <= m.fix.range[1] && m.fix.range[1] <= text.length)) {
        throw new Error(`a fix on ${r.filePath} replaces ${m.fix.range} in a text of ${text.length} characters`);
      }
    }
  }
}

interface SarifLog {
  runs: {
    results: {
      locations: {
        physicalLocation: {
          artifactLocation: { uri: string };
          region: { startLine: number; startColumn: number; endLine: number; endColumn: number };
        };
      }[];
    }[];
  }[];
}

function checkSarif(stdout: string, ctx: Context): void {
  const log = parseJson(stdout, '--format sarif output') as SarifLog;
  for (const result of log.runs?.[0]?.results ?? []) {
    for (const { physicalLocation: p } of result.locations) {
      const uri = p.artifactLocation.uri;
      const path = decodeURIComponent(uri.startsWith('file://') ? uri.slice('file://'.length) : uri);
      const r = p.region;
      expectRangeInside(
        fileNamed(ctx, path, 'after'),
        { start: { line: r.startLine, column: r.startColumn }, end: { line: r.endLine, column: r.endColumn } },
        `a SARIF result on ${uri}`,
      );
    }
  }
}

function checkGithub(stdout: string, ctx: Context): void {
  const unescapeProperty = (s: string) =>
    s.replace(/%(2C|3A|0A|0D|25)/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
  for (const line of stdout.split('\n')) {
    if (line === '') continue;
    const m =
      /^::(?:error|warning|notice) file=([^,]*),line=(\d+),col=(\d+),endLine=(\d+),endColumn=(\d+),title=[^,:]*::/.exec(
        line,
      );
    if (!m) throw new Error(`not a GitHub annotation: ${line.slice(0, 300)}`);
    const file = unescapeProperty(m[1] as string);
    expectRangeInside(
      fileNamed(ctx, file, 'after'),
      { start: { line: Number(m[2]), column: Number(m[3]) }, end: { line: Number(m[4]), column: Number(m[5]) } },
      `a GitHub annotation on ${file}`,
    );
  }
}

/** Stylish: a file's name on a line of its own, then `  line:col  severity ...` for each finding in it. */
function checkStylish(stdout: string, ctx: Context): void {
  let file: string | undefined;
  for (const line of stdout.split('\n')) {
    const m = /^ {2}(\d+):(\d+) {2}(?:error|warning|info) /.exec(line);
    if (m && file !== undefined) {
      expectInside(fileNamed(ctx, file, 'after'), Number(m[1]), Number(m[2]), `${file}:${m[1]}:${m[2]} (stylish)`);
    } else if (!line.startsWith(' ') && line !== '') {
      const path = line === '-' ? '-' : resolve(ctx.cwd, line);
      file = path === '-' || ctx.after.has(path) ? line : undefined;
    }
  }
}

const STACK_FRAME = /^\s+at .*(?:\(.*:\d+:\d+\)|:\d+:\d+)$/m;
const ERROR_NAME = /(?:^|s1ql(?: \w+)?: )(?:[A-Z]\w*)?Error: /m;

/** What every command owes its caller, whatever the input. */
function checkOutcome(call: { argv: readonly string[] }, r: Outcome): void {
  if (![0, 1, 2].includes(r.code)) throw new Error(`exit code ${r.code}`);
  if (r.code === 2 && !/^s1ql\b/m.test(r.stderr)) throw new Error('exit 2 without a message naming s1ql on stderr');
  for (const [name, text] of [
    ['stderr', r.stderr],
    ['stdout', r.stdout],
  ] as const) {
    if (STACK_FRAME.test(text)) throw new Error(`a stack trace on ${name}`);
    if (/internal error|internal parser error|\bP299\b/i.test(text)) throw new Error(`an internal error on ${name}`);
  }
  if (ERROR_NAME.test(r.stderr)) throw new Error('an exception name (Error:) on stderr');
  if (call.argv[0] === 'fmt' && has(call.argv, '--check') && !has(call.argv, '--help') && r.stdout !== '') {
    throw new Error('fmt --check printed on stdout');
  }
}

/** The positions on stderr, and the report on stdout in the format asked for (unless the run stopped at a usage error). */
function checkReports(call: Call, r: Outcome, ctx: Context): void {
  checkPositionLines(r.stderr, ctx);
  if (has(call.argv, '--help')) return;
  const fixingStdin = call.command === 'lint' && has(call.argv, '--fix') && call.argv.includes('-');
  switch (call.command) {
    case 'parse':
      if (has(call.argv, '--json')) checkParseJson(r.stdout, ctx);
      else if (r.stdout !== '') throw new Error('parse without --json printed on stdout');
      return;
    case 'lint':
    case 'check': {
      if (fixingStdin || r.code === 2) return;
      const format = option(call.argv, '--format') ?? 'stylish';
      if (format === 'json') checkEslintJson(r.stdout, ctx);
      else if (format === 'sarif') checkSarif(r.stdout, ctx);
      else if (format === 'github') checkGithub(r.stdout, ctx);
      else checkStylish(r.stdout, ctx);
      return;
    }
    case 'fmt':
      return;
  }
}

/** A file of `text`, named like `name` (same extension: it decides how the file is read), in a new directory. */
async function copyAs(name: string, text: string | Uint8Array): Promise<{ dir: string; file: string }> {
  const dir = join(root, `copy-${runs++}`);
  await mkdir(dir);
  const file = name === '-' || extname(name) === '' || name.endsWith('/') ? 'copy.s1ql' : `copy${extname(name)}`;
  await writeFile(join(dir, file), text);
  return { dir, file };
}

/** `fmt` output: parses without errors, and formats to itself. */
async function checkFormatted(output: string, name: string, width = '100'): Promise<void> {
  const { dir, file } = await copyAs(name, output);
  const parsed = await cli(['parse', file], dir);
  if (parsed.code !== 0) throw new Error(`fmt's output does not parse:\n${parsed.stderr}\n--- output:\n${output}`);
  const again = await cli(['fmt', '--width', width, file], dir);
  if (again.code !== 0 || again.stdout !== output) {
    throw new Error(
      `fmt is not idempotent (exit ${again.code}):\n--- once:\n${output}\n--- twice:\n${again.stdout}\n${again.stderr}`,
    );
  }
}

/** A readable account of a run, for failures. */
function describeRun(call: Call, r: Outcome | undefined, cwd: string): string {
  const out = r
    ? `exit ${r.code}\n--- stdout:\n${r.stdout.slice(0, 2000)}\n--- stderr:\n${r.stderr.slice(0, 2000)}`
    : 'no outcome';
  return `s1ql ${JSON.stringify(call.argv)} in ${cwd}\n${out}`;
}

/** The checks that need another run: fmt's output formatted again, files rewritten by fmt --write and lint --fix. */
async function checkFollowUps(
  c: Call,
  r: Outcome,
  cwd: string,
  before: ReadonlyMap<string, string | undefined>,
  after: ReadonlyMap<string, string | undefined>,
): Promise<void> {
  if (has(c.argv, '--help')) return;
  const rewrites = (c.command === 'fmt' && has(c.argv, '--write')) || (c.command === 'lint' && has(c.argv, '--fix'));
  if (!rewrites) {
    for (const [path, text] of after) {
      if (text !== before.get(path)) throw new Error(`${path} changed, and nothing was asked to rewrite it`);
    }
  }
  if (c.command === 'fmt' && r.code === 0 && !has(c.argv, '--check') && !has(c.argv, '--write')) {
    // One file formatted to stdout, with no flag but --width: its output, formatted again, is the same.
    const width = option(c.argv, '--width') ?? '100';
    const rest = c.argv
      .slice(1)
      .filter((a, i, all) => a !== '--width' && all[i - 1] !== '--width' && !a.startsWith('--width='));
    const name = rest[0] as string;
    if (rest.length === 1 && !['lib', './lib/', 'empty'].includes(name)) await checkFormatted(r.stdout, name, width);
  }
  if (c.command === 'fmt' && has(c.argv, '--write') && r.code === 0) {
    const checked = await cli(
      c.argv.map((a) => (a === '--write' ? '--check' : a)),
      cwd,
    );
    if (checked.code !== 0) throw new Error(`fmt --check fails after fmt --write succeeded:\n${checked.stderr}`);
  }
  if (c.command === 'lint' && has(c.argv, '--fix') && r.code !== 2) {
    for (const [path, text] of after) {
      const old = before.get(path);
      if (text === old || old === undefined || text === undefined) continue;
      const name = basename(path);
      const [was, now] = await Promise.all(
        [old, text].map(async (t) => {
          const copy = await copyAs(name, t);
          return (await cli(['parse', copy.file], copy.dir)).code;
        }),
      );
      if (was === 0 && now !== 0) {
        throw new Error(`lint --fix broke ${path}:\n--- before:\n${old}\n--- after:\n${text}`);
      }
    }
  }
}

// ---- the properties ---------------------------------------------------------------------------------------------

describe('the offline commands on arbitrary files and command lines', () => {
  it('exit 0, 1 or 2 in time, with no stack trace, and every printed position inside its file', async () => {
    const seen = { 0: 0, 1: 0, 2: 0 } as Record<number, number>;
    await fc.assert(
      fc.asyncProperty(workspace, call, async (ws, c) => {
        const cwd = await materialize(ws);
        const argv = c.argv.map((a) => (a === 'ABSOLUTE' ? join(cwd, 'q.s1ql') : a));
        const run = { ...c, argv };
        const before = await snapshot(cwd, ws);
        let r: Outcome | undefined;
        try {
          r = await cli(argv, cwd, c.stdin);
          const after = await snapshot(cwd, ws);
          const stdin = decoded(c.stdin);
          checkOutcome(run, r);
          checkReports(run, r, { cwd, before, after, stdin });
          seen[r.code] = (seen[r.code] ?? 0) + 1;
          await checkFollowUps(run, r, cwd, before, after);
        } catch (error) {
          throw new Error(`${(error as Error).message}\n${describeRun(run, r, cwd)}`);
        }
      }),
      { numRuns: 150 },
    );
    console.info('runs by exit code:', seen);
    // The runs reach past argument checking, and find problems as well as clean inputs.
    expect(seen[0]).toBeGreaterThan(5);
    expect(seen[1]).toBeGreaterThan(15);
    expect(seen[2]).toBeGreaterThan(15);
  }, 60_000);

  it('fmt succeeds exactly when parse does, and its output parses and formats to itself', async () => {
    let formatted = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.tuple(fc.constant('q.s1ql'), goodQueryFile),
          fc.tuple(fc.constant('q.s1ql'), withByteEdits(fc.oneof(fc.constantFrom(...corpus), queryText))),
          fc.tuple(fc.constant('h.yml'), goodHuntFile),
          fc.tuple(fc.constant('h.yml'), huntFile),
        ),
        fc.constantFrom('80', '20', '100', '200'),
        async ([name, bytes], width) => {
          const { dir, file } = await copyAs(name, bytes);
          let r: Outcome | undefined;
          try {
            const parsed = await cli(['parse', file], dir);
            r = await cli(['fmt', '--width', width, file], dir);
            checkOutcome({ argv: ['fmt'] }, r);
            if (r.code !== parsed.code) {
              throw new Error(`parse exits ${parsed.code} but fmt ${r.code}\n--- parse:\n${parsed.stderr}`);
            }
            if (r.code !== 0) return;
            formatted++;
            await checkFormatted(r.stdout, name, width);
            const checked = await cli(['fmt', '--check', '--width', width, file], dir);
            const same = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes) === r.stdout;
            if (checked.code !== (same ? 0 : 1) || checked.stdout !== '') {
              throw new Error(`fmt --check exits ${checked.code} on a file fmt ${same ? 'leaves' : 'changes'}`);
            }
          } catch (error) {
            const input = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes).slice(0, 2000);
            const run = { command: 'fmt' as const, argv: ['fmt', '--width', width, file], stdin: new Uint8Array() };
            throw new Error(`${(error as Error).message}\n${describeRun(run, r, dir)}\n--- input:\n${input}`);
          }
        },
      ),
      { numRuns: 100 },
    );
    console.info(`fmt: ${formatted} of 100 inputs formatted`);
    expect(formatted).toBeGreaterThan(30);
  }, 60_000);
});
