/**
 * One synthetic pupil's identity and characteristics: name, UPN, date of birth, sex, ethnicity,
 * first language, SEN provision, care and free school meal history.
 */
import { ever6WindowStart } from '../../cycle/understand/pupil-groups.js';
import type { FsmPeriod, SenProvision, Sex } from '../model.js';
import { computeUpnCheckLetter } from '../upn.js';
import type { SchoolOptions, SyntheticPupil } from './generate-school.js';
import {
  EVER6_NOT_NOW_SHARE,
  FSM_BY_SEN,
  LOOKED_AFTER_SHARE,
  OLD_FSM_ONLY_SHARE,
  SEN,
} from './national-figures.js';
import type { Random } from './random.js';
import type { BehaviourProfile } from './synthetic-attendance.js';
import { addDays, dateBetween, daysBetween, maxDate } from './synthetic-dates.js';
import {
  ETHNICITY_WEIGHTS,
  SEN_NEED_WEIGHTS,
  pickFirstLanguage,
  pickName,
} from './synthetic-people.js';

/** A pupil before attendance and results, with the latent attainment that results follow. */
export type DraftPupil = Omit<SyntheticPupil, 'attendance' | 'exclusions' | 'results'> &
  BehaviourProfile & { ability: number; senProvision: SenProvision };

/** Feeder schools, numbered from this establishment number, that allocated pupils' UPNs. */
const FIRST_FEEDER_ESTAB = 2001;
const FEEDER_SCHOOLS = 8;

export interface DraftContext {
  options: SchoolOptions;
  la: string;
  estab: string;
  ncYear: string;
  census: string;
  /** Next UPN serial for each allocating school and year of allocation. */
  serials: Map<string, number>;
}

/** Draws one pupil in year group `context.ncYear`. */
export function draftPupil(random: Random, context: DraftContext): DraftPupil {
  const { options, ncYear, census } = context;
  const year = yearNumber(ncYear);
  const receptionStart = `${options.academicYear - year}-09-01`;

  const sex: Sex = random.chance(0.5) ? 'M' : 'F';
  const name = pickName(random, sex);
  const ethnicity = random.weighted(ETHNICITY_WEIGHTS);
  const senProvision = pickSenProvision(random, sex);
  const inCare = random.chance(LOOKED_AFTER_SHARE);
  const fsm = pickFsmHistory(random, senProvision, receptionStart, census);

  return {
    upn: allocateUpn(random, context, year),
    upnTemporary: false,
    legalSurname: name.surname,
    legalForename: name.forename,
    preferredSurname: null,
    preferredForename: name.preferredForename,
    dateOfBirth: dateOfBirth(random, options.academicYear, year),
    sex,
    ncYear,
    ethnicity,
    ethnicitySource: year >= 7 && random.chance(0.3) ? 'C' : 'P',
    firstLanguage: pickFirstLanguage(random, ethnicity),
    eal: null,
    senProvision,
    senNeed: senProvision === 'N' ? null : random.weighted(SEN_NEED_WEIGHTS[senProvision]),
    senStartDate: senProvision === 'N' ? null : dateBetween(random, receptionStart, census),
    inCare,
    careAuthority: inCare ? context.la : null,
    previouslyLookedAfter: null,
    serviceChild: null,
    fsmPeriods: fsm.periods,
    reported: { fsmNow: null, ever6Fsm: null, pupilPremium: null },
    disadvantaged: fsm.ever6 || inCare,
    ability: random.normal(0, 1),
    location: '',
  };
}

/**
 * Draws SEN provision given the pupil's sex, so that both the overall shares and the share of
 * boys match the published figures. Boys and girls are drawn with equal chance, so the chance
 * for a boy is the overall share times the boys' share of it, divided by one half.
 */
function pickSenProvision(random: Random, sex: Sex): 'N' | 'K' | 'E' {
  const boys = sex === 'M';
  const ehcPlan =
    (SEN.ehcPlanShare * (boys ? SEN.boysShareOfEhcPlans : 1 - SEN.boysShareOfEhcPlans)) / 0.5;
  const support =
    (SEN.supportShare * (boys ? SEN.boysShareOfSupport : 1 - SEN.boysShareOfSupport)) / 0.5;
  const draw = random.next();
  if (draw < ehcPlan) return 'E';
  if (draw < ehcPlan + support) return 'K';
  return 'N';
}

