/**
 * Checks shared by every import format: reading coded values (sex, SEN provision, national
 * curriculum year, flags, ethnicity, language, session counts) the same way for CTF, CSV and
 * XLSX, and checking whole pupil records once a file has been read.
 */
import type { ImportedPupil, ImportProblem, ProblemSeverity, SenProvision, Sex } from './model.js';
import { formatAcademicYear } from './tabular/uk-date.js';
import { checkUpn } from './upn.js';

/** Position of a problem in the file: a row or element, the column or element name, and the value there. */
export interface ProblemPlace {
  location: string;
  field: string | null;
  value: string | null;
}

/**
 * Returns where a problem is, as each message starts: the file, location and field that are
 * given, joined by commas, for example `pupils.csv, row 4, DOB`.
 */
export function describeProblemPlace(problem: {
  file: string;
  location: string;
  field: string | null;
}): string {
  return [problem.file, problem.location, problem.field]
    .filter((part) => part !== null && part !== '')
    .join(', ');
}

/**
 * Problems found in one file. Each message starts with the file, location and field, so it
 * reads on its own in a list, a log or a download. The `detail` passed in must name the value
 * and the fix.
 */
export class ProblemList {
  readonly items: ImportProblem[] = [];

  constructor(readonly file: string) {}

  error(place: ProblemPlace, detail: string): void {
    this.add('error', place, detail);
  }

  warning(place: ProblemPlace, detail: string): void {
    this.add('warning', place, detail);
  }

  private add(severity: ProblemSeverity, place: ProblemPlace, detail: string): void {
    const where = describeProblemPlace({ file: this.file, ...place });
    this.items.push({ severity, file: this.file, ...place, message: `${where}: ${detail}` });
  }
}

/**
 * Formats a file size for messages: megabytes (1 MB = 1,048,576 bytes) with at most one decimal
 * place, or kilobytes or bytes below 1 MB.
 */
export function formatFileSize(bytes: number): string {
  const kilobyte = 1024;
  const megabyte = kilobyte * kilobyte;
  if (bytes >= megabyte) {
    const megabytes = Math.round((10 * bytes) / megabyte) / 10;
    return `${megabytes} MB`;
  }
  return bytes >= kilobyte ? `${Math.round(bytes / kilobyte)} KB` : `${bytes} bytes`;
}

/** Result of reading one value: the value, or a message that names the value and gives the fix. */
export type Reading<T> = { ok: true; value: T; warning?: string } | { ok: false; message: string };

function accept<T>(value: T, warning?: string): Reading<T> {
  return warning === undefined ? { ok: true, value } : { ok: true, value, warning };
}

function reject<T>(message: string): Reading<T> {
  return { ok: false, message };
}

/** Lower-cases and removes everything but letters and digits, so "Year 7" and "year-7" compare equal. */
export function normaliseKey(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]/g, '');
}

const SEX_WORDS: Record<string, Sex> = { m: 'M', male: 'M', f: 'F', female: 'F' };

/** Reads sex as the DfE codes it (M or F), also accepting the words Male and Female. */
export function readSex(text: string): Reading<Sex> {
  const sex = SEX_WORDS[normaliseKey(text)];
  if (sex === undefined) {
    return reject(
      `"${text}" is not a recognised sex. Use M or F (Male or Female), as the DfE school census records it.`,
    );
  }
  return accept(sex);
}

const SEN_WORDS: Record<string, SenProvision> = {
  n: 'N',
  no: 'N',
  none: 'N',
  nosen: 'N',
  nospecialeducationalneeds: 'N',
  k: 'K',
  support: 'K',
  sensupport: 'K',
  e: 'E',
  ehc: 'E',
  ehcp: 'E',
  ehcplan: 'E',
  educationhealthandcareplan: 'E',
};

/** Codes used before the 2014 SEND reforms, with what replaced them, for a helpful message. */
const RETIRED_SEN_CODES: Record<string, string> = {
  a: 'School Action (A) was replaced by SEN support (K) in 2014',
  p: 'School Action Plus (P) was replaced by SEN support (K) in 2014',
  s: 'statements (S) were replaced by EHC plans (E) by April 2018',
  statement: 'statements (S) were replaced by EHC plans (E) by April 2018',
};

