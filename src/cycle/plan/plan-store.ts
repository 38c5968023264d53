import type { Kysely, Selectable, Transaction } from 'kysely';
import type {
  Database,
  PlanOutcomeTable,
  PlanOutputTable,
  PlanStatus,
  PlanVersionTable,
} from '../../platform/db/schema.js';
import type { PlanDetails } from './plan-details.js';
import {
  DEFAULT_BANDS,
  PLAN_SECTIONS,
  type PlanSection,
  type ProportionalityBand,
} from './proportionality.js';

type Db = Kysely<Database> | Transaction<Database>;

export type PlanVersion = Selectable<PlanVersionTable>;
export type PlanOutcome = Selectable<PlanOutcomeTable>;
export type PlanOutput = Selectable<PlanOutputTable>;
export type NewPlanOutcome = Omit<
  PlanOutcome,
  'id' | 'organisation_id' | 'plan_version_id' | 'position'
>;

export interface PlanRecord {
  id: number;
  needId: number;
  needTitle: string;
  needDescription: string;
  createdAt: string;
}

export interface PlanSummary {
  planId: number;
  needId: number;
  needTitle: string;
  title: string;
  version: number;
  status: PlanStatus;
  budgetPence: number | null;
  /** The latest approved version, which stays in force while a newer one is drafted. */
  approvedVersion: number | null;
  updatedAt: string;
}

