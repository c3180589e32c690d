/**
 * Reads one hunt file: a `.s1ql` file (the whole text is the query) or a YAML file in SentinelLabs' layout plus our
 * keys. Never throws on user input: every problem is a diagnostic in file positions.
 */
import { applyEdits, type Diagnostic, type Fix, LineIndex, type Range, type Severity } from '@s1ql/language';
import {
  isMap,
  isScalar,
  isSeq,
  type Pair,
  parseDocument,
  Scalar,
  stringify,
  type Tags,
  visit,
  type YAMLMap,
  type YAMLSeq,
  type Document as YamlDocument,
} from 'yaml';
import { HuntCodes } from './codes.ts';
import { readDate } from './dates.ts';
import { ATTACK_ID, DIALECTS, type Dialect, KNOWN_KEYS, OWN_KEYS, SCHEMA_REQUIRED, validateMeta } from './metadata.ts';
import { mapBlockScalar, mapFlowScalar, type ScalarMap } from './scalar-map.ts';

export type HuntMeta = Readonly<Record<string, unknown>>;

export interface HuntQuery {
  /** The query text, as the YAML value (or the whole `.s1ql` file). */
  readonly text: string;
  /** Maps a range in `text` to the range in the file (line and column in the YAML file). */
  readonly toFile: (range: Range) => Range;
  /**
   * A fix of the query as an edit of the file. In a YAML hunt it is the query with the fix applied, written into
   * the file as `replaceQuery` writes it (quoted and escaped as its scalar needs), then the part of the file that
   * changed: mapping each edit's range alone would put unescaped text into a quoted scalar.
   */
  readonly fixToFile: <F extends Fix>(fix: F) => F;
}

/** One `lint` exclusion of a hunt: the rule it silences, why, and where it is written. */
export interface LintExclusion {
  readonly rule: string;
  readonly reason: string;
  readonly range: Range;
}

/** One hunt-test event with its place in the file. */
export interface HuntTestEvent {
  readonly event: Readonly<Record<string, unknown>>;
  readonly range: Range;
}

export interface HuntTests {
  readonly match: readonly HuntTestEvent[];
  readonly noMatch: readonly HuntTestEvent[];
}

export interface Hunt {
  readonly fileName: string;
  readonly format: 's1ql' | 'yaml';
  /** Every key of the file, unknown ones included (kept, never dropped). */
  readonly meta: HuntMeta;
  readonly query?: HuntQuery;
  /** File-level findings (H5xx), in file positions. */
  readonly diagnostics: readonly Diagnostic[];
  /** The file text with the query replaced, everything else byte-identical. */
  readonly replaceQuery: (newText: string) => string;
  /** Our keys, read and checked (absent or malformed ones are left out). */
  readonly id?: string;
  readonly title?: string;
  readonly dialect: Dialect;
  readonly exclusions: readonly LintExclusion[];
  readonly tests?: HuntTests;
  /** Where the key is written (its key), for findings about the whole hunt; the file start when absent. */
  readonly keyRange: (key: string) => Range;
}

const HUNT_YAML = /\.ya?ml$/i;

export function readHunt(text: string, fileName: string): Hunt {
  if (!HUNT_YAML.test(fileName)) return readS1qlFile(text, fileName);
  return new YamlHuntReader(text, fileName).read();
}

function readS1qlFile(text: string, fileName: string): Hunt {
  const zero = new LineIndex('').range(0, 0);
  return {
    fileName,
    format: 's1ql',
    meta: {},
    query: { text, toFile: (range) => range, fixToFile: (fix) => fix },
    diagnostics: [],
    replaceQuery: (newText) => (newText.endsWith('\n') ? newText : `${newText}\n`),
    dialect: 's1ql1',
    exclusions: [],
    keyRange: () => zero,
  };
}

const isEmptyValue = (v: unknown): boolean =>
  v === null ||
  v === undefined ||
  (typeof v === 'string' && v.trim() === '') ||
  (Array.isArray(v) && v.every((x) => isEmptyValue(x)));

