/**
 * Reads the three fields of a GOV.UK date input (day, month, year) into an ISO date. Each
 * mistake gets its own message, named after the question, so the error summary can say
 * exactly what to fix.
 */

export interface DateParts {
  day: string;
  month: string;
  year: string;
}

export type DateParseResult =
  { ok: true; date: string | null } | { ok: false; error: string; part: keyof DateParts };

const MONTH_NAMES = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];

/**
 * Parses a date typed into three boxes. All three empty gives `date: null` (the caller decides
 * whether the date is required). A month may be typed as a number or a name ("3", "March",
 * "Mar"). Years must have four digits.
 */
export function parseDateParts(parts: DateParts, label: string): DateParseResult {
  const day = parts.day.trim();
  const month = parts.month.trim();
  const year = parts.year.trim();
  if (day === '' && month === '' && year === '') return { ok: true, date: null };

  if (day === '') return { ok: false, error: `${label} must include a day`, part: 'day' };
  if (month === '') return { ok: false, error: `${label} must include a month`, part: 'month' };
  if (year === '') return { ok: false, error: `${label} must include a year`, part: 'year' };

  const monthNumber = monthFromText(month);
  if (!/^\d{1,2}$/.test(day) || monthNumber === null || !/^\d{4}$/.test(year)) {
    return {
      ok: false,
      error: `${label} must be a real date, like 31 3 2027`,
      part: !/^\d{1,2}$/.test(day) ? 'day' : monthNumber === null ? 'month' : 'year',
    };
  }

  const iso = `${year}-${String(monthNumber).padStart(2, '0')}-${day.padStart(2, '0')}`;
  if (!isRealDate(iso)) {
    return { ok: false, error: `${label} must be a real date, like 31 3 2027`, part: 'day' };
  }
  return { ok: true, date: iso };
}

/** Splits an ISO date back into the three boxes, for forms that show a saved date. */
export function datePartsOf(iso: string | null): DateParts {
  if (iso === null) return { day: '', month: '', year: '' };
  const [year = '', month = '', day = ''] = iso.split('-');
  return { day: String(Number(day)), month: String(Number(month)), year };
}

function monthFromText(text: string): number | null {
  if (/^\d{1,2}$/.test(text)) {
    const value = Number(text);
    return value >= 1 && value <= 12 ? value : null;
  }
  const lower = text.toLowerCase();
  const index = MONTH_NAMES.findIndex(
    (name) => name === lower || (lower.length >= 3 && name.startsWith(lower)),
  );
  return index === -1 ? null : index + 1;
}

function isRealDate(iso: string): boolean {
  const parsed = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().slice(0, 10) === iso;
}

/** Today's date in London, as schools in England count days. */
export function todayInLondon(now: Date = new Date()): string {
  return now.toLocaleDateString('en-CA', { timeZone: 'Europe/London' });
}
