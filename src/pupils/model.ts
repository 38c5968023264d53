/**
 * Pupil records as the importers produce them and the store saves them.
 *
 * Dates are ISO strings (`YYYY-MM-DD`). An academic year is named by its start year, as in the
 * Common Transfer File: 2024 means September 2024 to August 2025.
 */

/** SEN provision as the DfE codes it: N no special provision, K SEN support, E EHC plan. */
export type SenProvision = 'N' | 'K' | 'E';

export type Sex = 'M' | 'F';

/** The span of one attendance figure: a whole academic year or one of its three terms. */
export type AttendancePeriod = 'year' | 'autumn' | 'spring' | 'summer';

export const ATTENDANCE_PERIODS: readonly AttendancePeriod[] = [
  'year',
  'autumn',
  'spring',
  'summer',
];

/** One period of free school meal eligibility; `end` is null while it is current. */
export interface FsmPeriod {
  start: string;
  end: string | null;
}

/** Sessions for one pupil over one period; all counts are half-day sessions. */
export interface AttendanceRecord {
  academicYear: number;
  period: AttendancePeriod;
  /** The school the sessions were at (LA number and establishment number), when the source gives it. */
  schoolLaestab: string | null;
  possible: number;
  attended: number;
  authorised: number;
  unauthorised: number;
}

export type ExclusionKind = 'suspension' | 'permanent';

export interface ExclusionRecord {
  academicYear: number;
  kind: ExclusionKind;
  startDate: string;
  /** Half-day sessions lost; null when the source does not give it. */
  sessionsLost: number | null;
  reason: string | null;
}

/** One assessment result, described the way the CTF describes a `StageAssessment`. */
export interface AssessmentResult {
  /** Key stage or assessment name, for example `KS2`. */
  stage: string;
  subject: string;
  component: string | null;
  method: string | null;
  /** Kind of result, for example `SS` for a scaled score. */
  qualifier: string | null;
  result: string;
  resultDate: string | null;
  /** Academic year the assessment was taken in, when known. */
  year: number | null;
}

/**
 * Pupil Premium eligibility that the source states directly. A CSV export often carries
 * these flags instead of a free school meal history.
 */
export interface ReportedFlags {
  fsmNow: boolean | null;
  ever6Fsm: boolean | null;
  pupilPremium: boolean | null;
}

/** One pupil's record for one academic year, as read from an import file. */
export interface ImportedPupil {
  upn: string;
  /** True for a temporary UPN, which ends in a letter. */
  upnTemporary: boolean;
  legalSurname: string;
  legalForename: string;
  preferredSurname: string | null;
  preferredForename: string | null;
  dateOfBirth: string | null;
  sex: Sex | null;
  /** National curriculum year as the source gives it: `R`, `1` to `14`, `N1`, `N2` or `X`. */
  ncYear: string | null;
  /** Four-letter DfE ethnicity code, for example `WBRI`. */
  ethnicity: string | null;
  /** First language as a DfE language code; `ENG` and `ENB` mean English. */
  firstLanguage: string | null;
  /** English as an additional language, when the source states it rather than a language. */
  eal: boolean | null;
  senProvision: SenProvision | null;
  inCare: boolean | null;
  previouslyLookedAfter: boolean | null;
  serviceChild: boolean | null;
  fsmPeriods: FsmPeriod[];
  reported: ReportedFlags;
  attendance: AttendanceRecord[];
  exclusions: ExclusionRecord[];
  results: AssessmentResult[];
  /** Place of the pupil in the file, for messages: `row 12` or `Pupil 3`. */
  location: string;
}

export type ProblemSeverity = 'error' | 'warning';

/**
 * Something wrong with an import file. An error stops the import from being committed; a
 * warning is shown in the preview and the import may still go ahead.
 */
export interface ImportProblem {
  severity: ProblemSeverity;
  /** The file's name as uploaded. */
  file: string;
  /** Row number, XML element path or pupil position, so the user can find the place. */
  location: string;
  field: string | null;
  value: string | null;
  /** Description of the problem and its fix, in plain English. */
  message: string;
}

export type ImportFormat = 'ctf' | 'csv' | 'xlsx';

export interface SchoolIdentity {
  /** LA number and establishment number together, for example `8014001`. */
  laestab: string;
  name: string | null;
}

/** Everything an importer read from one file, before it is compared with the database. */
export interface ParsedImport {
  format: ImportFormat;
  fileName: string;
  /** CTF version as the file states it, for example `25.0`. */
  ctfVersion: string | null;
  /** Academic year the records describe (start year), when the file states it. */
  academicYear: number | null;
  sourceSchool: SchoolIdentity | null;
  destinationSchool: SchoolIdentity | null;
  pupils: ImportedPupil[];
  problems: ImportProblem[];
  /** For CSV and XLSX files: the headers found and the field each is mapped to. */
  columns: ColumnMapping | null;
  /**
   * Kind of content. `exclusions` marks a list of suspensions and exclusions for pupils
   * the school already has: it adds those events and leaves characteristics alone. Absent
   * means `pupils`.
   */
  contents?: 'pupils' | 'exclusions';
  /**
   * Pupil fields the file carries (names as in `PROVIDED_FIELD_NAMES`). A field the file does
   * not carry keeps the value already stored, so a file with a few columns never blanks the
   * rest. Absent means the file carries every field.
   */
  providedFields?: string[];
  /** For CSV files: the text encoding the file was read in, for example `UTF-8` or `Windows-1252`. */
  encoding?: string;
}

/** Mapping from the columns of a CSV or XLSX file to pupil fields. */
export interface ColumnMapping {
  headers: string[];
  /** For each header, the pupil field it fills, or null when it is not used. */
  fields: Record<string, string | null>;
  /** Required fields that no column maps to yet. */
  missing: string[];
}
