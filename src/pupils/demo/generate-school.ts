/**
 * A seeded generator of synthetic schools: pupils with characteristics, attendance, exclusions
 * and assessment results whose rates follow published national figures for England
 * (`national-figures.ts`), written as a Common Transfer File and as CSV exports.
 *
 * The same options always give the same school, byte for byte. Every pupil is invented: names
 * are random pairings from short lists and UPNs are built on the school's own LA number.
 */
import { springCensusDate } from '../../cycle/understand/pupil-groups.js';
import type { ImportedPupil, Sex } from '../model.js';
import { writeSchoolCtf } from './ctf-writer.js';
import { writeExclusionsCsv, writeTermlyAttendanceCsv } from './csv-writers.js';
import { KEY_STAGE_2, type Phase } from './national-figures.js';
import { createRandom, type Random } from './random.js';
import { generatePupilYears } from './synthetic-attendance.js';
import { draftPupil, yearNumber, type DraftPupil } from './synthetic-pupil.js';
import { generateResults } from './synthetic-results.js';

export interface SchoolOptions {
  /** Any number or text. The same seed and options give the same school. */
  seed: number | string;
  /** LA number and establishment number, seven digits, for example `9999001`. */
  laestab: string;
  name: string;
  phase: Phase;
  pupils: number;
  /** Start year of the academic year the file describes: 2025 means 2025/26. */
  academicYear: number;
  /** 3 gives each pupil one attendance record per term, 1 one record for the year. */
  terms: 1 | 3;
  /** Maximum number of assessment results per pupil. A pupil who sat fewer assessments gets fewer. */
  resultsPerPupil: number;
}

/** A generated pupil, with the details a CTF carries beyond the import model. */
export interface SyntheticPupil extends ImportedPupil {
  sex: Sex;
  ethnicitySource: 'P' | 'C';
  /** Primary type of need for a pupil with SEN provision, for example `SLCN`. */
  senNeed: string | null;
  senStartDate: string | null;
  /** LA number of the authority looking after the pupil, when in care. */
  careAuthority: string | null;
  /** Disadvantage as the generator drew it: Ever-6 FSM at the spring census day, or looked after. */
  disadvantaged: boolean;
}

export interface SyntheticSchool {
  laestab: string;
  la: string;
  estab: string;
  name: string;
  phase: Phase;
  academicYear: number;
  terms: 1 | 3;
  pupils: SyntheticPupil[];
}

/** Largest school the generator makes: well above the 2,000 pupils a school is expected to have. */
export const MAXIMUM_PUPILS = 5_000;
export const MAXIMUM_RESULTS_PER_PUPIL = 30;

const YEAR_GROUPS: Record<Phase, readonly string[]> = {
  primary: ['R', '1', '2', '3', '4', '5', '6'],
  secondary: ['7', '8', '9', '10', '11'],
};

/** Generates a synthetic school. Throws a RangeError naming the option that is out of range. */
export function generateSchool(options: SchoolOptions): SyntheticSchool {
  validateOptions(options);
  const la = options.laestab.slice(0, 3);
  const estab = options.laestab.slice(3);
  const yearGroups = YEAR_GROUPS[options.phase];
  const randomFor = (index: number, aspect: string): Random =>
    createRandom(`${options.seed}:${index}:${aspect}`);
  const census = springCensusDate(options.academicYear);

  const serials = new Map<string, number>();
  const drafts = Array.from({ length: options.pupils }, (_, index) => {
    const ncYear = yearGroups[index % yearGroups.length] as string;
    return draftPupil(randomFor(index, 'pupil'), { options, la, estab, ncYear, census, serials });
  });

  const years = generatePupilYears(
    drafts,
    {
      phase: options.phase,
      academicYear: options.academicYear,
      schoolLaestab: options.laestab,
      terms: options.terms,
    },
    (index) => randomFor(index, 'attendance'),
  );

  const meanShift =
    drafts.reduce((sum, draft) => sum + attainmentShift(draft), 0) / Math.max(1, drafts.length);
  const pupils = drafts.map((draft, index): SyntheticPupil => {
    const year = years[index] as (typeof years)[number];
    const results = generateResults(
      randomFor(index, 'results'),
      {
        yearNumber: yearNumber(draft.ncYear ?? 'R'),
        academicYear: options.academicYear,
        ability: draft.ability,
        shift: attainmentShift(draft) - meanShift,
      },
      options.resultsPerPupil,
    );
    return {
      ...withoutAbility(draft),
      attendance: year.attendance,
      exclusions: year.exclusions,
      results,
    };
  });

  pupils.sort(
    (a, b) =>
      yearNumber(a.ncYear ?? 'R') - yearNumber(b.ncYear ?? 'R') || a.upn.localeCompare(b.upn),
  );
  pupils.forEach((pupil, index) => {
    pupil.location = `Pupil ${index + 1}`;
  });

  return {
    laestab: options.laestab,
    la,
    estab,
    name: options.name,
    phase: options.phase,
    academicYear: options.academicYear,
    terms: options.terms,
    pupils,
  };
}

