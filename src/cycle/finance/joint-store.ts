/**
 * Joint commissions and their cost shares. Queries for the lead school are scoped by its
 * organisation id, and queries for a partner by the partner's own id on its share row. Queries
 * for a trust or local authority are scoped by the lead school's parent id. So no school reads
 * a joint commission it does not take part in.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database, PlanStatus } from '../../platform/db/schema.js';
import { SHARE_BASES, type ShareBasis } from './cost-shares.js';
import type { JointSchool, JointShare } from './joint-shares.js';

type Db = Kysely<Database> | Transaction<Database>;

/** One school's stored share, with the school's name for pages and files. */
export interface StoredJointShare extends JointShare {
  schoolName: string;
  laestab: string;
}

export interface JointCommission {
  id: number;
  leadSchoolId: number;
  planId: number;
  basis: ShareBasis;
  /** The plan's budget when the shares were agreed, in pence; the shares add up to it. */
  totalPence: number;
  updatedAt: string;
  /** Every school's share, the lead school first and then the partners in the lead's order. */
  shares: StoredJointShare[];
}

/** The lead school's choice to save: the basis, the total split, and every school's share. */
export interface JointCommissionInput {
  basis: ShareBasis;
  totalPence: number;
  /** The lead school's share first, then the partners'. */
  shares: readonly JointShare[];
}

/** Raised when a joint commission names a school that cannot take part in it. */
export class JointPartnerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JointPartnerError';
  }
}

/**
 * Lists the schools that may share a commission with the lead school: the other schools
 * beneath the same trust or local authority, by name. A school with no parent organisation
 * gets an empty list.
 */
export async function listPartnerCandidates(db: Db, leadSchoolId: number): Promise<JointSchool[]> {
  const lead = await db
    .selectFrom('organisations')
    .select('parent_id')
    .where('id', '=', leadSchoolId)
    .where('kind', '=', 'school')
    .executeTakeFirst();
  if (!lead || lead.parent_id === null) return [];

  return db
    .selectFrom('organisations')
    .select(['id', 'name'])
    .where('kind', '=', 'school')
    .where('parent_id', '=', lead.parent_id)
    .where('id', '!=', leadSchoolId)
    .orderBy('name')
    .orderBy('id')
    .execute();
}

/** Finds the joint commission of one of the lead school's plans, or undefined. */
export async function findJointCommissionOfPlan(
  db: Db,
  leadSchoolId: number,
  planId: number,
): Promise<JointCommission | undefined> {
  const row = await db
    .selectFrom('joint_commissions')
    .selectAll()
    .where('organisation_id', '=', leadSchoolId)
    .where('plan_id', '=', planId)
    .executeTakeFirst();
  if (!row) return undefined;
  const shares = await listShares(db, [row.id]);
  return toJointCommission(row, shares.get(row.id) ?? []);
}

/**
 * Makes one of the lead school's plans joint, or replaces its shares, and returns the joint
 * commission's id with the commission as it was before, if any. Throws `JointPartnerError` when
 * the plan is not the lead school's, the first share is not the lead school's, a school appears
 * twice, or a partner is not beneath the lead school's trust or local authority. Throws a
 * `RangeError` when the shares do not add up to the total. Call it inside a transaction, so
 * that the old shares are never removed without the new ones being saved.
 */
