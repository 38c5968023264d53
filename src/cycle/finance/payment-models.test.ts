import { describe, expect, it } from 'vitest';
import {
  expectedPayment,
  instalmentDates,
  maximumPayment,
  parsePaymentModel,
  parseScheduleForm,
  paymentSchedule,
  scheduleForModel,
  type PaymentByResultsModel,
  type PaymentModelForm,
  type TariffForm,
} from './payment-models.js';

const BLANK_TARIFF: TariffForm = {
  outcome: '',
  price: '',
  evidence: '',
  hopedUnits: '',
  unitCostKey: '',
};

function form(values: Partial<PaymentModelForm>): PaymentModelForm {
  return {
    kind: '',
    price: '',
    units: '',
    outputs: '',
    upfront: '',
    cap: '',
    tariffs: [],
    ...values,
  };
}

const ATTENDANCE: TariffForm = {
  outcome: 'Attendance rises to 90% or more',
  price: '400',
  evidence: 'Attendance report',
  hopedUnits: '12',
  unitCostKey: 'persistent_truant',
};

const UNIT_COSTS = ['persistent_truant', 'permanent_exclusion'];

describe('parsePaymentModel', () => {
  it('reads a fixed price', () => {
    const result = parsePaymentModel(
      form({ kind: 'fixed_price', price: '£4,800', outputs: '12 workshops' }),
      UNIT_COSTS,
    );

    expect(result).toEqual({
      ok: true,
      model: { kind: 'fixed_price', pricePence: 480_000, outputs: '12 workshops' },
    });
  });

  it('reads a price per pupil', () => {
    const result = parsePaymentModel(
      form({ kind: 'per_pupil', price: '90', units: '25' }),
      UNIT_COSTS,
    );

    expect(result).toEqual({
      ok: true,
      model: { kind: 'per_pupil', pencePerUnit: 9_000, units: 25 },
    });
  });

  it('reads payment by results', () => {
    const result = parsePaymentModel(
      form({
        kind: 'payment_by_results',
        upfront: '2,500',
        cap: '7000',
        tariffs: [ATTENDANCE, BLANK_TARIFF],
      }),
      UNIT_COSTS,
    );

    expect(result).toEqual({
      ok: true,
      model: {
        kind: 'payment_by_results',
        upfrontPence: 250_000,
        capPence: 700_000,
        tariffs: [
          {
            key: 'tariff-0',
            outcome: 'Attendance rises to 90% or more',
            pencePerUnit: 40_000,
            evidenceRequired: 'Attendance report',
            hopedUnits: 12,
            unitCostKey: 'persistent_truant',
          },
        ],
      },
    });
  });

  it('allows no cap', () => {
    const result = parsePaymentModel(
      form({ kind: 'payment_by_results', upfront: '0', tariffs: [ATTENDANCE] }),
      UNIT_COSTS,
    );

    expect(
      result.ok && result.model.kind === 'payment_by_results' && result.model.capPence,
    ).toBeNull();
  });

  it('rejects a cap below the up-front payment', () => {
    const result = parsePaymentModel(
      form({ kind: 'payment_by_results', upfront: '2500', cap: '2499.99', tariffs: [ATTENDANCE] }),
      UNIT_COSTS,
    );

    expect(result).toEqual({
      ok: false,
      errors: [
        {
          field: 'cap',
          message:
            'Cap must be at least the up-front payment of £2,500.00, because the up-front payment counts towards the cap',
        },
      ],
    });
  });

  it('reports every bad field', () => {
    const result = parsePaymentModel(
      form({
        kind: 'payment_by_results',
        upfront: '-100',
        cap: '12.345',
        tariffs: [
          BLANK_TARIFF,
          { ...ATTENDANCE, outcome: '', price: '20000000', hopedUnits: '1.5', unitCostKey: 'moon' },
        ],
      }),
      UNIT_COSTS,
    );

    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.errors).toEqual([
      { field: 'upfront', message: 'Up-front payment must be £0 or more. Remove the minus sign' },
      { field: 'cap', message: 'Cap must have no more than 2 decimal places, like 5,000.50' },
      { field: 'tariff-1-outcome', message: 'Enter the outcome for tariff 2' },
      {
        field: 'tariff-1-price',
        message: 'Price for tariff 2 must be £10,000,000 or less. Check for extra zeros',
      },
      {
        field: 'tariff-1-hopedUnits',
        message: 'Outcomes hoped for in tariff 2 must be a whole number, like 12',
      },
      {
        field: 'tariff-1-unitCostKey',
        message: 'Select a cost avoided for tariff 2 from the list',
      },
    ]);
  });

  it('needs a tariff', () => {
    const result = parsePaymentModel(
      form({ kind: 'payment_by_results', upfront: '0', tariffs: [BLANK_TARIFF] }),
      UNIT_COSTS,
    );

    expect(result).toEqual({
      ok: false,
      errors: [
        {
          field: 'tariff-0-outcome',
          message: 'Enter at least one outcome to pay for, with its price and evidence',
        },
      ],
    });
  });

  it('rejects an absurd total', () => {
    const result = parsePaymentModel(
      form({ kind: 'per_session', price: '200,000', units: '51' }),
      UNIT_COSTS,
    );

    expect(result).toEqual({
      ok: false,
      errors: [
        {
          field: 'price',
          message:
            'Price per session times 51 sessions comes to £10,200,000.00, more than £10,000,000. Check the price and the number of sessions',
        },
      ],
    });
  });

  it.each([
    [form({ kind: '' }), 'kind', 'Select how the provider is paid'],
    [form({ kind: 'fixed_price', price: '100' }), 'outputs', 'Enter the outputs the price buys'],
    [
      form({ kind: 'per_pupil', price: '0', units: '3' }),
      'price',
      'Price per pupil must be more than £0',
    ],
    [
      form({ kind: 'per_pupil', price: '10', units: '0' }),
      'units',
      'Number of pupils must be 1 or more',
    ],
  ])('rejects %#', (input, field, message) => {
    expect(parsePaymentModel(input, UNIT_COSTS)).toEqual({
      ok: false,
      errors: [{ field, message }],
    });
  });
});

