import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createTestDatabase,
  DIALECTS,
  type TestDatabase,
} from '../../../test/helpers/databases.js';
import {
  createSession,
  deleteEndedSessions,
  hashSessionToken,
  revokeSession,
  revokeUserSessions,
  useSession,
} from './session-store.js';
import { createUser } from './user-store.js';

const POLICY = { idleMinutes: 60, maxHours: 12 };
const SIGN_IN = new Date('2026-01-12T09:00:00.000Z');

function minutesAfter(start: Date, minutes: number): Date {
  return new Date(start.getTime() + minutes * 60_000);
}

describe.each(DIALECTS)('session store on %s', (dialect) => {
  let database: TestDatabase;
  let userId: number;

  beforeEach(async () => {
    database = await createTestDatabase(dialect);
    userId = (await createUser(database.db, { email: 'jo@example.org', displayName: 'Jo' })).id;
  });

  afterEach(async () => {
    await database.destroy();
  });

  it('stores only the token hash', async () => {
    const session = await createSession(database.db, userId, POLICY, SIGN_IN);

    const rows = await database.db.selectFrom('sessions').selectAll().execute();

    expect(session.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.token_hash).toBe(hashSessionToken(session.token));
    expect(JSON.stringify(rows)).not.toContain(session.token);
    expect(rows[0]!.expires_at).toBe('2026-01-12T21:00:00.000Z');
  });

  it('finds an active session', async () => {
    const session = await createSession(database.db, userId, POLICY, SIGN_IN);

    const found = await useSession(database.db, session.token, POLICY, minutesAfter(SIGN_IN, 5));

    expect(found).toMatchObject({ id: session.id, userId });
  });

  it('rejects an unknown token', async () => {
    await createSession(database.db, userId, POLICY, SIGN_IN);

    expect(await useSession(database.db, 'x'.repeat(43), POLICY, SIGN_IN)).toBeNull();
  });

  it('ends after idle minutes', async () => {
    const session = await createSession(database.db, userId, POLICY, SIGN_IN);

    const justBefore = await useSession(
      database.db,
      session.token,
      POLICY,
      minutesAfter(SIGN_IN, 59),
    );
    const idle = await useSession(
      database.db,
      session.token,
      POLICY,
      minutesAfter(SIGN_IN, 59 + 60),
    );

    expect(justBefore).not.toBeNull();
    expect(idle).toBeNull();
  });

  it('slides with each request', async () => {
    const session = await createSession(database.db, userId, POLICY, SIGN_IN);

    for (let minutes = 50; minutes <= 500; minutes += 50) {
      const found = await useSession(
        database.db,
        session.token,
        POLICY,
        minutesAfter(SIGN_IN, minutes),
      );
      expect(found, `${minutes} minutes`).not.toBeNull();
    }
  });

  it('ends at the absolute limit', async () => {
    const session = await createSession(database.db, userId, POLICY, SIGN_IN);
    for (let minutes = 50; minutes < 12 * 60; minutes += 50) {
      await useSession(database.db, session.token, POLICY, minutesAfter(SIGN_IN, minutes));
    }

    const afterLimit = await useSession(
      database.db,
      session.token,
      POLICY,
      minutesAfter(SIGN_IN, 12 * 60),
    );

    expect(afterLimit).toBeNull();
  });

  it('revokes one session', async () => {
    const first = await createSession(database.db, userId, POLICY, SIGN_IN);
    const second = await createSession(database.db, userId, POLICY, SIGN_IN);

    await revokeSession(database.db, first.id, SIGN_IN);

    expect(await useSession(database.db, first.token, POLICY, SIGN_IN)).toBeNull();
    expect(await useSession(database.db, second.token, POLICY, SIGN_IN)).not.toBeNull();
  });

  it('revokes all but one', async () => {
    const kept = await createSession(database.db, userId, POLICY, SIGN_IN);
    const other = await createSession(database.db, userId, POLICY, SIGN_IN);
    const third = await createSession(database.db, userId, POLICY, SIGN_IN);

    const revoked = await revokeUserSessions(database.db, userId, { keep: kept.id, now: SIGN_IN });

    expect(revoked).toBe(2);
    expect(await useSession(database.db, kept.token, POLICY, SIGN_IN)).not.toBeNull();
    expect(await useSession(database.db, other.token, POLICY, SIGN_IN)).toBeNull();
    expect(await useSession(database.db, third.token, POLICY, SIGN_IN)).toBeNull();
  });

  it('revokes every session', async () => {
    const first = await createSession(database.db, userId, POLICY, SIGN_IN);

    expect(await revokeUserSessions(database.db, userId, { now: SIGN_IN })).toBe(1);
    expect(await revokeUserSessions(database.db, userId, { now: SIGN_IN })).toBe(0);
    expect(await useSession(database.db, first.token, POLICY, SIGN_IN)).toBeNull();
  });

  it('deletes long-ended sessions', async () => {
    const old = await createSession(database.db, userId, POLICY, SIGN_IN);
    await revokeSession(database.db, old.id, SIGN_IN);
    const current = await createSession(
      database.db,
      userId,
      POLICY,
      minutesAfter(SIGN_IN, 60 * 24 * 40),
    );

    const deleted = await deleteEndedSessions(database.db, 30, minutesAfter(SIGN_IN, 60 * 24 * 40));

    expect(deleted).toBe(1);
    const left = await database.db.selectFrom('sessions').select('id').execute();
    expect(left).toEqual([{ id: current.id }]);
  });
});
