import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.js';

type Db = Kysely<Database> | Transaction<Database>;

/** How many failed sign-ins are allowed, and over what period. */
export interface SignInLimits {
  /** Failures for one e-mail address, counted since its last successful sign-in. */
  perAccount: number;
  /** Failures from one IP address, whichever accounts they were for. */
  perAddress: number;
  /** Length of the counting window, in minutes. */
  windowMinutes: number;
}

/**
 * 5 failures per account and 100 per IP address in 15 minutes. The account limit stops
 * password guessing against one person; the address limit stops one machine from trying a few
 * passwords against many accounts. The address limit is far higher because a whole school or
 * trust often reaches the internet through one public address, and a low limit would let one
 * person lock everyone there out.
 */
export const SIGN_IN_LIMITS: Readonly<SignInLimits> = Object.freeze({
  perAccount: 5,
  perAddress: 100,
  windowMinutes: 15,
});

export interface SignInAttempt {
  /** Lower-case e-mail address as typed, whether or not an account has it. */
  emailLookup: string;
  ipAddress: string;
}

/**
 * Checks whether sign-in for this address and IP address must be rejected without checking the
 * password: true when either has reached its limit of failures within the window. The e-mail
 * address is counted whether or not an account has it, so the result does not show which
 * accounts exist.
 */
export async function isSignInThrottled(
  db: Db,
  attempt: SignInAttempt,
  limits: SignInLimits = SIGN_IN_LIMITS,
  now = new Date(),
): Promise<boolean> {
  const windowStart = new Date(now.getTime() - limits.windowMinutes * 60_000).toISOString();

  const addressFailures = await db
    .selectFrom('sign_in_attempts')
    .select((eb) => eb.fn.countAll<number>().as('failures'))
    .where('ip_address', '=', attempt.ipAddress)
    .where('succeeded', '=', 0)
    .where('attempted_at', '>', windowStart)
    .executeTakeFirstOrThrow();
  if (Number(addressFailures.failures) >= limits.perAddress) return true;

  // A successful sign-in restarts the count for the account, so a user who mistypes now and
  // then is never locked out by mistakes spread over the window.
  const lastSuccess = await db
    .selectFrom('sign_in_attempts')
    .select((eb) => eb.fn.max('attempted_at').as('at'))
    .where('email_lookup', '=', attempt.emailLookup)
    .where('succeeded', '=', 1)
    .where('attempted_at', '>', windowStart)
    .executeTakeFirst();
  const countFrom =
    lastSuccess?.at !== undefined && lastSuccess.at !== null ? lastSuccess.at : windowStart;
  const accountFailures = await db
    .selectFrom('sign_in_attempts')
    .select((eb) => eb.fn.countAll<number>().as('failures'))
    .where('email_lookup', '=', attempt.emailLookup)
    .where('succeeded', '=', 0)
    .where('attempted_at', '>', countFrom)
    .executeTakeFirstOrThrow();
  return Number(accountFailures.failures) >= limits.perAccount;
}

/**
 * Records one sign-in attempt. Attempts rejected by the limit are recorded as failures too,
 * so continued guessing keeps the limit in force.
 */
export async function recordSignInAttempt(
  db: Db,
  attempt: SignInAttempt & { succeeded: boolean },
  now = new Date(),
): Promise<void> {
  await db
    .insertInto('sign_in_attempts')
    .values({
      email_lookup: attempt.emailLookup,
      ip_address: attempt.ipAddress,
      succeeded: attempt.succeeded ? 1 : 0,
      attempted_at: now.toISOString(),
    })
    .execute();
}

/**
 * Forgets an account's failed attempts, so that a password reset by the people who run the
 * server also lifts the lock that those failures put on the account.
 */
export async function clearAccountFailures(db: Db, emailLookup: string): Promise<void> {
  await db
    .deleteFrom('sign_in_attempts')
    .where('email_lookup', '=', emailLookup)
    .where('succeeded', '=', 0)
    .execute();
}

/** Deletes attempts older than `retentionDays`, and returns how many it deleted. */
export async function deleteOldSignInAttempts(
  db: Db,
  retentionDays: number,
  now = new Date(),
): Promise<number> {
  const cutoff = new Date(now.getTime() - retentionDays * 86_400_000).toISOString();
  const result = await db
    .deleteFrom('sign_in_attempts')
    .where('attempted_at', '<', cutoff)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
