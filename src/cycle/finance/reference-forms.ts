/** Forms with which an administrator changes reference figures: Pupil Premium rates and unit costs. */
import { parsePounds } from './money.js';
import type { FieldError } from './payment-models.js';
import { PREMIUM_CATEGORIES, PREMIUM_CATEGORY_LABELS, type PremiumRate } from './pupil-premium.js';
import type { UnitCost } from './value-for-money.js';

/** Largest per-pupil rate accepted: £100,000 in pence, far above any published rate. */
export const MAX_PREMIUM_RATE_PENCE = 10_000_000;

/** Longest source text accepted, in characters. */
export const MAX_SOURCE_LENGTH = 300;

/** A year's rates as typed: one amount and one confirmed box per category, and one source. */
export interface PremiumRatesForm {
  source: string;
  amounts: Record<string, string>;
  /** Categories whose "confirmed" box is ticked. */
  confirmed: readonly string[];
}

/**
 * Checks a year's rates. A category left empty gets no rate, but at least one must be given.
 * Each amount must be a positive amount up to £100,000, and the source must be given.
 */
export function parsePremiumRatesForm(
  financialYear: number,
  form: PremiumRatesForm,
): { ok: true; rates: PremiumRate[] } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const source = form.source.trim();
  if (source === '') {
    errors.push({
      field: 'source',
      message: 'Enter where the rates come from, such as the DfE conditions of grant',
    });
  } else if (source.length > MAX_SOURCE_LENGTH) {
    errors.push({
      field: 'source',
      message: `Source must be ${MAX_SOURCE_LENGTH} characters or fewer`,
    });
  }

  const rates: PremiumRate[] = [];
  for (const category of PREMIUM_CATEGORIES) {
    const typed = form.amounts[category] ?? '';
    if (typed.trim() === '') continue;
    const amount = parsePounds(typed, {
      label: `Rate for ${PREMIUM_CATEGORY_LABELS[category]}`,
      missingMessage: '',
      maxPence: MAX_PREMIUM_RATE_PENCE,
      allowZero: false,
    });
    if (!amount.ok) {
      errors.push({ field: `rate-${category}`, message: amount.error });
      continue;
    }
    rates.push({
      financialYear,
      category,
      pencePerPupil: amount.pence,
      source,
      confirmed: form.confirmed.includes(category),
    });
  }
  if (rates.length === 0 && errors.every((error) => error.field === 'source')) {
    errors.push({
      field: `rate-${PREMIUM_CATEGORIES[0]}`,
      message: 'Enter at least one rate for the year',
    });
  }

  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, rates };
}

/** Unit costs as typed: an amount, a source and a source month for each key. */
export type UnitCostsForm = Record<string, { amount: string; source: string; sourceDate: string }>;

/**
 * Checks new figures for known unit costs, keeping each cost's key, label, unit and payer.
 * Each amount must be positive, each source given, and each source month written `YYYY-MM`.
 */
export function parseUnitCostsForm(
  current: readonly UnitCost[],
  form: UnitCostsForm,
): { ok: true; costs: UnitCost[] } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const costs: UnitCost[] = [];
  for (const cost of current) {
    const typed = form[cost.key] ?? { amount: '', source: '', sourceDate: '' };
    const amount = parsePounds(typed.amount, {
      label: `Cost of ${cost.label.charAt(0).toLowerCase()}${cost.label.slice(1)}`,
      missingMessage: `Enter the cost of ${cost.label.charAt(0).toLowerCase()}${cost.label.slice(1)}`,
      allowZero: false,
    });
    if (!amount.ok) errors.push({ field: `cost-${cost.key}-amount`, message: amount.error });

    const source = typed.source.trim();
    if (source === '' || source.length > MAX_SOURCE_LENGTH) {
      errors.push({
        field: `cost-${cost.key}-source`,
        message: `Enter the source of this cost, in ${MAX_SOURCE_LENGTH} characters or fewer`,
      });
    }
    const sourceDate = typed.sourceDate.trim();
    if (!/^(?:19|20)\d{2}-(?:0[1-9]|1[0-2])$/.test(sourceDate)) {
      errors.push({
        field: `cost-${cost.key}-sourceDate`,
        message: 'Enter the month the source was published, like 2018-05',
      });
    }
    if (amount.ok) costs.push({ ...cost, pence: amount.pence, source, sourceDate });
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, costs };
}