export async function saveJointCommission(
  db: Db,
  leadSchoolId: number,
  planId: number,
  input: JointCommissionInput,
  userId: number | null,
): Promise<{ id: number; previous: JointCommission | undefined }> {
  await checkJointInput(db, leadSchoolId, planId, input);
  const previous = await findJointCommissionOfPlan(db, leadSchoolId, planId);
  const now = new Date().toISOString();

  let id: number;
  if (previous) {
    id = previous.id;
    await db
      .updateTable('joint_commissions')
      .set({
        basis: input.basis,
        total_pence: input.totalPence,
        updated_by: userId,
        updated_at: now,
      })
      .where('organisation_id', '=', leadSchoolId)
      .where('id', '=', id)
      .execute();
    await db.deleteFrom('joint_commission_shares').where('joint_commission_id', '=', id).execute();
  } else {
    const row = await db
      .insertInto('joint_commissions')
      .values({
        organisation_id: leadSchoolId,
        plan_id: planId,
        basis: input.basis,
        total_pence: input.totalPence,
        created_by: userId,
        created_at: now,
        updated_by: userId,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    id = row.id;
  }

  await db
    .insertInto('joint_commission_shares')
    .values(
      input.shares.map((share, position) => ({
        joint_commission_id: id,
        organisation_id: share.schoolId,
        position,
        weight: share.weight,
        share_pence: share.pence,
      })),
    )
    .execute();
  return { id, previous };
}

async function checkJointInput(
  db: Db,
  leadSchoolId: number,
  planId: number,
  input: JointCommissionInput,
): Promise<void> {
  const plan = await db
    .selectFrom('plans')
    .select('id')
    .where('organisation_id', '=', leadSchoolId)
    .where('id', '=', planId)
    .executeTakeFirst();
  if (!plan) {
    throw new JointPartnerError(`Plan ${planId} does not belong to school ${leadSchoolId}`);
  }

  const [lead, ...partners] = input.shares;
  if (lead?.schoolId !== leadSchoolId) {
    throw new JointPartnerError(
      `The first share must be the lead school's (${leadSchoolId}), not ${lead?.schoolId ?? 'missing'}`,
    );
  }
  if (partners.length === 0) {
    throw new JointPartnerError(`A joint commission needs at least one partner school`);
  }
  const ids = new Set(input.shares.map((share) => share.schoolId));
  if (ids.size !== input.shares.length) {
    throw new JointPartnerError('Each school may have only one share of a joint commission');
  }
  const candidates = new Set(
    (await listPartnerCandidates(db, leadSchoolId)).map((school) => school.id),
  );
  const outsider = partners.find((share) => !candidates.has(share.schoolId));
  if (outsider) {
    throw new JointPartnerError(
      `School ${outsider.schoolId} is not beneath the same trust or local authority as school ${leadSchoolId}, so it cannot share this commission`,
    );
  }

  const sum = input.shares.reduce((total, share) => total + share.pence, 0);
  if (sum !== input.totalPence) {
    throw new RangeError(
      `Shares add up to ${sum} pence, not the total of ${input.totalPence} pence`,
    );
  }
}

/** A joint commission as listed for one school taking part: its own share and the lead. */
export interface SchoolJointShare {
  jointCommissionId: number;
  planId: number;
  planTitle: string;
  leadSchoolId: number;
  leadSchoolName: string;
  basis: ShareBasis;
  totalPence: number;
  /** This school's figure and share; other schools' are left out. */
  weight: number;
  pence: number;
  isLead: boolean;
}

/**
 * Lists the joint commissions a school takes part in, as lead or partner, with only its own
 * share, by plan title.
 */
export async function listJointSharesOfSchool(
  db: Db,
  schoolId: number,
): Promise<SchoolJointShare[]> {
  const rows = await db
    .selectFrom('joint_commission_shares as share')
    .innerJoin('joint_commissions as joint', 'joint.id', 'share.joint_commission_id')
    .innerJoin('organisations as lead', 'lead.id', 'joint.organisation_id')
    .select([
      'joint.id',
      'joint.plan_id',
      'joint.organisation_id',
      'lead.name as lead_name',
      'joint.basis',
      'joint.total_pence',
      'share.weight',
      'share.share_pence',
    ])
    .where('share.organisation_id', '=', schoolId)
    .execute();

  const result: SchoolJointShare[] = [];
  for (const row of rows) {
    const title = await latestPlanTitle(db, row.organisation_id, row.plan_id);
    result.push({
      jointCommissionId: row.id,
      planId: row.plan_id,
      planTitle: title ?? '',
      leadSchoolId: row.organisation_id,
      leadSchoolName: row.lead_name,
      basis: toBasis(row.basis),
      totalPence: row.total_pence,
      weight: row.weight,
      pence: row.share_pence,
      isLead: row.organisation_id === schoolId,
    });
  }
  return result.sort(
    (a, b) =>
      a.planTitle.localeCompare(b.planTitle, 'en-GB') || a.jointCommissionId - b.jointCommissionId,
  );
}

/** Finds one joint commission a school takes part in, with only that school's share, or undefined. */
export async function findJointShareOfSchool(
  db: Db,
  schoolId: number,
  jointCommissionId: number,
): Promise<SchoolJointShare | undefined> {
  const shares = await listJointSharesOfSchool(db, schoolId);
  return shares.find((share) => share.jointCommissionId === jointCommissionId);
}

/** The parts of the lead school's plan that a partner school may read. */
export interface SharedPlan {
  title: string;
  version: number;
  status: PlanStatus;
  startDate: string | null;
  endDate: string | null;
  budgetPence: number | null;
  audienceRule: string | null;
  audienceRuleTree: string | null;
  outcomes: {
    description: string;
    measure: string;
    questionnaireName: string | null;
    audienceRule: string | null;
    targetValue: number;
    targetDate: string;
  }[];
}

/**
 * Loads the latest version of the lead school's plan with its outcomes, leaving out baselines,
 * which are figures about the lead school's pupils. Returns undefined when the plan is not the
 * lead school's.
 */
export async function loadSharedPlan(
  db: Db,
  leadSchoolId: number,
  planId: number,
): Promise<SharedPlan | undefined> {
  const version = await db
    .selectFrom('plan_versions')
    .select([
      'id',
      'version',
      'title',
      'status',
      'start_date',
      'end_date',
      'budget_pence',
      'audience_rule',
      'audience_rule_tree',
    ])
    .where('organisation_id', '=', leadSchoolId)
    .where('plan_id', '=', planId)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!version) return undefined;

  const outcomes = await db
    .selectFrom('plan_outcomes')
    .select([
      'description',
      'measure',
      'questionnaire_name',
      'audience_rule',
      'target_value',
      'target_date',
    ])
    .where('organisation_id', '=', leadSchoolId)
    .where('plan_version_id', '=', version.id)
    .orderBy('position')
    .orderBy('id')
    .execute();
  return {
    title: version.title,
    version: version.version,
    status: version.status,
    startDate: version.start_date,
    endDate: version.end_date,
    budgetPence: version.budget_pence,
    audienceRule: version.audience_rule,
    audienceRuleTree: version.audience_rule_tree,
    outcomes: outcomes.map((outcome) => ({
      description: outcome.description,
      measure: outcome.measure,
      questionnaireName: outcome.questionnaire_name,
      audienceRule: outcome.audience_rule,
      targetValue: outcome.target_value,
      targetDate: outcome.target_date,
    })),
  };
}

/** A trust or local authority: an organisation with schools beneath it. */
export interface ParentOrganisation {
  id: number;
  name: string;
  kind: 'trust' | 'local_authority';
}

/** Finds a trust or local authority by id, or undefined for a school, a provider or no match. */
export async function findParentOrganisation(
  db: Db,
  organisationId: number,
): Promise<ParentOrganisation | undefined> {
  const row = await db
    .selectFrom('organisations')
    .select(['id', 'name', 'kind'])
    .where('id', '=', organisationId)
    .executeTakeFirst();
  if (row?.kind !== 'trust' && row?.kind !== 'local_authority') return undefined;
  return { id: row.id, name: row.name, kind: row.kind };
}

/** Lists the trusts and local authorities among `ids`, by name. */
export async function listParentOrganisationsIn(
  db: Db,
  ids: readonly number[],
): Promise<ParentOrganisation[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('organisations')
    .select(['id', 'name', 'kind'])
    .where('id', 'in', ids)
    .where('kind', 'in', ['trust', 'local_authority'])
    .orderBy('name')
    .execute();
  return rows.flatMap((row) =>
    row.kind === 'trust' || row.kind === 'local_authority'
      ? [{ id: row.id, name: row.name, kind: row.kind }]
      : [],
  );
}

/** A joint commission as shown to its trust or local authority, with every share. */
export interface OverseenJointCommission extends JointCommission {
  leadSchoolName: string;
  planTitle: string;
  /** The plan's budget now, which differs from `totalPence` when it changed after the split. */
  budgetPence: number | null;
}

/**
 * Lists the joint commissions led by schools beneath a trust or local authority, with every
 * school's share, by lead school and then plan title.
 */
export async function listJointCommissionsBeneath(
  db: Db,
  parentId: number,
): Promise<OverseenJointCommission[]> {
  const rows = await db
    .selectFrom('joint_commissions as joint')
    .innerJoin('organisations as lead', 'lead.id', 'joint.organisation_id')
    .selectAll('joint')
    .select('lead.name as lead_name')
    .where('lead.parent_id', '=', parentId)
    .where('lead.kind', '=', 'school')
    .execute();
  const shares = await listShares(
    db,
    rows.map((row) => row.id),
  );

  const result: OverseenJointCommission[] = [];
  for (const row of rows) {
    const plan = await loadSharedPlan(db, row.organisation_id, row.plan_id);
    result.push({
      ...toJointCommission(row, shares.get(row.id) ?? []),
      leadSchoolName: row.lead_name,
      planTitle: plan?.title ?? '',
      budgetPence: plan?.budgetPence ?? null,
    });
  }
  return result.sort(
    (a, b) =>
      a.leadSchoolName.localeCompare(b.leadSchoolName, 'en-GB') ||
      a.planTitle.localeCompare(b.planTitle, 'en-GB') ||
      a.id - b.id,
  );
}

async function listShares(
  db: Db,
  jointIds: readonly number[],
): Promise<Map<number, StoredJointShare[]>> {
  const byCommission = new Map<number, StoredJointShare[]>();
  if (jointIds.length === 0) return byCommission;
  const rows = await db
    .selectFrom('joint_commission_shares as share')
    .innerJoin('organisations as school', 'school.id', 'share.organisation_id')
    .select([
      'share.joint_commission_id',
      'share.organisation_id',
      'share.weight',
      'share.share_pence',
      'school.name',
      'school.laestab',
    ])
    .where('share.joint_commission_id', 'in', jointIds)
    .orderBy('share.joint_commission_id')
    .orderBy('share.position')
    .execute();
  for (const row of rows) {
    const list = byCommission.get(row.joint_commission_id) ?? [];
    list.push({
      schoolId: row.organisation_id,
      weight: row.weight,
      pence: row.share_pence,
      schoolName: row.name,
      laestab: row.laestab ?? '',
    });
    byCommission.set(row.joint_commission_id, list);
  }
  return byCommission;
}

async function latestPlanTitle(
  db: Db,
  leadSchoolId: number,
  planId: number,
): Promise<string | undefined> {
  const row = await db
    .selectFrom('plan_versions')
    .select('title')
    .where('organisation_id', '=', leadSchoolId)
    .where('plan_id', '=', planId)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.title;
}

function toJointCommission(
  row: {
    id: number;
    organisation_id: number;
    plan_id: number;
    basis: string;
    total_pence: number;
    updated_at: string;
  },
  shares: StoredJointShare[],
): JointCommission {
  return {
    id: row.id,
    leadSchoolId: row.organisation_id,
    planId: row.plan_id,
    basis: toBasis(row.basis),
    totalPence: row.total_pence,
    updatedAt: row.updated_at,
    shares,
  };
}

function toBasis(value: string): ShareBasis {
  const basis = SHARE_BASES.find((candidate) => candidate === value);
  if (basis === undefined)
    throw new Error(`Joint commission basis "${value}" is not one of ${SHARE_BASES.join(', ')}`);
  return basis;
}
