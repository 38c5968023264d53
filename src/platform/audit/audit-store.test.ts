import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createTestDatabase,
  DIALECTS,
  type TestDatabase,
} from '../../../test/helpers/databases.js';
import { addMembership, createUser } from '../auth/user-store.js';
import { createSchool } from '../organisations/organisation-store.js';
import {
  auditFieldsOf,
  countAuditEvents,
  listAuditEvents,
  listAuditPeople,
  londonDayStart,
  recordAccountEvent,
  recordAuditEvent,
  type AuditAction,
} from './audit-store.js';

describe('london day start', () => {
  it.each([
    ['2026-01-15', '2026-01-15T00:00:00.000Z'],
    ['2026-07-01', '2026-06-30T23:00:00.000Z'],
    ['2026-03-29', '2026-03-29T00:00:00.000Z'],
    ['2026-03-30', '2026-03-29T23:00:00.000Z'],
    ['2026-10-25', '2026-10-24T23:00:00.000Z'],
    ['2026-10-26', '2026-10-26T00:00:00.000Z'],
  ])('%s begins at %s', (date, instant) => {
    expect(londonDayStart(date)).toBe(instant);
  });
});

describe('audit fields of a request', () => {
  it('takes user, id and address', () => {
    const fields = auditFieldsOf({ id: 'req-1', ip: '127.0.0.1', currentUser: { id: 7 } });

    expect(fields).toEqual({ userId: 7, requestId: 'req-1', ipAddress: '127.0.0.1' });
  });

  it('has no user when signed out', () => {
    expect(auditFieldsOf({ id: 'req-2', ip: '::1', currentUser: null }).userId).toBeNull();
  });
});

