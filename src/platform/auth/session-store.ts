import { createHash, randomBytes } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.js';

type Db = Kysely<Database> | Transaction<Database>;

/** How long sessions last. */
export interface SessionPolicy {
  /** Minutes without a request after which a session ends. */
  idleMinutes: number;
  /** Hours after sign-in at which a session ends however active it is. */
  maxHours: number;
}

/** A session just created: the token goes into the cookie and is never stored. */
export interface NewSession {
  id: number;
  /** 32 random bytes, base64url-encoded (43 characters). */
  token: string;
  /** When the session ends at the latest, as an ISO timestamp. */
  expiresAt: string;
}

/** A session that is neither revoked nor expired. */
export interface ActiveSession {
  id: number;
  userId: number;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
}

// `last_seen_at` is written at most once a minute per session, so a burst of requests writes
// the row once. Idle expiry is therefore accurate to a minute.
const TOUCH_INTERVAL_MS = 60_000;

/**
 * Returns the SHA-256 of a session token in hex. Only this is stored, so a copy of the
 * database does not let anyone take over a session.
 */
export function hashSessionToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Creates a session for a user with a new random token, ending `maxHours` from `now`. */
export async function createSession(
  db: Db,
  userId: number,
  policy: SessionPolicy,
  now = new Date(),
): Promise<NewSession> {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + policy.maxHours * 3_600_000).toISOString();
  const row = await db
    .insertInto('sessions')
    .values({
      token_hash: hashSessionToken(token),
      user_id: userId,
      created_at: now.toISOString(),
      last_seen_at: now.toISOString(),
      expires_at: expiresAt,
      revoked_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, token, expiresAt };
}

/**
 * Finds the session a cookie's token belongs to and records that it was used. Returns null
 * when no session has the token, or it was revoked, or it passed its absolute end, or it was
 * idle for longer than `policy.idleMinutes`.
 */
export async function useSession(
  db: Db,
  token: string,
  policy: SessionPolicy,
  now = new Date(),
): Promise<ActiveSession | null> {
  const row = await db
    .selectFrom('sessions')
    .select(['id', 'user_id', 'created_at', 'last_seen_at', 'expires_at', 'revoked_at'])
    .where('token_hash', '=', hashSessionToken(token))
    .executeTakeFirst();
  if (!row || row.revoked_at !== null) return null;

  const nowMs = now.getTime();
  const lastSeenMs = Date.parse(row.last_seen_at);
  if (Date.parse(row.expires_at) <= nowMs) return null;
  if (lastSeenMs + policy.idleMinutes * 60_000 <= nowMs) return null;

  let lastSeenAt = row.last_seen_at;
  if (nowMs - lastSeenMs >= TOUCH_INTERVAL_MS) {
    lastSeenAt = now.toISOString();
    await db
      .updateTable('sessions')
      .set({ last_seen_at: lastSeenAt })
      .where('id', '=', row.id)
      .execute();
  }
  return {
    id: row.id,
    userId: row.user_id,
    createdAt: row.created_at,
    lastSeenAt,
    expiresAt: row.expires_at,
  };
}

/** Revokes one session, for example at sign-out. Revoking it again changes nothing. */
export async function revokeSession(db: Db, sessionId: number, now = new Date()): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ revoked_at: now.toISOString() })
    .where('id', '=', sessionId)
    .where('revoked_at', 'is', null)
    .execute();
}

/**
 * Revokes every session of a user except `keep`, and returns how many it revoked. Used when
 * a password changes or is reset and when an account is disabled.
 */
export async function revokeUserSessions(
  db: Db,
  userId: number,
  options: { keep?: number | null; now?: Date } = {},
): Promise<number> {
  let query = db
    .updateTable('sessions')
    .set({ revoked_at: (options.now ?? new Date()).toISOString() })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null);
  if (options.keep !== undefined && options.keep !== null)
    query = query.where('id', '!=', options.keep);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/**
 * Deletes sessions that ended more than `retentionDays` ago (expired or revoked), and returns
 * how many it deleted.
 */
export async function deleteEndedSessions(
  db: Db,
  retentionDays: number,
  now = new Date(),
): Promise<number> {
  const cutoff = new Date(now.getTime() - retentionDays * 86_400_000).toISOString();
  const result = await db
    .deleteFrom('sessions')
    .where((eb) => eb.or([eb('expires_at', '<', cutoff), eb('revoked_at', '<', cutoff)]))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
