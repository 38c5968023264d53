import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { splitCost } from './cost-shares.js';
import { paymentSchedule, type PaymentByResultsModel } from './payment-models.js';
import { settle, type EvidenceStatus } from './settlement.js';
import { assessValueForMoney, divideRoundingHalfUp } from './value-for-money.js';
import { DEFAULT_UNIT_COSTS } from './reference-data.js';

// Values computed with exact fractions and decimal rounding by
// scripts/reference/finance_reference.py, from the definitions rather than this code.
interface Reference {
  rounding: { numerator: number; denominator: number; rounded: number }[];
  schedules: { total: number; count: number; instalments: number[] }[];
  shares: { total: number; weights: number[]; shares: number[] }[];
  scenarios: { unitPence: number; hopedUnits: number; percent: number; pence: number }[];
  ratios: { avoided: number; cost: number; ratio: string }[];
  settlements: {
    upfront: number;
    cap: number | null;
    prices: Record<string, number>;
    lines: {
      tariff: string;
      unit: string;
      status: EvidenceStatus;
      disputed: boolean;
      evidence: string;
    }[];
    owed: number[];
    outcomePayments: number;
    total: number;
  }[];
}

const reference = JSON.parse(
  readFileSync(new URL('./reference/finance-reference.json', import.meta.url), 'utf8'),
) as Reference;

const unitCost =
  DEFAULT_UNIT_COSTS[0] ??
  (() => {
    throw new Error('No default unit cost');
  })();

describe('reference rounding', () => {
  it.each(reference.rounding)(
    '$numerator ÷ $denominator',
    ({ numerator, denominator, rounded }) => {
      expect(divideRoundingHalfUp(numerator, denominator)).toBe(rounded);
    },
  );
});

describe('reference schedules', () => {
  it.each(reference.schedules)('$total over $count', ({ total, count, instalments }) => {
    const dates = Array.from(
      { length: count },
      (_unused, index) => `2025-01-${String(index + 1).padStart(2, '0')}`,
    );

    expect(paymentSchedule(total, dates).map((item) => item.pence)).toEqual(instalments);
  });
});

describe('reference shares', () => {
  it.each(reference.shares)('$total by $weights', ({ total, weights, shares }) => {
    const partners = weights.map((weight, index) => ({ id: String(index), weight }));

    const result = splitCost(total, 'pupils', partners);

    expect(result.ok && result.shares.map((share) => share.pence)).toEqual(shares);
  });
});

describe('reference scenarios', () => {
  it.each(reference.scenarios)(
    '$unitPence × $hopedUnits at $percent%',
    ({ unitPence, hopedUnits, percent, pence }) => {
      const value = assessValueForMoney({
        paymentsPence: 1,
        staffHours: 0,
        staffHourlyRatePence: null,
        pupils: null,
        sessions: null,
        outcomesAchieved: null,
        avoided: [{ unitCost: { ...unitCost, pence: unitPence }, hopedUnits }],
      });

      const scenario = value.sensitivity.find((item) => item.percent === percent);
      expect(scenario?.costAvoidedPence).toBe(pence);
    },
  );
});

describe('reference ratios', () => {
  it.each(reference.ratios)('$avoided ÷ $cost', ({ avoided, cost, ratio }) => {
    const value = assessValueForMoney({
      paymentsPence: cost,
      staffHours: 0,
      staffHourlyRatePence: null,
      pupils: null,
      sessions: null,
      outcomesAchieved: null,
      avoided: [{ unitCost: { ...unitCost, pence: avoided }, hopedUnits: 1 }],
    });

    expect(value.expected.benefitCostRatio).toBe(Number(ratio));
  });
});

describe('reference settlements', () => {
  it.each(reference.settlements.map((item, index) => ({ ...item, index })))(
    'settlement $index',
    (item) => {
      const model: PaymentByResultsModel = {
        kind: 'payment_by_results',
        upfrontPence: item.upfront,
        capPence: item.cap,
        tariffs: Object.entries(item.prices).map(([key, pencePerUnit]) => ({
          key,
          outcome: key,
          pencePerUnit,
          evidenceRequired: 'evidence',
          hopedUnits: 0,
          unitCostKey: null,
        })),
      };
      const lines = item.lines.map((line, index) => ({
        id: String(index + 1),
        tariffKey: line.tariff,
        unitReference: line.unit,
        status: line.status,
        disputed: line.disputed,
        evidenceReference: line.evidence,
      }));

      const settlement = settle(model, lines);

      expect(settlement.lines.map((line) => line.owedPence)).toEqual(item.owed);
      expect(settlement.outcomePaymentsPence).toBe(item.outcomePayments);
      expect(settlement.totalPence).toBe(item.total);
    },
  );
});
