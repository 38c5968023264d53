/**
 * Barriers to learning on a school's needs, and the barriers the school has added to the
 * starting list. Every query is scoped by the organisation id.
 */
import type { Kysely, Transaction } from 'kysely';
import type { BarrierClassification, Database } from '../../platform/db/schema.js';
import type { BarrierOption } from './need-barriers.js';

type Db = Kysely<Database> | Transaction<Database>;

/** A barrier recorded on a need. */
export interface NeedBarrier {
  id: number;
  needId: number;
  label: string;
  classification: BarrierClassification;
  note: string;
  createdAt: string;
}

export interface NewNeedBarrier extends BarrierOption {
  note: string;
}

/** Lists the barriers of one need in the order they were added. */
export async function listNeedBarriers(
  db: Db,
  organisationId: number,
  needId: number,
): Promise<NeedBarrier[]> {
  const rows = await db
    .selectFrom('need_barriers')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .where('need_id', '=', needId)
    .orderBy('id')
    .execute();
  return rows.map(toNeedBarrier);
}

/**
 * Adds barriers to a need and returns them as stored. Throws when the need is not this
 * school's.
 */
export async function addNeedBarriers(
  db: Db,
  organisationId: number,
  needId: number,
  barriers: readonly NewNeedBarrier[],
): Promise<NeedBarrier[]> {
  const need = await db
    .selectFrom('needs')
    .select('id')
    .where('organisation_id', '=', organisationId)
    .where('id', '=', needId)
    .executeTakeFirst();
  if (!need) throw new Error(`Need ${needId} does not exist in organisation ${organisationId}`);
  if (barriers.length === 0) return [];

  const now = new Date().toISOString();
  const rows = await db
    .insertInto('need_barriers')
    .values(
      barriers.map((barrier) => ({
        organisation_id: organisationId,
        need_id: needId,
        label: barrier.label,
        classification: barrier.classification,
        note: barrier.note,
        created_at: now,
      })),
    )
    .returningAll()
    .execute();
  return rows.map(toNeedBarrier).sort((a, b) => a.id - b.id);
}

/**
 * Removes one barrier from a need and returns it, or returns undefined when the need has no
 * such barrier (it was removed already, or belongs to another need or school).
 */
export async function removeNeedBarrier(
  db: Db,
  organisationId: number,
  needId: number,
  barrierId: number,
): Promise<NeedBarrier | undefined> {
  const row = await db
    .deleteFrom('need_barriers')
    .where('organisation_id', '=', organisationId)
    .where('need_id', '=', needId)
    .where('id', '=', barrierId)
    .returningAll()
    .executeTakeFirst();
  return row ? toNeedBarrier(row) : undefined;
}

/** Lists the barriers the school has added to the starting list, in the order it added them. */
export async function listBarrierOptions(db: Db, organisationId: number): Promise<BarrierOption[]> {
  const rows = await db
    .selectFrom('barrier_options')
    .select(['label', 'classification'])
    .where('organisation_id', '=', organisationId)
    .orderBy('id')
    .execute();
  return rows.map((row) => ({ label: row.label, classification: row.classification }));
}

/**
 * Adds a barrier to the school's own list and returns its id. Throws when the school already
 * has a barrier with exactly this label, which the table's unique constraint enforces.
 */
export async function addBarrierOption(
  db: Db,
  organisationId: number,
  option: BarrierOption,
): Promise<number> {
  const row = await db
    .insertInto('barrier_options')
    .values({
      organisation_id: organisationId,
      label: option.label,
      classification: option.classification,
      created_at: new Date().toISOString(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

function toNeedBarrier(row: {
  id: number;
  need_id: number;
  label: string;
  classification: BarrierClassification;
  note: string;
  created_at: string;
}): NeedBarrier {
  return {
    id: row.id,
    needId: row.need_id,
    label: row.label,
    classification: row.classification,
    note: row.note,
    createdAt: row.created_at,
  };
}
