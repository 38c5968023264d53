import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.js';

type Db = Kysely<Database> | Transaction<Database>;

/** Actions the audit trail records. */
export const AUDIT_ACTIONS = [
  'sign-in',
  'sign-in-failed',
  'sign-out',
  'password-changed',
  'password-reset',
  'session-revoked',
  'user-created',
  'invitation-sent',
  'invitation-email-failed',
  'invitation-accepted',
  'invitation-revoked',
  'role-changed',
  'access-removed',
  'import-previewed',
  'import-committed',
  'export-downloaded',
  'pupil-record-viewed',
  'settings-changed',
  'plan-created',
  'plan-changed',
  'plan-submitted',
  'plan-approved',
  'plan-returned',
  'plan-version-started',
  'need-created',
  'need-changed',
  'evidence-added',
  'barrier-added',
  'barrier-removed',
  'barrier-option-added',
  'analysis-saved',
  'priority-added',
  'priority-changed',
  'priority-retired',
  'reference-data-changed',
  'funding-line-added',
  'funding-line-changed',
  'payment-model-saved',
  'outcome-line-recorded',
  'outcome-line-changed',
  'value-inputs-saved',
  'strategy-statement-saved',
  'joint-commission-saved',
  'joint-share-added',
  'joint-share-changed',
  'joint-share-removed',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** Label of each action in the audit trail's table, filter and CSV file. */
export const AUDIT_ACTION_LABELS: Readonly<Record<AuditAction, string>> = {
  'sign-in': 'Signed in',
  'sign-in-failed': 'Sign-in failed',
  'sign-out': 'Signed out',
  'password-changed': 'Password changed',
  'password-reset': 'Password reset',
  'session-revoked': 'Session ended by another user',
  'user-created': 'Account created',
  'invitation-sent': 'Invitation sent',
  'invitation-email-failed': 'Invitation email not sent',
  'invitation-accepted': 'Invitation accepted',
  'invitation-revoked': 'Invitation revoked',
  'role-changed': 'Role changed',
  'access-removed': 'Access removed',
  'import-previewed': 'Import checked',
  'import-committed': 'Pupil data loaded',
  'export-downloaded': 'File downloaded',
  'pupil-record-viewed': 'Pupil record viewed',
  'settings-changed': 'Settings changed',
  'plan-created': 'Plan started',
  'plan-changed': 'Plan changed',
  'plan-submitted': 'Plan submitted for approval',
  'plan-approved': 'Plan approved',
  'plan-returned': 'Plan returned for changes',
  'plan-version-started': 'New plan version started',
  'need-created': 'Need recorded',
  'need-changed': 'Need changed',
  'evidence-added': 'Evidence added',
  'barrier-added': 'Barrier added to a need',
  'barrier-removed': 'Barrier removed from a need',
  'barrier-option-added': 'Barrier added to the school’s list',
  'analysis-saved': 'Analysis saved',
  'priority-added': 'Improvement priority added',
  'priority-changed': 'Improvement priority changed',
  'priority-retired': 'Improvement priority retired',
  'reference-data-changed': 'Reference figures changed',
  'funding-line-added': 'Funding added',
  'funding-line-changed': 'Funding changed',
  'payment-model-saved': 'Payment model saved',
  'outcome-line-recorded': 'Outcome recorded for settlement',
  'outcome-line-changed': 'Outcome for settlement changed',
  'value-inputs-saved': 'Value-for-money figures saved',
  'strategy-statement-saved': 'Pupil Premium strategy statement saved',
  'joint-commission-saved': 'Joint commission shares saved',
  'joint-share-added': 'School joined a joint commission',
  'joint-share-changed': 'School’s share of a joint commission changed',
  'joint-share-removed': 'School left a joint commission',
};

export function isAuditAction(value: string): value is AuditAction {
  return (AUDIT_ACTIONS as readonly string[]).includes(value);
}

export interface AuditEvent {
  action: AuditAction;
  userId: number | null;
  organisationId: number | null;
  subjectType?: string | null;
  subjectId?: string | number | null;
  /** Facts of the event, stored as JSON. Never pupil names, UPNs or other personal data. */
  details?: Record<string, unknown>;
  requestId?: string | null;
  ipAddress?: string | null;
}

export interface StoredAuditEvent {
  id: number;
  occurredAt: string;
  userId: number | null;
  userEmail: string | null;
  userName: string | null;
  organisationId: number | null;
  action: string;
  subjectType: string | null;
  subjectId: string | null;
  details: Record<string, unknown>;
  requestId: string | null;
  ipAddress: string | null;
}

/**
 * Appends one event to the audit trail. Pass the transaction that makes the change, so the
 * event is kept exactly when the change is.
 */
export async function recordAuditEvent(db: Db, event: AuditEvent): Promise<void> {
  await db
    .insertInto('audit_events')
    .values({
      occurred_at: new Date().toISOString(),
      user_id: event.userId,
      organisation_id: event.organisationId,
      action: event.action,
      subject_type: event.subjectType ?? null,
      subject_id:
        event.subjectId === undefined || event.subjectId === null ? null : String(event.subjectId),
      details: JSON.stringify(event.details ?? {}),
      request_id: event.requestId ?? null,
      ip_address: event.ipAddress ?? null,
    })
    .execute();
}

/** The parts of a Fastify request that an audit event records. */
export interface AuditedRequest {
  id: string;
  ip: string;
  currentUser?: { id: number } | null;
}

/**
 * Returns the acting user, request id and IP address of a request, to spread into an
 * `AuditEvent`. The user is null when the request has no signed-in user.
 */
export function auditFieldsOf(
  request: AuditedRequest,
): Pick<AuditEvent, 'userId' | 'requestId' | 'ipAddress'> {
  return {
    userId: request.currentUser?.id ?? null,
    requestId: request.id,
    ipAddress: request.ip,
  };
}

/**
 * Appends an event about a person's account (sign-in, sign-out, password change) once for each
 * organisation they belong to, so that each organisation's trail shows it. An event without a
 * known user, or for a user with no organisation, is kept once with no organisation.
 */
export async function recordAccountEvent(
  db: Db,
  event: Omit<AuditEvent, 'organisationId'>,
): Promise<void> {
  const memberships =
    event.userId === null
      ? []
      : await db
          .selectFrom('memberships')
          .select('organisation_id')
          .where('user_id', '=', event.userId)
          .execute();
  if (memberships.length === 0) {
    await recordAuditEvent(db, { ...event, organisationId: null });
    return;
  }
  for (const membership of memberships) {
    await recordAuditEvent(db, { ...event, organisationId: membership.organisation_id });
  }
}

export interface AuditFilter {
  action?: string;
  userId?: number;
  /**
   * First and last day to include, inclusive, as ISO dates (`YYYY-MM-DD`). A day is a calendar
   * day in England (Europe/London), matching the times the pages show.
   */
  from?: string;
  to?: string;
  /** Maximum events returned, 1,000 when absent. */
  limit?: number;
  /** Events to skip, newest first, for paging, 0 when absent. */
  offset?: number;
}

/** Lists one organisation's audit events, newest first. */
export async function listAuditEvents(
  db: Db,
  organisationId: number,
  filter: AuditFilter = {},
): Promise<StoredAuditEvent[]> {
  const rows = await filteredEvents(db, organisationId, filter)
    .leftJoin('users', 'users.id', 'audit_events.user_id')
    .select([
      'audit_events.id',
      'audit_events.occurred_at',
      'audit_events.user_id',
      'users.email',
      'users.display_name',
      'audit_events.organisation_id',
      'audit_events.action',
      'audit_events.subject_type',
      'audit_events.subject_id',
      'audit_events.details',
      'audit_events.request_id',
      'audit_events.ip_address',
    ])
    .orderBy('audit_events.id', 'desc')
    .limit(filter.limit ?? 1000)
    .offset(filter.offset ?? 0)
    .execute();
  return rows.map((row) => ({
    id: row.id,
    occurredAt: row.occurred_at,
    userId: row.user_id,
    userEmail: row.email,
    userName: row.display_name,
    organisationId: row.organisation_id,
    action: row.action,
    subjectType: row.subject_type,
    subjectId: row.subject_id,
    details: JSON.parse(row.details) as Record<string, unknown>,
    requestId: row.request_id,
    ipAddress: row.ip_address,
  }));
}

/** Counts one organisation's audit events that match `filter`, ignoring its limit and offset. */
export async function countAuditEvents(
  db: Db,
  organisationId: number,
  filter: AuditFilter = {},
): Promise<number> {
  const row = await filteredEvents(db, organisationId, filter)
    .select((eb) => eb.fn.countAll<number>().as('events'))
    .executeTakeFirstOrThrow();
  return Number(row.events);
}

/** A person who appears in an organisation's audit trail, for the trail's filter. */
export interface AuditPerson {
  id: number;
  displayName: string;
  email: string;
}

/** Lists everyone who acted in an organisation's audit trail, by name. */
export async function listAuditPeople(db: Db, organisationId: number): Promise<AuditPerson[]> {
  const rows = await db
    .selectFrom('users')
    .select(['users.id', 'users.display_name', 'users.email'])
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('audit_events')
          .select('audit_events.id')
          .whereRef('audit_events.user_id', '=', 'users.id')
          .where('audit_events.organisation_id', '=', organisationId),
      ),
    )
    .orderBy('users.display_name')
    .orderBy('users.id')
    .execute();
  return rows.map((row) => ({ id: row.id, displayName: row.display_name, email: row.email }));
}

