import { formatPence } from '../organisations/school-settings.js';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { toCsv, type CsvCell } from '../../exports/csv.js';
import { isRole, ROLE_LABELS } from '../auth/permissions.js';
import type { Database } from '../db/schema.js';
import { requireSchool } from '../http/school-scope.js';
import type { School } from '../organisations/organisation-store.js';
import {
  AUDIT_ACTION_LABELS,
  AUDIT_ACTIONS,
  auditFieldsOf,
  countAuditEvents,
  isAuditAction,
  listAuditEvents,
  listAuditPeople,
  recordAuditEvent,
  type AuditFilter,
  type StoredAuditEvent,
} from './audit-store.js';

export interface AuditRoutesOptions {
  db: Kysely<Database>;
}

/** Events on one page of the audit trail. */
export const AUDIT_PAGE_SIZE = 50;

/** Maximum events in one CSV download, newest first. Narrow the filters to reach older ones. */
export const AUDIT_CSV_MAX_ROWS = 10_000;

type SchoolParams = { schoolId: string };

/** One entry in a GOV.UK error summary, linked to the field to correct. */
interface FormError {
  text: string;
  href: string;
}

/** The filter form's fields as typed, to show them again. */
interface FilterValues {
  action: string;
  person: string;
  from: DateValues;
  to: DateValues;
}

interface DateValues {
  day: string;
  month: string;
  year: string;
}

const auditQuery = z.object({
  action: z.string().optional(),
  person: z.string().optional(),
  'from-day': z.string().optional(),
  'from-month': z.string().optional(),
  'from-year': z.string().optional(),
  'to-day': z.string().optional(),
  'to-month': z.string().optional(),
  'to-year': z.string().optional(),
  page: z.string().optional(),
});

type AuditQuery = z.infer<typeof auditQuery>;

/**
 * Serves the audit trail of one school: a filtered, paged table at `/schools/:schoolId/audit` and the
 * same events as a CSV file at `/schools/:schoolId/audit.csv`. Both take the same GET
 * parameters: `action`, `person` (a user id), the day, month and year of `from` and `to`
 * (inclusive, in UK time), and, for the page only, `page`.
 */
export const auditRoutes: FastifyPluginAsync<AuditRoutesOptions> = async (app, { db }) => {
  app.get<{ Params: SchoolParams; Querystring: Record<string, string> }>(
    '/schools/:schoolId/audit',
    { config: { access: 'audit:read' } },
    async (request, reply) => {
      const school = await requireSchool(db, request.params.schoolId);
      const { filter, values, errors, page } = readFilter(request.query);
      if (errors.length > 0) {
        reply.code(422);
        return renderAuditPage(db, reply, school, {
          values,
          errors,
          events: [],
          total: 0,
          page: 1,
        });
      }

      const total = await countAuditEvents(db, school.id, filter);
      const lastPage = Math.max(1, Math.ceil(total / AUDIT_PAGE_SIZE));
      const shownPage = Math.min(page, lastPage);
      const events = await listAuditEvents(db, school.id, {
        ...filter,
        limit: AUDIT_PAGE_SIZE,
        offset: (shownPage - 1) * AUDIT_PAGE_SIZE,
      });
      return renderAuditPage(db, reply, school, { values, errors, events, total, page: shownPage });
    },
  );

  app.get<{ Params: SchoolParams; Querystring: Record<string, string> }>(
    '/schools/:schoolId/audit.csv',
    { config: { access: 'audit:read' } },
    async (request, reply) => {
      const school = await requireSchool(db, request.params.schoolId);
      const { filter, values, errors } = readFilter(request.query);
      if (errors.length > 0) {
        reply.code(422);
        return renderAuditPage(db, reply, school, {
          values,
          errors,
          events: [],
          total: 0,
          page: 1,
        });
      }

      const events = await listAuditEvents(db, school.id, { ...filter, limit: AUDIT_CSV_MAX_ROWS });
      const fileName = `audit-${school.laestab}-${new Date().toISOString().slice(0, 10)}.csv`;
      await recordAuditEvent(db, {
        ...auditFieldsOf(request),
        action: 'export-downloaded',
        organisationId: school.id,
        subjectType: 'export',
        subjectId: 'audit-trail',
        details: { file: fileName, rows: events.length, filter },
      });
      return reply
        .type('text/csv; charset=utf-8')
        .header('Content-Disposition', `attachment; filename="${fileName}"`)
        .send(auditEventsToCsv(events));
    },
  );
};

