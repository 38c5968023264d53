import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  createTestDatabase,
  DIALECTS,
  type TestDatabase,
} from '../../../test/helpers/databases.js';
import { createSchool } from '../organisations/organisation-store.js';
import {
  findMember,
  isLastLeader,
  isMemberEmail,
  listMembers,
  lockOrganisation,
  schoolRolesGivenBy,
  strongestRole,
} from './people-store.js';
import type { Role } from './permissions.js';
import { addMembership, createUser } from './user-store.js';

describe('roles given by', () => {
  it.each<[Role[], Role | null]>([
    [[], null],
    [['governor'], 'governor'],
    [['trust_officer', 'senior_leader'], 'senior_leader'],
    [['staff', 'administrator'], 'administrator'],
  ])('strongest of %j is %s', (roles, expected) => {
    expect(strongestRole(roles)).toBe(expected);
  });

  it.each<[Role[], Role[]]>([
    [['senior_leader'], ['senior_leader', 'staff', 'governor']],
    [['administrator'], ['governor', 'administrator']],
    [['staff'], ['staff', 'governor']],
    [['governor'], ['governor']],
    [['trust_officer'], ['governor']],
    [[], []],
  ])('%j may give %j', (roles, expected) => {
    expect(schoolRolesGivenBy(roles)).toEqual(expected);
  });
});

describe.each(DIALECTS)('people store on %s', (dialect) => {
  let database: TestDatabase;
  let schoolId: number;
  let otherSchoolId: number;

  beforeEach(async () => {
    database = await createTestDatabase(dialect);
    schoolId = (await createSchool(database.db, { laestab: '8014001', name: 'Brookfield Academy' }))
      .id;
    otherSchoolId = (await createSchool(database.db, { laestab: '8014002', name: 'Riverside' })).id;
  });

  afterEach(async () => {
    await database.destroy();
  });

  async function member(name: string, role: Role, organisationId = schoolId): Promise<number> {
    const user = await createUser(database.db, {
      email: `${name}@school.invalid`,
      displayName: name,
    });
    await addMembership(database.db, { userId: user.id, organisationId, role });
    const row = await database.db
      .selectFrom('memberships')
      .select('id')
      .where('user_id', '=', user.id)
      .where('organisation_id', '=', organisationId)
      .executeTakeFirstOrThrow();
    return row.id;
  }

  it('lists members of one school', async () => {
    await member('Zoe', 'staff');
    await member('Amir', 'senior_leader');
    await member('Elsewhere', 'staff', otherSchoolId);

    const members = await listMembers(database.db, schoolId);

    expect(members.map((person) => person.displayName)).toEqual(['Amir', 'Zoe']);
    expect(members[0]?.role).toBe('senior_leader');
  });

  it('finds a membership in its school only', async () => {
    const elsewhere = await member('Elsewhere', 'staff', otherSchoolId);

    expect(await findMember(database.db, otherSchoolId, elsewhere)).toBeDefined();
    expect(await findMember(database.db, schoolId, elsewhere)).toBeUndefined();
  });

  it('matches member email in any case', async () => {
    await member('Jo', 'staff');

    expect(await isMemberEmail(database.db, schoolId, 'JO@School.invalid')).toBe(true);
    expect(await isMemberEmail(database.db, otherSchoolId, 'jo@school.invalid')).toBe(false);
  });

  it('finds the last leader', async () => {
    const head = await member('Head', 'senior_leader');
    const teacher = await member('Teacher', 'staff');
    await member('OtherHead', 'senior_leader', otherSchoolId);

    expect(await isLastLeader(database.db, schoolId, head)).toBe(true);
    expect(await isLastLeader(database.db, schoolId, teacher)).toBe(false);

    const admin = await member('Admin', 'administrator');

    expect(await isLastLeader(database.db, schoolId, head)).toBe(false);
    expect(await isLastLeader(database.db, schoolId, admin)).toBe(false);
  });

  it('serialises membership changes', async () => {
    const order: string[] = [];
    let releaseFirst = (): void => undefined;
    const firstHolds = new Promise<void>((resolve) => {
      releaseFirst = resolve;
    });

    const first = database.db.transaction().execute(async (trx) => {
      await lockOrganisation(trx, schoolId);
      order.push('first locked');
      await firstHolds;
      order.push('first done');
    });
    await vi.waitFor(() => expect(order).toContain('first locked'));
    const second = database.db.transaction().execute(async (trx) => {
      await lockOrganisation(trx, schoolId);
      order.push('second locked');
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    releaseFirst();
    await Promise.all([first, second]);

    expect(order).toEqual(['first locked', 'first done', 'second locked']);
  });
});
