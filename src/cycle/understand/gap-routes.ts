import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { auditFieldsOf, recordAuditEvent } from '../../platform/audit/audit-store.js';
import type { Database } from '../../platform/db/schema.js';
import { rolesGrant } from '../../platform/auth/organisation-access.js';
import { NotFoundError } from '../../platform/http/http-errors.js';
import { requireSchool } from '../../platform/http/school-scope.js';
import { formatAcademicYear } from '../../platform/http/views.js';
import type { School } from '../../platform/organisations/organisation-store.js';
import type { FormError } from '../../platform/http/form-fields.js';
import { measureSections, SUPPRESSED_TEXT } from './gap-sections.js';
import { computeSchoolGaps, listAnalysisYears } from './gap-service.js';
import { gapAnalysisToCsv } from './gap-table.js';

export interface GapRoutesOptions {
  db: Kysely<Database>;
}

type SchoolParams = { schoolId: string };

const yearQuery = z.object({
  year: z
    .string()
    .regex(/^\d{4}$/)
    .optional(),
});

/**
 * Serves the gap analysis of one school: the page at `/schools/:schoolId/gaps`, its figures as CSV at
 * `/schools/:schoolId/gaps.csv`, and the definitions at `/help/gaps`. `?year=` picks the
 * academic year by its start year; without it, the latest year with pupil data is shown.
 */
export const gapRoutes: FastifyPluginAsync<GapRoutesOptions> = async (app, { db }) => {
  app.get<{ Params: SchoolParams; Querystring: Record<string, string> }>(
    '/schools/:schoolId/gaps',
    { config: { access: 'school:read' } },
    async (request, reply) => {
      const school = await requireSchool(db, request.params.schoolId);
      const years = await listAnalysisYears(db, school.id);
      const year = years.length === 0 ? null : chooseYear(years, request.query);
      return renderGapsPage(db, request, reply, school, year, { title: '', error: null });
    },
  );

  app.get<{ Params: SchoolParams; Querystring: Record<string, string> }>(
    '/schools/:schoolId/gaps.csv',
    { config: { access: 'school:export' } },
    async (request, reply) => {
      const school = await requireSchool(db, request.params.schoolId);
      const years = await listAnalysisYears(db, school.id);
      if (years.length === 0) {
        throw new NotFoundError(`School ${school.id} has no pupil data to analyse`);
      }

      const year = chooseYear(years, request.query);
      const analysis = await computeSchoolGaps(db, school.id, year);
      const fileName = `gaps-${school.laestab}-${formatAcademicYear(year).replace('/', '-')}.csv`;
      await recordAuditEvent(db, {
        ...auditFieldsOf(request),
        action: 'export-downloaded',
        organisationId: school.id,
        subjectType: 'export',
        subjectId: 'gaps',
        details: { file: fileName, academicYear: year },
      });
      return reply
        .type('text/csv; charset=utf-8')
        .header('Content-Disposition', `attachment; filename="${fileName}"`)
        .send(gapAnalysisToCsv(analysis, { byteOrderMark: true }));
    },
  );

  app.get('/help/gaps', { config: { access: 'public' } }, async (_request, reply) =>
    reply.viewAsync('pages/help-gaps.njk', {}),
  );
};

/**
 * Returns the year requested in `?year=` (or a form's `year` field), or the latest year with
 * data when none is requested. Throws `NotFoundError` for a year with no pupil data, so a
 * mistyped year is not shown as empty.
 */
export function chooseYear(years: readonly number[], query: unknown): number {
  const parsed = yearQuery.safeParse(query);
  const latest = years[0];
  if (latest === undefined) throw new NotFoundError('No academic years with pupil data');
  if (!parsed.success) throw new NotFoundError('Invalid year: use a start year such as 2024');
  if (parsed.data.year === undefined) return latest;

  const year = Number(parsed.data.year);
  if (!years.includes(year)) throw new NotFoundError(`No pupil data for academic year ${year}`);
  return year;
}

/** The "Save this analysis" form on the gaps page: the title as typed and any error in it. */
export interface SaveAnalysisForm {
  title: string;
  error: FormError | null;
}

/**
 * Renders the gaps page for one academic year, or the page that says there is no pupil data
 * when `year` is null. People who may add evidence also get the form that saves the analysis.
 */
export async function renderGapsPage(
  db: Kysely<Database>,
  request: FastifyRequest,
  reply: FastifyReply,
  school: School,
  year: number | null,
  saveForm: SaveAnalysisForm,
): Promise<string> {
  if (year === null) {
    return reply.viewAsync('pages/gaps.njk', {
      school,
      analysis: null,
      yearItems: [],
      measures: [],
    });
  }

  const years = await listAnalysisYears(db, school.id);
  const analysis = await computeSchoolGaps(db, school.id, year);
  const canSave = rolesGrant(request.organisationRoles, 'evidence:add');
  return reply.viewAsync('pages/gaps.njk', {
    school,
    analysis,
    yearLabel: formatAcademicYear(year),
    yearItems: years.map((option) => ({
      value: String(option),
      text: formatAcademicYear(option),
      selected: option === year,
    })),
    measures: measureSections(analysis),
    suppressedText: SUPPRESSED_TEXT,
    canSave,
    saveForm,
    errors: saveForm.error === null ? [] : [saveForm.error],
    csrfToken: canSave ? reply.generateCsrf() : null,
  });
}
