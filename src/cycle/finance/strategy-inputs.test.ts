import { describe, expect, it } from 'vitest';
import {
  formOfInputs,
  parseStrategyInputs,
  type StrategyInputsForm,
  type TieredPlan,
} from './strategy-inputs.js';

const PLANS: TieredPlan[] = [
  { id: 4, title: 'Reading tuition' },
  { id: 9, title: 'Attendance mentoring' },
];

function validForm(): StrategyInputsForm {
  return {
    statementOfIntent: ' Every pupil reads fluently by year 8. ',
    authorisedBy: 'Mrs K Shah, headteacher',
    pupilPremiumLead: 'Mr J Okafor',
    governorLead: 'Dr R Evans',
    publishedOn: { day: '15', month: 'December', year: '2025' },
    nextReviewOn: { day: '20', month: '7', year: '2026' },
    carriedForward: '£12,500.50',
    tiers: { 4: 'targeted_support', 9: 'wider_strategies', 77: 'teaching' },
  };
}

function errorsOf(form: StrategyInputsForm) {
  const result = parseStrategyInputs(form, PLANS);
  return result.ok ? [] : result.errors;
}

describe('parseStrategyInputs', () => {
  it('reads a complete form', () => {
    const result = parseStrategyInputs(validForm(), PLANS);

    expect(result).toEqual({
      ok: true,
      inputs: {
        statementOfIntent: 'Every pupil reads fluently by year 8.',
        authorisedBy: 'Mrs K Shah, headteacher',
        pupilPremiumLead: 'Mr J Okafor',
        governorLead: 'Dr R Evans',
        publishedOn: '2025-12-15',
        nextReviewOn: '2026-07-20',
        carriedForwardPence: 1_250_050,
      },
      tiers: [
        { planId: 4, tier: 'targeted_support' },
        { planId: 9, tier: 'wider_strategies' },
      ],
    });
  });

  it('accepts nothing carried forward', () => {
    const result = parseStrategyInputs({ ...validForm(), carriedForward: '0' }, PLANS);

    expect(result.ok).toBe(true);
    expect(result.ok ? result.inputs.carriedForwardPence : null).toBe(0);
  });

  it('reports every empty field', () => {
    const empty: StrategyInputsForm = {
      statementOfIntent: '  ',
      authorisedBy: '',
      pupilPremiumLead: '',
      governorLead: '',
      publishedOn: { day: '', month: '', year: '' },
      nextReviewOn: { day: '', month: '', year: '' },
      carriedForward: '',
      tiers: {},
    };

    expect(errorsOf(empty)).toEqual([
      {
        field: 'statementOfIntent',
        message:
          'Enter the statement of intent: what the school aims to achieve for its disadvantaged pupils',
      },
      {
        field: 'authorisedBy',
        message: 'Enter who authorised the statement, such as the headteacher’s name and role',
      },
      { field: 'pupilPremiumLead', message: 'Enter the name of the Pupil Premium lead' },
      { field: 'governorLead', message: 'Enter the name of the governor or trustee lead' },
      { field: 'publishedOn-day', message: 'Enter the date published' },
      { field: 'nextReviewOn-day', message: 'Enter the date of next review' },
      {
        field: 'carriedForward',
        message: 'Enter the Pupil Premium carried forward from previous years, or 0 if none',
      },
      { field: 'tier-4', message: 'Select the tier of Reading tuition' },
      { field: 'tier-9', message: 'Select the tier of Attendance mentoring' },
    ]);
  });

  it.each<[string, Partial<StrategyInputsForm>, { field: string; message: string }]>([
    [
      'a long statement',
      { statementOfIntent: 'x'.repeat(5_001) },
      {
        field: 'statementOfIntent',
        message: 'Statement of intent must be 5,000 characters or fewer',
      },
    ],
    [
      'a long name',
      { governorLead: 'x'.repeat(201) },
      {
        field: 'governorLead',
        message: 'Governor or trustee lead must be 200 characters or fewer',
      },
    ],
    [
      'a date without a month',
      { publishedOn: { day: '15', month: '', year: '2025' } },
      { field: 'publishedOn-month', message: 'Date published must include a month' },
    ],
    [
      'a date that does not exist',
      { nextReviewOn: { day: '31', month: '6', year: '2026' } },
      {
        field: 'nextReviewOn-day',
        message: 'Date of next review must be a real date',
      },
    ],
    [
      'a review before publication',
      { nextReviewOn: { day: '15', month: '12', year: '2025' } },
      {
        field: 'nextReviewOn-day',
        message: 'Date of next review must be after the date published',
      },
    ],
    [
      'a negative amount',
      { carriedForward: '-50' },
      {
        field: 'carriedForward',
        message: 'Pupil Premium carried forward must be £0 or more. Remove the minus sign',
      },
    ],
    [
      'an unknown tier',
      { tiers: { 4: 'tutoring', 9: 'teaching' } },
      { field: 'tier-4', message: 'Select the tier of Reading tuition' },
    ],
  ])('rejects %s', (_name, change, expected) => {
    expect(errorsOf({ ...validForm(), ...change })).toEqual([expected]);
  });

  it('accepts a name at the limit', () => {
    expect(errorsOf({ ...validForm(), authorisedBy: 'x'.repeat(200) })).toEqual([]);
  });
});

describe('formOfInputs', () => {
  it('fills saved values', () => {
    const form = formOfInputs(
      {
        statementOfIntent: 'Intent',
        authorisedBy: 'Head',
        pupilPremiumLead: 'Lead',
        governorLead: 'Governor',
        publishedOn: '2025-12-05',
        nextReviewOn: '2026-07-20',
        carriedForwardPence: 1_250_050,
      },
      new Map([[4, 'teaching' as const]]),
      PLANS,
    );

    expect(form.publishedOn).toEqual({ day: '5', month: '12', year: '2025' });
    expect(form.carriedForward).toBe('12500.50');
    expect(form.tiers).toEqual({ 4: 'teaching', 9: '' });
  });

  it('is empty before a save', () => {
    const form = formOfInputs(null, new Map(), PLANS);

    expect(form.statementOfIntent).toBe('');
    expect(form.carriedForward).toBe('');
    expect(form.nextReviewOn).toEqual({ day: '', month: '', year: '' });
  });
});
