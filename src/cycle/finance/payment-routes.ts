import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { auditFieldsOf, recordAuditEvent } from '../../platform/audit/audit-store.js';
import type { Database } from '../../platform/db/schema.js';
import { requireSchool } from '../../platform/http/school-scope.js';
import type { School } from '../../platform/organisations/organisation-store.js';
import type { FinancePlan } from './funding-store.js';
import {
  expectedPayment,
  instalmentDates,
  MAX_TARIFFS,
  maximumPayment,
  MONTHS_APART_OPTIONS,
  parsePaymentModel,
  parseScheduleForm,
  PAYMENT_MODEL_KINDS,
  PAYMENT_MODEL_LABELS,
  scheduleForModel,
  type FieldError,
  type PaymentModel,
  type PaymentModelForm,
  type PaymentModelKind,
  type ScheduleForm,
  type TariffForm,
} from './payment-models.js';
import {
  findPaymentModel,
  savePaymentModel,
  tariffPositionsInUse,
  type StoredPaymentModel,
} from './payment-store.js';
import { listUnitCosts } from './reference-store.js';
import {
  bodyText,
  dateParts,
  errorView,
  NO_ERRORS,
  requirePlan,
  type ErrorView,
  type PlanParams,
} from './route-support.js';

export interface PaymentRoutesOptions {
  db: Kysely<Database>;
}

/** Everything the payment model form shows, as typed. */
interface ModelFormValues {
  kind: string;
  prices: Record<string, string>;
  units: Record<string, string>;
  outputs: string;
  upfront: string;
  cap: string;
  tariffs: TariffForm[];
  schedule: ScheduleForm;
}

// `kind` picks the model whose details the form shows. `choose=kind` shows the kind question again.
const modelQuery = z.object({
  kind: z.enum(PAYMENT_MODEL_KINDS).optional(),
  choose: z.literal('kind').optional(),
});

function isKind(value: string): value is PaymentModelKind {
  return (PAYMENT_MODEL_KINDS as readonly string[]).includes(value);
}

const MONTHS_APART_LABELS: Readonly<Record<number, string>> = {
  1: 'Every month',
  3: 'Every 3 months',
  6: 'Every 6 months',
  12: 'Once a year',
};

/**
 * Serves the form that sets a plan's payment model and payment schedule, in two steps: a
 * question that picks the kind of model (sent back as `?kind=`), then that kind's details.
 * A plan that has a model goes straight to its details. Saving the model and its audit event
 * happen in one transaction, and a tariff with outcomes recorded against it for settlement
 * cannot be removed.
 */
export const paymentRoutes: FastifyPluginAsync<PaymentRoutesOptions> = async (app, { db }) => {
  app.get<{ Params: PlanParams; Querystring: Record<string, string> }>(
    '/schools/:schoolId/plans/:planId/payment-model',
    { config: { access: 'finance:manage' } },
    async (request, reply) => {
      const school = await requireSchool(db, request.params.schoolId);
      const plan = await requirePlan(db, school, request.params.planId);
      const stored = await findPaymentModel(db, school.id, plan.id);
      const query = modelQuery.safeParse(request.query);
      const chosenKind = query.success ? (query.data.kind ?? null) : null;
      const choosing = query.success && query.data.choose === 'kind';

      // A newly chosen kind starts from empty fields but keeps the schedule already set.
      let values = stored ? formOfModel(stored) : emptyModelForm(plan.startDate);
      if (chosenKind !== null && chosenKind !== values.kind) {
        values = { ...emptyModelForm(plan.startDate), kind: chosenKind, schedule: values.schedule };
      }
      const mode = values.kind === '' || (choosing && chosenKind === null) ? 'choose' : 'details';
      return renderModelForm(reply, db, school, plan, values, NO_ERRORS, mode);
    },
  );

  app.post<{ Params: PlanParams }>(
    '/schools/:schoolId/plans/:planId/payment-model',
    { config: { access: 'finance:manage' } },
    async (request, reply) => {
      const school = await requireSchool(db, request.params.schoolId);
      const plan = await requirePlan(db, school, request.params.planId);
      const values = readModelForm(request.body);
      const unitCostKeys = (await listUnitCosts(db, school.id)).map((cost) => cost.key);

      const model = parsePaymentModel(modelFormOf(values), unitCostKeys);
      const schedule = parseScheduleForm(values.schedule);
      const errors = [
        ...(model.ok ? [] : model.errors.map((error) => fieldOfKind(error, values.kind))),
        ...(schedule.ok ? [] : schedule.errors),
      ];
      if (model.ok) {
        errors.push(
          ...keptTariffErrors(model.model, await tariffPositionsInUse(db, school.id, plan.id)),
        );
      }
      if (errors.length > 0 || !model.ok || !schedule.ok) {
        request.log.info(
          {
            organisationId: school.id,
            planId: plan.id,
            fields: errors.map((error) => error.field),
          },
          'payment model rejected',
        );
        reply.code(422);
        const mode = isKind(values.kind) ? 'details' : 'choose';
        return renderModelForm(
          reply,
          db,
          school,
          plan,
          values,
          errorView(errors, ['firstDate']),
          mode,
        );
      }

      const modelId = await db.transaction().execute(async (trx) => {
        const id = await savePaymentModel(
          trx,
          school.id,
          plan.id,
          model.model,
          schedule.schedule,
          request.currentUser?.id ?? null,
        );
        await recordAuditEvent(trx, {
          ...auditFieldsOf(request),
          action: 'payment-model-saved',
          organisationId: school.id,
          subjectType: 'payment model',
          subjectId: id,
          details: {
            planId: plan.id,
            kind: model.model.kind,
            expectedPence: expectedPayment(model.model),
            maximumPence: maximumPayment(model.model),
            instalments: schedule.schedule.instalments,
          },
        });
        return id;
      });
      request.log.info(
        { organisationId: school.id, planId: plan.id, paymentModelId: modelId },
        'payment model saved',
      );
      return reply.redirect(
        `/schools/${school.id}/plans/${plan.id}/finance?saved=payment-model`,
        303,
      );
    },
  );
};

