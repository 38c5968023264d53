/**
 * Payment models, the ways a school pays a provider: a fixed price for agreed outputs, a price per pupil, a price
 * per session, or payment by results. Amounts are whole pence.
 *
 * Payment by results here follows the shape the Commissioning Futures guide describes: the
 * school pays an agreed share up front, then a tariff for each outcome the provider evidences,
 * and an optional cap limits everything paid, the up-front share included.
 */
import { parseDateParts } from './date-parts.js';
import { formatPence, MAX_AMOUNT_PENCE, parsePounds } from './money.js';
import { parseCount } from './whole-number.js';

export const PAYMENT_MODEL_KINDS = [
  'fixed_price',
  'per_pupil',
  'per_session',
  'payment_by_results',
] as const;

export type PaymentModelKind = (typeof PAYMENT_MODEL_KINDS)[number];

export const PAYMENT_MODEL_LABELS: Readonly<Record<PaymentModelKind, string>> = {
  fixed_price: 'Fixed price for agreed outputs',
  per_pupil: 'Price per pupil',
  per_session: 'Price per session',
  payment_by_results: 'Payment by results',
};

/** Most tariffs one payment-by-results model may have; the form offers this many rows. */
export const MAX_TARIFFS = 5;

export interface FixedPriceModel {
  kind: 'fixed_price';
  pricePence: number;
  /** The outputs the price buys, such as "12 workshops and a report". */
  outputs: string;
}

export interface PerUnitModel {
  kind: 'per_pupil' | 'per_session';
  pencePerUnit: number;
  /** Pupils or sessions bought. */
  units: number;
}

/** A price paid for each evidenced outcome of one kind. */
export interface Tariff {
  /** Identifies the tariff within its model; outcome lines name it. */
  key: string;
  /** The outcome paid for, such as "a pupil whose attendance rises above 90%". */
  outcome: string;
  pencePerUnit: number;
  /** The evidence each outcome needs before it is paid, such as "MIS attendance report". */
  evidenceRequired: string;
  /** How many of these outcomes the plan hopes for. */
  hopedUnits: number;
  /** Key of the unit cost an outcome of this kind avoids, if any. */
  unitCostKey: string | null;
}

export interface PaymentByResultsModel {
  kind: 'payment_by_results';
  upfrontPence: number;
  tariffs: Tariff[];
  /** Most that is ever paid, the up-front share included; null for no cap. */
  capPence: number | null;
}

export type PaymentModel = FixedPriceModel | PerUnitModel | PaymentByResultsModel;

/**
 * Returns the total the school expects to pay: the price for fixed-price and per-unit models, and
 * for payment by results the up-front share plus every hoped outcome's tariff, limited by the
 * cap.
 */
export function expectedPayment(model: PaymentModel): number {
  switch (model.kind) {
    case 'fixed_price':
      return model.pricePence;
    case 'per_pupil':
    case 'per_session':
      return model.pencePerUnit * model.units;
    case 'payment_by_results': {
      const outcomes = model.tariffs.reduce(
        (sum, tariff) => sum + tariff.pencePerUnit * tariff.hopedUnits,
        0,
      );
      const uncapped = model.upfrontPence + outcomes;
      return model.capPence === null ? uncapped : Math.min(uncapped, model.capPence);
    }
  }
}

/**
 * Returns the maximum the school can be asked to pay, or null when payment by results has no cap and
 * outcomes beyond those hoped for would each be paid.
 */
export function maximumPayment(model: PaymentModel): number | null {
  if (model.kind === 'payment_by_results') return model.capPence;
  return expectedPayment(model);
}

/** The fields of the payment model form, as typed. Blank tariff rows are ignored. */
export interface PaymentModelForm {
  kind: string;
  price: string;
  units: string;
  outputs: string;
  upfront: string;
  cap: string;
  tariffs: TariffForm[];
}

export interface TariffForm {
  outcome: string;
  price: string;
  evidence: string;
  hopedUnits: string;
  unitCostKey: string;
}

/** A message for one form field; `field` is the input's id, for the error summary's link. */
export interface FieldError {
  field: string;
  message: string;
}

