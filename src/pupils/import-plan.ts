import type { Selectable } from 'kysely';
import type { PupilYearTable } from '../platform/db/schema.js';
import type {
  AssessmentResult,
  AttendanceRecord,
  ExclusionRecord,
  FsmPeriod,
  ImportedPupil,
} from './model.js';

/**
 * Works out what committing an import would change, without touching the database, so that
 * the preview and the commit agree exactly. Nothing already stored is deleted: a record the
 * file no longer mentions stays, and a value the file changes is kept as a change record.
 */

/** The characteristics stored per pupil per academic year, keyed by column name. */
export type YearColumns = Omit<
  Selectable<PupilYearTable>,
  'id' | 'organisation_id' | 'pupil_id' | 'academic_year' | 'last_import_id' | 'updated_at'
>;

/**
 * The source field behind each stored column, named as the importers name the fields they
 * read (see `ParsedImport.providedFields`), with the label users see in the preview.
 */
const YEAR_COLUMN_SOURCES: Readonly<Record<keyof YearColumns, { field: string; label: string }>> = {
  upn_temporary: { field: 'upn', label: 'Temporary UPN' },
  legal_surname: { field: 'legalSurname', label: 'Legal surname' },
  legal_forename: { field: 'legalForename', label: 'Legal forename' },
  preferred_surname: { field: 'preferredSurname', label: 'Preferred surname' },
  preferred_forename: { field: 'preferredForename', label: 'Preferred forename' },
  date_of_birth: { field: 'dateOfBirth', label: 'Date of birth' },
  sex: { field: 'sex', label: 'Sex' },
  nc_year: { field: 'ncYear', label: 'National curriculum year' },
  ethnicity: { field: 'ethnicity', label: 'Ethnicity' },
  first_language: { field: 'firstLanguage', label: 'First language' },
  eal: { field: 'eal', label: 'English as an additional language' },
  sen_provision: { field: 'senProvision', label: 'SEN provision' },
  in_care: { field: 'inCare', label: 'Looked after (in care)' },
  previously_looked_after: { field: 'previouslyLookedAfter', label: 'Previously looked after' },
  service_child: { field: 'serviceChild', label: 'Service child' },
  fsm_now_reported: { field: 'fsmNow', label: 'Free school meals now (as reported)' },
  ever6_fsm_reported: { field: 'ever6Fsm', label: 'Ever-6 FSM (as reported)' },
  pupil_premium_reported: { field: 'pupilPremium', label: 'Pupil Premium (as reported)' },
};

/** Columns that hold yes or no as 1 or 0, shown to users as Yes and No. */
const FLAG_COLUMNS: ReadonlySet<keyof YearColumns> = new Set([
  'upn_temporary',
  'eal',
  'in_care',
  'previously_looked_after',
  'service_child',
  'fsm_now_reported',
  'ever6_fsm_reported',
  'pupil_premium_reported',
]);

export interface StoredAttendance {
  id: number;
  possible: number;
  attended: number;
  authorised: number;
  unauthorised: number;
}

export interface StoredExclusion {
  id: number;
  sessionsLost: number | null;
  reason: string | null;
  academicYear: number;
}

export interface StoredResult {
  id: number;
  result: string;
  year: number | null;
}

/** Records the database contains for one school, indexed for comparison with an import. */
export interface StoredState {
  pupilIdsByUpn: Map<string, number>;
  /** Characteristics in the import's academic year, by pupil id. */
  yearRows: Map<number, { id: number } & YearColumns>;
  /** FSM period end dates by pupil id, then start date. */
  fsmPeriods: Map<number, Map<string, { id: number; end: string | null }>>;
  attendance: Map<string, StoredAttendance>;
  exclusions: Map<string, StoredExclusion>;
  results: Map<string, StoredResult>;
}

export interface FieldChange {
  field: string;
  oldValue: string | null;
  newValue: string | null;
}

export interface PupilPlan {
  pupil: ImportedPupil;
  /** Null for a pupil the school has not had before. */
  pupilId: number | null;
  status: 'new' | 'changed' | 'unchanged';
  year: YearColumns;
  /** Null when the year row is new; otherwise the row to update (which may have no changes). */
  yearRowId: number | null;
  changes: FieldChange[];
  newFsmPeriods: FsmPeriod[];
  endedFsmPeriods: Array<{ id: number; end: string | null }>;
  newAttendance: AttendanceRecord[];
  updatedAttendance: Array<{ id: number; record: AttendanceRecord }>;
  newExclusions: ExclusionRecord[];
  updatedExclusions: Array<{ id: number; record: ExclusionRecord }>;
  newResults: AssessmentResult[];
  updatedResults: Array<{ id: number; record: AssessmentResult }>;
}

