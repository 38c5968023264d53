import type { FastifyPluginAsync } from 'fastify';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { auditFieldsOf, recordAuditEvent } from '../../platform/audit/audit-store.js';
import type { Database } from '../../platform/db/schema.js';
import { NotFoundError } from '../../platform/http/http-errors.js';
import { requireSchool } from '../../platform/http/school-scope.js';
import { formatAcademicYear } from '../../platform/http/views.js';
import {
  MINIMUM_GROUP_SIZE,
  type GapAnalysis,
  type MeasureComparison,
  type MeasureKind,
} from './gap-analysis.js';
import { renderGapChart, type GapChartRow } from './gap-chart.js';
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

const SUPPRESSED_TEXT = `Suppressed (fewer than ${MINIMUM_GROUP_SIZE} pupils)`;
const NOT_AVAILABLE_TEXT = 'Not available';
const NO_DATA_TEXT = 'No data';

const oneDecimal = new Intl.NumberFormat('en-GB', {
  minimumFractionDigits: 1,
  maximumFractionDigits: 1,
});
const signedOneDecimal = new Intl.NumberFormat('en-GB', {
  minimumFractionDigits: 1,
  maximumFractionDigits: 1,
  signDisplay: 'exceptZero',
});
const signedTick = new Intl.NumberFormat('en-GB', {
  maximumFractionDigits: 2,
  signDisplay: 'exceptZero',
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
      if (years.length === 0) {
        return reply.viewAsync('pages/gaps.njk', {
          school,
          analysis: null,
          yearItems: [],
          measures: [],
        });
      }

      const year = chooseYear(years, request.query);
      const analysis = await computeSchoolGaps(db, school.id, year);
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
      });
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
 * Returns the year requested in `?year=`, or the latest year with data when none is requested.
 * Throws `NotFoundError` for a year with no pupil data, so a mistyped year is not shown as empty.
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

interface MeasureRow {
  label: string;
  suppressed: boolean;
  n: number | null;
  nRest: number | null;
  value: string | null;
  valueRest: string | null;
  gap: string | null;
  interval: string | null;
}

/** Builds one section per measure: its chart and a table of every group against the rest. */
function measureSections(analysis: GapAnalysis) {
  return listMeasures(analysis).map(({ measure, label, kind }) => {
    const comparisons = analysis.groups.map((group) => ({
      group,
      comparison: group.measures.find((item) => item.measure === measure) ?? null,
    }));
    const isRate = kind !== 'mean';
    const id = `measure-${measure.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`;
    const yearLabel = formatAcademicYear(analysis.academicYear);

    const chartRows: GapChartRow[] = comparisons.map(({ group, comparison }) =>
      chartRow(group.label, comparison, isRate),
    );
    const chart = renderGapChart({
      id: `${id}-chart`,
      title: `${label}: gap between each group and the rest of the school, ${yearLabel}`,
      description: chartDescription(chartRows, isRate),
      axisLabel: isRate
        ? 'Gap in percentage points (group minus the rest)'
        : 'Gap in points (group minus the rest)',
      rows: chartRows,
      formatTick: (value) => signedTick.format(value),
    });

    const rows: MeasureRow[] = comparisons.map(({ group, comparison }) =>
      group.suppressed || comparison === null
        ? suppressedRow(group.label)
        : tableRow(group.label, comparison, isRate),
    );

    return {
      id,
      label,
      isRate,
      hasInterval: kind !== 'pooled_rate',
      direction: isHigherBetter(measure) ? 'better' : 'worse',
      chart,
      rows,
    };
  });
}

/** Lists every measure that any group reports, in the order the analysis gives them. */
function listMeasures(
  analysis: GapAnalysis,
): { measure: string; label: string; kind: MeasureKind }[] {
  const seen = new Map<string, { measure: string; label: string; kind: MeasureKind }>();
  for (const group of analysis.groups) {
    for (const { measure, label, kind } of group.measures) {
      if (!seen.has(measure)) seen.set(measure, { measure, label, kind });
    }
  }
  return [...seen.values()];
}

function chartRow(
  label: string,
  comparison: MeasureComparison | null,
  isRate: boolean,
): GapChartRow {
  if (comparison === null || comparison.suppressed) {
    return { label, gap: null, low: null, high: null, note: SUPPRESSED_TEXT };
  }
  if (comparison.gap === null) {
    const note = comparison.reason === 'no-data' ? NO_DATA_TEXT : NOT_AVAILABLE_TEXT;
    return { label, gap: null, low: null, high: null, note };
  }
  const scale = isRate ? 100 : 1;
  return {
    label,
    gap: comparison.gap * scale,
    low: comparison.ciLow === null ? null : comparison.ciLow * scale,
    high: comparison.ciHigh === null ? null : comparison.ciHigh * scale,
    note: null,
  };
}

function chartDescription(rows: readonly GapChartRow[], isRate: boolean): string {
  const unit = isRate ? ' percentage points' : ' points';
  const parts = rows.map((row) => {
    if (row.gap === null) return `${row.label}: ${row.note ?? NOT_AVAILABLE_TEXT}`;
    const interval =
      row.low !== null && row.high !== null
        ? ` (95% interval ${formatSigned(row.low)} to ${formatSigned(row.high)})`
        : '';
    return `${row.label}: ${formatSigned(row.gap)}${unit}${interval}`;
  });
  const key = `Each dot is a group's gap from the rest of the school, and a line shows its 95% confidence interval.`;
  return `${key} ${parts.join('. ')}.`;
}

function tableRow(label: string, comparison: MeasureComparison, isRate: boolean): MeasureRow {
  if (comparison.suppressed) return suppressedRow(label);
  const scale = isRate ? 100 : 1;
  const figure = (value: number | null) =>
    value === null ? null : `${oneDecimal.format(value * scale)}${isRate ? '%' : ''}`;
  const signed = (value: number | null) => (value === null ? null : formatSigned(value * scale));
  const interval =
    comparison.ciLow === null || comparison.ciHigh === null
      ? null
      : `${signed(comparison.ciLow)} to ${signed(comparison.ciHigh)}`;
  return {
    label,
    suppressed: false,
    n: comparison.n,
    nRest: comparison.nRest,
    value: figure(comparison.value),
    valueRest: figure(comparison.valueRest),
    gap: signed(comparison.gap),
    interval,
  };
}

/**
 * True for measures where a higher figure is better for pupils (attendance, assessment results);
 * for the rest (absence, suspensions, exclusions) a higher figure is worse.
 */
function isHigherBetter(measure: string): boolean {
  return measure === 'attendance_rate' || measure.startsWith('assessment:');
}

function suppressedRow(label: string): MeasureRow {
  const empty = { n: null, nRest: null, value: null, valueRest: null, gap: null, interval: null };
  return { label, suppressed: true, ...empty };
}

function formatSigned(value: number): string {
  return signedOneDecimal.format(value);
}
