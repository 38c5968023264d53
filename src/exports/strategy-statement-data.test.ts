import { describe, expect, it } from 'vitest';

import {
  computeStrategyFigures,
  formatTenthsOfPercent,
  type StrategyStatementData,
} from './strategy-statement-data.js';
import { completeStatement } from '../../test/fixtures/strategy-statement.js';

function withCounts(pupilCount: number | null, eligiblePupilCount: number | null) {
  return { ...completeStatement(), pupilCount, eligiblePupilCount };
}

describe('computeStrategyFigures', () => {
  // Expected values were worked out with Python's decimal module, ROUND_HALF_UP to 0.1.
  it.each<[number, number, number]>([
    [202, 1146, 176],
    [1, 8, 125],
    [1, 16, 63],
    [23, 80, 288],
    [201, 2000, 101],
    [1, 3, 333],
    [2, 3, 667],
    [1, 2000, 1],
    [1, 2001, 0],
    [0, 10, 0],
    [5, 5, 1000],
  ])('%i of %i pupils is %i tenths of a percent', (eligible, pupils, expected) => {
    const figures = computeStrategyFigures(withCounts(pupils, eligible));

    expect(figures.eligibleTenthsOfPercent).toBe(expected);
  });

  it.each<[string, number | null, number | null]>([
    ['no pupils on roll', 0, 0],
    ['roll unknown', null, 10],
    ['eligible unknown', 100, null],
  ])('leaves the proportion out with %s', (_name, pupils, eligible) => {
    expect(computeStrategyFigures(withCounts(pupils, eligible)).eligibleTenthsOfPercent).toBeNull();
  });

  it('adds the total budget', () => {
    const figures = computeStrategyFigures(completeStatement());

    // £218,760.00 allocated + £12,500.50 carried forward = £231,260.50.
    expect(figures.totalBudgetPence).toBe(23_126_050);
  });

  it('adds the total cost of activity', () => {
    const figures = computeStrategyFigures(completeStatement());

    // £80,000.00 + £95,000.50 + £50,000.00 = £225,000.50.
    expect(figures.totalActivityCostPence).toBe(22_500_050);
  });

  it('leaves totals out when an amount is missing', () => {
    const data = completeStatement();
    data.funding.carriedForwardPence = null;
    data.activity.widerStrategies.budgetedCostPence = null;

    const figures = computeStrategyFigures(data);

    expect(figures.totalBudgetPence).toBeNull();
    expect(figures.totalActivityCostPence).toBeNull();
  });

  it('counts zero carried forward', () => {
    const data = completeStatement();
    data.funding.carriedForwardPence = 0;

    expect(computeStrategyFigures(data).totalBudgetPence).toBe(21_876_000);
  });

  it.each<[string, (data: StrategyStatementData) => void, RegExp]>([
    ['negative roll', (data) => (data.pupilCount = -1), /pupilCount must be a whole number.*-1/],
    [
      'fractional eligible count',
      (data) => (data.eligiblePupilCount = 2.5),
      /eligiblePupilCount must be a whole number.*2\.5/,
    ],
    [
      'more eligible than on roll',
      (data) => (data.eligiblePupilCount = 1147),
      /eligiblePupilCount \(1147\) is larger than pupilCount \(1146\)/,
    ],
    [
      'fractional pence',
      (data) => (data.funding.allocationPence = 100.5),
      /funding\.allocationPence must be a whole number of pence.*100\.5/,
    ],
    [
      'negative tier cost',
      (data) => (data.activity.teaching.budgetedCostPence = -100),
      /activity\.teaching\.budgetedCostPence must be a whole number of pence.*-100/,
    ],
    [
      'challenge past the list',
      (data) => (data.activity.widerStrategies.activities[0]!.challengeNumbers = [3]),
      /"Attendance officer" \(Wider strategies\) addresses challenge 3.*challenges 1 to 2/,
    ],
    [
      'challenge 0',
      (data) => (data.activity.teaching.activities[0]!.challengeNumbers = [0]),
      /addresses challenge 0/,
    ],
    [
      'no challenges listed',
      (data) => (data.challenges = []),
      /addresses challenge 1, but the statement lists no challenges/,
    ],
  ])('rejects %s', (_name, change, message) => {
    const data = completeStatement();
    change(data);

    expect(() => computeStrategyFigures(data)).toThrow(message);
  });
});

describe('formatTenthsOfPercent', () => {
  it.each<[number, string]>([
    [176, '17.6%'],
    [0, '0.0%'],
    [5, '0.5%'],
    [1000, '100.0%'],
  ])('%i is %s', (tenths, expected) => {
    expect(formatTenthsOfPercent(tenths)).toBe(expected);
  });
});
