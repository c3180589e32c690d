/**
 * Sweep planning: a list of IOCs in, the fewest queries out, each within the list-size and text-length limits.
 */
import { lookupField, quote } from '@s1ql/language';
import { BuilderError } from '../errors.ts';
import { fieldTypes } from '../generated/fields.ts';
import { and, fieldCondition, or, type S1qlQuery } from '../query.ts';
import { type IocKind, iocKinds, normalizeIoc } from './normalize.ts';

export interface SweepOptions {
  /** `auto` (default) detects each entry's kind; any other kind makes every entry be read as that kind. */
  readonly kind?: 'auto' | IocKind;
  /** Values per list (default 100, the safe limit of S1QL 1.0 lists). */
  readonly maxListSize?: number;
  /** Characters per compact query (default 8000, under the 8192 PowerQuery text limit). */
  readonly maxQueryLength?: number;
  /** A condition ANDed to every query (a site, an OS, an agent group...). */
  readonly scope?: S1qlQuery;
}

/** One distinct indicator after normalisation. */
export interface NormalizedIoc {
  readonly kind: IocKind;
  readonly value: string;
  /** The first entry that gave this value, as written. */
  readonly input: string;
  /** 1-based positions in the input of every entry that gave this value (duplicates included). */
  readonly lines: readonly number[];
}

export interface InvalidIoc {
  readonly input: string;
  readonly line: number;
  readonly reason: string;
}

export interface PlannedQuery {
  /** The kinds of IOC it looks for (one query may hold several kinds, each in its own fields). */
  readonly kinds: readonly IocKind[];
  readonly query: S1qlQuery;
  /** The compact text (what the runner sends); its length is at most `maxQueryLength`. */
  readonly text: string;
  readonly iocs: readonly NormalizedIoc[];
}

export interface KindPlan {
  readonly kind: IocKind;
  readonly iocs: number;
  /** How many queries look for this kind. */
  readonly queries: number;
  /** No plan under the same limits has fewer queries holding this kind (see `sizeBound`). */
  readonly lowerBound: number;
}

export interface SweepPlan {
  readonly queries: readonly PlannedQuery[];
  readonly invalid: readonly InvalidIoc[];
  readonly iocs: readonly NormalizedIoc[];
  readonly kinds: readonly KindPlan[];
  /** No plan under the same limits has fewer queries: `queries.length === lowerBound` proves the plan minimal. */
  readonly lowerBound: number;
}

type ListOperator = 'in anycase' | 'in contains anycase';
interface Route {
  readonly field: string;
  readonly operator: ListOperator;
}

function members(shortcut: 'Sha256' | 'Sha1' | 'Md5' | 'IP' | 'FilePath'): Route[] {
  return fieldTypes[shortcut].members.map((field) => ({ field, operator: 'in anycase' }));
}

/**
 * Where each kind is looked for: the members of the catalog's shortcut field for it (`Sha1` -> TgtFileSha1,
 * SrcProcImageSha1, SrcProcParentImageSha1, TgtProcImageSha1; `IP` -> DstIP, SrcIP; `FilePath` -> image, file
 * and old file paths), all `In AnyCase` so the case telemetry uses does not matter. A domain is part of a DNS
 * request or of a URL (`In Contains AnyCase`): IOC feeds name a domain to catch its subdomains too
 * (`a.b.evil.com` for `evil.com`), which also matches `notevil.com`, a deliberate superset that the hit report
 * narrows per event; a URL is part of a Url value.
 */
const routes: Readonly<Record<IocKind, readonly Route[]>> = {
  sha256: members('Sha256'),
  sha1: members('Sha1'),
  md5: members('Md5'),
  ip: members('IP'),
  domain: [
    { field: 'DnsRequest', operator: 'in contains anycase' },
    { field: 'Url', operator: 'in contains anycase' },
  ],
  url: [{ field: 'Url', operator: 'in contains anycase' }],
  path: members('FilePath'),
};

