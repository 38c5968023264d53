import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../platform/db/schema.js';
import type { AttendancePeriod, ExclusionKind, SenProvision, Sex } from '../../pupils/model.js';
import type { AnalysisPupil } from './gap-analysis.js';

type Db = Kysely<Database> | Transaction<Database>;

/** Academic years in which the school has pupil records, latest first. */
export async function listAnalysisYears(db: Db, organisationId: number): Promise<number[]> {
  const rows = await db
    .selectFrom('pupil_years')
    .select('academic_year')
    .distinct()
    .where('organisation_id', '=', organisationId)
    .orderBy('academic_year', 'desc')
    .execute();
  return rows.map((row) => row.academic_year);
}

/**
 * Loads the pupils on roll in one academic year with what the analysis needs and nothing
 * that identifies them. Attendance counts only sessions at this school (`schoolLaestab`),
 * because a pupil's sessions at an earlier school belong to that school's figures.
 */
export async function loadAnalysisPupils(
  db: Db,
  organisationId: number,
  schoolLaestab: string,
  academicYear: number,
): Promise<AnalysisPupil[]> {
  // Names, UPNs and dates of birth are not selected: the analysis needs none of them.
  const years = await db
    .selectFrom('pupil_years')
    .select([
      'pupil_id',
      'sex',
      'nc_year',
      'ethnicity',
      'first_language',
      'eal',
      'sen_provision',
      'in_care',
      'previously_looked_after',
      'service_child',
      'fsm_now_reported',
      'ever6_fsm_reported',
      'pupil_premium_reported',
    ])
    .where('organisation_id', '=', organisationId)
    .where('academic_year', '=', academicYear)
    .orderBy('pupil_id')
    .execute();
  const fsm = await db
    .selectFrom('fsm_periods')
    .select(['pupil_id', 'start_date', 'end_date'])
    .where('organisation_id', '=', organisationId)
    .execute();
  const attendance = await db
    .selectFrom('attendance')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .where('academic_year', '=', academicYear)
    .where('school_laestab', '=', schoolLaestab)
    .execute();
  const exclusions = await db
    .selectFrom('exclusions')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .where('academic_year', '=', academicYear)
    .execute();
  // The key is built in SQL, as `assessmentKey` builds it, because handing over one column
  // instead of five is most of the cost of loading a school's results.
  const results = await db
    .selectFrom('assessment_results')
    .select([
      'pupil_id',
      sql<string>`stage || '/' || subject || '/' || component || '/' || method || '/' || qualifier`.as(
        'key',
      ),
      'result',
      'result_date',
      'year',
    ])
    .where('organisation_id', '=', organisationId)
    .execute();

  const pupils = new Map<number, AnalysisPupil>();
  for (const row of years) {
    pupils.set(row.pupil_id, {
      pupilId: row.pupil_id,
      sex: row.sex as Sex | null,
      ncYear: row.nc_year,
      ethnicity: row.ethnicity,
      firstLanguage: row.first_language,
      eal: toBoolean(row.eal),
      senProvision: row.sen_provision as SenProvision | null,
      inCare: toBoolean(row.in_care),
      previouslyLookedAfter: toBoolean(row.previously_looked_after),
      serviceChild: toBoolean(row.service_child),
      reported: {
        fsmNow: toBoolean(row.fsm_now_reported),
        ever6Fsm: toBoolean(row.ever6_fsm_reported),
        pupilPremium: toBoolean(row.pupil_premium_reported),
      },
      fsmPeriods: [],
      attendance: [],
      exclusions: [],
      results: [],
    });
  }

  for (const row of fsm)
    pupils.get(row.pupil_id)?.fsmPeriods.push({ start: row.start_date, end: row.end_date });
  for (const row of attendance) {
    pupils.get(row.pupil_id)?.attendance.push({
      academicYear: row.academic_year,
      period: row.period as AttendancePeriod,
      schoolLaestab: row.school_laestab,
      possible: row.sessions_possible,
      attended: row.sessions_attended,
      authorised: row.sessions_authorised,
      unauthorised: row.sessions_unauthorised,
    });
  }
  for (const row of exclusions) {
    pupils.get(row.pupil_id)?.exclusions.push({
      academicYear: row.academic_year,
      kind: row.kind as ExclusionKind,
      startDate: row.start_date,
      sessionsLost: row.sessions_lost,
      reason: row.reason,
    });
  }
  for (const row of results) {
    pupils.get(row.pupil_id)?.results.push({
      key: row.key,
      result: row.result,
      resultDate: row.result_date === '' ? null : row.result_date,
      year: row.year,
    });
  }

  return [...pupils.values()];
}

function toBoolean(value: number | null): boolean | null {
  return value === null ? null : value === 1;
}
