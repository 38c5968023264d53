import type { FastifyPluginAsync } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../../platform/db/schema.js';
import { requireSchool } from '../../platform/http/school-scope.js';
import { getDelegatedLimit } from '../../platform/organisations/organisation-store.js';
import { approvalAuthority, isEditable } from './approval.js';
import { comparePlanVersions } from './plan-changes.js';
import { recordPlanEvent, requirePlanView, text, type PlanParams } from './plan-http.js';
import { renderPlanPage } from './plan-page.js';
import { comparableVersion, loadPlanView } from './plan-service.js';
import {
  markNeedPlanned,
  moveVersion,
  startNextVersion,
  supersedeEarlierVersions,
} from './plan-store.js';
import type { FieldError } from './smart-outcomes.js';

export interface DecisionRoutesOptions {
  db: Kysely<Database>;
}

const MAX_COMMENT = 5000;

/**
 * Submission, approval and versions. Each transition happens only from the status it expects,
 * in one transaction with its audit event, so two people acting at once cannot both succeed
 * and no decision goes unrecorded.
 */
export const decisionRoutes: FastifyPluginAsync<DecisionRoutesOptions> = async (app, { db }) => {
  app.post<{ Params: PlanParams }>(
    '/schools/:schoolId/plans/:planId/submit',
    { config: { access: 'plans:write' } },
    async (request, reply) => {
      const school = await requireSchool(db, request.params.schoolId);
      const view = await requirePlanView(db, school.id, request.params.planId);
      const planUrl = `/schools/${school.id}/plans/${view.plan.id}`;
      if (!isEditable(view.version.status)) return reply.redirect(planUrl, 303);

      const errors: FieldError[] = view.missingForSubmission.map((section) => ({
        field: `section-${section.section}`,
        text: `Complete “${section.label}” before submitting: the ${view.band.name} band requires it`,
      }));
      if (errors.length > 0) {
        reply.code(422);
        return renderPlanPage(db, request, reply, school, view, errors);
      }

      const now = new Date().toISOString();
      const moved = await db.transaction().execute(async (trx) => {
        const done = await moveVersion(
          trx,
          school.id,
          view.version.id,
          ['draft', 'returned'],
          'submitted',
          {
            submitted_by: request.currentUser?.id ?? null,
            submitted_at: now,
            decided_by: null,
            decided_at: null,
            decision_comment: null,
            updated_at: now,
          },
        );
        if (done) {
          await recordPlanEvent(trx, request, 'plan-submitted', school.id, view.plan.id, {
            version: view.version.version,
            budgetPence: view.details.budget_pence,
            band: view.band.name,
          });
        }
        return done;
      });
      request.log.info(
        { organisationId: school.id, planId: view.plan.id, moved },
        'plan submitted',
      );
      return reply.redirect(`${planUrl}?submitted=1`, 303);
    },
  );

  app.post<{ Params: PlanParams }>(
    '/schools/:schoolId/plans/:planId/decision',
    { config: { access: 'plans:approve' } },
    async (request, reply) => {
      const school = await requireSchool(db, request.params.schoolId);
      const view = await requirePlanView(db, school.id, request.params.planId);
      const planUrl = `/schools/${school.id}/plans/${view.plan.id}`;
      if (view.version.status !== 'submitted') return reply.redirect(planUrl, 303);

      const decision = text(request.body, 'decision');
      const comment = text(request.body, 'comment').trim();
      const typed = { decision, comment: text(request.body, 'comment') };
      const limit = await getDelegatedLimit(db, school.id);
      const authority = approvalAuthority(
        request.organisationRoles,
        view.details.budget_pence ?? 0,
        limit,
      );

      const errors: FieldError[] = [];
      if (decision !== 'approve' && decision !== 'return')
        errors.push({ field: 'decision', text: 'Select whether to approve the plan or return it' });
      if (decision === 'approve' && !authority.allowed)
        errors.push({ field: 'decision', text: authority.reason });
      if (decision === 'return' && comment === '')
        errors.push({
          field: 'comment',
          text: 'Enter what needs to change, so the plan’s author knows what to do',
        });
      if (comment.length > MAX_COMMENT)
        errors.push({ field: 'comment', text: 'Comments must be 5,000 characters or fewer' });
      if (errors.length > 0) {
        reply.code(422);
        return renderPlanPage(db, request, reply, school, view, errors, typed);
      }

      const now = new Date().toISOString();
      const approving = decision === 'approve';
      // Approving one's own plan is allowed, because a small school may have one senior
      // leader, but the approval record states this for governors who read it.
      const ownPlan =
        view.version.submitted_by !== null && view.version.submitted_by === request.currentUser?.id;
      const basis =
        approving && authority.allowed
          ? `${authority.basis}${ownPlan ? '. Approved by the person who submitted it' : ''}`
          : null;
      await db.transaction().execute(async (trx) => {
        const done = await moveVersion(
          trx,
          school.id,
          view.version.id,
          ['submitted'],
          approving ? 'approved' : 'returned',
          {
            decided_by: request.currentUser?.id ?? null,
            decided_at: now,
            decision_comment: comment === '' ? null : comment,
            approval_basis: basis,
            updated_at: now,
          },
        );
        if (!done) return;
        if (approving) {
          await supersedeEarlierVersions(trx, school.id, view.plan.id, view.version.version);
          await markNeedPlanned(trx, school.id, view.plan.needId, now);
        }
        await recordPlanEvent(
          trx,
          request,
          approving ? 'plan-approved' : 'plan-returned',
          school.id,
          view.plan.id,
          {
            version: view.version.version,
            budgetPence: view.details.budget_pence,
            delegatedLimitPence: limit,
            basis,
            ownPlan,
            comment: comment === '' ? null : comment,
          },
        );
      });
      request.log.info(
        { organisationId: school.id, planId: view.plan.id, decision },
        'plan decided',
      );
      return reply.redirect(`${planUrl}?decided=${approving ? 'approved' : 'returned'}`, 303);
    },
  );

  app.post<{ Params: PlanParams }>(
    '/schools/:schoolId/plans/:planId/versions',
    { config: { access: 'plans:write' } },
    async (request, reply) => {
      const school = await requireSchool(db, request.params.schoolId);
      const view = await requirePlanView(db, school.id, request.params.planId);
      const planUrl = `/schools/${school.id}/plans/${view.plan.id}`;
      // Only an approved latest version is copied; a draft is simply edited.
      if (view.version.status !== 'approved') return reply.redirect(planUrl, 303);

      await db.transaction().execute(async (trx) => {
        await startNextVersion(
          trx,
          school.id,
          view.version,
          request.currentUser?.id ?? null,
          new Date().toISOString(),
        );
        await recordPlanEvent(trx, request, 'plan-version-started', school.id, view.plan.id, {
          fromVersion: view.version.version,
          version: view.version.version + 1,
        });
      });
      return reply.redirect(`${planUrl}?started=${view.version.version + 1}`, 303);
    },
  );

  app.get<{ Params: PlanParams & { version: string } }>(
    '/schools/:schoolId/plans/:planId/versions/:version/changes',
    { config: { access: 'school:read' } },
    async (request, reply) => {
      const school = await requireSchool(db, request.params.schoolId);
      const after = await requirePlanView(
        db,
        school.id,
        request.params.planId,
        request.params.version,
      );
      const previous =
        after.version.version > 1
          ? await loadPlanView(db, school.id, after.plan.id, after.version.version - 1)
          : null;
      const changes = previous
        ? comparePlanVersions(comparableVersion(previous), comparableVersion(after))
        : [];
      return reply.viewAsync('pages/plan-changes.njk', { school, view: after, previous, changes });
    },
  );
};
