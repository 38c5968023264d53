import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { Kysely } from 'kysely';
import { auditFieldsOf, recordAuditEvent } from '../../platform/audit/audit-store.js';
import type { Database } from '../../platform/db/schema.js';
import { BadRequestError } from '../../platform/http/http-errors.js';
import { requireSchool } from '../../platform/http/school-scope.js';
import { formatAcademicYear } from '../../platform/http/views.js';
import type { School } from '../../platform/organisations/organisation-store.js';
import { formatFinancialYear, isFinancialYear } from './financial-year.js';
import type { FieldError } from './payment-models.js';
import { bodyText, type SchoolParams } from './route-support.js';
import {
  formOfInputs,
  MAX_INTENT_LENGTH,
  parseStrategyInputs,
  type StrategyInputsForm,
  type TieredPlan,
} from './strategy-inputs.js';
import { readPageQuery } from './strategy-routes.js';
import {
  choosePlans,
  STRATEGY_TIER_HINTS,
  STRATEGY_TIER_LABELS,
  STRATEGY_TIERS,
} from './strategy-statement.js';
import {
  findStrategyInputs,
  listPlanTiers,
  loadStrategyPlans,
  saveStrategyInputs,
  type StrategyChanges,
} from './strategy-store.js';

export interface StrategyInputRoutesOptions {
  db: Kysely<Database>;
}

const INPUTS_PATH = '/schools/:schoolId/finance/strategy-statement/inputs';

/** Names of the inputs in the audit trail's one-line summary. */
const FIELD_NAMES: Readonly<Record<string, string>> = {
  statementOfIntent: 'statement of intent',
  authorisedBy: 'authorised by',
  pupilPremiumLead: 'Pupil Premium lead',
  governorLead: 'governor lead',
  publishedOn: 'date published',
  nextReviewOn: 'date of next review',
  carriedForwardPence: 'carried forward',
};

/**
 * Serves the form at `/schools/:schoolId/finance/strategy-statement/inputs?year=2025` on which
 * a senior leader enters what the year's statement needs and the records cannot supply, and
 * the tier of each plan in it. A valid form is saved with its audit event in one transaction;
 * an invalid one is shown again as typed, with nothing saved.
 */
export const strategyInputRoutes: FastifyPluginAsync<StrategyInputRoutesOptions> = async (
  app,
  { db },
) => {
  app.get<{ Params: SchoolParams; Querystring: Record<string, string> }>(
    INPUTS_PATH,
    { config: { access: 'finance:manage' } },
    async (request, reply) => {
      const school = await requireSchool(db, request.params.schoolId);
      const { year } = readPageQuery(request.query);
      const plans = await plansNeedingTiers(db, school, year);
      const saved = await findStrategyInputs(db, school.id, year);
      const tiers = await listPlanTiers(db, school.id);
      const form = formOfInputs(saved ?? null, tiers, plans);
      return renderInputsForm(reply, school, year, plans, form, []);
    },
  );

  app.post<{ Params: SchoolParams }>(
    INPUTS_PATH,
    { config: { access: 'finance:manage' } },
    async (request, reply) => {
      const school = await requireSchool(db, request.params.schoolId);
      const year = Number(bodyText(request.body, 'year'));
      if (!isFinancialYear(year)) {
        throw new BadRequestError(
          `Hidden field year must be a financial year such as 2025: got ${year}`,
        );
      }
      const plans = await plansNeedingTiers(db, school, year);
      const form = readInputsForm(request.body, plans);
      const parsed = parseStrategyInputs(form, plans);
      if (!parsed.ok) {
        request.log.info(
          {
            organisationId: school.id,
            financialYear: year,
            fields: parsed.errors.map((error) => error.field),
          },
          'strategy statement inputs rejected',
        );
        reply.code(422);
        return renderInputsForm(reply, school, year, plans, form, parsed.errors);
      }

      await db.transaction().execute(async (trx) => {
        const changes = await saveStrategyInputs(
          trx,
          school.id,
          year,
          parsed.inputs,
          parsed.tiers,
          request.currentUser?.id ?? null,
        );
        await recordAuditEvent(trx, {
          ...auditFieldsOf(request),
          action: 'strategy-statement-saved',
          organisationId: school.id,
          subjectType: 'strategy statement',
          subjectId: year,
          details: {
            financialYear: year,
            summary: summariseChanges(changes),
            fields: changes.fields,
            carriedForward: changes.carriedForward,
            tiers: changes.tiers,
          },
        });
      });
      request.log.info(
        { organisationId: school.id, financialYear: year },
        'strategy statement inputs saved',
      );
      return reply.redirect(
        `/schools/${school.id}/finance/strategy-statement?year=${year}&saved=inputs`,
        303,
      );
    },
  );
};

