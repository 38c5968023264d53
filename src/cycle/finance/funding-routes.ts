import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { auditFieldsOf, recordAuditEvent } from '../../platform/audit/audit-store.js';
import { rolesGrant } from '../../platform/auth/organisation-access.js';
import type { Database } from '../../platform/db/schema.js';
import { NotFoundError } from '../../platform/http/http-errors.js';
import { parseId, requireSchool } from '../../platform/http/school-scope.js';
import type { School } from '../../platform/organisations/organisation-store.js';
import { financialYearOf, formatFinancialYear } from './financial-year.js';
import {
  FUNDING_SOURCE_LABELS,
  FUNDING_SOURCES,
  FUNDING_STATUS_LABELS,
  FUNDING_STATUSES,
  parseFundingLine,
  summariseFunding,
  type FundingLine,
  type FundingLineForm,
} from './funding.js';
import {
  addFundingLine,
  findFundingLine,
  listFinancePlans,
  listFundingLines,
  updateFundingLine,
  type FinancePlan,
  type StoredFundingLine,
} from './funding-store.js';
import { findJointCommissionOfPlan, listJointSharesOfSchool } from './joint-store.js';
import { describePaymentModel } from './payment-routes.js';
import { findPaymentModel } from './payment-store.js';
import { listPremiumRates } from './reference-store.js';
import {
  bodyText,
  canManageFinance,
  dateParts,
  errorView,
  NO_ERRORS,
  requirePlan,
  type ErrorView,
  type PlanParams,
  type SchoolParams,
} from './route-support.js';

export interface FundingRoutesOptions {
  db: Kysely<Database>;
}

type LineParams = PlanParams & { lineId: string };

// `saved` names what was just saved, so the plan's finance page can confirm it.
const planQuery = z.object({
  saved: z.enum(['funding', 'payment-model', 'value']).optional(),
});

const SAVED_NOTICES: Readonly<Record<string, string>> = {
  funding: 'Funding saved',
  'payment-model': 'Payment model saved',
  value: 'Value-for-money figures saved',
};

const FUNDING_FIELDS = [
  'source',
  'funder',
  'amount',
  'status',
  'financialYear',
  'expectedDay',
  'expectedMonth',
  'expectedYear',
  'note',
] as const;

/**
 * Serves the school's finance overview at `/schools/:schoolId/finance`, each plan's finance
 * page, and the forms that add and change a plan's funding lines. Every change is saved with
 * its audit event in one transaction.
 */
