import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely, Transaction } from 'kysely';
import { auditFieldsOf, recordAuditEvent } from '../../platform/audit/audit-store.js';
import { rolesGrant } from '../../platform/auth/organisation-access.js';
import type { Database } from '../../platform/db/schema.js';
import { parseId, requireSchool } from '../../platform/http/school-scope.js';
import type { School } from '../../platform/organisations/organisation-store.js';
import { formList, formText } from '../../platform/http/form-body.js';
import type { FormError } from '../../platform/http/form-fields.js';
import {
  BARRIER_CLASSIFICATIONS,
  BARRIER_CLASSIFICATION_HINTS,
  BARRIER_CLASSIFICATION_LABELS,
  BARRIER_LABEL_MAX_LENGTH,
  BARRIER_NOTE_MAX_LENGTH,
  checkChosenBarriers,
  checkNewBarrier,
  groupOfferedBarriers,
  knownBarriers,
  type BarrierOption,
  type NewBarrierInput,
} from './need-barriers.js';
import {
  addBarrierOption,
  addNeedBarriers,
  listBarrierOptions,
  listNeedBarriers,
  removeNeedBarrier,
  type NeedBarrier,
  type NewNeedBarrier,
} from './need-barrier-store.js';
import type { Need } from './need-model.js';
import { needPath, requireNeed } from './need-scope.js';

export interface BarrierRoutesOptions {
  db: Kysely<Database>;
}

type NeedParams = { schoolId: string; needId: string };
type BarrierParams = { schoolId: string; needId: string; barrierId: string };

/** The barriers page's two forms as typed, and the errors of whichever was sent. */
interface BarrierPageState {
  chosen: string[];
  newBarrier: NewBarrierInput;
  errors: FormError[];
}

/**
 * Serves the barriers to learning on a need. Staff and senior leaders tick barriers from the
 * starting list and the school's own barriers. A senior leader can also add a barrier to the
 * school's list, which attaches it to the need and offers it on every other need. Removing a
 * barrier deletes it from the need, and the audit event keeps its label, class and note.
 */
