/**
 * Money typed by people and shown to them. Amounts are whole pence everywhere in the app, so
 * sums and splits are exact; pounds exist only in what people type and read.
 */

/**
 * Largest amount any money field accepts unless it sets its own: £10,000,000 in pence. One
 * school's commission, funding line or tariff above this is most likely a typo.
 */
export const MAX_AMOUNT_PENCE = 1_000_000_000;

/** How a money field is named in messages, and what it accepts. */
export interface MoneyField {
  /** Name of the field at the start of a sentence, for example `Delegated approval limit`. */
  label: string;
  /** Message for an empty field, for example `Enter the delegated approval limit`. */
  missingMessage: string;
  /** Largest amount accepted, in pence; `MAX_AMOUNT_PENCE` when absent. */
  maxPence?: number;
  /** Whether £0 is accepted; true when absent. */
  allowZero?: boolean;
}

/** Outcome of parsing a typed amount: the amount in pence, or a message for the error summary. */
export type MoneyParseResult = { ok: true; pence: number } | { ok: false; error: string };

// An optional minus sign on either side of an optional pound sign, then pounds with or
// without commas, then optional pence after a full stop. Whether the commas separate
// thousands, and how many decimal places there are, is checked afterwards so that each
// mistake gets its own message.
const AMOUNT_PATTERN =
  /^(?<minusBefore>[-\u2212]?)\s*£?\s*(?<minusAfter>[-\u2212]?)\s*(?<pounds>[\d,]*)(?:\.(?<fraction>\d*))?$/;

const THOUSANDS_PATTERN = /^\d{1,3}(?:,\d{3})+$/;

const poundsFormat = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 });

/**
 * Parses an amount typed in pounds, such as `1234`, `1,234.5` or `£1,234.56`, into whole
 * pence. Spaces around the amount and after the pound sign are ignored. Rejects an empty
 * field, a negative amount, £0 when the field does not allow it, commas that do not separate
 * thousands, more than two decimal places, anything that is not a number, and amounts above
 * the field's maximum. Each message starts with the field's label and says how to fix it.
 */
export function parsePounds(input: string, field: MoneyField): MoneyParseResult {
  const maxPence = field.maxPence ?? MAX_AMOUNT_PENCE;
  const text = input.trim();
  if (text === '') return rejected(field.missingMessage);

  const match = AMOUNT_PATTERN.exec(text);
  const pounds = match?.groups?.pounds ?? '';
  const fraction = match?.groups?.fraction ?? '';
  if (!match || (pounds.replaceAll(',', '') === '' && fraction === '')) {
    return rejected(`${field.label} must be an amount in pounds, like 5,000 or 5,000.50`);
  }

  if (match.groups?.minusBefore || match.groups?.minusAfter) {
    return rejected(`${field.label} must be £0 or more. Remove the minus sign`);
  }
  if (pounds.includes(',') && !THOUSANDS_PATTERN.test(pounds)) {
    return rejected(
      `${field.label} must use commas only to separate thousands, like 12,500 or 1,250,000`,
    );
  }
  if (fraction.length > 2) {
    return rejected(`${field.label} must have no more than 2 decimal places, like 5,000.50`);
  }

  // Leading zeros are dropped before counting digits, so a very long number is rejected
  // without being converted and losing precision.
  const poundsDigits = pounds.replaceAll(',', '').replace(/^0+/, '');
  const tooLarge = `${field.label} must be ${formatPenceBriefly(maxPence)} or less. Check for extra zeros`;
  if (poundsDigits.length > String(Math.floor(maxPence / 100)).length) return rejected(tooLarge);

  const pence = Number(poundsDigits || '0') * 100 + Number(fraction.padEnd(2, '0'));
  if (pence > maxPence) return rejected(tooLarge);
  if (pence === 0 && field.allowZero === false) {
    return rejected(`${field.label} must be more than £0`);
  }
  return { ok: true, pence };
}

/**
 * Formats whole pence as pounds with thousands separators and two decimal places, so that
 * 123456 becomes `£1,234.56` and 500000 becomes `£5,000.00`. Throws a `RangeError` for a
 * negative or fractional number of pence; use `formatSignedPence` where an amount can be
 * negative.
 */
export function formatPence(pence: number): string {
  if (!Number.isSafeInteger(pence) || pence < 0) {
    throw new RangeError(`Cannot format ${pence} as pence: expected a whole number, 0 or more`);
  }
  const pounds = Math.floor(pence / 100);
  const remainder = String(pence % 100).padStart(2, '0');
  return `£${poundsFormat.format(pounds)}.${remainder}`;
}

/**
 * Formats whole pence that may be negative, such as a net benefit: -123456 becomes
 * `-£1,234.56`. Throws a `RangeError` for a fractional number of pence.
 */
export function formatSignedPence(pence: number): string {
  if (!Number.isSafeInteger(pence)) {
    throw new RangeError(`Cannot format ${pence} as pence: expected a whole number`);
  }
  return pence < 0 ? `-${formatPence(-pence)}` : formatPence(pence);
}

/**
 * Formats pence as `formatPence` does but leaves out `.00` from whole pounds, for limits in
 * messages: 1000000000 becomes `£10,000,000`, and 12345 stays `£123.45`.
 */
export function formatPenceBriefly(pence: number): string {
  const full = formatPence(pence);
  return full.endsWith('.00') ? full.slice(0, -3) : full;
}

function rejected(error: string): MoneyParseResult {
  return { ok: false, error };
}
