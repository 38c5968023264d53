/**
 * Reads a file of suspensions and permanent exclusions: one row per event, with the pupil's
 * UPN, the kind, the start date, and optionally the sessions lost and the reason.
 *
 * Each row becomes an `ImportedPupil` that carries only its UPN, any names the row gives and one
 * exclusion; every characteristic is null or empty. `mergeRowsByUpn` then joins the rows of one
 * pupil. The parsed import is marked `contents: 'exclusions'`. The store must then match each
 * UPN to a pupil it already has and add or update exclusions keyed by kind and start date.
 * It must leave the pupil's characteristics as they are, never overwriting them with these
 * empty values.
 */
import type { ExclusionKind, ExclusionRecord, ImportedPupil } from '../model.js';
import { checkUpn } from '../upn.js';
import { normaliseKey, type Reading } from '../validate-pupils.js';
import type { RowReader } from './row-reader.js';
import { academicYearOfDate } from './uk-date.js';

const PERMANENT_WORDS = new Set(['p', 'perm', 'permanent', 'permanentexclusion', 'px', 'pex']);
const SUSPENSION_WORDS = new Set([
  's',
  'susp',
  'suspension',
  'suspended',
  'fixd',
  'fixed',
  'fixedterm',
  'fixedperiod',
  'ft',
  'fixedtermexclusion',
  'fixedperiodexclusion',
  'suspensionfixedterm',
  'suspensionfixedperiod',
]);
const LUNCHTIME_WORDS = new Set([
  'lnch',
  'lunch',
  'lunchtime',
  'lunchtimesuspension',
  'lunchtimeexclusion',
]);

const KIND_HINT = 'Use Suspension (also written Fixed term or FIXD) or Permanent (PERM).';

/**
 * Reads the kind of an exclusion. Fixed-term (fixed-period) exclusions are what the DfE has
 * called suspensions since 2021; a lunchtime suspension is read as a suspension, with a warning.
 */
export function readExclusionKind(text: string): Reading<ExclusionKind> {
  const key = normaliseKey(text);
  if (PERMANENT_WORDS.has(key)) {
    return { ok: true, value: 'permanent' };
  }
  if (SUSPENSION_WORDS.has(key)) {
    return { ok: true, value: 'suspension' };
  }
  if (LUNCHTIME_WORDS.has(key)) {
    return {
      ok: true,
      value: 'suspension',
      warning: `"${text}" is a lunchtime suspension, so it is recorded as a suspension; the app has no separate lunchtime category.`,
    };
  }
  return { ok: false, message: `"${text}" is not a recognised kind of exclusion. ${KIND_HINT}` };
}

/** Reads one exclusion row. A row without a readable kind or start date keeps its UPN but gets no exclusion. */
export function readExclusionRow(reader: RowReader): ImportedPupil {
  const upn = reader.text('upn') ?? '';
  const exclusion = readExclusion(reader);
  return {
    upn,
    upnTemporary: checkUpn(upn).temporary,
    legalSurname: reader.text('legalSurname') ?? '',
    legalForename: reader.text('legalForename') ?? '',
    preferredSurname: null,
    preferredForename: null,
    dateOfBirth: null,
    sex: null,
    ncYear: null,
    ethnicity: null,
    firstLanguage: null,
    eal: null,
    senProvision: null,
    inCare: null,
    previouslyLookedAfter: null,
    serviceChild: null,
    fsmPeriods: [],
    reported: { fsmNow: null, ever6Fsm: null, pupilPremium: null },
    attendance: [],
    exclusions: exclusion === null ? [] : [exclusion],
    results: [],
    location: reader.location,
  };
}

function readExclusion(reader: RowReader): ExclusionRecord | null {
  if (reader.text('exclusionKind') === null) {
    reader.error('exclusionKind', '', `The kind of exclusion is empty. ${KIND_HINT}`);
  }
  if (reader.text('exclusionStartDate') === null) {
    reader.error(
      'exclusionStartDate',
      '',
      'The start date is empty. Enter the first day of the exclusion as day/month/year, for example 05/09/2024.',
    );
  }
  const kind = reader.read('exclusionKind', readExclusionKind);
  const startDate = reader.date('exclusionStartDate');
  const sessionsLost = reader.wholeNumber('exclusionSessionsLost');
  const reason = reader.text('exclusionReason');
  if (kind === null || startDate === null) {
    return null;
  }
  return { academicYear: academicYearOfDate(startDate), kind, startDate, sessionsLost, reason };
}
