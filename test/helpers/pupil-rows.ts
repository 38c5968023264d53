import type { Kysely } from 'kysely';
import type { Database } from '../../src/platform/db/schema.js';

/** Creates a committed import row, which pupil rows must point at. Returns its id. */
export async function insertImportRow(
  db: Kysely<Database>,
  organisationId: number,
  academicYear: number,
): Promise<number> {
  const now = new Date().toISOString();
  const row = await db
    .insertInto('imports')
    .values({
      organisation_id: organisationId,
      status: 'committed',
      file_name: 'pupils.csv',
      format: 'csv',
      academic_year: academicYear,
      ctf_version: null,
      content: null,
      options: '{}',
      summary: '{}',
      error_count: 0,
      warning_count: 0,
      created_at: now,
      committed_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export interface PupilRow {
  upn: string;
  academicYear: number;
  ncYear: string;
  inCare?: boolean;
  previouslyLookedAfter?: boolean;
  serviceChild?: boolean;
  /** Start of an open free school meals period, if any. */
  fsmStart?: string;
}

/** Inserts a fictitious pupil with one year's record straight into the tables. */
export async function insertPupilRow(
  db: Kysely<Database>,
  organisationId: number,
  importId: number,
  pupil: PupilRow,
): Promise<void> {
  const now = new Date().toISOString();
  const flag = (value: boolean | undefined) => (value ? 1 : 0);
  const row = await db
    .insertInto('pupils')
    .values({ organisation_id: organisationId, upn: pupil.upn, created_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('pupil_years')
    .values({
      organisation_id: organisationId,
      pupil_id: row.id,
      academic_year: pupil.academicYear,
      upn_temporary: 0,
      legal_surname: 'Surname',
      legal_forename: 'Forename',
      nc_year: pupil.ncYear,
      in_care: flag(pupil.inCare),
      previously_looked_after: flag(pupil.previouslyLookedAfter),
      service_child: flag(pupil.serviceChild),
      last_import_id: importId,
      updated_at: now,
    })
    .execute();
  if (pupil.fsmStart) {
    await db
      .insertInto('fsm_periods')
      .values({
        organisation_id: organisationId,
        pupil_id: row.id,
        start_date: pupil.fsmStart,
        end_date: null,
      })
      .execute();
  }
}