const SEN_ACCEPTED = 'N (no special provision), K (SEN support) or E (EHC plan)';

/** Reads SEN provision as the DfE codes it: N, K or E, also accepting "SEN support", "EHCP" and similar. */
export function readSenProvision(text: string): Reading<SenProvision> {
  const key = normaliseKey(text);
  const provision = SEN_WORDS[key];
  if (provision !== undefined) {
    return accept(provision);
  }
  const retired = RETIRED_SEN_CODES[key];
  const reason =
    retired === undefined ? 'is not a recognised SEN provision' : `is a retired code: ${retired}`;
  return reject(`"${text}" ${reason}. Use ${SEN_ACCEPTED}.`);
}

const NC_YEAR_WORDS: Record<string, string> = {
  r: 'R',
  rec: 'R',
  reception: 'R',
  x: 'X',
  n1: 'N1',
  n2: 'N2',
  nursery1: 'N1',
  nursery2: 'N2',
};

/**
 * Reads a national curriculum year as the CTF codes it: R, 1 to 14, N1, N2 or X. Also accepts
 * "Year 7", "Yr 7", "Y7", "07" and "Reception", which MIS exports use.
 */
export function readNcYear(text: string): Reading<string> {
  const key = normaliseKey(text).replace(/^(year|yr|y|ncyear|nc)(?=[0-9a-z])/, '');
  const named = NC_YEAR_WORDS[key];
  if (named !== undefined) {
    return accept(named);
  }
  if (/^\d{1,2}$/.test(key)) {
    const year = Number(key);
    if (year >= 1 && year <= 14) {
      return accept(String(year));
    }
  }
  return reject(
    `"${text}" is not a national curriculum year. Use R, 1 to 14, N1, N2 or X (for example 7 or Year 7).`,
  );
}

const FLAG_WORDS: Record<string, boolean> = {
  y: true,
  yes: true,
  true: true,
  '1': true,
  n: false,
  no: false,
  false: false,
  '0': false,
};

/** Reads a yes/no flag written Y/N, Yes/No, True/False or 1/0, in any case. */
export function readFlag(text: string): Reading<boolean> {
  const flag = FLAG_WORDS[text.trim().toLowerCase()];
  if (flag === undefined) {
    return reject(
      `"${text}" is not a yes/no value. Use Y or N (Yes/No, True/False and 1/0 also work).`,
    );
  }
  return accept(flag);
}

/** Main DfE ethnicity categories (Common Basic Data Set), with descriptions MIS exports use. */
const ETHNICITY_DESCRIPTIONS: Record<string, string[]> = {
  WBRI: ['White British', 'White - British', 'British'],
  WIRI: ['White Irish', 'White - Irish', 'Irish'],
  WIRT: ['Traveller of Irish heritage', 'White - Traveller of Irish heritage'],
  WROM: ['Gypsy/Roma', 'Gypsy Roma', 'White - Gypsy/Roma'],
  WOTH: [
    'Any other White background',
    'White - Any other White background',
    'White other',
    'Other White',
  ],
  MWBC: ['White and Black Caribbean', 'Mixed - White and Black Caribbean'],
  MWBA: ['White and Black African', 'Mixed - White and Black African'],
  MWAS: ['White and Asian', 'Mixed - White and Asian'],
  MOTH: [
    'Any other mixed background',
    'Mixed - Any other mixed background',
    'Mixed other',
    'Other mixed',
  ],
  AIND: ['Indian', 'Asian - Indian', 'Asian or Asian British - Indian'],
  APKN: ['Pakistani', 'Asian - Pakistani', 'Asian or Asian British - Pakistani'],
  ABAN: ['Bangladeshi', 'Asian - Bangladeshi', 'Asian or Asian British - Bangladeshi'],
  AOTH: [
    'Any other Asian background',
    'Asian - Any other Asian background',
    'Asian other',
    'Other Asian',
  ],
  BCRB: ['Black Caribbean', 'Caribbean', 'Black - Caribbean', 'Black or Black British - Caribbean'],
  BAFR: ['Black African', 'African', 'Black - African', 'Black or Black British - African'],
  BOTH: [
    'Any other Black background',
    'Black - Any other Black background',
    'Black other',
    'Other Black',
  ],
  CHNE: ['Chinese'],
  OOTH: ['Any other ethnic group', 'Other ethnic group'],
  REFU: ['Refused', 'Information refused'],
  NOBT: ['Information not yet obtained', 'Not obtained', 'Not yet obtained'],
};

