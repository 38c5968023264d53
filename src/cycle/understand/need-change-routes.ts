import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { auditFieldsOf, recordAuditEvent } from '../../platform/audit/audit-store.js';
import type { Database } from '../../platform/db/schema.js';
import { NotFoundError } from '../../platform/http/http-errors.js';
import { requireSchool } from '../../platform/http/school-scope.js';
import type { School } from '../../platform/organisations/organisation-store.js';
import { formList, formText } from '../../platform/http/form-body.js';
import { londonToday, type FormError } from '../../platform/http/form-fields.js';
import {
  checkDeliveryDetails,
  REASONING_MAX_LENGTH,
  type DeliveryFormInput,
} from './need-delivery.js';
import { checkNeedDetails, checkNeedStatus } from './need-form.js';
import { needFormInputOf, offeredPriorities, renderNeedForm } from './need-form-view.js';
import {
  EXTERNAL_REASONS,
  EXTERNAL_REASON_HINTS,
  EXTERNAL_REASON_LABELS,
  listChanges,
  NEED_DELIVERIES,
  NEED_DELIVERY_LABELS,
  NEED_STATUSES,
  NEED_STATUS_HINTS,
  NEED_STATUS_LABELS,
  summariseNeedChanges,
  type FieldChange,
  type Need,
} from './need-model.js';
import { readNeedForm } from './need-routes.js';
import { needPath, requireNeed } from './need-scope.js';
import { lockNeed, updateNeed, type NeedUpdate } from './need-store.js';

export interface NeedChangeRoutesOptions {
  db: Kysely<Database>;
}

type NeedParams = { schoolId: string; needId: string };

/**
 * Serves the pages on which a senior leader changes a need: its details, its status, and who
 * should meet it. Each change reads the need under a row lock, saves only the fields that
 * differ, and records them, before and after, in the audit trail in the same transaction.
 * Saving a form unchanged records nothing.
 */
