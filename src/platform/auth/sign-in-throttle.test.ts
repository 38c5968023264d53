import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createTestDatabase,
  DIALECTS,
  type TestDatabase,
} from '../../../test/helpers/databases.js';
import {
  clearAccountFailures,
  deleteOldSignInAttempts,
  isSignInThrottled,
  recordSignInAttempt,
  SIGN_IN_LIMITS,
} from './sign-in-throttle.js';

const START = new Date('2026-01-12T09:00:00.000Z');
const JO = { emailLookup: 'jo@example.org', ipAddress: '192.0.2.10' };

function minutesAfter(minutes: number): Date {
  return new Date(START.getTime() + minutes * 60_000);
}

describe.each(DIALECTS)('sign-in throttle on %s', (dialect) => {
  let database: TestDatabase;

  beforeEach(async () => {
    database = await createTestDatabase(dialect);
  });

  afterEach(async () => {
    await database.destroy();
  });

  async function fail(attempt: typeof JO, at: Date): Promise<void> {
    await recordSignInAttempt(database.db, { ...attempt, succeeded: false }, at);
  }

  it('allows four failures per account', async () => {
    for (let i = 0; i < SIGN_IN_LIMITS.perAccount - 1; i += 1) await fail(JO, minutesAfter(i));

    expect(await isSignInThrottled(database.db, JO, SIGN_IN_LIMITS, minutesAfter(5))).toBe(false);
  });

  it('throttles the fifth account failure', async () => {
    for (let i = 0; i < SIGN_IN_LIMITS.perAccount; i += 1) await fail(JO, minutesAfter(i));

    expect(await isSignInThrottled(database.db, JO, SIGN_IN_LIMITS, minutesAfter(5))).toBe(true);
  });

  it('lifts the lock after a reset', async () => {
    for (let i = 0; i < SIGN_IN_LIMITS.perAccount; i += 1) await fail(JO, minutesAfter(i));

    await clearAccountFailures(database.db, JO.emailLookup);

    expect(await isSignInThrottled(database.db, JO, SIGN_IN_LIMITS, minutesAfter(5))).toBe(false);
  });

  it('counts the account across addresses', async () => {
    for (let i = 0; i < SIGN_IN_LIMITS.perAccount; i += 1) {
      await fail({ ...JO, ipAddress: `198.51.100.${i}` }, minutesAfter(i));
    }

    expect(await isSignInThrottled(database.db, JO, SIGN_IN_LIMITS, minutesAfter(5))).toBe(true);
  });

  it('releases after the window', async () => {
    for (let i = 0; i < SIGN_IN_LIMITS.perAccount; i += 1) await fail(JO, minutesAfter(i));

    const later = minutesAfter(SIGN_IN_LIMITS.windowMinutes + SIGN_IN_LIMITS.perAccount);

    expect(await isSignInThrottled(database.db, JO, SIGN_IN_LIMITS, later)).toBe(false);
  });

  it('success restarts account count', async () => {
    for (let i = 0; i < SIGN_IN_LIMITS.perAccount - 1; i += 1) await fail(JO, minutesAfter(i));
    await recordSignInAttempt(database.db, { ...JO, succeeded: true }, minutesAfter(5));
    await fail(JO, minutesAfter(6));

    expect(await isSignInThrottled(database.db, JO, SIGN_IN_LIMITS, minutesAfter(7))).toBe(false);
  });

  it('throttles an address across accounts', async () => {
    for (let i = 0; i < SIGN_IN_LIMITS.perAddress; i += 1) {
      await fail({ ...JO, emailLookup: `person${i}@example.org` }, minutesAfter(i % 10));
    }

    const fresh = { emailLookup: 'new@example.org', ipAddress: JO.ipAddress };
    const elsewhere = { emailLookup: 'new@example.org', ipAddress: '203.0.113.5' };

    expect(await isSignInThrottled(database.db, fresh, SIGN_IN_LIMITS, minutesAfter(11))).toBe(
      true,
    );
    expect(await isSignInThrottled(database.db, elsewhere, SIGN_IN_LIMITS, minutesAfter(11))).toBe(
      false,
    );
  });

  it('treats unknown and known accounts alike', async () => {
    const unknown = { emailLookup: 'nobody@example.org', ipAddress: '203.0.113.9' };
    for (let i = 0; i < SIGN_IN_LIMITS.perAccount; i += 1) await fail(unknown, minutesAfter(i));

    expect(await isSignInThrottled(database.db, unknown, SIGN_IN_LIMITS, minutesAfter(5))).toBe(
      true,
    );
  });

  it('deletes old attempts', async () => {
    await fail(JO, START);
    await fail(JO, minutesAfter(60 * 24 * 10));

    const deleted = await deleteOldSignInAttempts(database.db, 7, minutesAfter(60 * 24 * 10));

    expect(deleted).toBe(1);
  });
});
