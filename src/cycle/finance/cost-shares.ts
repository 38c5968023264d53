/**
 * Cost shares of a joint commission: how schools that buy one service together split its
 * cost. The split follows pupil numbers, places, agreed percentages, or agreed amounts.
 *
 * Splits by weight use the largest remainder method, so the shares add up to the total to the
 * penny: each partner first gets its exact share rounded down, then the pennies left over go
 * one each to the partners with the largest fractions of a penny cut off. Equal fractions go
 * to the partner listed first, so the same inputs always give the same split.
 */
import { formatPence } from './money.js';

export const SHARE_BASES = ['pupils', 'places', 'percentages', 'agreed_amounts'] as const;

export type ShareBasis = (typeof SHARE_BASES)[number];

export const SHARE_BASIS_LABELS: Readonly<Record<ShareBasis, string>> = {
  pupils: 'By number of pupils',
  places: 'By number of places',
  percentages: 'By agreed percentages',
  agreed_amounts: 'By agreed amounts',
};

/** 100% in basis points, the unit of agreed percentages: 33.33% is 3,333. */
export const WHOLE_IN_BASIS_POINTS = 10_000;

export interface SharePartner {
  /** Identifies the partner, such as its organisation id. */
  id: string;
  /**
   * Pupils or places for a split by numbers, basis points for agreed percentages, or pence
   * for agreed amounts.
   */
  weight: number;
}

export interface CostShare {
  id: string;
  weight: number;
  pence: number;
}

export type CostShareResult = { ok: true; shares: CostShare[] } | { ok: false; error: string };

/**
 * Splits `totalPence` between partners on a basis. Fails with a message when there are no
 * partners or a weight is negative or fractional. It also fails when numbers of pupils or
 * places add up to 0, percentages do not add up to 100%, or agreed amounts do not add up to
 * the total.
 */
export function splitCost(
  totalPence: number,
  basis: ShareBasis,
  partners: readonly SharePartner[],
): CostShareResult {
  if (!Number.isSafeInteger(totalPence) || totalPence < 0) {
    return { ok: false, error: `Total to share must be whole pence, 0 or more: got ${totalPence}` };
  }
  if (partners.length === 0)
    return { ok: false, error: 'Add at least one school to share the cost' };
  const bad = partners.find(
    (partner) => !Number.isSafeInteger(partner.weight) || partner.weight < 0,
  );
  if (bad !== undefined) {
    return {
      ok: false,
      error: `Share of ${bad.id} must be a whole number, 0 or more: got ${bad.weight}`,
    };
  }
  const weightTotal = partners.reduce((sum, partner) => sum + partner.weight, 0);

  if (basis === 'agreed_amounts') {
    if (weightTotal !== totalPence) {
      return {
        ok: false,
        error: `Agreed amounts add up to ${formatPence(weightTotal)}. They must add up to the total of ${formatPence(totalPence)}`,
      };
    }
    return { ok: true, shares: partners.map(({ id, weight }) => ({ id, weight, pence: weight })) };
  }

  if (basis === 'percentages' && weightTotal !== WHOLE_IN_BASIS_POINTS) {
    return {
      ok: false,
      error: `Shares add up to ${formatBasisPoints(weightTotal)}. They must add up to 100%`,
    };
  }
  if (weightTotal === 0) {
    return { ok: false, error: `Numbers of ${basis} add up to 0. Enter at least one` };
  }
  return { ok: true, shares: splitByLargestRemainder(totalPence, partners, weightTotal) };
}

function splitByLargestRemainder(
  totalPence: number,
  partners: readonly SharePartner[],
  weightTotal: number,
): CostShare[] {
  // BigInt keeps total × weight exact however large both are.
  const total = BigInt(totalPence);
  const divisor = BigInt(weightTotal);
  const shares = partners.map(({ id, weight }, index) => {
    const exact = total * BigInt(weight);
    return { id, weight, index, pence: exact / divisor, remainder: exact % divisor };
  });

  let leftOver = total - shares.reduce((sum, share) => sum + share.pence, 0n);
  const byRemainder = [...shares].sort(largestRemainderFirst);
  for (const share of byRemainder) {
    if (leftOver === 0n) break;
    share.pence += 1n;
    leftOver -= 1n;
  }
  return shares.map(({ id, weight, pence }) => ({ id, weight, pence: Number(pence) }));
}

/** Orders shares by remainder, largest first, and equal remainders in the partners' order. */
function largestRemainderFirst(
  a: { remainder: bigint; index: number },
  b: { remainder: bigint; index: number },
): number {
  if (a.remainder > b.remainder) return -1;
  if (a.remainder < b.remainder) return 1;
  return a.index - b.index;
}

/** Formats basis points as a percentage: 3333 becomes `33.33%` and 10000 becomes `100%`. */
export function formatBasisPoints(basisPoints: number): string {
  const whole = Math.floor(basisPoints / 100);
  const fraction = basisPoints % 100;
  return fraction === 0 ? `${whole}%` : `${whole}.${String(fraction).padStart(2, '0')}%`;
}

/**
 * Parses a percentage typed by a person, such as `33.33` or `33.33%`, into basis points.
 * Rejects more than two decimal places, a minus sign and anything above 100%.
 */
export function parsePercentage(
  input: string,
  label: string,
): { ok: true; basisPoints: number } | { ok: false; error: string } {
  const text = input.trim().replace(/\s*%$/, '');
  if (text === '') return { ok: false, error: `Enter ${label.toLowerCase()}` };
  if (/^[-\u2212]/.test(text)) return { ok: false, error: `${label} must be 0% or more` };
  const match = /^(\d+)(?:\.(\d*))?$/.exec(text);
  if (!match) return { ok: false, error: `${label} must be a percentage, like 25 or 33.33` };
  const fraction = match[2] ?? '';
  if (fraction.length > 2) {
    return { ok: false, error: `${label} must have no more than 2 decimal places, like 33.33` };
  }
  const wholePart = (match[1] ?? '').replace(/^0+(?=\d)/, '');
  if (wholePart.length > 3) return { ok: false, error: `${label} must be 100% or less` };
  const basisPoints = Number(wholePart) * 100 + Number(fraction.padEnd(2, '0'));
  if (basisPoints > WHOLE_IN_BASIS_POINTS)
    return { ok: false, error: `${label} must be 100% or less` };
  return { ok: true, basisPoints };
}
