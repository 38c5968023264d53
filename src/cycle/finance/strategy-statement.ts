/**
 * Assembles a school's Pupil Premium strategy statement for one financial year from its
 * records: the roll and its disadvantaged pupils, the year's allocation, the needs its approved
 * plans answer (the challenges), those plans' SMART outcomes, their Pupil Premium funding lines
 * (the activity in three tiers), and what a senior leader entered for the year.
 *
 * The statement for financial year 2025 (April 2025 to March 2026) is the one for academic year
 * 2025/26, which starts in it. Pure: the caller loads the records (see strategy-sources.ts).
 */
import {
  ACTIVITY_TIERS,
  computeStrategyFigures,
  type StrategyActivity,
  type StrategyActivityTier,
  type StrategyStatementData,
  type StrategyStatementFigures,
} from '../../exports/strategy-statement-data.js';
import { formatAcademicYear, formatLongDate } from '../../platform/http/views.js';
import {
  findOutcomeMeasure,
  formatMeasureValue,
  QUESTIONNAIRE_MEASURE,
} from '../plan/outcome-measures.js';
import { outcomeDirection } from '../plan/smart-outcomes.js';
import { BARRIER_CLASSIFICATION_LABELS } from '../understand/need-barriers.js';
import {
  EVIDENCE_KIND_LABELS,
  type EvidenceKind,
  type NeedDelivery,
  type NeedPriority,
} from '../understand/need-model.js';
import type { BarrierClassification } from '../../platform/db/schema.js';
import { financialYearDates, formatFinancialYear } from './financial-year.js';

/** The three tiers of activity, as stored. */
export const STRATEGY_TIERS = ['teaching', 'targeted_support', 'wider_strategies'] as const;

export type StrategyTier = (typeof STRATEGY_TIERS)[number];

/** Each stored tier's key in `StrategyStatementData.activity`. */
export const STRATEGY_TIER_DATA_KEYS = {
  teaching: 'teaching',
  targeted_support: 'targetedSupport',
  wider_strategies: 'widerStrategies',
} as const satisfies Record<StrategyTier, (typeof ACTIVITY_TIERS)[number]['key']>;

/** Names of the tiers as the DfE template gives them. */
export const STRATEGY_TIER_LABELS: Readonly<Record<StrategyTier, string>> = {
  teaching: tierLabel('teaching'),
  targeted_support: tierLabel('targeted_support'),
  wider_strategies: tierLabel('wider_strategies'),
};

export const STRATEGY_TIER_HINTS: Readonly<Record<StrategyTier, string>> = {
  teaching: 'For example professional development, recruitment and retention of teachers.',
  targeted_support: 'For example tutoring and structured interventions for particular pupils.',
  wider_strategies: 'For example attendance, behaviour, wellbeing and family support.',
};

export function isStrategyTier(value: string): value is StrategyTier {
  return (STRATEGY_TIERS as readonly string[]).includes(value);
}

/** Text shown in Part B until the Review step evaluates plans' outcomes. */
export const OUTCOMES_REVIEW_GAP =
  'Not filled in by Commissioner: reviewing last year’s outcomes needs an evaluation of each ' +
  'plan, which Commissioner does not record yet. Write this section from the school’s own ' +
  'evaluation.';

/** Provider column of an externally provided programme until providers are recorded. */
export const PROVIDER_NOT_RECORDED = 'Not recorded in Commissioner yet';

/** Inputs a senior leader enters for one financial year's statement. */
export interface StrategyInputs {
  statementOfIntent: string;
  authorisedBy: string;
  pupilPremiumLead: string;
  governorLead: string;
  /** ISO date the statement is published. */
  publishedOn: string;
  /** ISO date of its next review, after `publishedOn`. */
  nextReviewOn: string;
  /** Pupil Premium carried forward from earlier years, in whole pence. */
  carriedForwardPence: number;
}

/** Pupils on roll in one academic year, counted on its spring census day. */
export interface StrategyRoll {
  academicYear: number;
  pupils: number;
  /** Ever-6 FSM, looked after or previously looked after, as `isDisadvantaged` decides. */
  disadvantaged: number;
  /** Pupils recorded as service children, who attract the service pupil premium. */
  serviceChildren: number;
}

/** The year's Pupil Premium allocation, or why it could not be worked out. */
export type StrategyAllocation =
  | {
      kind: 'worked_out';
      /** Funding paid to the school, without that for pupils looked after now. */
      schoolPence: number;
      /** True when a rate with pupils is not confirmed against DfE's publication. */
      estimate: boolean;
      censusDate: string;
    }
  | { kind: 'missing_rates'; message: string }
  | { kind: 'no_census_pupils'; academicYear: number; censusDate: string };

