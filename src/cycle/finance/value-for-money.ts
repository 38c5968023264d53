/**
 * Value for money of a commission: what it costs in money and staff time, what that comes to
 * per pupil, per session and per outcome achieved, and the costs its outcomes may avoid.
 *
 * Definitions:
 * - Total cost = the payments to the provider + staff hours × the staff hourly rate.
 * - Cost per pupil, per session and per outcome achieved = total cost ÷ that number, rounded
 *   to the nearest penny with halves rounded up; none when the number is 0 or unknown.
 * - Cost avoided = for each kind of outcome, the outcomes hoped for × the unit cost that one
 *   such outcome avoids, each line rounded to the penny, then added.
 * - Net benefit = cost avoided − total cost. Benefit–cost ratio = cost avoided ÷ total cost,
 *   rounded to 2 decimal places with halves rounded up.
 * - Sensitivity: the same figures with 100%, 75%, 50% and 25% of the hoped outcomes.
 *
 * Cost avoided is spending that the school or the wider education system no longer has to
 * make. It is not money the school receives, and most of it falls outside the school's budget.
 */
import { formatPence } from './money.js';

/** A dated, sourced cost that one outcome can avoid, such as one permanent exclusion. */
export interface UnitCost {
  key: string;
  label: string;
  /** Name of one unit, such as `exclusion` or `pupil`. */
  unit: string;
  pence: number;
  /** Payer of the cost when the outcome is not achieved: the school, or the education system. */
  bornBy: 'school' | 'education_system';
  source: string;
  /** Publication month of the source, as `YYYY-MM`. */
  sourceDate: string;
}

/** Outcomes hoped for that each avoid one unit cost. */
export interface AvoidedCost {
  unitCost: UnitCost;
  hopedUnits: number;
}

export interface ValueInputs {
  /** Payments to the provider, in pence. */
  paymentsPence: number;
  /** Staff time the school gives, in whole hours. */
  staffHours: number;
  /** Cost of one hour of staff time, in pence; needed when there are staff hours. */
  staffHourlyRatePence: number | null;
  pupils: number | null;
  sessions: number | null;
  outcomesAchieved: number | null;
  avoided: readonly AvoidedCost[];
}

export interface AvoidedCostLine {
  unitCost: UnitCost;
  units: number;
  pence: number;
}

/** Cost avoided and what follows from it, at one share of the hoped outcomes. */
export interface Scenario {
  /** Share of the hoped outcomes, in per cent. */
  percent: number;
  lines: AvoidedCostLine[];
  costAvoidedPence: number;
  /** Part of the cost avoided that the school itself would have paid. */
  schoolCostAvoidedPence: number;
  netBenefitPence: number;
  /** Null when the total cost is 0. */
  benefitCostRatio: number | null;
}

export interface ValueForMoney {
  paymentsPence: number;
  staffTimePence: number;
  totalCostPence: number;
  costPerPupilPence: number | null;
  costPerSessionPence: number | null;
  costPerOutcomePence: number | null;
  /** The scenario with every hoped outcome achieved. */
  expected: Scenario;
  /** 100%, 75%, 50% and 25% of the hoped outcomes, in that order. */
  sensitivity: Scenario[];
  /** Every assumption behind the figures, in plain sentences. */
  assumptions: string[];
}

export const SENSITIVITY_PERCENTS = [100, 75, 50, 25] as const;

/**
 * Works out value for money with the definitions in this module's header. Throws a
 * `RangeError` for a negative or fractional amount or count, or for staff hours without an
 * hourly rate.
 */