export type PaymentModelParseResult =
  { ok: true; model: PaymentModel } | { ok: false; errors: FieldError[] };

/**
 * Checks a payment model form and builds the model. Amounts follow `parsePounds`, so a
 * negative amount, more than two decimal places, text or more than £10,000,000 is rejected.
 * The form is also rejected for a price times units above £10,000,000, payment by results
 * without a tariff, a cap below the up-front share, or a tariff row with fields missing.
 * `unitCostKeys` lists the unit costs a tariff may name. Every problem is reported against
 * its own field.
 */
export function parsePaymentModel(
  form: PaymentModelForm,
  unitCostKeys: readonly string[],
): PaymentModelParseResult {
  switch (form.kind) {
    case 'fixed_price':
      return parseFixedPrice(form);
    case 'per_pupil':
    case 'per_session':
      return parsePerUnit(form, form.kind);
    case 'payment_by_results':
      return parsePaymentByResults(form, unitCostKeys);
    default:
      return { ok: false, errors: [{ field: 'kind', message: 'Select how the provider is paid' }] };
  }
}

function parseFixedPrice(form: PaymentModelForm): PaymentModelParseResult {
  const errors: FieldError[] = [];
  const price = parsePounds(form.price, {
    label: 'Price',
    missingMessage: 'Enter the price',
    allowZero: false,
  });
  if (!price.ok) errors.push({ field: 'price', message: price.error });
  const outputs = form.outputs.trim();
  if (outputs === '') {
    errors.push({ field: 'outputs', message: 'Enter the outputs the price buys' });
  }
  if (!price.ok || errors.length > 0) return { ok: false, errors };
  return { ok: true, model: { kind: 'fixed_price', pricePence: price.pence, outputs } };
}

function parsePerUnit(
  form: PaymentModelForm,
  kind: 'per_pupil' | 'per_session',
): PaymentModelParseResult {
  const noun = kind === 'per_pupil' ? 'pupil' : 'session';
  const errors: FieldError[] = [];
  const price = parsePounds(form.price, {
    label: `Price per ${noun}`,
    missingMessage: `Enter the price per ${noun}`,
    allowZero: false,
  });
  if (!price.ok) errors.push({ field: 'price', message: price.error });
  const units = parseCount(form.units, {
    label: `Number of ${noun}s`,
    missingMessage: `Enter the number of ${noun}s`,
    min: 1,
  });
  if (!units.ok) errors.push({ field: 'units', message: units.error });
  if (!price.ok || !units.ok) return { ok: false, errors };

  const total = price.pence * units.value;
  if (total > MAX_AMOUNT_PENCE) {
    return {
      ok: false,
      errors: [
        {
          field: 'price',
          message: `Price per ${noun} times ${units.value} ${noun}s comes to ${formatPence(total)}, more than £10,000,000. Check the price and the number of ${noun}s`,
        },
      ],
    };
  }
  return { ok: true, model: { kind, pencePerUnit: price.pence, units: units.value } };
}

function parsePaymentByResults(
  form: PaymentModelForm,
  unitCostKeys: readonly string[],
): PaymentModelParseResult {
  const errors: FieldError[] = [];
  const upfront = parsePounds(form.upfront, {
    label: 'Up-front payment',
    missingMessage: 'Enter the up-front payment, or 0 if nothing is paid up front',
  });
  if (!upfront.ok) errors.push({ field: 'upfront', message: upfront.error });

  const capText = form.cap.trim();
  const cap =
    capText === ''
      ? null
      : parsePounds(capText, { label: 'Cap', missingMessage: '', allowZero: false });
  if (cap !== null && !cap.ok) errors.push({ field: 'cap', message: cap.error });
  if (upfront.ok && cap !== null && cap.ok && cap.pence < upfront.pence) {
    errors.push({
      field: 'cap',
      message: `Cap must be at least the up-front payment of ${formatPence(upfront.pence)}, because the up-front payment counts towards the cap`,
    });
  }

  const tariffs = parseTariffs(form.tariffs, unitCostKeys, errors);
  if (tariffs.length === 0 && !errors.some((error) => error.field.startsWith('tariff-'))) {
    errors.push({
      field: 'tariff-0-outcome',
      message: 'Enter at least one outcome to pay for, with its price and evidence',
    });
  }

  if (errors.length > 0 || !upfront.ok) return { ok: false, errors };
  return {
    ok: true,
    model: {
      kind: 'payment_by_results',
      upfrontPence: upfront.pence,
      tariffs,
      capPence: cap === null || !cap.ok ? null : cap.pence,
    },
  };
}

