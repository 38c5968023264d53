import type { Kysely } from 'kysely';
import type { Database, PlanStatus } from '../../src/platform/db/schema.js';

export interface PlanRow {
  title: string;
  budgetPence?: number | null;
  staffHours?: number | null;
  status?: PlanStatus;
  startDate?: string | null;
  endDate?: string | null;
}

/**
 * Creates a need and a commissioning plan with one version straight in the tables, for tests
 * of steps that read plans. Returns the plan's id.
 */
export async function createPlanRow(
  db: Kysely<Database>,
  organisationId: number,
  plan: PlanRow,
): Promise<number> {
  const now = new Date().toISOString();
  const need = await db
    .insertInto('needs')
    .values({
      organisation_id: organisationId,
      title: `Need behind ${plan.title}`,
      priority: 'high',
      status: 'planned',
      description: '',
      capacity_reasoning: '',
      capability_reasoning: '',
      cost_reasoning: '',
      external_reasons: '[]',
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const row = await db
    .insertInto('plans')
    .values({ organisation_id: organisationId, need_id: need.id, created_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  await addPlanVersion(db, organisationId, row.id, 1, plan);
  return row.id;
}

/** Adds a version of a plan created by `createPlanRow`. */
export async function addPlanVersion(
  db: Kysely<Database>,
  organisationId: number,
  planId: number,
  version: number,
  plan: PlanRow,
): Promise<void> {
  const now = new Date().toISOString();
  await db
    .insertInto('plan_versions')
    .values({
      organisation_id: organisationId,
      plan_id: planId,
      version,
      status: plan.status ?? 'approved',
      title: plan.title,
      budget_pence: plan.budgetPence ?? null,
      staff_hours: plan.staffHours ?? null,
      start_date: plan.startDate ?? null,
      end_date: plan.endDate ?? null,
      alignment: '',
      key_contact: '',
      responsible_leader: '',
      evaluation_strategy: '',
      created_at: now,
      updated_at: now,
    })
    .execute();
}
