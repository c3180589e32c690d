/**
 * `s1ql check`'s core: every hunt's own findings (metadata, parse, lint, hunt tests) plus the checks across files
 * (duplicate ids, titles and file names). Every finding is in file positions (line and column in the YAML file).
 */
import { compile as engineCompile } from '@s1ql/engine';
import { type Diagnostic, type Predicate, parse, type Range, type Severity } from '@s1ql/language';
import { lint as lintQuery, type ResolvedConfig } from '@s1ql/lint';
import { HuntCodes } from './codes.ts';
import type { Hunt, HuntQuery, HuntTestEvent } from './read-hunt.ts';

/** A finding with the rule behind it: a lint rule id, an H5xx code for the library's own, `null` for the parser's. */
export interface CheckMessage extends Diagnostic {
  readonly ruleId: string | null;
}

export interface CheckedFile {
  readonly filePath: string;
  readonly messages: readonly CheckMessage[];
}

export interface CheckResult {
  readonly files: readonly CheckedFile[];
  readonly errorCount: number;
  readonly warningCount: number;
  /** Hunt-test events evaluated, and how many of them failed. */
  readonly testsRun: number;
  readonly testsFailed: number;
  /** Hunts whose tests could not run (engine missing, query errors, non-1.0 dialect). */
  readonly testsNotRun: number;
}

export interface CheckOptions {
  /** The lint configuration for a file (default: the lint package's recommended rules). */
  readonly lintConfig?: (fileName: string) => ResolvedConfig;
  /** `null` leaves the query unlinted (parse diagnostics only). */
  readonly lint?: typeof lintQuery | null;
  /** `null` stands for "no engine": hunt tests are then reported as not run (H514), never as passed. */
  readonly compile?: typeof engineCompile | null;
}

const byPosition = (a: CheckMessage, b: CheckMessage): number =>
  a.range.start.line - b.range.start.line ||
  a.range.start.column - b.range.start.column ||
  (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);

/**
 * One hunt's own findings plus what the checks across files need (id, title, file name and where they are
 * written). Plain data only, so it can cross a worker boundary (structured clone) unchanged.
 */
export interface HuntCheck {
  readonly filePath: string;
  /** In the order found; `checkAcross` adds the cross-file findings and sorts by position. */
  readonly messages: readonly CheckMessage[];
  readonly id?: string;
  readonly idRange: Range;
  readonly title?: string;
  readonly titleRange: Range;
  readonly testsRun: number;
  readonly testsFailed: number;
  readonly testsNotRun: number;
}

/** H517 for a hunt whose query is not S1QL 1.0: said once, at its `dialect` key, by every command that skips it. */
export function dialectNote(hunt: Pick<Hunt, 'dialect' | 'keyRange'>): CheckMessage {
  return {
    code: HuntCodes.dialectNotChecked,
    ruleId: HuntCodes.dialectNotChecked,
    severity: 'info',
    message: `dialect ${hunt.dialect}: the query was not parsed, formatted, linted or tested (only S1QL 1.0 is read)`,
    range: hunt.keyRange('dialect'),
  };
}

/**
 * A hunt's own lint exclusions (its `lint:` key) applied to the findings on its query (in query positions): the
 * findings they exclude are dropped, and each exclusion that excluded nothing is H515 at its place in the file. An
 * exclusion names a rule by id or code; errors of the parser cannot be excluded, its warnings (S302) can. The
 * findings kept are returned in query positions, the H515 ones (already in file positions) last, marked by
 * `inFile`.
 */
export function applyHuntExclusions(
  found: readonly CheckMessage[],
  hunt: Pick<Hunt, 'exclusions'>,
): (CheckMessage & { readonly inFile?: true })[] {
  const used = new Set<number>();
  const kept: (CheckMessage & { readonly inFile?: true })[] = [];
  for (const m of found) {
    const excludable = m.ruleId !== null || m.severity !== 'error';
    const i = excludable ? hunt.exclusions.findIndex((e) => e.rule === m.ruleId || e.rule === m.code) : -1;
    if (i >= 0) used.add(i);
    else kept.push(m);
  }
  hunt.exclusions.forEach((e, i) => {
    if (used.has(i)) return;
    kept.push({
      code: HuntCodes.unusedExclusion,
      ruleId: HuntCodes.unusedExclusion,
      severity: 'warning',
      message: `The lint exclusion of "${e.rule}" excluded nothing: remove it`,
      range: e.range,
      inFile: true,
    });
  });
  return kept;
}