const ETHNICITY_BY_DESCRIPTION = new Map<string, string>(
  Object.entries(ETHNICITY_DESCRIPTIONS).flatMap(([code, names]) =>
    names.map((name) => [normaliseKey(name), code] as const),
  ),
);

/**
 * Reads an ethnicity as a four-letter DfE code (main or extended, such as WBRI or WENG) or
 * as the description of a main category, such as "White - British".
 */
export function readEthnicity(text: string): Reading<string> {
  const trimmed = text.trim();
  if (/^[A-Za-z]{4}$/.test(trimmed)) {
    return accept(trimmed.toUpperCase());
  }
  const code = ETHNICITY_BY_DESCRIPTION.get(normaliseKey(trimmed));
  if (code !== undefined) {
    return accept(code);
  }
  return reject(
    `"${text}" is not a DfE ethnicity code or main category. Use the four-letter code, for example WBRI, APKN or BAFR, or leave the column unmapped.`,
  );
}

/**
 * Reads a first language as a DfE language code (three or four letters, for example ENG or
 * POL); the word English becomes ENG. Any other wording is kept as written, with a warning,
 * because the app can still tell that it is not English.
 */
export function readLanguage(text: string): Reading<string> {
  const trimmed = text.trim();
  if (normaliseKey(trimmed) === 'english') {
    return accept('ENG');
  }
  if (/^[A-Za-z]{3,4}$/.test(trimmed)) {
    return accept(trimmed.toUpperCase());
  }
  return accept(
    trimmed,
    `"${text}" is not a DfE language code, so it was kept as written and counted as a language other than English. Use the code (for example POL for Polish) to compare it with other files.`,
  );
}

/** Reads a count of sessions: a whole number, which may be negative so that `validatePupils` can report it. */
export function readWholeNumber(text: string): Reading<number> {
  const trimmed = text.trim();
  if (!/^-?\d+(\.0+)?$/.test(trimmed)) {
    return reject(
      `"${text}" is not a whole number. Enter a count of half-day sessions, for example 312.`,
    );
  }
  return accept(Number.parseInt(trimmed, 10));
}

/** Fields that `validatePupils` checks, for naming them in messages the way the file names them. */
export type CheckedField =
  | 'upn'
  | 'legalSurname'
  | 'legalForename'
  | 'dateOfBirth'
  | 'sessionsPossible'
  | 'sessionsAttended'
  | 'sessionsAuthorised'
  | 'sessionsUnauthorised'
  | 'exclusionSessionsLost'
  | 'fsmPeriod';

const DEFAULT_FIELD_LABELS: Record<CheckedField, string> = {
  upn: 'UPN',
  legalSurname: 'legal surname',
  legalForename: 'legal forename',
  dateOfBirth: 'date of birth',
  sessionsPossible: 'sessions possible',
  sessionsAttended: 'sessions attended',
  sessionsAuthorised: 'authorised absence',
  sessionsUnauthorised: 'unauthorised absence',
  exclusionSessionsLost: 'sessions lost',
  fsmPeriod: 'free school meal period',
};

export interface ValidateOptions {
  /** The date "today" for checks on dates of birth; defaults to the current date. */
  today?: Date;
  /** False for files that only add records (exclusions) to pupils already held, which need no names. */
  requireNames?: boolean;
  /** Column or element names the file uses for each field, so messages point at them. */
  fieldLabels?: Partial<Record<CheckedField, string>>;
}

/** Oldest and youngest ages, in whole years on the day of the check, that a pupil plausibly has. */
const PLAUSIBLE_AGE = { min: 2, max: 25 };
const IMPOSSIBLE_AGE = 100;

