/**
 * Joint commissioning: the lead school's choice of partner schools and of a basis, and each
 * school's figure, checked and turned into cost shares with `splitCost`. The cost shared is the
 * plan's budget, because the budget is what the plan is approved for under the school's scheme
 * of delegation, while a payment model's total can still move (payment by results).
 */
import {
  formatBasisPoints,
  parsePercentage,
  SHARE_BASES,
  splitCost,
  type ShareBasis,
} from './cost-shares.js';
import { formatPence, parsePounds } from './money.js';
import type { FieldError } from './payment-models.js';
import { parseCount } from './whole-number.js';

/** A school that can take part in a joint commission. */
export interface JointSchool {
  id: number;
  name: string;
}

/** One school's part of a joint commission: its figure on the basis, and its share in pence. */
export interface JointShare {
  schoolId: number;
  /** Pupils or places, basis points for percentages, or pence for agreed amounts. */
  weight: number;
  pence: number;
}

/** Field of the partner checkboxes, and the id the error summary links to. */
export const PARTNERS_FIELD = 'partners';

/** Field of the basis radios. */
export const BASIS_FIELD = 'basis';

/** Field of a message about all the figures together, such as percentages not making 100%. */
export const FIGURES_FIELD = 'figures';

/** Name and id of the input that contains one school's figure. */
export function figureField(schoolId: number): string {
  return `figure-${schoolId}`;
}

export function isShareBasis(value: string): value is ShareBasis {
  return (SHARE_BASES as readonly string[]).includes(value);
}

export type PartnerChoiceResult =
  { ok: true; basis: ShareBasis; partnerIds: number[] } | { ok: false; errors: FieldError[] };

/**
 * Checks the first page of the form: a basis, and at least one partner school among
 * `candidates` (the other schools beneath the lead school's trust or local authority).
 * Partners come back in the order of `candidates`, so a choice always lists schools the same way.
 * An id that is not a candidate can only come from an altered form, and is rejected.
 */
export function parsePartnerChoice(
  typed: { basis: string; partnerIds: readonly string[] },
  candidates: readonly JointSchool[],
): PartnerChoiceResult {
  const errors: FieldError[] = [];
  if (!isShareBasis(typed.basis)) {
    errors.push({ field: BASIS_FIELD, message: 'Choose how the cost is split' });
  }

  const chosen = new Set(typed.partnerIds);
  const candidateIds = new Set(candidates.map((school) => String(school.id)));
  if (chosen.size === 0) {
    errors.push({ field: PARTNERS_FIELD, message: 'Choose at least one school to share the cost' });
  } else if ([...chosen].some((id) => !candidateIds.has(id))) {
    errors.push({
      field: PARTNERS_FIELD,
      message: 'Choose schools from the list. The list has changed since the page was opened',
    });
  }

  if (errors.length > 0 || !isShareBasis(typed.basis)) return { ok: false, errors };
  const partnerIds = candidates
    .filter((school) => chosen.has(String(school.id)))
    .map((school) => school.id);
  return { ok: true, basis: typed.basis, partnerIds };
}

export type JointSplitResult =
  { ok: true; shares: JointShare[] } | { ok: false; errors: FieldError[] };

/**
 * Parses each school's figure on `basis` and splits `totalPence` between `schools` in the given
 * order, the lead school first. A missing or invalid figure gets a message at its own field.
 * Valid figures can still fail together: percentages that do not add up to 100%, agreed
 * amounts that do not add up to the total, or numbers that add up to 0. That message goes to
 * `FIGURES_FIELD`, because no single figure is wrong.
 */
