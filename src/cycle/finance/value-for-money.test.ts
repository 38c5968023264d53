import { describe, expect, it } from 'vitest';
import { DEFAULT_UNIT_COSTS } from './reference-data.js';
import {
  assessValueForMoney,
  divideRoundingHalfUp,
  type UnitCost,
  type ValueInputs,
} from './value-for-money.js';

function unitCost(key: string): UnitCost {
  const found = DEFAULT_UNIT_COSTS.find((cost) => cost.key === key);
  if (!found) throw new Error(`No default unit cost ${key}`);
  return found;
}

const INPUTS: ValueInputs = {
  paymentsPence: 500_000,
  staffHours: 10,
  staffHourlyRatePence: 2_999,
  pupils: 7,
  sessions: 12,
  outcomesAchieved: 3,
  avoided: [
    { unitCost: unitCost('permanent_exclusion'), hopedUnits: 1 },
    { unitCost: unitCost('alternative_provision'), hopedUnits: 2 },
  ],
};

describe('assessValueForMoney', () => {
  it('costs staff time and divides', () => {
    const value = assessValueForMoney(INPUTS);

    // £5,000 + 10 × £29.99 = £5,299.90.
    expect(value.staffTimePence).toBe(29_990);
    expect(value.totalCostPence).toBe(529_990);
    // £5,299.90 ÷ 7 = £757.128…; ÷ 12 = £441.658…; ÷ 3 = £1,766.633…
    expect(value.costPerPupilPence).toBe(75_713);
    expect(value.costPerSessionPence).toBe(44_166);
    expect(value.costPerOutcomePence).toBe(176_663);
  });

  it('adds up costs avoided', () => {
    const value = assessValueForMoney(INPUTS);

    // 1 × £20,000 + 2 × £4,000 = £28,000, of which £8,000 the school would have paid.
    expect(value.expected.costAvoidedPence).toBe(2_800_000);
    expect(value.expected.schoolCostAvoidedPence).toBe(800_000);
    expect(value.expected.netBenefitPence).toBe(2_270_010);
    // 28,000 ÷ 5,299.90 = 5.2831…
    expect(value.expected.benefitCostRatio).toBe(5.28);
  });

  it('scales outcomes for sensitivity', () => {
    const value = assessValueForMoney(INPUTS);

    expect(value.sensitivity.map((item) => item.percent)).toEqual([100, 75, 50, 25]);
    // At 25%: 0.25 × £20,000 + 0.5 × £4,000 = £7,000.
    expect(value.sensitivity.map((item) => item.costAvoidedPence)).toEqual([
      2_800_000, 2_100_000, 1_400_000, 700_000,
    ]);
    expect(value.sensitivity[3]?.lines.map((line) => line.units)).toEqual([0.25, 0.5]);
    expect(value.sensitivity[3]?.netBenefitPence).toBe(170_010);
  });

  it('rounds a half penny up', () => {
    const odd = { ...unitCost('persistent_truant'), pence: 333 };
    const value = assessValueForMoney({ ...INPUTS, avoided: [{ unitCost: odd, hopedUnits: 1 }] });

    // 50% of £3.33 is 166.5p, which rounds up to 167p; 25% is 83.25p, which rounds to 83p.
    expect(value.sensitivity.map((item) => item.costAvoidedPence)).toEqual([333, 250, 167, 83]);
  });

  it('leaves out divisions by zero', () => {
    const value = assessValueForMoney({
      ...INPUTS,
      paymentsPence: 0,
      staffHours: 0,
      staffHourlyRatePence: null,
      pupils: 0,
      sessions: null,
      outcomesAchieved: null,
    });

    expect(value.totalCostPence).toBe(0);
    expect(value.costPerPupilPence).toBeNull();
    expect(value.costPerSessionPence).toBeNull();
    expect(value.costPerOutcomePence).toBeNull();
    expect(value.expected.benefitCostRatio).toBeNull();
  });

  it('lists its assumptions', () => {
    const value = assessValueForMoney(INPUTS);

    expect(value.assumptions[0]).toBe(
      'Each exclusion avoided saves £20,000.00 (One permanent exclusion, total cost to the education system). ' +
        'Source: Commissioning Futures: A Guide for Schools, The Young Foundation, May 2018, which cites its own sources, 2018-05.',
    );
    expect(value.assumptions).toContain('Staff time is costed at £29.99 an hour for 10 hours.');
    expect(value.assumptions.some((text) => text.includes('not money the school receives'))).toBe(
      true,
    );
  });

  it('needs an hourly rate for staff hours', () => {
    expect(() => assessValueForMoney({ ...INPUTS, staffHourlyRatePence: null })).toThrow(
      'Staff hours need a staff hourly rate to be costed',
    );
  });

  it('rejects negative payments', () => {
    expect(() => assessValueForMoney({ ...INPUTS, paymentsPence: -1 })).toThrow(RangeError);
  });
});

describe('divideRoundingHalfUp', () => {
  it.each([
    [5, 2, 3],
    [7, 2, 4],
    [1, 3, 0],
    [2, 3, 1],
    [0, 9, 0],
  ])('%i ÷ %i rounds to %i', (numerator, denominator, rounded) => {
    expect(divideRoundingHalfUp(numerator, denominator)).toBe(rounded);
  });

  it('rejects a zero divisor', () => {
    expect(() => divideRoundingHalfUp(1, 0)).toThrow(RangeError);
  });
});
