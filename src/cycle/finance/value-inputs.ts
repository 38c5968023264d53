/** The value-for-money form: figures the plan itself does not record. */
import { parsePounds } from './money.js';
import type { FieldError } from './payment-models.js';
import { parseCount } from './whole-number.js';

/** Largest staff hourly rate accepted: £1,000 an hour in pence. More is most likely a typo. */
export const MAX_STAFF_HOURLY_RATE_PENCE = 100_000;

export interface ValueInputsRecord {
  pupils: number | null;
  sessions: number | null;
  outcomesAchieved: number | null;
  staffHourlyRatePence: number | null;
  /** Unit cost key to the number of hoped outcomes that avoid it; keys with 0 are left out. */
  avoidedUnits: Record<string, number>;
}

export interface ValueInputsForm {
  pupils: string;
  sessions: string;
  outcomesAchieved: string;
  staffHourlyRate: string;
  /** Typed number of hoped outcomes for each unit cost key. */
  avoided: Record<string, string>;
}

/**
 * Checks the value-for-money form. Every field may be left empty, except the staff hourly rate
 * when the plan records staff hours, because staff time is then part of the cost. Counts must
 * be whole numbers and the rate an amount of at most £1,000. `unitCostKeys` lists the fields
 * of `avoided` that are read; other keys are ignored.
 */
export function parseValueInputs(
  form: ValueInputsForm,
  unitCostKeys: readonly string[],
  planHasStaffHours: boolean,
): { ok: true; inputs: ValueInputsRecord } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const optionalCount = (field: string, text: string, label: string): number | null => {
    if (text.trim() === '') return null;
    const parsed = parseCount(text, { label, missingMessage: '' });
    if (!parsed.ok) {
      errors.push({ field, message: parsed.error });
      return null;
    }
    return parsed.value;
  };

  const pupils = optionalCount('pupils', form.pupils, 'Number of pupils');
  const sessions = optionalCount('sessions', form.sessions, 'Number of sessions');
  const outcomesAchieved = optionalCount(
    'outcomesAchieved',
    form.outcomesAchieved,
    'Outcomes achieved',
  );

  let staffHourlyRatePence: number | null = null;
  if (form.staffHourlyRate.trim() !== '' || planHasStaffHours) {
    const rate = parsePounds(form.staffHourlyRate, {
      label: 'Staff hourly rate',
      missingMessage: 'Enter the staff hourly rate, because the plan records staff hours',
      maxPence: MAX_STAFF_HOURLY_RATE_PENCE,
    });
    if (rate.ok) staffHourlyRatePence = rate.pence;
    else errors.push({ field: 'staffHourlyRate', message: rate.error });
  }

  const avoidedUnits: Record<string, number> = {};
  for (const key of unitCostKeys) {
    const units = optionalCount(`avoided-${key}`, form.avoided[key] ?? '', 'Outcomes hoped for');
    if (units !== null && units > 0) avoidedUnits[key] = units;
  }

  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    inputs: { pupils, sessions, outcomesAchieved, staffHourlyRatePence, avoidedUnits },
  };
}
