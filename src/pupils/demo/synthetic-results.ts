/**
 * Statutory assessment results for synthetic pupils, as the Common Transfer File carries them
 * in `StageAssessments`. Each pupil has results only for assessments that took place when
 * their year group sat them.
 *
 * Key stage 2 reading and maths scaled scores use the codes the gap analysis labels by name
 * (`KS2/ENG/RD/TT/SS` and `KS2/MAT/MAT/TT/SS`, as stage/subject/component/method/qualifier).
 * NOTE: the codes of the other assessments are illustrative. DfE's Common Basic Data Set
 * defines the real code sets, which were not available here.
 */
import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';
import type { AssessmentResult } from '../model.js';
import {
  CANCELLED_ASSESSMENT_SUMMERS,
  FIRST_MULTIPLICATION_CHECK_SUMMER,
  KEY_STAGE_2,
  LAST_STATUTORY_KEY_STAGE_1_SUMMER,
  OTHER_ASSESSMENTS,
} from './national-figures.js';
import type { Random } from './random.js';

/** Inputs that shape one pupil's results. */
export interface AttainmentProfile {
  /** National curriculum year in the academic year of the file: 0 for reception, 1 to 13 after. */
  yearNumber: number;
  /** Start year of the academic year the file describes. */
  academicYear: number;
  /** The pupil's general attainment on a standard normal scale, shared by all subjects. */
  ability: number;
  /** Scaled-score points added for the pupil's groups, already centred on the school. */
  shift: number;
}

type Outcome =
  | { kind: 'scaled'; mean: number }
  | { kind: 'teacher'; expectedShare: number; greaterDepthShare: number; below: string }
  | { kind: 'mark'; maximum: number; mean: number }
  | { kind: 'early-learning-goal' };

interface AssessmentDefinition {
  stage: string;
  subject: string;
  component: string;
  method: string;
  qualifier: string;
  /** National curriculum year in which pupils sit it: 0 for reception. */
  takenInYear: number;
  /** Month and day the result is dated, in the summer the assessment is taken. */
  resultDay: string;
  outcome: Outcome;
  takesPlace: (summer: number) => boolean;
}

/** The 17 early learning goals of the EYFS profile as it stood before September 2021, abbreviated. */
// prettier-ignore
const EYFS_GOALS = [
  'LAS', 'UND', 'SPE', 'MOV', 'HSC', 'SCS', 'MFB', 'MAR', 'REA',
  'WRI', 'NUM', 'SSM', 'PCW', 'TPW', 'TEC', 'EMM', 'BEI',
] as const;

const notCancelled = (summer: number): boolean => !CANCELLED_ASSESSMENT_SUMMERS.includes(summer);

/**
 * Assessments in the order a pupil's results are filled: key stage 2 (reading and maths first),
 * the multiplication tables check, the phonics check, key stage 1, then the EYFS profile.
 * The shares working at greater depth (12% in key stage 2 writing, 15% in key stage 1) are
 * estimates.
 */
export const ASSESSMENT_CATALOGUE: readonly AssessmentDefinition[] = [
  scaledScore('ENG', 'RD', KEY_STAGE_2.meanScaledScore.reading),
  scaledScore('MAT', 'MAT', KEY_STAGE_2.meanScaledScore.maths),
  scaledScore('ENG', 'GPS', KEY_STAGE_2.meanScaledScore.grammar),
  {
    stage: 'KS2',
    subject: 'ENG',
    component: 'WRI',
    method: 'TA',
    qualifier: 'TA',
    takenInYear: 6,
    resultDay: '07-07',
    outcome: {
      kind: 'teacher',
      expectedShare: KEY_STAGE_2.expectedStandardShare.writing,
      greaterDepthShare: 0.12,
      below: 'WTS',
    },
    takesPlace: notCancelled,
  },
  {
    stage: 'KS2',
    subject: 'SCI',
    component: 'SCI',
    method: 'TA',
    qualifier: 'TA',
    takenInYear: 6,
    resultDay: '07-07',
    outcome: {
      kind: 'teacher',
      expectedShare: KEY_STAGE_2.expectedStandardShare.science,
      greaterDepthShare: 0,
      below: 'HNM',
    },
    takesPlace: notCancelled,
  },
  {
    stage: 'MTC',
    subject: 'MAT',
    component: 'MTC',
    method: 'TT',
    qualifier: 'MK',
    takenInYear: 4,
    resultDay: '06-28',
    outcome: { kind: 'mark', maximum: 25, mean: OTHER_ASSESSMENTS.multiplicationMeanScore },
    takesPlace: (summer) => summer >= FIRST_MULTIPLICATION_CHECK_SUMMER,
  },
  {
    stage: 'PHON',
    subject: 'ENG',
    component: 'PHON',
    method: 'TT',
    qualifier: 'MK',
    takenInYear: 1,
    resultDay: '06-20',
    outcome: {
      kind: 'mark',
      maximum: 40,
      mean: meanForShareAbove(32, 40, OTHER_ASSESSMENTS.phonicsThresholdShare),
    },
    takesPlace: notCancelled,
  },
  keyStage1('ENG', 'RD'),
  keyStage1('ENG', 'WRI'),
  keyStage1('MAT', 'MAT'),
  ...EYFS_GOALS.map((goal): AssessmentDefinition => ({
    stage: 'EYF',
    subject: 'ELG',
    component: goal,
    method: 'TA',
    qualifier: 'EL',
    takenInYear: 0,
    resultDay: '06-30',
    outcome: { kind: 'early-learning-goal' },
    takesPlace: notCancelled,
  })),
];

