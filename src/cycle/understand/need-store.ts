/**
 * Needs of one school. Every query is scoped by the organisation id, so a need id from another
 * school is never found, changed or linked.
 */
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Database, NeedStatus, NeedTable } from '../../platform/db/schema.js';
import type { NeedDetails } from './need-form.js';
import { isExternalReason, NEED_PRIORITIES, type Need, type NeedPriority } from './need-model.js';

type Db = Kysely<Database> | Transaction<Database>;

/** A need to create: its details, its first status and who recorded it. */
export interface NewNeed extends NeedDetails {
  status: NeedStatus;
  createdBy: number | null;
}

/** Fields of a need that change after it is created. */
export type NeedUpdate = Partial<
  Pick<
    Need,
    | 'title'
    | 'description'
    | 'audienceRule'
    | 'audienceRuleTree'
    | 'priority'
    | 'improvementPriorityId'
    | 'status'
    | 'delivery'
    | 'capacityReasoning'
    | 'capabilityReasoning'
    | 'costReasoning'
    | 'externalReasons'
  >
>;

/** A row of the needs register. */
export interface NeedListItem {
  id: number;
  title: string;
  priority: NeedPriority;
  status: NeedStatus;
  improvementPriorityId: number | null;
  improvementPriorityTitle: string | null;
  improvementPriorityYear: number | null;
  /** True when the linked priority has been retired. */
  improvementPriorityRetired: boolean;
  evidenceCount: number;
  createdAt: string;
}

/**
 * Inserts a need and returns it. Throws when the improvement priority it links to is not one
 * of this school's.
 */
