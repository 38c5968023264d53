/**
 * A school's Pupil Premium allocation for one financial year, from counts of eligible pupils
 * and that year's per-pupil rates. The rates are reference data passed in by the caller, never
 * written here, because DfE sets them afresh each year.
 *
 * Rules, from DfE's "Pupil premium: conditions of grant" and its technical note for each
 * financial year (GOV.UK, 2023-24 to 2025-26):
 *
 * - Ever-6 FSM pupils attract a primary rate in reception to year 6 and a lower secondary rate
 *   in years 7 to 11. Looked-after and previously looked-after pupils attract one rate
 *   whatever their year, and so do service children, at the service pupil premium rate.
 * - A pupil recorded both as Ever-6 FSM and as looked after or previously looked after attracts
 *   the looked-after rate only. A service child attracts the service rate in addition to any
 *   other rate.
 * - Funding for previously looked-after pupils is paid to the school. Funding for pupils looked
 *   after now is paid to the local authority that looks after them, whose virtual school head
 *   manages it and passes it to schools as the child's personal education plan needs ("Pupil
 *   premium: virtual school heads' responsibilities", GOV.UK). It is shown, but it is not part
 *   of the school's own allocation.
 * - Mainstream and special schools are funded on the October census before the financial year:
 *   financial year 2025-26 used the October 2024 census.
 *
 * NOTE: the one-rate rule for pupils in two categories was read in the conditions of grant as
 * schools reproduce them, not in DfE's own text. Pupil referral units and AP academies are
 * funded on the January census, which this module does not model.
 */
import { yearGroup } from '../understand/pupil-groups.js';
import { isEver6Fsm, type PremiumFacts } from '../understand/pupil-groups.js';
import { formatFinancialYear } from './financial-year.js';

export const PREMIUM_CATEGORIES = [
  'ever6_fsm_primary',
  'ever6_fsm_secondary',
  'looked_after',
  'previously_looked_after',
  'service_child',
] as const;

export type PremiumCategory = (typeof PREMIUM_CATEGORIES)[number];

export const PREMIUM_CATEGORY_LABELS: Readonly<Record<PremiumCategory, string>> = {
  ever6_fsm_primary: 'Ever-6 FSM, reception to year 6',
  ever6_fsm_secondary: 'Ever-6 FSM, years 7 to 11',
  looked_after: 'Looked after by a local authority',
  previously_looked_after: 'Previously looked after',
  service_child: 'Service child (service pupil premium)',
};

/** Who receives a category's funding. */
export type PremiumPayee = 'school' | 'local_authority';

const PAYEES: Readonly<Record<PremiumCategory, PremiumPayee>> = {
  ever6_fsm_primary: 'school',
  ever6_fsm_secondary: 'school',
  looked_after: 'local_authority',
  previously_looked_after: 'school',
  service_child: 'school',
};

/** One category's per-pupil rate in one financial year, with where the figure came from. */
export interface PremiumRate {
  /** Start year of the financial year: 2025 means April 2025 to March 2026. */
  financialYear: number;
  category: PremiumCategory;
  pencePerPupil: number;
  /** The publication the figure was taken from. */
  source: string;
  /** False while the figure has not been checked against DfE's own publication. */
  confirmed: boolean;
}

/** Pupils counted in each category. */
export type PremiumCounts = Readonly<Record<PremiumCategory, number>>;

export interface AllocationLine {
  category: PremiumCategory;
  pupils: number;
  /** Null only for a category with no pupils and no rate. */
  rate: PremiumRate | null;
  pence: number;
  payee: PremiumPayee;
}

export interface PremiumAllocation {
  financialYear: number;
  /** One line per category, in the order of `PREMIUM_CATEGORIES`. */
  lines: AllocationLine[];
  /** Funding paid to the school: every category except pupils looked after now. */
  schoolPence: number;
  /** Funding for the school's looked-after pupils, paid to the local authority. */
  localAuthorityPence: number;
  /** Categories with pupils whose rate is not confirmed, so the total is an estimate. */
  unconfirmedCategories: PremiumCategory[];
}

/** Raised when a category has pupils but the financial year has no rate for it. */
export class MissingPremiumRateError extends Error {
  constructor(
    readonly financialYear: number,
    readonly categories: readonly PremiumCategory[],
  ) {
    const names = categories.map((category) => PREMIUM_CATEGORY_LABELS[category]).join(', ');
    super(
      `No Pupil Premium rate for ${formatFinancialYear(financialYear)}: ${names}. ` +
        'An administrator can add the rate under Pupil Premium rates',
    );
    this.name = 'MissingPremiumRateError';
  }
}

/**
 * Works out one financial year's allocation: for each category, pupils times the rate, in
 * pence. Rates of other years are ignored. A category with no pupils needs no rate.
 * Throws `MissingPremiumRateError` naming the year and every category that has pupils but no
 * rate, and a `RangeError` for a count that is not a whole number of 0 or more or for two
 * rates given for the same category and year.
 */
