import type { FastifyPluginAsync } from 'fastify';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { auditFieldsOf, recordAuditEvent } from '../../platform/audit/audit-store.js';
import { rolesGrant } from '../../platform/auth/organisation-access.js';
import type { Database } from '../../platform/db/schema.js';
import { NotFoundError } from '../../platform/http/http-errors.js';
import { parseId, requireSchool } from '../../platform/http/school-scope.js';
import { formatAcademicYear } from '../../platform/http/views.js';
import { formText } from '../../platform/http/form-body.js';
import { chooseYear, renderGapsPage } from './gap-routes.js';
import { measureSections, SUPPRESSED_TEXT } from './gap-sections.js';
import { computeSchoolGaps, listAnalysisYears } from './gap-service.js';
import { listNeedsQuotingSnapshot } from './need-evidence-store.js';
import { NEED_STATUS_LABELS, NEED_STATUS_TAG_CLASSES } from './need-model.js';
import { listNeeds } from './need-store.js';
import { checkSnapshotTitle } from './snapshot-model.js';
import { findSnapshot, listSnapshots, saveSnapshot } from './snapshot-store.js';

export interface SnapshotRoutesOptions {
  db: Kysely<Database>;
}

type SchoolParams = { schoolId: string };
type SnapshotParams = { schoolId: string; snapshotId: string };

const savedQuery = z.object({ notice: z.literal('saved').optional() });

/**
 * Serves the saved analyses of a school. The form on the gaps page posts to `/schools/:schoolId/analyses`
 * to save that page's analysis. The list and each saved analysis's page show the figures as
 * they were saved, who saved them and when, and the needs that quote them.
 */
export const snapshotRoutes: FastifyPluginAsync<SnapshotRoutesOptions> = async (app, { db }) => {
  app.post<{ Params: SchoolParams }>(
    '/schools/:schoolId/analyses',
    { config: { access: 'evidence:add' } },
    async (request, reply) => {
      const school = await requireSchool(db, request.params.schoolId);
      const years = await listAnalysisYears(db, school.id);
      if (years.length === 0) {
        throw new NotFoundError(`School ${school.id} has no pupil data to analyse`);
      }
      const typedYear = formText(request.body, 'year');
      const year = chooseYear(years, typedYear === '' ? {} : { year: typedYear });
      const typedTitle = formText(request.body, 'snapshotTitle');
      const title = checkSnapshotTitle(typedTitle);
      if (!title.ok) {
        request.log.info(
          { organisationId: school.id, academicYear: year },
          'analysis title rejected',
        );
        reply.code(422);
        return renderGapsPage(db, request, reply, school, year, {
          title: typedTitle,
          error: title.error,
        });
      }

      // NOTE: the figures are worked out again here. An import committed after the gaps page was
      // shown would therefore be in the saved copy, which its page then shows as stored.
      const analysis = await computeSchoolGaps(db, school.id, year);
      const snapshotId = await db.transaction().execute(async (trx) => {
        const id = await saveSnapshot(trx, school.id, {
          title: title.title,
          analysis,
          createdBy: request.currentUser?.id ?? null,
        });
        await recordAuditEvent(trx, {
          ...auditFieldsOf(request),
          action: 'analysis-saved',
          organisationId: school.id,
          subjectType: 'analysis',
          subjectId: id,
          details: {
            academicYear: year,
            title: title.title,
            pupils: analysis.pupils,
            summary: `“${title.title}”`,
          },
        });
        return id;
      });
      request.log.info(
        { organisationId: school.id, snapshotId, academicYear: year },
        'analysis saved',
      );
      return reply.redirect(`/schools/${school.id}/analyses/${snapshotId}?notice=saved`, 303);
    },
  );

  app.get<{ Params: SchoolParams }>(
    '/schools/:schoolId/analyses',
    { config: { access: 'school:read' } },
    async (request, reply) => {
      const school = await requireSchool(db, request.params.schoolId);
      const snapshots = await listSnapshots(db, school.id);
      const hasPupilData = (await listAnalysisYears(db, school.id)).length > 0;
      return reply.viewAsync('pages/analyses.njk', {
        school,
        hasPupilData,
        snapshots: snapshots.map((snapshot) => ({
          ...snapshot,
          yearLabel: formatAcademicYear(snapshot.academicYear),
        })),
      });
    },
  );

  app.get<{ Params: SnapshotParams; Querystring: Record<string, string> }>(
    '/schools/:schoolId/analyses/:snapshotId',
    { config: { access: 'school:read' } },
    async (request, reply) => {
      const school = await requireSchool(db, request.params.schoolId);
      const snapshotId = parseId(request.params.snapshotId, 'Saved analysis id');
      const snapshot = await findSnapshot(db, school.id, snapshotId);
      if (!snapshot) {
        throw new NotFoundError(
          `Saved analysis ${snapshotId} does not exist in school ${school.id}`,
        );
      }

      const canAddEvidence = rolesGrant(request.organisationRoles, 'evidence:add');
      const quotedBy = await listNeedsQuotingSnapshot(db, school.id, snapshot.id);
      const needs = canAddEvidence ? await listNeeds(db, school.id) : [];
      const query = savedQuery.safeParse(request.query);
      return reply.viewAsync('pages/analysis.njk', {
        school,
        snapshot,
        justSaved: query.success && query.data.notice === 'saved',
        analysis: snapshot.analysis,
        yearLabel: formatAcademicYear(snapshot.academicYear),
        measures: measureSections(snapshot.analysis),
        suppressedText: SUPPRESSED_TEXT,
        quotedBy,
        canAddEvidence,
        canManageNeeds: rolesGrant(request.organisationRoles, 'needs:manage'),
        needs: needs.map((need) => ({
          ...need,
          statusLabel: NEED_STATUS_LABELS[need.status],
          statusClass: NEED_STATUS_TAG_CLASSES[need.status],
          evidenceHref: `/schools/${school.id}/needs/${need.id}/evidence/new?snapshot=${snapshot.id}`,
        })),
      });
    },
  );
};