/** The fields a sweep query looks for an IOC of this kind in (catalog names): where a hit can be. */
export function searchedFields(kind: IocKind): readonly string[] {
  return routes[kind].map((r) => r.field);
}

/**
 * `ObjectType` scope: the object types that carry the kind's fields. It never narrows the result (the fields
 * exist only there) and lets the backend skip other objects; when a field exists everywhere (`*`) there is none.
 */
function objectTypeScope(kind: IocKind, maxListSize: number): S1qlQuery | undefined {
  const types = new Set<string>();
  for (const route of routes[kind]) {
    for (const t of lookupField(route.field)?.objectTypes ?? ['*']) types.add(t);
  }
  // Optional, so dropped rather than break the list limit.
  if (types.has('*') || types.size === 0 || types.size > maxListSize) return undefined;
  const list = [...types].sort();
  return list.length === 1 ? fieldCondition('ObjectType', '=', list[0]) : fieldCondition('ObjectType', 'in', list);
}

/** The condition for some IOCs of one kind: its object types, and a list of them in each of its fields. */
function buildGroup(kind: IocKind, values: readonly string[], maxListSize: number): S1qlQuery {
  const lists = routes[kind].map((r) => fieldCondition(r.field, r.operator, values));
  const body = or(...(lists as [S1qlQuery, ...S1qlQuery[]]));
  const scope = objectTypeScope(kind, maxListSize);
  return scope ? and(scope, body) : body;
}

/** A query: the sweep's scope, if any, ANDed to the OR of its groups. */
function buildQuery(groups: readonly S1qlQuery[], options: SweepOptions): S1qlQuery {
  const body = or(...(groups as [S1qlQuery, ...S1qlQuery[]]));
  return options.scope ? and(options.scope, body) : body;
}

/** Size of a value in a list: its quoted text and the `, ` that separates it. */
const weight = (value: string): number => quote(value).length + 2;

/**
 * No plan has fewer queries than the IOCs' total size over what one query has room for: every query holding IOCs of
 * a kind spends at least that kind's shell (`base`: the scope, its object types, one list per field) and each IOC's
 * quoted value once per field. Queries can hold several lists per field, so the list-size limit gives no bound.
 */
function sizeBound(size: number, base: number, maxQueryLength: number): number {
  return size === 0 ? 0 : Math.ceil(size / (maxQueryLength - base));
}

/** What an IOC of a kind costs in a query's text: its shell when it opens a list in each field, then its values. */
interface KindCost {
  /** The kind's condition with no values (`(ObjectType = "ip" AND (DstIP In AnyCase () OR ...))`), joined by ` OR `. */
  readonly group: number;
  readonly fields: number;
}

/** How many partly filled queries the packer keeps trying. */
const OPEN_BINS = 256;

interface Bin {
  load: number;
  readonly groups: { kind: IocKind; members: NormalizedIoc[] }[];
}

/**
 * Packs IOCs into the fewest queries: first-fit decreasing on each IOC's cost (its value once per field), where the
 * first IOC of a kind in a query, or one past `maxListSize` values, also pays for opening that kind's lists. One
 * query may so hold several kinds, and several lists of one field. Lengths are estimated from above and each query
 * is then printed and measured.
 */
