import { describe, expect, it } from 'vitest';
import {
  describeBudgetChange,
  FIGURES_FIELD,
  formatShareFigure,
  parsePartnerChoice,
  splitJointCost,
  typedShareFigure,
} from './joint-shares.js';

const LEAD = { id: 1, name: 'Brookfield Academy' };
const RIVERSIDE = { id: 7, name: 'Riverside Primary' };
const HILLTOP = { id: 9, name: 'Hilltop School' };

describe('parsePartnerChoice', () => {
  it('keeps the candidates’ order', () => {
    const result = parsePartnerChoice({ basis: 'pupils', partnerIds: ['9', '7'] }, [
      RIVERSIDE,
      HILLTOP,
    ]);

    expect(result).toEqual({ ok: true, basis: 'pupils', partnerIds: [7, 9] });
  });

  it('needs a basis and a partner', () => {
    const result = parsePartnerChoice({ basis: '', partnerIds: [] }, [RIVERSIDE]);

    expect(result).toEqual({
      ok: false,
      errors: [
        { field: 'basis', message: 'Choose how the cost is split' },
        { field: 'partners', message: 'Choose at least one school to share the cost' },
      ],
    });
  });

  it('rejects a school outside the list', () => {
    const result = parsePartnerChoice({ basis: 'places', partnerIds: ['7', '99'] }, [RIVERSIDE]);

    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors.map((error) => error.field)).toEqual(['partners']);
  });

  it('rejects an unknown basis', () => {
    const result = parsePartnerChoice({ basis: 'equal', partnerIds: ['7'] }, [RIVERSIDE]);

    expect(!result.ok && result.errors.map((error) => error.field)).toEqual(['basis']);
  });
});

describe('splitJointCost', () => {
  it('splits by pupils to the penny', () => {
    // £7,000.01 by 3 : 2 : 2 is 300,000.43p, 200,000.29p and 200,000.29p. Rounded down they
    // leave 1 penny, which goes to the largest fraction cut off, 3/7, the lead school's.
    const result = splitJointCost(
      'pupils',
      [LEAD, RIVERSIDE, HILLTOP],
      { 1: '3', 7: '2', 9: '2' },
      700_001,
    );

    expect(result).toEqual({
      ok: true,
      shares: [
        { schoolId: 1, weight: 3, pence: 300_001 },
        { schoolId: 7, weight: 2, pence: 200_000 },
        { schoolId: 9, weight: 2, pence: 200_000 },
      ],
    });
  });

  it('splits by percentages', () => {
    // £9,000.00 at 33.33% and 66.67% is exactly 299,970p and 600,030p.
    const result = splitJointCost(
      'percentages',
      [LEAD, RIVERSIDE],
      { 1: '33.33', 7: '66.67%' },
      900_000,
    );

    expect(result).toEqual({
      ok: true,
      shares: [
        { schoolId: 1, weight: 3_333, pence: 299_970 },
        { schoolId: 7, weight: 6_667, pence: 600_030 },
      ],
    });
  });

  it('takes agreed amounts as they are', () => {
    const result = splitJointCost(
      'agreed_amounts',
      [LEAD, RIVERSIDE],
      { 1: '£2,000.50', 7: '6999.50' },
      900_000,
    );

    expect(result.ok && result.shares.map((share) => share.pence)).toEqual([200_050, 699_950]);
  });

  it('needs percentages that make 100%', () => {
    const result = splitJointCost('percentages', [LEAD, RIVERSIDE], { 1: '40', 7: '50' }, 900_000);

    expect(result).toEqual({
      ok: false,
      errors: [{ field: FIGURES_FIELD, message: 'Shares add up to 90%. They must add up to 100%' }],
    });
  });

  it('needs amounts that make the total', () => {
    const result = splitJointCost(
      'agreed_amounts',
      [LEAD, RIVERSIDE],
      { 1: '4,000', 7: '4,000' },
      900_000,
    );

    expect(result).toEqual({
      ok: false,
      errors: [
        {
          field: FIGURES_FIELD,
          message: 'Agreed amounts add up to £8,000.00. They must add up to the total of £9,000.00',
        },
      ],
    });
  });

  it('needs numbers above 0 in total', () => {
    const result = splitJointCost('places', [LEAD, RIVERSIDE], { 1: '0', 7: '0' }, 900_000);

    expect(result).toEqual({
      ok: false,
      errors: [
        { field: FIGURES_FIELD, message: 'Numbers of places add up to 0. Enter at least one' },
      ],
    });
  });

  it('reports each bad figure at its field', () => {
    const result = splitJointCost(
      'pupils',
      [LEAD, RIVERSIDE, HILLTOP],
      { 1: '', 7: '12.5', 9: '-3' },
      900_000,
    );

    expect(result).toEqual({
      ok: false,
      errors: [
        { field: 'figure-1', message: 'Enter the number of pupils for Brookfield Academy' },
        {
          field: 'figure-7',
          message: 'Pupils for Riverside Primary must be a whole number, like 12',
        },
        { field: 'figure-9', message: 'Pupils for Hilltop School must be 0 or more' },
      ],
    });
  });

  it('keeps the school name’s capitals', () => {
    const result = splitJointCost('percentages', [LEAD], { 1: ' ' }, 900_000);

    expect(result).toEqual({
      ok: false,
      errors: [{ field: 'figure-1', message: 'Enter the percentage for Brookfield Academy' }],
    });
  });

  it('rejects a percentage above 100%', () => {
    const result = splitJointCost('percentages', [LEAD], { 1: '100.01' }, 900_000);

    expect(result).toEqual({
      ok: false,
      errors: [
        {
          field: 'figure-1',
          message: 'Percentage for Brookfield Academy must be 100% or less',
        },
      ],
    });
  });

  it('rejects an amount with too many decimals', () => {
    const result = splitJointCost('agreed_amounts', [LEAD], { 1: '9000.001' }, 900_000);

    expect(result).toEqual({
      ok: false,
      errors: [
        {
          field: 'figure-1',
          message:
            'Amount for Brookfield Academy must have no more than 2 decimal places, like 5,000.50',
        },
      ],
    });
  });
});

describe('share figures', () => {
  it.each([
    ['pupils', 1, '1 pupil', '1'],
    ['pupils', 1_200, '1,200 pupils', '1200'],
    ['places', 12, '12 places', '12'],
    ['percentages', 3_333, '33.33%', '33.33'],
    ['percentages', 5_000, '50%', '50'],
    ['agreed_amounts', 150_050, '£1,500.50', '1500.50'],
  ] as const)('%s %d', (basis, weight, shown, typed) => {
    expect(formatShareFigure(basis, weight)).toBe(shown);
    expect(typedShareFigure(basis, weight)).toBe(typed);
  });

  it('reads typed figures back unchanged', () => {
    const result = splitJointCost(
      'percentages',
      [LEAD, RIVERSIDE],
      { 1: typedShareFigure('percentages', 3_333), 7: typedShareFigure('percentages', 6_667) },
      100,
    );

    expect(result.ok && result.shares.map((share) => share.weight)).toEqual([3_333, 6_667]);
  });
});

describe('describeBudgetChange', () => {
  it('is silent while the budget matches', () => {
    expect(describeBudgetChange(900_000, 900_000)).toBeNull();
  });

  it('names both amounts', () => {
    expect(describeBudgetChange(900_000, 950_000)).toBe(
      'The plan’s budget is now £9,500.00, but the shares split £9,000.00. Change the shares so that they split the budget',
    );
  });

  it('notices a removed budget', () => {
    expect(describeBudgetChange(900_000, null)).toContain('no longer has a budget');
  });
});