class YamlHuntReader {
  readonly #text: string;
  readonly #fileName: string;
  #lines: LineIndex | undefined;
  readonly #diagnostics: Diagnostic[] = [];

  constructor(text: string, fileName: string) {
    this.#text = text;
    this.#fileName = fileName;
  }

  get lines(): LineIndex {
    this.#lines ??= new LineIndex(this.#text);
    return this.#lines;
  }

  range(start: number, end: number): Range {
    return this.lines.range(start, end);
  }

  report(code: string, severity: Severity, message: string, range: Range): void {
    this.#diagnostics.push({ code, severity, message, range });
  }

  read(): Hunt {
    const text = this.#text;
    const doc = parseDocument(text, { ...YAML_OPTIONS, keepSourceTokens: true, prettyErrors: false });
    const base = {
      fileName: this.#fileName,
      format: 'yaml' as const,
      diagnostics: this.#diagnostics,
      dialect: 's1ql1' as Dialect,
      exclusions: [] as LintExclusion[],
    };
    const root = doc.contents;
    if (doc.errors.length > 0 || !isMap(root)) {
      const unclosed = doc.errors.length > 0 ? unclosedFlows(doc) : [];
      for (const error of doc.errors.slice(0, 5)) {
        const firstLine =
          error.code === 'MULTIPLE_DOCS'
            ? 'the file holds several YAML documents (---); a hunt file holds one'
            : (error.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? error.message);
        // The yaml package finds an unclosed quote at the end of the file; the quote that opened it is the place.
        const opened = error.code === 'MISSING_CHAR' && /quote/.test(error.message) ? openQuote(text) : undefined;
        // It finds an unclosed [ or { on the line after it; the bracket that opened it is the place.
        const flow = error.code === 'BAD_INDENT' ? /^Flow (sequence|map)\b/.exec(error.message)?.[1] : undefined;
        const bracket = flow === undefined ? -1 : unclosed.findIndex((u) => u.kind === flow);
        const open = bracket < 0 ? undefined : unclosed.splice(bracket, 1)[0];
        if (open) {
          const lineLength = text.slice(open.offset).search(/\r?\n/);
          this.report(
            HuntCodes.yamlSyntax,
            'error',
            `Unreadable YAML: this ${open.source} is never closed (a flow ${open.kind === 'map' ? 'mapping' : 'sequence'} ends with ${open.source === '[' ? ']' : '}'})`,
            this.range(open.offset, lineLength === -1 ? text.length : open.offset + lineLength),
          );
          continue;
        }
        this.report(
          HuntCodes.yamlSyntax,
          'error',
          opened ? 'Unreadable YAML: this quoted value is never closed' : `Unreadable YAML: ${firstLine}`,
          opened
            ? this.range(opened.start, opened.end)
            : this.range(error.pos[0], Math.max(error.pos[0], error.pos[1])),
        );
      }
      if (doc.errors.length === 0) {
        this.report(
          HuntCodes.yamlSyntax,
          'error',
          'Unreadable hunt: the YAML file must be a mapping of keys (title, query, ...)',
          this.range(0, 0),
        );
      }
      return { ...base, meta: {}, replaceQuery: () => text, keyRange: () => this.range(0, 0) };
    }
    const js = safeToJs(doc);
    if (js instanceof Error) {
      // An alias to no anchor, an alias bomb...: the document cannot be read as data at all. An alias to no anchor
      // is the place when there is one.
      let place = this.range(0, 0);
      visit(doc, {
        Alias: (_, alias) => {
          if (alias.range && alias.resolve(doc) === undefined) {
            place = this.range(alias.range[0], alias.range[1]);
            return visit.BREAK;
          }
          return undefined;
        },
      });
      this.report(HuntCodes.yamlSyntax, 'error', `Unreadable YAML: ${js.message.split('\n')[0]}`, place);
      return { ...base, meta: {}, replaceQuery: () => text, keyRange: () => this.range(0, 0) };
    }
    const meta = js;
    const pairs = new Map<string, Pair>();
    for (const pair of root.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      pairs.set(key, pair);
    }
    const keyRange = (key: string): Range => {
      const node = pairs.get(key)?.key;
      return node && isNodeWithRange(node) ? this.rangeOf(node) : this.range(0, 0);
    };
    const valueRange = (key: string): Range => {
      const pair = pairs.get(key);
      const node = pair?.value;
      return node && isNodeWithRange(node) ? this.rangeOf(node) : keyRange(key);
    };

    this.checkSchema(meta, root, keyRange);
    this.checkRequired(meta, keyRange, valueRange);
    this.checkTags(meta, root, keyRange);
    this.checkDates(meta, valueRange);

    const queryPair = pairs.get('query');
    const queryNode = queryPair && isScalar(queryPair.value) ? queryPair.value : undefined;
    const replaceQuery = (newText: string): string => replaceQueryIn(text, queryPair, newText);
    const query =
      queryNode && typeof queryNode.value === 'string' && queryNode.value.trim() !== ''
        ? this.queryOf(queryNode, replaceQuery)
        : undefined;

    const own = this.readOwnKeys(meta, pairs);
    const hunt: Hunt = {
      ...base,
      ...own,
      meta,
      ...(query ? { query } : {}),
      replaceQuery,
      keyRange,
    };
    if (typeof meta.title === 'string' && meta.title.trim() !== '') return { ...hunt, title: meta.title.trim() };
    if (typeof meta.title === 'number') return { ...hunt, title: String(meta.title) };
    return hunt;
  }

