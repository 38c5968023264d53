/**
 * Saved analyses of a school. A saved analysis is written once and never updated: this store
 * has no function that changes one. Every query is scoped by the organisation id.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../platform/db/schema.js';
import type { GapAnalysis } from './gap-analysis.js';
import { parseSavedAnalysis, type AnalysisSnapshot } from './snapshot-model.js';

type Db = Kysely<Database> | Transaction<Database>;

export interface NewSnapshot {
  title: string;
  analysis: GapAnalysis;
  createdBy: number | null;
}

/** A saved analysis as the list shows it, without its figures. */
export interface SnapshotListItem {
  id: number;
  academicYear: number;
  title: string;
  createdAt: string;
  createdByName: string | null;
  /** Evidence items that quote it. */
  evidenceCount: number;
}

/** Stores a copy of an analysis, for the academic year it covers, and returns its id. */
export async function saveSnapshot(
  db: Db,
  organisationId: number,
  snapshot: NewSnapshot,
): Promise<number> {
  const row = await db
    .insertInto('analysis_snapshots')
    .values({
      organisation_id: organisationId,
      academic_year: snapshot.analysis.academicYear,
      title: snapshot.title,
      analysis: JSON.stringify(snapshot.analysis),
      created_by: snapshot.createdBy,
      created_at: new Date().toISOString(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function findSnapshot(
  db: Db,
  organisationId: number,
  snapshotId: number,
): Promise<AnalysisSnapshot | undefined> {
  const row = await db
    .selectFrom('analysis_snapshots')
    .leftJoin('users', 'users.id', 'analysis_snapshots.created_by')
    .select([
      'analysis_snapshots.id',
      'analysis_snapshots.organisation_id',
      'analysis_snapshots.academic_year',
      'analysis_snapshots.title',
      'analysis_snapshots.analysis',
      'analysis_snapshots.created_by',
      'analysis_snapshots.created_at',
      'users.display_name',
    ])
    .where('analysis_snapshots.organisation_id', '=', organisationId)
    .where('analysis_snapshots.id', '=', snapshotId)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    id: row.id,
    organisationId: row.organisation_id,
    academicYear: row.academic_year,
    title: row.title,
    analysis: parseSavedAnalysis(row.analysis, row.id),
    createdBy: row.created_by,
    createdByName: row.display_name ?? null,
    createdAt: row.created_at,
  };
}

/** Lists a school's saved analyses, newest first. */
export async function listSnapshots(db: Db, organisationId: number): Promise<SnapshotListItem[]> {
  const rows = await db
    .selectFrom('analysis_snapshots')
    .leftJoin('users', 'users.id', 'analysis_snapshots.created_by')
    .select((eb) => [
      'analysis_snapshots.id',
      'analysis_snapshots.academic_year',
      'analysis_snapshots.title',
      'analysis_snapshots.created_at',
      'users.display_name',
      eb
        .selectFrom('need_evidence')
        .select((inner) => inner.fn.countAll<number>().as('count'))
        .whereRef('need_evidence.snapshot_id', '=', 'analysis_snapshots.id')
        .where('need_evidence.organisation_id', '=', organisationId)
        .as('evidence_count'),
    ])
    .where('analysis_snapshots.organisation_id', '=', organisationId)
    .orderBy('analysis_snapshots.created_at', 'desc')
    .orderBy('analysis_snapshots.id', 'desc')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    academicYear: row.academic_year,
    title: row.title,
    createdAt: row.created_at,
    createdByName: row.display_name ?? null,
    evidenceCount: Number(row.evidence_count ?? 0),
  }));
}
