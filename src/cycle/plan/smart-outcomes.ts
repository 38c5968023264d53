import { parseDateParts, type DateParts } from './date-input.js';
import {
  QUESTIONNAIRE_MEASURE,
  findOutcomeMeasure,
  formatMeasureValue,
  type Baseline,
  type MeasureDirection,
  type OutcomeMeasure,
} from './outcome-measures.js';

/**
 * Checks that an intended outcome is SMART: specific (a measure and the pupils it applies to),
 * measurable (a measure the app can compute, or a named questionnaire), achievable (a target
 * that is a change from the baseline, in the hoped-for direction), relevant (it belongs to a
 * plan for an evidenced need) and time-bound (a date in the future).
 */

/** A problem tied to one form field, for the error summary and the field itself. */
export interface FieldError {
  field: string;
  text: string;
}

/** Fields of the outcome form, exactly as typed. */
export interface OutcomeInput {
  description: string;
  measure: string;
  questionnaireName: string;
  /** The questionnaire baseline, typed by the school; ignored for computed measures. */
  baseline: string;
  target: string;
  targetDate: DateParts;
}

export interface CheckedOutcome {
  description: string;
  measure: OutcomeMeasure;
  questionnaireName: string | null;
  target: number;
  targetDate: string;
}

/** Above this many outcomes a plan is asked to prioritise. */
export const MAX_OUTCOMES_BEFORE_WARNING = 3;

/** Below this many pupils a change in the measure means little, so the plan gets a warning. */
export const SMALL_GROUP = 5;

// Words that usually mark an aim rather than a measurable change when no figure is given.
const VAGUE_WORDS =
  /\b(improve[ds]?|improving|better|raise[ds]?|raising|increase[ds]?|more|boost|enhance[ds]?|develop|support|confidence|engagement|wellbeing|well-being)\b/i;

/**
 * Reads the form into an outcome, or lists what is wrong with it. The baseline is not checked
 * here: it needs the pupil data (see `checkTargetAgainstBaseline`).
 */
export function readOutcome(
  input: OutcomeInput,
  today: string,
): { ok: true; outcome: CheckedOutcome } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const description = input.description.trim();
  if (description === '') {
    errors.push({ field: 'description', text: 'Enter the change you want to see' });
  } else if (description.length > 1000) {
    errors.push({ field: 'description', text: 'Outcome must be 1,000 characters or fewer' });
  }

  const measure = findOutcomeMeasure(input.measure);
  if (measure === null) {
    errors.push({ field: 'measure', text: 'Select how the change will be measured' });
  }
  const questionnaireName = input.questionnaireName.trim();
  if (measure?.key === QUESTIONNAIRE_MEASURE && questionnaireName === '') {
    errors.push({
      field: 'questionnaireName',
      text: 'Enter the name of the questionnaire, for example "Stirling Children’s Wellbeing Scale"',
    });
  }

  const target = readNumber(input.target, 'Target', measure);
  if (!target.ok) errors.push({ field: 'target', text: target.error });

  const date = parseDateParts(input.targetDate, 'Target date');
  if (!date.ok) {
    errors.push({ field: `targetDate-${date.part}`, text: date.error });
  } else if (date.date === null) {
    errors.push({
      field: 'targetDate-day',
      text: 'Enter the date by which the change should happen',
    });
  } else if (date.date <= today) {
    errors.push({ field: 'targetDate-day', text: 'Target date must be in the future' });
  }

  if (errors.length > 0 || measure === null || !target.ok || !date.ok || date.date === null) {
    return { ok: false, errors };
  }
  return {
    ok: true,
    outcome: {
      description,
      measure,
      questionnaireName: measure.key === QUESTIONNAIRE_MEASURE ? questionnaireName : null,
      target: target.value,
      targetDate: date.date,
    },
  };
}

/** Reads the typed questionnaire baseline; computed measures never call this. */
export function readQuestionnaireBaseline(
  text: string,
): { ok: true; value: number } | { ok: false; error: FieldError } {
  if (text.trim() === '') {
    return {
      ok: false,
      error: { field: 'baseline', text: 'Enter the baseline score from the questionnaire' },
    };
  }
  const parsed = readNumber(text, 'Baseline', null);
  return parsed.ok
    ? { ok: true, value: parsed.value }
    : { ok: false, error: { field: 'baseline', text: parsed.error } };
}