function parseTariffs(
  rows: readonly TariffForm[],
  unitCostKeys: readonly string[],
  errors: FieldError[],
): Tariff[] {
  const tariffs: Tariff[] = [];
  rows.slice(0, MAX_TARIFFS).forEach((row, index) => {
    const blank = [row.outcome, row.price, row.evidence, row.hopedUnits, row.unitCostKey].every(
      (value) => value.trim() === '',
    );
    if (blank) return;

    const field = (name: string) => `tariff-${index}-${name}`;
    const number = index + 1;
    const outcome = row.outcome.trim();
    if (outcome === '') {
      errors.push({ field: field('outcome'), message: `Enter the outcome for tariff ${number}` });
    }
    const price = parsePounds(row.price, {
      label: `Price for tariff ${number}`,
      missingMessage: `Enter the price for each outcome of tariff ${number}`,
      allowZero: false,
    });
    if (!price.ok) errors.push({ field: field('price'), message: price.error });
    const evidence = row.evidence.trim();
    if (evidence === '') {
      errors.push({
        field: field('evidence'),
        message: `Enter the evidence each outcome of tariff ${number} needs`,
      });
    }
    const hoped = parseCount(row.hopedUnits, {
      label: `Outcomes hoped for in tariff ${number}`,
      missingMessage: `Enter how many outcomes tariff ${number} hopes for`,
    });
    if (!hoped.ok) errors.push({ field: field('hopedUnits'), message: hoped.error });
    const unitCostKey = row.unitCostKey.trim();
    if (unitCostKey !== '' && !unitCostKeys.includes(unitCostKey)) {
      errors.push({
        field: field('unitCostKey'),
        message: `Select a cost avoided for tariff ${number} from the list`,
      });
    }

    if (outcome === '' || !price.ok || evidence === '' || !hoped.ok) return;
    tariffs.push({
      key: `tariff-${index}`,
      outcome,
      pencePerUnit: price.pence,
      evidenceRequired: evidence,
      hopedUnits: hoped.value,
      unitCostKey: unitCostKey === '' ? null : unitCostKey,
    });
  });
  return tariffs;
}

/** One payment due. */
export interface Instalment {
  /** 1 for the first instalment. */
  number: number;
  dueDate: string;
  pence: number;
}

/**
 * Splits a total into one instalment per due date. Each instalment is the even share rounded
 * down to the penny, and the pennies left over go on the last instalment. That way the
 * school never pays ahead of an even share, and the instalments add up to the total exactly:
 * £2,500.00 over three dates gives £833.33, £833.33 and £833.34.
 * Throws a `RangeError` for a negative or fractional total, no dates, or dates that are not
 * in order.
 */
export function paymentSchedule(totalPence: number, dueDates: readonly string[]): Instalment[] {
  if (!Number.isSafeInteger(totalPence) || totalPence < 0) {
    throw new RangeError(`Total to schedule must be whole pence, 0 or more: got ${totalPence}`);
  }
  if (dueDates.length === 0) throw new RangeError('A payment schedule needs at least one date');
  dueDates.forEach((date, index) => {
    const previous = dueDates[index - 1];
    if (previous !== undefined && date < previous) {
      throw new RangeError(`Payment dates must be in order: ${date} comes after ${previous}`);
    }
  });

  const even = Math.floor(totalPence / dueDates.length);
  const leftOver = totalPence - even * dueDates.length;
  return dueDates.map((dueDate, index) => ({
    number: index + 1,
    dueDate,
    pence: index === dueDates.length - 1 ? even + leftOver : even,
  }));
}