/** Weight of the pupil's general attainment in each result. Random noise makes up the rest. */
const ABILITY_WEIGHT = 0.85;
const NOISE_WEIGHT = Math.sqrt(1 - ABILITY_WEIGHT * ABILITY_WEIGHT);

/**
 * Lists up to `limit` results for a pupil, taking assessments in catalogue order and skipping
 * those the pupil has not sat yet or that did not take place in their year.
 */
export function generateResults(
  random: Random,
  profile: AttainmentProfile,
  limit: number,
): AssessmentResult[] {
  const results: AssessmentResult[] = [];
  for (const definition of ASSESSMENT_CATALOGUE) {
    if (results.length >= limit) break;
    if (profile.yearNumber < definition.takenInYear) continue;

    const summer = profile.academicYear + 1 - (profile.yearNumber - definition.takenInYear);
    if (!definition.takesPlace(summer)) continue;

    const attainment = ABILITY_WEIGHT * profile.ability + NOISE_WEIGHT * random.normal(0, 1);
    results.push({
      stage: definition.stage,
      subject: definition.subject,
      component: definition.component,
      method: definition.method,
      qualifier: definition.qualifier,
      result: resultText(definition.outcome, attainment, profile.shift),
      resultDate: `${summer}-${definition.resultDay}`,
      year: summer,
    });
  }
  return results;
}

function resultText(outcome: Outcome, attainment: number, shift: number): string {
  const standardised = attainment + shift / KEY_STAGE_2.standardDeviation;
  switch (outcome.kind) {
    case 'scaled': {
      const score = Math.round(outcome.mean + KEY_STAGE_2.standardDeviation * standardised);
      return String(clamp(score, KEY_STAGE_2.minimumScaledScore, KEY_STAGE_2.maximumScaledScore));
    }
    case 'teacher': {
      const greaterDepth =
        outcome.greaterDepthShare > 0 &&
        standardised > normalQuantile(1 - outcome.greaterDepthShare, 0, 1);
      if (greaterDepth) return 'GDS';
      return standardised > normalQuantile(1 - outcome.expectedShare, 0, 1) ? 'EXS' : outcome.below;
    }
    case 'mark': {
      const spread = markSpread(outcome.maximum);
      return String(clamp(Math.round(outcome.mean + spread * standardised), 0, outcome.maximum));
    }
    case 'early-learning-goal':
      // About 70% of goals at the expected level (estimate).
      return standardised > normalQuantile(0.3, 0, 1) ? 'EX' : 'EM';
  }
}

function scaledScore(subject: string, component: string, mean: number): AssessmentDefinition {
  return {
    stage: 'KS2',
    subject,
    component,
    method: 'TT',
    qualifier: 'SS',
    takenInYear: 6,
    resultDay: '07-07',
    outcome: { kind: 'scaled', mean },
    takesPlace: notCancelled,
  };
}

function keyStage1(subject: string, component: string): AssessmentDefinition {
  return {
    stage: 'KS1',
    subject,
    component,
    method: 'TA',
    qualifier: 'TA',
    takenInYear: 2,
    resultDay: '06-30',
    outcome: {
      kind: 'teacher',
      expectedShare: OTHER_ASSESSMENTS.keyStage1ExpectedShare,
      greaterDepthShare: 0.15,
      below: 'WTS',
    },
    takesPlace: (summer) => notCancelled(summer) && summer <= LAST_STATUTORY_KEY_STAGE_1_SUMMER,
  };
}

/** Standard deviation of a mark: an eighth of the maximum mark (estimate). */
function markSpread(maximum: number): number {
  return maximum / 8;
}

/** Returns the mean mark that puts `share` of pupils at or above `threshold`. */
function meanForShareAbove(threshold: number, maximum: number, share: number): number {
  return threshold + markSpread(maximum) * normalQuantile(share, 0, 1);
}

function clamp(value: number, minimum: number, maximum: number): number {
  return Math.min(maximum, Math.max(minimum, value));
}
