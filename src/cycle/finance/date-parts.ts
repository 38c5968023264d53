/** Dates typed into the GOV.UK date input, as three boxes for day, month and year. */

/**
 * Reads a date typed into the GOV.UK date input's day, month and year boxes. All three empty
 * means no date. Otherwise each must be a number and together a real date from 2000 to 2099.
 * Messages start with `label`.
 */
export function parseDateParts(
  day: string,
  month: string,
  year: string,
  label: string,
): { ok: true; date: string | null } | { ok: false; error: string } {
  const parts = [day.trim(), month.trim(), year.trim()];
  if (parts.every((part) => part === '')) return { ok: true, date: null };
  if (parts.some((part) => part === '')) {
    return { ok: false, error: `${label} must include a day, month and year` };
  }
  const [d, m, y] = parts as [string, string, string];
  if (!/^\d{1,2}$/.test(d) || !/^\d{1,2}$/.test(m) || !/^\d{4}$/.test(y)) {
    return { ok: false, error: `${label} must be a real date, like 27 3 2026` };
  }
  const iso = `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;
  const parsed = new Date(`${iso}T00:00:00Z`);
  if (Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== iso) {
    return { ok: false, error: `${label} must be a real date, like 27 3 2026` };
  }
  if (Number(y) < 2000 || Number(y) > 2099) {
    return { ok: false, error: `${label} must be in a year from 2000 to 2099` };
  }
  return { ok: true, date: iso };
}