export function allocatePupilPremium(
  financialYear: number,
  counts: PremiumCounts,
  rates: readonly PremiumRate[],
): PremiumAllocation {
  const ratesOfYear = ratesByCategory(financialYear, rates);
  const missing = PREMIUM_CATEGORIES.filter(
    (category) => counts[category] > 0 && !ratesOfYear.has(category),
  );
  if (missing.length > 0) throw new MissingPremiumRateError(financialYear, missing);

  const lines = PREMIUM_CATEGORIES.map((category): AllocationLine => {
    const pupils = counts[category];
    if (!Number.isSafeInteger(pupils) || pupils < 0) {
      throw new RangeError(`Pupils counted for ${category} must be a whole number: got ${pupils}`);
    }
    const rate = ratesOfYear.get(category) ?? null;
    return {
      category,
      pupils,
      rate,
      pence: rate === null ? 0 : pupils * rate.pencePerPupil,
      payee: PAYEES[category],
    };
  });

  const total = (payee: PremiumPayee) =>
    lines.filter((line) => line.payee === payee).reduce((sum, line) => sum + line.pence, 0);
  return {
    financialYear,
    lines,
    schoolPence: total('school'),
    localAuthorityPence: total('local_authority'),
    unconfirmedCategories: lines
      .filter((line) => line.pupils > 0 && line.rate !== null && !line.rate.confirmed)
      .map((line) => line.category),
  };
}

function ratesByCategory(
  financialYear: number,
  rates: readonly PremiumRate[],
): Map<PremiumCategory, PremiumRate> {
  const byCategory = new Map<PremiumCategory, PremiumRate>();
  for (const rate of rates) {
    if (rate.financialYear !== financialYear) continue;
    if (byCategory.has(rate.category)) {
      throw new RangeError(
        `Two Pupil Premium rates for ${rate.category} in ${formatFinancialYear(financialYear)}: keep one`,
      );
    }
    byCategory.set(rate.category, rate);
  }
  return byCategory;
}

/** A pupil as the count needs it: eligibility facts and national curriculum year, no identity. */
export type PremiumPupil = PremiumFacts & { ncYear: string | null };

export interface PremiumPupilCount {
  censusDate: string;
  counts: PremiumCounts;
  /** Pupils eligible on some ground but in nursery or years 12 to 14, which DfE does not fund. */
  outsideFundedYears: number;
  /** Eligible pupils with no year group in a school whose phase does not settle it either. */
  phaseUnknown: number;
  /** Pupils the source reports as Pupil Premium with no ground recorded, so not counted. */
  reportedWithoutGround: number;
}

type Phase = 'primary' | 'secondary' | 'outside' | 'unknown';

/**
 * Counts a school's pupils by Pupil Premium category on a census day, with the rules in this
 * module's header. The phase comes from the pupil's year group (reception to year 6 primary,
 * years 7 to 11 secondary); without one, from the school's phase when that is `primary` or
 * `secondary`. A pupil both looked after and previously looked after counts as looked after.
 */
export function countPremiumPupils(
  pupils: readonly PremiumPupil[],
  censusDate: string,
  schoolPhase: string | null,
): PremiumPupilCount {
  const counts: Record<PremiumCategory, number> = {
    ever6_fsm_primary: 0,
    ever6_fsm_secondary: 0,
    looked_after: 0,
    previously_looked_after: 0,
    service_child: 0,
  };
  const result = {
    censusDate,
    counts,
    outsideFundedYears: 0,
    phaseUnknown: 0,
    reportedWithoutGround: 0,
  };

  for (const pupil of pupils) {
    const ever6 = isEver6Fsm(pupil, censusDate);
    const lookedAfter = pupil.inCare === true;
    const previouslyLookedAfter = pupil.previouslyLookedAfter === true;
    const service = pupil.serviceChild === true;
    if (!ever6 && !lookedAfter && !previouslyLookedAfter && !service) {
      if (pupil.reported.pupilPremium === true) result.reportedWithoutGround += 1;
      continue;
    }

    const phase = phaseOf(pupil.ncYear, schoolPhase);
    if (phase === 'outside') {
      result.outsideFundedYears += 1;
      continue;
    }
    if (phase === 'unknown') {
      result.phaseUnknown += 1;
      continue;
    }

    if (lookedAfter) counts.looked_after += 1;
    else if (previouslyLookedAfter) counts.previously_looked_after += 1;
    else if (ever6) counts[phase === 'primary' ? 'ever6_fsm_primary' : 'ever6_fsm_secondary'] += 1;
    if (service) counts.service_child += 1;
  }
  return result;
}

function phaseOf(ncYear: string | null, schoolPhase: string | null): Phase {
  const group = yearGroup(ncYear);
  if (group === null) {
    if (schoolPhase === 'primary' || schoolPhase === 'secondary') return schoolPhase;
    return 'unknown';
  }
  if (group.order >= 0 && group.order <= 6) return 'primary';
  if (group.order >= 7 && group.order <= 11) return 'secondary';
  return 'outside';
}

/**
 * Returns the census a financial year's allocation is based on for a mainstream or special
 * school: the October census of the academic year before, held on the first Thursday of
 * October. Financial year 2025 gives academic year 2024 and `2024-10-03`.
 */
export function premiumCensus(financialYear: number): { academicYear: number; censusDate: string } {
  const academicYear = financialYear - 1;
  const firstOfOctober = new Date(Date.UTC(academicYear, 9, 1));
  const thursday = 4;
  const day = 1 + ((thursday - firstOfOctober.getUTCDay() + 7) % 7);
  return { academicYear, censusDate: `${academicYear}-10-${String(day).padStart(2, '0')}` };
}
