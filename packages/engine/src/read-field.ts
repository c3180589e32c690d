/**
 * Reading a field from an event (design/S1QL.md, "Reading a field"): the key is found case-insensitively; a key
 * that is absent or holds `null` (or `undefined`) is a missing field.
 *
 * Hot path: a slot remembers the key spelling that last worked (starting with the expected one, the catalog
 * name with a lower-case first letter, or the catalog's `eventKey`), so events of one shape cost one property
 * read. Only a miss scans the event's keys. When an event holds several keys that differ only by case, which
 * one is read is unspecified.
 */
import { lookupField } from '@s1ql/language';
import { parseTimestamp } from './values.ts';

export type DvEvent = Readonly<Record<string, unknown>>;

/** Names an inherited property could answer to (`constructor`, `toString`...): read them as own keys only. */
const inheritedNames = new Set(Object.getOwnPropertyNames(Object.prototype).map((name) => name.toLowerCase()));

export interface KeySlot {
  /** The spelling that matched last (or the expected spelling before any event was read). */
  key: string;
  /** The key lower-cased, for the scan. */
  readonly lower: string;
  /** True when the name could hit an inherited property and must be checked as an own key. */
  readonly guarded: boolean;
}

export function makeSlot(expectedKey: string): KeySlot {
  const lower = expectedKey.toLowerCase();
  return { key: expectedKey, lower, guarded: inheritedNames.has(lower) };
}

/** The value at the slot's key, or `undefined` when the field is missing (absent, `null` or `undefined`). */
export function readSlot(slot: KeySlot, event: DvEvent): unknown {
  if (!slot.guarded) {
    const value = event[slot.key];
    if (value !== undefined) return value === null ? undefined : value;
  }
  return scan(slot, event);
}

function scan(slot: KeySlot, event: DvEvent): unknown {
  const lower = slot.lower;
  const length = lower.length;
  for (const key in event) {
    // Lower-casing can change a string's length, but only for characters a field name never has; the length
    // test is what keeps a miss cheap.
    if (key.length === length && key.toLowerCase() === lower && Object.hasOwn(event, key)) {
      slot.key = key;
      const value = event[key];
      return value === null ? undefined : value;
    }
  }
  return undefined;
}

/** The key an event is expected to use for a field: the catalog's `eventKey`, else the name in lowerCamel. */
export function expectedKey(fieldName: string, eventKey?: string): string {
  if (eventKey) return eventKey;
  return fieldName.length === 0 ? fieldName : fieldName.charAt(0).toLowerCase() + fieldName.slice(1);
}

const readFieldSlots = new Map<string, KeySlot>();

/**
 * The documented key lookup: `field` is an S1QL field name (catalog names and aliases resolve to the catalog
 * field and its `eventKey`; any other name is read as it is), matched case-insensitively against the event's
 * keys. Returns `undefined` when the field is missing (absent or `null`). Shortcut fields are not expanded here.
 */
export function readField(event: DvEvent, field: string): unknown {
  let slot = readFieldSlots.get(field);
  if (!slot) {
    const info = lookupField(field);
    slot = makeSlot(expectedKey(info?.name ?? field, info?.eventKey));
    if (readFieldSlots.size < 1024) readFieldSlots.set(field, slot);
  }
  return readSlot(slot, event);
}

const createdAtSlot = makeSlot('createdAt');

/** A query's time window: `createdAt` at or after `from` and before `to` (epoch ms); false when it is missing. */
export function inTimeWindow(event: DvEvent, from: number, to: number): boolean {
  const at = parseTimestamp(readSlot(createdAtSlot, event));
  return at !== undefined && at >= from && at < to;
}