/** Moves a price or units error to the field of the chosen kind, such as `price-per_pupil`. */
function fieldOfKind(error: FieldError, kind: string): FieldError {
  if (error.field === 'price' || error.field === 'units') {
    return { ...error, field: `${error.field}-${kind}` };
  }
  return error;
}

/** Errors for tariffs that settlement outcome lines need but the new model drops. */
function keptTariffErrors(model: PaymentModel, positionsInUse: readonly number[]): FieldError[] {
  if (positionsInUse.length === 0) return [];
  if (model.kind !== 'payment_by_results') {
    return [
      {
        field: 'kind',
        message:
          'Outcomes are recorded against this plan’s tariffs for settlement, so it must stay payment by results',
      },
    ];
  }
  const kept = new Set(model.tariffs.map((tariff) => Number(tariff.key.replace('tariff-', ''))));
  return positionsInUse
    .filter((position) => !kept.has(position))
    .map((position) => ({
      field: `tariff-${position}-outcome`,
      message: `Tariff ${position + 1} has outcomes recorded against it for settlement. Keep its outcome, price and evidence`,
    }));
}

function readModelForm(body: unknown): ModelFormValues {
  const tariffs = Array.from({ length: MAX_TARIFFS }, (_unused, index) => ({
    outcome: bodyText(body, `tariff-${index}-outcome`),
    price: bodyText(body, `tariff-${index}-price`),
    evidence: bodyText(body, `tariff-${index}-evidence`),
    hopedUnits: bodyText(body, `tariff-${index}-hopedUnits`),
    unitCostKey: bodyText(body, `tariff-${index}-unitCostKey`),
  }));
  const byKind = (prefix: string) =>
    Object.fromEntries(
      PAYMENT_MODEL_KINDS.map((kind) => [kind, bodyText(body, `${prefix}-${kind}`)]),
    );
  return {
    kind: bodyText(body, 'kind'),
    prices: byKind('price'),
    units: byKind('units'),
    outputs: bodyText(body, 'outputs'),
    upfront: bodyText(body, 'upfront'),
    cap: bodyText(body, 'cap'),
    tariffs,
    schedule: {
      firstDay: bodyText(body, 'firstDate-day'),
      firstMonth: bodyText(body, 'firstDate-month'),
      firstYear: bodyText(body, 'firstDate-year'),
      instalments: bodyText(body, 'instalments'),
      monthsApart: bodyText(body, 'monthsApart'),
    },
  };
}

function modelFormOf(values: ModelFormValues): PaymentModelForm {
  return {
    kind: values.kind,
    price: values.prices[values.kind] ?? '',
    units: values.units[values.kind] ?? '',
    outputs: values.outputs,
    upfront: values.upfront,
    cap: values.cap,
    tariffs: values.tariffs,
  };
}

function emptyTariffs(): TariffForm[] {
  return Array.from({ length: MAX_TARIFFS }, () => ({
    outcome: '',
    price: '',
    evidence: '',
    hopedUnits: '',
    unitCostKey: '',
  }));
}

