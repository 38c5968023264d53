import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { auditFieldsOf, recordAuditEvent } from '../../platform/audit/audit-store.js';
import type { Database } from '../../platform/db/schema.js';
import { requireSchool } from '../../platform/http/school-scope.js';
import type { School } from '../../platform/organisations/organisation-store.js';
import type { FinancePlan } from './funding-store.js';
import { expectedPayment } from './payment-models.js';
import {
  findPaymentModel,
  findValueInputs,
  listOutcomeLines,
  saveValueInputs,
  type StoredPaymentModel,
} from './payment-store.js';
import { listUnitCosts, type StoredUnitCost } from './reference-store.js';
import {
  bodyText,
  canManageFinance,
  errorView,
  NO_ERRORS,
  requirePlan,
  type ErrorView,
  type PlanParams,
} from './route-support.js';
import { settle } from './settlement.js';
import { parseValueInputs, type ValueInputsForm, type ValueInputsRecord } from './value-inputs.js';
import { assessValueForMoney, type ValueForMoney } from './value-for-money.js';

export interface ValueRoutesOptions {
  db: Kysely<Database>;
}

/** The payments the figures use, and a phrase that names where they come from. */
interface PaymentsBasis {
  pence: number;
  description: string;
}

/**
 * Serves a plan's value for money at `/schools/:schoolId/plans/:planId/value-for-money`: its
 * cost per pupil, per session and per outcome, the costs its outcomes may avoid with a
 * sensitivity table, and the form that saves the figures the plan does not record.
 */
export const valueRoutes: FastifyPluginAsync<ValueRoutesOptions> = async (app, { db }) => {
  app.get<{ Params: PlanParams }>(
    '/schools/:schoolId/plans/:planId/value-for-money',
    { config: { access: 'school:read' } },
    async (request, reply) => {
      const school = await requireSchool(db, request.params.schoolId);
      const plan = await requirePlan(db, school, request.params.planId);
      const context = await loadContext(db, school, plan);
      const saved = await findValueInputs(db, school.id, plan.id);
      const inputs = saved ?? defaultInputs(context);
      return renderValuePage(
        request,
        reply,
        school,
        plan,
        context,
        inputs,
        formOf(inputs),
        NO_ERRORS,
      );
    },
  );

  app.post<{ Params: PlanParams }>(
    '/schools/:schoolId/plans/:planId/value-for-money',
    { config: { access: 'finance:manage' } },
    async (request, reply) => {
      const school = await requireSchool(db, request.params.schoolId);
      const plan = await requirePlan(db, school, request.params.planId);
      const context = await loadContext(db, school, plan);
      const keys = context.unitCosts.map((cost) => cost.key);
      const form: ValueInputsForm = {
        pupils: bodyText(request.body, 'pupils'),
        sessions: bodyText(request.body, 'sessions'),
        outcomesAchieved: bodyText(request.body, 'outcomesAchieved'),
        staffHourlyRate: bodyText(request.body, 'staffHourlyRate'),
        avoided: Object.fromEntries(
          keys.map((key) => [key, bodyText(request.body, `avoided-${key}`)]),
        ),
      };
      const parsed = parseValueInputs(form, keys, (plan.staffHours ?? 0) > 0);
      if (!parsed.ok) {
        request.log.info(
          {
            organisationId: school.id,
            planId: plan.id,
            fields: parsed.errors.map((error) => error.field),
          },
          'value-for-money figures rejected',
        );
        reply.code(422);
        const current = (await findValueInputs(db, school.id, plan.id)) ?? defaultInputs(context);
        return renderValuePage(
          request,
          reply,
          school,
          plan,
          context,
          current,
          form,
          errorView(parsed.errors),
        );
      }

      await db.transaction().execute(async (trx) => {
        await saveValueInputs(
          trx,
          school.id,
          plan.id,
          parsed.inputs,
          request.currentUser?.id ?? null,
        );
        await recordAuditEvent(trx, {
          ...auditFieldsOf(request),
          action: 'value-inputs-saved',
          organisationId: school.id,
          subjectType: 'plan',
          subjectId: plan.id,
          details: { planId: plan.id, ...parsed.inputs },
        });
      });
      request.log.info(
        { organisationId: school.id, planId: plan.id },
        'value-for-money figures saved',
      );
      return reply.redirect(`/schools/${school.id}/plans/${plan.id}/finance?saved=value`, 303);
    },
  );
};

interface ValueContext {
  stored: StoredPaymentModel | undefined;
  payments: PaymentsBasis;
  /** Outcome lines paid at settlement, or null when the plan has none to count. */
  paidOutcomes: number | null;
  unitCosts: StoredUnitCost[];
}

