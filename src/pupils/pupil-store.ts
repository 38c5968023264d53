import type { Insertable, Kysely, Transaction } from 'kysely';
import type { Database } from '../platform/db/schema.js';
import {
  attendanceKey,
  exclusionKey,
  resultKey,
  type ImportPlan,
  type PupilPlan,
  type StoredState,
} from './import-plan.js';
import type { AssessmentResult, AttendanceRecord, ExclusionRecord } from './model.js';

type Db = Kysely<Database> | Transaction<Database>;

// Rows go in batches so that 2,000 pupils cost a few dozen statements rather than thousands,
// while staying well under SQLite's limit of 32,766 bound values per statement.
const BATCH_ROWS = 500;

/** Loads what one school already holds, indexed for `planImport`, for one academic year. */
export async function loadStoredState(
  db: Db,
  organisationId: number,
  academicYear: number,
): Promise<StoredState> {
  const pupils = await db
    .selectFrom('pupils')
    .select(['id', 'upn'])
    .where('organisation_id', '=', organisationId)
    .execute();
  const yearRows = await db
    .selectFrom('pupil_years')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .where('academic_year', '=', academicYear)
    .execute();
  const fsmRows = await db
    .selectFrom('fsm_periods')
    .select(['id', 'pupil_id', 'start_date', 'end_date'])
    .where('organisation_id', '=', organisationId)
    .execute();
  const attendanceRows = await db
    .selectFrom('attendance')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .execute();
  const exclusionRows = await db
    .selectFrom('exclusions')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .execute();
  const resultRows = await db
    .selectFrom('assessment_results')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .execute();

  const state: StoredState = {
    pupilIdsByUpn: new Map(pupils.map((row) => [row.upn, row.id])),
    yearRows: new Map(yearRows.map((row) => [row.pupil_id, row])),
    fsmPeriods: new Map(),
    attendance: new Map(),
    exclusions: new Map(),
    results: new Map(),
  };
  for (const row of fsmRows) {
    const periods = state.fsmPeriods.get(row.pupil_id) ?? new Map();
    periods.set(row.start_date, { id: row.id, end: row.end_date });
    state.fsmPeriods.set(row.pupil_id, periods);
  }
  for (const row of attendanceRows) {
    const key = attendanceKey(row.pupil_id, {
      academicYear: row.academic_year,
      period: row.period,
      schoolLaestab: row.school_laestab,
    });
    state.attendance.set(key, {
      id: row.id,
      possible: row.sessions_possible,
      attended: row.sessions_attended,
      authorised: row.sessions_authorised,
      unauthorised: row.sessions_unauthorised,
    });
  }
  for (const row of exclusionRows) {
    state.exclusions.set(
      exclusionKey(row.pupil_id, { kind: row.kind, startDate: row.start_date }),
      {
        id: row.id,
        sessionsLost: row.sessions_lost,
        reason: row.reason,
        academicYear: row.academic_year,
      },
    );
  }
  for (const row of resultRows) {
    state.results.set(resultKey(row.pupil_id, fromResultRow(row)), {
      id: row.id,
      result: row.result,
      year: row.year,
    });
  }
  return state;
}

/**
 * Writes an import plan. Call it inside a transaction: it makes many statements, and the
 * caller commits them together or not at all. Returns the ids of pupils it created.
 */
export async function applyImportPlan(
  trx: Transaction<Database>,
  target: {
    organisationId: number;
    importId: number;
    academicYear: number;
    characteristicsIncluded: boolean;
  },
  plan: ImportPlan,
): Promise<void> {
  const now = new Date().toISOString();
  await insertNewPupils(trx, target.organisationId, plan.pupils, now);

  for (const pupilPlan of plan.pupils) {
    if (pupilPlan.pupilId === null)
      throw new Error(`Pupil ${pupilPlan.pupil.location} has no id after insert`);
    await updateYearRow(trx, target, pupilPlan, now);
    await writeUpdatedEvents(trx, pupilPlan);
  }

  if (target.characteristicsIncluded) {
    await insertInBatches(
      trx,
      'pupil_years',
      plan.pupils
        .filter((pupilPlan) => pupilPlan.yearRowId === null)
        .map((pupilPlan) => ({
          ...pupilPlan.year,
          organisation_id: target.organisationId,
          pupil_id: pupilPlan.pupilId as number,
          academic_year: target.academicYear,
          last_import_id: target.importId,
          updated_at: now,
        })),
    );
  }
  await insertInBatches(
    trx,
    'pupil_changes',
    plan.pupils.flatMap((pupilPlan) =>
      pupilPlan.changes.map((change) => ({
        organisation_id: target.organisationId,
        pupil_id: pupilPlan.pupilId as number,
        import_id: target.importId,
        academic_year: target.academicYear,
        field: change.field,
        old_value: change.oldValue,
        new_value: change.newValue,
        changed_at: now,
      })),
    ),
  );

  await insertInBatches(
    trx,
    'fsm_periods',
    plan.pupils.flatMap((pupilPlan) =>
      pupilPlan.newFsmPeriods.map((period) => ({
        organisation_id: target.organisationId,
        pupil_id: pupilPlan.pupilId as number,
        start_date: period.start,
        end_date: period.end,
      })),
    ),
  );
  await insertInBatches(
    trx,
    'attendance',
    plan.pupils.flatMap((pupilPlan) =>
      pupilPlan.newAttendance.map((record) =>
        toAttendanceRow(target, pupilPlan.pupilId as number, record),
      ),
    ),
  );
  await insertInBatches(
    trx,
    'exclusions',
    plan.pupils.flatMap((pupilPlan) =>
      pupilPlan.newExclusions.map((record) =>
        toExclusionRow(target, pupilPlan.pupilId as number, record),
      ),
    ),
  );
  await insertInBatches(
    trx,
    'assessment_results',
    plan.pupils.flatMap((pupilPlan) =>
      pupilPlan.newResults.map((record) =>
        toResultRow(target, pupilPlan.pupilId as number, record),
      ),
    ),
  );
}

