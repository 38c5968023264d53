import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createTestDatabase,
  DIALECTS,
  type TestDatabase,
} from '../../../test/helpers/databases.js';
import { createSchool } from '../organisations/organisation-store.js';
import type { CurrentUser, Membership } from './current-user.js';
import { reachableOrganisationIds, rolesInOrganisation } from './organisation-access.js';

function userWith(memberships: Array<Pick<Membership, 'organisationId' | 'role'>>): CurrentUser {
  return {
    id: 1,
    email: 'someone@school.invalid',
    displayName: 'Someone',
    memberships: memberships.map((membership) => ({
      ...membership,
      organisationKind: 'school',
      organisationName: 'Any',
    })),
  };
}

describe.each(DIALECTS)('organisation access on %s', (dialect) => {
  let database: TestDatabase;
  let trustId: number;
  let inTrust: number;
  let elsewhere: number;

  beforeEach(async () => {
    database = await createTestDatabase(dialect);
    const trust = await database.db
      .insertInto('organisations')
      .values({ kind: 'trust', name: 'Trust', created_at: new Date().toISOString() })
      .returning('id')
      .executeTakeFirstOrThrow();
    trustId = trust.id;
    inTrust = (await createSchool(database.db, { laestab: '8014001', name: 'In trust' })).id;
    elsewhere = (await createSchool(database.db, { laestab: '8014002', name: 'Elsewhere' })).id;
    await database.db
      .updateTable('organisations')
      .set({ parent_id: trustId })
      .where('id', '=', inTrust)
      .execute();
  });

  afterEach(async () => {
    await database.destroy();
  });

  it('finds a direct membership', async () => {
    const user = userWith([{ organisationId: inTrust, role: 'governor' }]);

    expect(await rolesInOrganisation(database.db, user, inTrust)).toEqual(['governor']);
    expect(await rolesInOrganisation(database.db, user, elsewhere)).toEqual([]);
  });

  it('lets a trust officer reach schools beneath', async () => {
    const user = userWith([{ organisationId: trustId, role: 'trust_officer' }]);

    expect(await rolesInOrganisation(database.db, user, inTrust)).toEqual(['trust_officer']);
    expect(await rolesInOrganisation(database.db, user, elsewhere)).toEqual([]);
    expect((await reachableOrganisationIds(database.db, user)).sort()).toEqual(
      [trustId, inTrust].sort(),
    );
  });

  it('keeps other trust roles inside the trust', async () => {
    const user = userWith([{ organisationId: trustId, role: 'senior_leader' }]);

    expect(await rolesInOrganisation(database.db, user, inTrust)).toEqual([]);
    expect(await reachableOrganisationIds(database.db, user)).toEqual([trustId]);
  });

  it('treats a missing organisation as unreachable', async () => {
    const user = userWith([{ organisationId: inTrust, role: 'senior_leader' }]);

    expect(await rolesInOrganisation(database.db, user, 999_999)).toEqual([]);
  });
});
