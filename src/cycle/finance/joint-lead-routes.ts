import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../platform/db/schema.js';
import { requireSchool } from '../../platform/http/school-scope.js';
import type { School } from '../../platform/organisations/organisation-store.js';
import type { FinancePlan } from './funding-store.js';
import {
  BASIS_FIELD,
  describeBudgetChange,
  FIGURES_FIELD,
  figureField,
  parsePartnerChoice,
  PARTNERS_FIELD,
  splitJointCost,
  typedShareFigure,
  type JointSchool,
} from './joint-shares.js';
import { recordJointEvents } from './joint-audit.js';
import {
  blockedReason,
  describeJoint,
  jointUrl,
  renderCheckPage,
  renderSchoolsPage,
  renderSharesPage,
  type PartnerChoice,
} from './joint-lead-pages.js';
import {
  findJointCommissionOfPlan,
  JointPartnerError,
  listPartnerCandidates,
  saveJointCommission,
  type JointCommissionInput,
} from './joint-store.js';
import { formatPence } from './money.js';
import type { FieldError } from './payment-models.js';
import {
  bodyList,
  bodyText,
  canManageFinance,
  errorView,
  NO_ERRORS,
  requirePlan,
  type ErrorView,
  type PlanParams,
} from './route-support.js';

export interface JointLeadRoutesOptions {
  db: Kysely<Database>;
}

// `saved=shares` confirms a save after the redirect.
const summaryQuery = z.object({ saved: z.literal('shares').optional() });

/**
 * Serves the lead school's pages for sharing a plan's cost. The summary of the shares is at
 * `/schools/:schoolId/plans/:planId/joint-commission`. The form has two pages: which schools
 * and on what basis, then each school's figure. A check page then shows each share to the penny.
 * The pages carry the choices forward in hidden fields and the query string, so nothing is saved
 * until the lead school confirms. A save and its audit events go in one transaction.
 */
