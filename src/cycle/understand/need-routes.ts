import { PLAN_STATUS_LABELS } from '../plan/approval.js';
import { listPlans } from '../plan/plan-store.js';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { auditFieldsOf, recordAuditEvent } from '../../platform/audit/audit-store.js';
import { rolesGrant } from '../../platform/auth/organisation-access.js';
import type { Database } from '../../platform/db/schema.js';
import { requireSchool } from '../../platform/http/school-scope.js';
import { formatAcademicYear } from '../../platform/http/views.js';
import type { School } from '../../platform/organisations/organisation-store.js';
import { formText } from '../../platform/http/form-body.js';
import { londonToday } from '../../platform/http/form-fields.js';
import { findPriority } from './improvement-store.js';
import { BARRIER_CLASSIFICATION_LABELS } from './need-barriers.js';
import { formatFileSize } from './need-evidence.js';
import { listNeedBarriers } from './need-barrier-store.js';
import { listEvidence } from './need-evidence-store.js';
import {
  checkNeedDetails,
  checkNeedStatus,
  emptyNeedForm,
  type NeedDetails,
  type NeedFormInput,
} from './need-form.js';
import {
  describePriority,
  offeredPriorities,
  renderNeedForm,
  type OfferedPriorities,
} from './need-form-view.js';
import {
  EVIDENCE_KIND_LABELS,
  EXTERNAL_REASON_LABELS,
  isNeedStatus,
  NEED_DELIVERY_LABELS,
  NEED_PRIORITY_LABELS,
  NEED_STATUSES,
  NEED_STATUS_LABELS,
  NEED_STATUS_TAG_CLASSES,
  type Need,
  type NeedStatus,
} from './need-model.js';
import { needPath, requireNeed } from './need-scope.js';
import { createNeed, listNeeds } from './need-store.js';

export interface NeedRoutesOptions {
  db: Kysely<Database>;
}

type SchoolParams = { schoolId: string };
type NeedParams = { schoolId: string; needId: string };

/** Fields of the need form, in the order the form and the check-answers page ask them. */
const NEED_FORM_FIELDS = [
  'title',
  'description',
  'audience',
  'priority',
  'improvementPriorityId',
  'status',
] as const satisfies readonly (keyof NeedFormInput)[];

/** Confirmations the need page shows after a change, named in `?notice=`. */
export const NEED_NOTICES = {
  created: 'Need recorded',
  changed: 'Need changed',
  status: 'Status changed',
  delivery: 'Who should meet the need saved',
  evidence: 'Evidence added',
  barriers: 'Barriers added',
  'barrier-removed': 'Barrier removed',
} as const;

const noticeQuery = z.object({
  notice: z.enum(Object.keys(NEED_NOTICES) as [keyof typeof NEED_NOTICES]).optional(),
});

const registerQuery = z.object({ status: z.string().optional() });

/**
 * Serves the needs register of a school at `/schools/:schoolId/needs`, filtered by `?status=`. A need
 * is recorded through one form and a check-answers page, and is saved with its audit event in
 * one transaction, so nothing is saved half-way. Each need's page shows its evidence, its
 * barriers and who should meet it.
 */