function packIocs(
  iocs: readonly NormalizedIoc[],
  costs: ReadonlyMap<IocKind, KindCost>,
  scopeLength: number,
  maxListSize: number,
  maxQueryLength: number,
): Bin[] {
  const cost = (i: NormalizedIoc) => (costs.get(i.kind) as KindCost).fields * weight(i.value);
  const order = iocs.map((ioc, at) => ({ ioc, at, cost: cost(ioc) }));
  order.sort((a, b) => b.cost - a.cost || a.at - b.at);
  const smallest = order.at(-1)?.cost ?? 0;
  const bins: Bin[] = [];
  // Bins that may still take the smallest IOC: full ones leave the scan for good.
  let open: Bin[] = [];
  for (const { ioc, cost: c } of order) {
    const kind = costs.get(ioc.kind) as KindCost;
    let placed = false;
    for (const bin of open) {
      if (bin.load + c > maxQueryLength) continue;
      const group = bin.groups.findLast((g) => g.kind === ioc.kind);
      const extra = group !== undefined && group.members.length < maxListSize ? c : c + kind.group;
      if (bin.load + extra > maxQueryLength) continue;
      if (extra === c) (group as Bin['groups'][number]).members.push(ioc);
      else bin.groups.push({ kind: ioc.kind, members: [ioc] });
      bin.load += extra;
      placed = true;
      break;
    }
    if (!placed) {
      const bin: Bin = { load: scopeLength + kind.group + c, groups: [{ kind: ioc.kind, members: [ioc] }] };
      bins.push(bin);
      open.push(bin);
    }
    // Full bins leave the scan; of the rest, the newest few hundred are tried (the older are nearly full): linear.
    if (open.length > OPEN_BINS) open = open.filter((b) => b.load + smallest <= maxQueryLength).slice(-OPEN_BINS / 2);
  }
  return bins;
}

/**
 * Plans a sweep for a list of IOCs (one entry per line of an IOC file; blank entries and `#` comments are
 * skipped). Entries are normalised, deduplicated, grouped by kind in lists of at most `maxListSize` values, and the
 * groups packed into the fewest queries of at most `maxQueryLength` characters: one query may hold several kinds,
 * and several lists of one field. `lowerBound` says how close to the fewest possible the plan is.
 *
 * ```ts
 * planSweep(['44d88612fea8a8f36de82e1278abb02f', 'evil[.]example', '203.0.113.7']).queries.map((q) => q.text)
 * // => ["SrcProcImageMd5 In AnyCase (\"44d88612fea8a8f36de82e1278abb02f\") OR SrcProcParentImageMd5 In AnyCase (\"44d88612fea8a8f36de82e1278abb02f\") OR TgtFileMd5 In AnyCase (\"44d88612fea8a8f36de82e1278abb02f\") OR TgtProcImageMd5 In AnyCase (\"44d88612fea8a8f36de82e1278abb02f\") OR (ObjectType = \"ip\" AND (DstIP In AnyCase (\"203.0.113.7\") OR SrcIP In AnyCase (\"203.0.113.7\"))) OR (ObjectType In (\"dns\", \"url\") AND (DnsRequest In Contains AnyCase (\"evil.example\") OR Url In Contains AnyCase (\"evil.example\")))"]
 * ```
 */
