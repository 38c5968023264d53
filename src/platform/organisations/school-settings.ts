/**
 * Parsing and formatting of a school's delegated approval limit. Commissioning plans that cost
 * up to this amount go to a senior leader for approval, and dearer plans go to a governor. The
 * limit is stored as a whole number of pence.
 */
import { formatPence, MAX_AMOUNT_PENCE, parsePounds } from '../../cycle/finance/money.js';

export { formatPence };

/** Maximum limit accepted, £10,000,000 in pence. A larger figure is most likely a typo. */
export const MAX_DELEGATED_LIMIT_PENCE = MAX_AMOUNT_PENCE;

/** Outcome of parsing a typed amount: the amount in pence, or a message for the error summary. */
export type DelegatedLimitParseResult = { ok: true; pence: number } | { ok: false; error: string };

/**
 * Parses a delegated approval limit typed in pounds, such as `5000`, `5,000` or `£5,000.50`,
 * into whole pence, with the rules and messages of `parsePounds`. £0 is accepted: it sends
 * every plan to a governor.
 */
export function parseDelegatedLimit(input: string): DelegatedLimitParseResult {
  return parsePounds(input, {
    label: 'Delegated approval limit',
    missingMessage: 'Enter the delegated approval limit',
    maxPence: MAX_DELEGATED_LIMIT_PENCE,
  });
}