/** Lists the plans in the year's statement, each of which needs a tier on the form. */
async function plansNeedingTiers(
  db: Kysely<Database>,
  school: School,
  year: number,
): Promise<TieredPlan[]> {
  const { included } = choosePlans(await loadStrategyPlans(db, school.id, year), year);
  return included
    .map((plan) => ({ id: plan.id, title: plan.title }))
    .sort((a, b) => a.title.localeCompare(b.title, 'en-GB') || a.id - b.id);
}

function readInputsForm(body: unknown, plans: readonly TieredPlan[]): StrategyInputsForm {
  const date = (name: string) => ({
    day: bodyText(body, `${name}-day`),
    month: bodyText(body, `${name}-month`),
    year: bodyText(body, `${name}-year`),
  });
  return {
    statementOfIntent: bodyText(body, 'statementOfIntent'),
    authorisedBy: bodyText(body, 'authorisedBy'),
    pupilPremiumLead: bodyText(body, 'pupilPremiumLead'),
    governorLead: bodyText(body, 'governorLead'),
    publishedOn: date('publishedOn'),
    nextReviewOn: date('nextReviewOn'),
    carriedForward: bodyText(body, 'carriedForward'),
    tiers: Object.fromEntries(plans.map((plan) => [plan.id, bodyText(body, `tier-${plan.id}`)])),
  };
}

/** Sums up a save in one line for the audit trail, such as "Changed: carried forward". */
function summariseChanges(changes: StrategyChanges): string {
  const parts: string[] = [];
  if (changes.fields.length > 0) {
    parts.push(`Changed: ${changes.fields.map((field) => FIELD_NAMES[field] ?? field).join(', ')}`);
  }
  if (changes.tiers.length > 0) {
    const plans = changes.tiers.length === 1 ? '1 plan' : `${changes.tiers.length} plans`;
    parts.push(`Tier set for ${plans}`);
  }
  return parts.length === 0 ? 'Saved with no changes' : parts.join('. ');
}

async function renderInputsForm(
  reply: FastifyReply,
  school: School,
  year: number,
  plans: readonly TieredPlan[],
  form: StrategyInputsForm,
  errors: readonly FieldError[],
): Promise<string> {
  return reply.viewAsync('pages/finance-strategy-inputs.njk', {
    school,
    year,
    yearLabel: formatFinancialYear(year),
    academicYearLabel: formatAcademicYear(year),
    values: form,
    maxIntentLength: MAX_INTENT_LENGTH,
    plans: plans.map((plan) => ({
      ...plan,
      tierItems: STRATEGY_TIERS.map((tier) => ({
        value: tier,
        text: STRATEGY_TIER_LABELS[tier],
        hint: { text: STRATEGY_TIER_HINTS[tier] },
        checked: form.tiers[plan.id] === tier,
      })),
    })),
    errors: errors.map((error) => ({ text: error.message, href: `#${error.field}` })),
    fieldErrors: errorsByField(errors),
    csrfToken: reply.generateCsrf(),
  });
}

/** Returns the first message of each field, keyed by the field without a date box's suffix. */
function errorsByField(errors: readonly FieldError[]): Record<string, { text: string }> {
  const byField: Record<string, { text: string }> = {};
  for (const error of errors) {
    const field = error.field.replace(/-(day|month|year)$/, '');
    byField[field] ??= { text: error.message };
  }
  return byField;
}
