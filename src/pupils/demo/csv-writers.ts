/**
 * CSV exports of a synthetic school in the layouts the tabular importer recognises: a list of
 * suspensions and permanent exclusions, and pupil records with one attendance row per term.
 * Dates are written day first (dd/mm/yyyy), as school systems in England export them.
 */
import { toCsv, type CsvCell } from '../../exports/csv.js';
import type { SyntheticPupil, SyntheticSchool } from './generate-school.js';

export const EXCLUSION_HEADERS = [
  'UPN',
  'Surname',
  'Forename',
  'Category',
  'Start date',
  'Sessions lost',
  'Reason',
] as const;

/**
 * Writes one row per suspension or permanent exclusion. A permanent exclusion has no sessions
 * lost, because the pupil leaves the school.
 */
export function writeExclusionsCsv(school: SyntheticSchool): string {
  const rows: CsvCell[][] = [[...EXCLUSION_HEADERS]];
  for (const pupil of school.pupils) {
    for (const exclusion of pupil.exclusions) {
      rows.push([
        pupil.upn,
        pupil.legalSurname,
        pupil.legalForename,
        exclusion.kind === 'permanent' ? 'Permanent' : 'Suspension',
        ukDate(exclusion.startDate),
        exclusion.sessionsLost,
        exclusion.reason,
      ]);
    }
  }
  return toCsv(rows);
}

/**
 * Pupil records with attendance, one row per pupil and term. Every row repeats the pupil's
 * characteristics exactly as the school's CTF states them, so that importing this file after
 * the CTF adds the term figures and changes nothing else. A school whose attendance was
 * generated for the whole year gets one row per pupil with the term `Year`.
 */
export const ATTENDANCE_HEADERS = [
  'UPN',
  'Legal Surname',
  'Legal Forename',
  'Preferred Forename',
  'Date of Birth',
  'Sex',
  'NC Year',
  'Ethnicity',
  'First Language',
  'SEN Provision',
  'In Care',
  'Term',
  'Possible Sessions',
  'Attended',
  'Authorised Absence',
  'Unauthorised Absence',
] as const;

export function writeTermlyAttendanceCsv(school: SyntheticSchool): string {
  const rows: CsvCell[][] = [[...ATTENDANCE_HEADERS]];
  for (const pupil of school.pupils) {
    for (const record of pupil.attendance) {
      rows.push([
        ...characteristicCells(pupil),
        record.period === 'year' ? 'Year' : capitalise(record.period),
        record.possible,
        record.attended,
        record.authorised,
        record.unauthorised,
      ]);
    }
  }
  return toCsv(rows);
}

function characteristicCells(pupil: SyntheticPupil): CsvCell[] {
  return [
    pupil.upn,
    pupil.legalSurname,
    pupil.legalForename,
    pupil.preferredForename,
    pupil.dateOfBirth === null ? null : ukDate(pupil.dateOfBirth),
    pupil.sex,
    pupil.ncYear,
    pupil.ethnicity,
    pupil.firstLanguage,
    pupil.senProvision === 'N' ? null : pupil.senProvision,
    pupil.inCare === true ? 'Yes' : 'No',
  ];
}

function ukDate(iso: string): string {
  return `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;
}

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
