import { formatPence } from '../platform/organisations/school-settings.js';

/**
 * The figures and text a school needs for its Pupil Premium strategy statement, and the totals
 * and proportion worked out from them. Schools that must publish a statement use the DfE's
 * template, so the Word and CSV exports follow its section order. First come the school
 * overview and the funding overview. Part A then covers the statement of intent, challenges,
 * intended outcomes and this academic year's activity in three tiers. Part B reviews the
 * previous year and lists externally provided programmes and service pupil premium spending.
 * The DfE's section headings are kept so each part can be matched to the template, but the row
 * labels are our own words.
 */

/** One activity in a tier of the year's spending. */
export interface StrategyActivity {
  activity: string;
  /** Evidence that supports the approach, for example an EEF Toolkit strand. */
  evidence: string;
  /** Numbers of the challenges it addresses, counted from 1 in the order of `challenges`. */
  challengeNumbers: number[];
}

/** One of the three tiers of activity, with its budgeted cost in whole pence. */
export interface StrategyActivityTier {
  /** Null when the school has not set a cost for the tier yet. */
  budgetedCostPence: number | null;
  activities: StrategyActivity[];
}

/**
 * Input to the strategy statement exports. Strings arrive formatted by the caller (dates as
 * "4 December 2026", academic years as "2025/26 to 2027/28"); an empty string or null is shown
 * as "Not given". Counts are whole numbers and money is whole pence, which the exports format.
 */
export interface StrategyStatementData {
  schoolName: string;
  /** Pupils on roll; null when not known. */
  pupilCount: number | null;
  /**
   * Pupils among them eligible for Pupil Premium (Ever-6 FSM, looked after or previously
   * looked after), counted by the caller; null when not known.
   */
  eligiblePupilCount: number | null;
  /** Academic years the strategy covers, for example "2025/26 to 2027/28". */
  academicYearsCovered: string;
  publishedOn: string;
  nextReviewOn: string;
  authorisedBy: string;
  pupilPremiumLead: string;
  governorLead: string;
  funding: {
    /** Pupil Premium allocation for this academic year, in pence. */
    allocationPence: number | null;
    /** Pupil Premium carried forward from previous years, in pence; 0 when there is none. */
    carriedForwardPence: number | null;
  };
  statementOfIntent: string;
  /** Challenges to disadvantaged pupils' achievement, numbered from 1 in this order. */
  challenges: string[];
  intendedOutcomes: Array<{ outcome: string; successCriteria: string }>;
  activity: {
    /** Teaching, for example professional development and recruitment. */
    teaching: StrategyActivityTier;
    /** Targeted academic support, for example tutoring and structured interventions. */
    targetedSupport: StrategyActivityTier;
    /** Wider strategies, for example attendance, behaviour and wellbeing. */
    widerStrategies: StrategyActivityTier;
  };
  previousYear: {
    /** The academic year reviewed, for example "2024/25". */
    academicYear: string;
    /** Review of how disadvantaged pupils performed and of how the school assessed it. */
    outcomesReview: string;
    /** Programmes bought from outside the DfE's own, each with its provider. */
    externalProgrammes: Array<{ programme: string; provider: string }>;
    /** Null for a school with no service pupil premium. */
    servicePupilPremium: { howSpent: string; effect: string } | null;
  };
  furtherInformation: string;
}

/**
 * Section headings in the DfE template's own words (with Pupil Premium capitalised as
 * elsewhere in Commissioner), kept so each section can be matched to the template.
 */
export const STATEMENT_HEADINGS = {
  schoolOverview: 'School overview',
  fundingOverview: 'Funding overview',
  partA: 'Part A: Pupil Premium strategy plan',
  statementOfIntent: 'Statement of intent',
  challenges: 'Challenges',
  intendedOutcomes: 'Intended outcomes',
  activity: 'Activity in this academic year',
  partB: 'Part B: Review of outcomes in the previous academic year',
  externalProgrammes: 'Externally provided programmes',
  servicePupilPremium: 'Service pupil premium funding',
  furtherInformation: 'Further information',
} as const;

/** The three tiers in the order the DfE template lists them, with the template's names. */
export const ACTIVITY_TIERS = [
  { key: 'teaching', label: 'Teaching' },
  { key: 'targetedSupport', label: 'Targeted academic support' },
  { key: 'widerStrategies', label: 'Wider strategies' },
] as const;

/** Figures worked out from the data, or null where an input they need is missing. */
export interface StrategyStatementFigures {
  /** Eligible pupils as a percentage of pupils on roll, in tenths of a percent (176 is 17.6%). */
  eligibleTenthsOfPercent: number | null;
  /** Allocation plus funding carried forward, in pence. */
  totalBudgetPence: number | null;
  /** Sum of the three tiers' budgeted costs, in pence. */
  totalActivityCostPence: number | null;
}

/**
 * Checks the data and works out its figures. The proportion is eligible pupils divided by
 * pupils on roll, rounded half up to one decimal place. It is null when either count is missing
 * or no pupils are on roll, and a total is null when any amount it adds is missing.
 * Throws a RangeError naming the field for a count or amount that is negative or not a whole
 * number, for more eligible pupils than pupils on roll, and for an activity that names a
 * challenge the statement does not list.
 */