describe.each(DIALECTS)('audit store on %s', (dialect) => {
  let database: TestDatabase;
  let schoolId: number;
  let otherSchoolId: number;
  let headId: number;
  let clerkId: number;

  beforeEach(async () => {
    database = await createTestDatabase(dialect);
    schoolId = (await createSchool(database.db, { laestab: '8014001', name: 'Brookfield Academy' }))
      .id;
    otherSchoolId = (await createSchool(database.db, { laestab: '8014002', name: 'Other School' }))
      .id;
    headId = (await createUser(database.db, { email: 'head@school.invalid', displayName: 'Sam' }))
      .id;
    clerkId = (await createUser(database.db, { email: 'clerk@school.invalid', displayName: 'Al' }))
      .id;
  });

  afterEach(async () => {
    await database.destroy();
  });

  /** Inserts an event at a given time, bypassing `recordAuditEvent`'s clock. */
  async function insertAt(
    occurredAt: string,
    action: AuditAction,
    userId: number | null,
    organisationId = schoolId,
  ) {
    await database.db
      .insertInto('audit_events')
      .values({
        occurred_at: occurredAt,
        user_id: userId,
        organisation_id: organisationId,
        action,
        subject_type: null,
        subject_id: null,
        details: '{}',
        request_id: null,
        ip_address: null,
      })
      .execute();
  }

  it('records and lists an event', async () => {
    await recordAuditEvent(database.db, {
      action: 'invitation-sent',
      userId: headId,
      organisationId: schoolId,
      subjectType: 'invitation',
      subjectId: 4,
      details: { email: 'jo@school.invalid', role: 'governor' },
      requestId: 'req-1',
      ipAddress: '127.0.0.1',
    });

    const [event] = await listAuditEvents(database.db, schoolId);

    expect(event?.action).toBe('invitation-sent');
    expect(event?.userEmail).toBe('head@school.invalid');
    expect(event?.userName).toBe('Sam');
    expect(event?.subjectType).toBe('invitation');
    expect(event?.subjectId).toBe('4');
    expect(event?.details).toEqual({ email: 'jo@school.invalid', role: 'governor' });
    expect(event?.requestId).toBe('req-1');
    expect(event?.ipAddress).toBe('127.0.0.1');
  });

  it('records account events per organisation', async () => {
    await addMembership(database.db, { userId: clerkId, organisationId: schoolId, role: 'staff' });
    await addMembership(database.db, {
      userId: clerkId,
      organisationId: otherSchoolId,
      role: 'governor',
    });

    await recordAccountEvent(database.db, { action: 'sign-in', userId: clerkId });
    await recordAccountEvent(database.db, { action: 'sign-in-failed', userId: null });

    const ours = await listAuditEvents(database.db, schoolId);
    const theirs = await listAuditEvents(database.db, otherSchoolId);
    expect(ours.map((event) => event.action)).toEqual(['sign-in']);
    expect(theirs.map((event) => event.action)).toEqual(['sign-in']);
    const unattached = await database.db
      .selectFrom('audit_events')
      .select('action')
      .where('organisation_id', 'is', null)
      .execute();
    expect(unattached).toEqual([{ action: 'sign-in-failed' }]);
  });

  it('rejects UPDATE of an event', async () => {
    await recordAuditEvent(database.db, {
      action: 'sign-in',
      userId: headId,
      organisationId: null,
    });

    const update = sql`UPDATE audit_events SET action = 'sign-out'`.execute(database.db);

    await expect(update).rejects.toThrow(/append-only/);
    const [event] = await database.db.selectFrom('audit_events').select('action').execute();
    expect(event?.action).toBe('sign-in');
  });

  it('rejects DELETE of an event', async () => {
    await recordAuditEvent(database.db, {
      action: 'sign-in',
      userId: headId,
      organisationId: null,
    });

    const remove = sql`DELETE FROM audit_events`.execute(database.db);

    await expect(remove).rejects.toThrow(/append-only/);
    const rows = await database.db.selectFrom('audit_events').select('id').execute();
    expect(rows).toHaveLength(1);
  });

  it('rejects changes through the query builder', async () => {
    await recordAuditEvent(database.db, {
      action: 'sign-in',
      userId: headId,
      organisationId: null,
    });

    await expect(
      database.db.updateTable('audit_events').set({ user_id: clerkId }).execute(),
    ).rejects.toThrow(/append-only/);
    await expect(database.db.deleteFrom('audit_events').execute()).rejects.toThrow(/append-only/);
  });

  it('lists one school, newest first', async () => {
    await insertAt('2026-01-10T09:00:00.000Z', 'sign-in', headId);
    await insertAt('2026-01-11T09:00:00.000Z', 'role-changed', headId);
    await insertAt('2026-01-12T09:00:00.000Z', 'access-removed', headId, otherSchoolId);

    const events = await listAuditEvents(database.db, schoolId);

    expect(events.map((event) => event.action)).toEqual(['role-changed', 'sign-in']);
  });

  it('filters by action and person', async () => {
    await insertAt('2026-01-10T09:00:00.000Z', 'invitation-sent', headId);
    await insertAt('2026-01-10T10:00:00.000Z', 'invitation-sent', clerkId);
    await insertAt('2026-01-10T11:00:00.000Z', 'export-downloaded', clerkId);

    const invitations = await listAuditEvents(database.db, schoolId, { action: 'invitation-sent' });
    const byClerk = await listAuditEvents(database.db, schoolId, { userId: clerkId });
    const both = await countAuditEvents(database.db, schoolId, {
      action: 'invitation-sent',
      userId: clerkId,
    });

    expect(invitations).toHaveLength(2);
    expect(byClerk.map((event) => event.action)).toEqual(['export-downloaded', 'invitation-sent']);
    expect(both).toBe(1);
  });

  it('filters by UK calendar days', async () => {
    // 23:30 UTC on 30 June is 00:30 on 1 July in British Summer Time.
    await insertAt('2026-06-30T22:30:00.000Z', 'sign-in', headId);
    await insertAt('2026-06-30T23:30:00.000Z', 'sign-out', headId);
    await insertAt('2026-07-01T22:59:59.000Z', 'role-changed', headId);
    await insertAt('2026-07-01T23:00:00.000Z', 'access-removed', headId);

    const firstOfJuly = await listAuditEvents(database.db, schoolId, {
      from: '2026-07-01',
      to: '2026-07-01',
    });
    const upToJune = await listAuditEvents(database.db, schoolId, { to: '2026-06-30' });

    expect(firstOfJuly.map((event) => event.action)).toEqual(['role-changed', 'sign-out']);
    expect(upToJune.map((event) => event.action)).toEqual(['sign-in']);
  });

  it('pages with limit and offset', async () => {
    for (let day = 10; day < 17; day++) {
      await insertAt(`2026-01-${day}T09:00:00.000Z`, 'sign-in', headId);
    }

    const first = await listAuditEvents(database.db, schoolId, { limit: 3 });
    const third = await listAuditEvents(database.db, schoolId, { limit: 3, offset: 6 });
    const total = await countAuditEvents(database.db, schoolId, { limit: 3, offset: 6 });

    expect(first.map((event) => event.occurredAt.slice(8, 10))).toEqual(['16', '15', '14']);
    expect(third.map((event) => event.occurredAt.slice(8, 10))).toEqual(['10']);
    expect(total).toBe(7);
  });

  it('lists people who acted in the school', async () => {
    await insertAt('2026-01-10T09:00:00.000Z', 'sign-in', headId);
    await insertAt('2026-01-10T09:00:00.000Z', 'sign-in', headId);
    await insertAt('2026-01-10T09:00:00.000Z', 'sign-in', clerkId, otherSchoolId);
    await insertAt('2026-01-10T09:00:00.000Z', 'sign-in-failed', null);

    const people = await listAuditPeople(database.db, schoolId);

    expect(people).toEqual([{ id: headId, displayName: 'Sam', email: 'head@school.invalid' }]);
  });
});
