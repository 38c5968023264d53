import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { auditFieldsOf, recordAuditEvent } from '../../platform/audit/audit-store.js';
import type { Database } from '../../platform/db/schema.js';
import { NotFoundError } from '../../platform/http/http-errors.js';
import { parseId, requireSchool } from '../../platform/http/school-scope.js';
import type { School } from '../../platform/organisations/organisation-store.js';
import type { FinancePlan } from './funding-store.js';
import type { PaymentByResultsModel } from './payment-models.js';
import {
  addOutcomeLine,
  findOutcomeLine,
  findPaymentModel,
  listOutcomeLines,
  updateOutcomeLine,
  type StoredOutcomeLine,
} from './payment-store.js';
import {
  bodyText,
  canManageFinance,
  errorView,
  NO_ERRORS,
  requirePlan,
  type ErrorView,
  type PlanParams,
} from './route-support.js';
import {
  EVIDENCE_STATUS_LABELS,
  EVIDENCE_STATUSES,
  parseOutcomeLine,
  settle,
  type OutcomeLineForm,
} from './settlement.js';

export interface SettlementRoutesOptions {
  db: Kysely<Database>;
}

type OutcomeLineParams = PlanParams & { outcomeLineId: string };

const settlementQuery = z.object({ saved: z.literal('outcome').optional() });

const OUTCOME_LABELS = {
  paid: 'Paid',
  disputed: 'Disputed',
  awaiting_evidence: 'Awaiting evidence',
  not_evidenced: 'Not evidenced',
  duplicate: 'Duplicate',
} as const;

const OUTCOME_TAG_CLASSES = {
  paid: 'govuk-tag--green',
  disputed: 'govuk-tag--red',
  awaiting_evidence: 'govuk-tag--yellow',
  not_evidenced: 'govuk-tag--grey',
  duplicate: 'govuk-tag--grey',
} as const;

/**
 * Serves a payment-by-results plan's settlement: the page that shows what is owed line by line
 * at `/schools/:schoolId/plans/:planId/settlement`, the form on it that records an outcome,
 * and the form that changes one, for example when a dispute is resolved. A plan without a
 * payment-by-results model is "Page not found" for the forms, and its page explains why.
 */
