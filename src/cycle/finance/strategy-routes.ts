import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { buildStrategyStatementDocument } from '../../exports/docx/strategy-statement.js';
import { strategyStatementCsv } from '../../exports/strategy-statement-csv.js';
import { fundingOverviewRows, schoolOverviewRows } from '../../exports/strategy-statement-data.js';
import { auditFieldsOf, recordAuditEvent } from '../../platform/audit/audit-store.js';
import { rolesGrant } from '../../platform/auth/organisation-access.js';
import type { Database } from '../../platform/db/schema.js';
import { NotFoundError } from '../../platform/http/http-errors.js';
import { requireSchool } from '../../platform/http/school-scope.js';
import { formatAcademicYear } from '../../platform/http/views.js';
import type { School } from '../../platform/organisations/organisation-store.js';
import { londonToday } from '../../platform/http/form-fields.js';
import { financialYearOf, formatFinancialYear, isFinancialYear } from './financial-year.js';
import { canManageFinance, type SchoolParams } from './route-support.js';
import { loadStrategySources } from './strategy-sources.js';
import {
  assembleStrategyStatement,
  OUTCOMES_REVIEW_GAP,
  STRATEGY_TIER_DATA_KEYS,
  STRATEGY_TIER_LABELS,
  STRATEGY_TIERS,
  type StrategyAssembly,
  type StrategySources,
} from './strategy-statement.js';

export interface StrategyRoutesOptions {
  db: Kysely<Database>;
}

const WORD_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

const pageQuery = z.object({
  year: z
    .string()
    .regex(/^\d{4}$/)
    .optional(),
  saved: z.literal('inputs').optional(),
});

/**
 * Serves the Pupil Premium strategy statement of one financial year at
 * `/schools/:schoolId/finance/strategy-statement?year=2025`, assembled from the school's
 * records, and its downloads as a Word document (`strategy-statement.docx?year=`) and as CSV
 * (`strategy-statement.csv?year=`). Without `?year=` each shows the current financial year.
 * While the year has no Pupil Premium rate for a category with pupils, the downloads send the
 * visitor back to the page, which names the missing rate.
 */
export const strategyRoutes: FastifyPluginAsync<StrategyRoutesOptions> = async (app, { db }) => {
  app.get<{ Params: SchoolParams; Querystring: Record<string, string> }>(
    '/schools/:schoolId/finance/strategy-statement',
    { config: { access: 'school:read' } },
    async (request, reply) => {
      const school = await requireSchool(db, request.params.schoolId);
      const query = readPageQuery(request.query);
      const sources = await loadStrategySources(db, school, query.year);
      const assembly = assembleStrategyStatement(sources);
      return renderStatementPage(request, reply, school, sources, assembly, query.saved);
    },
  );

  app.get<{ Params: SchoolParams; Querystring: Record<string, string> }>(
    '/schools/:schoolId/finance/strategy-statement.docx',
    { config: { access: 'school:export' } },
    async (request, reply) => {
      const school = await requireSchool(db, request.params.schoolId);
      const { year } = readPageQuery(request.query);
      const sources = await loadStrategySources(db, school, year);
      if (sources.allocation.kind === 'missing_rates') {
        return sendBackToPage(request, reply, school, year);
      }

      const document = await buildStrategyStatementDocument(
        assembleStrategyStatement(sources).data,
      );
      const fileName = `pupil-premium-strategy-statement-${formatFinancialYear(year)}.docx`;
      await recordDownload(request, school, year, fileName);
      return reply
        .type(WORD_TYPE)
        .header('Content-Disposition', `attachment; filename="${fileName}"`)
        .send(document);
    },
  );

  app.get<{ Params: SchoolParams; Querystring: Record<string, string> }>(
    '/schools/:schoolId/finance/strategy-statement.csv',
    { config: { access: 'school:export' } },
    async (request, reply) => {
      const school = await requireSchool(db, request.params.schoolId);
      const { year } = readPageQuery(request.query);
      const sources = await loadStrategySources(db, school, year);
      if (sources.allocation.kind === 'missing_rates') {
        return sendBackToPage(request, reply, school, year);
      }

      const csv = strategyStatementCsv(assembleStrategyStatement(sources).data);
      const fileName = `pupil-premium-strategy-statement-${formatFinancialYear(year)}.csv`;
      await recordDownload(request, school, year, fileName);
      return reply
        .type('text/csv; charset=utf-8')
        .header('Content-Disposition', `attachment; filename="${fileName}"`)
        .send(csv);
    },
  );

  async function recordDownload(
    request: FastifyRequest,
    school: School,
    year: number,
    fileName: string,
  ): Promise<void> {
    await recordAuditEvent(db, {
      ...auditFieldsOf(request),
      action: 'export-downloaded',
      organisationId: school.id,
      subjectType: 'strategy statement',
      subjectId: year,
      details: { file: fileName, financialYear: year },
    });
  }
};

