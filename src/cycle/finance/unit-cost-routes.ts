import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { auditFieldsOf, recordAuditEvent } from '../../platform/audit/audit-store.js';
import type { Database } from '../../platform/db/schema.js';
import { requireSchool } from '../../platform/http/school-scope.js';
import type { School } from '../../platform/organisations/organisation-store.js';
import { parseUnitCostsForm, type UnitCostsForm } from './reference-forms.js';
import { listUnitCosts, saveUnitCosts, type StoredUnitCost } from './reference-store.js';
import {
  bodyText,
  errorView,
  NO_ERRORS,
  type ErrorView,
  type SchoolParams,
} from './route-support.js';

export interface UnitCostRoutesOptions {
  db: Kysely<Database>;
}

const savedQuery = z.object({ saved: z.literal('costs').optional() });

/**
 * Serves `/schools/:schoolId/finance/unit-costs`, where an administrator changes the dated,
 * sourced costs behind cost-avoided estimates. The change and its audit event are saved in one
 * transaction.
 */
export const unitCostRoutes: FastifyPluginAsync<UnitCostRoutesOptions> = async (app, { db }) => {
  app.get<{ Params: SchoolParams; Querystring: Record<string, string> }>(
    '/schools/:schoolId/finance/unit-costs',
    { config: { access: 'reference:manage' } },
    async (request, reply) => {
      const school = await requireSchool(db, request.params.schoolId);
      const costs = await listUnitCosts(db, school.id);
      const query = savedQuery.safeParse(request.query);
      return renderPage(
        reply,
        school,
        costs,
        formOf(costs),
        NO_ERRORS,
        query.success && query.data.saved === 'costs',
      );
    },
  );

  app.post<{ Params: SchoolParams }>(
    '/schools/:schoolId/finance/unit-costs',
    { config: { access: 'reference:manage' } },
    async (request, reply) => {
      const school = await requireSchool(db, request.params.schoolId);
      const current = await listUnitCosts(db, school.id);
      const form: UnitCostsForm = Object.fromEntries(
        current.map((cost) => [
          cost.key,
          {
            amount: bodyText(request.body, `cost-${cost.key}-amount`),
            source: bodyText(request.body, `cost-${cost.key}-source`),
            sourceDate: bodyText(request.body, `cost-${cost.key}-sourceDate`),
          },
        ]),
      );
      const parsed = parseUnitCostsForm(current, form);
      if (!parsed.ok) {
        request.log.info(
          { organisationId: school.id, fields: parsed.errors.map((error) => error.field) },
          'unit costs rejected',
        );
        reply.code(422);
        return renderPage(reply, school, current, form, errorView(parsed.errors), false);
      }

      await db.transaction().execute(async (trx) => {
        const changes = await saveUnitCosts(
          trx,
          school.id,
          parsed.costs,
          request.currentUser?.id ?? null,
        );
        await recordAuditEvent(trx, {
          ...auditFieldsOf(request),
          action: 'reference-data-changed',
          organisationId: school.id,
          subjectType: 'unit costs',
          details: { figures: 'unitCosts', changes },
        });
      });
      request.log.info({ organisationId: school.id }, 'unit costs saved');
      return reply.redirect(`/schools/${school.id}/finance/unit-costs?saved=costs`, 303);
    },
  );
};

function formOf(costs: readonly StoredUnitCost[]): UnitCostsForm {
  return Object.fromEntries(
    costs.map((cost) => [
      cost.key,
      { amount: (cost.pence / 100).toFixed(2), source: cost.source, sourceDate: cost.sourceDate },
    ]),
  );
}

async function renderPage(
  reply: FastifyReply,
  school: School,
  costs: readonly StoredUnitCost[],
  typed: UnitCostsForm,
  errors: ErrorView,
  saved: boolean,
): Promise<string> {
  return reply.viewAsync('pages/finance-unit-costs.njk', {
    school,
    costs: costs.map((cost) => ({
      ...cost,
      typed: typed[cost.key] ?? { amount: '', source: '', sourceDate: '' },
    })),
    errors: errors.errorList,
    fieldErrors: errors.fieldErrors,
    saved,
    csrfToken: reply.generateCsrf(),
  });
}