export const jointLeadRoutes: FastifyPluginAsync<JointLeadRoutesOptions> = async (app, { db }) => {
  app.get<{ Params: PlanParams; Querystring: Record<string, string> }>(
    '/schools/:schoolId/plans/:planId/joint-commission',
    { config: { access: 'school:read' } },
    async (request, reply) => {
      const school = await requireSchool(db, request.params.schoolId);
      const plan = await requirePlan(db, school, request.params.planId);
      const joint = await findJointCommissionOfPlan(db, school.id, plan.id);
      const candidates = await listPartnerCandidates(db, school.id);
      const query = summaryQuery.safeParse(request.query);

      return reply.viewAsync('pages/finance-joint.njk', {
        school,
        plan,
        joint: joint ? describeJoint(joint) : null,
        budgetChange: joint ? describeBudgetChange(joint.totalPence, plan.budgetPence) : null,
        blocked: blockedReason(school, plan, candidates),
        saved: query.success && query.data.saved === 'shares',
        canManage: canManageFinance(request),
      });
    },
  );

  app.get<{ Params: PlanParams }>(
    '/schools/:schoolId/plans/:planId/joint-commission/schools',
    { config: { access: 'finance:manage' } },
    async (request, reply) => {
      const school = await requireSchool(db, request.params.schoolId);
      const plan = await requirePlan(db, school, request.params.planId);
      const candidates = await listPartnerCandidates(db, school.id);
      const joint = await findJointCommissionOfPlan(db, school.id, plan.id);
      const typed = {
        basis: joint?.basis ?? '',
        partnerIds: (joint?.shares.slice(1) ?? []).map((share) => String(share.schoolId)),
      };
      return renderSchoolsPage(reply, school, plan, candidates, typed, NO_ERRORS);
    },
  );

  app.post<{ Params: PlanParams }>(
    '/schools/:schoolId/plans/:planId/joint-commission/schools',
    { config: { access: 'finance:manage' } },
    async (request, reply) => {
      const school = await requireSchool(db, request.params.schoolId);
      const plan = await requirePlan(db, school, request.params.planId);
      const candidates = await listPartnerCandidates(db, school.id);
      if (blockedReason(school, plan, candidates) !== null) {
        return reply.redirect(jointUrl(school, plan, '/schools'), 303);
      }

      const typed = {
        basis: bodyText(request.body, BASIS_FIELD),
        partnerIds: bodyList(request.body, PARTNERS_FIELD),
      };
      const choice = parsePartnerChoice(typed, candidates);
      if (!choice.ok) {
        logRejected(request, school, plan, choice.errors);
        reply.code(422);
        return renderSchoolsPage(reply, school, plan, candidates, typed, errorView(choice.errors));
      }

      const query = new URLSearchParams({ basis: choice.basis });
      for (const id of choice.partnerIds) query.append(PARTNERS_FIELD, String(id));
      return reply.redirect(`${jointUrl(school, plan, '/shares')}?${query.toString()}`, 303);
    },
  );

  app.get<{ Params: PlanParams }>(
    '/schools/:schoolId/plans/:planId/joint-commission/shares',
    { config: { access: 'finance:manage' } },
    async (request, reply) => {
      const school = await requireSchool(db, request.params.schoolId);
      const plan = await requirePlan(db, school, request.params.planId);
      const choice = await readPartnerChoice(db, school, plan, request.query);
      if (choice === null) return reply.redirect(jointUrl(school, plan, '/schools'), 303);

      // The check page's "Change" link sends the typed figures back in the query string.
      // Any school without one gets the figure agreed before, if the basis is the same.
      const joint = await findJointCommissionOfPlan(db, school.id, plan.id);
      const typed = readFigures(request.query, choice.schools);
      for (const share of joint?.basis === choice.basis ? joint.shares : []) {
        typed[share.schoolId] ??= typedShareFigure(choice.basis, share.weight);
      }
      return renderSharesPage(reply, school, plan, choice, typed, NO_ERRORS);
    },
  );

  app.post<{ Params: PlanParams }>(
    '/schools/:schoolId/plans/:planId/joint-commission/shares',
    { config: { access: 'finance:manage' } },
    async (request, reply) => {
      const school = await requireSchool(db, request.params.schoolId);
      const plan = await requirePlan(db, school, request.params.planId);
      const choice = await readPartnerChoice(db, school, plan, request.body);
      if (choice === null || plan.budgetPence === null) {
        return reply.redirect(jointUrl(school, plan, '/schools'), 303);
      }

      const typed = readFigures(request.body, choice.schools);
      const split = splitJointCost(choice.basis, choice.schools, typed, plan.budgetPence);
      if (!split.ok) {
        logRejected(request, school, plan, split.errors);
        reply.code(422);
        const errors = figureErrors(split.errors, choice);
        return renderSharesPage(reply, school, plan, choice, typed, errors);
      }
      return renderCheckPage(reply, school, plan, choice, typed, split.shares, null);
    },
  );

  // TODO: a lead school can change its partners but not end a joint commission, because
  // every save needs at least one partner.
  app.post<{ Params: PlanParams }>(
    '/schools/:schoolId/plans/:planId/joint-commission',
    { config: { access: 'finance:manage' } },
    async (request, reply) => {
      const school = await requireSchool(db, request.params.schoolId);
      const plan = await requirePlan(db, school, request.params.planId);
      const choice = await readPartnerChoice(db, school, plan, request.body);
      if (choice === null || plan.budgetPence === null) {
        return reply.redirect(jointUrl(school, plan, '/schools'), 303);
      }

      const typed = readFigures(request.body, choice.schools);
      const split = splitJointCost(choice.basis, choice.schools, typed, plan.budgetPence);
      if (!split.ok) {
        logRejected(request, school, plan, split.errors);
        reply.code(422);
        const errors = figureErrors(split.errors, choice);
        return renderSharesPage(reply, school, plan, choice, typed, errors);
      }

      // The check page showed shares of the budget as it was then. If the budget changed since,
      // show the new shares rather than save figures the lead school has not seen.
      const checkedTotal = bodyText(request.body, 'totalPence');
      if (checkedTotal !== String(plan.budgetPence)) {
        request.log.info(
          {
            organisationId: school.id,
            planId: plan.id,
            checkedTotal,
            budgetPence: plan.budgetPence,
          },
          'joint commission shares out of date',
        );
        reply.code(409);
        const notice = `The plan’s budget is now ${formatPence(plan.budgetPence)}, so the shares have changed since you checked them. Check them again before saving`;
        return renderCheckPage(reply, school, plan, choice, typed, split.shares, notice);
      }

      try {
        const input = { basis: choice.basis, totalPence: plan.budgetPence, shares: split.shares };
        await saveShares(db, request, school, plan, input);
      } catch (error) {
        if (!(error instanceof JointPartnerError)) throw error;
        // A partner left the trust or local authority after the first page was sent.
        request.log.warn(
          { err: error, organisationId: school.id, planId: plan.id },
          'joint commission partner rejected',
        );
        reply.code(422);
        const candidates = await listPartnerCandidates(db, school.id);
        const typedChoice = {
          basis: choice.basis,
          partnerIds: choice.schools.slice(1).map((partner) => String(partner.id)),
        };
        const errors = errorView([{ field: PARTNERS_FIELD, message: PARTNER_LEFT_MESSAGE }]);
        return renderSchoolsPage(reply, school, plan, candidates, typedChoice, errors);
      }
      return reply.redirect(`${jointUrl(school, plan, '')}?saved=shares`, 303);
    },
  );
};