export async function createNeed(db: Db, organisationId: number, need: NewNeed): Promise<Need> {
  await requireOwnPriority(db, organisationId, need.improvementPriorityId);
  const now = new Date().toISOString();
  const row = await db
    .insertInto('needs')
    .values({
      organisation_id: organisationId,
      title: need.title,
      description: need.description,
      audience_rule: need.audienceRule,
      audience_rule_tree: need.audienceRuleTree,
      priority: need.priority,
      improvement_priority_id: need.improvementPriorityId,
      status: need.status,
      delivery: null,
      capacity_reasoning: '',
      capability_reasoning: '',
      cost_reasoning: '',
      external_reasons: '[]',
      created_by: need.createdBy,
      created_at: now,
      updated_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toNeed(row);
}

export async function findNeed(
  db: Db,
  organisationId: number,
  needId: number,
): Promise<Need | undefined> {
  const row = await db
    .selectFrom('needs')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .where('id', '=', needId)
    .executeTakeFirst();
  return row ? toNeed(row) : undefined;
}

/**
 * Finds a need and locks its row until the transaction ends, so that the values read are the
 * ones a change replaces and its audit event records. A write of the row's own value takes
 * the lock on PostgreSQL and SQLite alike, where `SELECT … FOR UPDATE` exists only on the first.
 */
export async function lockNeed(
  trx: Transaction<Database>,
  organisationId: number,
  needId: number,
): Promise<Need | undefined> {
  await trx
    .updateTable('needs')
    .set((eb) => ({ updated_at: eb.ref('updated_at') }))
    .where('organisation_id', '=', organisationId)
    .where('id', '=', needId)
    .execute();
  return findNeed(trx, organisationId, needId);
}

/**
 * Changes the given fields of a need and sets its `updated_at`. Throws when the need is not
 * this school's, or when it would link to another school's improvement priority.
 */
export async function updateNeed(
  db: Db,
  organisationId: number,
  needId: number,
  update: NeedUpdate,
): Promise<void> {
  if (update.improvementPriorityId !== undefined) {
    await requireOwnPriority(db, organisationId, update.improvementPriorityId);
  }
  const result = await db
    .updateTable('needs')
    .set({
      ...(update.title !== undefined && { title: update.title }),
      ...(update.description !== undefined && { description: update.description }),
      ...(update.audienceRule !== undefined && { audience_rule: update.audienceRule }),
      ...(update.audienceRuleTree !== undefined && { audience_rule_tree: update.audienceRuleTree }),
      ...(update.priority !== undefined && { priority: update.priority }),
      ...(update.improvementPriorityId !== undefined && {
        improvement_priority_id: update.improvementPriorityId,
      }),
      ...(update.status !== undefined && { status: update.status }),
      ...(update.delivery !== undefined && { delivery: update.delivery }),
      ...(update.capacityReasoning !== undefined && {
        capacity_reasoning: update.capacityReasoning,
      }),
      ...(update.capabilityReasoning !== undefined && {
        capability_reasoning: update.capabilityReasoning,
      }),
      ...(update.costReasoning !== undefined && { cost_reasoning: update.costReasoning }),
      ...(update.externalReasons !== undefined && {
        external_reasons: JSON.stringify(update.externalReasons),
      }),
      updated_at: new Date().toISOString(),
    })
    .where('organisation_id', '=', organisationId)
    .where('id', '=', needId)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) {
    throw new Error(`Need ${needId} does not exist in organisation ${organisationId}`);
  }
}

/**
 * Lists a school's needs for the register, highest priority first and then oldest first,
 * with the title of the improvement priority each serves and its number of evidence items.
 * With `statuses`, lists only needs in one of them.
 */
export async function listNeeds(
  db: Db,
  organisationId: number,
  filter: { statuses?: readonly NeedStatus[] } = {},
): Promise<NeedListItem[]> {
  let query = db
    .selectFrom('needs')
    .leftJoin('improvement_priorities', (join) =>
      join
        .onRef('improvement_priorities.id', '=', 'needs.improvement_priority_id')
        .on('improvement_priorities.organisation_id', '=', organisationId),
    )
    .select((eb) => [
      'needs.id',
      'needs.title',
      'needs.priority',
      'needs.status',
      'needs.improvement_priority_id',
      'needs.created_at',
      'improvement_priorities.title as priority_title',
      'improvement_priorities.academic_year as priority_year',
      'improvement_priorities.retired_at as priority_retired_at',
      eb
        .selectFrom('need_evidence')
        .select((inner) => inner.fn.countAll<number>().as('count'))
        .whereRef('need_evidence.need_id', '=', 'needs.id')
        .where('need_evidence.organisation_id', '=', organisationId)
        .as('evidence_count'),
    ])
    .where('needs.organisation_id', '=', organisationId);
  if (filter.statuses !== undefined) {
    if (filter.statuses.length === 0) return [];
    query = query.where('needs.status', 'in', [...filter.statuses]);
  }

  const rows = await query.orderBy('needs.id').execute();
  const rank = (priority: NeedPriority) => NEED_PRIORITIES.indexOf(priority);
  return rows
    .map((row) => ({
      id: row.id,
      title: row.title,
      priority: row.priority,
      status: row.status,
      improvementPriorityId: row.improvement_priority_id,
      improvementPriorityTitle: row.priority_title ?? null,
      improvementPriorityYear: row.priority_year ?? null,
      improvementPriorityRetired: row.priority_retired_at != null,
      evidenceCount: Number(row.evidence_count ?? 0),
      createdAt: row.created_at,
    }))
    .sort((a, b) => rank(a.priority) - rank(b.priority) || a.id - b.id);
}

/** Throws unless `priorityId` is null or names an improvement priority of this school. */
async function requireOwnPriority(
  db: Db,
  organisationId: number,
  priorityId: number | null,
): Promise<void> {
  if (priorityId === null) return;
  const row = await db
    .selectFrom('improvement_priorities')
    .select('id')
    .where('organisation_id', '=', organisationId)
    .where('id', '=', priorityId)
    .executeTakeFirst();
  if (!row) {
    throw new Error(
      `Improvement priority ${priorityId} does not exist in organisation ${organisationId}`,
    );
  }
}

function toNeed(row: Selectable<NeedTable>): Need {
  return {
    id: row.id,
    organisationId: row.organisation_id,
    title: row.title,
    description: row.description,
    audienceRule: row.audience_rule,
    audienceRuleTree: row.audience_rule_tree,
    priority: row.priority,
    improvementPriorityId: row.improvement_priority_id,
    status: row.status,
    delivery: row.delivery,
    capacityReasoning: row.capacity_reasoning,
    capabilityReasoning: row.capability_reasoning,
    costReasoning: row.cost_reasoning,
    externalReasons: parseExternalReasons(row.external_reasons, row.id),
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function parseExternalReasons(json: string, needId: number) {
  const value: unknown = JSON.parse(json);
  if (
    !Array.isArray(value) ||
    !value.every((item) => typeof item === 'string' && isExternalReason(item))
  ) {
    throw new Error(
      `Need ${needId} has external reasons that are not a list of known reasons: ${json}`,
    );
  }
  return value.filter(isExternalReason);
}
