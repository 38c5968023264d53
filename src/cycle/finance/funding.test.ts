import { describe, expect, it } from 'vitest';
import { parseDateParts } from './date-parts.js';
import {
  balancePremium,
  parseFundingLine,
  summariseFunding,
  type FundingLineForm,
} from './funding.js';

function form(values: Partial<FundingLineForm>): FundingLineForm {
  return {
    source: 'pupil_premium',
    funder: '',
    amount: '1,000',
    status: 'secured',
    financialYear: '2025',
    expectedDay: '',
    expectedMonth: '',
    expectedYear: '',
    note: '',
    ...values,
  };
}

describe('summariseFunding', () => {
  it('counts secured money only', () => {
    const summary = summariseFunding(500_000, [
      { amountPence: 200_000, status: 'secured' },
      { amountPence: 100_000, status: 'received' },
      { amountPence: 50_000, status: 'spent' },
      { amountPence: 150_000, status: 'applied_for' },
      { amountPence: 25_000, status: 'planned' },
    ]);

    expect(summary.totalPence).toBe(525_000);
    expect(summary.securedPence).toBe(350_000);
    expect(summary.atRiskPence).toBe(175_000);
    expect(summary.shortfallPence).toBe(150_000);
    expect(summary.fullyFunded).toBe(false);
  });

  it('is fully funded at the budget', () => {
    const summary = summariseFunding(300_000, [{ amountPence: 300_000, status: 'secured' }]);

    expect(summary.fullyFunded).toBe(true);
    expect(summary.shortfallPence).toBe(0);
  });

  it('needs a budget to be fully funded', () => {
    const summary = summariseFunding(null, [{ amountPence: 300_000, status: 'secured' }]);

    expect(summary.fullyFunded).toBe(false);
    expect(summary.shortfallPence).toBeNull();
  });
});

describe('balancePremium', () => {
  it('sets plans against the allocation', () => {
    const { uses, balance } = balancePremium(1_000_000, [
      { planId: 1, amountPence: 300_000, status: 'secured' },
      { planId: 1, amountPence: 100_000, status: 'spent' },
      { planId: 2, amountPence: 250_000, status: 'planned' },
    ]);

    expect(uses).toEqual([
      { planId: 1, committedPence: 300_000, spentPence: 100_000 },
      { planId: 2, committedPence: 250_000, spentPence: 0 },
    ]);
    expect(balance).toEqual({
      allocationPence: 1_000_000,
      committedPence: 550_000,
      spentPence: 100_000,
      leftPence: 350_000,
    });
  });

  it('shows over-commitment as negative', () => {
    const { balance } = balancePremium(100, [{ planId: 1, amountPence: 150, status: 'received' }]);

    expect(balance.leftPence).toBe(-50);
  });
});

describe('parseFundingLine', () => {
  it('reads a Pupil Premium line', () => {
    const result = parseFundingLine(
      form({ expectedDay: '1', expectedMonth: '4', expectedYear: '2025', note: ' Tutoring ' }),
    );

    expect(result).toEqual({
      ok: true,
      line: {
        source: 'pupil_premium',
        funder: '',
        amountPence: 100_000,
        status: 'secured',
        financialYear: 2025,
        expectedDate: '2025-04-01',
        note: 'Tutoring',
      },
    });
  });

  it('needs a year for Pupil Premium', () => {
    const result = parseFundingLine(form({ financialYear: '' }));

    expect(result).toEqual({
      ok: false,
      errors: [
        {
          field: 'financialYear',
          message: 'Select the financial year whose Pupil Premium this draws on',
        },
      ],
    });
  });

  it('needs no year for a grant', () => {
    const result = parseFundingLine(form({ source: 'charitable_grant', financialYear: '' }));

    expect(result.ok && result.line.financialYear).toBeNull();
  });

  it('reports every bad field', () => {
    const result = parseFundingLine(
      form({
        source: 'lottery',
        amount: '12.345',
        status: 'hoped',
        financialYear: '20255',
        expectedDay: '31',
        expectedMonth: '2',
        expectedYear: '2026',
        funder: 'x'.repeat(201),
      }),
    );

    expect(result.ok ? [] : result.errors).toEqual([
      { field: 'source', message: 'Select where the money comes from' },
      { field: 'funder', message: 'Funder must be 200 characters or fewer' },
      { field: 'amount', message: 'Amount must have no more than 2 decimal places, like 5,000.50' },
      { field: 'status', message: 'Select how sure the money is' },
      {
        field: 'financialYear',
        message: 'Financial year must be a start year such as 2025, for 2025-26',
      },
      { field: 'expectedDate', message: 'Expected date must be a real date' },
    ]);
  });

  it('rejects £0', () => {
    const result = parseFundingLine(form({ amount: '0' }));

    expect(result.ok ? [] : result.errors).toEqual([
      { field: 'amount', message: 'Amount must be more than £0' },
    ]);
  });
});

describe('parseDateParts', () => {
  it.each([
    [['', '', ''], { ok: true, date: null }],
    [['7', '9', '2025'], { ok: true, date: '2025-09-07' }],
    [['29', '2', '2028'], { ok: true, date: '2028-02-29' }],
    [['29', '2', '2026'], { ok: false, error: 'Start must be a real date' }],
    [['1', '', '2026'], { ok: false, error: 'Start must include a month' }],
    [['1', 'May', '2026'], { ok: true, date: '2026-05-01' }],
    [['1', '1', '1999'], { ok: false, error: 'Start must be in a year from 2000 to 2099' }],
  ])('reads %j', (parts, expected) => {
    const [day, month, year] = parts as [string, string, string];

    expect(parseDateParts(day, month, year, 'Start')).toEqual(expected);
  });
});
