import {
  ASSESSMENT_LABELS,
  PERSISTENT_ABSENCE_THRESHOLD,
  describeAssessmentKey,
  latestNumericResults,
  yearSessions,
  type AnalysisPupil,
} from '../understand/gap-analysis.js';

/**
 * Measures an intended outcome can use. A measure computed from pupil records gets its baseline
 * from the data. A questionnaire measure gets its baseline from the school's own survey.
 */

export type MeasureUnit = 'percent' | 'points';

/** Whether a rise or a fall in the measure is the change a plan hopes for. */
export type MeasureDirection = 'increase' | 'decrease';

export interface OutcomeMeasure {
  key: string;
  label: string;
  unit: MeasureUnit;
  /** The direction of improvement, or null when the school's target sets it (questionnaires). */
  better: MeasureDirection | null;
  /** Definition of the figure, shown beside the baseline. */
  definition: string;
  computed: boolean;
}

export const QUESTIONNAIRE_MEASURE = 'questionnaire';

const ASSESSMENT_PREFIX = 'assessment:';

const FIXED_MEASURES: readonly OutcomeMeasure[] = [
  {
    key: 'attendance_rate',
    label: 'Attendance rate',
    unit: 'percent',
    better: 'increase',
    definition:
      'Sessions attended as a percentage of possible sessions, added up over the pupils (DfE pools sessions rather than averaging pupils’ rates).',
    computed: true,
  },
  {
    key: 'persistent_absence',
    label: 'Persistent absence',
    unit: 'percent',
    better: 'decrease',
    definition:
      'Percentage of the pupils who missed 10% or more of their own possible sessions (DfE definition since 2015/16).',
    computed: true,
  },
  {
    key: 'suspension_rate',
    label: 'Pupils suspended',
    unit: 'percent',
    better: 'decrease',
    definition: 'Percentage of the pupils with at least one suspension in the academic year.',
    computed: true,
  },
  {
    key: QUESTIONNAIRE_MEASURE,
    label: 'A questionnaire measure',
    unit: 'points',
    better: null,
    definition:
      'A score from a questionnaire the school names, such as a wellbeing or engagement scale. The school enters the baseline from its own survey.',
    computed: false,
  },
];

/** Lists every measure, with one entry for each assessment that has a name. */
export function listOutcomeMeasures(): OutcomeMeasure[] {
  const assessments = Object.keys(ASSESSMENT_LABELS).map((key) => assessmentMeasure(key));
  return [...FIXED_MEASURES, ...assessments];
}

/** Finds a measure by key, including any assessment key. Returns null for an unknown key. */
export function findOutcomeMeasure(key: string): OutcomeMeasure | null {
  if (key.startsWith(ASSESSMENT_PREFIX)) {
    const assessment = key.slice(ASSESSMENT_PREFIX.length);
    return /^[A-Z0-9]*(?:\/[A-Z0-9]*){4}$/.test(assessment) ? assessmentMeasure(assessment) : null;
  }
  return FIXED_MEASURES.find((measure) => measure.key === key) ?? null;
}

function assessmentMeasure(assessmentKey: string): OutcomeMeasure {
  return {
    key: `${ASSESSMENT_PREFIX}${assessmentKey}`,
    label: ASSESSMENT_LABELS[assessmentKey] ?? describeAssessmentKey(assessmentKey),
    unit: 'points',
    better: 'increase',
    definition:
      'Mean of the pupils’ latest numeric results in this assessment; pupils without a result are left out.',
    computed: true,
  };
}

export interface Baseline {
  /** The measure's value, or null when no pupil has data for it. */
  value: number | null;
  /** Pupils whose data the value rests on. */
  pupils: number;
}

/**
 * Works out a computed measure for the given pupils in one academic year. Throws for the
 * questionnaire measure, whose baseline comes from the school, not from pupil records.
 */
export function computeBaseline(
  measure: OutcomeMeasure,
  pupils: readonly AnalysisPupil[],
  academicYear: number,
): Baseline {
  if (measure.key === 'attendance_rate') return attendanceRate(pupils, academicYear);
  if (measure.key === 'persistent_absence') return persistentAbsence(pupils, academicYear);
  if (measure.key === 'suspension_rate') return suspensionRate(pupils, academicYear);
  if (measure.key.startsWith(ASSESSMENT_PREFIX))
    return assessmentMean(pupils, measure.key.slice(ASSESSMENT_PREFIX.length));
  throw new Error(`Measure "${measure.key}" has no baseline computed from pupil records`);
}

function attendanceRate(pupils: readonly AnalysisPupil[], academicYear: number): Baseline {
  let possible = 0;
  let attended = 0;
  let counted = 0;
  for (const pupil of pupils) {
    const sessions = yearSessions(pupil.attendance, academicYear);
    if (sessions === null || sessions.possible === 0) continue;
    possible += sessions.possible;
    attended += sessions.attended;
    counted += 1;
  }
  return { value: possible === 0 ? null : (100 * attended) / possible, pupils: counted };
}

function persistentAbsence(pupils: readonly AnalysisPupil[], academicYear: number): Baseline {
  const { numerator, denominator } = PERSISTENT_ABSENCE_THRESHOLD;
  let absent = 0;
  let counted = 0;
  for (const pupil of pupils) {
    const sessions = yearSessions(pupil.attendance, academicYear);
    if (sessions === null || sessions.possible === 0) continue;
    counted += 1;
    // Whole-number comparison, so a pupil exactly on 10% counts as persistently absent.
    if (sessions.missed * denominator >= sessions.possible * numerator) absent += 1;
  }
  return { value: counted === 0 ? null : (100 * absent) / counted, pupils: counted };
}

/**
 * Computes the share of pupils suspended at least once. Every pupil on roll counts in the
 * denominator, because a pupil with no suspension recorded was not suspended, as in DfE's
 * suspension rate over the school's headcount.
 */
function suspensionRate(pupils: readonly AnalysisPupil[], academicYear: number): Baseline {
  const suspended = pupils.filter((pupil) =>
    pupil.exclusions.some(
      (exclusion) => exclusion.academicYear === academicYear && exclusion.kind === 'suspension',
    ),
  ).length;
  return {
    value: pupils.length === 0 ? null : (100 * suspended) / pupils.length,
    pupils: pupils.length,
  };
}

function assessmentMean(pupils: readonly AnalysisPupil[], assessmentKey: string): Baseline {
  let total = 0;
  let counted = 0;
  for (const pupil of pupils) {
    const value = latestNumericResults(pupil.results).get(assessmentKey);
    if (value === undefined) continue;
    total += value;
    counted += 1;
  }
  return { value: counted === 0 ? null : total / counted, pupils: counted };
}

/** Formats a measure's value with its unit: `92.4%` or `101.3 points`, to one decimal place. */
export function formatMeasureValue(measure: OutcomeMeasure, value: number): string {
  const rounded = value.toLocaleString('en-GB', {
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
  });
  return measure.unit === 'percent' ? `${rounded}%` : `${rounded} points`;
}
