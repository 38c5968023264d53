/**
 * Column mapping for CSV and XLSX exports: which column fills which pupil field. Headers are
 * recognised from the names SIMS, Arbor, Bromcom and similar systems use, ignoring case, spaces
 * and punctuation. A user can map the rest, or override any of them, with `options.mapping`.
 */
import type { ColumnMapping } from '../model.js';
import { normaliseKey } from '../validate-pupils.js';

/** Fields a column can fill in a file of pupil records. */
export const PUPIL_FIELD_LABELS = {
  upn: 'UPN',
  legalSurname: 'Legal surname',
  legalForename: 'Legal forename',
  preferredSurname: 'Preferred surname',
  preferredForename: 'Preferred forename',
  dateOfBirth: 'Date of birth',
  sex: 'Sex',
  ncYear: 'National curriculum year',
  ethnicity: 'Ethnicity',
  firstLanguage: 'First language',
  eal: 'English as an additional language',
  senProvision: 'SEN provision',
  inCare: 'Looked after (in care)',
  previouslyLookedAfter: 'Previously looked after',
  serviceChild: 'Service child',
  fsmNow: 'Free school meals now',
  ever6Fsm: 'Ever-6 FSM',
  pupilPremium: 'Pupil Premium',
  term: 'Term of the attendance figures',
  sessionsPossible: 'Sessions possible',
  sessionsAttended: 'Sessions attended',
  sessionsAuthorised: 'Authorised absence (sessions)',
  sessionsUnauthorised: 'Unauthorised absence (sessions)',
  attendancePercent: 'Attendance percentage',
} as const;

/** Fields a column can fill in a file of suspensions and permanent exclusions. */
export const EXCLUSION_FIELD_LABELS = {
  upn: 'UPN',
  legalSurname: 'Legal surname',
  legalForename: 'Legal forename',
  exclusionKind: 'Suspension or permanent exclusion',
  exclusionStartDate: 'Start date',
  exclusionSessionsLost: 'Sessions lost',
  exclusionReason: 'Reason',
} as const;

export type PupilField = keyof typeof PUPIL_FIELD_LABELS;
export type ExclusionField = keyof typeof EXCLUSION_FIELD_LABELS;
export type TabularField = PupilField | ExclusionField;
export type TabularContents = 'pupils' | 'exclusions';

export const REQUIRED_FIELDS: Record<TabularContents, readonly TabularField[]> = {
  pupils: ['upn', 'legalSurname', 'legalForename'],
  exclusions: ['upn', 'exclusionKind', 'exclusionStartDate'],
};

/**
 * Recognised headers, in priority order. A header can appear under several fields: it goes
 * to the first of them that no earlier header has taken. So "Surname" fills the legal surname,
 * unless the file also has "Legal Surname", in which case it fills the preferred surname (as
 * in exports that list legal names separately from the names in everyday use).
 */
