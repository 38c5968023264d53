/**
 * Definitions of the pupil groups that need analysis compares: disadvantage, free school meals,
 * Pupil Premium, English as an additional language, ethnicity and year group.
 *
 * Dates are ISO strings (`YYYY-MM-DD`), compared as strings, which orders them correctly. An
 * academic year is named by its start year: 2024 means September 2024 to August 2025.
 */
import type { ImportedPupil } from '../../pupils/model.js';

/** The pupil fields that free school meal status depends on. */
export type FsmFacts = Pick<ImportedPupil, 'fsmPeriods' | 'reported'>;

/** The pupil fields that disadvantage and Pupil Premium depend on. */
export type PremiumFacts = FsmFacts &
  Pick<ImportedPupil, 'inCare' | 'previouslyLookedAfter' | 'serviceChild'>;

/**
 * Returns the spring census day of an academic year: the third Thursday of January in the
 * second calendar year of the academic year. Academic year 2024 gives `2025-01-16`.
 * Throws a RangeError unless the year is a whole number from 1900 to 2999.
 */
export function springCensusDate(academicYear: number): string {
  if (!Number.isInteger(academicYear) || academicYear < 1900 || academicYear > 2999) {
    throw new RangeError(`Academic year must be a start year such as 2024: got ${academicYear}`);
  }
  const year = academicYear + 1;
  const firstOfJanuary = new Date(Date.UTC(year, 0, 1));
  const thursday = 4;
  const daysToFirstThursday = (thursday - firstOfJanuary.getUTCDay() + 7) % 7;
  const day = 1 + daysToFirstThursday + 14;
  return `${year}-01-${String(day).padStart(2, '0')}`;
}

/**
 * Returns the first day of the Ever-6 window for a census day: the day after the same date six
 * years earlier. The window runs from that day to the census day, both included, so it spans
 * exactly six years. For census day 2025-01-16 it starts on 2019-01-17.
 *
 * Excluding the census day six years back matches DfE's count of six years of censuses, which
 * does not include the census taken on that day.
 * NOTE: DfE counts eligibility recorded at a census (spring, summer or autumn). This counts any
 * day of eligibility, so a period that fell wholly between two censuses counts here and not there.
 */
export function ever6WindowStart(censusDate: string): string {
  const [year, month, day] = parseIsoDate(censusDate);
  const sameDaySixYearsBefore = new Date(Date.UTC(year - 6, month - 1, day));
  sameDaySixYearsBefore.setUTCDate(sameDaySixYearsBefore.getUTCDate() + 1);
  return sameDaySixYearsBefore.toISOString().slice(0, 10);
}

/**
 * Decides whether a pupil is "FSM now": eligible for free school meals on the census day. A
 * period counts from its start to its end, both included, and an open period (end null) is
 * still current.
 *
 * Without any FSM period it returns the reported flag `fsmNow`, or false when that is missing.
 * An empty history with no flag means no recorded eligibility, because a CTF leaves out
 * `FSMhistory` for a pupil who was never eligible.
 */
export function isFsmNow(pupil: FsmFacts, censusDate: string): boolean {
  if (pupil.fsmPeriods.length === 0) {
    return pupil.reported.fsmNow === true;
  }
  return pupil.fsmPeriods.some((period) => periodOverlaps(period, censusDate, censusDate));
}

/**
 * Decides whether a pupil is Ever-6 FSM at a census day: any FSM period overlaps the six
 * years up to and including the census day (see `ever6WindowStart`). Without any FSM period it
 * is true when the source reports `ever6Fsm` or `fsmNow` as true.
 */
export function isEver6Fsm(pupil: FsmFacts, censusDate: string): boolean {
  if (pupil.fsmPeriods.length === 0) {
    return pupil.reported.ever6Fsm === true || pupil.reported.fsmNow === true;
  }
  const windowStart = ever6WindowStart(censusDate);
  return pupil.fsmPeriods.some((period) => periodOverlaps(period, windowStart, censusDate));
}

/**
 * Decides whether a pupil is disadvantaged as DfE's performance tables define it: Ever-6 FSM,
 * looked after, or previously looked after (adopted from care or left care under a special
 * guardianship or child arrangements order).
 */
export function isDisadvantaged(pupil: PremiumFacts, censusDate: string): boolean {
  return (
    isEver6Fsm(pupil, censusDate) || pupil.inCare === true || pupil.previouslyLookedAfter === true
  );
}

/** A reason a pupil attracts Pupil Premium funding. */
export type PupilPremiumReason =
  'ever6_fsm' | 'looked_after' | 'previously_looked_after' | 'service_child';

export const PUPIL_PREMIUM_REASON_LABELS: Readonly<Record<PupilPremiumReason, string>> = {
  ever6_fsm: 'Ever-6 FSM',
  looked_after: 'Looked after',
  previously_looked_after: 'Previously looked after',
  service_child: 'Service child',
};

export interface PupilPremiumEligibility {
  eligible: boolean;
  /** The grounds found in the record, in the order of `PUPIL_PREMIUM_REASON_LABELS`. */
  reasons: PupilPremiumReason[];
}

/**
 * Lists the grounds on which a pupil attracts Pupil Premium at a census day. Service children
 * attract the service pupil premium, which DfE pays at its own lower rate. A pupil with no
 * ground in the record is still eligible when the source reports `pupilPremium` as true, with
 * an empty list of reasons.
 */
