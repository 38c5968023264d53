import { describe, expect, it } from 'vitest';
import { DEFAULT_UNIT_COSTS } from './reference-data.js';
import { workExample } from './worked-example.js';

// The expected figures are those worked out by hand in worked-example.ts.
describe('worked example', () => {
  const example = workExample(DEFAULT_UNIT_COSTS);

  it('schedules the up-front share', () => {
    expect(example.schedule.instalments).toEqual([
      { number: 1, dueDate: '2025-09-01', pence: 83_333 },
      { number: 2, dueDate: '2025-10-01', pence: 83_333 },
      { number: 3, dueDate: '2025-11-01', pence: 83_334 },
    ]);
    expect(example.schedule.onSettlementPence).toBe(450_000);
  });

  it('settles line by line', () => {
    const owed = example.settlement.lines.map((line) => line.owedPence);
    const outcomes = example.settlement.lines.map((line) => line.outcome);

    expect(owed).toEqual([
      40_000, 40_000, 40_000, 40_000, 40_000, 40_000, 40_000, 40_000, 0, 0, 30_000, 30_000, 30_000,
      30_000, 10_000, 0, 0,
    ]);
    expect(outcomes.slice(8)).toEqual([
      'awaiting_evidence',
      'not_evidenced',
      'paid',
      'paid',
      'paid',
      'paid',
      'paid',
      'disputed',
      'duplicate',
    ]);
    expect(example.settlement.lines[14]?.capReductionPence).toBe(20_000);
  });

  it('totals the settlement', () => {
    const settlement = example.settlement;

    expect(settlement.earnedPence).toBe(470_000);
    expect(settlement.capReductionPence).toBe(20_000);
    expect(settlement.outcomePaymentsPence).toBe(450_000);
    expect(settlement.totalPence).toBe(700_000);
    expect(settlement.disputedPence).toBe(30_000);
    expect(settlement.disputedWithinCapPence).toBe(0);
    expect(settlement.awaitingEvidencePence).toBe(40_000);
  });

  it('works out value for money', () => {
    const value = example.value;

    expect(value.staffTimePence).toBe(142_000);
    expect(value.totalCostPence).toBe(842_000);
    expect(value.costPerPupilPence).toBe(42_100);
    expect(value.costPerSessionPence).toBe(28_067);
    expect(value.costPerOutcomePence).toBe(64_769);
    expect(value.sensitivity.map((item) => item.costAvoidedPence)).toEqual([
      1_440_000, 1_080_000, 720_000, 360_000,
    ]);
    expect(value.sensitivity.map((item) => item.netBenefitPence)).toEqual([
      598_000, 238_000, -122_000, -482_000,
    ]);
    expect(value.sensitivity.map((item) => item.benefitCostRatio)).toEqual([
      1.71, 1.28, 0.86, 0.43,
    ]);
  });
});