export interface ImportPlan {
  pupils: PupilPlan[];
  counts: {
    pupils: number;
    newPupils: number;
    changedPupils: number;
    unchangedPupils: number;
    attendanceRecords: number;
    exclusions: number;
    results: number;
  };
}

/**
 * Compares the pupils of one file with what is stored. `schoolLaestab` fills in attendance
 * whose source did not name a school, since such figures are the importing school's own.
 * `characteristicsIncluded` is false for files that carry only events (an exclusions list):
 * their pupils must already exist, and their characteristics are left as they are.
 */
export function planImport(
  stored: StoredState,
  pupils: ImportedPupil[],
  schoolLaestab: string,
  characteristicsIncluded = true,
  providedFields?: readonly string[],
): ImportPlan {
  const provided = providedFields ? new Set(providedFields) : null;
  const plans = pupils.map((pupil) =>
    planPupil(stored, pupil, schoolLaestab, characteristicsIncluded, provided),
  );

  return {
    pupils: plans,
    counts: {
      pupils: plans.length,
      newPupils: plans.filter((plan) => plan.status === 'new').length,
      changedPupils: plans.filter((plan) => plan.status === 'changed').length,
      unchangedPupils: plans.filter((plan) => plan.status === 'unchanged').length,
      attendanceRecords: sum(plans.map((plan) => plan.pupil.attendance.length)),
      exclusions: sum(plans.map((plan) => plan.pupil.exclusions.length)),
      results: sum(plans.map((plan) => plan.pupil.results.length)),
    },
  };
}

function planPupil(
  stored: StoredState,
  pupil: ImportedPupil,
  schoolLaestab: string,
  characteristicsIncluded: boolean,
  provided: ReadonlySet<string> | null,
): PupilPlan {
  const pupilId = stored.pupilIdsByUpn.get(pupil.upn) ?? null;
  const existingYear = pupilId === null ? undefined : stored.yearRows.get(pupilId);
  const year = keepUnprovided(toYearColumns(pupil), existingYear, provided);
  const plan: PupilPlan = {
    pupil,
    pupilId,
    status: 'unchanged',
    year,
    yearRowId: existingYear?.id ?? null,
    changes: [],
    newFsmPeriods: [],
    endedFsmPeriods: [],
    newAttendance: [],
    updatedAttendance: [],
    newExclusions: [],
    updatedExclusions: [],
    newResults: [],
    updatedResults: [],
  };

  if (existingYear && characteristicsIncluded)
    plan.changes.push(...compareYearColumns(existingYear, year));
  planFsmPeriods(plan, pupilId === null ? undefined : stored.fsmPeriods.get(pupilId));
  planAttendance(plan, stored, schoolLaestab);
  planExclusions(plan, stored);
  planResults(plan, stored);

  const addsRecords =
    plan.newFsmPeriods.length +
      plan.newAttendance.length +
      plan.newExclusions.length +
      plan.newResults.length >
    0;
  if (pupilId === null) plan.status = 'new';
  else if (plan.changes.length > 0 || addsRecords || (characteristicsIncluded && !existingYear))
    plan.status = 'changed';
  return plan;
}

/** Maps an imported pupil to the stored year columns, with booleans as 0 or 1. */
export function toYearColumns(pupil: ImportedPupil): YearColumns {
  return {
    upn_temporary: pupil.upnTemporary ? 1 : 0,
    legal_surname: pupil.legalSurname,
    legal_forename: pupil.legalForename,
    preferred_surname: pupil.preferredSurname,
    preferred_forename: pupil.preferredForename,
    date_of_birth: pupil.dateOfBirth,
    sex: pupil.sex,
    nc_year: pupil.ncYear,
    ethnicity: pupil.ethnicity,
    first_language: pupil.firstLanguage,
    eal: toFlag(pupil.eal),
    sen_provision: pupil.senProvision,
    in_care: toFlag(pupil.inCare),
    previously_looked_after: toFlag(pupil.previouslyLookedAfter),
    service_child: toFlag(pupil.serviceChild),
    fsm_now_reported: toFlag(pupil.reported.fsmNow),
    ever6_fsm_reported: toFlag(pupil.reported.ever6Fsm),
    pupil_premium_reported: toFlag(pupil.reported.pupilPremium),
  };
}

// A file without a column for a field gives no value for it, so the stored value stays.
function keepUnprovided(
  incoming: YearColumns,
  existing: YearColumns | undefined,
  provided: ReadonlySet<string> | null,
): YearColumns {
  if (!existing || provided === null) return incoming;
  const merged = { ...incoming };
  for (const column of Object.keys(YEAR_COLUMN_SOURCES) as Array<keyof YearColumns>) {
    if (!provided.has(YEAR_COLUMN_SOURCES[column].field)) {
      (merged as Record<string, unknown>)[column] = existing[column];
    }
  }
  return merged;
}