/** Checks across files need all hunts; everything else is done here, one hunt at a time. */
export function checkHunt(hunt: Hunt, options: CheckOptions = {}): HuntCheck {
  const lint = options.lint === null ? undefined : (options.lint ?? lintQuery);
  const compile = options.compile === null ? undefined : (options.compile ?? engineCompile);
  const messages: CheckMessage[] = hunt.diagnostics.map((d) => ({ ...d, ruleId: d.code }));
  let testsRun = 0;
  let testsFailed = 0;
  let testsNotRun = 0;
  const done = (): HuntCheck => ({
    filePath: hunt.fileName,
    messages,
    ...(hunt.id !== undefined ? { id: hunt.id } : {}),
    idRange: hunt.keyRange('id'),
    ...(hunt.title !== undefined ? { title: hunt.title } : {}),
    titleRange: hunt.keyRange('title'),
    testsRun,
    testsFailed,
    testsNotRun,
  });
  const own = (code: string, severity: Severity, message: string, range: Range): void => {
    messages.push({ code, severity, message, range, ruleId: code });
  };
  const query = hunt.query;
  const hasTests = hunt.tests !== undefined && hunt.tests.match.length + hunt.tests.noMatch.length > 0;
  if (!query) {
    if (hasTests) testsNotRun++;
    return done();
  }
  if (hunt.dialect !== 's1ql1') {
    messages.push(dialectNote(hunt));
    if (hasTests) testsNotRun++;
    return done();
  }
  const parsed = parse(query.text);
  const found: readonly CheckMessage[] = lint
    ? lint(parsed, query.text, options.lintConfig?.(hunt.fileName))
    : parsed.diagnostics.map((d) => ({ ...d, ruleId: null }));
  for (const { inFile, ...m } of applyHuntExclusions(found, hunt)) messages.push(inFile ? m : mapToFile(m, query));
  if (!hasTests || !hunt.tests) return done();
  const syntaxErrors = parsed.diagnostics.some((d) => d.severity === 'error');
  if (!compile) {
    testsNotRun++;
    own(HuntCodes.testsNotRun, 'info', 'Hunt tests not run: the query engine is not available', hunt.keyRange('tests'));
    return done();
  }
  if (syntaxErrors) {
    testsNotRun++;
    own(HuntCodes.testsNotRun, 'info', 'Hunt tests not run: the query has syntax errors', hunt.keyRange('tests'));
    return done();
  }
  const compiled = compile(parsed.ast);
  if (!compiled.ok) {
    testsNotRun++;
    const why = compiled.diagnostics.map((d) => `${d.code} ${d.message}`).join('; ');
    own(
      HuntCodes.testsNotRun,
      'info',
      `Hunt tests not run: the query cannot be evaluated (${why})`,
      hunt.keyRange('tests'),
    );
    return done();
  }
  const run = (events: readonly HuntTestEvent[], expected: boolean, key: string): void => {
    events.forEach((t, index) => {
      testsRun++;
      const { matched, decidedBy } = compiled.query.explain(t.event);
      if (matched === expected) return;
      testsFailed++;
      const outcome = expected ? 'did not match' : 'matched';
      own(
        HuntCodes.testFailed,
        'error',
        `Hunt test failed: tests.${key}[${index}] ${outcome}${describeClause(decidedBy, query)}`,
        t.range,
      );
    });
  };
  run(hunt.tests.match, true, 'match');
  run(hunt.tests.noMatch, false, 'no_match');
  return done();
}

/**
 * The checks across files (the same id, title or file name twice) over every hunt's own findings, in the order
 * given; each file's messages sorted by position, and the totals.
 */
