/**
 * Joins the rows of one pupil in files that list a pupil more than once on purpose: a file of
 * exclusions (one row per event) or a pupil file with a term column (one row per term).
 */
import type { AttendanceRecord, ExclusionRecord, ImportedPupil } from '../model.js';
import type { ProblemList } from '../validate-pupils.js';

/** Characteristics that must agree between the rows of one pupil in a file with a term column. */
const CHARACTERISTICS: readonly (keyof ImportedPupil)[] = [
  'legalSurname',
  'legalForename',
  'preferredSurname',
  'preferredForename',
  'dateOfBirth',
  'sex',
  'ncYear',
  'ethnicity',
  'firstLanguage',
  'eal',
  'senProvision',
  'inCare',
  'previouslyLookedAfter',
  'serviceChild',
];

/** Names of the characteristics compared in an exclusions file, where only names appear. */
const EXCLUSION_FILE_NAMES: readonly (keyof ImportedPupil)[] = ['legalSurname', 'legalForename'];

export interface MergeOptions {
  /** 'terms' compares every characteristic; 'exclusions' compares only the names a row gives. */
  mode: 'terms' | 'exclusions';
  /** Header of the UPN column, for messages. */
  upnHeader: string;
  /** Returns the header of the column that fills a field, for messages. */
  headerOf: (field: string) => string;
}

/**
 * Joins rows with the same UPN into one pupil, in first-row order. Reports an error naming both
 * rows when two rows disagree about a characteristic, give the same term twice, or give the same
 * exclusion (kind and start date) twice. Rows without a UPN are kept apart for validation to report.
 */
export function mergeRowsByUpn(
  rows: ImportedPupil[],
  problems: ProblemList,
  options: MergeOptions,
): ImportedPupil[] {
  const merged: ImportedPupil[] = [];
  const byUpn = new Map<string, { pupil: ImportedPupil; rows: string[] }>();
  const recordRows = new Map<AttendanceRecord | ExclusionRecord, string>();

  for (const row of rows) {
    for (const record of [...row.attendance, ...row.exclusions]) {
      recordRows.set(record, row.location);
    }
    const existing = row.upn === '' ? undefined : byUpn.get(row.upn);
    if (existing === undefined) {
      const pupil: ImportedPupil = {
        ...row,
        attendance: [...row.attendance],
        exclusions: [...row.exclusions],
      };
      merged.push(pupil);
      if (row.upn !== '') {
        byUpn.set(row.upn, { pupil, rows: [row.location] });
      }
      continue;
    }
    compareCharacteristics(existing.pupil, row, existing.rows[0] ?? '', problems, options);
    addAttendance(existing.pupil, row, recordRows, problems, options);
    addExclusions(existing.pupil, row, recordRows, problems, options);
    existing.rows.push(row.location);
    existing.pupil.location = describeRows(existing.rows);
  }
  return merged;
}

function compareCharacteristics(
  pupil: ImportedPupil,
  row: ImportedPupil,
  firstRow: string,
  problems: ProblemList,
  options: MergeOptions,
): void {
  const fields = options.mode === 'terms' ? CHARACTERISTICS : EXCLUSION_FILE_NAMES;
  for (const field of fields) {
    const first = pupil[field];
    const later = row[field];
    if (options.mode === 'exclusions' && (first === '' || later === '')) {
      if (first === '') {
        Object.assign(pupil, { [field]: later });
      }
      continue;
    }
    if (first !== later) {
      reportDisagreement(row, options.headerOf(field), first, later, firstRow, problems);
    }
  }
  if (options.mode === 'terms') {
    for (const flag of ['fsmNow', 'ever6Fsm', 'pupilPremium'] as const) {
      if (pupil.reported[flag] !== row.reported[flag]) {
        reportDisagreement(
          row,
          options.headerOf(flag),
          pupil.reported[flag],
          row.reported[flag],
          firstRow,
          problems,
        );
      }
    }
  }
}

function reportDisagreement(
  row: ImportedPupil,
  header: string,
  first: unknown,
  later: unknown,
  firstRow: string,
  problems: ProblemList,
): void {
  const show = (value: unknown): string => (value === null ? 'empty' : `"${String(value)}"`);
  problems.error(
    { location: row.location, field: header, value: later === null ? null : String(later) },
    `UPN ${row.upn} has ${header} ${show(first)} at ${firstRow} but ${show(later)} at ${row.location}. Rows for one pupil must agree; correct one of them.`,
  );
}

function addAttendance(
  pupil: ImportedPupil,
  row: ImportedPupil,
  recordRows: Map<AttendanceRecord | ExclusionRecord, string>,
  problems: ProblemList,
  options: MergeOptions,
): void {
  for (const record of row.attendance) {
    const clash = pupil.attendance.find(
      (held) => held.academicYear === record.academicYear && held.period === record.period,
    );
    if (clash !== undefined) {
      const span = record.period === 'year' ? 'the whole year' : `the ${record.period} term`;
      problems.error(
        { location: row.location, field: options.upnHeader, value: row.upn },
        `UPN ${row.upn} has attendance for ${span} at ${recordRows.get(clash) ?? 'an earlier row'} and again at ${row.location}. Keep one row per pupil per term.`,
      );
      continue;
    }
    pupil.attendance.push(record);
  }
}

function addExclusions(
  pupil: ImportedPupil,
  row: ImportedPupil,
  recordRows: Map<AttendanceRecord | ExclusionRecord, string>,
  problems: ProblemList,
  options: MergeOptions,
): void {
  for (const record of row.exclusions) {
    const clash = pupil.exclusions.find(
      (held) => held.kind === record.kind && held.startDate === record.startDate,
    );
    if (clash !== undefined) {
      problems.error(
        { location: row.location, field: options.upnHeader, value: row.upn },
        `UPN ${row.upn} has a ${record.kind} starting ${record.startDate} at ${recordRows.get(clash) ?? 'an earlier row'} and again at ${row.location}. Remove the repeated row or correct its date.`,
      );
      continue;
    }
    pupil.exclusions.push(record);
  }
}

/** Describes row locations for messages: `rows 2 and 5`, or `rows 2, 5 and 9`. */
function describeRows(locations: string[]): string {
  const numbers = locations.map((location) => location.replace(/^row /, ''));
  const last = numbers[numbers.length - 1] ?? '';
  return `rows ${numbers.slice(0, -1).join(', ')} and ${last}`;
}
