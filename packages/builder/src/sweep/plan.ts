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
  readonly kind: IocKind;
  readonly query: S1qlQuery;
  /** The compact text (what the runner sends); its length is at most `maxQueryLength`. */
  readonly text: string;
  readonly iocs: readonly NormalizedIoc[];
}

export interface KindPlan {
  readonly kind: IocKind;
  readonly iocs: number;
  readonly queries: number;
  /** No plan under the same limits has fewer queries (see `lowerBound`); `queries === lowerBound` proves minimal. */
  readonly lowerBound: number;
}

export interface SweepPlan {
  readonly queries: readonly PlannedQuery[];
  readonly invalid: readonly InvalidIoc[];
  readonly iocs: readonly NormalizedIoc[];
  readonly kinds: readonly KindPlan[];
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

function buildQuery(kind: IocKind, values: readonly string[], options: SweepOptions, maxListSize: number): S1qlQuery {
  const lists = routes[kind].map((r) => fieldCondition(r.field, r.operator, values));
  const body = or(...(lists as [S1qlQuery, ...S1qlQuery[]]));
  const parts = [options.scope, objectTypeScope(kind, maxListSize), body].filter(
    (p): p is S1qlQuery => p !== undefined,
  );
  return and(...(parts as [S1qlQuery, ...S1qlQuery[]]));
}

/** Size of a value in a list: its quoted text and the `, ` that separates it. */
const weight = (value: string): number => quote(value).length + 2;

/**
 * Bins of item indexes, each with at most `maxCount` items and total weight at most `capacity`. When any
 * `maxCount` items fit (the usual case, and always for hashes, which all weigh the same), consecutive chunks are
 * optimal: ceil(n / maxCount). Otherwise first-fit decreasing, which is within 11/9 of optimal.
 */
function pack(weights: readonly number[], capacity: number, maxCount: number): number[][] {
  const order = weights.map((_, i) => i).sort((a, b) => (weights[b] as number) - (weights[a] as number) || a - b);
  const heaviest = order.slice(0, maxCount).reduce((sum, i) => sum + (weights[i] as number), 0);
  if (heaviest <= capacity) {
    const bins: number[][] = [];
    for (let i = 0; i < weights.length; i += maxCount) bins.push(weights.slice(i, i + maxCount).map((_, j) => i + j));
    return bins;
  }
  const bins: { load: number; items: number[] }[] = [];
  for (const i of order) {
    const w = weights[i] as number;
    const bin = bins.find((b) => b.items.length < maxCount && b.load + w <= capacity);
    if (bin) {
      bin.load += w;
      bin.items.push(i);
    } else bins.push({ load: w, items: [i] });
  }
  return bins.map((b) => b.items.sort((x, y) => x - y));
}

/**
 * No packing has fewer bins than: the total size over the capacity, or n over the most items any bin can hold
 * (the count limit, or how many of the smallest items fit). For equal sizes the second is exact.
 */
function lowerBound(weights: readonly number[], capacity: number, maxCount: number): number {
  const total = weights.reduce((a, b) => a + b, 0);
  const ascending = [...weights].sort((a, b) => a - b);
  let most = 0;
  for (let load = 0; most < Math.min(maxCount, ascending.length); most++) {
    load += ascending[most] as number;
    if (load > capacity) break;
  }
  return Math.max(Math.ceil(total / capacity), Math.ceil(weights.length / Math.max(1, most)));
}

/**
 * Plans a sweep for a list of IOCs (one entry per line of an IOC file; blank entries and `#` comments are
 * skipped). Entries are normalised, deduplicated, grouped by kind and packed into the fewest queries that keep
 * every list within `maxListSize` values and every compact query within `maxQueryLength` characters.
 *
 * ```ts
 * planSweep(['44d88612fea8a8f36de82e1278abb02f', 'evil[.]example', '203.0.113.7']).queries.map((q) => q.text)
 * // => ["SrcProcImageMd5 In AnyCase (\"44d88612fea8a8f36de82e1278abb02f\") OR SrcProcParentImageMd5 In AnyCase (\"44d88612fea8a8f36de82e1278abb02f\") OR TgtFileMd5 In AnyCase (\"44d88612fea8a8f36de82e1278abb02f\") OR TgtProcImageMd5 In AnyCase (\"44d88612fea8a8f36de82e1278abb02f\")","ObjectType = \"ip\" AND (DstIP In AnyCase (\"203.0.113.7\") OR SrcIP In AnyCase (\"203.0.113.7\"))","ObjectType In (\"dns\", \"url\") AND (DnsRequest In Contains AnyCase (\"evil.example\") OR Url In Contains AnyCase (\"evil.example\"))"]
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

  const queries: PlannedQuery[] = [];
  const kinds: KindPlan[] = [];
  const all = [...byKey.values()];
  const kept: NormalizedIoc[] = [];
  for (const k of iocKinds) {
    const group = all.filter((i) => i.kind === k);
    if (group.length === 0) continue;
    const fields = routes[k].length;
    // Text length is exactly base + fields * (sum of weights): measure base once with a one-value query.
    const probe = buildQuery(k, ['x'], options, maxListSize).toCompact().length;
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
    const weights = fits.map((i) => weight(i.value));
    const bins = pack(weights, capacity, maxListSize);
    for (const bin of bins) {
      const members = bin.map((i) => fits[i] as NormalizedIoc);
      const query = buildQuery(
        k,
        members.map((m) => m.value),
        options,
        maxListSize,
      );
      const text = query.toCompact();
      if (text.length > maxQueryLength) throw new Error(`internal: planned query of ${text.length} characters`);
      queries.push({ kind: k, query, text, iocs: Object.freeze(members) });
    }
    kinds.push({
      kind: k,
      iocs: fits.length,
      queries: bins.length,
      lowerBound: lowerBound(weights, capacity, maxListSize),
    });
    kept.push(...fits);
  }
  invalid.sort((a, b) => a.line - b.line);
  return Object.freeze({
    queries: Object.freeze(queries),
    invalid: Object.freeze(invalid),
    iocs: Object.freeze(kept.map((i) => Object.freeze({ ...i, lines: Object.freeze([...i.lines]) }))),
    kinds: Object.freeze(kinds),
  });
}
