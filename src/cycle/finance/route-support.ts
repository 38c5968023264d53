/** Helpers the Finance routes share: finding the plan in the URL, reading forms, and errors. */
import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { rolesGrant } from '../../platform/auth/organisation-access.js';
import type { Database } from '../../platform/db/schema.js';
import { NotFoundError } from '../../platform/http/http-errors.js';
import { parseId } from '../../platform/http/school-scope.js';
import type { School } from '../../platform/organisations/organisation-store.js';
import { findFinancePlan, type FinancePlan } from './funding-store.js';
import type { FieldError } from './payment-models.js';

export type SchoolParams = { schoolId: string };
export type PlanParams = { schoolId: string; planId: string };

/**
 * Finds the plan a `:planId` URL parameter names among the school's plans. Throws
 * `NotFoundError` for a malformed id or a plan of another school, so neither is revealed.
 */
export async function requirePlan(
  db: Kysely<Database>,
  school: School,
  planIdParam: string | undefined,
): Promise<FinancePlan> {
  const planId = parseId(planIdParam, 'Plan id');
  const plan = await findFinancePlan(db, school.id, planId);
  if (!plan) throw new NotFoundError(`Plan ${planId} does not exist for school ${school.id}`);
  return plan;
}

const formBody = z.record(z.string(), z.union([z.string(), z.array(z.string())]));

/** Returns a form field's text as typed, or '' when the field is missing or repeated. */
export function bodyText(body: unknown, name: string): string {
  const parsed = formBody.safeParse(body ?? {});
  const value = parsed.success ? parsed.data[name] : undefined;
  return typeof value === 'string' ? value : '';
}

/** Returns every value of a field that may repeat, such as a group of checkboxes. */
export function bodyList(body: unknown, name: string): string[] {
  const parsed = formBody.safeParse(body ?? {});
  const value = parsed.success ? parsed.data[name] : undefined;
  if (value === undefined) return [];
  return typeof value === 'string' ? [value] : value;
}

/** Errors shaped for the GOV.UK error summary and for the message at each field. */
export interface ErrorView {
  errorList: { text: string; href: string }[];
  /** Message of each field, by field id, for the macros' `errorMessage`. */
  fieldErrors: Record<string, { text: string }>;
}

/**
 * Shapes field errors for a page. A date field's summary link goes to its day box, which the
 * GOV.UK date input names `<id>-day`. Every other link goes to the field's own id.
 */
export function errorView(
  errors: readonly FieldError[],
  dateFields: readonly string[] = [],
): ErrorView {
  return {
    errorList: errors.map((error) => ({
      text: error.message,
      href: dateFields.includes(error.field) ? `#${error.field}-day` : `#${error.field}`,
    })),
    fieldErrors: Object.fromEntries(errors.map((error) => [error.field, { text: error.message }])),
  };
}

export const NO_ERRORS: ErrorView = { errorList: [], fieldErrors: {} };

/** True when the signed-in user may change this school's finance records. */
export function canManageFinance(request: FastifyRequest): boolean {
  return rolesGrant(request.organisationRoles, 'finance:manage');
}

/** Splits an ISO date into the three boxes of the GOV.UK date input, or empty boxes. */
export function dateParts(isoDate: string | null): { day: string; month: string; year: string } {
  if (isoDate === null) return { day: '', month: '', year: '' };
  const [year = '', month = '', day = ''] = isoDate.split('-');
  return { day: String(Number(day)), month: String(Number(month)), year };
}
