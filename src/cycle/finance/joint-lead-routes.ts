import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely, Transaction } from 'kysely';
import { z } from 'zod';
import { auditFieldsOf, recordAuditEvent } from '../../platform/audit/audit-store.js';
import type { Database } from '../../platform/db/schema.js';
import { requireSchool } from '../../platform/http/school-scope.js';
import type { School } from '../../platform/organisations/organisation-store.js';
import { SHARE_BASES, SHARE_BASIS_LABELS, type ShareBasis } from './cost-shares.js';
import type { FinancePlan } from './funding-store.js';
import {
  BASIS_FIELD,
  describeBudgetChange,
  FIGURES_FIELD,
  figureField,
  figureLabel,
  formatShareFigure,
  parsePartnerChoice,
  PARTNERS_FIELD,
  splitJointCost,
  typedShareFigure,
  type JointSchool,
  type JointShare,
} from './joint-shares.js';
import {
  findJointCommissionOfPlan,
  JointPartnerError,
  listPartnerCandidates,
  saveJointCommission,
  type JointCommission,
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

const BASIS_HINTS: Readonly<Record<ShareBasis, string>> = {
  pupils: 'Each school pays in proportion to the number of its pupils the service works with.',
  places: 'Each school pays in proportion to the places it takes on the service.',
  percentages: 'The schools agree what percentage each pays. The percentages must add up to 100%.',
  agreed_amounts:
    'The schools agree an amount each pays. The amounts must add up to the plan’s budget.',
};

// `saved=shares` confirms a save after the redirect.
const summaryQuery = z.object({ saved: z.literal('shares').optional() });

/** What the two pages of the form carry forward: the basis and the partners chosen. */
interface PartnerChoice {
  basis: ShareBasis;
  /** The lead school first, then the partners in the order of the candidates list. */
  schools: JointSchool[];
}

/**
 * Serves the lead school's pages for sharing a plan's cost: a summary of the shares at
 * `/schools/:schoolId/plans/:planId/joint-commission`, then a form in two pages (which schools
 * and on what basis, then each school's figure), and a check page that shows each share to the
 * penny before anything is saved. The pages carry the choices forward in hidden fields and the
 * query string, so nothing is saved until the lead school confirms. A save and its audit events,
 * in the lead school's trail and in each partner's whose share changed, go in one transaction.
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
      const typed = {
        basis: bodyText(request.body, BASIS_FIELD),
        partnerIds: bodyList(request.body, PARTNERS_FIELD),
      };
      const choice = parsePartnerChoice(typed, candidates);
      if (blockedReason(school, plan, candidates) !== null) {
        return reply.redirect(jointUrl(school, plan, '/schools'), 303);
      }
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

      // Figures typed earlier come back through the query string from the check page's
      // "Change" link; otherwise the figures agreed before fill the form on the same basis.
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
        return renderSharesPage(
          reply,
          school,
          plan,
          choice,
          typed,
          figureErrors(split.errors, choice),
        );
      }
      return renderCheckPage(reply, school, plan, choice, typed, split.shares, null);
    },
  );

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
        return renderSharesPage(
          reply,
          school,
          plan,
          choice,
          typed,
          figureErrors(split.errors, choice),
        );
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
        const jointId = await db.transaction().execute(async (trx) => {
          const input = {
            basis: choice.basis,
            totalPence: plan.budgetPence ?? 0,
            shares: split.shares,
          };
          const saved = await saveJointCommission(
            trx,
            school.id,
            plan.id,
            input,
            request.currentUser?.id ?? null,
          );
          await recordJointEvents(
            trx,
            request,
            school,
            plan,
            saved.id,
            choice,
            split.shares,
            saved.previous,
          );
          return saved.id;
        });
        request.log.info(
          {
            organisationId: school.id,
            planId: plan.id,
            jointCommissionId: jointId,
            schools: choice.schools.length,
          },
          'joint commission saved',
        );
      } catch (error) {
        if (!(error instanceof JointPartnerError)) throw error;
        // A partner left the trust between the pages: ask for the schools again.
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
        const errors = errorView([
          {
            field: PARTNERS_FIELD,
            message:
              'A school you chose is no longer in this school’s trust or local authority. Choose the schools again',
          },
        ]);
        return renderSchoolsPage(reply, school, plan, candidates, typedChoice, errors);
      }
      return reply.redirect(`${jointUrl(school, plan, '')}?saved=shares`, 303);
    },
  );
};

function jointUrl(school: School, plan: FinancePlan, page: string): string {
  return `/schools/${school.id}/plans/${plan.id}/joint-commission${page}`;
}

/** Says why this plan cannot be shared yet, or returns null when it can. */
function blockedReason(
  school: School,
  plan: FinancePlan,
  candidates: readonly JointSchool[],
): string | null {
  if (candidates.length === 0) {
    return `No other school is beneath the same trust or local authority as ${school.name}, so no school can share this commission.`;
  }
  if (plan.budgetPence === null) {
    return 'Set the plan’s budget before sharing its cost. The budget is the cost the schools split.';
  }
  return null;
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

/** Rows of the shares table: each school, its figure and its share. */
function describeJoint(joint: JointCommission) {
  return {
    basisLabel: SHARE_BASIS_LABELS[joint.basis],
    totalPence: joint.totalPence,
    updatedAt: joint.updatedAt,
    rows: joint.shares.map((share, index) => ({
      schoolName: share.schoolName,
      isLead: index === 0,
      figure: formatShareFigure(joint.basis, share.weight),
      pence: share.pence,
    })),
  };
}

async function renderSchoolsPage(
  reply: FastifyReply,
  school: School,
  plan: FinancePlan,
  candidates: readonly JointSchool[],
  typed: { basis: string; partnerIds: readonly string[] },
  errors: ErrorView,
): Promise<string> {
  return reply.viewAsync('pages/finance-joint-schools.njk', {
    school,
    plan,
    blocked: blockedReason(school, plan, candidates),
    errors: errors.errorList,
    fieldErrors: errors.fieldErrors,
    partnerItems: candidates.map((candidate) => ({
      value: String(candidate.id),
      text: candidate.name,
      checked: typed.partnerIds.includes(String(candidate.id)),
    })),
    basisItems: SHARE_BASES.map((basis) => ({
      value: basis,
      text: SHARE_BASIS_LABELS[basis],
      hint: { text: BASIS_HINTS[basis] },
      checked: typed.basis === basis,
    })),
    csrfToken: reply.generateCsrf(),
  });
}

async function renderSharesPage(
  reply: FastifyReply,
  school: School,
  plan: FinancePlan,
  choice: PartnerChoice,
  typed: Readonly<Record<number, string>>,
  errors: ErrorView,
): Promise<string> {
  return reply.viewAsync('pages/finance-joint-shares.njk', {
    school,
    plan,
    basis: choice.basis,
    basisLabel: SHARE_BASIS_LABELS[choice.basis],
    partnerIds: choice.schools.slice(1).map((partner) => String(partner.id)),
    figures: choice.schools.map((each, index) => ({
      id: figureField(each.id),
      label: figureLabel(choice.basis, each.name) + (index === 0 ? ' (lead school)' : ''),
      value: typed[each.id] ?? '',
      errorMessage: errors.fieldErrors[figureField(each.id)],
    })),
    figuresError: errors.fieldErrors[FIGURES_FIELD],
    errors: errors.errorList,
    csrfToken: reply.generateCsrf(),
  });
}

/**
 * Renders the check page: each school's share to the penny, with the typed figures in hidden
 * fields so that "Save shares" sends exactly what was checked. `notice` explains why the page
 * is shown again, such as a budget that changed after the first check.
 */
async function renderCheckPage(
  reply: FastifyReply,
  school: School,
  plan: FinancePlan,
  choice: PartnerChoice,
  typed: Readonly<Record<number, string>>,
  shares: readonly JointShare[],
  notice: string | null,
): Promise<string> {
  const partnerIds = choice.schools.slice(1).map((partner) => String(partner.id));
  const changeQuery = new URLSearchParams({ basis: choice.basis });
  for (const id of partnerIds) changeQuery.append(PARTNERS_FIELD, id);
  for (const [id, value] of Object.entries(typed))
    changeQuery.append(figureField(Number(id)), value);

  return reply.viewAsync('pages/finance-joint-check.njk', {
    school,
    plan,
    notice,
    basis: choice.basis,
    basisLabel: SHARE_BASIS_LABELS[choice.basis],
    partnerIds,
    totalPence: plan.budgetPence,
    hiddenFigures: choice.schools.map((each) => ({
      name: figureField(each.id),
      value: typed[each.id] ?? '',
    })),
    rows: shares.map((share, index) => ({
      schoolName: choice.schools[index]?.name ?? '',
      isLead: index === 0,
      figure: formatShareFigure(choice.basis, share.weight),
      pence: share.pence,
    })),
    changeSchoolsUrl: jointUrl(school, plan, '/schools'),
    changeFiguresUrl: `${jointUrl(school, plan, '/shares')}?${changeQuery.toString()}`,
    csrfToken: reply.generateCsrf(),
  });
}

/**
 * Records the save in the lead school's trail with every share, and in the trail of each
 * partner whose share was added, changed or removed with that partner's own share only, since
 * each school reads its own trail and must not learn another partner's figures from it.
 */
async function recordJointEvents(
  trx: Transaction<Database>,
  request: FastifyRequest,
  school: School,
  plan: FinancePlan,
  jointId: number,
  choice: PartnerChoice,
  shares: readonly JointShare[],
  previous: JointCommission | undefined,
): Promise<void> {
  const totalPence = shares.reduce((sum, share) => sum + share.pence, 0);
  await recordAuditEvent(trx, {
    ...auditFieldsOf(request),
    action: 'joint-commission-saved',
    organisationId: school.id,
    subjectType: 'joint commission',
    subjectId: jointId,
    details: {
      planId: plan.id,
      basis: choice.basis,
      totalPence,
      shares: shares.map((share) => ({
        organisationId: share.schoolId,
        weight: share.weight,
        pence: share.pence,
      })),
      summary: `${SHARE_BASIS_LABELS[choice.basis]}: ${shares.length} schools share ${formatPence(totalPence)}`,
    },
  });

  const before = new Map((previous?.shares ?? []).slice(1).map((share) => [share.schoolId, share]));
  const after = new Map(shares.slice(1).map((share) => [share.schoolId, share]));
  const partnerEvent = {
    ...auditFieldsOf(request),
    subjectType: 'joint commission',
    subjectId: jointId,
  };
  const about = `“${plan.title}”, led by ${school.name}`;

  for (const [partnerId, share] of after) {
    const old = before.get(partnerId);
    const unchanged =
      old &&
      old.weight === share.weight &&
      old.pence === share.pence &&
      previous?.basis === choice.basis;
    if (unchanged) continue;
    await recordAuditEvent(trx, {
      ...partnerEvent,
      action: old ? 'joint-share-changed' : 'joint-share-added',
      organisationId: partnerId,
      details: {
        jointCommissionId: jointId,
        leadOrganisationId: school.id,
        basis: choice.basis,
        weight: share.weight,
        amountPence: share.pence,
        ...(old ? { fromPence: old.pence } : {}),
        summary: `Share of ${about}`,
      },
    });
  }
  for (const [partnerId, old] of before) {
    if (after.has(partnerId)) continue;
    await recordAuditEvent(trx, {
      ...partnerEvent,
      action: 'joint-share-removed',
      organisationId: partnerId,
      details: {
        jointCommissionId: jointId,
        leadOrganisationId: school.id,
        fromPence: old.pence,
        summary: `No longer shares ${about}`,
      },
    });
  }
}
