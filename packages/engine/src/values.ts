/**
 * How event values and query constants are read as text, numbers, instants and booleans (design/S1QL.md,
 * "Engine semantics"). Pure functions with no allocation on the hot paths beyond what the rule needs.
 */

/** A decimal number as written in events and queries: `42`, `-1.5`, `.5`, `1e3`; no spaces, no hex, not `""`. */
const numericText = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * The number an event value or constant holds: a finite number, or a string that is a decimal number.
 * Anything else (booleans, `""`, `"0x10"`, `" 5"`) is not numeric.
 */
export function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && numericText.test(value)) {
    const n = Number(value);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

/** The text string operators see: strings as they are, every other value through `String()`. */
export function toText(value: unknown): string {
  return typeof value === 'string' ? value : String(value);
}

/** `Is True`: `true`, `"true"` or `"True"`. */
export function isTrueValue(value: unknown): boolean {
  return value === true || value === 'true' || value === 'True';
}

/** `Is False`: `false`, `"false"` or `"False"`. */
export function isFalseValue(value: unknown): boolean {
  return value === false || value === 'false' || value === 'False';
}

/** The range ECMAScript dates cover; instants outside it are not timestamps. */
const maxInstant = 8.64e15;

const epochText = /^-?\d{1,16}$/;
const isoText =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?([Zz]|[+-]\d{2}(?::?\d{2})?)?)?$/;

/**
 * Milliseconds since the epoch, or `undefined` when the value is not a timestamp. Accepted, exactly:
 * - a finite number: epoch milliseconds (a sub-millisecond part is dropped toward the past);
 * - a string of digits with an optional leading `-`: epoch milliseconds;
 * - ISO-8601 extended format `YYYY-MM-DD`, optionally followed by `T` (or `t` or one space) `HH:MM`, optional
 *   `:SS`, optional fraction (`.` or `,`, any number of digits, truncated to milliseconds), optional zone `Z`,
 *   `±HH`, `±HHMM` or `±HH:MM`. No zone means UTC; a date alone is midnight UTC. Fields are range-checked
 *   (month 1-12, the month's real days, hour 0-23, minute and second 0-59).
 */
export function parseTimestamp(value: unknown): number | undefined {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return undefined;
    const ms = Math.floor(value);
    return Math.abs(ms) <= maxInstant ? ms : undefined;
  }
  if (typeof value !== 'string') return undefined;
  if (epochText.test(value)) {
    const ms = Number(value);
    return Math.abs(ms) <= maxInstant ? ms : undefined;
  }
  const m = isoText.exec(value);
  if (!m) return undefined;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = m[4] === undefined ? 0 : Number(m[4]);
  const minute = m[5] === undefined ? 0 : Number(m[5]);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  const millis = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, '0'));
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  let offsetMinutes = 0;
  const zone = m[8];
  if (zone !== undefined && zone !== 'Z' && zone !== 'z') {
    const digits = zone.slice(1).replace(':', '');
    const oh = Number(digits.slice(0, 2));
    const om = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
    if (oh > 23 || om > 59) return undefined;
    offsetMinutes = (zone[0] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const days = daysFromCivil(year, month, day);
  const ms = ((days * 24 + hour) * 60 + minute - offsetMinutes) * 60_000 + second * 1000 + millis;
  return Math.abs(ms) <= maxInstant ? ms : undefined;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm; no Date, so years 0-99 work). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}