export const needChangeRoutes: FastifyPluginAsync<NeedChangeRoutesOptions> = async (
  app,
  { db },
) => {
  app.get<{ Params: NeedParams }>(
    '/schools/:schoolId/needs/:needId/edit',
    { config: { access: 'needs:manage' } },
    async (request, reply) => {
      const school = await requireSchool(db, request.params.schoolId);
      const need = await requireNeed(db, school, request.params.needId);
      const offered = await offeredPriorities(db, school.id, londonToday(), need);
      return renderNeedForm(reply, {
        school,
        mode: 'edit',
        need,
        input: needFormInputOf(need),
        errors: [],
        offered,
      });
    },
  );

  app.post<{ Params: NeedParams }>(
    '/schools/:schoolId/needs/:needId/edit',
    { config: { access: 'needs:manage' } },
    async (request, reply) => {
      const school = await requireSchool(db, request.params.schoolId);
      const need = await requireNeed(db, school, request.params.needId);
      const input = { ...readNeedForm(request.body), status: need.status };
      const offered = await offeredPriorities(db, school.id, londonToday(), need);
      const details = checkNeedDetails(input, offered.ids);
      if (!details.ok) {
        request.log.info(
          { organisationId: school.id, needId: need.id, fields: details.errors.map((e) => e.href) },
          'need change rejected',
        );
        reply.code(422);
        return renderNeedForm(reply, {
          school,
          mode: 'edit',
          need,
          input,
          errors: details.errors,
          offered,
        });
      }

      const changes = await saveChanges(request, school, need.id, details.details);
      return redirectToNeed(reply, school, need, changes, 'changed');
    },
  );

  app.get<{ Params: NeedParams }>(
    '/schools/:schoolId/needs/:needId/status',
    { config: { access: 'needs:manage' } },
    async (request, reply) => {
      const school = await requireSchool(db, request.params.schoolId);
      const need = await requireNeed(db, school, request.params.needId);
      return renderStatusForm(reply, school, need, need.status, null);
    },
  );

  app.post<{ Params: NeedParams }>(
    '/schools/:schoolId/needs/:needId/status',
    { config: { access: 'needs:manage' } },
    async (request, reply) => {
      const school = await requireSchool(db, request.params.schoolId);
      const need = await requireNeed(db, school, request.params.needId);
      const typed = formText(request.body, 'status');
      const status = checkNeedStatus(typed);
      if (!status.ok) {
        request.log.info({ organisationId: school.id, needId: need.id }, 'need status rejected');
        reply.code(422);
        return renderStatusForm(reply, school, need, typed, status.error);
      }

      const changes = await saveChanges(request, school, need.id, { status: status.status });
      return redirectToNeed(reply, school, need, changes, 'status');
    },
  );

  app.get<{ Params: NeedParams }>(
    '/schools/:schoolId/needs/:needId/delivery',
    { config: { access: 'needs:manage' } },
    async (request, reply) => {
      const school = await requireSchool(db, request.params.schoolId);
      const need = await requireNeed(db, school, request.params.needId);
      const input: DeliveryFormInput = {
        delivery: need.delivery ?? '',
        capacityReasoning: need.capacityReasoning,
        capabilityReasoning: need.capabilityReasoning,
        costReasoning: need.costReasoning,
        externalReasons: need.externalReasons,
      };
      return renderDeliveryForm(reply, school, need, input, []);
    },
  );

  app.post<{ Params: NeedParams }>(
    '/schools/:schoolId/needs/:needId/delivery',
    { config: { access: 'needs:manage' } },
    async (request, reply) => {
      const school = await requireSchool(db, request.params.schoolId);
      const need = await requireNeed(db, school, request.params.needId);
      const input: DeliveryFormInput = {
        delivery: formText(request.body, 'delivery'),
        capacityReasoning: formText(request.body, 'capacityReasoning'),
        capabilityReasoning: formText(request.body, 'capabilityReasoning'),
        costReasoning: formText(request.body, 'costReasoning'),
        externalReasons: formList(request.body, 'externalReasons'),
      };
      const details = checkDeliveryDetails(input);
      if (!details.ok) {
        request.log.info({ organisationId: school.id, needId: need.id }, 'need delivery rejected');
        reply.code(422);
        return renderDeliveryForm(reply, school, need, input, details.errors);
      }

      const changes = await saveChanges(request, school, need.id, details.details);
      return redirectToNeed(reply, school, need, changes, 'delivery');
    },
  );

  /**
   * Saves the fields of `update` that differ from the stored need, with an audit event that
   * lists each change before and after. Returns the changes, none when nothing differed.
   */
  async function saveChanges(
    request: FastifyRequest,
    school: School,
    needId: number,
    update: NeedUpdate,
  ): Promise<FieldChange[]> {
    return db.transaction().execute(async (trx) => {
      const current = await lockNeed(trx, school.id, needId);
      if (!current) throw new NotFoundError(`Need ${needId} does not exist in school ${school.id}`);
      // The parsed tree follows the rule's text, so only the text is reported as a change.
      const changes = listChanges<NeedUpdate>(current, update).filter(
        (change) => change.field !== 'audienceRuleTree',
      );
      if (changes.length === 0) return changes;

      await updateNeed(trx, school.id, needId, update);
      await recordAuditEvent(trx, {
        ...auditFieldsOf(request),
        action: 'need-changed',
        organisationId: school.id,
        subjectType: 'need',
        subjectId: needId,
        details: { changes, summary: summariseNeedChanges(changes) },
      });
      return changes;
    });
  }

  function redirectToNeed(
    reply: FastifyReply,
    school: School,
    need: Need,
    changes: readonly FieldChange[],
    notice: 'changed' | 'status' | 'delivery',
  ) {
    reply.log.info(
      { organisationId: school.id, needId: need.id, fields: changes.map((change) => change.field) },
      changes.length === 0 ? 'need unchanged' : 'need changed',
    );
    const path = needPath(school.id, need.id);
    return reply.redirect(changes.length === 0 ? path : `${path}?notice=${notice}`, 303);
  }
};

async function renderStatusForm(
  reply: FastifyReply,
  school: School,
  need: Need,
  typed: string,
  error: FormError | null,
): Promise<string> {
  return reply.viewAsync('pages/need-status.njk', {
    school,
    need,
    path: needPath(school.id, need.id),
    errors: error === null ? [] : [error],
    error,
    statusItems: NEED_STATUSES.map((status) => ({
      value: status,
      text: NEED_STATUS_LABELS[status],
      hint: { text: NEED_STATUS_HINTS[status] },
      checked: typed === status,
    })),
    csrfToken: reply.generateCsrf(),
  });
}

async function renderDeliveryForm(
  reply: FastifyReply,
  school: School,
  need: Need,
  input: DeliveryFormInput,
  errors: FormError[],
): Promise<string> {
  return reply.viewAsync('pages/need-delivery.njk', {
    school,
    need,
    path: needPath(school.id, need.id),
    input,
    errors,
    errorFor: Object.fromEntries(errors.map((error) => [error.href.slice(1), error.text])),
    maxLength: REASONING_MAX_LENGTH,
    deliveryItems: NEED_DELIVERIES.map((delivery) => ({
      value: delivery,
      text: NEED_DELIVERY_LABELS[delivery],
      checked: input.delivery === delivery,
    })),
    reasonItems: EXTERNAL_REASONS.map((reason) => ({
      value: reason,
      text: EXTERNAL_REASON_LABELS[reason],
      hint: { text: EXTERNAL_REASON_HINTS[reason] },
      checked: input.externalReasons.includes(reason),
    })),
    csrfToken: reply.generateCsrf(),
  });
}