  rangeOf(node: { range?: [number, number, number] | null }): Range {
    const r = node.range;
    return r ? this.range(r[0], r[1]) : this.range(0, 0);
  }

  checkSchema(meta: HuntMeta, root: YAMLMap, keyRange: (key: string) => Range): void {
    for (const error of validateMeta(meta)) {
      const path = error.instancePath.split('/').slice(1).map(unescapePointer);
      if (path[0] === undefined) continue;
      const key = String(path[0]);
      const node = root.getIn(path, true);
      const range = node && isNodeWithRange(node) ? this.rangeOf(node) : keyRange(key);
      const where = path.join('.');
      const message = schemaMessage(where, error, root.getIn(path));
      if (key === 'title') this.report(HuntCodes.missingTitle, 'error', `Invalid title: ${message}`, range);
      else if (key === 'query') this.report(HuntCodes.missingQuery, 'error', `Invalid query: ${message}`, range);
      else if (OWN_KEYS.includes(key)) this.report(HuntCodes.badOwnKey, 'error', ownKeyMessage(path, error), range);
      else this.report(HuntCodes.badValue, 'warning', `Unexpected value: ${message}`, range);
    }
    for (const key of Object.keys(meta)) {
      if (!KNOWN_KEYS.has(key)) {
        this.report(
          HuntCodes.unknownKey,
          'warning',
          `Unknown key "${key}" (kept as it is; known keys are SentinelLabs' and id, dialect, lint, tests)`,
          keyRange(key),
        );
      }
    }
  }

  checkRequired(meta: HuntMeta, keyRange: (k: string) => Range, valueRange: (k: string) => Range): void {
    for (const key of SCHEMA_REQUIRED) {
      const present = Object.hasOwn(meta, key);
      const value = meta[key];
      if (present && !isEmptyValue(value)) continue;
      const range = present ? valueRange(key) : keyRange(key);
      const what = present ? 'is empty' : 'is missing';
      if (key === 'title') this.report(HuntCodes.missingTitle, 'error', `The hunt's title ${what}`, range);
      else if (key === 'query') this.report(HuntCodes.missingQuery, 'error', `The hunt's query ${what}`, range);
      else
        this.report(
          HuntCodes.missingRecommended,
          'warning',
          `"${key}" ${what} (SentinelLabs' Schema.txt requires it)`,
          range,
        );
    }
  }