export function assessValueForMoney(inputs: ValueInputs): ValueForMoney {
  requireWhole('Payments', inputs.paymentsPence);
  requireWhole('Staff hours', inputs.staffHours);
  if (inputs.staffHours > 0 && inputs.staffHourlyRatePence === null) {
    throw new RangeError('Staff hours need a staff hourly rate to be costed');
  }
  const staffTimePence = inputs.staffHours * (inputs.staffHourlyRatePence ?? 0);
  requireWhole('Staff time', staffTimePence);
  const totalCostPence = inputs.paymentsPence + staffTimePence;

  const sensitivity = SENSITIVITY_PERCENTS.map((percent) =>
    scenario(inputs.avoided, percent, totalCostPence),
  );
  return {
    paymentsPence: inputs.paymentsPence,
    staffTimePence,
    totalCostPence,
    costPerPupilPence: costPer(totalCostPence, inputs.pupils),
    costPerSessionPence: costPer(totalCostPence, inputs.sessions),
    costPerOutcomePence: costPer(totalCostPence, inputs.outcomesAchieved),
    expected: sensitivity[0] as Scenario,
    sensitivity,
    assumptions: listAssumptions(inputs),
  };
}

function scenario(
  avoided: readonly AvoidedCost[],
  percent: number,
  totalCostPence: number,
): Scenario {
  const lines = avoided.map(({ unitCost, hopedUnits }) => {
    requireWhole(`Outcomes hoped for (${unitCost.label})`, hopedUnits);
    requireWhole(`Unit cost (${unitCost.label})`, unitCost.pence);
    return {
      unitCost,
      units: (hopedUnits * percent) / 100,
      pence: roundedQuotient(BigInt(unitCost.pence) * BigInt(hopedUnits) * BigInt(percent), 100n),
    };
  });
  const costAvoidedPence = lines.reduce((sum, line) => sum + line.pence, 0);
  return {
    percent,
    lines,
    costAvoidedPence,
    schoolCostAvoidedPence: lines
      .filter((line) => line.unitCost.bornBy === 'school')
      .reduce((sum, line) => sum + line.pence, 0),
    netBenefitPence: costAvoidedPence - totalCostPence,
    benefitCostRatio:
      totalCostPence === 0
        ? null
        : roundedQuotient(BigInt(costAvoidedPence) * 100n, BigInt(totalCostPence)) / 100,
  };
}

function costPer(totalCostPence: number, count: number | null): number | null {
  if (count === null || count === 0) return null;
  requireWhole('Count', count);
  return divideRoundingHalfUp(totalCostPence, count);
}

/**
 * Divides whole numbers, 0 or more, and rounds to the nearest whole number with halves
 * rounded up, exactly: the arithmetic is done in BigInt, so no floating-point error creeps in.
 * Throws a `RangeError` for a negative or fractional input or a zero divisor.
 */
export function divideRoundingHalfUp(numerator: number, denominator: number): number {
  requireWhole('Numerator', numerator);
  requireWhole('Denominator', denominator);
  if (denominator === 0) throw new RangeError('Cannot divide by 0');
  return roundedQuotient(BigInt(numerator), BigInt(denominator));
}

function roundedQuotient(numerator: bigint, denominator: bigint): number {
  return Number((2n * numerator + denominator) / (2n * denominator));
}

function listAssumptions(inputs: ValueInputs): string[] {
  const assumptions = inputs.avoided.map(
    ({ unitCost }) =>
      `Each ${unitCost.unit} avoided saves ${formatPence(unitCost.pence)} (${unitCost.label}). ` +
      `Source: ${unitCost.source}, ${unitCost.sourceDate}.`,
  );
  if (inputs.staffHours > 0 && inputs.staffHourlyRatePence !== null) {
    assumptions.push(
      `Staff time is costed at ${formatPence(inputs.staffHourlyRatePence)} an hour for ${inputs.staffHours} hours.`,
    );
  }
  assumptions.push(
    'Cost avoided is spending that the school or the education system no longer has to make. It is not money the school receives.',
    'Unit costs are estimates from their source date and are not adjusted for inflation.',
    'The figures assume each outcome would not have happened without the service. Compare with similar pupils who did not take part before relying on them.',
  );
  return assumptions;
}

function requireWhole(what: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${what} must be a whole number, 0 or more: got ${value}`);
  }
}