export function planSweep(iocs: readonly string[], options: SweepOptions = {}): SweepPlan {
  const maxListSize = options.maxListSize ?? 100;
  const maxQueryLength = options.maxQueryLength ?? 8000;
  if (!Number.isInteger(maxListSize) || maxListSize < 1) {
    throw new BuilderError('S1QL_BUILDER_VALUE', `maxListSize must be a positive integer, not ${maxListSize}.`);
  }
  if (!Number.isInteger(maxQueryLength) || maxQueryLength < 1) {
    throw new BuilderError('S1QL_BUILDER_VALUE', `maxQueryLength must be a positive integer, not ${maxQueryLength}.`);
  }
  const kind = options.kind === 'auto' ? undefined : options.kind;
  const invalid: InvalidIoc[] = [];
  const byKey = new Map<string, { kind: IocKind; value: string; input: string; lines: number[] }>();
  iocs.forEach((input, index) => {
    const line = index + 1;
    const trimmed = input.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const result = normalizeIoc(trimmed, kind);
    if ('reason' in result) {
      invalid.push({ input, line, reason: result.reason });
      return;
    }
    // Paths are matched In AnyCase, so two spellings of one path are one IOC.
    const key = `${result.kind}\u0000${result.kind === 'path' ? result.value.toLowerCase() : result.value}`;
    const seen = byKey.get(key);
    if (seen) seen.lines.push(line);
    else byKey.set(key, { ...result, input, lines: [line] });
  });

  const perKind: { kind: IocKind; iocs: number; lowerBound: number }[] = [];
  const costs = new Map<IocKind, KindCost>();
  const all = [...byKey.values()];
  const kept: NormalizedIoc[] = [];
  let totalSize = 0;
  let minBase = Number.POSITIVE_INFINITY;
  // The scope and the ` AND (...)` around a query's OR: measured once on a probe.
  const probeGroup = buildGroup('ip', ['x'], maxListSize);
  const scopeLength = options.scope
    ? buildQuery([probeGroup, probeGroup], options).toCompact().length -
      buildQuery([probeGroup, probeGroup], {}).toCompact().length
    : 0;
  for (const k of iocKinds) {
    const group = all.filter((i) => i.kind === k);
    if (group.length === 0) continue;
    const fields = routes[k].length;
    // Text length is exactly base + fields * (sum of weights): measure base once with a one-value query.
    const probe = buildQuery([buildGroup(k, ['x'], maxListSize)], options).toCompact().length;
    const base = probe - fields * weight('x');
    const capacity = Math.floor((maxQueryLength - base) / fields);
    const fits = group.filter((i) => {
      if (weight(i.value) <= capacity) return true;
      invalid.push({
        input: i.input,
        line: i.lines[0] as number,
        reason: `too long: one query for it alone is over maxQueryLength (${maxQueryLength})`,
      });
      return false;
    });
    if (fits.length === 0) continue;
    // Its shell as one operand among others: ` OR ` and, for an AND, its parentheses (an estimate from above).
    const shell = buildGroup(k, ['x'], maxListSize);
    const operand = shell.toCompact().length + (shell.toExpr().kind === 'And' ? 2 : 0) + 4;
    costs.set(k, { group: operand - fields * weight('x'), fields });
    const size = fields * fits.reduce((sum, i) => sum + weight(i.value), 0);
    totalSize += size;
    minBase = Math.min(minBase, base);
    perKind.push({ kind: k, iocs: fits.length, lowerBound: sizeBound(size, base, maxQueryLength) });
    kept.push(...fits);
  }
  const queries: PlannedQuery[] = [];
  const byLine = (a: NormalizedIoc, b: NormalizedIoc) => (a.lines[0] as number) - (b.lines[0] as number);
  const emit = (groups: Bin['groups']): void => {
    const inOrder = [...groups].sort((a, b) => iocKinds.indexOf(a.kind) - iocKinds.indexOf(b.kind));
    const conditions = inOrder.map((g) =>
      buildGroup(
        g.kind,
        g.members.sort(byLine).map((m) => m.value),
        maxListSize,
      ),
    );
    const query = buildQuery(conditions, options);
    const text = query.toCompact();
    if (text.length > maxQueryLength && groups.length > 1) {
      // The estimate is from above, so this does not happen; if it did, halving the query keeps the plan valid.
      const half = Math.ceil(groups.length / 2);
      emit(inOrder.slice(0, half));
      emit(inOrder.slice(half));
      return;
    }
    if (text.length > maxQueryLength) throw new Error(`internal: planned query of ${text.length} characters`);
    const kinds = iocKinds.filter((k) => inOrder.some((g) => g.kind === k));
    queries.push({ kinds, query, text, iocs: Object.freeze(inOrder.flatMap((g) => g.members)) });
  };
  for (const bin of packIocs(kept, costs, scopeLength, maxListSize, maxQueryLength)) emit(bin.groups);
  const kinds: KindPlan[] = perKind.map((k) => ({
    ...k,
    queries: queries.filter((q) => q.kinds.includes(k.kind)).length,
  }));
  invalid.sort((a, b) => a.line - b.line);
  return Object.freeze({
    queries: Object.freeze(queries),
    invalid: Object.freeze(invalid),
    iocs: Object.freeze(kept.map((i) => Object.freeze({ ...i, lines: Object.freeze([...i.lines]) }))),
    kinds: Object.freeze(kinds),
    lowerBound: Math.max(sizeBound(totalSize, minBase, maxQueryLength), ...kinds.map((k) => k.lowerBound), 0),
  });
}