/** Creates a plan for one of the school's needs, with its first version as a draft. */
export async function createPlan(
  db: Db,
  input: {
    organisationId: number;
    needId: number;
    userId: number | null;
    title: string;
    now: string;
  },
): Promise<number> {
  const plan = await db
    .insertInto('plans')
    .values({
      organisation_id: input.organisationId,
      need_id: input.needId,
      created_by: input.userId,
      created_at: input.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();

  // The plan starts from what the need already says: the pupils it concerns and the
  // improvement priority it serves, which the plan's author can then change.
  const need = await db
    .selectFrom('needs')
    .select(['audience_rule', 'audience_rule_tree', 'improvement_priority_id'])
    .where('organisation_id', '=', input.organisationId)
    .where('id', '=', input.needId)
    .executeTakeFirst();
  await db
    .insertInto('plan_versions')
    .values({
      organisation_id: input.organisationId,
      plan_id: plan.id,
      version: 1,
      status: 'draft',
      title: input.title,
      improvement_priority_id: need?.improvement_priority_id ?? null,
      alignment: '',
      audience_rule: need?.audience_rule ?? null,
      audience_rule_tree: need?.audience_rule_tree ?? null,
      key_contact: '',
      responsible_leader: '',
      evaluation_strategy: '',
      created_by: input.userId,
      created_at: input.now,
      updated_at: input.now,
    })
    .execute();
  return plan.id;
}

/** Marks the plan's need as planned once a plan for it is approved, if nothing was recorded since. */
export async function markNeedPlanned(
  db: Db,
  organisationId: number,
  needId: number,
  now: string,
): Promise<boolean> {
  const result = await db
    .updateTable('needs')
    .set({ status: 'planned', updated_at: now })
    .where('organisation_id', '=', organisationId)
    .where('id', '=', needId)
    .where('status', '=', 'identified')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** The school's plans, each with its latest version, newest change first. */
export async function listPlans(db: Db, organisationId: number): Promise<PlanSummary[]> {
  const versions = await db
    .selectFrom('plan_versions')
    .innerJoin('plans', 'plans.id', 'plan_versions.plan_id')
    .innerJoin('needs', 'needs.id', 'plans.need_id')
    .select([
      'plans.id as planId',
      'plans.need_id as needId',
      'needs.title as needTitle',
      'plan_versions.title',
      'plan_versions.version',
      'plan_versions.status',
      'plan_versions.budget_pence as budgetPence',
      'plan_versions.updated_at as updatedAt',
    ])
    .where('plan_versions.organisation_id', '=', organisationId)
    .where('plans.organisation_id', '=', organisationId)
    .where('needs.organisation_id', '=', organisationId)
    .orderBy('plans.id')
    .orderBy('plan_versions.version')
    .execute();

  const byPlan = new Map<number, PlanSummary>();
  for (const row of versions) {
    const previous = byPlan.get(row.planId);
    const approvedVersion =
      row.status === 'approved' ? row.version : (previous?.approvedVersion ?? null);
    byPlan.set(row.planId, { ...row, approvedVersion });
  }
  return [...byPlan.values()].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
}

export async function findPlan(
  db: Db,
  organisationId: number,
  planId: number,
): Promise<PlanRecord | undefined> {
  const row = await db
    .selectFrom('plans')
    .innerJoin('needs', 'needs.id', 'plans.need_id')
    .select(['plans.id', 'plans.need_id', 'needs.title', 'needs.description', 'plans.created_at'])
    .where('plans.organisation_id', '=', organisationId)
    .where('needs.organisation_id', '=', organisationId)
    .where('plans.id', '=', planId)
    .executeTakeFirst();
  return (
    row && {
      id: row.id,
      needId: row.need_id,
      needTitle: row.title,
      needDescription: row.description,
      createdAt: row.created_at,
    }
  );
}

/** Every version of a plan, oldest first. */
export async function listVersions(
  db: Db,
  organisationId: number,
  planId: number,
): Promise<PlanVersion[]> {
  return db
    .selectFrom('plan_versions')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .where('plan_id', '=', planId)
    .orderBy('version')
    .execute();
}

export async function listOutcomes(
  db: Db,
  organisationId: number,
  versionId: number,
): Promise<PlanOutcome[]> {
  return db
    .selectFrom('plan_outcomes')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .where('plan_version_id', '=', versionId)
    .orderBy('position')
    .orderBy('id')
    .execute();
}

export async function listOutputs(
  db: Db,
  organisationId: number,
  versionId: number,
): Promise<PlanOutput[]> {
  return db
    .selectFrom('plan_outputs')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .where('plan_version_id', '=', versionId)
    .orderBy('position')
    .orderBy('id')
    .execute();
}

const EDITABLE: PlanStatus[] = ['draft', 'returned'];

/**
 * Saves the details of a version that can still change. Returns false, changing nothing, when
 * the version has meanwhile been submitted or approved.
 */
export async function updateDraftDetails(
  db: Db,
  organisationId: number,
  versionId: number,
  details: PlanDetails,
  now: string,
): Promise<boolean> {
  const result = await db
    .updateTable('plan_versions')
    .set({ ...details, updated_at: now })
    .where('organisation_id', '=', organisationId)
    .where('id', '=', versionId)
    .where('status', 'in', EDITABLE)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Marks the version as changed now, after its outcomes or outputs changed. */
export async function touchVersion(
  db: Db,
  organisationId: number,
  versionId: number,
  now: string,
): Promise<void> {
  await db
    .updateTable('plan_versions')
    .set({ updated_at: now })
    .where('organisation_id', '=', organisationId)
    .where('id', '=', versionId)
    .execute();
}

export async function addOutcome(
  db: Db,
  organisationId: number,
  versionId: number,
  outcome: NewPlanOutcome,
): Promise<number> {
  const position = await nextPosition(db, 'plan_outcomes', organisationId, versionId);
  const row = await db
    .insertInto('plan_outcomes')
    .values({ ...outcome, organisation_id: organisationId, plan_version_id: versionId, position })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateOutcome(
  db: Db,
  organisationId: number,
  outcomeId: number,
  outcome: NewPlanOutcome,
): Promise<void> {
  await db
    .updateTable('plan_outcomes')
    .set(outcome)
    .where('organisation_id', '=', organisationId)
    .where('id', '=', outcomeId)
    .execute();
}

export async function removeOutcome(
  db: Db,
  organisationId: number,
  outcomeId: number,
): Promise<void> {
  await db
    .deleteFrom('plan_outcomes')
    .where('organisation_id', '=', organisationId)
    .where('id', '=', outcomeId)
    .execute();
}

export async function addOutput(
  db: Db,
  organisationId: number,
  versionId: number,
  output: { description: string; target_number: number | null },
): Promise<number> {
  const position = await nextPosition(db, 'plan_outputs', organisationId, versionId);
  const row = await db
    .insertInto('plan_outputs')
    .values({ ...output, organisation_id: organisationId, plan_version_id: versionId, position })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function removeOutput(
  db: Db,
  organisationId: number,
  outputId: number,
): Promise<void> {
  await db
    .deleteFrom('plan_outputs')
    .where('organisation_id', '=', organisationId)
    .where('id', '=', outputId)
    .execute();
}

async function nextPosition(
  db: Db,
  table: 'plan_outcomes' | 'plan_outputs',
  organisationId: number,
  versionId: number,
): Promise<number> {
  const row = await db
    .selectFrom(table)
    .select((eb) => eb.fn.max('position').as('last'))
    .where('organisation_id', '=', organisationId)
    .where('plan_version_id', '=', versionId)
    .executeTakeFirst();
  return Number(row?.last ?? 0) + 1;
}

/**
 * Moves a version from one of `from` to `to` with the fields that record who did it and when.
 * Returns false, changing nothing, when the version was no longer in one of `from`, so two
 * people acting at once cannot both succeed.
 */
export async function moveVersion(
  db: Db,
  organisationId: number,
  versionId: number,
  from: readonly PlanStatus[],
  to: PlanStatus,
  fields: Partial<
    Pick<
      PlanVersion,
      | 'submitted_by'
      | 'submitted_at'
      | 'decided_by'
      | 'decided_at'
      | 'decision_comment'
      | 'approval_basis'
      | 'updated_at'
    >
  >,
): Promise<boolean> {
  const result = await db
    .updateTable('plan_versions')
    .set({ ...fields, status: to })
    .where('organisation_id', '=', organisationId)
    .where('id', '=', versionId)
    .where('status', 'in', [...from])
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Marks earlier approved versions of the plan as replaced, once a newer one is approved. */
export async function supersedeEarlierVersions(
  db: Db,
  organisationId: number,
  planId: number,
  approvedVersion: number,
): Promise<void> {
  await db
    .updateTable('plan_versions')
    .set({ status: 'superseded' })
    .where('organisation_id', '=', organisationId)
    .where('plan_id', '=', planId)
    .where('version', '<', approvedVersion)
    .where('status', '=', 'approved')
    .execute();
}

/**
 * Starts the next version as a draft copy of `source`, with its outcomes (frozen baselines
 * included) and outputs, so an approved version is never edited. Returns the new version's id.
 */
export async function startNextVersion(
  db: Db,
  organisationId: number,
  source: PlanVersion,
  userId: number | null,
  now: string,
): Promise<number> {
  const copy = await db
    .insertInto('plan_versions')
    .values({
      organisation_id: organisationId,
      plan_id: source.plan_id,
      version: source.version + 1,
      status: 'draft',
      title: source.title,
      improvement_priority_id: source.improvement_priority_id,
      alignment: source.alignment,
      audience_rule: source.audience_rule,
      audience_rule_tree: source.audience_rule_tree,
      start_date: source.start_date,
      end_date: source.end_date,
      budget_pence: source.budget_pence,
      staff_hours: source.staff_hours,
      key_contact: source.key_contact,
      responsible_leader: source.responsible_leader,
      evaluation_strategy: source.evaluation_strategy,
      created_by: userId,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();

  for (const outcome of await listOutcomes(db, organisationId, source.id)) {
    await db
      .insertInto('plan_outcomes')
      .values({ ...withoutId(outcome), plan_version_id: copy.id })
      .execute();
  }
  for (const output of await listOutputs(db, organisationId, source.id)) {
    await db
      .insertInto('plan_outputs')
      .values({ ...withoutId(output), plan_version_id: copy.id })
      .execute();
  }
  return copy.id;
}

function withoutId<Row extends { id: number }>(row: Row): Omit<Row, 'id'> {
  const copy: Partial<Row> = { ...row };
  delete copy.id;
  return copy as Omit<Row, 'id'>;
}

/** Loads the school's proportionality bands, or the default bands when it has set none. */
export async function loadBands(db: Db, organisationId: number): Promise<ProportionalityBand[]> {
  const rows = await db
    .selectFrom('proportionality_bands')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .orderBy('position')
    .execute();
  if (rows.length === 0) return DEFAULT_BANDS.map((band) => ({ ...band }));
  return rows.map((row) => ({
    name: row.name,
    maxValuePence: row.max_value_pence,
    maxWeeks: row.max_weeks,
    requiredSections: parseSections(row.required_sections),
  }));
}

/** Replaces the school's bands with `bands`, in order. */
export async function saveBands(
  db: Db,
  organisationId: number,
  bands: readonly ProportionalityBand[],
  now: string,
): Promise<void> {
  await db
    .deleteFrom('proportionality_bands')
    .where('organisation_id', '=', organisationId)
    .execute();
  let position = 0;
  for (const band of bands) {
    position += 1;
    await db
      .insertInto('proportionality_bands')
      .values({
        organisation_id: organisationId,
        position,
        name: band.name,
        max_value_pence: band.maxValuePence,
        max_weeks: band.maxWeeks,
        required_sections: JSON.stringify(band.requiredSections),
        created_at: now,
      })
      .execute();
  }
}

function parseSections(json: string): PlanSection[] {
  const parsed: unknown = JSON.parse(json);
  if (!Array.isArray(parsed)) return [];
  return PLAN_SECTIONS.filter((section) => parsed.includes(section));
}

/** Lists the school's needs, for choosing the one a new plan is for. */
export async function listNeedChoices(
  db: Db,
  organisationId: number,
): Promise<Array<{ id: number; title: string; status: string }>> {
  return db
    .selectFrom('needs')
    .select(['id', 'title', 'status'])
    .where('organisation_id', '=', organisationId)
    .orderBy('title')
    .execute();
}

/** Names of the school's improvement priorities that are still pursued, for choosing one. */
export async function listPriorityChoices(
  db: Db,
  organisationId: number,
): Promise<Array<{ id: number; title: string; academicYear: number }>> {
  const rows = await db
    .selectFrom('improvement_priorities')
    .select(['id', 'title', 'academic_year'])
    .where('organisation_id', '=', organisationId)
    .where('retired_at', 'is', null)
    .orderBy('academic_year', 'desc')
    .orderBy('position')
    .execute();
  return rows.map((row) => ({ id: row.id, title: row.title, academicYear: row.academic_year }));
}

/** Display names of the given users, for showing who submitted and who decided. */
export async function displayNames(
  db: Db,
  userIds: readonly number[],
): Promise<Map<number, string>> {
  if (userIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('users')
    .select(['id', 'display_name'])
    .where('id', 'in', [...userIds])
    .execute();
  return new Map(rows.map((row) => [row.id, row.display_name]));
}