export function pupilPremiumEligibility(
  pupil: PremiumFacts & Pick<ImportedPupil, 'reported'>,
  censusDate: string,
): PupilPremiumEligibility {
  const reasons: PupilPremiumReason[] = [];
  if (isEver6Fsm(pupil, censusDate)) {
    reasons.push('ever6_fsm');
  }
  if (pupil.inCare === true) {
    reasons.push('looked_after');
  }
  if (pupil.previouslyLookedAfter === true) {
    reasons.push('previously_looked_after');
  }
  if (pupil.serviceChild === true) {
    reasons.push('service_child');
  }
  return { eligible: reasons.length > 0 || pupil.reported.pupilPremium === true, reasons };
}

/** DfE language codes that mean English: `ENG` English, `ENB` believed to be English. */
const ENGLISH_CODES: ReadonlySet<string> = new Set(['ENG', 'ENB']);

/** DfE language codes for an unknown first language: `NOT` not obtained, `REF` refused. */
const UNKNOWN_LANGUAGE_CODES: ReadonlySet<string> = new Set(['NOT', 'REF']);

/**
 * Decides whether a pupil has English as an additional language. A first-language code wins:
 * `ENG` or `ENB` means no, `NOT` (not obtained) or `REF` (refused) means unknown, and any
 * other code means yes. Without a usable code it falls back to the `eal` flag.
 * Returns null when neither settles it.
 */
export function hasEnglishAsAdditionalLanguage(
  pupil: Pick<ImportedPupil, 'firstLanguage' | 'eal'>,
): boolean | null {
  const code = pupil.firstLanguage?.trim().toUpperCase() ?? '';
  if (code !== '' && !UNKNOWN_LANGUAGE_CODES.has(code)) {
    return !ENGLISH_CODES.has(code);
  }
  return pupil.eal;
}

/**
 * A major ethnic group as DfE's "Schools, pupils and their characteristics" statistics
 * (Explore education statistics, 2015/16 to 2024/25) report it. Chinese is part of Asian
 * there ("Asian - Chinese"), and Arab is part of "Any other ethnic group".
 */
export type EthnicityMajorGroup = 'white' | 'mixed' | 'asian' | 'black' | 'other' | 'unclassified';

export const ETHNICITY_MAJOR_GROUPS: readonly EthnicityMajorGroup[] = [
  'white',
  'mixed',
  'asian',
  'black',
  'other',
  'unclassified',
];

export const ETHNICITY_MAJOR_GROUP_LABELS: Readonly<Record<EthnicityMajorGroup, string>> = {
  white: 'White',
  mixed: 'Mixed',
  asian: 'Asian',
  black: 'Black',
  other: 'Any other ethnic group',
  unclassified: 'Unclassified',
};

/**
 * The major group each code's first letter stands for. In DfE's census code list ("Find a
 * school census code: applicable from August 2024", GOV.UK) the main codes (for example WBRI,
 * MWBC, APKN, BAFR, CHNE, OOTH) and the extended codes under them (for example WPOR, MWAP,
 * AMPK, BSOM, CHKC, OARA) start with the letter of their main category. Chinese codes start
 * with C and count as Asian.
 */
const GROUP_BY_FIRST_LETTER: Readonly<Record<string, EthnicityMajorGroup>> = {
  W: 'white',
  M: 'mixed',
  A: 'asian',
  C: 'asian',
  B: 'black',
  O: 'other',
};

/**
 * Maps a four-letter DfE ethnicity code to its major group. `REFU` (refused), `NOBT` (not yet
 * obtained), a missing code and a code that is not four letters of a known category are
 * unclassified.
 */
export function ethnicityMajorGroup(code: string | null): EthnicityMajorGroup {
  const normalised = code?.trim().toUpperCase() ?? '';
  if (!/^[A-Z]{4}$/.test(normalised)) {
    return 'unclassified';
  }
  return GROUP_BY_FIRST_LETTER[normalised.charAt(0)] ?? 'unclassified';
}

/** A national curriculum year group, with a key for group names and a label for people. */
export interface YearGroup {
  /** For example `year_7`, `reception`, `nursery_1`. */
  key: string;
  /** For example `Year 7`, `Reception`, `Nursery 1`. */
  label: string;
  /** Position for sorting: nursery first, then reception, then years 1 to 14. */
  order: number;
}

/**
 * Reads a pupil's year group from the national curriculum year as the source gives it: `N1`,
 * `N2`, `R`, or `1` to `14`. Returns null for `X` (no national curriculum year), a missing
 * value, or anything else.
 */
export function yearGroup(ncYear: string | null): YearGroup | null {
  const value = ncYear?.trim().toUpperCase() ?? '';
  if (value === 'N1' || value === 'N2') {
    const number = value.charAt(1);
    return { key: `nursery_${number}`, label: `Nursery ${number}`, order: Number(number) - 3 };
  }
  if (value === 'R') {
    return { key: 'reception', label: 'Reception', order: 0 };
  }
  if (/^(?:[1-9]|1[0-4])$/.test(value)) {
    return { key: `year_${value}`, label: `Year ${value}`, order: Number(value) };
  }
  return null;
}

/** Splits `YYYY-MM-DD` into numbers; throws a RangeError for any other shape or an impossible date. */
function parseIsoDate(date: string): [number, number, number] {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const parsed = match === null ? null : new Date(`${date}T00:00:00Z`);
  if (
    match === null ||
    parsed === null ||
    Number.isNaN(parsed.getTime()) ||
    parsed.toISOString().slice(0, 10) !== date
  ) {
    throw new RangeError(
      `Date must be a real date written YYYY-MM-DD: got ${JSON.stringify(date)}`,
    );
  }
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

/** True when a period, ends included, shares at least one day with [from, to]. */
function periodOverlaps(
  period: { start: string; end: string | null },
  from: string,
  to: string,
): boolean {
  return period.start <= to && (period.end === null || period.end >= from);
}