/**
 * Writes events as CSV, one row each, with times in UTC. Text that came from users (names,
 * e-mail addresses, details) goes through the CSV writer, which neutralises formulas.
 */
export function auditEventsToCsv(events: readonly StoredAuditEvent[]): string {
  const header: CsvCell[] = [
    'Time (UTC)',
    'Person',
    'Email address',
    'Action code',
    'Action',
    'Subject type',
    'Subject id',
    'Details',
    'Request id',
    'IP address',
  ];
  const rows = events.map((event): CsvCell[] => [
    event.occurredAt,
    event.userName,
    event.userEmail,
    event.action,
    actionLabel(event.action),
    event.subjectType,
    event.subjectId,
    JSON.stringify(event.details),
    event.requestId,
    event.ipAddress,
  ]);
  return toCsv([header, ...rows], { byteOrderMark: true });
}

/**
 * Reads the filter from the query string. A field left empty filters nothing. A date must
 * have all three parts and exist, and `to` must not be before `from`.
 */
function readFilter(query: unknown): {
  filter: AuditFilter;
  values: FilterValues;
  errors: FormError[];
  page: number;
} {
  const parsed = auditQuery.safeParse(query);
  const raw: AuditQuery = parsed.success ? parsed.data : {};
  const values: FilterValues = {
    action: raw.action ?? '',
    person: raw.person ?? '',
    from: {
      day: raw['from-day'] ?? '',
      month: raw['from-month'] ?? '',
      year: raw['from-year'] ?? '',
    },
    to: { day: raw['to-day'] ?? '', month: raw['to-month'] ?? '', year: raw['to-year'] ?? '' },
  };

  const errors: FormError[] = [];
  const filter: AuditFilter = {};
  if (values.action !== '') {
    if (isAuditAction(values.action)) filter.action = values.action;
    else errors.push({ text: 'Select an action from the list', href: '#action' });
  }
  if (values.person !== '') {
    if (/^[1-9]\d{0,9}$/.test(values.person)) filter.userId = Number(values.person);
    else errors.push({ text: 'Select a person from the list', href: '#person' });
  }

  const from = readDate(values.from);
  const to = readDate(values.to);
  if (from === 'invalid') errors.push({ text: 'From date must be a real date', href: '#from-day' });
  else if (from !== null) filter.from = from;
  if (to === 'invalid') errors.push({ text: 'To date must be a real date', href: '#to-day' });
  else if (to !== null) filter.to = to;
  if (filter.from && filter.to && filter.to < filter.from) {
    errors.push({ text: 'To date must be the same as or after the from date', href: '#to-day' });
  }

  const page = raw.page && /^[1-9]\d{0,5}$/.test(raw.page) ? Number(raw.page) : 1;
  return { filter, values, errors, page };
}

/** Returns an ISO date, null when all three parts are empty, or 'invalid'. */
function readDate(date: DateValues): string | null | 'invalid' {
  if (date.day === '' && date.month === '' && date.year === '') return null;
  if (!/^\d{1,2}$/.test(date.day) || !/^\d{1,2}$/.test(date.month) || !/^\d{4}$/.test(date.year))
    return 'invalid';
  const iso = `${date.year}-${date.month.padStart(2, '0')}-${date.day.padStart(2, '0')}`;
  const parsed = new Date(`${iso}T00:00:00Z`);
  // An impossible date such as 31 February rolls over to another day, so compare it back.
  if (Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== iso) return 'invalid';
  return iso;
}