/**
 * Checks whole pupil records after a file has been read, and returns the problems without
 * changing the pupils. Errors: a missing or invalid UPN, a missing name, a UPN that appears
 * twice, a date of birth in the future or over 100 years ago, a negative session count, more
 * sessions attended than possible, and a free school meal period that ends before it starts.
 * Warnings: a temporary UPN, an age outside 2 to 25, and attendance counts that do not add up.
 */
export function validatePupils(
  fileName: string,
  pupils: ImportedPupil[],
  options: ValidateOptions = {},
): ImportProblem[] {
  const problems = new ProblemList(fileName);
  const labels = { ...DEFAULT_FIELD_LABELS, ...options.fieldLabels };
  const today = options.today ?? new Date();

  for (const pupil of pupils) {
    checkPupilUpn(pupil, problems, labels);
    if (options.requireNames ?? true) {
      checkNames(pupil, problems, labels);
    }
    checkDateOfBirth(pupil, today, problems, labels);
    checkAttendance(pupil, problems, labels);
    checkExclusions(pupil, problems, labels);
    checkFsmPeriods(pupil, problems, labels);
  }
  checkDuplicateUpns(pupils, problems, labels);
  return problems.items;
}

function checkPupilUpn(
  pupil: ImportedPupil,
  problems: ProblemList,
  labels: Record<CheckedField, string>,
): void {
  const place = { location: pupil.location, field: labels.upn, value: pupil.upn };
  if (pupil.upn === '') {
    problems.error(
      place,
      'The UPN is missing. Every pupil needs their 13-character UPN from your MIS.',
    );
    return;
  }
  const check = checkUpn(pupil.upn);
  if (!check.valid) {
    problems.error(
      place,
      `"${pupil.upn}" is not a valid UPN: ${check.reason}. Correct it in your MIS and export the file again.`,
    );
  } else if (check.temporary) {
    problems.warning(
      place,
      `"${pupil.upn}" is a temporary UPN (it ends in a letter). The pupil is imported and flagged; replace it with the permanent UPN when the DfE issues one.`,
    );
  }
}

function checkNames(
  pupil: ImportedPupil,
  problems: ProblemList,
  labels: Record<CheckedField, string>,
): void {
  const names: [CheckedField, string][] = [
    ['legalSurname', pupil.legalSurname],
    ['legalForename', pupil.legalForename],
  ];
  for (const [field, value] of names) {
    if (value === '') {
      problems.error(
        { location: pupil.location, field: labels[field], value: '' },
        `The ${DEFAULT_FIELD_LABELS[field]} is empty. Enter the pupil's name as it appears in your MIS.`,
      );
    }
  }
}

function checkDateOfBirth(
  pupil: ImportedPupil,
  today: Date,
  problems: ProblemList,
  labels: Record<CheckedField, string>,
): void {
  if (pupil.dateOfBirth === null) {
    return;
  }
  const place = { location: pupil.location, field: labels.dateOfBirth, value: pupil.dateOfBirth };
  const todayIso = today.toISOString().slice(0, 10);
  const age = wholeYearsBetween(pupil.dateOfBirth, todayIso);
  const written = formatLongDate(pupil.dateOfBirth);
  if (pupil.dateOfBirth > todayIso) {
    problems.error(place, `${written} is in the future. Correct the date of birth in your MIS.`);
  } else if (age >= IMPOSSIBLE_AGE) {
    problems.error(
      place,
      `${written} would make the pupil ${describeAge(age)}. Check the year of birth.`,
    );
  } else if (age < PLAUSIBLE_AGE.min || age > PLAUSIBLE_AGE.max) {
    problems.warning(
      place,
      `${written} makes the pupil ${describeAge(age)}, which is unusual for a school. Check the date.`,
    );
  }
}

const LONG_DATE = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'UTC',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
});

/**
 * Writes an ISO date with the month in words, for example `8 May 2030`. Files write dates in
 * different ways (day/month/year in a CSV, ISO in a CTF, a date cell in Excel), and this form
 * shows how the date was read without being mistaken for month/day/year.
 */