export const fundingRoutes: FastifyPluginAsync<FundingRoutesOptions> = async (app, { db }) => {
  app.get<{ Params: SchoolParams }>(
    '/schools/:schoolId/finance',
    { config: { access: 'school:read' } },
    async (request, reply) => {
      const school = await requireSchool(db, request.params.schoolId);
      const plans = await listFinancePlans(db, school.id);
      const lines = await listFundingLines(db, school.id);
      const rows = plans.map((plan) => ({
        plan,
        funding: summariseFunding(
          plan.budgetPence,
          lines.filter((line) => line.planId === plan.id),
        ),
      }));
      return reply.viewAsync('pages/finance-overview.njk', {
        school,
        rows,
        jointShares: await listJointSharesOfSchool(db, school.id),
        canManageReference: rolesGrant(request.organisationRoles, 'reference:manage'),
      });
    },
  );

  app.get<{ Params: PlanParams; Querystring: Record<string, string> }>(
    '/schools/:schoolId/plans/:planId/finance',
    { config: { access: 'school:read' } },
    async (request, reply) => {
      const school = await requireSchool(db, request.params.schoolId);
      const plan = await requirePlan(db, school, request.params.planId);
      const lines = await listFundingLines(db, school.id, plan.id);
      const stored = await findPaymentModel(db, school.id, plan.id);
      const joint = await findJointCommissionOfPlan(db, school.id, plan.id);
      const query = planQuery.safeParse(request.query);
      const saved = query.success && query.data.saved ? SAVED_NOTICES[query.data.saved] : null;

      return reply.viewAsync('pages/finance-plan.njk', {
        school,
        plan,
        funding: summariseFunding(plan.budgetPence, lines),
        lines: lines.map(lineRow),
        payment: stored ? describePaymentModel(stored, plan.budgetPence) : null,
        joint: joint
          ? { partners: joint.shares.length - 1, leadSharePence: joint.shares[0]?.pence ?? 0 }
          : null,
        saved,
        canManage: canManageFinance(request),
      });
    },
  );

  app.get<{ Params: PlanParams }>(
    '/schools/:schoolId/plans/:planId/funding/new',
    { config: { access: 'finance:manage' } },
    async (request, reply) => {
      const school = await requireSchool(db, request.params.schoolId);
      const plan = await requirePlan(db, school, request.params.planId);
      return renderFundingForm(reply, db, school, plan, null, emptyForm(), NO_ERRORS);
    },
  );

  app.post<{ Params: PlanParams }>(
    '/schools/:schoolId/plans/:planId/funding/new',
    { config: { access: 'finance:manage' } },
    async (request, reply) => {
      const school = await requireSchool(db, request.params.schoolId);
      const plan = await requirePlan(db, school, request.params.planId);
      const form = readFundingForm(request.body);
      const parsed = parseFundingLine(form);
      if (!parsed.ok) {
        logRejected(request, school, plan, parsed.errors);
        reply.code(422);
        return renderFundingForm(
          reply,
          db,
          school,
          plan,
          null,
          form,
          errorView(parsed.errors, ['expectedDate']),
        );
      }

      const lineId = await db.transaction().execute(async (trx) => {
        const id = await addFundingLine(
          trx,
          school.id,
          plan.id,
          parsed.line,
          request.currentUser?.id ?? null,
        );
        await recordAuditEvent(trx, {
          ...auditFieldsOf(request),
          action: 'funding-line-added',
          organisationId: school.id,
          subjectType: 'funding line',
          subjectId: id,
          details: { planId: plan.id, ...auditDetails(parsed.line) },
        });
        return id;
      });
      request.log.info(
        { organisationId: school.id, planId: plan.id, fundingLineId: lineId },
        'funding line added',
      );
      return reply.redirect(`/schools/${school.id}/plans/${plan.id}/finance?saved=funding`, 303);
    },
  );

  app.get<{ Params: LineParams }>(
    '/schools/:schoolId/plans/:planId/funding/:lineId',
    { config: { access: 'finance:manage' } },
    async (request, reply) => {
      const school = await requireSchool(db, request.params.schoolId);
      const plan = await requirePlan(db, school, request.params.planId);
      const line = await requireLine(db, school, plan, request.params.lineId);
      return renderFundingForm(reply, db, school, plan, line, formOf(line), NO_ERRORS);
    },
  );

  app.post<{ Params: LineParams }>(
    '/schools/:schoolId/plans/:planId/funding/:lineId',
    { config: { access: 'finance:manage' } },
    async (request, reply) => {
      const school = await requireSchool(db, request.params.schoolId);
      const plan = await requirePlan(db, school, request.params.planId);
      const line = await requireLine(db, school, plan, request.params.lineId);
      const form = readFundingForm(request.body);
      const parsed = parseFundingLine(form);
      if (!parsed.ok) {
        logRejected(request, school, plan, parsed.errors);
        reply.code(422);
        return renderFundingForm(
          reply,
          db,
          school,
          plan,
          line,
          form,
          errorView(parsed.errors, ['expectedDate']),
        );
      }

      await db.transaction().execute(async (trx) => {
        await updateFundingLine(trx, school.id, line.id, parsed.line);
        await recordAuditEvent(trx, {
          ...auditFieldsOf(request),
          action: 'funding-line-changed',
          organisationId: school.id,
          subjectType: 'funding line',
          subjectId: line.id,
          details: {
            planId: plan.id,
            ...auditDetails(parsed.line),
            fromPence: line.amountPence,
            fromStatus: line.status,
          },
        });
      });
      request.log.info(
        { organisationId: school.id, planId: plan.id, fundingLineId: line.id },
        'funding line changed',
      );
      return reply.redirect(`/schools/${school.id}/plans/${plan.id}/finance?saved=funding`, 303);
    },
  );
};