export function checkAcross(checks: readonly HuntCheck[]): CheckResult {
  const extra = checkDuplicates(checks);
  let errorCount = 0;
  let warningCount = 0;
  let testsRun = 0;
  let testsFailed = 0;
  let testsNotRun = 0;
  const files: CheckedFile[] = checks.map((c, i) => {
    const more = extra.get(i);
    const messages = (more ? [...c.messages, ...more] : [...c.messages]).sort(byPosition);
    for (const m of messages) {
      if (m.severity === 'error') errorCount++;
      else if (m.severity === 'warning') warningCount++;
    }
    testsRun += c.testsRun;
    testsFailed += c.testsFailed;
    testsNotRun += c.testsNotRun;
    return { filePath: c.filePath, messages };
  });
  return { files, errorCount, warningCount, testsRun, testsFailed, testsNotRun };
}

export function checkLibrary(hunts: readonly Hunt[], options: CheckOptions = {}): CheckResult {
  return checkAcross(hunts.map((hunt) => checkHunt(hunt, options)));
}

function mapToFile(m: CheckMessage, query: HuntQuery): CheckMessage {
  return {
    ...m,
    range: query.toFile(m.range),
    ...(m.fix ? { fix: query.fixToFile(m.fix) } : {}),
    ...(m.suggestions ? { suggestions: m.suggestions.map((f) => query.fixToFile(f)) } : {}),
  };
}

function describeClause(predicate: Predicate | null, query: HuntQuery): string {
  if (!predicate) return '';
  const clause = query.text.slice(predicate.range.start.offset, predicate.range.end.offset).replace(/\s+/g, ' ');
  const at = query.toFile(predicate.range).start;
  return `; decided by \`${clause}\` (line ${at.line}, column ${at.column})`;
}

function baseName(fileName: string): string {
  const base = fileName.slice(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1);
  return base.replace(/\.(s1ql|ya?ml)$/i, '').toLowerCase();
}

const FILE_START: Range = {
  start: { offset: 0, line: 1, column: 1 },
  end: { offset: 0, line: 1, column: 1 },
};

/**
 * The same id, title (case-insensitive) or file name (case-insensitive, extension ignored) twice: an error at each.
 * Keyed by index into `checks`, in the order id, title, file name.
 */
function checkDuplicates(checks: readonly HuntCheck[]): Map<number, CheckMessage[]> {
  const out = new Map<number, CheckMessage[]>();
  const group = (
    key: (h: HuntCheck) => string | undefined,
    code: string,
    what: (h: HuntCheck) => string,
    where: (h: HuntCheck) => Range,
  ): void => {
    const seen = new Map<string, number[]>();
    checks.forEach((h, i) => {
      const k = key(h);
      if (k === undefined) return;
      const list = seen.get(k);
      if (list) list.push(i);
      else seen.set(k, [i]);
    });
    for (const list of seen.values()) {
      if (list.length < 2) continue;
      for (const i of list) {
        const h = checks[i] as HuntCheck;
        // Name at most a few of the others: a library with thousands of copies must not get quadratic messages.
        const others = list
          .filter((o) => o !== i)
          .slice(0, 3)
          .map((o) => {
            const other = checks[o] as HuntCheck;
            const p = where(other).start;
            return `${other.filePath}:${p.line}:${p.column}`;
          });
        const more = list.length - 1 - others.length;
        const message: CheckMessage = {
          code,
          severity: 'error',
          message: `${what(h)} is also used by ${others.join(', ')}${more > 0 ? ` and ${more} more` : ''}`,
          range: where(h),
          ruleId: code,
        };
        const found = out.get(i);
        if (found) found.push(message);
        else out.set(i, [message]);
      }
    }
  };
  group(
    (h) => h.id,
    HuntCodes.duplicateId,
    (h) => `The id "${h.id}"`,
    (h) => h.idRange,
  );
  group(
    (h) => h.title?.toLowerCase(),
    HuntCodes.duplicateTitle,
    (h) => `The title "${h.title}"`,
    (h) => h.titleRange,
  );
  group(
    (h) => baseName(h.filePath),
    HuntCodes.duplicateFileName,
    (h) => `The file name "${baseName(h.filePath)}"`,
    () => FILE_START,
  );
  return out;
}
