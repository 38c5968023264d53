/**
 * The strategy statement's stored inputs and plan tiers, and the needs and plans it is
 * assembled from. Every query is scoped by the organisation id, so another school's records
 * are never read or changed.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../platform/db/schema.js';
import { listPremiumFundingLines } from './funding-store.js';
import {
  isStrategyTier,
  type StrategyInputs,
  type StrategyNeed,
  type StrategyOutcome,
  type StrategyPlan,
  type StrategyTier,
} from './strategy-statement.js';

type Db = Kysely<Database> | Transaction<Database>;

export type StoredStrategyInputs = StrategyInputs & { updatedBy: number | null; updatedAt: string };

/** Changes made by one save, for the audit trail: the changed inputs and each tier change. */
export interface StrategyChanges {
  /** Keys of `StrategyInputs` whose value changed; every key on the first save. */
  fields: Array<keyof StrategyInputs>;
  carriedForward: { fromPence: number | null; toPence: number } | null;
  tiers: Array<{ planId: number; from: StrategyTier | null; to: StrategyTier }>;
}

const INPUT_KEYS: ReadonlyArray<keyof StrategyInputs> = [
  'statementOfIntent',
  'authorisedBy',
  'pupilPremiumLead',
  'governorLead',
  'publishedOn',
  'nextReviewOn',
  'carriedForwardPence',
];

/** Finds the inputs saved for one financial year, or undefined. */
export async function findStrategyInputs(
  db: Db,
  organisationId: number,
  financialYear: number,
): Promise<StoredStrategyInputs | undefined> {
  const row = await db
    .selectFrom('strategy_statements')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .where('financial_year', '=', financialYear)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    statementOfIntent: row.statement_of_intent,
    authorisedBy: row.authorised_by,
    pupilPremiumLead: row.pupil_premium_lead,
    governorLead: row.governor_lead,
    publishedOn: row.published_on,
    nextReviewOn: row.next_review_on,
    carriedForwardPence: row.carried_forward_pence,
    updatedBy: row.updated_by,
    updatedAt: row.updated_at,
  };
}

/** Returns the tier of each of the organisation's plans that has one, by plan id. */
export async function listPlanTiers(
  db: Db,
  organisationId: number,
): Promise<Map<number, StrategyTier>> {
  const rows = await db
    .selectFrom('strategy_plan_tiers')
    .select(['plan_id', 'tier'])
    .where('organisation_id', '=', organisationId)
    .execute();
  const tiers = new Map<number, StrategyTier>();
  for (const row of rows) {
    if (isStrategyTier(row.tier)) tiers.set(row.plan_id, row.tier);
  }
  return tiers;
}

/**
 * Stores one financial year's inputs, replacing any saved before, and the tier of each plan
 * given. Returns what changed. Throws, before writing anything, when a plan is not the
 * organisation's. Run it in a transaction so the inputs and tiers are saved together.
 */
export async function saveStrategyInputs(
  db: Db,
  organisationId: number,
  financialYear: number,
  inputs: StrategyInputs,
  tiers: ReadonlyArray<{ planId: number; tier: StrategyTier }>,
  userId: number | null,
): Promise<StrategyChanges> {
  await requireOwnPlans(
    db,
    organisationId,
    tiers.map((entry) => entry.planId),
  );
  const before = await findStrategyInputs(db, organisationId, financialYear);
  const tiersBefore = await listPlanTiers(db, organisationId);
  const now = new Date().toISOString();

  const values = {
    statement_of_intent: inputs.statementOfIntent,
    authorised_by: inputs.authorisedBy,
    pupil_premium_lead: inputs.pupilPremiumLead,
    governor_lead: inputs.governorLead,
    published_on: inputs.publishedOn,
    next_review_on: inputs.nextReviewOn,
    carried_forward_pence: inputs.carriedForwardPence,
    updated_by: userId,
    updated_at: now,
  };
  await db
    .insertInto('strategy_statements')
    .values({ organisation_id: organisationId, financial_year: financialYear, ...values })
    .onConflict((conflict) =>
      conflict.columns(['organisation_id', 'financial_year']).doUpdateSet(values),
    )
    .execute();

  const tierChanges: StrategyChanges['tiers'] = [];
  for (const { planId, tier } of tiers) {
    const previous = tiersBefore.get(planId) ?? null;
    if (previous === tier) continue;
    const tierValues = { tier, updated_by: userId, updated_at: now };
    await db
      .insertInto('strategy_plan_tiers')
      .values({ organisation_id: organisationId, plan_id: planId, ...tierValues })
      .onConflict((conflict) => conflict.column('plan_id').doUpdateSet(tierValues))
      .execute();
    tierChanges.push({ planId, from: previous, to: tier });
  }

  const fields = INPUT_KEYS.filter((key) => before === undefined || before[key] !== inputs[key]);
  return {
    fields,
    carriedForward: fields.includes('carriedForwardPence')
      ? { fromPence: before?.carriedForwardPence ?? null, toPence: inputs.carriedForwardPence }
      : null,
    tiers: tierChanges,
  };
}

