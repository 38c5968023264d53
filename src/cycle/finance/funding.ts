/**
 * Funding lines: where the money for a commissioning plan comes from, how sure it is, and
 * whether the plan is fully funded. Also what is left of a year's Pupil Premium once plans
 * have committed and spent it.
 */
import { parseDateParts } from './date-parts.js';
import { isFinancialYear } from './financial-year.js';
import { parsePounds } from './money.js';
import type { FieldError } from './payment-models.js';

export const FUNDING_SOURCES = [
  'pupil_premium',
  'school_budget',
  'state_innovation_fund',
  'charitable_grant',
  'crowdfunding',
  'trial_grant',
  'social_investment',
  'match_funding',
  'partner_school',
] as const;

export type FundingSource = (typeof FUNDING_SOURCES)[number];

export const FUNDING_SOURCE_LABELS: Readonly<Record<FundingSource, string>> = {
  pupil_premium: 'Pupil Premium',
  school_budget: 'School budget',
  state_innovation_fund: 'State innovation fund',
  charitable_grant: 'Charitable grant',
  crowdfunding: 'Crowdfunding',
  trial_grant: 'Trial grant, such as from the Education Endowment Foundation',
  social_investment: 'Social investment',
  match_funding: 'Match funding from a provider or donor',
  partner_school: 'Another school’s share',
};

export const FUNDING_STATUSES = ['planned', 'applied_for', 'secured', 'received', 'spent'] as const;

export type FundingStatus = (typeof FUNDING_STATUSES)[number];

export const FUNDING_STATUS_LABELS: Readonly<Record<FundingStatus, string>> = {
  planned: 'Planned',
  applied_for: 'Applied for',
  secured: 'Secured',
  received: 'Received',
  spent: 'Spent',
};

/** Statuses of money the plan cannot yet count on. */
const AT_RISK: ReadonlySet<FundingStatus> = new Set(['planned', 'applied_for']);

export interface FundingLine {
  source: FundingSource;
  /** Who gives the money, such as the trust or charity; empty when the school itself does. */
  funder: string;
  amountPence: number;
  status: FundingStatus;
  /** For Pupil Premium, the financial year whose allocation the line draws on. */
  financialYear: number | null;
  /** ISO date the money is expected, or a decision on it is due; null when not known. */
  expectedDate: string | null;
  note: string;
}

export interface FundingStatusSummary {
  budgetPence: number | null;
  /** Every line added up, whatever its status. */
  totalPence: number;
  /** Lines secured, received or spent. */
  securedPence: number;
  /** Lines planned or applied for, which the plan cannot yet count on. */
  atRiskPence: number;
  /** Budget not covered by secured money; 0 when fully funded, null without a budget. */
  shortfallPence: number | null;
  /** True when secured money covers the budget. False without a budget. */
  fullyFunded: boolean;
}

/**
 * Sums a plan's funding lines against its budget. A plan is fully funded when the money
 * secured, received or spent covers the budget; lines still planned or applied for are at risk
 * and do not count towards it.
 */
export function summariseFunding(
  budgetPence: number | null,
  lines: readonly Pick<FundingLine, 'amountPence' | 'status'>[],
): FundingStatusSummary {
  const sum = (pick: (line: Pick<FundingLine, 'amountPence' | 'status'>) => boolean) =>
    lines.filter(pick).reduce((total, line) => total + line.amountPence, 0);
  const securedPence = sum((line) => !AT_RISK.has(line.status));
  return {
    budgetPence,
    totalPence: sum(() => true),
    securedPence,
    atRiskPence: sum((line) => AT_RISK.has(line.status)),
    shortfallPence: budgetPence === null ? null : Math.max(0, budgetPence - securedPence),
    fullyFunded: budgetPence !== null && securedPence >= budgetPence,
  };
}

/** One plan's draw on a year's Pupil Premium. */
export interface PremiumUse {
  planId: number;
  /** Pupil Premium lines not yet spent: planned, applied for, secured or received. */
  committedPence: number;
  spentPence: number;
}

export interface PremiumBalance {
  allocationPence: number;
  committedPence: number;
  spentPence: number;
  /** Allocation less committed and spent; negative when plans draw on more than there is. */
  leftPence: number;
}

/**
 * Sums the Pupil Premium lines of one financial year by plan and sets them against the
 * school's allocation. Lines spent count as spent, and every other status as committed.
 */
