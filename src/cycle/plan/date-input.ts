import { checkDateParts, type DateParts } from '../../platform/http/form-fields.js';

export type { DateParts };

/** A date typed into a GOV.UK date input: an ISO date, none at all, or the first box at fault. */
export type DateParseResult =
  { ok: true; date: string | null } | { ok: false; error: string; part: keyof DateParts };

/**
 * Reads a date that may be left out: all three boxes empty gives `date: null`, and the caller
 * decides whether the date is required. Otherwise the GOV.UK date input's checks apply.
 */
export function parseDateParts(parts: DateParts, label: string): DateParseResult {
  if ([parts.day, parts.month, parts.year].every((part) => part.trim() === '')) {
    return { ok: true, date: null };
  }
  const checked = checkDateParts(parts, label, { missingMessage: `Enter the ${label}` });
  if (checked.ok) return { ok: true, date: checked.iso };
  return { ok: false, error: checked.message, part: checked.parts[0] ?? 'day' };
}

/** Splits an ISO date back into the three boxes, for forms that show a saved date. */
export function datePartsOf(iso: string | null): DateParts {
  if (iso === null) return { day: '', month: '', year: '' };
  const [year = '', month = '', day = ''] = iso.split('-');
  return { day: String(Number(day)), month: String(Number(month)), year };
}