async function requireOwnPlans(
  db: Db,
  organisationId: number,
  planIds: readonly number[],
): Promise<void> {
  if (planIds.length === 0) return;
  const rows = await db
    .selectFrom('plans')
    .select('id')
    .where('organisation_id', '=', organisationId)
    .where('id', 'in', [...planIds])
    .execute();
  const own = new Set(rows.map((row) => row.id));
  const foreign = planIds.filter((id) => !own.has(id));
  if (foreign.length > 0) {
    throw new Error(
      `Plans ${foreign.join(', ')} do not exist in organisation ${organisationId}: ` +
        'set tiers only for the school’s own plans',
    );
  }
}

/**
 * Loads every plan of the organisation with its latest approved version (or, when none is
 * approved, its latest version) and that version's outcomes, its Pupil Premium lines for the
 * financial year, and its tier.
 */
export async function loadStrategyPlans(
  db: Db,
  organisationId: number,
  financialYear: number,
): Promise<StrategyPlan[]> {
  const versions = await db
    .selectFrom('plan_versions')
    .innerJoin('plans', 'plans.id', 'plan_versions.plan_id')
    .select([
      'plan_versions.id',
      'plan_versions.plan_id',
      'plans.need_id',
      'plan_versions.version',
      'plan_versions.status',
      'plan_versions.title',
      'plan_versions.audience_rule',
      'plan_versions.start_date',
      'plan_versions.end_date',
    ])
    .where('plan_versions.organisation_id', '=', organisationId)
    .where('plans.organisation_id', '=', organisationId)
    .orderBy('plan_versions.plan_id')
    .orderBy('plan_versions.version')
    .execute();

  // Later versions replace earlier ones, but an approved version stays in force while a newer
  // one is drafted or waits for a decision.
  const chosen = new Map<number, { row: (typeof versions)[number]; approved: boolean }>();
  for (const row of versions) {
    const current = chosen.get(row.plan_id);
    const approved = row.status === 'approved';
    if (current === undefined || approved || !current.approved) {
      chosen.set(row.plan_id, { row, approved });
    }
  }

  const approvedIds = [...chosen.values()]
    .filter((entry) => entry.approved)
    .map((entry) => entry.row.id);
  const outcomes = await loadOutcomes(db, organisationId, approvedIds);
  const lines = await listPremiumFundingLines(db, organisationId, financialYear);
  const tiers = await listPlanTiers(db, organisationId);

  return [...chosen.values()].map(({ row, approved }) => ({
    id: row.plan_id,
    needId: row.need_id,
    approvedVersion: approved ? row.version : null,
    title: row.title,
    audienceRule: row.audience_rule,
    startDate: row.start_date,
    endDate: row.end_date,
    outcomes: approved ? (outcomes.get(row.id) ?? []) : [],
    premiumLinesPence: lines
      .filter((line) => line.planId === row.plan_id)
      .map((line) => line.amountPence),
    tier: tiers.get(row.plan_id) ?? null,
  }));
}

async function loadOutcomes(
  db: Db,
  organisationId: number,
  versionIds: readonly number[],
): Promise<Map<number, StrategyOutcome[]>> {
  const byVersion = new Map<number, StrategyOutcome[]>();
  if (versionIds.length === 0) return byVersion;
  const rows = await db
    .selectFrom('plan_outcomes')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .where('plan_version_id', 'in', [...versionIds])
    .orderBy('plan_version_id')
    .orderBy('position')
    .orderBy('id')
    .execute();
  for (const row of rows) {
    const list = byVersion.get(row.plan_version_id) ?? [];
    list.push({
      description: row.description,
      measure: row.measure,
      questionnaireName: row.questionnaire_name,
      audienceRule: row.audience_rule,
      baselineValue: row.baseline_value,
      baselinePupils: row.baseline_pupils,
      baselineAcademicYear: row.baseline_academic_year,
      targetValue: row.target_value,
      targetDate: row.target_date,
    });
    byVersion.set(row.plan_version_id, list);
  }
  return byVersion;
}

/**
 * Loads the given needs of the organisation with their barriers (in the order added) and the
 * summaries of their evidence (latest evidence date first), without evidence files.
 */
export async function loadStrategyNeeds(
  db: Db,
  organisationId: number,
  needIds: readonly number[],
): Promise<StrategyNeed[]> {
  if (needIds.length === 0) return [];
  const ids = [...new Set(needIds)];
  const needs = await db
    .selectFrom('needs')
    .select(['id', 'title', 'description', 'priority', 'delivery'])
    .where('organisation_id', '=', organisationId)
    .where('id', 'in', ids)
    .orderBy('id')
    .execute();
  const barriers = await db
    .selectFrom('need_barriers')
    .select(['need_id', 'label', 'classification', 'note'])
    .where('organisation_id', '=', organisationId)
    .where('need_id', 'in', ids)
    .orderBy('id')
    .execute();
  const evidence = await db
    .selectFrom('need_evidence')
    .select(['need_id', 'kind', 'summary'])
    .where('organisation_id', '=', organisationId)
    .where('need_id', 'in', ids)
    .orderBy('evidence_date', 'desc')
    .orderBy('id', 'desc')
    .execute();

  return needs.map((need) => ({
    id: need.id,
    title: need.title,
    description: need.description,
    priority: need.priority,
    delivery: need.delivery,
    barriers: barriers
      .filter((barrier) => barrier.need_id === need.id)
      .map(({ label, classification, note }) => ({ label, classification, note })),
    evidence: evidence
      .filter((item) => item.need_id === need.id)
      .map(({ kind, summary }) => ({ kind, summary })),
  }));
}