  checkTags(meta: HuntMeta, root: YAMLMap, keyRange: (k: string) => Range): void {
    // A single tag written as a scalar (`tags: mitre.T1059`) is the wrong type (H516), and still an ATT&CK id to check.
    const scalar = typeof meta.tags === 'string';
    const tags = scalar ? [meta.tags] : meta.tags;
    if (!Array.isArray(tags) || isEmptyValue(tags)) return;
    let mitre = 0;
    tags.forEach((tag, i) => {
      if (typeof tag !== 'string' || !/^mitre\./i.test(tag)) return;
      mitre++;
      const id = tag.slice('mitre.'.length);
      if (ATTACK_ID.test(id)) return;
      const node = scalar ? root.get('tags', true) : root.getIn(['tags', i], true);
      this.report(
        HuntCodes.invalidAttackId,
        'error',
        `Invalid ATT&CK id "${tag}": expected mitre.T1234, mitre.T1234.001 or a tactic mitre.TA0001`,
        node && isNodeWithRange(node) ? this.rangeOf(node) : keyRange('tags'),
      );
    });
    if (mitre === 0) {
      this.report(
        HuntCodes.missingRecommended,
        'warning',
        "tags has no mitre.<technique> tag (SentinelLabs' Schema.txt requires one)",
        keyRange('tags'),
      );
    }
  }

  checkDates(meta: HuntMeta, valueRange: (k: string) => Range): void {
    const days: Record<string, number | null> = {};
    for (const key of ['created_date', 'last_update']) {
      const value = meta[key];
      if (typeof value !== 'string' || value.trim() === '') {
        days[key] = null;
        continue;
      }
      days[key] = readDate(value);
      if (days[key] === null) {
        this.report(
          HuntCodes.badDate,
          'warning',
          `${key} "${value}" is not a date: write YYYY-MM-DD or D-Mon-YYYY (27-Jan-2021)`,
          valueRange(key),
        );
      }
    }
    const created = days.created_date;
    const updated = days.last_update;
    if (created != null && updated != null && updated < created) {
      this.report(
        HuntCodes.dateOrder,
        'error',
        `last_update (${String(meta.last_update)}) is before created_date (${String(meta.created_date)})`,
        valueRange('last_update'),
      );
    }
  }

  readOwnKeys(
    meta: HuntMeta,
    pairs: Map<string, Pair>,
  ): { id?: string; dialect: Dialect; exclusions: LintExclusion[]; tests?: HuntTests } {
    const out: { id?: string; dialect: Dialect; exclusions: LintExclusion[]; tests?: HuntTests } = {
      dialect: 's1ql1',
      exclusions: [],
    };
    const id = meta.id;
    if ((typeof id === 'string' && /^\S+$/.test(id)) || typeof id === 'number') out.id = String(id);
    if (typeof meta.dialect === 'string' && (DIALECTS as readonly string[]).includes(meta.dialect)) {
      out.dialect = meta.dialect as Dialect;
    }
    const lint = pairs.get('lint')?.value;
    if (isSeq(lint)) {
      for (const item of lint.items) {
        if (!isMap(item)) continue;
        const rule = item.get('rule');
        const reason = item.get('reason');
        if (typeof rule === 'string' && rule !== '' && typeof reason === 'string' && reason.trim() !== '') {
          out.exclusions.push({ rule, reason, range: this.rangeOf(item as { range?: [number, number, number] }) });
        }
      }
    }
    const tests = pairs.get('tests')?.value;
    if (isMap(tests)) {
      const events = (name: string): HuntTestEvent[] => {
        const seq = tests.get(name, true);
        if (!isSeq(seq)) return [];
        const found: HuntTestEvent[] = [];
        for (const item of seq.items) {
          if (!isMap(item)) continue;
          found.push({
            event: item.toJSON() as Record<string, unknown>,
            range: this.rangeOf(item as { range?: [number, number, number] }),
          });
        }
        return found;
      };
      out.tests = { match: events('match'), noMatch: events('no_match') };
    }
    return out;
  }