export function computeStrategyFigures(data: StrategyStatementData): StrategyStatementFigures {
  checkCount('pupilCount', data.pupilCount);
  checkCount('eligiblePupilCount', data.eligiblePupilCount);
  checkPence('funding.allocationPence', data.funding.allocationPence);
  checkPence('funding.carriedForwardPence', data.funding.carriedForwardPence);
  for (const tier of ACTIVITY_TIERS) {
    checkPence(`activity.${tier.key}.budgetedCostPence`, data.activity[tier.key].budgetedCostPence);
  }
  checkEligibleWithinRoll(data.pupilCount, data.eligiblePupilCount);
  checkChallengeNumbers(data);

  return {
    eligibleTenthsOfPercent: tenthsOfPercent(data.eligiblePupilCount, data.pupilCount),
    totalBudgetPence: sumPence('total budget', [
      data.funding.allocationPence,
      data.funding.carriedForwardPence,
    ]),
    totalActivityCostPence: sumPence(
      'total budgeted cost',
      ACTIVITY_TIERS.map((tier) => data.activity[tier.key].budgetedCostPence),
    ),
  };
}

/** One row of an overview table: its label, its text, and the number behind it if any. */
export interface StatementRow {
  label: string;
  /** Formatted for reading; null when not given. */
  text: string | null;
  /** The count or amount behind the text, for a spreadsheet column. */
  number?: { value: number | null; unit: 'pupils' | 'pence' };
}

const wholeNumber = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 });

/** Rows of the school overview, in the order of the DfE template. */
export function schoolOverviewRows(
  data: StrategyStatementData,
  figures: StrategyStatementFigures,
): StatementRow[] {
  const proportion = figures.eligibleTenthsOfPercent;
  return [
    { label: 'School name', text: data.schoolName },
    countRow('Number of pupils in school', data.pupilCount),
    countRow('Pupils eligible for Pupil Premium', data.eligiblePupilCount),
    {
      label: 'Proportion of pupils eligible for Pupil Premium',
      text: proportion === null ? null : formatTenthsOfPercent(proportion),
    },
    { label: 'Academic years this statement covers', text: data.academicYearsCovered },
    { label: 'Date published', text: data.publishedOn },
    { label: 'Date of next review', text: data.nextReviewOn },
    { label: 'Statement authorised by', text: data.authorisedBy },
    { label: 'Pupil Premium lead', text: data.pupilPremiumLead },
    { label: 'Governor or trustee lead', text: data.governorLead },
  ];
}

/** Rows of the funding overview, in the order of the DfE template. */
export function fundingOverviewRows(
  data: StrategyStatementData,
  figures: StrategyStatementFigures,
): StatementRow[] {
  return [
    penceRow('Pupil Premium allocation this academic year', data.funding.allocationPence),
    penceRow('Pupil Premium carried forward from previous years', data.funding.carriedForwardPence),
    penceRow('Total budget for this academic year', figures.totalBudgetPence),
  ];
}

function countRow(label: string, count: number | null): StatementRow {
  const text = count === null ? null : wholeNumber.format(count);
  return { label, text, number: { value: count, unit: 'pupils' } };
}

function penceRow(label: string, pence: number | null): StatementRow {
  return { label, text: formatOptionalPence(pence), number: { value: pence, unit: 'pence' } };
}

/** Formats tenths of a percent as a percentage with one decimal place: 176 becomes "17.6%". */
export function formatTenthsOfPercent(tenths: number): string {
  return `${Math.floor(tenths / 10)}.${tenths % 10}%`;
}

/** Formats pence as pounds, like "£1,515.00", or returns null for null. */
export function formatOptionalPence(pence: number | null): string | null {
  return pence === null ? null : formatPence(pence);
}

// Rounds half up in whole numbers, so no floating-point error can tip a value such as
// 1 of 8 (12.5%) or 1 of 16 (6.25%) the wrong way: round(a / b) = floor((2a + b) / 2b).
function tenthsOfPercent(part: number | null, whole: number | null): number | null {
  if (part === null || whole === null || whole === 0) return null;
  return Math.floor((2 * part * 1000 + whole) / (2 * whole));
}

function sumPence(name: string, amounts: readonly (number | null)[]): number | null {
  if (amounts.some((amount) => amount === null)) return null;
  const total = amounts.reduce<number>((sum, amount) => sum + (amount ?? 0), 0);
  if (!Number.isSafeInteger(total)) {
    throw new RangeError(`The ${name} of ${total} pence is too large to add exactly`);
  }
  return total;
}

function checkCount(field: string, value: number | null): void {
  if (value !== null && (!Number.isSafeInteger(value) || value < 0)) {
    throw new RangeError(`${field} must be a whole number of pupils, 0 or more: got ${value}`);
  }
}

function checkPence(field: string, value: number | null): void {
  if (value !== null && (!Number.isSafeInteger(value) || value < 0)) {
    throw new RangeError(`${field} must be a whole number of pence, 0 or more: got ${value}`);
  }
}

function checkEligibleWithinRoll(pupilCount: number | null, eligible: number | null): void {
  if (pupilCount !== null && eligible !== null && eligible > pupilCount) {
    throw new RangeError(
      `eligiblePupilCount (${eligible}) is larger than pupilCount (${pupilCount}): ` +
        'count eligible pupils among the pupils on roll',
    );
  }
}

function checkChallengeNumbers(data: StrategyStatementData): void {
  const listed = data.challenges.length;
  for (const tier of ACTIVITY_TIERS) {
    for (const activity of data.activity[tier.key].activities) {
      for (const number of activity.challengeNumbers) {
        if (!Number.isInteger(number) || number < 1 || number > listed) {
          const known = listed === 0 ? 'lists no challenges' : `lists challenges 1 to ${listed}`;
          throw new RangeError(
            `Activity "${activity.activity}" (${tier.label}) addresses challenge ${number}, ` +
              `but the statement ${known}: add the challenge or correct the number`,
          );
        }
      }
    }
  }
}
