/**
 * Evidence items of a school's needs, with their files. Every query is scoped by the
 * organisation id, so another school's evidence, file or saved analysis is never returned or
 * linked. Lists leave file contents out; only `findEvidenceFile` reads them.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../platform/db/schema.js';
import type { EvidenceDetails } from './need-evidence.js';
import type { EvidenceKind } from './need-model.js';

type Db = Kysely<Database> | Transaction<Database>;

/** A file attached to an evidence item. */
export interface EvidenceFile {
  fileName: string;
  /** MIME type, chosen from the file's extension when it was checked. */
  fileType: string;
  content: Buffer;
}

export interface NewEvidence extends EvidenceDetails {
  file: EvidenceFile | null;
  createdBy: number | null;
}

/** An evidence item as a need's page lists it, without the file's content. */
export interface EvidenceItem {
  id: number;
  needId: number;
  kind: EvidenceKind;
  evidenceDate: string;
  summary: string;
  snapshotId: number | null;
  snapshotTitle: string | null;
  fileName: string | null;
  fileType: string | null;
  /** Size of the file in bytes, or null without a file. */
  fileSize: number | null;
  createdBy: number | null;
  createdByName: string | null;
  createdAt: string;
}

/**
 * Inserts an evidence item on a need and returns its id. Throws when the need, or the saved
 * analysis it quotes, is not this school's.
 */
export async function addEvidence(
  db: Db,
  organisationId: number,
  needId: number,
  evidence: NewEvidence,
): Promise<number> {
  const need = await db
    .selectFrom('needs')
    .select('id')
    .where('organisation_id', '=', organisationId)
    .where('id', '=', needId)
    .executeTakeFirst();
  if (!need) throw new Error(`Need ${needId} does not exist in organisation ${organisationId}`);
  if (evidence.snapshotId !== null) {
    const snapshot = await db
      .selectFrom('analysis_snapshots')
      .select('id')
      .where('organisation_id', '=', organisationId)
      .where('id', '=', evidence.snapshotId)
      .executeTakeFirst();
    if (!snapshot) {
      throw new Error(
        `Saved analysis ${evidence.snapshotId} does not exist in organisation ${organisationId}`,
      );
    }
  }

  const row = await db
    .insertInto('need_evidence')
    .values({
      organisation_id: organisationId,
      need_id: needId,
      kind: evidence.kind,
      evidence_date: evidence.evidenceDate,
      summary: evidence.summary,
      snapshot_id: evidence.snapshotId,
      file_name: evidence.file?.fileName ?? null,
      file_type: evidence.file?.fileType ?? null,
      file_content: evidence.file?.content ?? null,
      created_by: evidence.createdBy,
      created_at: new Date().toISOString(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Lists the evidence of one need, latest evidence date first. */
export async function listEvidence(
  db: Db,
  organisationId: number,
  needId: number,
): Promise<EvidenceItem[]> {
  const rows = await db
    .selectFrom('need_evidence')
    .leftJoin('analysis_snapshots', (join) =>
      join
        .onRef('analysis_snapshots.id', '=', 'need_evidence.snapshot_id')
        .on('analysis_snapshots.organisation_id', '=', organisationId),
    )
    .leftJoin('users', 'users.id', 'need_evidence.created_by')
    .select((eb) => [
      'need_evidence.id',
      'need_evidence.need_id',
      'need_evidence.kind',
      'need_evidence.evidence_date',
      'need_evidence.summary',
      'need_evidence.snapshot_id',
      'analysis_snapshots.title as snapshot_title',
      'need_evidence.file_name',
      'need_evidence.file_type',
      eb.fn<number | null>('length', ['need_evidence.file_content']).as('file_size'),
      'need_evidence.created_by',
      'users.display_name',
      'need_evidence.created_at',
    ])
    .where('need_evidence.organisation_id', '=', organisationId)
    .where('need_evidence.need_id', '=', needId)
    .orderBy('need_evidence.evidence_date', 'desc')
    .orderBy('need_evidence.id', 'desc')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    needId: row.need_id,
    kind: row.kind,
    evidenceDate: row.evidence_date,
    summary: row.summary,
    snapshotId: row.snapshot_id,
    snapshotTitle: row.snapshot_title ?? null,
    fileName: row.file_name,
    fileType: row.file_type,
    fileSize: row.file_size === null ? null : Number(row.file_size),
    createdBy: row.created_by,
    createdByName: row.display_name ?? null,
    createdAt: row.created_at,
  }));
}

/**
 * Finds the file of one evidence item of one need, or undefined when the item is not this
 * school's, is on another need, or has no file.
 */
export async function findEvidenceFile(
  db: Db,
  organisationId: number,
  needId: number,
  evidenceId: number,
): Promise<EvidenceFile | undefined> {
  const row = await db
    .selectFrom('need_evidence')
    .select(['file_name', 'file_type', 'file_content'])
    .where('organisation_id', '=', organisationId)
    .where('need_id', '=', needId)
    .where('id', '=', evidenceId)
    .executeTakeFirst();
  if (!row || row.file_name === null || row.file_type === null || row.file_content === null) {
    return undefined;
  }
  return {
    fileName: row.file_name,
    fileType: row.file_type,
    content: Buffer.from(row.file_content),
  };
}

/** A need that quotes a saved analysis in its evidence. */
export interface NeedQuotingSnapshot {
  needId: number;
  title: string;
}

/** Lists the needs whose evidence quotes a saved analysis, each once, by title. */
export async function listNeedsQuotingSnapshot(
  db: Db,
  organisationId: number,
  snapshotId: number,
): Promise<NeedQuotingSnapshot[]> {
  const rows = await db
    .selectFrom('needs')
    .select(['needs.id', 'needs.title'])
    .where('needs.organisation_id', '=', organisationId)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('need_evidence')
          .select('need_evidence.id')
          .whereRef('need_evidence.need_id', '=', 'needs.id')
          .where('need_evidence.organisation_id', '=', organisationId)
          .where('need_evidence.snapshot_id', '=', snapshotId),
      ),
    )
    .orderBy('needs.title')
    .orderBy('needs.id')
    .execute();
  return rows.map((row) => ({ needId: row.id, title: row.title }));
}
