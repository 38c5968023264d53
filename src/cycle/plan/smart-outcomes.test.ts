import { describe, expect, it } from 'vitest';
import { findOutcomeMeasure, type OutcomeMeasure } from './outcome-measures.js';
import {
  checkTargetAgainstBaseline,
  outcomeWarnings,
  planOutcomeWarnings,
  readOutcome,
  readQuestionnaireBaseline,
  type OutcomeInput,
} from './smart-outcomes.js';

const TODAY = '2026-12-04';

function input(changes: Partial<OutcomeInput> = {}): OutcomeInput {
  return {
    description: 'Raise attendance of the programme pupils from 88% to 93% by July 2027',
    measure: 'attendance_rate',
    questionnaireName: '',
    baseline: '',
    target: '93',
    targetDate: { day: '31', month: '7', year: '2027' },
    ...changes,
  };
}

function measure(key: string): OutcomeMeasure {
  const found = findOutcomeMeasure(key);
  if (!found) throw new Error(`No measure ${key}`);
  return found;
}

describe('reading an outcome', () => {
  it('accepts a SMART outcome', () => {
    const read = readOutcome(input({ target: '93%' }), TODAY);

    expect(read).toMatchObject({
      ok: true,
      outcome: {
        measure: { key: 'attendance_rate' },
        target: 93,
        targetDate: '2027-07-31',
        questionnaireName: null,
      },
    });
  });

  it.each([
    [{ description: '  ' }, 'description', 'Enter the change you want to see'],
    [{ measure: 'happiness' }, 'measure', 'Select how the change will be measured'],
    [{ target: '' }, 'target', 'Enter the target, like 95'],
    [{ target: 'ninety' }, 'target', 'Target must be a number, like 95 or 92.5'],
    [{ target: '120' }, 'target', 'Target must be a percentage between 0 and 100'],
    [
      { targetDate: { day: '', month: '', year: '' } },
      'targetDate-day',
      'Enter the date by which the change should happen',
    ],
    [
      { targetDate: { day: '31', month: '2', year: '2027' } },
      'targetDate-day',
      'Target date must be a real date',
    ],
    [
      { targetDate: { day: '1', month: '9', year: '2026' } },
      'targetDate-day',
      'Target date must be in the future',
    ],
    [
      { targetDate: { day: '4', month: '12', year: '2026' } },
      'targetDate-day',
      'Target date must be in the future',
    ],
  ])('refuses %o at %s', (changes, field, text) => {
    const read = readOutcome(input(changes), TODAY);

    expect(read.ok).toBe(false);
    expect(read).toEqual({ ok: false, errors: expect.arrayContaining([{ field, text }]) });
  });

  it('asks for the questionnaire name', () => {
    const read = readOutcome(input({ measure: 'questionnaire', target: '40' }), TODAY);

    expect(read).toEqual({
      ok: false,
      errors: [expect.objectContaining({ field: 'questionnaireName' })],
    });
  });

  it('reads a questionnaire baseline', () => {
    expect(readQuestionnaireBaseline('38.5')).toEqual({ ok: true, value: 38.5 });
    expect(readQuestionnaireBaseline('')).toMatchObject({
      ok: false,
      error: { field: 'baseline' },
    });
  });
});

describe('target against baseline', () => {
  it('refuses a target the baseline already meets', () => {
    const problem = checkTargetAgainstBaseline(
      measure('attendance_rate'),
      { value: 96.2, pupils: 40 },
      95,
      '2024/25',
    );

    expect(problem).toEqual({
      field: 'target',
      text: 'The baseline is already 96.2%, which meets this target. Set a target above 96.2%',
    });
  });

  it('expects persistent absence to fall', () => {
    const problem = checkTargetAgainstBaseline(
      measure('persistent_absence'),
      { value: 20, pupils: 40 },
      25,
      '2024/25',
    );

    expect(problem?.text).toMatch(/Set a target below 20.0%/);
    expect(
      checkTargetAgainstBaseline(
        measure('persistent_absence'),
        { value: 20, pupils: 40 },
        15,
        '2024/25',
      ),
    ).toBeNull();
  });

  it('lets a questionnaire go either way but not stay put', () => {
    const questionnaire = measure('questionnaire');

    expect(checkTargetAgainstBaseline(questionnaire, { value: 40, pupils: 0 }, 35, '')).toBeNull();
    expect(checkTargetAgainstBaseline(questionnaire, { value: 40, pupils: 0 }, 40, '')?.field).toBe(
      'target',
    );
  });

  it('refuses a measure with no data for the pupils', () => {
    const problem = checkTargetAgainstBaseline(
      measure('attendance_rate'),
      { value: null, pupils: 0 },
      95,
      '2024/25',
    );

    expect(problem?.field).toBe('measure');
    expect(problem?.text).toMatch(/no baseline/);
  });
});

describe('outcome warnings', () => {
  const outcome = {
    description: 'Improve confidence',
    measure: measure('attendance_rate'),
    questionnaireName: null,
    target: 99,
    targetDate: '2027-09-30',
  };

  it('guides vague wording, small groups, late dates and big jumps', () => {
    const warnings = outcomeWarnings(outcome, { value: 70, pupils: 3 }, '2027-07-31');

    expect(warnings).toHaveLength(4);
    expect(warnings[0]).toMatch(/general aim/);
    expect(warnings[1]).toMatch(/3 pupils/);
    expect(warnings[2]).toMatch(/after the plan ends/);
    expect(warnings[3]).toMatch(/20 percentage points/);
  });

  it('stays quiet for a specific outcome', () => {
    const specific = { ...outcome, description: 'Raise attendance from 90% to 94%', target: 94 };

    expect(outcomeWarnings(specific, { value: 90, pupils: 30 }, '2027-12-31')).toEqual([]);
  });

  it('asks a plan with more than three outcomes to prioritise', () => {
    expect(planOutcomeWarnings(3)).toEqual([]);
    expect(planOutcomeWarnings(4)[0]).toMatch(/4 outcomes/);
  });
});
