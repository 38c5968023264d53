import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createTestDatabase,
  DIALECTS,
  type TestDatabase,
} from '../../../test/helpers/databases.js';
import { createSchool, getDelegatedLimit, setDelegatedLimit } from './organisation-store.js';
import { MAX_DELEGATED_LIMIT_PENCE } from './school-settings.js';

describe.each(DIALECTS)('delegated limit store on %s', (dialect) => {
  let database: TestDatabase;
  let schoolId: number;
  let otherSchoolId: number;

  beforeEach(async () => {
    database = await createTestDatabase(dialect);
    schoolId = (await createSchool(database.db, { laestab: '8014001', name: 'Brookfield' })).id;
    otherSchoolId = (await createSchool(database.db, { laestab: '8014002', name: 'Riverside' })).id;
  });

  afterEach(async () => {
    await database.destroy();
  });

  it('starts unset', async () => {
    expect(await getDelegatedLimit(database.db, schoolId)).toBeNull();
  });

  it('stores a limit and returns the previous one', async () => {
    const first = await setDelegatedLimit(database.db, schoolId, 500_050);
    const second = await setDelegatedLimit(database.db, schoolId, MAX_DELEGATED_LIMIT_PENCE);

    expect(first).toBeNull();
    expect(second).toBe(500_050);
    expect(await getDelegatedLimit(database.db, schoolId)).toBe(MAX_DELEGATED_LIMIT_PENCE);
  });

  it('stores zero and clears to null', async () => {
    await setDelegatedLimit(database.db, schoolId, 0);
    expect(await getDelegatedLimit(database.db, schoolId)).toBe(0);

    const previous = await setDelegatedLimit(database.db, schoolId, null);

    expect(previous).toBe(0);
    expect(await getDelegatedLimit(database.db, schoolId)).toBeNull();
  });

  it('changes only the named school', async () => {
    await setDelegatedLimit(database.db, schoolId, 250_000);

    expect(await getDelegatedLimit(database.db, otherSchoolId)).toBeNull();
  });

  it.each([-1, 12.5, MAX_DELEGATED_LIMIT_PENCE + 1, Number.NaN])(
    'rejects %d pence',
    async (pence) => {
      await expect(setDelegatedLimit(database.db, schoolId, pence)).rejects.toThrow(RangeError);
      expect(await getDelegatedLimit(database.db, schoolId)).toBeNull();
    },
  );

  it('rejects a missing organisation', async () => {
    await expect(getDelegatedLimit(database.db, 999_999)).rejects.toThrow(
      'Organisation 999999 does not exist',
    );
    await expect(setDelegatedLimit(database.db, 999_999, 100)).rejects.toThrow(
      'Organisation 999999 does not exist',
    );
  });

  it('rolls back with its transaction', async () => {
    await setDelegatedLimit(database.db, schoolId, 100);

    await expect(
      database.db.transaction().execute(async (trx) => {
        await setDelegatedLimit(trx, schoolId, 200);
        throw new Error('abandon the change');
      }),
    ).rejects.toThrow('abandon the change');

    expect(await getDelegatedLimit(database.db, schoolId)).toBe(100);
  });

  it('waits for a concurrent change', async () => {
    let releaseFirst = () => {};
    const firstMayCommit = new Promise<void>((resolve) => {
      releaseFirst = resolve;
    });
    let firstChanged = () => {};
    const firstHasChanged = new Promise<void>((resolve) => {
      firstChanged = resolve;
    });

    const first = database.db.transaction().execute(async (trx) => {
      const previous = await setDelegatedLimit(trx, schoolId, 100);
      firstChanged();
      await firstMayCommit;
      return previous;
    });
    await firstHasChanged;
    const second = database.db
      .transaction()
      .execute(async (trx) => setDelegatedLimit(trx, schoolId, 200));
    // NOTE: the pause gives the second transaction time to reach the locked row. On a
    // very slow machine it may read only after the first commits, and the test then
    // passes without exercising the lock.
    await new Promise((resolve) => setTimeout(resolve, 200));
    releaseFirst();

    expect(await first).toBeNull();
    expect(await second).toBe(100);
    expect(await getDelegatedLimit(database.db, schoolId)).toBe(200);
  });
});
