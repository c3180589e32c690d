/** Hunt dates: `YYYY-MM-DD` or SentinelLabs' `D-Mon-YYYY` (`27-Jan-2021`, `20-DEC-2019`). */

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** Days since the epoch, or `null` when the text is not a valid date in either form. */
export function readDate(text: string): number | null {
  const trimmed = text.trim();
  let year: number;
  let month: number;
  let day: number;
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(trimmed);
  const dmy = /^(\d{1,2})-([A-Za-z]{3})-(\d{4})$/.exec(trimmed);
  if (iso) {
    year = Number(iso[1]);
    month = Number(iso[2]);
    day = Number(iso[3]);
  } else if (dmy) {
    day = Number(dmy[1]);
    month = MONTHS.indexOf((dmy[2] as string).toLowerCase()) + 1;
    year = Number(dmy[3]);
    if (month === 0) return null;
  } else {
    return null;
  }
  const ms = Date.UTC(year, month - 1, day);
  const check = new Date(ms);
  // Rejects 31-Feb and the like, which Date.UTC would silently roll over.
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return null;
  return ms / 86_400_000;
}