async function requireLine(
  db: Kysely<Database>,
  school: School,
  plan: FinancePlan,
  lineIdParam: string | undefined,
): Promise<StoredFundingLine> {
  const lineId = parseId(lineIdParam, 'Funding line id');
  const line = await findFundingLine(db, school.id, plan.id, lineId);
  if (!line) throw new NotFoundError(`Funding line ${lineId} does not exist for plan ${plan.id}`);
  return line;
}

function readFundingForm(body: unknown): FundingLineForm {
  const form = emptyForm();
  for (const field of FUNDING_FIELDS) form[field] = bodyText(body, field);
  return form;
}

function emptyForm(): FundingLineForm {
  return {
    source: '',
    funder: '',
    amount: '',
    status: '',
    financialYear: '',
    expectedDay: '',
    expectedMonth: '',
    expectedYear: '',
    note: '',
  };
}

/** Fills the form from a stored line, with the amount in pounds as a person would type it. */
function formOf(line: StoredFundingLine): FundingLineForm {
  const date = dateParts(line.expectedDate);
  return {
    source: line.source,
    funder: line.funder,
    amount: (line.amountPence / 100).toFixed(2),
    status: line.status,
    financialYear: line.financialYear === null ? '' : String(line.financialYear),
    expectedDay: date.day,
    expectedMonth: date.month,
    expectedYear: date.year,
    note: line.note,
  };
}

function auditDetails(line: FundingLine): Record<string, unknown> {
  return {
    source: line.source,
    amountPence: line.amountPence,
    status: line.status,
    financialYear: line.financialYear,
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
    'funding line rejected',
  );
}

function lineRow(line: StoredFundingLine) {
  return {
    ...line,
    sourceLabel: FUNDING_SOURCE_LABELS[line.source],
    statusLabel: FUNDING_STATUS_LABELS[line.status],
    atRisk: line.status === 'planned' || line.status === 'applied_for',
    financialYearLabel:
      line.financialYear === null ? null : formatFinancialYear(line.financialYear),
  };
}

/**
 * Renders the add or change form. `typed` goes back into the fields exactly as entered, so a
 * person corrects a mistake rather than typing everything again.
 */
async function renderFundingForm(
  reply: FastifyReply,
  db: Kysely<Database>,
  school: School,
  plan: FinancePlan,
  line: StoredFundingLine | null,
  typed: FundingLineForm,
  errors: ErrorView,
): Promise<string> {
  const years = await offeredYears(db, school, typed.financialYear);
  return reply.viewAsync('pages/finance-funding-line.njk', {
    school,
    plan,
    line,
    values: typed,
    errors: errors.errorList,
    fieldErrors: errors.fieldErrors,
    sourceItems: FUNDING_SOURCES.map((value) => ({
      value,
      text: FUNDING_SOURCE_LABELS[value],
      checked: typed.source === value,
    })),
    statusItems: FUNDING_STATUSES.map((value) => ({
      value,
      text: FUNDING_STATUS_LABELS[value],
      checked: typed.status === value,
    })),
    yearItems: [
      { value: '', text: 'Not Pupil Premium' },
      ...years.map((year) => ({
        value: String(year),
        text: formatFinancialYear(year),
        selected: typed.financialYear === String(year),
      })),
    ],
    csrfToken: reply.generateCsrf(),
  });
}

/**
 * Lists the financial years a Pupil Premium line may draw on: every year with rates, this year
 * and next, and the year already chosen, in order.
 */
async function offeredYears(
  db: Kysely<Database>,
  school: School,
  chosen: string,
): Promise<number[]> {
  const thisYear = financialYearOf(new Date().toISOString().slice(0, 10));
  const years = new Set((await listPremiumRates(db, school.id)).map((rate) => rate.financialYear));
  years.add(thisYear);
  years.add(thisYear + 1);
  if (/^\d{4}$/.test(chosen)) years.add(Number(chosen));
  return [...years].sort((a, b) => a - b);
}