const PARTNER_LEFT_MESSAGE =
  'A school you chose is no longer in this school’s trust or local authority. Choose the schools again';

/**
 * Saves the shares and their audit events in one transaction. Throws `JointPartnerError`,
 * saving nothing, when a partner is no longer beneath the lead school's trust or local
 * authority.
 */
async function saveShares(
  db: Kysely<Database>,
  request: FastifyRequest,
  school: School,
  plan: FinancePlan,
  input: JointCommissionInput,
): Promise<void> {
  const jointCommissionId = await db.transaction().execute(async (trx) => {
    const userId = request.currentUser?.id ?? null;
    const saved = await saveJointCommission(trx, school.id, plan.id, input, userId);
    await recordJointEvents(trx, request, {
      leadSchool: school,
      plan,
      jointCommissionId: saved.id,
      basis: input.basis,
      shares: input.shares,
      previous: saved.previous,
    });
    return saved.id;
  });
  request.log.info(
    { organisationId: school.id, planId: plan.id, jointCommissionId, schools: input.shares.length },
    'joint commission saved',
  );
}

/**
 * Reads the basis and partners carried forward from the first page, in a query string or in
 * hidden fields, and checks them again, since either can be altered. Returns null when they
 * are missing or no longer valid, or the plan cannot be shared, so the caller sends the lead
 * school back to the first page.
 */
async function readPartnerChoice(
  db: Kysely<Database>,
  school: School,
  plan: FinancePlan,
  source: unknown,
): Promise<PartnerChoice | null> {
  const candidates = await listPartnerCandidates(db, school.id);
  if (blockedReason(school, plan, candidates) !== null) return null;
  const choice = parsePartnerChoice(
    { basis: bodyText(source, BASIS_FIELD), partnerIds: bodyList(source, PARTNERS_FIELD) },
    candidates,
  );
  if (!choice.ok) return null;
  const partners = candidates.filter((candidate) => choice.partnerIds.includes(candidate.id));
  return { basis: choice.basis, schools: [{ id: school.id, name: school.name }, ...partners] };
}

function readFigures(source: unknown, schools: readonly JointSchool[]): Record<number, string> {
  const typed: Record<number, string> = {};
  for (const school of schools) {
    const value = bodyText(source, figureField(school.id));
    if (value !== '') typed[school.id] = value;
  }
  return typed;
}

/**
 * Shapes the figures' errors. A message about all the figures together links to the first
 * figure, because the error summary's links must lead to a field.
 */
function figureErrors(errors: readonly FieldError[], choice: PartnerChoice): ErrorView {
  const view = errorView(errors);
  const first = choice.schools[0];
  return {
    ...view,
    errorList: view.errorList.map((item, index) =>
      errors[index]?.field === FIGURES_FIELD && first
        ? { ...item, href: `#${figureField(first.id)}` }
        : item,
    ),
  };
}

function logRejected(
  request: FastifyRequest,
  school: School,
  plan: FinancePlan,
  errors: readonly FieldError[],
): void {
  request.log.info(
    { organisationId: school.id, planId: plan.id, fields: errors.map((error) => error.field) },
    'joint commission form rejected',
  );
}