function compareYearColumns(existing: YearColumns, incoming: YearColumns): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const column of Object.keys(YEAR_COLUMN_SOURCES) as Array<keyof YearColumns>) {
    if (existing[column] !== incoming[column]) {
      changes.push({
        field: YEAR_COLUMN_SOURCES[column].label,
        oldValue: displayValue(column, existing[column]),
        newValue: displayValue(column, incoming[column]),
      });
    }
  }
  return changes;
}

function displayValue(column: keyof YearColumns, value: string | number | null): string | null {
  if (value === null) return null;
  if (FLAG_COLUMNS.has(column)) return value === 1 ? 'Yes' : 'No';
  return String(value);
}

function planFsmPeriods(
  plan: PupilPlan,
  stored: Map<string, { id: number; end: string | null }> | undefined,
): void {
  for (const period of plan.pupil.fsmPeriods) {
    const existing = stored?.get(period.start);
    if (!existing) {
      plan.newFsmPeriods.push(period);
    } else if (existing.end !== period.end) {
      plan.endedFsmPeriods.push({ id: existing.id, end: period.end });
      plan.changes.push({
        field: `FSM period from ${period.start}: end date`,
        oldValue: existing.end,
        newValue: period.end,
      });
    }
  }
}

function planAttendance(plan: PupilPlan, stored: StoredState, schoolLaestab: string): void {
  for (const incoming of plan.pupil.attendance) {
    const record = { ...incoming, schoolLaestab: incoming.schoolLaestab ?? schoolLaestab };
    const existing =
      plan.pupilId === null
        ? undefined
        : stored.attendance.get(attendanceKey(plan.pupilId, record));
    if (!existing) {
      plan.newAttendance.push(record);
      continue;
    }
    const label = `attendance ${record.academicYear} ${record.period} at ${record.schoolLaestab}`;
    const fieldChanges = (
      [
        ['sessions possible', existing.possible, record.possible],
        ['sessions attended', existing.attended, record.attended],
        ['sessions authorised', existing.authorised, record.authorised],
        ['sessions unauthorised', existing.unauthorised, record.unauthorised],
      ] as const
    )
      .filter(([, before, after]) => before !== after)
      .map(([name, before, after]) => ({
        field: `${label}: ${name}`,
        oldValue: String(before),
        newValue: String(after),
      }));
    if (fieldChanges.length > 0) {
      plan.updatedAttendance.push({ id: existing.id, record });
      plan.changes.push(...fieldChanges);
    }
  }
}

function planExclusions(plan: PupilPlan, stored: StoredState): void {
  for (const record of plan.pupil.exclusions) {
    const existing =
      plan.pupilId === null ? undefined : stored.exclusions.get(exclusionKey(plan.pupilId, record));
    if (!existing) {
      plan.newExclusions.push(record);
      continue;
    }
    const label = `${record.kind} from ${record.startDate}`;
    const before = [existing.sessionsLost, existing.reason, existing.academicYear];
    const after = [record.sessionsLost, record.reason, record.academicYear];
    if (before.some((value, index) => value !== after[index])) {
      plan.updatedExclusions.push({ id: existing.id, record });
      plan.changes.push({
        field: `${label}: sessions lost, reason and year`,
        oldValue: before.map(asText).join(' / '),
        newValue: after.map(asText).join(' / '),
      });
    }
  }
}

function planResults(plan: PupilPlan, stored: StoredState): void {
  for (const record of plan.pupil.results) {
    const existing =
      plan.pupilId === null ? undefined : stored.results.get(resultKey(plan.pupilId, record));
    if (!existing) {
      plan.newResults.push(record);
      continue;
    }
    if (existing.result !== record.result || existing.year !== record.year) {
      plan.updatedResults.push({ id: existing.id, record });
      plan.changes.push({
        field: `${describeAssessment(record)} result`,
        oldValue: existing.result,
        newValue: record.result,
      });
    }
  }
}

export function attendanceKey(
  pupilId: number,
  record: { academicYear: number; period: string; schoolLaestab: string | null },
): string {
  return [pupilId, record.academicYear, record.period, record.schoolLaestab ?? ''].join('|');
}

export function exclusionKey(pupilId: number, record: { kind: string; startDate: string }): string {
  return [pupilId, record.kind, record.startDate].join('|');
}

export function resultKey(pupilId: number, record: AssessmentResult): string {
  return [
    pupilId,
    record.stage,
    record.subject,
    record.component ?? '',
    record.method ?? '',
    record.qualifier ?? '',
    record.resultDate ?? '',
  ].join('|');
}

function describeAssessment(record: AssessmentResult): string {
  return [record.stage, record.subject, record.component, record.resultDate]
    .filter(Boolean)
    .join(' ');
}

function toFlag(value: boolean | null): number | null {
  if (value === null) return null;
  return value ? 1 : 0;
}

function asText(value: string | number | null): string | null {
  return value === null ? null : String(value);
}

function sum(values: number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
