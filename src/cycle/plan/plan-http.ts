import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { rolesGrant } from '../../platform/auth/organisation-access.js';
import {
  auditFieldsOf,
  recordAuditEvent,
  type AuditAction,
} from '../../platform/audit/audit-store.js';
import type { Database } from '../../platform/db/schema.js';
import { formText } from '../../platform/http/form-body.js';
import { NotFoundError } from '../../platform/http/http-errors.js';
import { parseId } from '../../platform/http/school-scope.js';
import type { DateParts } from './date-input.js';
import { loadPlanView, type PlanView } from './plan-service.js';
import type { FieldError } from './smart-outcomes.js';

type Db = Kysely<Database>;

export type PlanParams = { schoolId: string; planId: string };

/** Loads the plan in the URL for the school in the URL, or throws `NotFoundError`. */
export async function requirePlanView(
  db: Db,
  organisationId: number,
  planIdText: string,
  versionText?: string,
): Promise<PlanView> {
  const planId = parseId(planIdText, 'Plan id');
  const version = versionText === undefined ? null : parseId(versionText, 'Plan version');
  const view = await loadPlanView(db, organisationId, planId, version);
  if (!view)
    throw new NotFoundError(`Plan ${planId} does not exist in organisation ${organisationId}`);
  return view;
}

/** Builds the error summary's list, in which each error links to its field. */
export function errorList(errors: readonly FieldError[]): Array<{ text: string; href: string }> {
  return errors.map((error) => ({ text: error.text, href: `#${error.field}` }));
}

/** Picks each field's first error, for the message shown at the field. */
export function errorsByField(errors: readonly FieldError[]): Record<string, string> {
  const byField: Record<string, string> = {};
  for (const error of errors) {
    const field = error.field.replace(/-(day|month|year)$/, '');
    byField[field] ??= error.text;
  }
  return byField;
}

/** A form field's text, or an empty string when it is missing or not text. */
export const text = formText;

/** Reads the three boxes of the GOV.UK date input named `name`. */
export function dateParts(body: unknown, name: string): DateParts {
  return {
    day: text(body, `${name}-day`),
    month: text(body, `${name}-month`),
    year: text(body, `${name}-year`),
  };
}

/** Lists the plan actions the user may take at this school, for the templates. */
export function planPermissions(request: FastifyRequest): { write: boolean; approve: boolean } {
  return {
    write: rolesGrant(request.organisationRoles, 'plans:write'),
    approve: rolesGrant(request.organisationRoles, 'plans:approve'),
  };
}

export async function recordPlanEvent(
  db: Db | Parameters<typeof recordAuditEvent>[0],
  request: FastifyRequest,
  action: AuditAction,
  organisationId: number,
  planId: number,
  details: Record<string, unknown>,
): Promise<void> {
  await recordAuditEvent(db, {
    ...auditFieldsOf(request),
    action,
    organisationId,
    subjectType: 'plan',
    subjectId: String(planId),
    details,
  });
}
