import { parseDateParts as parseDateInput } from '../plan/date-input.js';

/**
 * Reads a date typed into the GOV.UK date input's day, month and year boxes. All three empty
 * means no date. Otherwise it must be a real date, and for money matters one from 2000 to 2099,
 * which catches a year typed with two digits or a slip of the finger. Messages start with `label`.
 */
export function parseDateParts(
  day: string,
  month: string,
  year: string,
  label: string,
): { ok: true; date: string | null } | { ok: false; error: string } {
  const read = parseDateInput({ day, month, year }, label);
  if (!read.ok) return { ok: false, error: read.error };
  if (read.date !== null && (read.date < '2000-01-01' || read.date > '2099-12-31')) {
    return { ok: false, error: `${label} must be in a year from 2000 to 2099` };
  }
  return read;
}
