/** Whole numbers typed by people: counts of pupils, sessions, places and outcomes. */

/** Largest count any field accepts unless it sets its own. A larger count is most likely a typo. */
export const MAX_COUNT = 100_000;

export interface CountField {
  /** Name of the field at the start of a sentence, for example `Number of pupils`. */
  label: string;
  /** Message for an empty field, for example `Enter the number of pupils`. */
  missingMessage: string;
  /** Smallest value accepted; 0 when absent. */
  min?: number;
  /** Largest value accepted; `MAX_COUNT` when absent. */
  max?: number;
}

export type CountParseResult = { ok: true; value: number } | { ok: false; error: string };

const countFormat = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 });

/**
 * Parses a whole number such as `12` or `1,200`. Spaces around it are ignored. Rejects an
 * empty field, a minus sign, a fraction, anything that is not a number, and values outside
 * the field's range, each with a message that starts with the field's label.
 */
export function parseCount(input: string, field: CountField): CountParseResult {
  const min = field.min ?? 0;
  const max = field.max ?? MAX_COUNT;
  const text = input.trim();
  if (text === '') return { ok: false, error: field.missingMessage };

  if (/^[-\u2212]\s*[\d,.]+$/.test(text)) {
    return { ok: false, error: `${field.label} must be ${countFormat.format(min)} or more` };
  }
  if (/^[\d,]*\.\d*$/.test(text) && /\d/.test(text)) {
    return { ok: false, error: `${field.label} must be a whole number, like 12` };
  }
  if (!/^\d{1,3}(?:,\d{3})*$|^\d+$/.test(text)) {
    return { ok: false, error: `${field.label} must be a number, like 12` };
  }

  const digits = text.replaceAll(',', '').replace(/^0+(?=\d)/, '');
  const tooLarge = `${field.label} must be ${countFormat.format(max)} or less`;
  if (digits.length > String(max).length) return { ok: false, error: tooLarge };
  const value = Number(digits);
  if (value > max) return { ok: false, error: tooLarge };
  if (value < min) {
    return { ok: false, error: `${field.label} must be ${countFormat.format(min)} or more` };
  }
  return { ok: true, value };
}