/**
 * Draws a free school meal history. A pupil eligible now has an open period that began before
 * the census day, sometimes after an earlier one. Some pupils had a period that ended inside the
 * six-year window, so they are Ever-6 but not eligible now. A few older pupils had one that
 * ended before the window, which does not count.
 */
function pickFsmHistory(
  random: Random,
  senProvision: 'N' | 'K' | 'E',
  receptionStart: string,
  census: string,
): { periods: FsmPeriod[]; ever6: boolean } {
  const eligibleNow =
    senProvision === 'E'
      ? FSM_BY_SEN.ehcPlan
      : senProvision === 'K'
        ? FSM_BY_SEN.senSupport
        : FSM_BY_SEN.noSen;
  const windowStart = ever6WindowStart(census);
  const latestStart = addDays(census, -30);
  const draw = random.next();

  if (draw < eligibleNow) {
    const start = dateBetween(random, receptionStart, latestStart);
    const periods: FsmPeriod[] = [];
    const earlierRoom = daysBetween(receptionStart, start);
    if (earlierRoom > 500 && random.chance(0.15)) {
      const earlierStart = dateBetween(random, receptionStart, addDays(start, -400));
      periods.push({
        start: earlierStart,
        end: dateBetween(random, addDays(earlierStart, 90), addDays(start, -60)),
      });
    }
    periods.push({ start, end: null });
    return { periods, ever6: true };
  }

  if (draw < eligibleNow + EVER6_NOT_NOW_SHARE) {
    const earliest = maxDate(receptionStart, addDays(windowStart, -365));
    const start = dateBetween(random, earliest, addDays(census, -365));
    const end = dateBetween(
      random,
      maxDate(addDays(start, 90), addDays(windowStart, 30)),
      addDays(census, -30),
    );
    return { periods: [{ start, end }], ever6: true };
  }

  if (
    draw < eligibleNow + EVER6_NOT_NOW_SHARE + OLD_FSM_ONLY_SHARE &&
    daysBetween(receptionStart, windowStart) > 400
  ) {
    const start = dateBetween(random, receptionStart, addDays(windowStart, -400));
    return {
      periods: [{ start, end: dateBetween(random, addDays(start, 90), addDays(windowStart, -30)) }],
      ever6: false,
    };
  }

  return { periods: [], ever6: false };
}

/**
 * Builds a UPN as the school that first admitted the pupil allocated it: that school's LA and
 * establishment numbers, the last two digits of the allocation year and a serial. A primary
 * school allocates its own pupils' UPNs; a secondary school's pupils come from feeder primaries
 * in the same LA.
 */
function allocateUpn(random: Random, context: DraftContext, year: number): string {
  const allocatedBy =
    context.options.phase === 'primary'
      ? context.estab
      : String(FIRST_FEEDER_ESTAB + random.integer(0, FEEDER_SCHOOLS - 1)).padStart(4, '0');
  const allocationYear = String((context.options.academicYear - year) % 100).padStart(2, '0');
  const key = `${context.la}${allocatedBy}${allocationYear}`;
  const serial = (context.serials.get(key) ?? 0) + 1;
  context.serials.set(key, serial);
  const body = `${key}${String(serial).padStart(3, '0')}`;
  return `${computeUpnCheckLetter(body)}${body}`;
}

/** National curriculum year as a number: reception is 0. */
export function yearNumber(ncYear: string): number {
  return ncYear === 'R' ? 0 : Number(ncYear);
}

/**
 * Draws a date of birth for year group Y in academic year A. Pupils start reception in the
 * September after they turn four, so it falls from 1 September of A − Y − 5 to 31 August of A − Y − 4.
 */
function dateOfBirth(random: Random, academicYear: number, year: number): string {
  const firstBirthYear = academicYear - year - 5;
  return dateBetween(random, `${firstBirthYear}-09-01`, `${firstBirthYear + 1}-08-31`);
}