/**
 * Reads `?year=` and `?saved=`. Without a year it is the financial year today falls in.
 * Throws `NotFoundError` for a malformed query or a year outside 2000 to 2099.
 */
export function readPageQuery(query: unknown): { year: number; saved: boolean } {
  const parsed = pageQuery.safeParse(query);
  if (!parsed.success) throw new NotFoundError('Invalid year: use a start year such as 2025');
  const saved = parsed.data.saved === 'inputs';
  if (parsed.data.year === undefined) {
    return { year: financialYearOf(londonToday()), saved };
  }
  const year = Number(parsed.data.year);
  if (!isFinancialYear(year)) throw new NotFoundError(`Financial year ${year} is out of range`);
  return { year, saved };
}

function sendBackToPage(
  request: FastifyRequest,
  reply: FastifyReply,
  school: School,
  year: number,
): FastifyReply {
  request.log.info(
    { organisationId: school.id, financialYear: year },
    'strategy statement download refused: pupil premium rates missing',
  );
  return reply.redirect(`/schools/${school.id}/finance/strategy-statement?year=${year}`, 303);
}

/** Years to choose from: last year, this year, next year and the year shown, latest first. */
function yearItems(selectedYear: number) {
  const thisYear = financialYearOf(londonToday());
  const years = new Set([thisYear + 1, thisYear, thisYear - 1, selectedYear]);
  return [...years]
    .sort((a, b) => b - a)
    .map((year) => ({
      value: String(year),
      text: formatFinancialYear(year),
      selected: year === selectedYear,
    }));
}

async function renderStatementPage(
  request: FastifyRequest,
  reply: FastifyReply,
  school: School,
  sources: StrategySources,
  assembly: StrategyAssembly,
  saved: boolean,
): Promise<string> {
  const { data, figures } = assembly;
  const year = sources.financialYear;
  const canExport = rolesGrant(request.organisationRoles, 'school:export');

  return reply.viewAsync('pages/finance-strategy-statement.njk', {
    school,
    year,
    yearLabel: formatFinancialYear(year),
    academicYearLabel: formatAcademicYear(year),
    yearItems: yearItems(year),
    saved,
    data,
    figures,
    schoolRows: schoolOverviewRows(data, figures),
    fundingRows: fundingOverviewRows(data, figures),
    tiers: STRATEGY_TIERS.map((tier) => ({
      label: STRATEGY_TIER_LABELS[tier],
      data: data.activity[STRATEGY_TIER_DATA_KEYS[tier]],
    })),
    plans: assembly.plans.map((plan) => ({
      ...plan,
      tierLabel: plan.tier === null ? null : STRATEGY_TIER_LABELS[plan.tier],
    })),
    plansWithoutTier: assembly.plans.filter((plan) => plan.tier === null),
    leftOut: assembly.leftOut,
    roll: sources.roll,
    rollYearLabel: sources.roll === null ? null : formatAcademicYear(sources.roll.academicYear),
    allocation: sources.allocation,
    censusYearLabel:
      sources.allocation.kind === 'no_census_pupils'
        ? formatAcademicYear(sources.allocation.academicYear)
        : null,
    inputsSaved: sources.inputs !== null,
    outcomesReviewGap: OUTCOMES_REVIEW_GAP,
    downloads:
      canExport && sources.allocation.kind !== 'missing_rates'
        ? {
            docx: `/schools/${school.id}/finance/strategy-statement.docx?year=${year}`,
            csv: `/schools/${school.id}/finance/strategy-statement.csv?year=${year}`,
          }
        : null,
    canExport,
    canManage: canManageFinance(request),
    canManageRates: rolesGrant(request.organisationRoles, 'reference:manage'),
  });
}
