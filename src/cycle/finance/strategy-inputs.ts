/**
 * The form on which a senior leader enters what a strategy statement needs and the school's
 * records cannot supply, checked with a message for each field in GOV.UK style.
 */
import { datePartsOf, parseDateParts, type DateParts } from '../plan/date-input.js';
import { parsePounds } from './money.js';
import type { FieldError } from './payment-models.js';
import { isStrategyTier, type StrategyInputs, type StrategyTier } from './strategy-statement.js';

/** Maximum length of each name (who authorised the statement and the two leads), in characters. */
export const MAX_NAME_LENGTH = 200;

/** Maximum length of the statement of intent, in characters. */
export const MAX_INTENT_LENGTH = 5_000;

/** The form as typed. */
export interface StrategyInputsForm {
  statementOfIntent: string;
  authorisedBy: string;
  pupilPremiumLead: string;
  governorLead: string;
  publishedOn: DateParts;
  nextReviewOn: DateParts;
  carriedForward: string;
  /** Typed tier of each plan in the statement, by plan id; '' when none is chosen. */
  tiers: Record<number, string>;
}

/** A plan that needs a tier on the form. */
export interface TieredPlan {
  id: number;
  title: string;
}

export type StrategyInputsParseResult =
  | { ok: true; inputs: StrategyInputs; tiers: Array<{ planId: number; tier: StrategyTier }> }
  | { ok: false; errors: FieldError[] };

const NAME_FIELDS = [
  {
    field: 'authorisedBy',
    label: 'Statement authorised by',
    missing: 'Enter who authorised the statement, such as the headteacher’s name and role',
  },
  {
    field: 'pupilPremiumLead',
    label: 'Pupil Premium lead',
    missing: 'Enter the name of the Pupil Premium lead',
  },
  {
    field: 'governorLead',
    label: 'Governor or trustee lead',
    missing: 'Enter the name of the governor or trustee lead',
  },
] as const;

/**
 * Checks the form. Every field is required. The statement of intent may have up to 5,000
 * characters, and who authorised it and the two leads up to 200 each. The publication date
 * must be real, and the review date real and later. The amount carried forward is £0 or more,
 * as `parsePounds` reads it, and each plan in `plans` needs a tier. Tiers typed for other
 * plans are ignored. Field ids of date errors name the box to fix, such as `publishedOn-month`.
 */
export function parseStrategyInputs(
  form: StrategyInputsForm,
  plans: readonly TieredPlan[],
): StrategyInputsParseResult {
  const errors: FieldError[] = [];

  const statementOfIntent = form.statementOfIntent.trim();
  if (statementOfIntent === '') {
    errors.push({
      field: 'statementOfIntent',
      message:
        'Enter the statement of intent: what the school aims to achieve for its disadvantaged pupils',
    });
  } else if (statementOfIntent.length > MAX_INTENT_LENGTH) {
    errors.push({
      field: 'statementOfIntent',
      message: `Statement of intent must be ${MAX_INTENT_LENGTH.toLocaleString('en-GB')} characters or fewer`,
    });
  }

  const names: Record<string, string> = {};
  for (const { field, label, missing } of NAME_FIELDS) {
    const value = form[field].trim();
    names[field] = value;
    if (value === '') errors.push({ field, message: missing });
    else if (value.length > MAX_NAME_LENGTH) {
      errors.push({ field, message: `${label} must be ${MAX_NAME_LENGTH} characters or fewer` });
    }
  }

  const publishedOn = requiredDate(form.publishedOn, 'publishedOn', 'Date published', errors);
  const nextReviewOn = requiredDate(
    form.nextReviewOn,
    'nextReviewOn',
    'Date of next review',
    errors,
  );
  if (publishedOn !== null && nextReviewOn !== null && nextReviewOn <= publishedOn) {
    errors.push({
      field: 'nextReviewOn-day',
      message: 'Date of next review must be after the date published',
    });
  }

  const carriedForward = parsePounds(form.carriedForward, {
    label: 'Pupil Premium carried forward',
    missingMessage: 'Enter the Pupil Premium carried forward from previous years, or 0 if none',
  });
  if (!carriedForward.ok) errors.push({ field: 'carriedForward', message: carriedForward.error });

  const tiers: Array<{ planId: number; tier: StrategyTier }> = [];
  for (const plan of plans) {
    const typed = form.tiers[plan.id] ?? '';
    if (isStrategyTier(typed)) tiers.push({ planId: plan.id, tier: typed });
    else errors.push({ field: `tier-${plan.id}`, message: `Select the tier of ${plan.title}` });
  }

  if (errors.length > 0 || publishedOn === null || nextReviewOn === null || !carriedForward.ok) {
    return { ok: false, errors };
  }
  return {
    ok: true,
    inputs: {
      statementOfIntent,
      authorisedBy: names.authorisedBy ?? '',
      pupilPremiumLead: names.pupilPremiumLead ?? '',
      governorLead: names.governorLead ?? '',
      publishedOn,
      nextReviewOn,
      carriedForwardPence: carriedForward.pence,
    },
    tiers,
  };
}

function requiredDate(
  parts: DateParts,
  field: string,
  label: string,
  errors: FieldError[],
): string | null {
  const parsed = parseDateParts(parts, label);
  if (!parsed.ok) {
    errors.push({ field: `${field}-${parsed.part}`, message: parsed.error });
    return null;
  }
  if (parsed.date === null) {
    errors.push({ field: `${field}-day`, message: `Enter the ${label.toLowerCase()}` });
    return null;
  }
  return parsed.date;
}

/** Fills the form from saved inputs and tiers, or leaves it empty. */
export function formOfInputs(
  inputs: StrategyInputs | null,
  tiers: ReadonlyMap<number, StrategyTier>,
  plans: readonly TieredPlan[],
): StrategyInputsForm {
  return {
    statementOfIntent: inputs?.statementOfIntent ?? '',
    authorisedBy: inputs?.authorisedBy ?? '',
    pupilPremiumLead: inputs?.pupilPremiumLead ?? '',
    governorLead: inputs?.governorLead ?? '',
    publishedOn: datePartsOf(inputs?.publishedOn ?? null),
    nextReviewOn: datePartsOf(inputs?.nextReviewOn ?? null),
    carriedForward: inputs === null ? '' : (inputs.carriedForwardPence / 100).toFixed(2),
    tiers: Object.fromEntries(plans.map((plan) => [plan.id, tiers.get(plan.id) ?? ''])),
  };
}