export function splitJointCost(
  basis: ShareBasis,
  schools: readonly JointSchool[],
  typedFigures: Readonly<Record<number, string>>,
  totalPence: number,
): JointSplitResult {
  const errors: FieldError[] = [];
  const weights: { id: string; weight: number }[] = [];
  for (const school of schools) {
    const parsed = parseFigure(basis, school.name, typedFigures[school.id] ?? '');
    if (parsed.ok) weights.push({ id: String(school.id), weight: parsed.weight });
    else errors.push({ field: figureField(school.id), message: parsed.error });
  }
  if (errors.length > 0) return { ok: false, errors };

  const split = splitCost(totalPence, basis, weights);
  if (!split.ok) return { ok: false, errors: [{ field: FIGURES_FIELD, message: split.error }] };
  return {
    ok: true,
    shares: split.shares.map((share) => ({
      schoolId: Number(share.id),
      weight: share.weight,
      pence: share.pence,
    })),
  };
}

type FigureResult = { ok: true; weight: number } | { ok: false; error: string };

/** Parses one school's figure: a count, a percentage in basis points, or an amount in pence. */
function parseFigure(basis: ShareBasis, schoolName: string, typed: string): FigureResult {
  switch (basis) {
    case 'pupils':
    case 'places': {
      const parsed = parseCount(typed, {
        label: figureLabel(basis, schoolName),
        missingMessage: `Enter the number of ${basis} for ${schoolName}`,
      });
      return parsed.ok ? { ok: true, weight: parsed.value } : parsed;
    }
    case 'percentages': {
      // parsePercentage lowers the whole label for its "Enter …" message, which would lower
      // the school's name, so an empty field gets its message here.
      if (typed.trim() === '') {
        return { ok: false, error: `Enter the percentage for ${schoolName}` };
      }
      const parsed = parsePercentage(typed, figureLabel(basis, schoolName));
      return parsed.ok ? { ok: true, weight: parsed.basisPoints } : parsed;
    }
    case 'agreed_amounts': {
      const parsed = parsePounds(typed, {
        label: figureLabel(basis, schoolName),
        missingMessage: `Enter the amount for ${schoolName}`,
      });
      return parsed.ok ? { ok: true, weight: parsed.pence } : parsed;
    }
  }
}

/** Label of a school's figure on the form, and the start of its error messages. */
export function figureLabel(basis: ShareBasis, schoolName: string): string {
  switch (basis) {
    case 'pupils':
      return `Pupils for ${schoolName}`;
    case 'places':
      return `Places for ${schoolName}`;
    case 'percentages':
      return `Percentage for ${schoolName}`;
    case 'agreed_amounts':
      return `Amount for ${schoolName}`;
  }
}

const wholeNumber = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 });

/** Formats a stored figure for reading: `120 pupils`, `1 place`, `33.33%` or `£1,500.00`. */
export function formatShareFigure(basis: ShareBasis, weight: number): string {
  switch (basis) {
    case 'pupils':
      return `${wholeNumber.format(weight)} ${weight === 1 ? 'pupil' : 'pupils'}`;
    case 'places':
      return `${wholeNumber.format(weight)} ${weight === 1 ? 'place' : 'places'}`;
    case 'percentages':
      return formatBasisPoints(weight);
    case 'agreed_amounts':
      return formatPence(weight);
  }
}

/**
 * Writes a stored figure back into a form field as a person would type it: `120`, `33.33` or
 * `1500.00`, so that changing the shares starts from the figures agreed before.
 */
export function typedShareFigure(basis: ShareBasis, weight: number): string {
  switch (basis) {
    case 'pupils':
    case 'places':
      return String(weight);
    case 'percentages':
      return formatBasisPoints(weight).slice(0, -1);
    case 'agreed_amounts':
      return (weight / 100).toFixed(2);
  }
}

/**
 * Describes how the plan's budget has moved since the shares were agreed, or returns null when
 * the shares still split the budget exactly.
 */
export function describeBudgetChange(
  agreedTotalPence: number,
  budgetPence: number | null,
): string | null {
  if (budgetPence === agreedTotalPence) return null;
  if (budgetPence === null) {
    return `The plan no longer has a budget. The shares split ${formatPence(agreedTotalPence)}`;
  }
  return `The plan’s budget is now ${formatPence(budgetPence)}, but the shares split ${formatPence(agreedTotalPence)}. Change the shares so that they split the budget`;
}
