/**
 * A worked example of payment by results, printed on the finance help page and checked by
 * worked-example.test.ts against the figures worked out by hand below.
 *
 * A school buys a mentoring service for 20 pupils in years 8 and 9: 30 weekly sessions from
 * September 2025.
 *
 * Contract
 * - Up-front share £2,500.00, in 3 monthly instalments from 1 September 2025:
 *   £2,500.00 ÷ 3 = £833.33 rounded down, twice, and the last takes the spare penny:
 *   £833.33 + £833.33 + £833.34 = £2,500.00.
 * - Tariff A: £400.00 for each pupil whose attendance rises from below 90% to 90% or more,
 *   evidenced by the pupil's attendance report from the school's records; 12 hoped for.
 * - Tariff B: £300.00 for each pupil with two or more suspensions last year and none this year,
 *   evidenced by the behaviour log and the suspensions record; 8 hoped for.
 * - Cap £7,000.00, the up-front share included, so outcome payments can add at most
 *   £7,000.00 − £2,500.00 = £4,500.00.
 * - Expected payment: £2,500.00 + 12 × £400.00 + 8 × £300.00 = £9,700.00, capped at £7,000.00.
 *
 * Outcome lines recorded at the end of the year, in this order
 * - Lines 1 to 8: tariff A, pupils P-01 to P-08, evidenced: 8 × £400.00 = £3,200.00 earned.
 * - Line 9: tariff A, P-09, partly evidenced: nothing yet, £400.00 awaiting evidence.
 * - Line 10: tariff A, P-10, not evidenced: nothing.
 * - Lines 11 to 15: tariff B, P-11 to P-15, evidenced: 5 × £300.00 = £1,500.00 earned.
 * - Line 16: tariff B, P-16, evidenced but disputed: kept apart, £300.00 held back.
 * - Line 17: tariff B, P-11 again: a duplicate of line 11, nothing.
 *
 * Settlement
 * - Earned £3,200.00 + £1,500.00 = £4,700.00, but only £4,500.00 fits under the cap.
 * - Paid in order: lines 1 to 8 take £3,200.00, leaving £1,300.00; lines 11 to 14 take
 *   £1,200.00, leaving £100.00; line 15 is paid £100.00, cut by £200.00.
 * - Outcome payments £4,500.00; total paid £2,500.00 + £4,500.00 = £7,000.00.
 * - Resolving the dispute for the provider would add nothing: the cap is reached.
 *
 * Value for money
 * - Staff time: 40 hours at £35.50 = £1,420.00. Total cost £7,000.00 + £1,420.00 = £8,420.00.
 * - Per pupil £8,420.00 ÷ 20 = £421.00. Per session £8,420.00 ÷ 30 = £280.666… = £280.67.
 * - Per outcome achieved (13 paid lines) £8,420.00 ÷ 13 = £647.6923… = £647.69.
 * - Cost avoided: each tariff A pupil is no longer persistently absent, taken as one persistent
 *   truant avoided at £1,200.00: 12 × £1,200.00 = £14,400.00. Tariff B names no unit cost.
 * - Net benefit £14,400.00 − £8,420.00 = £5,980.00; benefit–cost ratio
 *   14,400 ÷ 8,420 = 1.7102… = 1.71.
 * - At 75% of hoped outcomes: 9 × £1,200.00 = £10,800.00, net £2,380.00, ratio 1.2827… = 1.28.
 *   At 50%: £7,200.00, net -£1,220.00, ratio 0.8551… = 0.86.
 *   At 25%: £3,600.00, net -£4,820.00, ratio 0.4275… = 0.43.
 */
import {
  instalmentDates,
  scheduleForModel,
  type ModelSchedule,
  type PaymentByResultsModel,
} from './payment-models.js';
import { settle, type OutcomeLine, type Settlement } from './settlement.js';
import { assessValueForMoney, type UnitCost, type ValueForMoney } from './value-for-money.js';