export interface StrategyNeed {
  id: number;
  title: string;
  description: string;
  priority: NeedPriority;
  delivery: NeedDelivery | null;
  barriers: Array<{ label: string; classification: BarrierClassification; note: string }>;
  /** Latest evidence first. */
  evidence: Array<{ kind: EvidenceKind; summary: string }>;
}

/** A SMART outcome of a plan's latest approved version, as stored. */
export interface StrategyOutcome {
  description: string;
  /** A measure key, as `findOutcomeMeasure` reads it. */
  measure: string;
  questionnaireName: string | null;
  /** The pupils the outcome applies to; null means the plan's target audience. */
  audienceRule: string | null;
  baselineValue: number | null;
  baselinePupils: number | null;
  baselineAcademicYear: number | null;
  targetValue: number;
  /** ISO date. */
  targetDate: string;
}

/** A commissioning plan with its latest approved version, or none, and its Pupil Premium. */
export interface StrategyPlan {
  id: number;
  needId: number;
  /** Null when no version is approved; the other version fields are then the latest's. */
  approvedVersion: number | null;
  title: string;
  audienceRule: string | null;
  startDate: string | null;
  endDate: string | null;
  outcomes: StrategyOutcome[];
  /** The plan's Pupil Premium funding lines that draw on this financial year, in pence. */
  premiumLinesPence: number[];
  tier: StrategyTier | null;
}

/** Everything the statement is assembled from. */
export interface StrategySources {
  financialYear: number;
  schoolName: string;
  /** Null when the school has no pupil records up to the statement's academic year. */
  roll: StrategyRoll | null;
  allocation: StrategyAllocation;
  /** Null until a senior leader saves the year's inputs. */
  inputs: StrategyInputs | null;
  needs: StrategyNeed[];
  plans: StrategyPlan[];
}

/** A plan in the statement, as the page lists it. */
export interface StatementPlan {
  id: number;
  title: string;
  tier: StrategyTier | null;
  premiumPence: number;
  challengeNumber: number;
  /** True when the need it answers is met by an outside service, alone or with staff. */
  external: boolean;
}

export interface StrategyAssembly {
  data: StrategyStatementData;
  figures: StrategyStatementFigures;
  /** Plans in the statement, in the order of their challenges. */
  plans: StatementPlan[];
  /** Plans left out of the statement, with the reason. */
  leftOut: Array<{ id: number; title: string; reason: string }>;
}

const PRIORITY_ORDER: Readonly<Record<NeedPriority, number>> = { high: 0, medium: 1, low: 2 };

/**
 * Assembles the statement. A plan is in it when it has an approved version and either draws on
 * the year's Pupil Premium or runs during the financial year. Its need becomes a challenge;
 * challenges are numbered by the need's priority (high first), then title. A plan without a
 * tier is left out of the activity tables, and the page warns about it. Each tier's budgeted cost
 * is the sum of its plans' Pupil Premium lines for the year, whatever their status.
 * Throws when a plan names a need that is not in `sources.needs`.
 */
export function assembleStrategyStatement(sources: StrategySources): StrategyAssembly {
  const { included, leftOut } = choosePlans(sources.plans, sources.financialYear);
  const needs = numberChallenges(sources.needs, included);
  const plans = orderPlans(included, needs);
  const inputs = sources.inputs;
  const academicYear = sources.financialYear;

  const data: StrategyStatementData = {
    schoolName: sources.schoolName,
    pupilCount: sources.roll?.pupils ?? null,
    eligiblePupilCount: sources.roll?.disadvantaged ?? null,
    academicYearsCovered: academicYearsCovered(academicYear, plans),
    publishedOn: inputs === null ? '' : formatLongDate(inputs.publishedOn),
    nextReviewOn: inputs === null ? '' : formatLongDate(inputs.nextReviewOn),
    authorisedBy: inputs?.authorisedBy ?? '',
    pupilPremiumLead: inputs?.pupilPremiumLead ?? '',
    governorLead: inputs?.governorLead ?? '',
    funding: {
      allocationPence:
        sources.allocation.kind === 'worked_out' ? sources.allocation.schoolPence : null,
      carriedForwardPence: inputs?.carriedForwardPence ?? null,
    },
    statementOfIntent: inputs?.statementOfIntent ?? '',
    challenges: needs.map((entry) => describeChallenge(entry.need)),
    intendedOutcomes: plans.flatMap((entry) =>
      entry.plan.outcomes.map((outcome) => ({
        outcome: outcome.description,
        successCriteria: describeSuccessCriteria(outcome, entry.plan.audienceRule),
      })),
    ),
    activity: {
      teaching: activityTier(plans, 'teaching'),
      targetedSupport: activityTier(plans, 'targeted_support'),
      widerStrategies: activityTier(plans, 'wider_strategies'),
    },
    previousYear: {
      academicYear: formatAcademicYear(academicYear - 1),
      // TODO: write this review from the plans' evaluations once the Review step records them.
      outcomesReview: OUTCOMES_REVIEW_GAP,
      // TODO: the template lists last year's programmes with their providers, but these are
      // this year's plans, because providers and contracts wait for the Procure step.
      externalProgrammes: plans
        .filter((entry) => isExternal(entry.need))
        .map((entry) => ({ programme: entry.plan.title, provider: PROVIDER_NOT_RECORDED })),
      // How service pupil premium was spent is not recorded, so the section shows "Not given".
      // The statement reports none only when the roll is known and has no service children.
      servicePupilPremium:
        sources.roll !== null && sources.roll.serviceChildren === 0
          ? null
          : { howSpent: '', effect: '' },
    },
    furtherInformation: '',
  };

  return {
    data,
    figures: computeStrategyFigures(data),
    plans: plans.map((entry) => ({
      id: entry.plan.id,
      title: entry.plan.title,
      tier: entry.plan.tier,
      premiumPence: premiumOf(entry.plan),
      challengeNumber: entry.challengeNumber,
      external: isExternal(entry.need),
    })),
    leftOut,
  };
}