async function renderAuditPage(
  db: Kysely<Database>,
  reply: FastifyReply,
  school: School,
  view: {
    values: FilterValues;
    errors: FormError[];
    events: StoredAuditEvent[];
    total: number;
    page: number;
  },
): Promise<string> {
  const people = await listAuditPeople(db, school.id);
  const lastPage = Math.max(1, Math.ceil(view.total / AUDIT_PAGE_SIZE));
  const filterQuery = queryStringOf(view.values);
  const pageHref = (page: number) =>
    `/schools/${school.id}/audit?${filterQuery}${filterQuery ? '&' : ''}page=${page}`;

  return reply.viewAsync('pages/audit.njk', {
    school,
    errors: view.errors,
    errorFor: Object.fromEntries(view.errors.map((error) => [error.href.slice(1), error.text])),
    values: view.values,
    actionItems: [
      { value: '', text: 'All actions', selected: view.values.action === '' },
      ...AUDIT_ACTIONS.map((action) => ({
        value: action,
        text: AUDIT_ACTION_LABELS[action],
        selected: action === view.values.action,
      })),
    ],
    personItems: [
      { value: '', text: 'Everyone', selected: view.values.person === '' },
      ...people.map((person) => ({
        value: String(person.id),
        text: `${person.displayName} (${person.email})`,
        selected: String(person.id) === view.values.person,
      })),
    ],
    events: view.events.map((event) => ({
      ...event,
      actionLabel: actionLabel(event.action),
      subject: describeSubject(event),
      summary: summariseDetails(event.details),
    })),
    total: view.total,
    page: view.page,
    lastPage,
    firstShown: view.total === 0 ? 0 : (view.page - 1) * AUDIT_PAGE_SIZE + 1,
    lastShown: Math.min(view.page * AUDIT_PAGE_SIZE, view.total),
    previousHref: view.page > 1 ? pageHref(view.page - 1) : null,
    nextHref: view.page < lastPage ? pageHref(view.page + 1) : null,
    csvHref: `/schools/${school.id}/audit.csv${filterQuery ? `?${filterQuery}` : ''}`,
    csvMaxRows: AUDIT_CSV_MAX_ROWS,
  });
}

function queryStringOf(values: FilterValues): string {
  const parameters = new URLSearchParams();
  const add = (name: string, value: string) => {
    if (value !== '') parameters.append(name, value);
  };
  add('action', values.action);
  add('person', values.person);
  for (const part of ['day', 'month', 'year'] as const) add(`from-${part}`, values.from[part]);
  for (const part of ['day', 'month', 'year'] as const) add(`to-${part}`, values.to[part]);
  return parameters.toString();
}

function actionLabel(action: string): string {
  return isAuditAction(action) ? AUDIT_ACTION_LABELS[action] : action;
}

/** Names the record an event is about, such as `Invitation 4`, or null when there is none. */
function describeSubject(event: StoredAuditEvent): string | null {
  if (event.subjectType === null) return null;
  const type = event.subjectType.charAt(0).toUpperCase() + event.subjectType.slice(1);
  return event.subjectId === null ? type : `${type} ${event.subjectId}`;
}

/** Reason a sign-in failed, as the audit table shows it. */
const SIGN_IN_FAILURE_REASONS: Readonly<Record<string, string>> = {
  'wrong-password': 'Wrong email address or password',
  'too-many-attempts': 'Refused: too many failed attempts in 15 minutes',
  'account-disabled': 'Account disabled',
};

function pounds(pence: unknown): string {
  return typeof pence === 'number' ? formatPence(pence) : 'not set';
}

/** Picks the facts from an event's details that the table shows, as short phrases. */
function summariseDetails(details: Record<string, unknown>): string[] {
  const text = (key: string) => (typeof details[key] === 'string' ? details[key] : null);
  const role = (key: string) => {
    const value = text(key);
    return value !== null && isRole(value) ? ROLE_LABELS[value] : value;
  };

  const phrases: string[] = [];
  const email = text('email');
  if (email !== null) phrases.push(email);
  if (role('fromRole') !== null && role('toRole') !== null)
    phrases.push(`${role('fromRole')} to ${role('toRole')}`);
  else if (role('role') !== null) phrases.push(`Role: ${role('role')}`);
  if (text('file') !== null) phrases.push(`File: ${text('file')}`);
  if (typeof details.academicYear === 'number')
    phrases.push(`Academic year starting ${details.academicYear}`);
  const reason = text('reason');
  if (reason !== null) phrases.push(SIGN_IN_FAILURE_REASONS[reason] ?? `Reason: ${reason}`);
  if (details.setting === 'delegatedLimitPence')
    phrases.push(`Delegated limit ${pounds(details.fromPence)} to ${pounds(details.toPence)}`);
  // Events about needs, evidence and the improvement plan carry their own one-line summary.
  const summary = text('summary');
  if (summary !== null) phrases.push(summary);
  if (typeof details.planId === 'number') phrases.push(`Plan ${details.planId}`);
  if (typeof details.amountPence === 'number')
    phrases.push(`Amount ${pounds(details.amountPence)}`);
  if (typeof details.status === 'string')
    phrases.push(`Status: ${details.status.replace('_', ' ')}`);
  if (typeof details.financialYear === 'number')
    phrases.push(`Financial year starting April ${details.financialYear}`);
  return phrases;
}
