/**
 * Turns one row of a pupil file (a CSV or XLSX export of pupil records) into an `ImportedPupil`,
 * including one attendance record when the row has session counts.
 */
import type { AttendancePeriod, AttendanceRecord, ImportedPupil } from '../model.js';
import { checkUpn } from '../upn.js';
import {
  normaliseKey,
  readEthnicity,
  readLanguage,
  readNcYear,
  readSenProvision,
  readSex,
  type ProblemList,
  type Reading,
} from '../validate-pupils.js';
import { PUPIL_FIELD_LABELS, type ResolvedColumns } from './columns.js';
import type { RowReader } from './row-reader.js';

type CountField =
  'sessionsPossible' | 'sessionsAttended' | 'sessionsAuthorised' | 'sessionsUnauthorised';

const COUNT_FIELDS: readonly CountField[] = [
  'sessionsPossible',
  'sessionsAttended',
  'sessionsAuthorised',
  'sessionsUnauthorised',
];

/** Reading plan for a file's attendance columns: none, all four counts, or three with the fourth worked out. */
export interface AttendanceColumns {
  read: boolean;
  /** The count no column gives, worked out from the other three; null when all four are mapped. */
  derived: CountField | null;
}

/** Largest gap, in percentage points, between a file's attendance percentage and its counts that rounding explains. */
const PERCENT_TOLERANCE = 0.5;

/**
 * Decides how to read attendance from the mapped columns, and warns once about the whole file
 * when some counts are missing: with three of the four, the fourth is worked out from the
 * identity possible = attended + authorised + unauthorised; with fewer, attendance is not read.
 */
export function planAttendanceColumns(
  columns: ResolvedColumns,
  problems: ProblemList,
): AttendanceColumns {
  const mapped = COUNT_FIELDS.filter((field) => columns.columnOfField.has(field));
  const unmapped = COUNT_FIELDS.filter((field) => !columns.columnOfField.has(field));
  const place = { location: 'whole file', field: null, value: null };

  if (mapped.length === COUNT_FIELDS.length) {
    return { read: true, derived: null };
  }
  if (mapped.length === COUNT_FIELDS.length - 1) {
    const derived = unmapped[0] ?? null;
    if (derived !== null) {
      problems.warning(
        place,
        `No column gives ${PUPIL_FIELD_LABELS[derived].toLowerCase()}, so it is worked out as sessions possible = attended + authorised absence + unauthorised absence. Map a column to it if the file has one.`,
      );
    }
    return { read: true, derived };
  }
  if (mapped.length > 0) {
    const names = unmapped.map((field) => PUPIL_FIELD_LABELS[field].toLowerCase()).join(', ');
    problems.warning(
      place,
      `Attendance was not imported because no columns give ${names}. Map at least three of the four session counts.`,
    );
  } else if (columns.columnOfField.has('attendancePercent')) {
    problems.warning(
      place,
      'Attendance was not imported because the file gives only a percentage. Export possible sessions, sessions attended, authorised absence and unauthorised absence instead.',
    );
  }
  return { read: false, derived: null };
}

/** Reads a pupil row. Values that cannot be read are recorded as problems and left empty. */
export function readPupilRow(
  reader: RowReader,
  academicYear: number,
  attendanceColumns: AttendanceColumns,
): ImportedPupil {
  const upn = reader.text('upn') ?? '';
  const attendance = attendanceColumns.read
    ? readAttendance(reader, academicYear, attendanceColumns.derived)
    : null;
  return {
    upn,
    upnTemporary: checkUpn(upn).temporary,
    legalSurname: reader.text('legalSurname') ?? '',
    legalForename: reader.text('legalForename') ?? '',
    preferredSurname: reader.text('preferredSurname'),
    preferredForename: reader.text('preferredForename'),
    dateOfBirth: reader.date('dateOfBirth'),
    sex: reader.read('sex', readSex),
    ncYear: reader.read('ncYear', readNcYear),
    ethnicity: reader.read('ethnicity', readEthnicity),
    firstLanguage: reader.read('firstLanguage', readLanguage),
    eal: reader.flag('eal'),
    senProvision: reader.read('senProvision', readSenProvision),
    inCare: reader.flag('inCare'),
    previouslyLookedAfter: reader.flag('previouslyLookedAfter'),
    serviceChild: reader.flag('serviceChild'),
    fsmPeriods: [],
    reported: {
      fsmNow: reader.flag('fsmNow'),
      ever6Fsm: reader.flag('ever6Fsm'),
      pupilPremium: reader.flag('pupilPremium'),
    },
    attendance: attendance === null ? [] : [attendance],
    exclusions: [],
    results: [],
    location: reader.location,
  };
}

