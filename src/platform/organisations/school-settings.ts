/**
 * Parsing and formatting of a school's delegated approval limit. Commissioning plans that cost
 * up to this amount go to a senior leader for approval, and dearer plans go to a governor. The
 * limit is stored as a whole number of pence.
 */

/** Maximum limit accepted, £10,000,000 in pence. A larger figure is most likely a typo. */
export const MAX_DELEGATED_LIMIT_PENCE = 1_000_000_000;

/** Outcome of parsing a typed amount: the amount in pence, or a message for the error summary. */
export type DelegatedLimitParseResult = { ok: true; pence: number } | { ok: false; error: string };

// An optional minus sign on either side of an optional pound sign, then pounds with or
// without commas, then optional pence after a full stop. Whether the commas separate
// thousands, and how many decimal places there are, is checked afterwards so that each
// mistake gets its own message.
const AMOUNT_PATTERN =
  /^(?<minusBefore>[-\u2212]?)\s*£?\s*(?<minusAfter>[-\u2212]?)\s*(?<pounds>[\d,]*)(?:\.(?<fraction>\d*))?$/;

const THOUSANDS_PATTERN = /^\d{1,3}(?:,\d{3})+$/;

const MAX_POUNDS_DIGITS = String(MAX_DELEGATED_LIMIT_PENCE / 100).length;

const poundsFormat = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 });

/**
 * Parses a delegated approval limit typed in pounds, such as `5000`, `5,000` or `£5,000.50`,
 * into whole pence. Spaces around the amount and after the pound sign are ignored. Rejects an
 * empty field, a negative amount, commas that do not separate thousands, more than two
 * decimal places, anything that is not a number, and amounts above £10,000,000.
 */
export function parseDelegatedLimit(input: string): DelegatedLimitParseResult {
  const text = input.trim();
  if (text === '') return rejected('Enter the delegated approval limit');

  const match = AMOUNT_PATTERN.exec(text);
  const pounds = match?.groups?.pounds ?? '';
  const fraction = match?.groups?.fraction ?? '';
  if (!match || (pounds.replaceAll(',', '') === '' && fraction === '')) {
    return rejected('Delegated approval limit must be an amount in pounds, like 5,000 or 5,000.50');
  }

  if (match.groups?.minusBefore || match.groups?.minusAfter) {
    return rejected('Delegated approval limit must be £0 or more. Remove the minus sign');
  }
  if (pounds.includes(',') && !THOUSANDS_PATTERN.test(pounds)) {
    return rejected(
      'Delegated approval limit must use commas only to separate thousands, like 12,500 or 1,250,000',
    );
  }
  if (fraction.length > 2) {
    return rejected(
      'Delegated approval limit must have no more than 2 decimal places, like 5,000.50',
    );
  }

  // Leading zeros are dropped before counting digits, so a very long number is rejected
  // without being converted and losing precision.
  const poundsDigits = pounds.replaceAll(',', '').replace(/^0+/, '');
  const tooLarge = 'Delegated approval limit must be £10,000,000 or less. Check for extra zeros';
  if (poundsDigits.length > MAX_POUNDS_DIGITS) return rejected(tooLarge);

  const pence = Number(poundsDigits || '0') * 100 + Number(fraction.padEnd(2, '0'));
  if (pence > MAX_DELEGATED_LIMIT_PENCE) return rejected(tooLarge);
  return { ok: true, pence };
}

/**
 * Formats whole pence as pounds with thousands separators and two decimal places, so that
 * 500050 becomes `£5,000.50` and 500000 becomes `£5,000.00`. Throws a `RangeError` for a
 * negative or fractional number of pence.
 */
export function formatPence(pence: number): string {
  if (!Number.isSafeInteger(pence) || pence < 0) {
    throw new RangeError(`Cannot format ${pence} as pence: expected a whole number, 0 or more`);
  }
  const pounds = Math.floor(pence / 100);
  const remainder = String(pence % 100).padStart(2, '0');
  return `£${poundsFormat.format(pounds)}.${remainder}`;
}

function rejected(error: string): DelegatedLimitParseResult {
  return { ok: false, error };
}