/**
 * Reads a typed figure. For a percentage measure the `%` sign is optional and the value must
 * lie between 0 and 100.
 */
function readNumber(
  text: string,
  label: string,
  measure: OutcomeMeasure | null,
): { ok: true; value: number } | { ok: false; error: string } {
  const trimmed = text.trim().replace(/\s*%$/, '');
  if (trimmed === '') return { ok: false, error: `Enter the ${label.toLowerCase()}, like 95` };
  if (!/^[+-]?(\d+(\.\d+)?|\.\d+)$/.test(trimmed)) {
    return { ok: false, error: `${label} must be a number, like 95 or 92.5` };
  }
  const value = Number(trimmed);
  if (measure?.unit === 'percent' && (value < 0 || value > 100)) {
    return { ok: false, error: `${label} must be a percentage between 0 and 100` };
  }
  return { ok: true, value };
}

/**
 * Returns the direction of change the outcome aims for: the measure's own for computed measures,
 * and for a questionnaire the direction from baseline to target.
 */
export function outcomeDirection(
  measure: OutcomeMeasure,
  baseline: number,
  target: number,
): MeasureDirection {
  if (measure.better !== null) return measure.better;
  return target >= baseline ? 'increase' : 'decrease';
}

/**
 * Refuses a target the baseline already meets, and an outcome whose pupils have no data for
 * the measure, because neither can show a change.
 */
export function checkTargetAgainstBaseline(
  measure: OutcomeMeasure,
  baseline: Baseline,
  target: number,
  academicYearLabel: string,
): FieldError | null {
  if (baseline.value === null) {
    return {
      field: 'measure',
      text: `None of these pupils has ${measure.label.toLowerCase()} data for ${academicYearLabel}, so there is no baseline. Choose another measure, or import the data first`,
    };
  }
  const shown = formatMeasureValue(measure, baseline.value);
  if (target === baseline.value) {
    return {
      field: 'target',
      text: `Target must differ from the baseline of ${shown}`,
    };
  }
  const direction = outcomeDirection(measure, baseline.value, target);
  const alreadyMet = direction === 'increase' ? baseline.value >= target : baseline.value <= target;
  if (alreadyMet) {
    const wanted = direction === 'increase' ? 'above' : 'below';
    return {
      field: 'target',
      text: `The baseline is already ${shown}, which meets this target. Set a target ${wanted} ${shown}`,
    };
  }
  return null;
}

/** Advice that does not stop the outcome being saved, but that a plan reader should see. */
export function outcomeWarnings(
  outcome: CheckedOutcome,
  baseline: Baseline,
  planEndDate: string | null,
): string[] {
  const warnings: string[] = [];
  if (!/\d/.test(outcome.description) && VAGUE_WORDS.test(outcome.description)) {
    warnings.push(
      'The wording reads as a general aim. Say which pupils, what will change, by how much and by when, for example “Raise the attendance of the year 9 pupils in the programme from 88% to 93% by July 2027”.',
    );
  }
  if (baseline.pupils > 0 && baseline.pupils < SMALL_GROUP) {
    warnings.push(
      `The baseline rests on ${baseline.pupils} ${baseline.pupils === 1 ? 'pupil' : 'pupils'}, so a change may be chance rather than the service's effect.`,
    );
  }
  if (planEndDate !== null && outcome.targetDate > planEndDate) {
    warnings.push('The target date is after the plan ends: check the timeframe.');
  }
  if (
    outcome.measure.unit === 'percent' &&
    baseline.value !== null &&
    Math.abs(outcome.target - baseline.value) > 20
  ) {
    warnings.push(
      'The target is more than 20 percentage points from the baseline: check it is achievable.',
    );
  }
  return warnings;
}

/** Warns when a plan has more outcomes than it can realistically pursue. */
export function planOutcomeWarnings(outcomeCount: number): string[] {
  return outcomeCount > MAX_OUTCOMES_BEFORE_WARNING
    ? [
        `This plan has ${outcomeCount} outcomes. Plans with a few outcomes, three at most, are more likely to achieve them: consider which matter most.`,
      ]
    : [];
}