/** Returns a blank form whose first payment falls on `firstDate`, usually the plan's start. */
function emptyModelForm(firstDate: string | null): ModelFormValues {
  const start = dateParts(firstDate);
  return {
    kind: '',
    prices: {},
    units: {},
    outputs: '',
    upfront: '',
    cap: '',
    tariffs: emptyTariffs(),
    schedule: {
      firstDay: start.day,
      firstMonth: start.month,
      firstYear: start.year,
      instalments: '1',
      monthsApart: '1',
    },
  };
}

const pounds = (pence: number) => (pence / 100).toFixed(2);

/** Fills the form from a stored model, each tariff in the row where it was typed. */
function formOfModel(stored: StoredPaymentModel): ModelFormValues {
  const { model, schedule } = stored;
  const values = emptyModelForm(schedule.firstDate);
  values.kind = model.kind;
  values.schedule.instalments = String(schedule.instalments);
  values.schedule.monthsApart = String(schedule.monthsApart);
  if (model.kind === 'fixed_price') {
    values.prices[model.kind] = pounds(model.pricePence);
    values.outputs = model.outputs;
  } else if (model.kind === 'per_pupil' || model.kind === 'per_session') {
    values.prices[model.kind] = pounds(model.pencePerUnit);
    values.units[model.kind] = String(model.units);
  } else if (model.kind === 'payment_by_results') {
    values.upfront = pounds(model.upfrontPence);
    values.cap = model.capPence === null ? '' : pounds(model.capPence);
    for (const tariff of model.tariffs) {
      const position = stored.tariffPositions[tariff.key] ?? 0;
      values.tariffs[position] = {
        outcome: tariff.outcome,
        price: pounds(tariff.pencePerUnit),
        evidence: tariff.evidenceRequired,
        hopedUnits: String(tariff.hopedUnits),
        unitCostKey: tariff.unitCostKey ?? '',
      };
    }
  }
  return values;
}

async function renderModelForm(
  reply: FastifyReply,
  db: Kysely<Database>,
  school: School,
  plan: FinancePlan,
  values: ModelFormValues,
  errors: ErrorView,
  mode: 'choose' | 'details',
): Promise<string> {
  const unitCosts = await listUnitCosts(db, school.id);
  return reply.viewAsync('pages/finance-payment-model.njk', {
    school,
    plan,
    mode,
    values,
    kindItems: PAYMENT_MODEL_KINDS.map((kind) => ({
      value: kind,
      text: PAYMENT_MODEL_LABELS[kind],
      checked: values.kind === kind,
    })),
    errors: errors.errorList,
    fieldErrors: errors.fieldErrors,
    kindLabels: PAYMENT_MODEL_LABELS,
    tariffRows: values.tariffs.map((tariff, index) => ({
      index,
      number: index + 1,
      values: tariff,
      unitCostItems: [
        { value: '', text: 'None' },
        ...unitCosts.map((cost) => ({
          value: cost.key,
          text: cost.label,
          selected: tariff.unitCostKey === cost.key,
        })),
      ],
    })),
    monthsApartItems: MONTHS_APART_OPTIONS.map((months) => ({
      value: String(months),
      text: MONTHS_APART_LABELS[months],
      checked: values.schedule.monthsApart === String(months),
    })),
    csrfToken: reply.generateCsrf(),
  });
}

/** A payment model as the plan's finance page shows it. */
export interface PaymentModelView {
  kind: PaymentModel['kind'];
  kindLabel: string;
  model: PaymentModel;
  expectedPence: number;
  maximumPence: number | null;
  /** True when the most that can be paid, or with no cap what is expected, exceeds the budget. */
  overBudget: boolean;
  instalments: { number: number; dueDate: string; pence: number }[];
  onSettlementPence: number | null;
  onSettlementCapped: boolean;
  monthsApartLabel: string;
}

/** Describes a stored model for the plan's finance page, with its payment schedule. */
export function describePaymentModel(
  stored: StoredPaymentModel,
  budgetPence: number | null,
): PaymentModelView {
  const { model, schedule } = stored;
  const dates = instalmentDates(schedule.firstDate, schedule.instalments, schedule.monthsApart);
  const planned = scheduleForModel(model, dates);
  const maximumPence = maximumPayment(model);
  const expectedPence = expectedPayment(model);
  return {
    kind: model.kind,
    kindLabel: PAYMENT_MODEL_LABELS[model.kind],
    model,
    expectedPence,
    maximumPence,
    overBudget: budgetPence !== null && (maximumPence ?? expectedPence) > budgetPence,
    instalments: planned.instalments,
    onSettlementPence: planned.onSettlementPence,
    onSettlementCapped: planned.onSettlementCapped,
    monthsApartLabel:
      MONTHS_APART_LABELS[schedule.monthsApart] ?? `Every ${schedule.monthsApart} months`,
  };
}
