import type { FastifyPluginAsync } from 'fastify';
import type { Kysely } from 'kysely';
import { auditFieldsOf, recordAuditEvent } from '../../platform/audit/audit-store.js';
import type { Database } from '../../platform/db/schema.js';
import { NotFoundError } from '../../platform/http/http-errors.js';
import { parseId } from '../../platform/http/school-scope.js';
import { SHARE_BASIS_LABELS } from './cost-shares.js';
import { jointCommissionsToCsv } from './joint-csv.js';
import { describeBudgetChange, formatShareFigure } from './joint-shares.js';
import {
  findParentOrganisation,
  listJointCommissionsBeneath,
  type OverseenJointCommission,
  type ParentOrganisation,
} from './joint-store.js';

export interface JointTrustRoutesOptions {
  db: Kysely<Database>;
}

type OrganisationParams = { organisationId: string };

/**
 * Serves the whole view of a trust's or local authority's joint commissions at
 * `/organisations/:organisationId/joint-commissions`, with every school's share and the
 * total, and the same figures as CSV. Access control resolves `:organisationId` to the trust
 * itself, so only roles held in the trust, such as a trust officer, reach these pages. A
 * school's own staff do not. Each download is recorded in the trust's audit trail.
 */
export const jointTrustRoutes: FastifyPluginAsync<JointTrustRoutesOptions> = async (
  app,
  { db },
) => {
  app.get<{ Params: OrganisationParams }>(
    '/organisations/:organisationId/joint-commissions',
    { config: { access: 'school:read' } },
    async (request, reply) => {
      const organisation = await requireParentOrganisation(db, request.params.organisationId);
      const commissions = await listJointCommissionsBeneath(db, organisation.id);
      return reply.viewAsync('pages/trust-joint-commissions.njk', {
        organisation,
        commissions: commissions.map(describeCommission),
      });
    },
  );

  app.get<{ Params: OrganisationParams }>(
    '/organisations/:organisationId/joint-commissions.csv',
    { config: { access: 'school:export' } },
    async (request, reply) => {
      const organisation = await requireParentOrganisation(db, request.params.organisationId);
      const commissions = await listJointCommissionsBeneath(db, organisation.id);
      const fileName = `joint-commissions-${organisation.id}-${new Date().toISOString().slice(0, 10)}.csv`;
      const rows = commissions.reduce((sum, commission) => sum + commission.shares.length, 0);

      // TODO: no page shows a trust's audit trail yet, because /schools/:schoolId/audit
      // serves schools only.
      await recordAuditEvent(db, {
        ...auditFieldsOf(request),
        action: 'export-downloaded',
        organisationId: organisation.id,
        subjectType: 'export',
        subjectId: 'joint-commissions',
        details: { file: fileName, rows },
      });
      request.log.info(
        { organisationId: organisation.id, commissions: commissions.length, rows },
        'joint commissions downloaded',
      );
      return reply
        .type('text/csv; charset=utf-8')
        .header('Content-Disposition', `attachment; filename="${fileName}"`)
        .send(jointCommissionsToCsv(commissions));
    },
  );
};

/**
 * Finds the trust or local authority an `:organisationId` URL parameter names. Throws
 * `NotFoundError` for a malformed id, a school, a provider or no match.
 */
async function requireParentOrganisation(
  db: Kysely<Database>,
  param: string | undefined,
): Promise<ParentOrganisation> {
  const id = parseId(param, 'Organisation id');
  const organisation = await findParentOrganisation(db, id);
  if (!organisation) {
    throw new NotFoundError(`Organisation ${id} is not a trust or local authority`);
  }
  return organisation;
}

function describeCommission(commission: OverseenJointCommission) {
  return {
    id: commission.id,
    planTitle: commission.planTitle,
    leadSchoolName: commission.leadSchoolName,
    basisLabel: SHARE_BASIS_LABELS[commission.basis],
    totalPence: commission.totalPence,
    budgetChange: describeBudgetChange(commission.totalPence, commission.budgetPence),
    rows: commission.shares.map((share, index) => ({
      schoolName: share.schoolName,
      isLead: index === 0,
      figure: formatShareFigure(commission.basis, share.weight),
      pence: share.pence,
    })),
  };
}
