import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.js';
import { requireSchool } from '../../platform/http/school-scope.js';
import type { School } from '../../platform/organisations/organisation-store.js';
import { formatPence } from '../../platform/organisations/school-settings.js';
import { isEditable, PLAN_STATUS_LABELS, PLAN_STATUS_TAGS } from './approval.js';
import { londonToday } from '../../platform/http/form-fields.js';
import { datePartsOf } from './date-input.js';
import { readPlanDetails, type PlanDetailsInput } from './plan-details.js';
import {
  dateParts,
  errorList,
  errorsByField,
  planPermissions,
  recordPlanEvent,
  requirePlanView,
  text,
  type PlanParams,
} from './plan-http.js';
import { renderPlanPage } from './plan-page.js';
import type { PlanView } from './plan-service.js';
import {
  createPlan,
  listNeedChoices,
  listPlans,
  listPriorityChoices,
  updateDraftDetails,
} from './plan-store.js';
import type { FieldError } from './smart-outcomes.js';

export interface PlanRoutesOptions {
  db: Kysely<Database>;
}

type SchoolParams = { schoolId: string };

/**
 * The Plan step's main pages: the list of a school's commissioning plans, starting a plan for
 * a need, a plan's page, and the form for its details. Outcomes, outputs and approval have
 * their own routes.
 */
export const planRoutes: FastifyPluginAsync<PlanRoutesOptions> = async (app, { db }) => {
  app.get<{ Params: SchoolParams }>(
    '/schools/:schoolId/plans',
    { config: { access: 'school:read' } },
    async (request, reply) => {
      const school = await requireSchool(db, request.params.schoolId);
      const plans = await listPlans(db, school.id);
      return reply.viewAsync('pages/plans.njk', {
        school,
        plans: plans.map((plan) => ({
          ...plan,
          statusLabel: PLAN_STATUS_LABELS[plan.status],
          statusTag: PLAN_STATUS_TAGS[plan.status],
          budgetText: plan.budgetPence === null ? 'Not set' : formatPence(plan.budgetPence),
        })),
        can: planPermissions(request),
      });
    },
  );

  app.get<{ Params: SchoolParams; Querystring: { needId?: string } }>(
    '/schools/:schoolId/plans/new',
    { config: { access: 'plans:write' } },
    async (request, reply) => {
      const school = await requireSchool(db, request.params.schoolId);
      const chosen = typeof request.query.needId === 'string' ? request.query.needId : '';
      return renderNewPlan(db, reply, school, { needId: chosen, title: '' }, []);
    },
  );

  app.post<{ Params: SchoolParams }>(
    '/schools/:schoolId/plans',
    { config: { access: 'plans:write' } },
    async (request, reply) => {
      const school = await requireSchool(db, request.params.schoolId);
      const typed = { needId: text(request.body, 'needId'), title: text(request.body, 'title') };
      const needs = await listNeedChoices(db, school.id);
      const need = needs.find((candidate) => String(candidate.id) === typed.needId);
      const title = typed.title.trim();

      const errors: FieldError[] = [];
      if (!need) errors.push({ field: 'needId', text: 'Select the need this plan answers' });
      if (title === '') errors.push({ field: 'title', text: 'Enter a title for the plan' });
      else if (title.length > 200)
        errors.push({ field: 'title', text: 'Title must be 200 characters or fewer' });
      if (errors.length > 0 || !need) {
        reply.code(422);
        return renderNewPlan(db, reply, school, typed, errors);
      }

      const now = new Date().toISOString();
      const planId = await db.transaction().execute(async (trx) => {
        const id = await createPlan(trx, {
          organisationId: school.id,
          needId: need.id,
          userId: request.currentUser?.id ?? null,
          title,
          now,
        });
        await recordPlanEvent(trx, request, 'plan-created', school.id, id, {
          needId: need.id,
          title,
        });
        return id;
      });
      request.log.info({ organisationId: school.id, planId }, 'plan created');
      return reply.redirect(`/schools/${school.id}/plans/${planId}`, 303);
    },
  );

  app.get<{
    Params: PlanParams;
    Querystring: { version?: string; submitted?: string; decided?: string; started?: string };
  }>(
    '/schools/:schoolId/plans/:planId',
    { config: { access: 'school:read' } },
    async (request, reply) => {
      const school = await requireSchool(db, request.params.schoolId);
      const view = await requirePlanView(
        db,
        school.id,
        request.params.planId,
        request.query.version,
      );
      return renderPlanPage(db, request, reply, school, view, [], {}, noticeOf(request.query));
    },
  );

  app.get<{ Params: PlanParams }>(
    '/schools/:schoolId/plans/:planId/details',
    { config: { access: 'plans:write' } },
    async (request, reply) => {
      const school = await requireSchool(db, request.params.schoolId);
      const view = await requirePlanView(db, school.id, request.params.planId);
      if (!isEditable(view.version.status)) return redirectToPlan(reply, school, view);
      return renderDetailsForm(db, reply, school, view, inputFromSaved(view), []);
    },
  );

  app.post<{ Params: PlanParams }>(
    '/schools/:schoolId/plans/:planId/details',
    { config: { access: 'plans:write' } },
    async (request, reply) => {
      const school = await requireSchool(db, request.params.schoolId);
      const view = await requirePlanView(db, school.id, request.params.planId);
      if (!isEditable(view.version.status)) return redirectToPlan(reply, school, view);

      const input = detailsInputOf(request.body);
      const priorities = await listPriorityChoices(db, school.id);
      const read = readPlanDetails(input, {
        today: londonToday(),
        validPriorityIds: priorities.map((priority) => priority.id),
        saved: view.details,
      });
      if (!read.ok) {
        reply.code(422);
        return renderDetailsForm(db, reply, school, view, input, read.errors);
      }

      const changed = changedFields(view.details, read.details);
      const saved = await db.transaction().execute(async (trx) => {
        const updated = await updateDraftDetails(
          trx,
          school.id,
          view.version.id,
          read.details,
          new Date().toISOString(),
        );
        if (updated && changed.length > 0) {
          await recordPlanEvent(trx, request, 'plan-changed', school.id, view.plan.id, {
            version: view.version.version,
            changed,
          });
        }
        return updated;
      });
      request.log.info(
        { organisationId: school.id, planId: view.plan.id, saved, changed },
        'plan details saved',
      );
      return redirectToPlan(reply, school, view);
    },
  );
};