async function loadContext(
  db: Kysely<Database>,
  school: School,
  plan: FinancePlan,
): Promise<ValueContext> {
  const stored = await findPaymentModel(db, school.id, plan.id);
  const unitCosts = await listUnitCosts(db, school.id);
  if (stored?.model.kind === 'payment_by_results') {
    const lines = await listOutcomeLines(db, school.id, plan.id);
    if (lines.length > 0) {
      const settlement = settle(stored.model, lines);
      return {
        stored,
        payments: { pence: settlement.totalPence, description: 'paid under the settlement so far' },
        paidOutcomes: settlement.lines.filter((line) => line.outcome === 'paid').length,
        unitCosts,
      };
    }
  }
  if (stored) {
    return {
      stored,
      payments: {
        pence: expectedPayment(stored.model),
        description: 'expected under the payment model',
      },
      paidOutcomes: null,
      unitCosts,
    };
  }
  return {
    stored,
    payments: {
      pence: plan.budgetPence ?? 0,
      description:
        plan.budgetPence === null ? 'not known: the plan has no budget yet' : 'the plan’s budget',
    },
    paidOutcomes: null,
    unitCosts,
  };
}

/** Returns figures taken from the payment model and settlement, used until someone saves their own. */
function defaultInputs(context: ValueContext): ValueInputsRecord {
  const model = context.stored?.model;
  const avoidedUnits: Record<string, number> = {};
  if (model?.kind === 'payment_by_results') {
    for (const tariff of model.tariffs) {
      if (tariff.unitCostKey === null || tariff.hopedUnits === 0) continue;
      avoidedUnits[tariff.unitCostKey] =
        (avoidedUnits[tariff.unitCostKey] ?? 0) + tariff.hopedUnits;
    }
  }
  return {
    pupils: model?.kind === 'per_pupil' ? model.units : null,
    sessions: model?.kind === 'per_session' ? model.units : null,
    outcomesAchieved: context.paidOutcomes,
    staffHourlyRatePence: null,
    avoidedUnits,
  };
}

function formOf(inputs: ValueInputsRecord): ValueInputsForm {
  const text = (value: number | null) => (value === null ? '' : String(value));
  return {
    pupils: text(inputs.pupils),
    sessions: text(inputs.sessions),
    outcomesAchieved: text(inputs.outcomesAchieved),
    staffHourlyRate:
      inputs.staffHourlyRatePence === null ? '' : (inputs.staffHourlyRatePence / 100).toFixed(2),
    avoided: Object.fromEntries(
      Object.entries(inputs.avoidedUnits).map(([key, units]) => [key, String(units)]),
    ),
  };
}

/**
 * Works out the figures. Staff hours without a saved hourly rate are left out of the cost,
 * and the page shows a warning rather than guessing a rate.
 */
function assess(
  plan: FinancePlan,
  context: ValueContext,
  inputs: ValueInputsRecord,
): {
  value: ValueForMoney;
  staffTimeLeftOut: boolean;
} {
  const staffHours = plan.staffHours ?? 0;
  const staffTimeLeftOut = staffHours > 0 && inputs.staffHourlyRatePence === null;
  const value = assessValueForMoney({
    paymentsPence: context.payments.pence,
    staffHours: staffTimeLeftOut ? 0 : staffHours,
    staffHourlyRatePence: inputs.staffHourlyRatePence,
    pupils: inputs.pupils,
    sessions: inputs.sessions,
    outcomesAchieved: inputs.outcomesAchieved,
    avoided: context.unitCosts
      .filter((cost) => (inputs.avoidedUnits[cost.key] ?? 0) > 0)
      .map((cost) => ({ unitCost: cost, hopedUnits: inputs.avoidedUnits[cost.key] ?? 0 })),
  });
  return { value, staffTimeLeftOut };
}

async function renderValuePage(
  request: FastifyRequest,
  reply: FastifyReply,
  school: School,
  plan: FinancePlan,
  context: ValueContext,
  inputs: ValueInputsRecord,
  typed: ValueInputsForm,
  errors: ErrorView,
): Promise<string> {
  const { value, staffTimeLeftOut } = assess(plan, context, inputs);
  return reply.viewAsync('pages/finance-value.njk', {
    school,
    plan,
    value,
    payments: context.payments,
    staffTimeLeftOut,
    unitCosts: context.unitCosts,
    values: typed,
    errors: errors.errorList,
    fieldErrors: errors.fieldErrors,
    canManage: canManageFinance(request),
    csrfToken: reply.generateCsrf(),
  });
}
