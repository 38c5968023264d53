/**
 * Priorities of a school's improvement plan, per academic year and in order. Every query is
 * scoped by the organisation id. A retired priority keeps its row, its place and the needs
 * linked to it; it only leaves the order of the current priorities.
 */
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Database, ImprovementPriorityTable } from '../../platform/db/schema.js';
import type { ImprovementPriority, PriorityFormInput } from './improvement-plan.js';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * Lists the priorities of one academic year: the current ones in order, then, with
 * `includeRetired`, the retired ones in the order they were retired.
 */
export async function listPriorities(
  db: Db,
  organisationId: number,
  academicYear: number,
  options: { includeRetired?: boolean } = {},
): Promise<ImprovementPriority[]> {
  let query = db
    .selectFrom('improvement_priorities')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .where('academic_year', '=', academicYear);
  if (!options.includeRetired) query = query.where('retired_at', 'is', null);
  const rows = await query.orderBy('position').orderBy('id').execute();

  const priorities = rows.map(toPriority);
  const current = priorities.filter((priority) => priority.retiredAt === null);
  const retired = priorities
    .filter((priority) => priority.retiredAt !== null)
    .sort((a, b) => String(a.retiredAt).localeCompare(String(b.retiredAt)) || a.id - b.id);
  return [...current, ...retired];
}

/** Academic years in which the school has improvement priorities, latest first. */
export async function listPriorityYears(db: Db, organisationId: number): Promise<number[]> {
  const rows = await db
    .selectFrom('improvement_priorities')
    .select('academic_year')
    .distinct()
    .where('organisation_id', '=', organisationId)
    .orderBy('academic_year', 'desc')
    .execute();
  return rows.map((row) => row.academic_year);
}

export async function findPriority(
  db: Db,
  organisationId: number,
  priorityId: number,
): Promise<ImprovementPriority | undefined> {
  const row = await db
    .selectFrom('improvement_priorities')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .where('id', '=', priorityId)
    .executeTakeFirst();
  return row ? toPriority(row) : undefined;
}

/** Adds a priority at the end of the year's order and returns it. */
export async function addPriority(
  db: Db,
  organisationId: number,
  academicYear: number,
  details: PriorityFormInput,
): Promise<ImprovementPriority> {
  const last = await db
    .selectFrom('improvement_priorities')
    .select((eb) => eb.fn.max('position').as('position'))
    .where('organisation_id', '=', organisationId)
    .where('academic_year', '=', academicYear)
    .executeTakeFirst();
  const row = await db
    .insertInto('improvement_priorities')
    .values({
      organisation_id: organisationId,
      academic_year: academicYear,
      title: details.title,
      description: details.description,
      position: Number(last?.position ?? 0) + 1,
      created_at: new Date().toISOString(),
      retired_at: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toPriority(row);
}

/** Changes a priority's title and description. Throws when it is not this school's. */
export async function updatePriority(
  db: Db,
  organisationId: number,
  priorityId: number,
  details: PriorityFormInput,
): Promise<void> {
  const result = await db
    .updateTable('improvement_priorities')
    .set({ title: details.title, description: details.description })
    .where('organisation_id', '=', organisationId)
    .where('id', '=', priorityId)
    .executeTakeFirst();
  requireOneRow(result.numUpdatedRows, organisationId, priorityId);
}

/**
 * Marks a current priority as retired at `retiredAt` (an ISO timestamp). Returns false, and
 * changes nothing, when it was retired already. Throws when it is not this school's.
 */
export async function retirePriority(
  db: Db,
  organisationId: number,
  priorityId: number,
  retiredAt: string,
): Promise<boolean> {
  const priority = await findPriority(db, organisationId, priorityId);
  if (!priority) requireOneRow(0, organisationId, priorityId);
  const result = await db
    .updateTable('improvement_priorities')
    .set({ retired_at: retiredAt })
    .where('organisation_id', '=', organisationId)
    .where('id', '=', priorityId)
    .where('retired_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Numbers the given priorities 1, 2, 3… in the order given. Throws, before changing anything,
 * when any of them is not a current priority of this school in `academicYear`.
 */
export async function setPriorityOrder(
  db: Db,
  organisationId: number,
  academicYear: number,
  orderedIds: readonly number[],
): Promise<void> {
  const current = await listPriorities(db, organisationId, academicYear);
  const currentIds = new Set(current.map((priority) => priority.id));
  const stranger = orderedIds.find((id) => !currentIds.has(id));
  if (stranger !== undefined) {
    throw new Error(
      `Improvement priority ${stranger} is not a current priority of organisation ${organisationId} in ${academicYear}`,
    );
  }
  for (const [index, id] of orderedIds.entries()) {
    await db
      .updateTable('improvement_priorities')
      .set({ position: index + 1 })
      .where('organisation_id', '=', organisationId)
      .where('id', '=', id)
      .execute();
  }
}

function requireOneRow(updated: bigint | number, organisationId: number, priorityId: number) {
  if (Number(updated) !== 1) {
    throw new Error(
      `Improvement priority ${priorityId} does not exist in organisation ${organisationId}`,
    );
  }
}

function toPriority(row: Selectable<ImprovementPriorityTable>): ImprovementPriority {
  return {
    id: row.id,
    organisationId: row.organisation_id,
    academicYear: row.academic_year,
    title: row.title,
    description: row.description,
    position: row.position,
    createdAt: row.created_at,
    retiredAt: row.retired_at,
  };
}
