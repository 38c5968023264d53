import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { auditFieldsOf, recordAuditEvent } from '../../platform/audit/audit-store.js';
import { rolesGrant } from '../../platform/auth/organisation-access.js';
import type { Database } from '../../platform/db/schema.js';
import { BadRequestError, NotFoundError } from '../../platform/http/http-errors.js';
import { requireSchool } from '../../platform/http/school-scope.js';
import { formatAcademicYear } from '../../platform/http/views.js';
import type { School } from '../../platform/organisations/organisation-store.js';
import { financialYearOf, formatFinancialYear, isFinancialYear } from './financial-year.js';
import { balancePremium } from './funding.js';
import { listFinancePlans, listPremiumFundingLines, loadPremiumPupils } from './funding-store.js';
import {
  allocatePupilPremium,
  countPremiumPupils,
  MissingPremiumRateError,
  PREMIUM_CATEGORIES,
  PREMIUM_CATEGORY_LABELS,
  premiumCensus,
  type PremiumAllocation,
} from './pupil-premium.js';
import { parsePremiumRatesForm } from './reference-forms.js';
import { listPremiumRates, savePremiumRates, type StoredPremiumRate } from './reference-store.js';
import {
  bodyList,
  bodyText,
  errorView,
  NO_ERRORS,
  type ErrorView,
  type SchoolParams,
} from './route-support.js';

export interface PremiumRoutesOptions {
  db: Kysely<Database>;
}

const yearQuery = z.object({
  year: z
    .string()
    .regex(/^\d{4}$/)
    .optional(),
  saved: z.literal('rates').optional(),
});

/** Returns the financial year that today falls in. */
function currentFinancialYear(): number {
  return financialYearOf(new Date().toISOString().slice(0, 10));
}

/**
 * Serves a school's Pupil Premium for one financial year at
 * `/schools/:schoolId/finance/pupil-premium?year=2025` (the allocation worked out from the
 * pupil records, and what plans have committed and spent), and the page at
 * `/schools/:schoolId/finance/rates` where an administrator sets the year's rates.
 * Without `?year=` both pages show the current financial year.
 */
export const premiumRoutes: FastifyPluginAsync<PremiumRoutesOptions> = async (app, { db }) => {
  app.get<{ Params: SchoolParams; Querystring: Record<string, string> }>(
    '/schools/:schoolId/finance/pupil-premium',
    { config: { access: 'school:read' } },
    async (request, reply) => {
      const school = await requireSchool(db, request.params.schoolId);
      const year = chooseYear(request.query);
      const rates = await listPremiumRates(db, school.id);
      const census = premiumCensus(year);
      const pupils = await loadPremiumPupils(db, school.id, census.academicYear);
      const counted = countPremiumPupils(pupils, census.censusDate, school.phase);

      // TODO: the allocation DfE publishes cannot be entered, so the page shows only this estimate.
      let allocation: PremiumAllocation | null = null;
      let missingRates: string | null = null;
      try {
        allocation = allocatePupilPremium(year, counted.counts, rates);
      } catch (error) {
        if (!(error instanceof MissingPremiumRateError)) throw error;
        request.log.info(
          { organisationId: school.id, financialYear: year, categories: error.categories },
          'pupil premium rates missing',
        );
        missingRates = error.message;
      }

      const plans = new Map((await listFinancePlans(db, school.id)).map((plan) => [plan.id, plan]));
      const lines = await listPremiumFundingLines(db, school.id, year);
      const { uses, balance } = balancePremium(allocation?.schoolPence ?? 0, lines);

      return reply.viewAsync('pages/finance-pupil-premium.njk', {
        school,
        year,
        yearLabel: formatFinancialYear(year),
        yearItems: yearItems(rates, year),
        census: { ...census, academicYearLabel: formatAcademicYear(census.academicYear) },
        pupilsOnRoll: pupils.length,
        counted,
        allocation,
        allocationRows: (allocation?.lines ?? []).map((line) => ({
          ...line,
          label: PREMIUM_CATEGORY_LABELS[line.category],
        })),
        missingRates,
        uses: uses.map((use) => ({ ...use, plan: plans.get(use.planId) ?? null })),
        balance,
        canManageRates: rolesGrant(request.organisationRoles, 'reference:manage'),
      });
    },
  );

  app.get<{ Params: SchoolParams; Querystring: Record<string, string> }>(
    '/schools/:schoolId/finance/rates',
    { config: { access: 'reference:manage' } },
    async (request, reply) => {
      const school = await requireSchool(db, request.params.schoolId);
      const year = chooseYear(request.query);
      const rates = await listPremiumRates(db, school.id);
      const query = yearQuery.safeParse(request.query);
      return renderRatesPage(reply, school, year, rates, formOfRates(year, rates), NO_ERRORS, {
        saved: query.success && query.data.saved === 'rates',
      });
    },
  );

  app.post<{ Params: SchoolParams }>(
    '/schools/:schoolId/finance/rates',
    { config: { access: 'reference:manage' } },
    async (request, reply) => {
      const school = await requireSchool(db, request.params.schoolId);
      const year = Number(bodyText(request.body, 'year'));
      if (!isFinancialYear(year)) {
        throw new BadRequestError(
          `Hidden field year must be a financial year such as 2025: got ${year}`,
        );
      }
      const form = {
        source: bodyText(request.body, 'source'),
        amounts: Object.fromEntries(
          PREMIUM_CATEGORIES.map((category) => [
            category,
            bodyText(request.body, `rate-${category}`),
          ]),
        ),
        confirmed: bodyList(request.body, 'confirmed'),
      };
      const parsed = parsePremiumRatesForm(year, form);
      if (!parsed.ok) {
        logRejected(request, school, parsed.errors);
        reply.code(422);
        const rates = await listPremiumRates(db, school.id);
        return renderRatesPage(reply, school, year, rates, form, errorView(parsed.errors), {
          saved: false,
        });
      }

      await db.transaction().execute(async (trx) => {
        const changes = await savePremiumRates(
          trx,
          school.id,
          year,
          parsed.rates,
          request.currentUser?.id ?? null,
        );
        await recordAuditEvent(trx, {
          ...auditFieldsOf(request),
          action: 'reference-data-changed',
          organisationId: school.id,
          subjectType: 'pupil premium rates',
          subjectId: year,
          details: {
            figures: 'premiumRates',
            financialYear: year,
            source: form.source.trim(),
            changes,
          },
        });
      });
      request.log.info(
        { organisationId: school.id, financialYear: year },
        'pupil premium rates saved',
      );
      return reply.redirect(`/schools/${school.id}/finance/rates?year=${year}&saved=rates`, 303);
    },
  );
};