const PBR: PaymentByResultsModel = {
  kind: 'payment_by_results',
  upfrontPence: 250_000,
  capPence: 700_000,
  tariffs: [
    {
      key: 'A',
      outcome: 'A',
      pencePerUnit: 40_000,
      evidenceRequired: 'report',
      hopedUnits: 12,
      unitCostKey: null,
    },
    {
      key: 'B',
      outcome: 'B',
      pencePerUnit: 30_000,
      evidenceRequired: 'log',
      hopedUnits: 8,
      unitCostKey: null,
    },
  ],
};

describe('expectedPayment', () => {
  it('caps payment by results', () => {
    // £2,500 + 12 × £400 + 8 × £300 = £9,700, capped at £7,000.
    expect(expectedPayment(PBR)).toBe(700_000);
    expect(expectedPayment({ ...PBR, capPence: null })).toBe(970_000);
    expect(maximumPayment({ ...PBR, capPence: null })).toBeNull();
  });

  it('multiplies per-unit prices', () => {
    expect(expectedPayment({ kind: 'per_session', pencePerUnit: 12_550, units: 30 })).toBe(376_500);
    expect(maximumPayment({ kind: 'fixed_price', pricePence: 5, outputs: 'x' })).toBe(5);
  });
});

describe('paymentSchedule', () => {
  it('puts the spare pennies last', () => {
    const schedule = paymentSchedule(250_000, ['2025-09-01', '2025-10-01', '2025-11-01']);

    expect(schedule).toEqual([
      { number: 1, dueDate: '2025-09-01', pence: 83_333 },
      { number: 2, dueDate: '2025-10-01', pence: 83_333 },
      { number: 3, dueDate: '2025-11-01', pence: 83_334 },
    ]);
  });

  it('splits fewer pennies than dates', () => {
    expect(
      paymentSchedule(2, ['2025-01-01', '2025-02-01', '2025-03-01']).map((item) => item.pence),
    ).toEqual([0, 0, 2]);
  });

  it.each([
    [-1, ['2025-01-01']],
    [1.5, ['2025-01-01']],
    [100, []],
    [100, ['2025-02-01', '2025-01-01']],
  ])('rejects total %d over %j', (total, dates) => {
    expect(() => paymentSchedule(total, dates)).toThrow(RangeError);
  });
});

describe('instalmentDates', () => {
  it('keeps month ends', () => {
    expect(instalmentDates('2024-01-31', 4, 1)).toEqual([
      '2024-01-31',
      '2024-02-29',
      '2024-03-31',
      '2024-04-30',
    ]);
  });

  it('crosses a year', () => {
    expect(instalmentDates('2025-11-15', 3, 3)).toEqual(['2025-11-15', '2026-02-15', '2026-05-15']);
  });
});

describe('scheduleForModel', () => {
  it('schedules only the up-front share of payment by results', () => {
    const schedule = scheduleForModel(PBR, ['2025-09-01', '2025-10-01']);

    expect(schedule.instalments.map((item) => item.pence)).toEqual([125_000, 125_000]);
    expect(schedule.onSettlementPence).toBe(450_000);
    expect(schedule.onSettlementCapped).toBe(true);
  });

  it('shows hoped outcome payments without a cap', () => {
    const schedule = scheduleForModel({ ...PBR, capPence: null }, ['2025-09-01']);

    expect(schedule.onSettlementPence).toBe(720_000);
    expect(schedule.onSettlementCapped).toBe(false);
  });

  it('schedules a whole price', () => {
    const schedule = scheduleForModel({ kind: 'per_pupil', pencePerUnit: 9_001, units: 3 }, [
      '2025-09-01',
      '2025-12-01',
    ]);

    expect(schedule.instalments.map((item) => item.pence)).toEqual([13_501, 13_502]);
    expect(schedule.onSettlementPence).toBeNull();
  });
});

describe('parseScheduleForm', () => {
  const form = {
    firstDay: '1',
    firstMonth: '9',
    firstYear: '2025',
    instalments: '3',
    monthsApart: '1',
  };

  it('reads a schedule', () => {
    expect(parseScheduleForm(form)).toEqual({
      ok: true,
      schedule: { firstDate: '2025-09-01', instalments: 3, monthsApart: 1 },
    });
  });

  it('reports every bad field', () => {
    const result = parseScheduleForm({
      firstDay: '',
      firstMonth: '',
      firstYear: '',
      instalments: '37',
      monthsApart: '2',
    });

    expect(result.ok ? [] : result.errors).toEqual([
      { field: 'firstDate', message: 'Enter the date of the first payment' },
      { field: 'instalments', message: 'Number of instalments must be 36 or less' },
      { field: 'monthsApart', message: 'Select how often the instalments fall' },
    ]);
  });

  it('rejects an impossible date', () => {
    const result = parseScheduleForm({ ...form, firstDay: '31', firstMonth: '9' });

    expect(result.ok ? [] : result.errors).toEqual([
      { field: 'firstDate', message: 'First payment date must be a real date' },
    ]);
  });
});