/** Chooses the confirmation to show after a redirect from submitting or deciding. */
function noticeOf(query: {
  submitted?: string;
  decided?: string;
  started?: string;
}): string | null {
  if (query.submitted === '1') return 'Plan submitted for approval';
  if (query.started !== undefined && /^\d{1,4}$/.test(query.started)) {
    return `Version ${query.started} started as a copy of the approved plan, which stays in force until this version is approved`;
  }
  if (query.decided === 'approved') return 'Plan approved';
  if (query.decided === 'returned') return 'Plan returned for changes';
  return null;
}

function redirectToPlan(reply: FastifyReply, school: School, view: PlanView) {
  return reply.redirect(`/schools/${school.id}/plans/${view.plan.id}`, 303);
}

/** Names of the fields whose saved value differs, with both values, for the audit trail. */
function changedFields(
  before: PlanView['details'],
  after: PlanView['details'],
): Array<{ field: string; from: unknown; to: unknown }> {
  return (Object.keys(after) as Array<keyof typeof after>)
    .filter((key) => key !== 'audience_rule_tree' && before[key] !== after[key])
    .map((key) => ({ field: key, from: before[key], to: after[key] }));
}

function detailsInputOf(body: unknown): PlanDetailsInput {
  return {
    title: text(body, 'title'),
    improvementPriorityId: text(body, 'improvementPriorityId'),
    alignment: text(body, 'alignment'),
    audienceRule: text(body, 'audienceRule'),
    startDate: dateParts(body, 'startDate'),
    endDate: dateParts(body, 'endDate'),
    budget: text(body, 'budget'),
    staffHours: text(body, 'staffHours'),
    keyContact: text(body, 'keyContact'),
    responsibleLeader: text(body, 'responsibleLeader'),
    evaluationStrategy: text(body, 'evaluationStrategy'),
  };
}

function inputFromSaved(view: PlanView): PlanDetailsInput {
  const { details } = view;
  return {
    title: details.title,
    improvementPriorityId:
      details.improvement_priority_id === null ? '' : String(details.improvement_priority_id),
    alignment: details.alignment,
    audienceRule: details.audience_rule ?? '',
    startDate: datePartsOf(details.start_date),
    endDate: datePartsOf(details.end_date),
    budget: details.budget_pence === null ? '' : formatPence(details.budget_pence).slice(1),
    staffHours: details.staff_hours === null ? '' : String(details.staff_hours),
    keyContact: details.key_contact,
    responsibleLeader: details.responsible_leader,
    evaluationStrategy: details.evaluation_strategy,
  };
}

async function renderNewPlan(
  db: Kysely<Database>,
  reply: FastifyReply,
  school: School,
  typed: { needId: string; title: string },
  errors: FieldError[],
) {
  return reply.viewAsync('pages/plan-new.njk', {
    school,
    needs: await listNeedChoices(db, school.id),
    typed,
    errors: errorList(errors),
    fieldErrors: errorsByField(errors),
    csrfToken: reply.generateCsrf(),
  });
}

async function renderDetailsForm(
  db: Kysely<Database>,
  reply: FastifyReply,
  school: School,
  view: PlanView,
  input: PlanDetailsInput,
  errors: FieldError[],
) {
  return reply.viewAsync('pages/plan-details.njk', {
    school,
    view,
    input,
    priorities: await listPriorityChoices(db, school.id),
    errors: errorList(errors),
    fieldErrors: errorsByField(errors),
    csrfToken: reply.generateCsrf(),
  });
}
