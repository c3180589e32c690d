/** Timestamp text without a Date per event: the date-and-minute prefix is cached, the rest is arithmetic. */

let cachedMinute = Number.NaN;
let cachedPrefix = '';

const TWO = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
const THREE = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));

function prefix(ms: number): string {
  const minute = Math.floor(ms / 60_000);
  if (minute !== cachedMinute) {
    cachedMinute = minute;
    cachedPrefix = new Date(minute * 60_000).toISOString().slice(0, 17); // YYYY-MM-DDTHH:MM:
  }
  return cachedPrefix;
}

/** `2026-11-30T12:34:56.123Z` */
export function isoMillis(ms: number): string {
  const inMinute = ms - Math.floor(ms / 60_000) * 60_000;
  const s = Math.floor(inMinute / 1000);
  return `${prefix(ms)}${TWO[s]}.${THREE[inMinute - s * 1000]}Z`;
}

/** `2026-11-30T12:34:56.123456Z`, the API's createdAt form (`micros` is 0-999). */
export function isoMicros(ms: number, micros: number): string {
  const inMinute = ms - Math.floor(ms / 60_000) * 60_000;
  const s = Math.floor(inMinute / 1000);
  return `${prefix(ms)}${TWO[s]}.${THREE[inMinute - s * 1000]}${THREE[micros]}Z`;
}
