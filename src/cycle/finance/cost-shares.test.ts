import { describe, expect, it } from 'vitest';
import { formatBasisPoints, parsePercentage, splitCost } from './cost-shares.js';

describe('splitCost', () => {
  it('splits by pupils to the penny', () => {
    // £1,000.00 over 1 : 1 : 1 is 33,333.33p each; the spare penny goes to the first school.
    const result = splitCost(100_000, 'pupils', [
      { id: 'A', weight: 40 },
      { id: 'B', weight: 40 },
      { id: 'C', weight: 40 },
    ]);

    expect(result).toEqual({
      ok: true,
      shares: [
        { id: 'A', weight: 40, pence: 33_334 },
        { id: 'B', weight: 40, pence: 33_333 },
        { id: 'C', weight: 40, pence: 33_333 },
      ],
    });
  });

  it('gives spare pennies to the largest remainders', () => {
    // £100.00 by places 1 : 2 : 4: exact shares 1,428.57p, 2,857.14p, 5,714.29p.
    // Rounded down they leave 1 penny, which goes to the largest fraction, 0.57 (A).
    const result = splitCost(10_000, 'places', [
      { id: 'A', weight: 1 },
      { id: 'B', weight: 2 },
      { id: 'C', weight: 4 },
    ]);

    expect(result.ok && result.shares.map((share) => share.pence)).toEqual([1_429, 2_857, 5_714]);
  });

  it('needs percentages to add up to 100%', () => {
    const result = splitCost(10_000, 'percentages', [
      { id: 'A', weight: 3_333 },
      { id: 'B', weight: 6_617 },
    ]);

    expect(result).toEqual({
      ok: false,
      error: 'Shares add up to 99.50%. They must add up to 100%',
    });
  });

  it('splits by percentages', () => {
    const result = splitCost(99_999, 'percentages', [
      { id: 'A', weight: 2_500 },
      { id: 'B', weight: 7_500 },
    ]);

    // 24,999.75p and 74,999.25p: A's 0.75 takes the spare penny.
    expect(result.ok && result.shares.map((share) => share.pence)).toEqual([25_000, 74_999]);
  });

  it('needs agreed amounts to match the total', () => {
    const result = splitCost(100_000, 'agreed_amounts', [
      { id: 'A', weight: 60_000 },
      { id: 'B', weight: 39_999 },
    ]);

    expect(result).toEqual({
      ok: false,
      error: 'Agreed amounts add up to £999.99. They must add up to the total of £1,000.00',
    });
  });

  it('keeps agreed amounts', () => {
    const result = splitCost(100_000, 'agreed_amounts', [
      { id: 'A', weight: 60_000 },
      { id: 'B', weight: 40_000 },
    ]);

    expect(result.ok && result.shares.map((share) => share.pence)).toEqual([60_000, 40_000]);
  });

  it.each([
    [[], 'Add at least one school to share the cost'],
    [[{ id: 'A', weight: 0 }], 'Numbers of pupils add up to 0. Enter at least one'],
    [[{ id: 'A', weight: -1 }], 'Share of A must be a whole number, 0 or more: got -1'],
  ])('rejects partners %j', (partners, error) => {
    expect(splitCost(100, 'pupils', partners)).toEqual({ ok: false, error });
  });
});

describe('parsePercentage', () => {
  it.each([
    ['33.33', 3_333],
    ['33.33%', 3_333],
    ['100', 10_000],
    ['0.5', 50],
    ['0', 0],
  ])('reads %j as %i basis points', (input, basisPoints) => {
    expect(parsePercentage(input, 'Share')).toEqual({ ok: true, basisPoints });
  });

  it.each([
    ['', 'Enter share'],
    ['-5', 'Share must be 0% or more'],
    ['33.333', 'Share must have no more than 2 decimal places, like 33.33'],
    ['100.01', 'Share must be 100% or less'],
    ['5000', 'Share must be 100% or less'],
    ['a third', 'Share must be a percentage, like 25 or 33.33'],
  ])('rejects %j', (input, error) => {
    expect(parsePercentage(input, 'Share')).toEqual({ ok: false, error });
  });

  it('formats basis points', () => {
    expect(formatBasisPoints(3_333)).toBe('33.33%');
    expect(formatBasisPoints(10_000)).toBe('100%');
    expect(formatBasisPoints(9_950)).toBe('99.50%');
  });
});