function filteredEvents(db: Db, organisationId: number, filter: AuditFilter) {
  let query = db
    .selectFrom('audit_events')
    .where('audit_events.organisation_id', '=', organisationId);
  if (filter.action) query = query.where('audit_events.action', '=', filter.action);
  if (filter.userId !== undefined) query = query.where('audit_events.user_id', '=', filter.userId);
  if (filter.from)
    query = query.where('audit_events.occurred_at', '>=', londonDayStart(filter.from));
  if (filter.to)
    query = query.where('audit_events.occurred_at', '<', londonDayStart(nextDay(filter.to)));
  return query;
}

const londonOffset = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  timeZoneName: 'longOffset',
});

/**
 * Returns the UTC instant, as an ISO timestamp, at which a calendar day begins in England:
 * `2026-07-01` begins at `2026-06-30T23:00:00.000Z` in British Summer Time. Clocks change at
 * 01:00 UTC, never at midnight, so the offset at midnight UTC is the offset at local midnight.
 */
export function londonDayStart(isoDate: string): string {
  const midnightUtc = new Date(`${isoDate}T00:00:00Z`);
  const zone = londonOffset.formatToParts(midnightUtc).find((part) => part.type === 'timeZoneName');
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(zone?.value ?? '');
  const offsetMinutes = match
    ? (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3]))
    : 0;
  return new Date(midnightUtc.getTime() - offsetMinutes * 60 * 1000).toISOString();
}

function nextDay(isoDate: string): string {
  const date = new Date(`${isoDate}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + 1);
  return date.toISOString().slice(0, 10);
}
