/**
 * Attendance, suspensions and permanent exclusions for synthetic pupils over one academic year.
 *
 * Each pupil gets an absence rate of their own from a beta distribution whose mean depends on
 * their groups, scaled so that the school's pooled rate comes close to the national rate for
 * its phase. Suspension days count as authorised absence, because registers record them with
 * code E (suspended or permanently excluded, no alternative provision), an authorised code
 * under the School Attendance (Pupil Registration) (England) Regulations 2024.
 */
import type { AttendanceRecord, ExclusionRecord } from '../model.js';
import {
  ABSENCE,
  ABSENCE_CONCENTRATION,
  ABSENCE_MULTIPLIER,
  DISADVANTAGED_EXTRA_UNAUTHORISED_SHARE,
  PERMANENT_EXCLUSIONS,
  POSSIBLE_SESSIONS,
  SUSPENSIONS,
  EXCLUSION_REASONS,
  type Phase,
} from './national-figures.js';
import type { Random } from './random.js';
import { weekdayBetween } from './synthetic-dates.js';

export type Term = 'autumn' | 'spring' | 'summer';

export const TERMS: readonly Term[] = ['autumn', 'spring', 'summer'];

/** The pupil facts that attendance and exclusions depend on. */
export interface BehaviourProfile {
  disadvantaged: boolean;
  senProvision: 'N' | 'K' | 'E';
}

export interface AttendanceSettings {
  phase: Phase;
  academicYear: number;
  schoolLaestab: string;
  /** 3 writes one record per term; 1 writes one record for the whole year. */
  terms: 1 | 3;
}

export interface PupilYear {
  attendance: AttendanceRecord[];
  exclusions: ExclusionRecord[];
}

/** First and last day of each term; schools set their own dates, so these are typical ones. */
function termWindows(academicYear: number): Record<Term, { first: string; last: string }> {
  const spring = academicYear + 1;
  return {
    autumn: { first: `${academicYear}-09-04`, last: `${academicYear}-12-18` },
    spring: { first: `${spring}-01-06`, last: `${spring}-03-27` },
    summer: { first: `${spring}-04-14`, last: `${spring}-07-17` },
  };
}

/** Ratio of each term's absence rate to the year's, from the published 2023/24 term rates. */
const TERM_FACTOR: Record<Term, number> = {
  autumn: ABSENCE.termRate.autumn / ABSENCE.yearRate,
  spring: ABSENCE.termRate.spring / ABSENCE.yearRate,
  summer: ABSENCE.termRate.summer / ABSENCE.yearRate,
};

/** The highest absence rate a pupil is given in one term. */
const MAXIMUM_TERM_RATE = 0.98;

/**
 * Generates each pupil's attendance and exclusions for the year. `randomFor` returns the
 * pupil's own random stream, so one pupil's draws do not depend on another's.
 */
export function generatePupilYears(
  profiles: readonly BehaviourProfile[],
  settings: AttendanceSettings,
  randomFor: (index: number) => Random,
): PupilYear[] {
  const absenceMeans = scaleToMean(
    profiles.map(absenceWeight),
    ABSENCE.overallRate[settings.phase],
  );
  const suspendedShare = SUSPENSIONS.ratePer100[settings.phase] / 100 / meanSuspensionCount();
  const suspensionChances = scaleToMean(profiles.map(suspensionWeight), suspendedShare);
  const exclusionChances = scaleToMean(
    profiles.map((profile) =>
      profile.disadvantaged ? PERMANENT_EXCLUSIONS.disadvantagedMultiplier : 1,
    ),
    PERMANENT_EXCLUSIONS.ratePer100[settings.phase] / 100,
  );

  return profiles.map((profile, index) =>
    generatePupilYear(profile, settings, randomFor(index), {
      absenceMean: absenceMeans[index] as number,
      suspensionChance: suspensionChances[index] as number,
      exclusionChance: exclusionChances[index] as number,
    }),
  );
}

interface PupilChances {
  absenceMean: number;
  suspensionChance: number;
  exclusionChance: number;
}