export const WORKED_EXAMPLE_MODEL: PaymentByResultsModel = {
  kind: 'payment_by_results',
  upfrontPence: 250_000,
  capPence: 700_000,
  tariffs: [
    {
      key: 'A',
      outcome: 'A pupil whose attendance rises from below 90% to 90% or more',
      pencePerUnit: 40_000,
      evidenceRequired: "the pupil's attendance report from the school's records",
      hopedUnits: 12,
      unitCostKey: 'persistent_truant',
    },
    {
      key: 'B',
      outcome: 'A pupil with two or more suspensions last year and none this year',
      pencePerUnit: 30_000,
      evidenceRequired: 'the behaviour log and the suspensions record',
      hopedUnits: 8,
      unitCostKey: null,
    },
  ],
};

export const WORKED_EXAMPLE_SCHEDULE = { firstDate: '2025-09-01', instalments: 3, monthsApart: 1 };

export const WORKED_EXAMPLE_VALUE = {
  staffHours: 40,
  staffHourlyRatePence: 3_550,
  pupils: 20,
  sessions: 30,
};

function line(
  number: number,
  tariffKey: string,
  pupil: number,
  status: OutcomeLine['status'],
  disputed = false,
): OutcomeLine {
  const unitReference = `P-${String(pupil).padStart(2, '0')}`;
  return {
    id: String(number),
    tariffKey,
    unitReference,
    status,
    disputed,
    evidenceReference: status === 'not_evidenced' ? '' : `Report for ${unitReference}, July 2026`,
  };
}

export const WORKED_EXAMPLE_LINES: readonly OutcomeLine[] = [
  ...[1, 2, 3, 4, 5, 6, 7, 8].map((pupil) => line(pupil, 'A', pupil, 'evidenced')),
  line(9, 'A', 9, 'partly_evidenced'),
  line(10, 'A', 10, 'not_evidenced'),
  ...[11, 12, 13, 14, 15].map((pupil) => line(pupil, 'B', pupil, 'evidenced')),
  line(16, 'B', 16, 'evidenced', true),
  line(17, 'B', 11, 'evidenced'),
];

export interface WorkedExample {
  model: PaymentByResultsModel;
  schedule: ModelSchedule;
  settlement: Settlement;
  value: ValueForMoney;
}

/**
 * Works the example through the same functions the app uses. `unitCosts` must include the
 * tariffs' unit costs; the hand-worked figures assume a persistent truant at £1,200.00.
 * Throws a `RangeError` when a tariff's unit cost is missing.
 */
export function workExample(unitCosts: readonly UnitCost[]): WorkedExample {
  const model = WORKED_EXAMPLE_MODEL;
  const { firstDate, instalments, monthsApart } = WORKED_EXAMPLE_SCHEDULE;
  const schedule = scheduleForModel(model, instalmentDates(firstDate, instalments, monthsApart));
  const settlement = settle(model, WORKED_EXAMPLE_LINES);

  const avoided = model.tariffs.flatMap((tariff) => {
    if (tariff.unitCostKey === null) return [];
    const unitCost = unitCosts.find((cost) => cost.key === tariff.unitCostKey);
    if (unitCost === undefined) {
      throw new RangeError(`The worked example needs the unit cost ${tariff.unitCostKey}`);
    }
    return [{ unitCost, hopedUnits: tariff.hopedUnits }];
  });
  const value = assessValueForMoney({
    paymentsPence: settlement.totalPence,
    staffHours: WORKED_EXAMPLE_VALUE.staffHours,
    staffHourlyRatePence: WORKED_EXAMPLE_VALUE.staffHourlyRatePence,
    pupils: WORKED_EXAMPLE_VALUE.pupils,
    sessions: WORKED_EXAMPLE_VALUE.sessions,
    outcomesAchieved: settlement.lines.filter((settled) => settled.outcome === 'paid').length,
    avoided,
  });
  return { model, schedule, settlement, value };
}