export const PUPIL_HEADER_ALIASES: readonly [PupilField, readonly string[]][] = [
  ['upn', ['UPN', 'Unique Pupil Number', 'Pupil UPN', 'Student UPN']],
  ['legalSurname', ['Legal Surname', 'Legal Last Name', 'Legal Family Name']],
  ['legalForename', ['Legal Forename', 'Legal First Name', 'Legal Given Name']],
  ['preferredSurname', ['Preferred Surname', 'Preferred Last Name']],
  [
    'preferredForename',
    ['Preferred Forename', 'Preferred First Name', 'Preferred Name', 'Known As'],
  ],
  ['legalSurname', ['Surname', 'Last Name', 'Family Name']],
  ['legalForename', ['Forename', 'First Name', 'Given Name', 'Forenames']],
  ['preferredSurname', ['Surname', 'Last Name', 'Family Name']],
  ['preferredForename', ['Forename', 'First Name', 'Given Name', 'Forenames']],
  ['dateOfBirth', ['DOB', 'Date of Birth', 'Birth Date']],
  ['sex', ['Sex', 'Gender']],
  [
    'ncYear',
    [
      'NC Year',
      'Year',
      'Year Group',
      'National Curriculum Year',
      'NC Year Actual',
      'Curriculum Year',
    ],
  ],
  ['ethnicity', ['Ethnicity', 'Ethnic Code', 'Ethnicity Code', 'Ethnic Group', 'Ethnic Origin']],
  ['firstLanguage', ['First Language', 'Language', 'Main Language', 'First Language Code']],
  ['eal', ['EAL', 'EAL Status', 'English as an Additional Language']],
  [
    'senProvision',
    ['SEN', 'SEN Status', 'SEN Provision', 'SEN Stage', 'SEND', 'SEND Status', 'SEN Code'],
  ],
  [
    'inCare',
    [
      'In Care',
      'Looked After',
      'CLA',
      'LAC',
      'Child Looked After',
      'Looked After Child',
      'Children Looked After',
    ],
  ],
  [
    'previouslyLookedAfter',
    ['Previously Looked After', 'PLAC', 'Post LAC', 'Previously Looked After Child'],
  ],
  [
    'serviceChild',
    ['Service Child', 'Service Children', 'Service Child Indicator', 'Forces Child'],
  ],
  [
    'fsmNow',
    [
      'FSM',
      'FSM Eligible',
      'FSM Eligibility',
      'FSM Now',
      'Current FSM',
      'Free School Meals',
      'Eligible for FSM',
    ],
  ],
  ['ever6Fsm', ['Ever 6 FSM', 'FSM6', 'FSM Ever 6', 'Ever FSM 6', 'Ever 6', 'E6 FSM']],
  [
    'pupilPremium',
    ['Pupil Premium', 'PP', 'PP Eligible', 'Pupil Premium Eligible', 'Pupil Premium Indicator'],
  ],
  ['term', ['Term', 'Attendance Term']],
  ['sessionsPossible', ['Possible Sessions', 'Sessions Possible', 'Possible', 'Possible Marks']],
  ['sessionsAttended', ['Attended', 'Sessions Attended', 'Attended Sessions', 'Present']],
  [
    'sessionsAuthorised',
    [
      'Authorised Absence',
      'Authorised Absences',
      'Authorised',
      'Sessions Authorised',
      'Authorised Absence Sessions',
    ],
  ],
  [
    'sessionsUnauthorised',
    [
      'Unauthorised Absence',
      'Unauthorised Absences',
      'Unauthorised',
      'Sessions Unauthorised',
      'Unauthorised Absence Sessions',
    ],
  ],
  [
    'attendancePercent',
    [
      'Attendance %',
      'Attendance',
      'Attendance Percentage',
      '% Attendance',
      'Percentage Attendance',
      'Attendance Rate',
    ],
  ],
];

export const EXCLUSION_HEADER_ALIASES: readonly [ExclusionField, readonly string[]][] = [
  ['upn', ['UPN', 'Unique Pupil Number', 'Pupil UPN', 'Student UPN']],
  ['legalSurname', ['Legal Surname', 'Surname', 'Last Name']],
  ['legalForename', ['Legal Forename', 'Forename', 'First Name']],
  [
    'exclusionKind',
    ['Exclusion Type', 'Exclusion Category', 'Suspension Type', 'Category', 'Type'],
  ],
  [
    'exclusionStartDate',
    ['Start Date', 'Exclusion Start Date', 'Suspension Start Date', 'Exclusion Date', 'Date'],
  ],
  [
    'exclusionSessionsLost',
    ['Sessions Lost', 'Sessions', 'Number of Sessions', 'Sessions Missed', 'Length (sessions)'],
  ],
  ['exclusionReason', ['Reason', 'Exclusion Reason', 'Suspension Reason', 'Reason Code']],
];

/** The resolved mapping plus the column index of each mapped field, for reading rows. */
export interface ResolvedColumns {
  contents: TabularContents;
  mapping: ColumnMapping;
  columnOfField: Map<TabularField, number>;
  /** Header name of each mapped field, as the file spells it, for messages. */
  headerOfField: Map<TabularField, string>;
  /** Messages about the mapping the user sent; each names the header or field and the fix. */
  mappingErrors: string[];
}

/** Returns the spreadsheet letter of a 0-based column index: 0 is A, 26 is AA. */
export function columnLetter(index: number): string {
  let letters = '';
  for (let remaining = index + 1; remaining > 0; remaining = Math.floor((remaining - 1) / 26)) {
    letters = String.fromCharCode(65 + ((remaining - 1) % 26)) + letters;
  }
  return letters;
}

/**
 * Names each column for the mapping: its header as written, or, for an empty or repeated
 * header, the header with its column letter (`(column F)` or `Surname (column F)`), so that
 * every name is unique and a user can map it.
 */