  queryOf(node: Scalar, replaceQuery: (newText: string) => string): HuntQuery {
    const value = node.value as string;
    const length = value.length;
    // Built on the first finding: most queries of a library have none.
    let map: ScalarMap | undefined;
    return {
      text: value,
      fixToFile: (fix) => {
        const file = this.#text;
        const next = replaceQuery(applyEdits(value, fix.edits));
        let start = 0;
        while (start < file.length && start < next.length && file[start] === next[start]) start++;
        let end = 0;
        while (
          end < file.length - start &&
          end < next.length - start &&
          file[file.length - 1 - end] === next[next.length - 1 - end]
        ) {
          end++;
        }
        const range = this.range(start, file.length - end);
        return { ...fix, edits: [{ range, newText: next.slice(start, next.length - end) }] } as typeof fix;
      },
      toFile: (range) => {
        map ??= scalarMap(this.#text, node) ?? approximateMap(value, node);
        const { starts, ends } = map;
        const contentEnd = length > 0 ? (ends[length - 1] as number) : (node.range?.[0] ?? 0);
        const start = range.start.offset < length ? (starts[range.start.offset] as number) : contentEnd;
        const endIndex = Math.min(range.end.offset, length);
        const end = range.end.offset <= range.start.offset ? start : (ends[endIndex - 1] as number);
        return this.range(start, Math.max(start, end));
      },
    };
  }
}

/**
 * How hunts are read. A `%YAML 1.1` document would read `2021-01-27` as a timestamp, which no hunt means: dates are
 * text in every version, as in YAML 1.2 (design/CLI.md reads them as `YYYY-MM-DD` or `D-Mon-YYYY`).
 */
const YAML_OPTIONS = {
  uniqueKeys: true,
  customTags: (tags: Tags): Tags => tags.filter((tag) => typeof tag === 'string' || tag.tag !== TIMESTAMP_TAG),
} as const;

const TIMESTAMP_TAG = 'tag:yaml.org,2002:timestamp';

/** The flow collections (`[`, `{`) of the document whose closing bracket is missing, in document order. */
function unclosedFlows(doc: YamlDocument): { kind: 'sequence' | 'map'; offset: number; source: string }[] {
  const found: { kind: 'sequence' | 'map'; offset: number; source: string }[] = [];
  const collection = (kind: 'sequence' | 'map', node: YAMLMap | YAMLSeq): void => {
    const token = node.srcToken;
    if (token?.type !== 'flow-collection') return;
    const close = token.start.source === '[' ? ']' : '}';
    if (!token.end.some((t) => t.source === close)) {
      found.push({ kind, offset: token.start.offset, source: token.start.source });
    }
  };
  visit(doc, { Seq: (_, node) => collection('sequence', node), Map: (_, node) => collection('map', node) });
  return found;
}

/**
 * The first `key: "...` or `- '...` whose quote is not closed on its line nor, for a double quote, by an escape-free
 * quote later: where an unterminated quoted scalar starts. A heuristic: it only places the H501 message.
 */
function openQuote(text: string): { start: number; end: number } | undefined {
  const value = /^[ \t]*(?:-[ \t]+)?(?:[^\s#:"'][^:#]*:[ \t]+)?(["'])/gm;
  for (let m = value.exec(text); m !== null; m = value.exec(text)) {
    const quote = m[1] as string;
    const at = m.index + m[0].length - 1;
    const rest = text.slice(at + 1);
    const close = quote === '"' ? /(?<!\\)(?:\\\\)*"/.exec(rest) : /'(?!')/.exec(rest);
    if (close === null) {
      const lineEnd = text.indexOf('\n', at);
      return { start: at, end: lineEnd === -1 ? text.length : lineEnd };
    }
  }
  return undefined;
}

/** The document as data; an Error when it cannot be (an alias to no anchor, too many aliases). */
function safeToJs(doc: YamlDocument): Record<string, unknown> | Error {
  try {
    const js = doc.toJS({ maxAliasCount: 100 }) as unknown;
    return js && typeof js === 'object' && !Array.isArray(js) ? (js as Record<string, unknown>) : {};
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

function isNodeWithRange(node: unknown): node is { range: [number, number, number] } {
  return typeof node === 'object' && node !== null && Array.isArray((node as { range?: unknown }).range);
}

function unescapePointer(s: string): string | number {
  const t = s.replace(/~1/g, '/').replace(/~0/g, '~');
  return /^\d+$/.test(t) ? Number(t) : t;
}

const TYPE_NAMES: Readonly<Record<string, string>> = {
  string: 'text',
  number: 'a number',
  integer: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping',
};

function describeValue(value: unknown): string {
  if (typeof value === 'number') return `the number ${value}`;
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value) || isSeq(value)) return 'a list';
  if (isMap(value)) return 'a mapping';
  return typeof value === 'string' ? 'text' : 'that';
}

/** A schema error in words: "query must be text, not the number 42" rather than Ajv's "must be string,null". */
function schemaMessage(
  where: string,
  error: { keyword?: string; message?: string; params?: unknown },
  value: unknown,
): string {
  if (error.keyword === 'type') {
    const wanted = String((error.params as { type?: unknown } | undefined)?.type ?? '')
      .split(',')
      .filter((t) => t !== 'null')
      .map((t) => TYPE_NAMES[t] ?? t);
    const scalar = isScalar(value) ? value.value : value;
    return `${where} must be ${wanted.join(' or ')}, not ${describeValue(scalar)}`;
  }
  return `${where}: ${error.message ?? 'invalid value'}`;
}

function ownKeyMessage(path: readonly (string | number)[], error: { message?: string; params?: unknown }): string {
  const where = path.join('.');
  const key = path[0];
  const hint =
    key === 'lint'
      ? ' (each exclusion is {rule, reason}, and the reason is required)'
      : key === 'tests'
        ? ' (tests is {match: [events], no_match: [events]}, each event a mapping of DV fields)'
        : key === 'dialect'
          ? ` (one of ${DIALECTS.join(', ')})`
          : key === 'id'
            ? ' (a single word, no spaces)'
            : '';
  return `Invalid ${where}: ${error.message ?? 'invalid value'}${hint}`;
}

/** The exact mapping from the scalar's source tokens; `null` if our decoding disagrees with the yaml package. */
function scalarMap(text: string, node: Scalar): ScalarMap | null {
  const token = node.srcToken as
    | {
        type: string;
        offset: number;
        indent: number;
        source: string;
        props?: readonly { type: string; offset: number; source: string }[];
      }
    | undefined;
  if (!token) return null;
  let map: ScalarMap | null = null;
  const end = token.offset + token.source.length;
  switch (token.type) {
    case 'scalar':
      map = mapFlowScalar(text, token.offset, end, 'plain');
      break;
    case 'single-quoted-scalar':
      map = mapFlowScalar(text, token.offset, end, 'single');
      break;
    case 'double-quoted-scalar':
      map = mapFlowScalar(text, token.offset, end, 'double');
      break;
    case 'block-scalar': {
      const props = token.props ?? [];
      const header = props.find((p) => p.type === 'block-scalar-header')?.source ?? '|';
      const last = props[props.length - 1];
      const from = last ? last.offset + last.source.length : token.offset;
      map = mapBlockScalar(text, header, from, from + token.source.length, token.indent);
      break;
    }
    default:
      return null;
  }
  return map.value === node.value ? map : null;
}

/** Fallback: character i of the value is at the i-th character of the scalar's source (clamped). */
function approximateMap(value: string, node: Scalar): ScalarMap {
  const [start, end] = node.range ?? [0, 0];
  const starts: number[] = [];
  const ends: number[] = [];
  for (let i = 0; i < value.length; i++) {
    const at = Math.min(start + i, Math.max(start, end - 1));
    starts.push(at);
    ends.push(at + 1);
  }
  return { value, starts, ends };
}

/** The text of `query:`'s value for `newText`, in the styles worth trying, best first. */
function renderings(newText: string, original: Scalar | undefined, indent: string, endsWithBreak: boolean): string[] {
  const body = newText.replace(/\n+$/, '');
  if (body.includes('\n') || body.includes('\r')) {
    const header = /^[ \t]/.test(body) ? `|${indent.length}` : '|';
    const lines = body.split(/\r?\n/).map((line) => (line === '' ? '' : `${indent}${line}`));
    return [`${header}\n${lines.join('\n')}${endsWithBreak ? '\n' : ''}`, doubleQuoted(body)];
  }
  const plain = body;
  const single = `'${body.replace(/'/g, "''")}'`;
  const double = doubleQuoted(body);
  const type = original?.type;
  const order =
    type === Scalar.QUOTE_DOUBLE
      ? [double, plain, single]
      : type === Scalar.QUOTE_SINGLE
        ? [single, plain, double]
        : [plain, single, double];
  return order;
}

/**
 * The query in the block scalar it was written in (`block`, from its header to its last line break): the header as
 * written, comment included, the body at the block's own indentation with the file's line breaks. A multi-line query
 * in a folded block would fold into one line, so it is also offered as a literal block with the same header.
 */
function asBlock(block: string, newText: string, fallbackIndent: string): string[] {
  const headerEnd = block.search(/\r?\n/);
  if (headerEnd < 0) return [];
  const header = block.slice(0, headerEnd);
  const eol = block[headerEnd] === '\r' ? '\r\n' : '\n';
  const indent = /^\r?\n([ ]+)\S/m.exec(block.slice(headerEnd))?.[1] ?? fallbackIndent;
  const body = newText.replace(/\n+$/, '');
  // An explicit indentation indicator (`|2`) or a leading space on the first line is left to the other renderings.
  if (/^[|>][-+]?\d|^[|>]\d/.test(header) || /^[ \t]/.test(body)) return [];
  const lines = body.split(/\r?\n/).map((line) => (line === '' ? '' : `${indent}${line}`));
  const rendered = (h: string) => `${h}${eol}${lines.join(eol)}${eol}`;
  return header.startsWith('>') ? [rendered(header), rendered(`|${header.slice(1)}`)] : [rendered(header)];
}

function doubleQuoted(text: string): string {
  const s = new Scalar(text);
  s.type = Scalar.QUOTE_DOUBLE;
  return stringify(s, { lineWidth: 0 }).replace(/\n$/, '');
}

function queryValueOf(text: string): unknown {
  const doc = parseDocument(text, YAML_OPTIONS);
  if (doc.errors.length > 0 || !isMap(doc.contents)) return undefined;
  return doc.get('query');
}

function sameQuery(value: unknown, newText: string): boolean {
  return typeof value === 'string' && value.replace(/\n+$/, '') === newText.replace(/\n+$/, '');
}

function replaceQueryIn(text: string, pair: Pair | undefined, newText: string): string {
  const node = pair?.value;
  if (!pair || !isScalar(node) || !node.range) {
    // No query scalar to replace: add one at the end of the file.
    const sep = text === '' || text.endsWith('\n') ? '' : '\n';
    const indent = '  ';
    for (const value of renderings(newText, undefined, indent, true)) {
      const out = `${text}${sep}query: ${value}${value.endsWith('\n') ? '' : '\n'}`;
      if (sameQuery(queryValueOf(out), newText)) return out;
    }
    return text;
  }
  const [start, end] = node.range;
  const keyStart = isNodeWithRange(pair.key) ? pair.key.range[0] : 0;
  const lineStart = Math.max(text.lastIndexOf('\n', keyStart - 1) + 1, 0);
  const indent = `${' '.repeat(keyStart - lineStart)}  `;
  // A block scalar's range ends after its last line break; a flow scalar's at its last character.
  const endsWithBreak = end > start && (text[end - 1] === '\n' || text[end - 1] === '\r');
  const candidates = renderings(newText, node, indent, endsWithBreak);
  if (node.type === Scalar.BLOCK_LITERAL || node.type === Scalar.BLOCK_FOLDED) {
    candidates.unshift(...asBlock(text.slice(start, end), newText, indent));
  }
  for (const rendered of candidates) {
    const value = endsWithBreak && !rendered.endsWith('\n') ? `${rendered}\n` : rendered;
    const out = text.slice(0, start) + value + text.slice(end);
    if (sameQuery(queryValueOf(out), newText)) return out;
  }
  return text;
}

/** A YAML document's plain value (for configuration files): throws a SyntaxError-like Error on invalid YAML. */
export function readYamlValue(text: string): unknown {
  const doc = parseDocument(text, { uniqueKeys: true });
  const error = doc.errors[0];
  if (error) throw new Error(error.message.split('\n')[0]);
  return doc.toJS();
}