async function insertNewPupils(
  trx: Transaction<Database>,
  organisationId: number,
  plans: PupilPlan[],
  now: string,
): Promise<void> {
  const newPlans = plans.filter((plan) => plan.pupilId === null);
  for (let start = 0; start < newPlans.length; start += BATCH_ROWS) {
    const batch = newPlans.slice(start, start + BATCH_ROWS);
    const inserted = await trx
      .insertInto('pupils')
      .values(
        batch.map((plan) => ({
          organisation_id: organisationId,
          upn: plan.pupil.upn,
          created_at: now,
        })),
      )
      .returning(['id', 'upn'])
      .execute();
    const idsByUpn = new Map(inserted.map((row) => [row.upn, row.id]));
    for (const plan of batch) plan.pupilId = idsByUpn.get(plan.pupil.upn) ?? null;
  }
}

async function updateYearRow(
  trx: Transaction<Database>,
  target: { organisationId: number; importId: number; characteristicsIncluded: boolean },
  plan: PupilPlan,
  now: string,
): Promise<void> {
  if (!target.characteristicsIncluded || plan.yearRowId === null || plan.changes.length === 0) {
    return;
  }
  await trx
    .updateTable('pupil_years')
    .set({ ...plan.year, last_import_id: target.importId, updated_at: now })
    .where('id', '=', plan.yearRowId)
    .where('organisation_id', '=', target.organisationId)
    .execute();
}

async function writeUpdatedEvents(trx: Transaction<Database>, plan: PupilPlan): Promise<void> {
  for (const period of plan.endedFsmPeriods) {
    await trx
      .updateTable('fsm_periods')
      .set({ end_date: period.end })
      .where('id', '=', period.id)
      .execute();
  }
  for (const { id, record } of plan.updatedAttendance) {
    await trx
      .updateTable('attendance')
      .set({
        sessions_possible: record.possible,
        sessions_attended: record.attended,
        sessions_authorised: record.authorised,
        sessions_unauthorised: record.unauthorised,
      })
      .where('id', '=', id)
      .execute();
  }
  for (const { id, record } of plan.updatedExclusions) {
    await trx
      .updateTable('exclusions')
      .set({
        sessions_lost: record.sessionsLost,
        reason: record.reason,
        academic_year: record.academicYear,
      })
      .where('id', '=', id)
      .execute();
  }
  for (const { id, record } of plan.updatedResults) {
    await trx
      .updateTable('assessment_results')
      .set({ result: record.result, year: record.year })
      .where('id', '=', id)
      .execute();
  }
}

type InsertableTable =
  | 'pupil_years'
  | 'pupil_changes'
  | 'fsm_periods'
  | 'attendance'
  | 'exclusions'
  | 'assessment_results';

async function insertInBatches<T extends InsertableTable>(
  trx: Transaction<Database>,
  table: T,
  rows: Array<Insertable<Database[T]>>,
): Promise<void> {
  for (let start = 0; start < rows.length; start += BATCH_ROWS) {
    const batch = rows.slice(start, start + BATCH_ROWS);
    // Kysely cannot narrow a generic table name to its row type, so the cast states what the
    // signature above already guarantees.
    await trx
      .insertInto(table)
      .values(batch as never)
      .execute();
  }
}

function toAttendanceRow(
  target: { organisationId: number; importId: number },
  pupilId: number,
  record: AttendanceRecord,
) {
  return {
    organisation_id: target.organisationId,
    pupil_id: pupilId,
    academic_year: record.academicYear,
    period: record.period,
    school_laestab: record.schoolLaestab ?? '',
    sessions_possible: record.possible,
    sessions_attended: record.attended,
    sessions_authorised: record.authorised,
    sessions_unauthorised: record.unauthorised,
    import_id: target.importId,
  };
}

function toExclusionRow(
  target: { organisationId: number; importId: number },
  pupilId: number,
  record: ExclusionRecord,
) {
  return {
    organisation_id: target.organisationId,
    pupil_id: pupilId,
    academic_year: record.academicYear,
    kind: record.kind,
    start_date: record.startDate,
    sessions_lost: record.sessionsLost,
    reason: record.reason,
    import_id: target.importId,
  };
}

function toResultRow(
  target: { organisationId: number; importId: number },
  pupilId: number,
  record: AssessmentResult,
) {
  return {
    organisation_id: target.organisationId,
    pupil_id: pupilId,
    stage: record.stage,
    subject: record.subject,
    component: record.component ?? '',
    method: record.method ?? '',
    qualifier: record.qualifier ?? '',
    result: record.result,
    result_date: record.resultDate ?? '',
    year: record.year,
    import_id: target.importId,
  };
}

export function fromResultRow(row: {
  stage: string;
  subject: string;
  component: string;
  method: string;
  qualifier: string;
  result: string;
  result_date: string;
  year: number | null;
}): AssessmentResult {
  return {
    stage: row.stage,
    subject: row.subject,
    component: row.component === '' ? null : row.component,
    method: row.method === '' ? null : row.method,
    qualifier: row.qualifier === '' ? null : row.qualifier,
    result: row.result,
    resultDate: row.result_date === '' ? null : row.result_date,
    year: row.year,
  };
}