export function balancePremium(
  allocationPence: number,
  lines: readonly { planId: number; amountPence: number; status: FundingStatus }[],
): { uses: PremiumUse[]; balance: PremiumBalance } {
  const byPlan = new Map<number, PremiumUse>();
  for (const line of lines) {
    const use = byPlan.get(line.planId) ?? {
      planId: line.planId,
      committedPence: 0,
      spentPence: 0,
    };
    if (line.status === 'spent') use.spentPence += line.amountPence;
    else use.committedPence += line.amountPence;
    byPlan.set(line.planId, use);
  }
  const uses = [...byPlan.values()];
  const committedPence = uses.reduce((sum, use) => sum + use.committedPence, 0);
  const spentPence = uses.reduce((sum, use) => sum + use.spentPence, 0);
  return {
    uses,
    balance: {
      allocationPence,
      committedPence,
      spentPence,
      leftPence: allocationPence - committedPence - spentPence,
    },
  };
}

/** The funding line form as typed. */
export interface FundingLineForm {
  source: string;
  funder: string;
  amount: string;
  status: string;
  financialYear: string;
  expectedDay: string;
  expectedMonth: string;
  expectedYear: string;
  note: string;
}

/** Longest funder name and note accepted, in characters. */
export const MAX_FUNDER_LENGTH = 200;
export const MAX_NOTE_LENGTH = 2_000;

export type FundingLineParseResult =
  { ok: true; line: FundingLine } | { ok: false; errors: FieldError[] };

/**
 * Checks a funding line form. Rejects a missing source or status, an amount `parsePounds`
 * rejects or of £0, a Pupil Premium line without a financial year, an expected date that is
 * not a real date, and a funder or note that is too long. Every problem is reported against
 * its own field.
 */
export function parseFundingLine(form: FundingLineForm): FundingLineParseResult {
  const errors: FieldError[] = [];
  const source = (FUNDING_SOURCES as readonly string[]).includes(form.source)
    ? (form.source as FundingSource)
    : null;
  if (source === null)
    errors.push({ field: 'source', message: 'Select where the money comes from' });

  const funder = form.funder.trim();
  if (funder.length > MAX_FUNDER_LENGTH) {
    errors.push({
      field: 'funder',
      message: `Funder must be ${MAX_FUNDER_LENGTH} characters or fewer`,
    });
  }

  const amount = parsePounds(form.amount, {
    label: 'Amount',
    missingMessage: 'Enter the amount',
    allowZero: false,
  });
  if (!amount.ok) errors.push({ field: 'amount', message: amount.error });

  const status = (FUNDING_STATUSES as readonly string[]).includes(form.status)
    ? (form.status as FundingStatus)
    : null;
  if (status === null) errors.push({ field: 'status', message: 'Select how sure the money is' });

  const financialYear = parseFundingYear(form.financialYear, source, errors);
  const expectedDate = parseDateParts(
    form.expectedDay,
    form.expectedMonth,
    form.expectedYear,
    'Expected date',
  );
  if (!expectedDate.ok) errors.push({ field: 'expectedDate', message: expectedDate.error });

  const note = form.note.trim();
  if (note.length > MAX_NOTE_LENGTH) {
    errors.push({ field: 'note', message: `Note must be ${MAX_NOTE_LENGTH} characters or fewer` });
  }

  if (errors.length > 0 || source === null || status === null || !amount.ok || !expectedDate.ok) {
    return { ok: false, errors };
  }
  return {
    ok: true,
    line: {
      source,
      funder,
      amountPence: amount.pence,
      status,
      financialYear,
      expectedDate: expectedDate.date,
      note,
    },
  };
}

function parseFundingYear(
  text: string,
  source: FundingSource | null,
  errors: FieldError[],
): number | null {
  const trimmed = text.trim();
  if (trimmed === '') {
    if (source === 'pupil_premium') {
      errors.push({
        field: 'financialYear',
        message: 'Select the financial year whose Pupil Premium this draws on',
      });
    }
    return null;
  }
  const year = /^\d{4}$/.test(trimmed) ? Number(trimmed) : NaN;
  if (!isFinancialYear(year)) {
    errors.push({
      field: 'financialYear',
      message: 'Financial year must be a start year such as 2025, for 2025-26',
    });
    return null;
  }
  return year;
}