export const settlementRoutes: FastifyPluginAsync<SettlementRoutesOptions> = async (
  app,
  { db },
) => {
  app.get<{ Params: PlanParams; Querystring: Record<string, string> }>(
    '/schools/:schoolId/plans/:planId/settlement',
    { config: { access: 'school:read' } },
    async (request, reply) => {
      const school = await requireSchool(db, request.params.schoolId);
      const plan = await requirePlan(db, school, request.params.planId);
      const model = await findResultsModel(db, school, plan);
      const query = settlementQuery.safeParse(request.query);
      return renderSettlement(request, reply, db, school, plan, model, emptyLineForm(), NO_ERRORS, {
        saved: query.success && query.data.saved === 'outcome',
      });
    },
  );

  app.post<{ Params: PlanParams }>(
    '/schools/:schoolId/plans/:planId/settlement',
    { config: { access: 'finance:manage' } },
    async (request, reply) => {
      const school = await requireSchool(db, request.params.schoolId);
      const plan = await requirePlan(db, school, request.params.planId);
      const model = await requireResultsModel(db, school, plan);
      const form = readLineForm(request.body);
      const parsed = parseOutcomeLine(
        form,
        model.tariffs.map((tariff) => tariff.key),
      );
      if (!parsed.ok) {
        logRejected(request, school, plan, parsed.errors);
        reply.code(422);
        return renderSettlement(
          request,
          reply,
          db,
          school,
          plan,
          model,
          form,
          errorView(parsed.errors),
          {
            saved: false,
          },
        );
      }

      const lineId = await db.transaction().execute(async (trx) => {
        const id = await addOutcomeLine(
          trx,
          school.id,
          plan.id,
          parsed.line,
          request.currentUser?.id ?? null,
        );
        await recordAuditEvent(trx, {
          ...auditFieldsOf(request),
          action: 'outcome-line-recorded',
          organisationId: school.id,
          subjectType: 'outcome line',
          subjectId: id,
          details: auditDetails(plan, parsed.line),
        });
        return id;
      });
      request.log.info(
        { organisationId: school.id, planId: plan.id, outcomeLineId: lineId },
        'outcome line recorded',
      );
      return reply.redirect(`/schools/${school.id}/plans/${plan.id}/settlement?saved=outcome`, 303);
    },
  );

  app.get<{ Params: OutcomeLineParams }>(
    '/schools/:schoolId/plans/:planId/settlement/:outcomeLineId',
    { config: { access: 'finance:manage' } },
    async (request, reply) => {
      const school = await requireSchool(db, request.params.schoolId);
      const plan = await requirePlan(db, school, request.params.planId);
      const model = await requireResultsModel(db, school, plan);
      const line = await requireOutcomeLine(db, school, plan, request.params.outcomeLineId);
      const form: OutcomeLineForm = {
        tariff: line.tariffKey,
        unitReference: line.unitReference,
        status: line.status,
        disputed: line.disputed ? 'yes' : '',
        evidenceReference: line.evidenceReference,
      };
      return renderLineForm(reply, school, plan, model, line, form, NO_ERRORS);
    },
  );

  app.post<{ Params: OutcomeLineParams }>(
    '/schools/:schoolId/plans/:planId/settlement/:outcomeLineId',
    { config: { access: 'finance:manage' } },
    async (request, reply) => {
      const school = await requireSchool(db, request.params.schoolId);
      const plan = await requirePlan(db, school, request.params.planId);
      const model = await requireResultsModel(db, school, plan);
      const line = await requireOutcomeLine(db, school, plan, request.params.outcomeLineId);
      const form = readLineForm(request.body);
      const parsed = parseOutcomeLine(
        form,
        model.tariffs.map((tariff) => tariff.key),
      );
      if (!parsed.ok) {
        logRejected(request, school, plan, parsed.errors);
        reply.code(422);
        return renderLineForm(reply, school, plan, model, line, form, errorView(parsed.errors));
      }

      await db.transaction().execute(async (trx) => {
        await updateOutcomeLine(trx, school.id, Number(line.id), parsed.line);
        await recordAuditEvent(trx, {
          ...auditFieldsOf(request),
          action: 'outcome-line-changed',
          organisationId: school.id,
          subjectType: 'outcome line',
          subjectId: line.id,
          details: {
            ...auditDetails(plan, parsed.line),
            fromStatus: line.status,
            fromDisputed: line.disputed,
          },
        });
      });
      request.log.info(
        { organisationId: school.id, planId: plan.id, outcomeLineId: line.id },
        'outcome line changed',
      );
      return reply.redirect(`/schools/${school.id}/plans/${plan.id}/settlement?saved=outcome`, 303);
    },
  );
};

/** Returns the plan's payment-by-results model, or null when it has none or another kind. */
async function findResultsModel(
  db: Kysely<Database>,
  school: School,
  plan: FinancePlan,
): Promise<PaymentByResultsModel | null> {
  const stored = await findPaymentModel(db, school.id, plan.id);
  return stored?.model.kind === 'payment_by_results' ? stored.model : null;
}

async function requireResultsModel(
  db: Kysely<Database>,
  school: School,
  plan: FinancePlan,
): Promise<PaymentByResultsModel> {
  const model = await findResultsModel(db, school, plan);
  if (model === null) throw new NotFoundError(`Plan ${plan.id} has no payment-by-results model`);
  return model;
}

async function requireOutcomeLine(
  db: Kysely<Database>,
  school: School,
  plan: FinancePlan,
  lineIdParam: string | undefined,
): Promise<StoredOutcomeLine> {
  const lineId = parseId(lineIdParam, 'Outcome line id');
  const line = await findOutcomeLine(db, school.id, plan.id, lineId);
  if (!line) throw new NotFoundError(`Outcome line ${lineId} does not exist for plan ${plan.id}`);
  return line;
}