export const barrierRoutes: FastifyPluginAsync<BarrierRoutesOptions> = async (app, { db }) => {
  app.get<{ Params: NeedParams }>(
    '/schools/:schoolId/needs/:needId/barriers/new',
    { config: { access: 'evidence:add' } },
    async (request, reply) => {
      const school = await requireSchool(db, request.params.schoolId);
      const need = await requireNeed(db, school, request.params.needId);
      return renderBarrierPage(request, reply, school, need, {
        chosen: [],
        newBarrier: { label: '', classification: '', note: '' },
        errors: [],
      });
    },
  );

  app.post<{ Params: NeedParams }>(
    '/schools/:schoolId/needs/:needId/barriers',
    { config: { access: 'evidence:add' } },
    async (request, reply) => {
      const school = await requireSchool(db, request.params.schoolId);
      const need = await requireNeed(db, school, request.params.needId);
      const chosen = formList(request.body, 'barrier');

      const outcome = await db.transaction().execute(async (trx) => {
        const offered = await offeredBarriers(trx, school.id, need.id);
        const checked = checkChosenBarriers(chosen, offered);
        if (!checked.ok) return checked;
        const added = await addNeedBarriers(
          trx,
          school.id,
          need.id,
          checked.barriers.map((barrier) => ({ ...barrier, note: '' })),
        );
        for (const barrier of added) await recordBarrierAdded(trx, request, school, barrier);
        return { ok: true as const, added };
      });

      if (!outcome.ok) {
        request.log.info({ organisationId: school.id, needId: need.id }, 'barrier choice rejected');
        reply.code(422);
        return renderBarrierPage(request, reply, school, need, {
          chosen,
          newBarrier: { label: '', classification: '', note: '' },
          errors: [outcome.error],
        });
      }
      request.log.info(
        { organisationId: school.id, needId: need.id, barriers: outcome.added.length },
        'barriers added',
      );
      return reply.redirect(`${needPath(school.id, need.id)}?notice=barriers`, 303);
    },
  );

  app.post<{ Params: NeedParams }>(
    '/schools/:schoolId/needs/:needId/barriers/other',
    { config: { access: 'needs:manage' } },
    async (request, reply) => {
      const school = await requireSchool(db, request.params.schoolId);
      const need = await requireNeed(db, school, request.params.needId);
      const input: NewBarrierInput = {
        label: formText(request.body, 'label'),
        classification: formText(request.body, 'classification'),
        note: formText(request.body, 'note'),
      };

      const outcome = await db.transaction().execute(async (trx) => {
        const known = knownBarriers(await listBarrierOptions(trx, school.id));
        const checked = checkNewBarrier(input, known);
        if (!checked.ok) return checked;

        const optionId = await addBarrierOption(trx, school.id, checked.barrier);
        await recordAuditEvent(trx, {
          ...auditFieldsOf(request),
          action: 'barrier-option-added',
          organisationId: school.id,
          subjectType: 'barrier-option',
          subjectId: optionId,
          details: {
            label: checked.barrier.label,
            classification: checked.barrier.classification,
            summary: `“${checked.barrier.label}”, ${BARRIER_CLASSIFICATION_LABELS[checked.barrier.classification].toLowerCase()}`,
          },
        });
        const barrier: NewNeedBarrier = { ...checked.barrier, note: checked.note };
        const [added] = await addNeedBarriers(trx, school.id, need.id, [barrier]);
        if (added) await recordBarrierAdded(trx, request, school, added);
        return { ok: true as const };
      });

      if (!outcome.ok) {
        request.log.info(
          { organisationId: school.id, needId: need.id, fields: outcome.errors.map((e) => e.href) },
          'new barrier rejected',
        );
        reply.code(422);
        return renderBarrierPage(request, reply, school, need, {
          chosen: [],
          newBarrier: input,
          errors: outcome.errors,
        });
      }
      request.log.info({ organisationId: school.id, needId: need.id }, 'school barrier added');
      return reply.redirect(`${needPath(school.id, need.id)}?notice=barriers`, 303);
    },
  );

  // Removing a barrier that is no longer on the need (a second click, or someone else removed
  // it first) changes nothing and returns to the need, as the first removal did.
  app.post<{ Params: BarrierParams }>(
    '/schools/:schoolId/needs/:needId/barriers/:barrierId/remove',
    { config: { access: 'evidence:add' } },
    async (request, reply) => {
      const school = await requireSchool(db, request.params.schoolId);
      const need = await requireNeed(db, school, request.params.needId);
      const barrierId = parseId(request.params.barrierId, 'Barrier id');

      const removed = await db.transaction().execute(async (trx) => {
        const barrier = await removeNeedBarrier(trx, school.id, need.id, barrierId);
        if (!barrier) return undefined;
        await recordAuditEvent(trx, {
          ...auditFieldsOf(request),
          action: 'barrier-removed',
          organisationId: school.id,
          subjectType: 'need-barrier',
          subjectId: barrier.id,
          details: {
            needId: need.id,
            label: barrier.label,
            classification: barrier.classification,
            note: barrier.note,
            summary: `“${barrier.label}” from need ${need.id}`,
          },
        });
        return barrier;
      });

      request.log.info(
        { organisationId: school.id, needId: need.id, barrierId },
        removed ? 'barrier removed' : 'barrier already removed',
      );
      const path = needPath(school.id, need.id);
      return reply.redirect(removed ? `${path}?notice=barrier-removed` : path, 303);
    },
  );

  async function renderBarrierPage(
    request: FastifyRequest,
    reply: FastifyReply,
    school: School,
    need: Need,
    state: BarrierPageState,
  ): Promise<string> {
    const [options, attached] = await Promise.all([
      listBarrierOptions(db, school.id),
      listNeedBarriers(db, school.id, need.id),
    ]);
    const groups = groupOfferedBarriers(
      knownBarriers(options),
      attached.map((barrier) => barrier.label),
    );
    const { chosen, newBarrier, errors } = state;

    return reply.viewAsync('pages/need-barriers.njk', {
      school,
      need,
      path: needPath(school.id, need.id),
      errors,
      errorFor: Object.fromEntries(errors.map((error) => [error.href.slice(1), error.text])),
      attached: attached.map((barrier) => barrier.label),
      groups: groups.map((group, index) => ({
        heading: BARRIER_CLASSIFICATION_LABELS[group.classification],
        hint: BARRIER_CLASSIFICATION_HINTS[group.classification],
        // The first checkbox's id is `barrier`, the field the error summary links to.
        idPrefix: index === 0 ? 'barrier' : `barrier-${group.classification.replace('_', '-')}`,
        items: group.barriers.map((barrier) => ({
          value: barrier.label,
          text: barrier.label,
          checked: chosen.includes(barrier.label),
        })),
      })),
      anyOffered: groups.some((group) => group.barriers.length > 0),
      newBarrier,
      classificationItems: BARRIER_CLASSIFICATIONS.map((classification) => ({
        value: classification,
        text: BARRIER_CLASSIFICATION_LABELS[classification],
        hint: { text: BARRIER_CLASSIFICATION_HINTS[classification] },
        checked: newBarrier.classification === classification,
      })),
      maxLengths: { label: BARRIER_LABEL_MAX_LENGTH, note: BARRIER_NOTE_MAX_LENGTH },
      canAddToList: rolesGrant(request.organisationRoles, 'needs:manage'),
      csrfToken: reply.generateCsrf(),
    });
  }
};

/** Lists the barriers the need can still take: the known ones not already on it. */
async function offeredBarriers(
  trx: Transaction<Database>,
  organisationId: number,
  needId: number,
): Promise<BarrierOption[]> {
  const options = await listBarrierOptions(trx, organisationId);
  const attached = await listNeedBarriers(trx, organisationId, needId);
  const groups = groupOfferedBarriers(
    knownBarriers(options),
    attached.map((barrier) => barrier.label),
  );
  return groups.flatMap((group) => group.barriers);
}

async function recordBarrierAdded(
  trx: Transaction<Database>,
  request: FastifyRequest,
  school: School,
  barrier: NeedBarrier,
): Promise<void> {
  await recordAuditEvent(trx, {
    ...auditFieldsOf(request),
    action: 'barrier-added',
    organisationId: school.id,
    subjectType: 'need-barrier',
    subjectId: barrier.id,
    details: {
      needId: barrier.needId,
      label: barrier.label,
      classification: barrier.classification,
      note: barrier.note,
      summary: `“${barrier.label}” on need ${barrier.needId}`,
    },
  });
}