/**
 * Reads the session counts of a row. A row with every count empty has no attendance. A row
 * with some counts empty, or any count unreadable, gets an error and no attendance record.
 */
function readAttendance(
  reader: RowReader,
  academicYear: number,
  derived: CountField | null,
): AttendanceRecord | null {
  const given = COUNT_FIELDS.filter((field) => field !== derived);
  const empty = given.filter((field) => reader.text(field) === null);
  if (empty.length === given.length) {
    return null;
  }
  for (const field of empty) {
    reader.error(
      field,
      '',
      'This count is empty, but the row has other attendance figures. Enter the number of sessions (0 if none).',
    );
  }

  const counts = new Map<CountField, number>();
  for (const field of given) {
    const count = empty.includes(field) ? null : reader.wholeNumber(field);
    if (count !== null) {
      counts.set(field, count);
    }
  }
  if (counts.size !== given.length) {
    return null;
  }
  if (derived !== null) {
    counts.set(derived, deriveCount(derived, counts));
  }

  const record: AttendanceRecord = {
    academicYear,
    period: readPeriod(reader),
    schoolLaestab: null,
    possible: counts.get('sessionsPossible') ?? 0,
    attended: counts.get('sessionsAttended') ?? 0,
    authorised: counts.get('sessionsAuthorised') ?? 0,
    unauthorised: counts.get('sessionsUnauthorised') ?? 0,
  };
  checkPercentage(reader, record);
  return record;
}

function deriveCount(field: CountField, counts: Map<CountField, number>): number {
  const get = (name: CountField): number => counts.get(name) ?? 0;
  if (field === 'sessionsPossible') {
    return get('sessionsAttended') + get('sessionsAuthorised') + get('sessionsUnauthorised');
  }
  const others = COUNT_FIELDS.filter((name) => name !== field && name !== 'sessionsPossible');
  return get('sessionsPossible') - others.reduce((total, name) => total + get(name), 0);
}

const TERM_WORDS: Record<string, AttendancePeriod> = {
  autumn: 'autumn',
  aut: 'autumn',
  autumnterm: 'autumn',
  spring: 'spring',
  spr: 'spring',
  springterm: 'spring',
  summer: 'summer',
  sum: 'summer',
  summerterm: 'summer',
  year: 'year',
  wholeyear: 'year',
  fullyear: 'year',
  academicyear: 'year',
};

export function readTerm(text: string): Reading<AttendancePeriod> {
  const period = TERM_WORDS[normaliseKey(text)];
  if (period === undefined) {
    return {
      ok: false,
      message: `"${text}" is not a term. Use Autumn, Spring or Summer, or Year for the whole academic year.`,
    };
  }
  return { ok: true, value: period };
}

/** Reads the row's term, or 'year' when the file has no term column. */
function readPeriod(reader: RowReader): AttendancePeriod {
  if (!reader.has('term')) {
    return 'year';
  }
  if (reader.text('term') === null) {
    reader.warning(
      'term',
      '',
      'The term is empty, so these attendance figures are read as the whole academic year. Enter Autumn, Spring or Summer if they cover one term.',
    );
    return 'year';
  }
  return reader.read('term', readTerm) ?? 'year';
}

/**
 * Compares an attendance percentage column with the counts on the same row and warns when
 * they disagree by more than rounding explains. The percentage may be written 95.2, 95.2% or,
 * from a percentage-formatted spreadsheet cell, 0.952.
 */
function checkPercentage(reader: RowReader, record: AttendanceRecord): void {
  const text = reader.text('attendancePercent');
  if (text === null || record.possible <= 0) {
    return;
  }
  const percent = Number(text.replace(/%$/, '').trim());
  if (!Number.isFinite(percent)) {
    reader.warning(
      'attendancePercent',
      text,
      `"${text}" is not a percentage, so it was not compared with the session counts. Enter it as a number such as 95.2.`,
    );
    return;
  }
  const fromCounts = (100 * record.attended) / record.possible;
  const matches =
    Math.abs(percent - fromCounts) <= PERCENT_TOLERANCE ||
    (percent <= 1 && Math.abs(100 * percent - fromCounts) <= PERCENT_TOLERANCE);
  if (!matches) {
    reader.warning(
      'attendancePercent',
      text,
      `${text} does not match the session counts, which give ${fromCounts.toFixed(1)}% (${record.attended} attended of ${record.possible} possible). The counts are imported; check which figure is right.`,
    );
  }
}
