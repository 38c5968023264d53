import { describe, expect, it } from 'vitest';
import { DEFAULT_UNIT_COSTS } from './reference-data.js';
import { parsePremiumRatesForm, parseUnitCostsForm } from './reference-forms.js';
import { parseValueInputs } from './value-inputs.js';

describe('parsePremiumRatesForm', () => {
  it('reads the rates typed', () => {
    const result = parsePremiumRatesForm(2026, {
      source: 'DfE technical note 2026 to 2027',
      amounts: { ever6_fsm_primary: '1,550', service_child: '360', looked_after: '' },
      confirmed: ['ever6_fsm_primary'],
    });

    expect(result).toEqual({
      ok: true,
      rates: [
        {
          financialYear: 2026,
          category: 'ever6_fsm_primary',
          pencePerPupil: 155_000,
          source: 'DfE technical note 2026 to 2027',
          confirmed: true,
        },
        {
          financialYear: 2026,
          category: 'service_child',
          pencePerPupil: 36_000,
          source: 'DfE technical note 2026 to 2027',
          confirmed: false,
        },
      ],
    });
  });

  it('needs a source and a rate', () => {
    const result = parsePremiumRatesForm(2026, { source: '', amounts: {}, confirmed: [] });

    expect(result.ok ? [] : result.errors).toEqual([
      {
        field: 'source',
        message: 'Enter where the rates come from, such as the DfE conditions of grant',
      },
      { field: 'rate-ever6_fsm_primary', message: 'Enter at least one rate for the year' },
    ]);
  });

  it('rejects a bad amount', () => {
    const result = parsePremiumRatesForm(2026, {
      source: 'DfE',
      amounts: { looked_after: '2,630.555' },
      confirmed: [],
    });

    expect(result.ok ? [] : result.errors).toEqual([
      {
        field: 'rate-looked_after',
        message:
          'Rate for Looked after by a local authority must have no more than 2 decimal places, like 5,000.50',
      },
    ]);
  });
});

describe('parseUnitCostsForm', () => {
  const typed = Object.fromEntries(
    DEFAULT_UNIT_COSTS.map((cost) => [
      cost.key,
      { amount: '100', source: 'Our finance office', sourceDate: '2026-01' },
    ]),
  );

  it('keeps labels and payers', () => {
    const result = parseUnitCostsForm(DEFAULT_UNIT_COSTS, typed);

    expect(
      result.ok && result.costs.map((cost) => [cost.key, cost.pence, cost.bornBy, cost.sourceDate]),
    ).toEqual([
      ['alternative_provision', 10_000, 'school', '2026-01'],
      ['permanent_exclusion', 10_000, 'education_system', '2026-01'],
      ['persistent_truant', 10_000, 'education_system', '2026-01'],
    ]);
  });

  it('reports every bad field', () => {
    const result = parseUnitCostsForm(DEFAULT_UNIT_COSTS, {
      ...typed,
      permanent_exclusion: { amount: '-1', source: '', sourceDate: 'May 2018' },
    });

    expect(result.ok ? [] : result.errors).toEqual([
      {
        field: 'cost-permanent_exclusion-amount',
        message:
          'Cost of one permanent exclusion, total cost to the education system must be £0 or more. Remove the minus sign',
      },
      {
        field: 'cost-permanent_exclusion-source',
        message: 'Enter the source of this cost, in 300 characters or fewer',
      },
      {
        field: 'cost-permanent_exclusion-sourceDate',
        message: 'Enter the month the source was published, like 2018-05',
      },
    ]);
  });
});

describe('parseValueInputs', () => {
  const form = {
    pupils: '20',
    sessions: '',
    outcomesAchieved: '13',
    staffHourlyRate: '35.50',
    avoided: { persistent_truant: '12', permanent_exclusion: '0' },
  };

  it('reads the figures', () => {
    const result = parseValueInputs(form, ['persistent_truant', 'permanent_exclusion'], true);

    expect(result).toEqual({
      ok: true,
      inputs: {
        pupils: 20,
        sessions: null,
        outcomesAchieved: 13,
        staffHourlyRatePence: 3_550,
        avoidedUnits: { persistent_truant: 12 },
      },
    });
  });

  it('needs a rate for staff hours', () => {
    const result = parseValueInputs({ ...form, staffHourlyRate: '' }, [], true);

    expect(result.ok ? [] : result.errors).toEqual([
      {
        field: 'staffHourlyRate',
        message: 'Enter the staff hourly rate, because the plan records staff hours',
      },
    ]);
    expect(parseValueInputs({ ...form, staffHourlyRate: '' }, [], false).ok).toBe(true);
  });

  it('reports every bad field', () => {
    const result = parseValueInputs(
      {
        pupils: '2.5',
        sessions: '-1',
        outcomesAchieved: 'x',
        staffHourlyRate: '1000.01',
        avoided: { persistent_truant: '1.5' },
      },
      ['persistent_truant'],
      false,
    );

    expect(result.ok ? [] : result.errors.map((error) => error.field)).toEqual([
      'pupils',
      'sessions',
      'outcomesAchieved',
      'staffHourlyRate',
      'avoided-persistent_truant',
    ]);
  });
});
