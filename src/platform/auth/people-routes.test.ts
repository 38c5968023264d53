import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createUserWithRole, signInWithInject } from '../../../test/helpers/sign-in.js';
import { startApp, type TestApp } from '../../../test/helpers/start-app.js';
import { listAuditEvents } from '../audit/audit-store.js';
import { createSchool } from '../organisations/organisation-store.js';
import { createInvitation } from './invitation-store.js';
import type { Role } from './permissions.js';

const PASSWORD = 'kettle orchard lantern 17';

function csrfTokenIn(body: string): string {
  const token = /name="_csrf" value="([^"]+)"/.exec(body)?.[1];
  if (!token) throw new Error('Page has no CSRF token');
  return token;
}

describe('people routes', () => {
  let testApp: TestApp;
  let schoolId: number;
  let otherSchoolId: number;
  const ids = new Map<string, { userId: number; membershipId: number }>();

  beforeEach(async () => {
    testApp = await startApp();
    const { db } = testApp.database;
    schoolId = (await createSchool(db, { laestab: '8014001', name: 'Brookfield Academy' })).id;
    otherSchoolId = (await createSchool(db, { laestab: '8014002', name: 'Riverside School' })).id;
    ids.clear();
  });

  afterEach(async () => {
    await testApp.close();
  });

  async function addPerson(name: string, role: Role, organisationId = schoolId) {
    const email = `${name}@school.invalid`;
    const { id } = await createUserWithRole(testApp.database.db, {
      email,
      password: PASSWORD,
      organisationId,
      role,
      name: `${name[0]?.toUpperCase()}${name.slice(1)} Person`,
    });
    const membership = await testApp.database.db
      .selectFrom('memberships')
      .select('id')
      .where('user_id', '=', id)
      .executeTakeFirstOrThrow();
    ids.set(name, { userId: id, membershipId: membership.id });
    return (await signInWithInject(testApp.app, email, PASSWORD)).cookie;
  }

  function membershipOf(name: string): number {
    const found = ids.get(name);
    if (!found) throw new Error(`No person called ${name}`);
    return found.membershipId;
  }

  async function peoplePage(cookie: string) {
    return testApp.app.inject({
      method: 'GET',
      url: `/schools/${schoolId}/people`,
      headers: { cookie },
    });
  }

  async function post(cookie: string, url: string, payload: Record<string, string> = {}) {
    const page = await peoplePage(cookie);
    return testApp.app.inject({
      method: 'POST',
      url,
      headers: { cookie },
      payload: { _csrf: csrfTokenIn(page.body), ...payload },
    });
  }

  async function roleOf(name: string): Promise<string | undefined> {
    const row = await testApp.database.db
      .selectFrom('memberships')
      .select('role')
      .where('id', '=', membershipOf(name))
      .executeTakeFirst();
    return row?.role;
  }

  it('lists members and invitations', async () => {
    const head = await addPerson('head', 'senior_leader');
    await addPerson('teacher', 'staff');
    await addPerson('stranger', 'staff', otherSchoolId);
    await createInvitation(testApp.database.db, {
      organisationId: schoolId,
      email: 'invited@school.invalid',
      role: 'governor',
      invitedBy: ids.get('head')?.userId ?? 0,
    });

    const page = await peoplePage(head);

    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Head Person');
    expect(page.body).toContain('teacher@school.invalid');
    expect(page.body).toContain('Senior leader');
    expect(page.body).not.toContain('stranger@school.invalid');
    expect(page.body).toContain('invited@school.invalid');
    expect(page.body).toContain('Governor or trustee');
    expect(page.body).toContain('/people/invitations/revoke');
    // A senior leader invites but does not manage roles.
    expect(page.body).not.toContain('Change role');
    expect(page.body).not.toContain('Remove access');
  });

  it('forbids governors', async () => {
    const governor = await addPerson('governor', 'governor');

    const page = await peoplePage(governor);

    expect(page.statusCode).toBe(403);
  });

  it('lets an administrator change a role', async () => {
    const admin = await addPerson('admin', 'administrator');
    await addPerson('trustee', 'governor');

    const response = await post(
      admin,
      `/schools/${schoolId}/people/${membershipOf('trustee')}/role`,
      { role: 'administrator' },
    );

    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(`/schools/${schoolId}/people?notice=role-changed`);
    expect(await roleOf('trustee')).toBe('administrator');
    const [event] = await listAuditEvents(testApp.database.db, schoolId, {
      action: 'role-changed',
    });
    expect(event?.userId).toBe(ids.get('admin')?.userId);
    expect(event?.subjectId).toBe(String(membershipOf('trustee')));
    expect(event?.details).toMatchObject({ fromRole: 'governor', toRole: 'administrator' });
    expect(event?.requestId).toBe(response.headers['x-request-id']);
  });

  it('rejects a role the administrator cannot give', async () => {
    const admin = await addPerson('admin', 'administrator');
    await addPerson('trustee', 'governor');

    const response = await post(
      admin,
      `/schools/${schoolId}/people/${membershipOf('trustee')}/role`,
      { role: 'senior_leader' },
    );

    expect(response.statusCode).toBe(422);
    expect(response.body).toContain('Select a new role for Trustee Person');
    expect(await roleOf('trustee')).toBe('governor');
  });

  it('forbids senior leaders to change roles', async () => {
    const head = await addPerson('head', 'senior_leader');
    await addPerson('teacher', 'staff');

    const response = await post(
      head,
      `/schools/${schoolId}/people/${membershipOf('teacher')}/role`,
      { role: 'governor' },
    );

    expect(response.statusCode).toBe(403);
    expect(await roleOf('teacher')).toBe('staff');
  });

  it('keeps the last leader', async () => {
    const admin = await addPerson('admin', 'administrator');
    await addPerson('teacher', 'staff');

    const demote = await post(admin, `/schools/${schoolId}/people/${membershipOf('admin')}/role`, {
      role: 'governor',
    });
    const remove = await post(admin, `/schools/${schoolId}/people/${membershipOf('admin')}/remove`);

    expect(demote.statusCode).toBe(409);
    expect(demote.body).toContain('must keep at least one senior leader or administrator');
    expect(remove.statusCode).toBe(409);
    expect(remove.body).toContain('You cannot remove Admin Person’s access');
    expect(await roleOf('admin')).toBe('administrator');
    const events = await listAuditEvents(testApp.database.db, schoolId);
    expect(events.filter((event) => event.action !== 'sign-in')).toEqual([]);
  });

  it('keeps one leader after removals', async () => {
    await addPerson('head', 'senior_leader');
    const admin = await addPerson('admin', 'administrator');

    const removeHead = await post(
      admin,
      `/schools/${schoolId}/people/${membershipOf('head')}/remove`,
    );
    const removeSelf = await post(
      admin,
      `/schools/${schoolId}/people/${membershipOf('admin')}/remove`,
    );

    expect(removeHead.statusCode).toBe(303);
    expect(await roleOf('head')).toBeUndefined();
    expect(removeSelf.statusCode).toBe(409);
    expect(await roleOf('admin')).toBe('administrator');
  });

  it('lets a leader step down when another remains', async () => {
    await addPerson('head', 'senior_leader');
    const admin = await addPerson('admin', 'administrator');

    const response = await post(
      admin,
      `/schools/${schoolId}/people/${membershipOf('admin')}/role`,
      { role: 'governor' },
    );

    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(`/schools/${schoolId}`);
    expect(await roleOf('admin')).toBe('governor');
  });

  it('lets an administrator leave', async () => {
    await addPerson('head', 'senior_leader');
    const admin = await addPerson('admin', 'administrator');

    const response = await post(
      admin,
      `/schools/${schoolId}/people/${membershipOf('admin')}/remove`,
    );
    const after = await testApp.app.inject({
      method: 'GET',
      url: `/schools/${schoolId}`,
      headers: { cookie: admin },
    });

    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/');
    expect(after.statusCode).toBe(302);
    expect(await roleOf('admin')).toBeUndefined();
  });

  it('removes access and signs the person out', async () => {
    const admin = await addPerson('admin', 'administrator');
    const teacher = await addPerson('teacher', 'staff');
    const before = await testApp.app.inject({
      method: 'GET',
      url: `/schools/${schoolId}`,
      headers: { cookie: teacher },
    });

    const response = await post(
      admin,
      `/schools/${schoolId}/people/${membershipOf('teacher')}/remove`,
    );
    const after = await testApp.app.inject({
      method: 'GET',
      url: `/schools/${schoolId}`,
      headers: { cookie: teacher },
    });

    expect(before.statusCode).toBe(200);
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(`/schools/${schoolId}/people?notice=access-removed`);
    expect(after.statusCode).toBe(302);
    expect(after.headers.location).toMatch(/^\/sign-in/);
    expect(await roleOf('teacher')).toBeUndefined();
    const sessions = await testApp.database.db
      .selectFrom('sessions')
      .select('revoked_at')
      .where('user_id', '=', ids.get('teacher')?.userId ?? 0)
      .execute();
    expect(sessions.every((session) => session.revoked_at !== null)).toBe(true);
    const [event] = await listAuditEvents(testApp.database.db, schoolId, {
      action: 'access-removed',
    });
    expect(event?.details).toMatchObject({
      email: 'teacher@school.invalid',
      role: 'staff',
      sessionsRevoked: 1,
    });
  });

  it('hides memberships of other schools', async () => {
    const admin = await addPerson('admin', 'administrator');
    await addPerson('stranger', 'staff', otherSchoolId);

    const change = await post(
      admin,
      `/schools/${schoolId}/people/${membershipOf('stranger')}/role`,
      { role: 'governor' },
    );
    const remove = await post(
      admin,
      `/schools/${schoolId}/people/${membershipOf('stranger')}/remove`,
    );

    expect(change.statusCode).toBe(404);
    expect(remove.statusCode).toBe(404);
    expect(await roleOf('stranger')).toBe('staff');
  });

  it('revokes an invitation', async () => {
    const head = await addPerson('head', 'senior_leader');
    const { invitation } = await createInvitation(testApp.database.db, {
      organisationId: schoolId,
      email: 'invited@school.invalid',
      role: 'staff',
      invitedBy: ids.get('head')?.userId ?? 0,
    });

    const revoked = await post(head, `/schools/${schoolId}/people/invitations/revoke`, {
      invitationId: String(invitation.id),
    });
    const again = await post(head, `/schools/${schoolId}/people/invitations/revoke`, {
      invitationId: String(invitation.id),
    });
    const page = await peoplePage(head);

    expect(revoked.statusCode).toBe(303);
    expect(again.statusCode).toBe(422);
    expect(again.body).toContain('That invitation cannot be revoked');
    expect(page.body).not.toContain('invited@school.invalid');
    expect(page.body).toContain('There are no invitations waiting to be accepted');
  });

  it('does not revoke another school’s invitation', async () => {
    const head = await addPerson('head', 'senior_leader');
    const { invitation } = await createInvitation(testApp.database.db, {
      organisationId: otherSchoolId,
      email: 'elsewhere@school.invalid',
      role: 'staff',
      invitedBy: ids.get('head')?.userId ?? 0,
    });

    const response = await post(head, `/schools/${schoolId}/people/invitations/revoke`, {
      invitationId: String(invitation.id),
    });

    expect(response.statusCode).toBe(422);
    const row = await testApp.database.db
      .selectFrom('invitations')
      .select('revoked_at')
      .where('id', '=', invitation.id)
      .executeTakeFirstOrThrow();
    expect(row.revoked_at).toBeNull();
  });
});
