/**
 * Checks shared by the forms of the Understand step: free text with a length limit, and a
 * date typed into the three boxes of a GOV.UK date input.
 */
import { formatIsoDate, isRealDate } from '../../pupils/tabular/uk-date.js';

/** One entry in a GOV.UK error summary; `href` is the fragment of the field to correct. */
export interface FormError {
  text: string;
  href: string;
}

export type TextCheck = { ok: true; text: string } | { ok: false; message: string };

export interface TextRule {
  /** Maximum length in characters (UTF-16 code units, as the browser's counter counts). */
  maxLength: number;
  /** The message for an empty field; absent when the field may be left empty. */
  missingMessage?: string;
  /** The field's name as a message begins it, such as "Title". */
  label: string;
}

/**
 * Checks free text against a rule. Spaces and line breaks around the text are ignored, so a
 * field of spaces counts as empty; the text inside is kept exactly as typed.
 */
export function checkText(typed: string, rule: TextRule): TextCheck {
  const text = typed.trim();
  if (text === '' && rule.missingMessage !== undefined) {
    return { ok: false, message: rule.missingMessage };
  }
  if (text.length > rule.maxLength) {
    return {
      ok: false,
      message: `${rule.label} must be ${rule.maxLength.toLocaleString('en-GB')} characters or fewer`,
    };
  }
  return { ok: true, text };
}

/** The three boxes of a GOV.UK date input, as typed. */
export interface DateParts {
  day: string;
  month: string;
  year: string;
}

/** Box of a date input that a message is about, so that box can be marked. */
export type DatePart = keyof DateParts;

export type DateCheck =
  { ok: true; iso: string } | { ok: false; message: string; parts: DatePart[] };

/** Earliest year a date input accepts; an earlier year is almost always a typing mistake. */
export const EARLIEST_YEAR = 1900;

/**
 * Checks a date typed into a GOV.UK date input, with the messages the GOV.UK Design System
 * gives for each mistake, and returns it as an ISO date. `label` begins the messages, for
 * example "Date of the evidence". With `notAfter` (an ISO date, usually today), a later date
 * is rejected.
 */
export function checkDateParts(
  typed: DateParts,
  label: string,
  options: { missingMessage: string; notAfter?: string },
): DateCheck {
  const day = typed.day.trim();
  const month = typed.month.trim();
  const year = typed.year.trim();

  const missing = (['day', 'month', 'year'] as const).filter(
    (part) => ({ day, month, year })[part] === '',
  );
  if (missing.length === 3) return { ok: false, message: options.missingMessage, parts: missing };
  if (missing.length > 0) {
    return {
      ok: false,
      message: `${label} must include a ${missing.join(' and ')}`,
      parts: missing,
    };
  }

  const realDate = `${label} must be a real date`;
  const monthNumber = monthOf(month);
  if (!/^\d{1,2}$/.test(day) || monthNumber === null || !/^\d{4}$/.test(year)) {
    return { ok: false, message: realDate, parts: ['day', 'month', 'year'] };
  }
  const [dayNumber, yearNumber] = [Number(day), Number(year)];
  if (!isRealDate(yearNumber, monthNumber, dayNumber)) {
    return { ok: false, message: realDate, parts: ['day', 'month', 'year'] };
  }
  if (yearNumber < EARLIEST_YEAR) {
    return {
      ok: false,
      message: `${label} must be in ${EARLIEST_YEAR} or later`,
      parts: ['year'],
    };
  }

  const iso = formatIsoDate(yearNumber, monthNumber, dayNumber);
  if (options.notAfter !== undefined && iso > options.notAfter) {
    return {
      ok: false,
      message: `${label} must be today or in the past`,
      parts: ['day', 'month', 'year'],
    };
  }
  return { ok: true, iso };
}

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
 * Reads a month typed as a number ("3") or as a name or its first three letters or more
 * ("March", "mar"), as people often type it. Returns null for anything else.
 */
function monthOf(typed: string): number | null {
  if (/^\d{1,2}$/.test(typed)) return Number(typed);
  const lower = typed.toLowerCase();
  if (lower.length < 3) return null;
  const index = MONTH_NAMES.findIndex((name) => name.startsWith(lower));
  return index === -1 ? null : index + 1;
}

const londonDate = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** Returns the calendar date in England at `now`, as an ISO date (`YYYY-MM-DD`). */
export function londonToday(now: Date = new Date()): string {
  return londonDate.format(now);
}