export function nameColumns(headerCells: readonly (string | null)[]): string[] {
  const seen = new Set<string>();
  return headerCells.map((cell, index) => {
    const header = cell ?? '';
    const name =
      header === ''
        ? `(column ${columnLetter(index)})`
        : seen.has(header)
          ? `${header} (column ${columnLetter(index)})`
          : header;
    seen.add(header);
    return name;
  });
}

const EXCLUSION_KIND_HEADER = /^(type|category|(exclusion|suspension)(type|category|kind))$/;
const EXCLUSION_DATE_HEADER = /^(date|startdate|(exclusion|suspension)(start)?date)$/;

/**
 * Decides whether a file lists exclusions rather than pupils: it does when the mapping names an
 * exclusion field, or when the headers include both a type (or category) column and a start
 * date column. A pupil file with only a count of suspensions stays a pupil file.
 */
export function detectContents(
  headers: readonly string[],
  override: Record<string, string | null> | undefined,
): TabularContents {
  const exclusionOnly = new Set<string>([
    'exclusionKind',
    'exclusionStartDate',
    'exclusionSessionsLost',
    'exclusionReason',
  ]);
  if (Object.values(override ?? {}).some((field) => field !== null && exclusionOnly.has(field))) {
    return 'exclusions';
  }
  const keys = headers.map(normaliseKey);
  const hasKind = keys.some((key) => EXCLUSION_KIND_HEADER.test(key));
  const hasStart = keys.some((key) => EXCLUSION_DATE_HEADER.test(key));
  return hasKind && hasStart ? 'exclusions' : 'pupils';
}

/**
 * Maps columns to fields: first the user's `override` (header name to field name, or null to
 * leave a column unused), then recognised headers for the fields still free. Problems in the
 * override (an unknown header or field, or two columns for one field) are returned as messages
 * and that entry is ignored.
 */
export function resolveColumns(
  headers: readonly string[],
  override: Record<string, string | null> | undefined,
): ResolvedColumns {
  const contents = detectContents(headers, override);
  const labels: Record<string, string> =
    contents === 'pupils' ? PUPIL_FIELD_LABELS : EXCLUSION_FIELD_LABELS;
  const fields: Record<string, string | null> = Object.fromEntries(
    headers.map((header) => [header, null]),
  );
  const decided = new Set<string>();
  const taken = new Map<string, string>();
  const mappingErrors: string[] = [];

  for (const [header, field] of Object.entries(override ?? {})) {
    const error = checkOverride(header, field, headers, labels, taken);
    if (error !== null) {
      mappingErrors.push(error);
      continue;
    }
    fields[header] = field;
    decided.add(header);
    if (field !== null) {
      taken.set(field, header);
    }
  }

  const aliases = contents === 'pupils' ? PUPIL_HEADER_ALIASES : EXCLUSION_HEADER_ALIASES;
  for (const [field, names] of aliases) {
    if (taken.has(field)) {
      continue;
    }
    const wanted = new Set(names.map(normaliseKey));
    const header = headers.find(
      (candidate) => !decided.has(candidate) && wanted.has(normaliseKey(candidate)),
    );
    if (header !== undefined) {
      fields[header] = field;
      decided.add(header);
      taken.set(field, header);
    }
  }

  const missing = REQUIRED_FIELDS[contents].filter((field) => !taken.has(field));
  const columnOfField = new Map<TabularField, number>();
  const headerOfField = new Map<TabularField, string>();
  for (const [field, header] of taken) {
    columnOfField.set(field as TabularField, headers.indexOf(header));
    headerOfField.set(field as TabularField, header);
  }
  return {
    contents,
    mapping: { headers: [...headers], fields, missing: [...missing] },
    columnOfField,
    headerOfField,
    mappingErrors,
  };
}

function checkOverride(
  header: string,
  field: string | null,
  headers: readonly string[],
  labels: Record<string, string>,
  taken: Map<string, string>,
): string | null {
  if (!headers.includes(header)) {
    return `The column mapping names the header "${header}", which is not in the file. Choose one of: ${headers.join(', ')}.`;
  }
  if (field === null) {
    return null;
  }
  if (!(field in labels)) {
    return `The column mapping sends "${header}" to "${field}", which is not a field this file can fill. Choose one of: ${Object.values(labels).join(', ')}.`;
  }
  const other = taken.get(field);
  if (other !== undefined) {
    return `The column mapping sends both "${other}" and "${header}" to ${labels[field]}. Choose one column for it.`;
  }
  return null;
}