function generatePupilYear(
  profile: BehaviourProfile,
  settings: AttendanceSettings,
  random: Random,
  chances: PupilChances,
): PupilYear {
  const windows = termWindows(settings.academicYear);
  const possible = possibleSessions(random);
  const exclusions: ExclusionRecord[] = [];
  const suspendedSessions: Record<Term, number> = { autumn: 0, spring: 0, summer: 0 };
  const termsOnRoll = TERMS.filter((term) => possible[term] > 0);

  // A permanent exclusion ends the pupil's time at the school: later terms have no sessions.
  if (random.chance(chances.exclusionChance)) {
    const term = random.pick(termsOnRoll);
    exclusions.push({
      academicYear: settings.academicYear,
      kind: 'permanent',
      startDate: weekdayBetween(random, windows[term].first, windows[term].last),
      sessionsLost: null,
      reason: random.weighted(EXCLUSION_REASONS),
    });
    for (const later of TERMS.slice(TERMS.indexOf(term) + 1)) possible[later] = 0;
  }

  if (random.chance(chances.suspensionChance)) {
    const count = random.weighted(SUSPENSIONS.countWeights);
    const excludedOn = exclusions[0]?.startDate ?? null;
    const usedDates = new Set(exclusions.map((exclusion) => exclusion.startDate));
    for (let suspension = 0; suspension < count; suspension += 1) {
      const term = random.pick(TERMS.filter((candidate) => possible[candidate] > 0));
      const startDate = weekdayBetween(random, windows[term].first, windows[term].last);
      // A clash or a date after a permanent exclusion drops the suspension, so a pupil can end
      // up with fewer suspensions than drawn.
      if (usedDates.has(startDate) || (excludedOn !== null && startDate > excludedOn)) continue;
      usedDates.add(startDate);
      const sessionsLost = 2 * random.weighted(SUSPENSIONS.dayWeights);
      suspendedSessions[term] += sessionsLost;
      exclusions.push({
        academicYear: settings.academicYear,
        kind: 'suspension',
        startDate,
        sessionsLost,
        reason: random.weighted(EXCLUSION_REASONS),
      });
    }
  }

  const rate = random.beta(chances.absenceMean, ABSENCE_CONCENTRATION);
  const unauthorisedShare = Math.min(
    0.9,
    ABSENCE.unauthorisedShareOfAbsence[settings.phase] +
      (profile.disadvantaged ? DISADVANTAGED_EXTRA_UNAUTHORISED_SHARE : 0),
  );
  const termRecords = TERMS.filter((term) => possible[term] > 0).map((term) => {
    const sessions = possible[term];
    const missed = random.binomial(sessions, Math.min(MAXIMUM_TERM_RATE, rate * TERM_FACTOR[term]));
    const unauthorised = random.binomial(missed, unauthorisedShare);
    const authorised = Math.min(
      sessions - unauthorised,
      missed - unauthorised + suspendedSessions[term],
    );
    return attendanceRecord(settings, term, sessions, authorised, unauthorised);
  });

  exclusions.sort((a, b) => a.startDate.localeCompare(b.startDate));
  return {
    attendance: settings.terms === 3 ? termRecords : [sumToYear(settings, termRecords)],
    exclusions,
  };
}

/**
 * Draws the sessions the pupil could attend in each term. About 3% of pupils join at the start
 * of the spring term and 2% at the start of the summer term (estimate). One pupil in ten has up
 * to four sessions in a term that are not possible for them (estimate). Registers record such
 * sessions with codes such as X (not required to attend) and Y1 to Y7 (exceptional circumstances).
 */
function possibleSessions(random: Random): Record<Term, number> {
  const joins = random.weighted<Term>([
    ['autumn', 95],
    ['spring', 3],
    ['summer', 2],
  ]);
  const firstTerm = TERMS.indexOf(joins);
  const possible = { autumn: 0, spring: 0, summer: 0 };
  for (const term of TERMS.slice(firstTerm)) {
    possible[term] = POSSIBLE_SESSIONS[term] - (random.chance(0.1) ? random.integer(1, 4) : 0);
  }
  return possible;
}

function attendanceRecord(
  settings: AttendanceSettings,
  period: Term | 'year',
  possible: number,
  authorised: number,
  unauthorised: number,
): AttendanceRecord {
  return {
    academicYear: settings.academicYear,
    period,
    schoolLaestab: settings.schoolLaestab,
    possible,
    attended: possible - authorised - unauthorised,
    authorised,
    unauthorised,
  };
}

function sumToYear(
  settings: AttendanceSettings,
  records: readonly AttendanceRecord[],
): AttendanceRecord {
  const total = (field: 'possible' | 'authorised' | 'unauthorised'): number =>
    records.reduce((sum, record) => sum + record[field], 0);
  return attendanceRecord(
    settings,
    'year',
    total('possible'),
    total('authorised'),
    total('unauthorised'),
  );
}

function absenceWeight(profile: BehaviourProfile): number {
  let weight = profile.disadvantaged ? ABSENCE_MULTIPLIER.disadvantaged : 1;
  if (profile.senProvision === 'E') weight *= ABSENCE_MULTIPLIER.ehcPlan;
  if (profile.senProvision === 'K') weight *= ABSENCE_MULTIPLIER.senSupport;
  return weight;
}

function suspensionWeight(profile: BehaviourProfile): number {
  const disadvantaged = profile.disadvantaged ? SUSPENSIONS.disadvantagedMultiplier : 1;
  return disadvantaged * (profile.senProvision === 'N' ? 1 : SUSPENSIONS.senMultiplier);
}

function meanSuspensionCount(): number {
  const total = SUSPENSIONS.countWeights.reduce((sum, [, weight]) => sum + weight, 0);
  return SUSPENSIONS.countWeights.reduce((sum, [count, weight]) => sum + count * weight, 0) / total;
}

/** Scales weights so that their mean is `mean`, capping each at 0.95 so it stays a probability. */
function scaleToMean(weights: readonly number[], mean: number): number[] {
  const average = weights.reduce((sum, weight) => sum + weight, 0) / Math.max(1, weights.length);
  return weights.map((weight) => Math.min(0.95, (weight / average) * mean));
}
