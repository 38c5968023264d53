import type { FastifyPluginAsync } from 'fastify';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { listParentOrganisationsIn } from '../../cycle/finance/joint-store.js';
import { loadAnalysisPupils } from '../../cycle/understand/analysis-store.js';
import { summariseDisadvantage } from '../../cycle/understand/disadvantage-summary.js';
import { PUPIL_PREMIUM_REASON_LABELS } from '../../cycle/understand/pupil-groups.js';
import { listImports } from '../../pupils/import-service.js';
import type { Database } from '../db/schema.js';
import { requireSchool } from '../http/school-scope.js';
import { reachableOrganisationIds, rolesGrant } from '../auth/organisation-access.js';
import { roleGrants } from '../auth/permissions.js';
import { countPupilsByYear, getDelegatedLimit, listSchoolsIn } from './organisation-store.js';
import { formatPence } from './school-settings.js';

export interface OrganisationRoutesOptions {
  db: Kysely<Database>;
}

const FORMAT_LABELS: Readonly<Record<string, string>> = {
  ctf: 'CTF',
  csv: 'CSV',
  xlsx: 'Excel (XLSX)',
};

// `imported` names the import just committed, so the overview can confirm it after the redirect.
// `settings=saved` confirms a change on the settings page.
const overviewQuery = z.object({
  imported: z
    .string()
    .regex(/^\d{1,10}$/)
    .optional(),
  settings: z.literal('saved').optional(),
});

/** The list of schools at `/` and each school's overview at `/schools/:schoolId`. */
export const organisationRoutes: FastifyPluginAsync<OrganisationRoutesOptions> = async (
  app,
  { db },
) => {
  app.get('/', { config: { access: 'signed-in' } }, async (request, reply) => {
    const user = request.currentUser;
    const schools = user ? await listSchoolsIn(db, await reachableOrganisationIds(db, user)) : [];
    const rows = await Promise.all(
      schools.map(async (school) => {
        const [latest] = await countPupilsByYear(db, school.id);
        return { school, latestYear: latest?.academicYear ?? null, pupils: latest?.pupils ?? null };
      }),
    );
    // Trusts and local authorities in which the user reads figures get a link to their
    // joint commissions, the one page so far that belongs to the trust rather than a school.
    const readable = (user?.memberships ?? [])
      .filter((membership) => roleGrants(membership.role, 'school:read'))
      .map((membership) => membership.organisationId);
    const parents = await listParentOrganisationsIn(db, readable);
    return reply.viewAsync('pages/schools.njk', { rows, parents });
  });

  app.get<{ Params: { schoolId: string }; Querystring: Record<string, string> }>(
    '/schools/:schoolId',
    { config: { access: 'school:read' } },
    async (request, reply) => {
      const school = await requireSchool(db, request.params.schoolId);
      const pupilsByYear = await countPupilsByYear(db, school.id);
      const imports = await listImports(db, school.id);
      const latestYear = pupilsByYear[0]?.academicYear;
      const disadvantage =
        latestYear === undefined
          ? null
          : summariseDisadvantage(
              await loadAnalysisPupils(db, school.id, school.laestab, latestYear),
              latestYear,
            );

      const query = overviewQuery.safeParse(request.query);
      const importedId = query.success && query.data.imported ? Number(query.data.imported) : null;
      const justImported =
        imports.find((record) => record.id === importedId && record.status === 'committed') ?? null;
      const delegatedLimit = await getDelegatedLimit(db, school.id);

      return reply.viewAsync('pages/school-overview.njk', {
        school,
        pupilsByYear,
        imports: imports.map((record) => ({
          ...record,
          formatLabel: FORMAT_LABELS[record.format] ?? record.format,
        })),
        justImported,
        settingsSaved: query.success && query.data.settings === 'saved',
        delegatedLimitText: delegatedLimit === null ? null : formatPence(delegatedLimit),
        disadvantage,
        reasonLabels: PUPIL_PREMIUM_REASON_LABELS,
        can: {
          importPupils: rolesGrant(request.organisationRoles, 'pupils:import'),
          invite: rolesGrant(request.organisationRoles, 'users:invite'),
          readAudit: rolesGrant(request.organisationRoles, 'audit:read'),
          setDelegation: rolesGrant(request.organisationRoles, 'delegation:set'),
          manageSettings: rolesGrant(request.organisationRoles, 'settings:manage'),
        },
      });
    },
  );
};
