import { createHash, randomBytes } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Database, OrganisationKind } from '../db/schema.js';
import { isRole, type Role } from './permissions.js';

type Db = Kysely<Database> | Transaction<Database>;

/** Days for which an invitation link works; after that the inviter must send a new one. */
export const INVITATION_LIFETIME_DAYS = 7;

const DAY_MS = 24 * 60 * 60 * 1000;

/** Random bytes in an invitation token: 256 bits, so a token cannot be guessed. */
const TOKEN_BYTES = 32;

/** Shape of a token in a link: 32 bytes in base64url are 43 characters. */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export interface Invitation {
  id: number;
  organisationId: number;
  email: string;
  role: Role;
  invitedBy: number | null;
  createdAt: string;
  expiresAt: string;
}

/** A usable invitation with the names the acceptance page shows. */
export interface InvitationDetails extends Invitation {
  organisationName: string;
  organisationKind: OrganisationKind;
  inviterName: string | null;
}

export interface NewInvitation {
  organisationId: number;
  email: string;
  role: Role;
  invitedBy: number;
  /** Time of creation; the invitation expires `INVITATION_LIFETIME_DAYS` after it. */
  now?: Date;
}

/**
 * Returns the SHA-256 of a token as lower-case hex, the form in which tokens are stored. A copy
 * of the database therefore contains no working link.
 */
export function hashInvitationToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/**
 * Stores a new invitation and returns it with its token, which exists only in this return value
 * and the link made from it. Earlier invitations to the same address for the same organisation
 * that are still pending are revoked, so only the newest link works. `replaced` counts them.
 */
export async function createInvitation(
  db: Db,
  input: NewInvitation,
): Promise<{ invitation: Invitation; token: string; replaced: number }> {
  const now = input.now ?? new Date();
  const token = randomBytes(TOKEN_BYTES).toString('base64url');
  const expiresAt = new Date(now.getTime() + INVITATION_LIFETIME_DAYS * DAY_MS).toISOString();

  const revoked = await db
    .updateTable('invitations')
    .set({ revoked_at: now.toISOString() })
    .where('organisation_id', '=', input.organisationId)
    .where((eb) => eb(eb.fn('lower', ['email']), '=', input.email.toLowerCase()))
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();

  const row = await db
    .insertInto('invitations')
    .values({
      token_hash: hashInvitationToken(token),
      organisation_id: input.organisationId,
      email: input.email,
      role: input.role,
      invited_by: input.invitedBy,
      created_at: now.toISOString(),
      expires_at: expiresAt,
      accepted_at: null,
      revoked_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();

  return {
    invitation: {
      id: row.id,
      organisationId: input.organisationId,
      email: input.email,
      role: input.role,
      invitedBy: input.invitedBy,
      createdAt: now.toISOString(),
      expiresAt,
    },
    token,
    replaced: Number(revoked.numUpdatedRows),
  };
}

/**
 * Finds the invitation a link's token names, with its organisation's and inviter's names.
 * Returns null when the token is malformed or unknown, or the invitation was accepted, revoked
 * or has expired, without saying which, so a link reveals nothing beyond being unusable.
 */
export async function findUsableInvitation(
  db: Db,
  token: string,
  now: Date = new Date(),
): Promise<InvitationDetails | null> {
  if (!TOKEN_PATTERN.test(token)) return null;

  const row = await db
    .selectFrom('invitations')
    .innerJoin('organisations', 'organisations.id', 'invitations.organisation_id')
    .leftJoin('users', 'users.id', 'invitations.invited_by')
    .select([
      'invitations.id',
      'invitations.organisation_id',
      'invitations.email',
      'invitations.role',
      'invitations.invited_by',
      'invitations.created_at',
      'invitations.expires_at',
      'organisations.name as organisation_name',
      'organisations.kind as organisation_kind',
      'users.display_name as inviter_name',
    ])
    .where('invitations.token_hash', '=', hashInvitationToken(token))
    .where('invitations.accepted_at', 'is', null)
    .where('invitations.revoked_at', 'is', null)
    .where('invitations.expires_at', '>', now.toISOString())
    .executeTakeFirst();
  if (!row || !isRole(row.role)) return null;

  return {
    id: row.id,
    organisationId: row.organisation_id,
    email: row.email,
    role: row.role,
    invitedBy: row.invited_by,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    organisationName: row.organisation_name,
    organisationKind: row.organisation_kind,
    inviterName: row.inviter_name,
  };
}

/**
 * Marks an invitation accepted if it is still usable at `now`. Returns false when it was
 * already accepted, revoked or has expired. The check and the change are one UPDATE, so of two
 * requests that race with the same link only one succeeds. Call it first in the transaction
 * that adds the membership, and roll back when it returns false.
 */
export async function markInvitationAccepted(
  db: Db,
  invitationId: number,
  now: Date = new Date(),
): Promise<boolean> {
  const result = await db
    .updateTable('invitations')
    .set({ accepted_at: now.toISOString() })
    .where('id', '=', invitationId)
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now.toISOString())
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

/**
 * Revokes one pending invitation of an organisation, so its link stops working. Returns the
 * invitation as it was, or null when the organisation has no pending invitation with that id.
 */
export async function revokeInvitation(
  db: Db,
  organisationId: number,
  invitationId: number,
  now: Date = new Date(),
): Promise<Invitation | null> {
  const row = await db
    .updateTable('invitations')
    .set({ revoked_at: now.toISOString() })
    .where('id', '=', invitationId)
    .where('organisation_id', '=', organisationId)
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now.toISOString())
    .returning(['id', 'organisation_id', 'email', 'role', 'invited_by', 'created_at', 'expires_at'])
    .executeTakeFirst();
  return row ? toInvitation(row) : null;
}

/** Lists an organisation's invitations that can still be accepted, soonest to expire first. */
export async function listPendingInvitations(
  db: Db,
  organisationId: number,
  now: Date = new Date(),
): Promise<Invitation[]> {
  const rows = await db
    .selectFrom('invitations')
    .select(['id', 'organisation_id', 'email', 'role', 'invited_by', 'created_at', 'expires_at'])
    .where('organisation_id', '=', organisationId)
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now.toISOString())
    .orderBy('expires_at')
    .orderBy('id')
    .execute();
  return rows.map(toInvitation);
}

function toInvitation(row: {
  id: number;
  organisation_id: number;
  email: string;
  role: string;
  invited_by: number | null;
  created_at: string;
  expires_at: string;
}): Invitation {
  if (!isRole(row.role)) throw new Error(`Invitation ${row.id} has unknown role "${row.role}"`);
  return {
    id: row.id,
    organisationId: row.organisation_id,
    email: row.email,
    role: row.role,
    invitedBy: row.invited_by,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
  };
}