function readLineForm(body: unknown): OutcomeLineForm {
  return {
    tariff: bodyText(body, 'tariff'),
    unitReference: bodyText(body, 'unitReference'),
    status: bodyText(body, 'status'),
    disputed: bodyText(body, 'disputed'),
    evidenceReference: bodyText(body, 'evidenceReference'),
  };
}

function emptyLineForm(): OutcomeLineForm {
  return { tariff: '', unitReference: '', status: '', disputed: '', evidenceReference: '' };
}

/** Facts of an outcome line for the audit trail; the pupil or unit reference is left out. */
function auditDetails(
  plan: FinancePlan,
  line: { tariffKey: string; status: string; disputed: boolean },
): Record<string, unknown> {
  return {
    planId: plan.id,
    tariffId: Number(line.tariffKey),
    status: line.status,
    disputed: line.disputed,
  };
}

function logRejected(
  request: FastifyRequest,
  school: School,
  plan: FinancePlan,
  errors: readonly { field: string }[],
): void {
  request.log.info(
    { organisationId: school.id, planId: plan.id, fields: errors.map((error) => error.field) },
    'outcome line rejected',
  );
}

function formItems(model: PaymentByResultsModel, form: OutcomeLineForm) {
  return {
    tariffItems: [
      { value: '', text: 'Choose an outcome' },
      ...model.tariffs.map((tariff, index) => ({
        value: tariff.key,
        text: `Tariff ${index + 1}: ${tariff.outcome}`,
        selected: form.tariff === tariff.key,
      })),
    ],
    statusItems: EVIDENCE_STATUSES.map((value) => ({
      value,
      text: EVIDENCE_STATUS_LABELS[value],
      checked: form.status === value,
    })),
  };
}

async function renderSettlement(
  request: FastifyRequest,
  reply: FastifyReply,
  db: Kysely<Database>,
  school: School,
  plan: FinancePlan,
  model: PaymentByResultsModel | null,
  form: OutcomeLineForm,
  errors: ErrorView,
  notices: { saved: boolean },
): Promise<string> {
  if (model === null) {
    return reply.viewAsync('pages/finance-settlement.njk', { school, plan, model: null });
  }
  const lines = await listOutcomeLines(db, school.id, plan.id);
  const settlement = settle(model, lines);
  const tariffNumbers = new Map(model.tariffs.map((tariff, index) => [tariff.key, index + 1]));
  return reply.viewAsync('pages/finance-settlement.njk', {
    school,
    plan,
    model,
    settlement,
    rows: settlement.lines.map((settled, index) => ({
      ...settled,
      number: index + 1,
      tariffNumber: tariffNumbers.get(settled.tariff.key),
      statusLabel: EVIDENCE_STATUS_LABELS[settled.line.status],
      outcomeLabel: OUTCOME_LABELS[settled.outcome],
      outcomeClass: OUTCOME_TAG_CLASSES[settled.outcome],
    })),
    values: form,
    ...formItems(model, form),
    errors: errors.errorList,
    fieldErrors: errors.fieldErrors,
    saved: notices.saved,
    canManage: canManageFinance(request),
    csrfToken: reply.generateCsrf(),
  });
}

async function renderLineForm(
  reply: FastifyReply,
  school: School,
  plan: FinancePlan,
  model: PaymentByResultsModel,
  line: StoredOutcomeLine,
  form: OutcomeLineForm,
  errors: ErrorView,
): Promise<string> {
  return reply.viewAsync('pages/finance-outcome-line.njk', {
    school,
    plan,
    line,
    values: form,
    ...formItems(model, form),
    errors: errors.errorList,
    fieldErrors: errors.fieldErrors,
    csrfToken: reply.generateCsrf(),
  });
}