/**
 * Returns the year in `?year=`, or the current financial year. Throws `NotFoundError` for a
 * year that is not four digits from 2000 to 2099.
 */
function chooseYear(query: unknown): number {
  const parsed = yearQuery.safeParse(query);
  if (!parsed.success) throw new NotFoundError('Invalid year: use a start year such as 2025');
  if (parsed.data.year === undefined) return currentFinancialYear();
  const year = Number(parsed.data.year);
  if (!isFinancialYear(year)) throw new NotFoundError(`Financial year ${year} is out of range`);
  return year;
}

/** Years to choose from: every year with rates, this year and next, and the year shown. */
function yearItems(rates: readonly StoredPremiumRate[], shown: number) {
  const thisYear = currentFinancialYear();
  const years = new Set([
    ...rates.map((rate) => rate.financialYear),
    thisYear,
    thisYear + 1,
    shown,
  ]);
  return [...years]
    .sort((a, b) => b - a)
    .map((year) => ({
      value: String(year),
      text: formatFinancialYear(year),
      selected: year === shown,
    }));
}

function formOfRates(year: number, rates: readonly StoredPremiumRate[]) {
  const ofYear = rates.filter((rate) => rate.financialYear === year);
  return {
    source: ofYear[0]?.source ?? '',
    amounts: Object.fromEntries(
      ofYear.map((rate) => [rate.category, (rate.pencePerPupil / 100).toFixed(2)]),
    ) as Record<string, string>,
    confirmed: ofYear.filter((rate) => rate.confirmed).map((rate) => rate.category as string),
  };
}

function logRejected(
  request: FastifyRequest,
  school: School,
  errors: readonly { field: string }[],
): void {
  request.log.info(
    { organisationId: school.id, fields: errors.map((error) => error.field) },
    'pupil premium rates rejected',
  );
}

async function renderRatesPage(
  reply: FastifyReply,
  school: School,
  year: number,
  rates: readonly StoredPremiumRate[],
  typed: { source: string; amounts: Record<string, string>; confirmed: readonly string[] },
  errors: ErrorView,
  notices: { saved: boolean },
): Promise<string> {
  return reply.viewAsync('pages/finance-rates.njk', {
    school,
    year,
    yearLabel: formatFinancialYear(year),
    yearItems: yearItems(rates, year),
    source: typed.source,
    categories: PREMIUM_CATEGORIES.map((category) => ({
      category,
      label: PREMIUM_CATEGORY_LABELS[category],
      amount: typed.amounts[category] ?? '',
      confirmed: typed.confirmed.includes(category),
    })),
    errors: errors.errorList,
    fieldErrors: errors.fieldErrors,
    saved: notices.saved,
    csrfToken: reply.generateCsrf(),
  });
}