export const needRoutes: FastifyPluginAsync<NeedRoutesOptions> = async (app, { db }) => {
  app.get<{ Params: SchoolParams; Querystring: Record<string, string> }>(
    '/schools/:schoolId/needs',
    { config: { access: 'school:read' } },
    async (request, reply) => {
      const school = await requireSchool(db, request.params.schoolId);
      const query = registerQuery.safeParse(request.query);
      const typed = query.success ? (query.data.status ?? '') : '';
      const status: NeedStatus | null = isNeedStatus(typed) ? typed : null;
      return renderRegister(request, reply, school, status);
    },
  );

  app.get<{ Params: SchoolParams }>(
    '/schools/:schoolId/needs/new',
    { config: { access: 'needs:manage' } },
    async (request, reply) => {
      const school = await requireSchool(db, request.params.schoolId);
      const offered = await offeredPriorities(db, school.id, londonToday(), null);
      return renderNeedForm(reply, {
        school,
        mode: 'create',
        need: null,
        input: emptyNeedForm(),
        errors: [],
        offered,
      });
    },
  );

  // The form posts here. Valid answers lead to the check-answers page, which saves nothing.
  // A Change button on that page posts the answers back here with `change` set.
  app.post<{ Params: SchoolParams }>(
    '/schools/:schoolId/needs/new',
    { config: { access: 'needs:manage' } },
    async (request, reply) => {
      const school = await requireSchool(db, request.params.schoolId);
      const input = readNeedForm(request.body);
      const offered = await offeredPriorities(db, school.id, londonToday(), null);
      const change = formText(request.body, 'change');
      if (change !== '') {
        const focus = (NEED_FORM_FIELDS as readonly string[]).includes(change) ? change : undefined;
        return renderNeedForm(reply, {
          school,
          mode: 'create',
          need: null,
          input,
          errors: [],
          offered,
          focus,
        });
      }

      const details = checkNeedDetails(input, offered.ids);
      const status = checkNeedStatus(input.status);
      if (!details.ok || !status.ok) {
        const errors = [
          ...(details.ok ? [] : details.errors),
          ...(status.ok ? [] : [status.error]),
        ];
        request.log.info(
          { organisationId: school.id, fields: errors.map((error) => error.href) },
          'need form rejected',
        );
        reply.code(422);
        return renderNeedForm(reply, {
          school,
          mode: 'create',
          need: null,
          input,
          errors,
          offered,
        });
      }
      return renderCheckAnswers(reply, school, input, {
        details: details.details,
        status: status.status,
        offered,
      });
    },
  );

  app.post<{ Params: SchoolParams }>(
    '/schools/:schoolId/needs',
    { config: { access: 'needs:manage' } },
    async (request, reply) => {
      const school = await requireSchool(db, request.params.schoolId);
      const input = readNeedForm(request.body);
      const offered = await offeredPriorities(db, school.id, londonToday(), null);
      const details = checkNeedDetails(input, offered.ids);
      const status = checkNeedStatus(input.status);

      // The answers were checked on the way to this page, but a priority may have been
      // retired since, so they are checked again before anything is saved.
      if (!details.ok || !status.ok) {
        const errors = [
          ...(details.ok ? [] : details.errors),
          ...(status.ok ? [] : [status.error]),
        ];
        request.log.info(
          { organisationId: school.id, fields: errors.map((error) => error.href) },
          'need rejected at creation',
        );
        reply.code(422);
        return renderNeedForm(reply, {
          school,
          mode: 'create',
          need: null,
          input,
          errors,
          offered,
        });
      }

      const need = await db.transaction().execute(async (trx) => {
        const created = await createNeed(trx, school.id, {
          ...details.details,
          status: status.status,
          createdBy: request.currentUser?.id ?? null,
        });
        await recordAuditEvent(trx, {
          ...auditFieldsOf(request),
          action: 'need-created',
          organisationId: school.id,
          subjectType: 'need',
          subjectId: created.id,
          details: {
            title: created.title,
            priority: created.priority,
            status: created.status,
            improvementPriorityId: created.improvementPriorityId,
            summary: `“${created.title}”, ${NEED_STATUS_LABELS[created.status].toLowerCase()}`,
          },
        });
        return created;
      });
      request.log.info({ organisationId: school.id, needId: need.id }, 'need created');
      return reply.redirect(`${needPath(school.id, need.id)}?notice=created`, 303);
    },
  );

  app.get<{ Params: NeedParams; Querystring: Record<string, string> }>(
    '/schools/:schoolId/needs/:needId',
    { config: { access: 'school:read' } },
    async (request, reply) => {
      const school = await requireSchool(db, request.params.schoolId);
      const need = await requireNeed(db, school, request.params.needId);
      const query = noticeQuery.safeParse(request.query);
      const notice = query.success && query.data.notice ? NEED_NOTICES[query.data.notice] : null;
      return renderNeedPage(request, reply, school, need, notice);
    },
  );

  async function renderRegister(
    request: FastifyRequest,
    reply: FastifyReply,
    school: School,
    status: NeedStatus | null,
  ): Promise<string> {
    const all = await listNeeds(db, school.id);
    const shown = status === null ? all : all.filter((need) => need.status === status);
    const countOf = (candidate: NeedStatus) =>
      all.filter((need) => need.status === candidate).length;

    return reply.viewAsync('pages/needs.njk', {
      school,
      total: all.length,
      status,
      statusLabel: status === null ? null : NEED_STATUS_LABELS[status],
      statusItems: [
        { value: '', text: `All statuses (${all.length})`, selected: status === null },
        ...NEED_STATUSES.map((candidate) => ({
          value: candidate,
          text: `${NEED_STATUS_LABELS[candidate]} (${countOf(candidate)})`,
          selected: candidate === status,
        })),
      ],
      unlinkedCount: all.filter((need) => need.improvementPriorityId === null).length,
      needs: shown.map((need) => ({
        ...need,
        priorityLabel: NEED_PRIORITY_LABELS[need.priority],
        statusLabel: NEED_STATUS_LABELS[need.status],
        statusClass: NEED_STATUS_TAG_CLASSES[need.status],
        improvementPriorityText:
          need.improvementPriorityTitle === null
            ? null
            : `${need.improvementPriorityTitle} (${formatAcademicYear(need.improvementPriorityYear ?? 0)}${need.improvementPriorityRetired ? ', retired' : ''})`,
      })),
      can: {
        manage: rolesGrant(request.organisationRoles, 'needs:manage'),
      },
    });
  }

  async function renderNeedPage(
    request: FastifyRequest,
    reply: FastifyReply,
    school: School,
    need: Need,
    notice: string | null,
  ): Promise<string> {
    const [evidence, barriers, priority] = await Promise.all([
      listEvidence(db, school.id, need.id),
      listNeedBarriers(db, school.id, need.id),
      need.improvementPriorityId === null
        ? Promise.resolve(undefined)
        : findPriority(db, school.id, need.improvementPriorityId),
    ]);
    const canAddEvidence = rolesGrant(request.organisationRoles, 'evidence:add');

    return reply.viewAsync('pages/need.njk', {
      school,
      need,
      notice,
      path: needPath(school.id, need.id),
      priorityLabel: NEED_PRIORITY_LABELS[need.priority],
      statusLabel: NEED_STATUS_LABELS[need.status],
      statusClass: NEED_STATUS_TAG_CLASSES[need.status],
      improvementPriority: priority
        ? { ...priority, text: describePriority(priority, priority.academicYear) }
        : null,
      improvementPriorityYear: priority ? formatAcademicYear(priority.academicYear) : null,
      deliveryLabel: need.delivery === null ? null : NEED_DELIVERY_LABELS[need.delivery],
      externalReasonLabels: need.externalReasons.map((reason) => EXTERNAL_REASON_LABELS[reason]),
      evidence: evidence.map((item) => ({
        ...item,
        kindLabel: EVIDENCE_KIND_LABELS[item.kind],
        fileSizeText: item.fileSize === null ? null : formatFileSize(item.fileSize),
        fileHref:
          item.fileName === null
            ? null
            : `${needPath(school.id, need.id)}/evidence/${item.id}/file`,
      })),
      barriers: barriers.map((barrier) => ({
        ...barrier,
        classificationLabel: BARRIER_CLASSIFICATION_LABELS[barrier.classification],
      })),
      plans: (await listPlans(db, school.id))
        .filter((plan) => plan.needId === need.id)
        .map((plan) => ({ ...plan, statusLabel: PLAN_STATUS_LABELS[plan.status] })),
      can: {
        manage: rolesGrant(request.organisationRoles, 'needs:manage'),
        addEvidence: canAddEvidence,
        writePlans: rolesGrant(request.organisationRoles, 'plans:write'),
      },
      csrfToken: canAddEvidence ? reply.generateCsrf() : null,
    });
  }
};

/** Reads the need form's fields from a request body. A missing field reads as empty. */
export function readNeedForm(body: unknown): NeedFormInput {
  const input = emptyNeedForm();
  for (const field of NEED_FORM_FIELDS) input[field] = formText(body, field);
  return input;
}

/**
 * Renders the check-answers page. It saves nothing: its form carries the answers in hidden
 * fields, to the route that creates the need or, by a Change button, back to the form.
 */
async function renderCheckAnswers(
  reply: FastifyReply,
  school: School,
  input: NeedFormInput,
  checked: { details: NeedDetails; status: NeedStatus; offered: OfferedPriorities },
): Promise<string> {
  const { details, status, offered } = checked;
  const priority = offered.priorities.find((item) => item.id === details.improvementPriorityId);
  return reply.viewAsync('pages/need-check.njk', {
    school,
    hidden: NEED_FORM_FIELDS.map((field) => ({ name: field, value: input[field] })),
    details,
    priorityLabel: NEED_PRIORITY_LABELS[details.priority],
    improvementPriorityText: priority ? describePriority(priority, offered.academicYear) : null,
    statusLabel: NEED_STATUS_LABELS[status],
    csrfToken: reply.generateCsrf(),
  });
}