/**
 * Returns `count` dates a whole number of months apart, starting at `firstDate` (ISO). A day
 * that a month lacks becomes that month's last day, and each date is counted from the first,
 * so 31 January monthly gives 28 or 29 February, then 31 March.
 */
export function instalmentDates(firstDate: string, count: number, monthsApart: number): string[] {
  const [year, month, day] = firstDate.split('-').map(Number) as [number, number, number];
  return Array.from({ length: count }, (_unused, index) => {
    const monthIndex = month - 1 + index * monthsApart;
    const targetYear = year + Math.floor(monthIndex / 12);
    const targetMonth = monthIndex % 12;
    const lastDay = new Date(Date.UTC(targetYear, targetMonth + 1, 0)).getUTCDate();
    const date = new Date(Date.UTC(targetYear, targetMonth, Math.min(day, lastDay)));
    return date.toISOString().slice(0, 10);
  });
}

/** A model's payments: instalments on dates, and for payment by results what may follow. */
export interface ModelSchedule {
  instalments: Instalment[];
  /**
   * For payment by results, the most that outcome payments can add after settlement: the cap
   * less the up-front share, or with no cap the hoped outcomes' tariffs. Null for other models.
   */
  onSettlementPence: number | null;
  /** Whether `onSettlementPence` is a hard limit (a cap) rather than what is hoped for. */
  onSettlementCapped: boolean;
}

/**
 * Schedules a model's payments over the due dates: the whole price for fixed-price and
 * per-unit models, and only the up-front share for payment by results, whose outcome payments
 * follow settlement. Throws as `paymentSchedule` does.
 */
export function scheduleForModel(model: PaymentModel, dueDates: readonly string[]): ModelSchedule {
  if (model.kind !== 'payment_by_results') {
    return {
      instalments: paymentSchedule(expectedPayment(model), dueDates),
      onSettlementPence: null,
      onSettlementCapped: false,
    };
  }
  const capped = model.capPence !== null;
  return {
    instalments: paymentSchedule(model.upfrontPence, dueDates),
    onSettlementPence: capped
      ? (model.capPence as number) - model.upfrontPence
      : expectedPayment(model) - model.upfrontPence,
    onSettlementCapped: capped,
  };
}

/** When a model's instalments fall. */
export interface ScheduleSettings {
  firstDate: string;
  instalments: number;
  monthsApart: number;
}

/** Gaps between instalments the form offers, in months. */
export const MONTHS_APART_OPTIONS = [1, 3, 6, 12] as const;

/** Most instalments one schedule may have: three years of monthly payments. */
export const MAX_INSTALMENTS = 36;

export interface ScheduleForm {
  firstDay: string;
  firstMonth: string;
  firstYear: string;
  instalments: string;
  monthsApart: string;
}

/**
 * Checks the schedule part of the payment model form: a real first payment date, 1 to
 * `MAX_INSTALMENTS` instalments, and a gap from `MONTHS_APART_OPTIONS`.
 */
export function parseScheduleForm(
  form: ScheduleForm,
): { ok: true; schedule: ScheduleSettings } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const first = parseDateParts(
    form.firstDay,
    form.firstMonth,
    form.firstYear,
    'First payment date',
  );
  if (!first.ok) errors.push({ field: 'firstDate', message: first.error });
  else if (first.date === null) {
    errors.push({ field: 'firstDate', message: 'Enter the date of the first payment' });
  }

  const instalments = parseCount(form.instalments, {
    label: 'Number of instalments',
    missingMessage: 'Enter the number of instalments',
    min: 1,
    max: MAX_INSTALMENTS,
  });
  if (!instalments.ok) errors.push({ field: 'instalments', message: instalments.error });

  const monthsApart = Number(form.monthsApart);
  const knownGap = (MONTHS_APART_OPTIONS as readonly number[]).includes(monthsApart);
  if (!knownGap)
    errors.push({ field: 'monthsApart', message: 'Select how often the instalments fall' });

  if (errors.length > 0 || !first.ok || first.date === null || !instalments.ok) {
    return { ok: false, errors };
  }
  return {
    ok: true,
    schedule: { firstDate: first.date, instalments: instalments.value, monthsApart },
  };
}
