import type { Kysely, Transaction } from 'kysely';
import type { Database, ImportRow, ImportStatus } from '../platform/db/schema.js';
import type { ImportFormat } from './model.js';

type Db = Kysely<Database> | Transaction<Database>;

/** The choices a user made for an import: the academic year and, for CSV or XLSX, the column mapping. */
export interface ImportOptions {
  academicYear?: number;
  mapping?: Record<string, string | null>;
}

/** Counts shown in the preview and kept once the import is committed. */
export interface ImportSummary {
  pupils: number;
  newPupils: number;
  changedPupils: number;
  unchangedPupils: number;
  attendanceRecords: number;
  exclusions: number;
  results: number;
}

/** An import as the school's history lists it. */
export interface ImportRecord {
  id: number;
  organisationId: number;
  status: ImportStatus;
  fileName: string;
  format: ImportFormat;
  academicYear: number | null;
  ctfVersion: string | null;
  summary: ImportSummary | null;
  errorCount: number;
  warningCount: number;
  createdAt: string;
  committedAt: string | null;
}

export interface NewImport {
  organisationId: number;
  fileName: string;
  format: ImportFormat;
  academicYear: number | null;
  ctfVersion: string | null;
  content: Buffer;
  options: ImportOptions;
  summary: ImportSummary;
  errorCount: number;
  warningCount: number;
}

export async function insertImport(db: Db, input: NewImport): Promise<number> {
  const row = await db
    .insertInto('imports')
    .values({
      organisation_id: input.organisationId,
      status: 'previewed',
      file_name: input.fileName,
      format: input.format,
      academic_year: input.academicYear,
      ctf_version: input.ctfVersion,
      content: input.content,
      options: JSON.stringify(input.options),
      summary: JSON.stringify(input.summary),
      error_count: input.errorCount,
      warning_count: input.warningCount,
      created_at: new Date().toISOString(),
      committed_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Finds one import of one school, with the uploaded bytes if they are still kept. */
export async function findImport(
  db: Db,
  organisationId: number,
  importId: number,
): Promise<(ImportRecord & { content: Buffer | null; options: ImportOptions }) | undefined> {
  const row = await db
    .selectFrom('imports')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .where('id', '=', importId)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    ...toImportRecord(row),
    content: row.content ? Buffer.from(row.content) : null,
    options: JSON.parse(row.options),
  };
}

export async function listImports(db: Db, organisationId: number): Promise<ImportRecord[]> {
  const rows = await db
    .selectFrom('imports')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .orderBy('id', 'desc')
    .execute();
  return rows.map(toImportRecord);
}

export async function updateImportPreview(
  db: Db,
  organisationId: number,
  importId: number,
  update: {
    options: ImportOptions;
    academicYear: number | null;
    summary: ImportSummary;
    errorCount: number;
    warningCount: number;
  },
): Promise<void> {
  await db
    .updateTable('imports')
    .set({
      options: JSON.stringify(update.options),
      academic_year: update.academicYear,
      summary: JSON.stringify(update.summary),
      error_count: update.errorCount,
      warning_count: update.warningCount,
    })
    .where('organisation_id', '=', organisationId)
    .where('id', '=', importId)
    .where('status', '=', 'previewed')
    .execute();
}

/**
 * Marks a previewed import as being committed. Returns false when it was not in preview
 * any more, so that two clicks on "commit" cannot load the same file twice.
 */
export async function claimImportForCommit(
  db: Db,
  organisationId: number,
  importId: number,
): Promise<boolean> {
  const result = await db
    .updateTable('imports')
    .set({ status: 'committed', committed_at: new Date().toISOString() })
    .where('organisation_id', '=', organisationId)
    .where('id', '=', importId)
    .where('status', '=', 'previewed')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Records the final counts and drops the uploaded copy: the pupil data now lives in its tables. */
export async function finishCommittedImport(
  db: Db,
  organisationId: number,
  importId: number,
  summary: ImportSummary,
  academicYear: number,
): Promise<void> {
  await db
    .updateTable('imports')
    .set({ summary: JSON.stringify(summary), academic_year: academicYear, content: null })
    .where('organisation_id', '=', organisationId)
    .where('id', '=', importId)
    .execute();
}

function toImportRecord(row: ImportRow): ImportRecord {
  return {
    id: row.id,
    organisationId: row.organisation_id,
    status: row.status,
    fileName: row.file_name,
    format: row.format as ImportFormat,
    academicYear: row.academic_year,
    ctfVersion: row.ctf_version,
    summary: JSON.parse(row.summary) as ImportSummary | null,
    errorCount: row.error_count,
    warningCount: row.warning_count,
    createdAt: row.created_at,
    committedAt: row.committed_at,
  };
}
