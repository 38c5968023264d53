import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely, Transaction } from 'kysely';
import { z } from 'zod';
import { auditFieldsOf, recordAuditEvent } from '../audit/audit-store.js';
import type { Database } from '../db/schema.js';
import { requireSchool } from '../http/school-scope.js';
import { getDelegatedLimit, setDelegatedLimit, type School } from './organisation-store.js';
import { formatPence, parseDelegatedLimit } from './school-settings.js';

export interface SettingsRoutesOptions {
  db: Kysely<Database>;
}

type SchoolParams = { schoolId: string };

/** Name and id of the form field, and the fragment the error summary links to. */
const LIMIT_FIELD = 'delegatedLimit';

const settingsBody = z.object({ [LIMIT_FIELD]: z.string().optional() });

/**
 * Serves the school settings page at `/schools/:schoolId/settings`, where a governor sets the
 * delegated approval limit on behalf of the governing board. A change and its audit event are saved in
 * one transaction, and then the school overview confirms the change. Saving the limit that is
 * already set records no audit event.
 */
export const settingsRoutes: FastifyPluginAsync<SettingsRoutesOptions> = async (app, { db }) => {
  app.get<{ Params: SchoolParams }>(
    '/schools/:schoolId/settings',
    { config: { access: 'delegation:set' } },
    async (request, reply) => {
      const school = await requireSchool(db, request.params.schoolId);
      const current = await getDelegatedLimit(db, school.id);
      return renderSettingsPage(reply, school, current, '', null);
    },
  );

  app.post<{ Params: SchoolParams }>(
    '/schools/:schoolId/settings',
    { config: { access: 'delegation:set' } },
    async (request, reply) => {
      const school = await requireSchool(db, request.params.schoolId);
      const parsedBody = settingsBody.safeParse(request.body ?? {});
      const typed = parsedBody.success ? (parsedBody.data[LIMIT_FIELD] ?? '') : '';
      const amount = parseDelegatedLimit(typed);

      if (!amount.ok) {
        request.log.info(
          { organisationId: school.id, reason: amount.error },
          'delegated limit rejected',
        );
        reply.code(422);
        const current = await getDelegatedLimit(db, school.id);
        return renderSettingsPage(reply, school, current, typed, amount.error);
      }

      const previous = await db.transaction().execute(async (trx) => {
        const replaced = await setDelegatedLimit(trx, school.id, amount.pence);
        if (replaced !== amount.pence)
          await recordChange(trx, request, school, replaced, amount.pence);
        return replaced;
      });
      request.log.info(
        { organisationId: school.id, fromPence: previous, toPence: amount.pence },
        previous === amount.pence ? 'delegated limit unchanged' : 'delegated limit changed',
      );
      return reply.redirect(`/schools/${school.id}?settings=saved`, 303);
    },
  );
};

async function recordChange(
  trx: Transaction<Database>,
  request: FastifyRequest,
  school: School,
  fromPence: number | null,
  toPence: number,
): Promise<void> {
  await recordAuditEvent(trx, {
    ...auditFieldsOf(request),
    action: 'settings-changed',
    organisationId: school.id,
    subjectType: 'organisation',
    subjectId: school.id,
    details: { setting: 'delegatedLimitPence', fromPence, toPence },
  });
}

/**
 * Renders the settings form. `typed` is put back in the field exactly as the user entered it,
 * so that they can correct it rather than type it again.
 */
async function renderSettingsPage(
  reply: FastifyReply,
  school: School,
  currentPence: number | null,
  typed: string,
  error: string | null,
): Promise<string> {
  return reply.viewAsync('pages/school-settings.njk', {
    school,
    currentLimitText: currentPence === null ? null : formatPence(currentPence),
    fieldName: LIMIT_FIELD,
    value: typed,
    error,
    errors: error === null ? [] : [{ text: error, href: `#${LIMIT_FIELD}` }],
    csrfToken: reply.generateCsrf(),
  });
}