/**
 * Splits the plans into those the statement covers and those it leaves out, with the reason.
 * A plan runs during the year when it starts on or before the year's last day (31 March) and
 * ends on or after its first day (1 April). A missing start or end is open, but a plan with
 * neither date does not count as running.
 */
export function choosePlans(
  plans: readonly StrategyPlan[],
  financialYear: number,
): { included: StrategyPlan[]; leftOut: Array<{ id: number; title: string; reason: string }> } {
  const { start, end } = financialYearDates(financialYear);
  const yearLabel = formatFinancialYear(financialYear);
  const included: StrategyPlan[] = [];
  const leftOut: Array<{ id: number; title: string; reason: string }> = [];

  for (const plan of plans) {
    if (plan.approvedVersion === null) {
      leftOut.push({ id: plan.id, title: plan.title, reason: 'No version is approved yet' });
      continue;
    }
    const hasDates = plan.startDate !== null || plan.endDate !== null;
    const runs =
      hasDates &&
      (plan.startDate === null || plan.startDate <= end) &&
      (plan.endDate === null || plan.endDate >= start);
    if (runs || plan.premiumLinesPence.length > 0) {
      included.push(plan);
    } else {
      leftOut.push({
        id: plan.id,
        title: plan.title,
        reason: hasDates
          ? `Does not run during ${yearLabel} and draws no Pupil Premium from it`
          : `Has no start or end date and draws no Pupil Premium from ${yearLabel}`,
      });
    }
  }
  return { included, leftOut };
}

interface NumberedNeed {
  need: StrategyNeed;
  number: number;
}

function numberChallenges(
  needs: readonly StrategyNeed[],
  plans: readonly StrategyPlan[],
): NumberedNeed[] {
  const byId = new Map(needs.map((need) => [need.id, need]));
  const answered = new Map<number, StrategyNeed>();
  for (const plan of plans) {
    const need = byId.get(plan.needId);
    if (need === undefined) {
      throw new Error(
        `Plan ${plan.id} answers need ${plan.needId}, which is missing from the sources: load every need the plans answer`,
      );
    }
    answered.set(need.id, need);
  }
  return [...answered.values()]
    .sort(
      (a, b) =>
        PRIORITY_ORDER[a.priority] - PRIORITY_ORDER[b.priority] ||
        a.title.localeCompare(b.title, 'en-GB') ||
        a.id - b.id,
    )
    .map((need, index) => ({ need, number: index + 1 }));
}

interface OrderedPlan {
  plan: StrategyPlan;
  need: StrategyNeed;
  challengeNumber: number;
}

function orderPlans(plans: readonly StrategyPlan[], needs: readonly NumberedNeed[]): OrderedPlan[] {
  const byNeed = new Map(needs.map((entry) => [entry.need.id, entry]));
  return plans
    .map((plan) => {
      const entry = byNeed.get(plan.needId) as NumberedNeed;
      return { plan, need: entry.need, challengeNumber: entry.number };
    })
    .sort(
      (a, b) =>
        a.challengeNumber - b.challengeNumber ||
        a.plan.title.localeCompare(b.plan.title, 'en-GB') ||
        a.plan.id - b.plan.id,
    );
}

function activityTier(plans: readonly OrderedPlan[], tier: StrategyTier): StrategyActivityTier {
  const inTier = plans.filter((entry) => entry.plan.tier === tier);
  const activities: StrategyActivity[] = inTier.map((entry) => ({
    activity: entry.plan.title,
    evidence: describeEvidence(entry.need),
    challengeNumbers: [entry.challengeNumber],
  }));
  return {
    budgetedCostPence: inTier.reduce((sum, entry) => sum + premiumOf(entry.plan), 0),
    activities,
  };
}