/** Generates a synthetic school and writes it as a CTF 25.0 XML file. */
export function generateSchoolCtf(options: SchoolOptions): string {
  return writeSchoolCtf(generateSchool(options));
}

/** Generates a synthetic school and writes its suspensions and permanent exclusions as CSV. */
export function generateExclusionsCsv(options: SchoolOptions): string {
  return writeExclusionsCsv(generateSchool(options));
}

/** Generates a synthetic school and writes its attendance as CSV, one row per pupil and term. */
export function generateTermlyAttendanceCsv(options: SchoolOptions): string {
  return writeTermlyAttendanceCsv(generateSchool(options));
}

/** Drops the latent attainment, which describes the generator rather than the pupil. */
function withoutAbility(draft: DraftPupil): Omit<DraftPupil, 'ability'> {
  const pupil: Partial<DraftPupil> = { ...draft };
  delete pupil.ability;
  return pupil as Omit<DraftPupil, 'ability'>;
}

/** Scaled-score points for the pupil's groups before centring on the school. */
function attainmentShift(pupil: DraftPupil): number {
  let shift = pupil.disadvantaged ? KEY_STAGE_2.shift.disadvantaged : 0;
  if (pupil.senProvision === 'K') shift += KEY_STAGE_2.shift.senSupport;
  if (pupil.senProvision === 'E') shift += KEY_STAGE_2.shift.ehcPlan;
  return shift;
}

function validateOptions(options: SchoolOptions): void {
  if (!/^\d{7}$/.test(options.laestab)) {
    throw new RangeError(
      `laestab "${options.laestab}" is invalid: give 7 digits, the LA number then the establishment number`,
    );
  }
  if (options.name.trim() === '') throw new RangeError('name is empty: give the school a name');
  if (!Number.isInteger(options.pupils) || options.pupils < 1 || options.pupils > MAXIMUM_PUPILS) {
    throw new RangeError(
      `pupils is ${options.pupils}: give a whole number from 1 to ${MAXIMUM_PUPILS}`,
    );
  }
  if (
    !Number.isInteger(options.academicYear) ||
    options.academicYear < 2010 ||
    options.academicYear > 2100
  ) {
    throw new RangeError(
      `academicYear is ${options.academicYear}: give a start year from 2010 to 2100, for example 2025`,
    );
  }
  if (
    !Number.isInteger(options.resultsPerPupil) ||
    options.resultsPerPupil < 0 ||
    options.resultsPerPupil > MAXIMUM_RESULTS_PER_PUPIL
  ) {
    throw new RangeError(
      `resultsPerPupil is ${options.resultsPerPupil}: give a whole number from 0 to ${MAXIMUM_RESULTS_PER_PUPIL}`,
    );
  }
  if (options.terms !== 1 && options.terms !== 3) {
    throw new RangeError(`terms is ${String(options.terms)}: give 1 or 3`);
  }
  if (options.phase !== 'primary' && options.phase !== 'secondary') {
    throw new RangeError(`phase is "${String(options.phase)}": give primary or secondary`);
  }
}
