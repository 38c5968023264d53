import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createTestDatabase,
  DIALECTS,
  type TestDatabase,
} from '../../../test/helpers/databases.js';
import { createSchool } from '../organisations/organisation-store.js';
import { verifyPassword } from './passwords.js';
import { createSession, useSession } from './session-store.js';
import {
  addMembership,
  changeRole,
  createUser,
  disableUser,
  findUserByEmail,
  listOrganisationUsers,
  loadCurrentUser,
  removeMembership,
  setPassword,
  UserInputError,
} from './user-store.js';

const POLICY = { idleMinutes: 60, maxHours: 12 };

describe.each(DIALECTS)('user store on %s', (dialect) => {
  let database: TestDatabase;
  let schoolId: number;

  beforeEach(async () => {
    database = await createTestDatabase(dialect);
    schoolId = (await createSchool(database.db, { laestab: '8014001', name: 'Brookfield Academy' }))
      .id;
  });

  afterEach(async () => {
    await database.destroy();
  });

  it('keeps email as typed', async () => {
    const user = await createUser(database.db, {
      email: 'Jo.Bloggs@Brookfield.sch.uk',
      displayName: 'Jo Bloggs',
    });

    expect(user.email).toBe('Jo.Bloggs@Brookfield.sch.uk');
    expect(user.emailLookup).toBe('jo.bloggs@brookfield.sch.uk');
    expect(user.passwordHash).toBeNull();
  });

  it('finds email in any case', async () => {
    const created = await createUser(database.db, {
      email: 'Jo.Bloggs@Brookfield.sch.uk',
      displayName: 'Jo Bloggs',
    });

    const found = await findUserByEmail(database.db, 'JO.BLOGGS@brookfield.SCH.UK');

    expect(found?.id).toBe(created.id);
  });

  it('rejects a duplicate email', async () => {
    await createUser(database.db, { email: 'jo@example.org', displayName: 'Jo' });

    await expect(
      createUser(database.db, { email: 'JO@example.org', displayName: 'Jo again' }),
    ).rejects.toThrow(/already exists/);
  });

  it.each([
    ['no @', 'jo.example.org'],
    ['a space', 'jo @example.org'],
    ['no domain dot', 'jo@example'],
  ])('rejects an email with %s', async (_case, email) => {
    await expect(createUser(database.db, { email, displayName: 'Jo' })).rejects.toBeInstanceOf(
      UserInputError,
    );
  });

  it('rejects an empty name', async () => {
    await expect(
      createUser(database.db, { email: 'jo@example.org', displayName: '  ' }),
    ).rejects.toThrow(/Enter the person's name/);
  });

  it('hashes the password', async () => {
    const user = await createUser(database.db, {
      email: 'jo@example.org',
      displayName: 'Jo',
      password: 'lantern orbit pebble',
    });

    expect(user.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(user.passwordHash!, 'lantern orbit pebble')).toBe(true);
  });

  it('sets a new password', async () => {
    const user = await createUser(database.db, { email: 'jo@example.org', displayName: 'Jo' });

    await setPassword(database.db, user.id, 'river kettle meadow');

    const stored = await findUserByEmail(database.db, 'jo@example.org');
    expect(await verifyPassword(stored!.passwordHash!, 'river kettle meadow')).toBe(true);
    expect(stored!.passwordChangedAt).not.toBeNull();
  });

  it('loads memberships with organisations', async () => {
    const trust = await database.db
      .insertInto('organisations')
      .values({ kind: 'trust', name: 'Aspire Trust', created_at: new Date().toISOString() })
      .returning('id')
      .executeTakeFirstOrThrow();
    const user = await createUser(database.db, { email: 'jo@example.org', displayName: 'Jo' });
    await addMembership(database.db, { userId: user.id, organisationId: schoolId, role: 'staff' });
    await addMembership(database.db, {
      userId: user.id,
      organisationId: trust.id,
      role: 'trust_officer',
    });

    const current = await loadCurrentUser(database.db, user.id);

    expect(current).toEqual({
      id: user.id,
      email: 'jo@example.org',
      displayName: 'Jo',
      memberships: [
        {
          organisationId: trust.id,
          organisationKind: 'trust',
          organisationName: 'Aspire Trust',
          role: 'trust_officer',
        },
        {
          organisationId: schoolId,
          organisationKind: 'school',
          organisationName: 'Brookfield Academy',
          role: 'staff',
        },
      ],
    });
  });

  it('ignores an unknown role', async () => {
    const user = await createUser(database.db, { email: 'jo@example.org', displayName: 'Jo' });
    await database.db
      .insertInto('memberships')
      .values({
        user_id: user.id,
        organisation_id: schoolId,
        role: 'headmaster',
        created_at: new Date().toISOString(),
      })
      .execute();

    const current = await loadCurrentUser(database.db, user.id);

    expect(current?.memberships).toEqual([]);
  });

  it('rejects a second membership', async () => {
    const user = await createUser(database.db, { email: 'jo@example.org', displayName: 'Jo' });
    await addMembership(database.db, { userId: user.id, organisationId: schoolId, role: 'staff' });

    await expect(
      addMembership(database.db, { userId: user.id, organisationId: schoolId, role: 'governor' }),
    ).rejects.toThrow(/already belongs/);
  });

  it('rejects a missing organisation', async () => {
    const user = await createUser(database.db, { email: 'jo@example.org', displayName: 'Jo' });

    await expect(
      addMembership(database.db, { userId: user.id, organisationId: 9999, role: 'staff' }),
    ).rejects.toThrow(/Organisation 9999 does not exist/);
  });

  it('lists, changes and removes members', async () => {
    const jo = await createUser(database.db, { email: 'jo@example.org', displayName: 'Jo' });
    const ali = await createUser(database.db, { email: 'ali@example.org', displayName: 'Ali' });
    await addMembership(database.db, { userId: jo.id, organisationId: schoolId, role: 'staff' });
    await addMembership(database.db, {
      userId: ali.id,
      organisationId: schoolId,
      role: 'governor',
    });

    const changed = await changeRole(database.db, {
      userId: jo.id,
      organisationId: schoolId,
      role: 'senior_leader',
    });
    const removed = await removeMembership(database.db, ali.id, schoolId);
    const removedAgain = await removeMembership(database.db, ali.id, schoolId);

    expect(changed).toBe(true);
    expect(removed).toBe(true);
    expect(removedAgain).toBe(false);
    const members = await listOrganisationUsers(database.db, schoolId);
    expect(members.map((member) => [member.email, member.role, member.disabled])).toEqual([
      ['jo@example.org', 'senior_leader', false],
    ]);
  });

  it('disables user and sessions', async () => {
    const user = await createUser(database.db, { email: 'jo@example.org', displayName: 'Jo' });
    const session = await createSession(database.db, user.id, POLICY);

    expect(await disableUser(database.db, user.id)).toBe(true);

    expect(await loadCurrentUser(database.db, user.id)).toBeNull();
    expect(await useSession(database.db, session.token, POLICY)).toBeNull();
    expect(await disableUser(database.db, 9999)).toBe(false);
  });
});