function premiumOf(plan: StrategyPlan): number {
  return plan.premiumLinesPence.reduce((sum, pence) => sum + pence, 0);
}

function isExternal(need: StrategyNeed): boolean {
  return need.delivery === 'external' || need.delivery === 'both';
}

/**
 * Words the academic years the statement covers: from the year the financial year starts in
 * to the last year in which one of its plans ends, such as "2025/26 to 2027/28".
 */
function academicYearsCovered(first: number, plans: readonly OrderedPlan[]): string {
  let last = first;
  for (const { plan } of plans) {
    if (plan.endDate !== null) last = Math.max(last, academicYearOf(plan.endDate));
  }
  return last === first
    ? formatAcademicYear(first)
    : `${formatAcademicYear(first)} to ${formatAcademicYear(last)}`;
}

/** Returns the academic year an ISO date falls in: September starts a new one. */
export function academicYearOf(isoDate: string): number {
  const year = Number(isoDate.slice(0, 4));
  const month = Number(isoDate.slice(5, 7));
  return month >= 9 ? year : year - 1;
}

/** Words a challenge from its need: title, description and barriers, one per line. */
export function describeChallenge(need: StrategyNeed): string {
  const lines = [need.title];
  if (need.description.trim() !== '') lines.push(need.description.trim());
  if (need.barriers.length > 0) {
    const barriers = need.barriers.map((barrier) => {
      const where = BARRIER_CLASSIFICATION_LABELS[barrier.classification].toLowerCase();
      const note = barrier.note.trim();
      return note === '' ? `${barrier.label} (${where})` : `${barrier.label} (${where}): ${note}`;
    });
    lines.push(`Barriers to learning: ${barriers.join('; ')}`);
  }
  return lines.join('\n');
}

/** Lists a need's evidence summaries, one per line, each after the kind of evidence. */
export function describeEvidence(need: StrategyNeed): string {
  return need.evidence
    .map((item) => `${EVIDENCE_KIND_LABELS[item.kind]}: ${item.summary.trim()}`)
    .join('\n');
}

/**
 * Words an outcome's success criteria from its measure, baseline, target and date, for
 * example "Attendance rate rises from 88.0% to 93.0% by 31 July 2027. Baseline from 34
 * pupils' records in 2024/25. Pupils: disadvantaged and year in (9, 10)."
 */
export function describeSuccessCriteria(
  outcome: StrategyOutcome,
  planAudienceRule: string | null,
): string {
  const measure = findOutcomeMeasure(outcome.measure);
  const value = (figure: number) =>
    measure === null ? String(figure) : formatMeasureValue(measure, figure);
  const label =
    measure === null
      ? outcome.measure
      : measure.key === QUESTIONNAIRE_MEASURE
        ? `The score on ${outcome.questionnaireName ?? 'the school’s questionnaire'}`
        : measure.label;
  const by = formatLongDate(outcome.targetDate);

  const sentences: string[] = [];
  if (outcome.baselineValue === null) {
    sentences.push(`${label} reaches ${value(outcome.targetValue)} by ${by}.`);
    sentences.push('No baseline was recorded.');
  } else {
    const direction =
      measure === null
        ? outcome.targetValue >= outcome.baselineValue
          ? 'increase'
          : 'decrease'
        : outcomeDirection(measure, outcome.baselineValue, outcome.targetValue);
    const verb = direction === 'increase' ? 'rises' : 'falls';
    sentences.push(
      `${label} ${verb} from ${value(outcome.baselineValue)} to ${value(outcome.targetValue)} by ${by}.`,
    );
    sentences.push(baselineSource(outcome, measure?.computed ?? true));
  }

  const pupils = outcome.audienceRule ?? planAudienceRule;
  if (pupils !== null && pupils.trim() !== '') sentences.push(`Pupils: ${pupils.trim()}.`);
  return sentences.join(' ');
}

function baselineSource(outcome: StrategyOutcome, computed: boolean): string {
  if (!computed) return 'Baseline entered by the school from its own survey.';
  const pupils = outcome.baselinePupils ?? 0;
  const whose = `${pupils} ${pupils === 1 ? 'pupil’s' : 'pupils’'} records`;
  return outcome.baselineAcademicYear === null
    ? `Baseline from ${whose}.`
    : `Baseline from ${whose} in ${formatAcademicYear(outcome.baselineAcademicYear)}.`;
}

function tierLabel(tier: StrategyTier): string {
  const found = ACTIVITY_TIERS.find((entry) => entry.key === STRATEGY_TIER_DATA_KEYS[tier]);
  return found?.label ?? tier;
}