function formatLongDate(isoDate: string): string {
  return LONG_DATE.format(new Date(`${isoDate}T12:00:00Z`));
}

function describeAge(age: number): string {
  return age === 1 ? '1 year old' : `${age} years old`;
}

/** Returns the number of whole years from one ISO date to a later one. */
function wholeYearsBetween(fromIso: string, toIso: string): number {
  const years = Number(toIso.slice(0, 4)) - Number(fromIso.slice(0, 4));
  return toIso.slice(5) < fromIso.slice(5) ? years - 1 : years;
}

function checkAttendance(
  pupil: ImportedPupil,
  problems: ProblemList,
  labels: Record<CheckedField, string>,
): void {
  for (const record of pupil.attendance) {
    const span = `${record.period === 'year' ? 'the year' : `the ${record.period} term of`} ${formatAcademicYear(record.academicYear)}`;
    const counts: [CheckedField, number][] = [
      ['sessionsPossible', record.possible],
      ['sessionsAttended', record.attended],
      ['sessionsAuthorised', record.authorised],
      ['sessionsUnauthorised', record.unauthorised],
    ];
    let negative = false;
    for (const [field, count] of counts) {
      if (count < 0) {
        negative = true;
        problems.error(
          { location: pupil.location, field: labels[field], value: String(count) },
          `${count} sessions for ${span} is negative. Session counts are 0 or more; correct it in your MIS.`,
        );
      }
    }
    if (negative) {
      continue;
    }

    const place = {
      location: pupil.location,
      field: labels.sessionsAttended,
      value: String(record.attended),
    };
    if (record.attended > record.possible) {
      problems.error(
        place,
        `${record.attended} sessions attended in ${span} is more than the ${record.possible} possible. Correct the attendance figures in your MIS.`,
      );
      continue;
    }
    const total = record.attended + record.authorised + record.unauthorised;
    if (total !== record.possible) {
      problems.warning(
        place,
        `In ${span}, attended ${record.attended} + authorised ${record.authorised} + unauthorised ${record.unauthorised} = ${total}, not the ${record.possible} sessions possible. Check the figures; the import keeps them as given.`,
      );
    }
  }
}

function checkExclusions(
  pupil: ImportedPupil,
  problems: ProblemList,
  labels: Record<CheckedField, string>,
): void {
  for (const exclusion of pupil.exclusions) {
    if (exclusion.sessionsLost !== null && exclusion.sessionsLost < 0) {
      problems.error(
        {
          location: pupil.location,
          field: labels.exclusionSessionsLost,
          value: String(exclusion.sessionsLost),
        },
        `${exclusion.sessionsLost} sessions lost for the ${exclusion.kind} starting ${exclusion.startDate} is negative. Enter 0 or more.`,
      );
    }
  }
}

function checkFsmPeriods(
  pupil: ImportedPupil,
  problems: ProblemList,
  labels: Record<CheckedField, string>,
): void {
  for (const period of pupil.fsmPeriods) {
    if (period.end !== null && period.end < period.start) {
      problems.error(
        {
          location: pupil.location,
          field: labels.fsmPeriod,
          value: `${period.start} to ${period.end}`,
        },
        `The free school meal period ends (${period.end}) before it starts (${period.start}). Correct the dates in your MIS.`,
      );
    }
  }
}

function checkDuplicateUpns(
  pupils: ImportedPupil[],
  problems: ProblemList,
  labels: Record<CheckedField, string>,
): void {
  const firstSeen = new Map<string, ImportedPupil>();
  for (const pupil of pupils) {
    if (pupil.upn === '') {
      continue;
    }
    const earlier = firstSeen.get(pupil.upn);
    if (earlier === undefined) {
      firstSeen.set(pupil.upn, pupil);
      continue;
    }
    problems.error(
      { location: pupil.location, field: labels.upn, value: pupil.upn },
      `UPN ${pupil.upn} appears at ${earlier.location} and again at ${pupil.location}. Each pupil must appear once; remove the duplicate or correct the UPN.`,
    );
  }
}
