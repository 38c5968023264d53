import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Database, OrganisationKind, UserTable } from '../db/schema.js';
import type { CurrentUser, Membership } from './current-user.js';
import { hashPassword } from './passwords.js';
import { isRole, type Role } from './permissions.js';
import { revokeUserSessions } from './session-store.js';

type Db = Kysely<Database> | Transaction<Database>;

/** Maximum e-mail address length, in characters: the limit of a forward path in RFC 5321. */
export const MAX_EMAIL_LENGTH = 254;

/** Maximum display name length, in characters. */
export const MAX_DISPLAY_NAME_LENGTH = 200;

/** A user account as stored, without its memberships. */
export interface UserAccount {
  id: number;
  email: string;
  emailLookup: string;
  displayName: string;
  /** Argon2id hash in PHC format, or null until a password is set. */
  passwordHash: string | null;
  passwordChangedAt: string | null;
  disabledAt: string | null;
  createdAt: string;
}

export interface NewUser {
  email: string;
  displayName: string;
  /** Plain password to hash and store. Without it, the account cannot sign in yet. */
  password?: string;
}

/** A member of an organisation, for lists of who has access. */
export interface OrganisationMember {
  userId: number;
  email: string;
  displayName: string;
  role: Role;
  disabled: boolean;
  memberSince: string;
}

/** Raised when an account or membership cannot be created or changed as asked. */
export class UserInputError extends Error {
  constructor(
    message: string,
    readonly field: 'email' | 'displayName' | 'role' | 'organisation' | 'user',
  ) {
    super(message);
    this.name = 'UserInputError';
  }
}

/**
 * Returns the key under which an address is looked up: the whole address in lower case, so
 * Jo.Bloggs@School.org and jo.bloggs@school.org are one account.
 */
export function emailLookupKey(email: string): string {
  return email.toLowerCase();
}

/**
 * Checks whether a value has the shape of an e-mail address: something, an @, and a domain with a
 * dot, no spaces, at most 254 characters. Whether it receives mail is not checked.
 */
export function isEmailAddress(value: string): boolean {
  return value.length <= MAX_EMAIL_LENGTH && /^[^\s@]+@[^\s@]+\.[^\s@.]+$/.test(value);
}

/**
 * Creates an account with the e-mail address as typed and its lower-case look-up key.
 * Throws `UserInputError` when the address is malformed or already has an account, or the
 * name is empty or longer than 200 characters.
 */
export async function createUser(db: Db, input: NewUser, now = new Date()): Promise<UserAccount> {
  if (!isEmailAddress(input.email)) {
    throw new UserInputError(
      `"${input.email}" is not an email address: enter one like name@example.com`,
      'email',
    );
  }
  if (input.displayName.trim() === '' || input.displayName.length > MAX_DISPLAY_NAME_LENGTH) {
    throw new UserInputError(
      `Enter the person's name, from 1 to ${MAX_DISPLAY_NAME_LENGTH} characters`,
      'displayName',
    );
  }
  if (await findUserByEmail(db, input.email)) {
    throw new UserInputError(`An account for ${input.email} already exists`, 'email');
  }

  const timestamp = now.toISOString();
  const row = await db
    .insertInto('users')
    .values({
      email: input.email,
      email_lookup: emailLookupKey(input.email),
      display_name: input.displayName,
      password_hash: input.password === undefined ? null : await hashPassword(input.password),
      password_changed_at: input.password === undefined ? null : timestamp,
      disabled_at: null,
      created_at: timestamp,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toUserAccount(row);
}

/** Finds an account by e-mail address in any letter case, disabled or not. */
export async function findUserByEmail(db: Db, email: string): Promise<UserAccount | undefined> {
  const row = await db
    .selectFrom('users')
    .selectAll()
    .where('email_lookup', '=', emailLookupKey(email))
    .executeTakeFirst();
  return row ? toUserAccount(row) : undefined;
}

export async function findUserById(db: Db, id: number): Promise<UserAccount | undefined> {
  const row = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toUserAccount(row) : undefined;
}

/**
 * Hashes and stores a new password. It does not check the password rules, which belong to
 * the form or command that received the password, and it does not revoke sessions.
 */
export async function setPassword(
  db: Db,
  userId: number,
  password: string,
  now = new Date(),
): Promise<void> {
  await setPasswordHash(db, userId, await hashPassword(password), now);
}

/** Stores a password hash made by `hashPassword`, for example a rehash with new parameters. */
export async function setPasswordHash(
  db: Db,
  userId: number,
  passwordHash: string,
  now = new Date(),
): Promise<void> {
  await db
    .updateTable('users')
    .set({ password_hash: passwordHash, password_changed_at: now.toISOString() })
    .where('id', '=', userId)
    .execute();
}

/**
 * Loads the signed-in user of a session with every membership, each with its organisation's
 * kind and name. Returns null when the account does not exist or is disabled. A membership
 * whose role this version does not know is left out, so it grants nothing.
 */
export async function loadCurrentUser(db: Db, userId: number): Promise<CurrentUser | null> {
  const user = await db
    .selectFrom('users')
    .select(['id', 'email', 'display_name', 'disabled_at'])
    .where('id', '=', userId)
    .executeTakeFirst();
  if (!user || user.disabled_at !== null) return null;

  const rows = await db
    .selectFrom('memberships')
    .innerJoin('organisations', 'organisations.id', 'memberships.organisation_id')
    .select([
      'memberships.organisation_id',
      'memberships.role',
      'organisations.kind',
      'organisations.name',
    ])
    .where('memberships.user_id', '=', userId)
    .orderBy('organisations.name')
    .orderBy('memberships.organisation_id')
    .execute();
  const memberships: Membership[] = [];
  for (const row of rows) {
    if (!isRole(row.role)) continue;
    memberships.push({
      organisationId: row.organisation_id,
      organisationKind: row.kind,
      organisationName: row.name,
      role: row.role,
    });
  }
  return { id: user.id, email: user.email, displayName: user.display_name, memberships };
}

/**
 * Gives a user a role in an organisation. Throws `UserInputError` when the organisation does
 * not exist or the user already belongs to it (change the role with `changeRole` instead).
 */
export async function addMembership(
  db: Db,
  membership: { userId: number; organisationId: number; role: Role },
  now = new Date(),
): Promise<void> {
  const organisation = await findOrganisationKind(db, membership.organisationId);
  if (organisation === undefined) {
    throw new UserInputError(
      `Organisation ${membership.organisationId} does not exist`,
      'organisation',
    );
  }
  const existing = await db
    .selectFrom('memberships')
    .select('role')
    .where('user_id', '=', membership.userId)
    .where('organisation_id', '=', membership.organisationId)
    .executeTakeFirst();
  if (existing) {
    throw new UserInputError(
      `User ${membership.userId} already belongs to organisation ${membership.organisationId} as ${existing.role}. Change the role instead`,
      'organisation',
    );
  }
  await db
    .insertInto('memberships')
    .values({
      user_id: membership.userId,
      organisation_id: membership.organisationId,
      role: membership.role,
      created_at: now.toISOString(),
    })
    .execute();
}

/** Lists the members of one organisation by name, disabled accounts included and marked. */
export async function listOrganisationUsers(
  db: Db,
  organisationId: number,
): Promise<OrganisationMember[]> {
  const rows = await db
    .selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.user_id')
    .select([
      'users.id',
      'users.email',
      'users.display_name',
      'users.disabled_at',
      'memberships.role',
      'memberships.created_at',
    ])
    .where('memberships.organisation_id', '=', organisationId)
    .orderBy('users.display_name')
    .orderBy('users.id')
    .execute();
  const members: OrganisationMember[] = [];
  for (const row of rows) {
    if (!isRole(row.role)) continue;
    members.push({
      userId: row.id,
      email: row.email,
      displayName: row.display_name,
      role: row.role,
      disabled: row.disabled_at !== null,
      memberSince: row.created_at,
    });
  }
  return members;
}

/** Changes a member's role. Returns false when the user does not belong to the organisation. */
export async function changeRole(
  db: Db,
  membership: { userId: number; organisationId: number; role: Role },
): Promise<boolean> {
  const result = await db
    .updateTable('memberships')
    .set({ role: membership.role })
    .where('user_id', '=', membership.userId)
    .where('organisation_id', '=', membership.organisationId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/**
 * Removes a user from an organisation. The account and its other memberships stay. Returns
 * false when the user did not belong to it.
 */
export async function removeMembership(
  db: Db,
  userId: number,
  organisationId: number,
): Promise<boolean> {
  const result = await db
    .deleteFrom('memberships')
    .where('user_id', '=', userId)
    .where('organisation_id', '=', organisationId)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/**
 * Disables an account and revokes all its sessions, so it is signed out everywhere at once.
 * The row stays, because the audit trail refers to it. Returns false when no such user exists.
 */
export async function disableUser(db: Db, userId: number, now = new Date()): Promise<boolean> {
  const result = await db
    .updateTable('users')
    .set({ disabled_at: now.toISOString() })
    .where('id', '=', userId)
    .where('disabled_at', 'is', null)
    .executeTakeFirst();
  await revokeUserSessions(db, userId, { now });
  if (Number(result.numUpdatedRows) > 0) return true;
  return (await findUserById(db, userId)) !== undefined;
}

async function findOrganisationKind(
  db: Db,
  organisationId: number,
): Promise<OrganisationKind | undefined> {
  const row = await db
    .selectFrom('organisations')
    .select('kind')
    .where('id', '=', organisationId)
    .executeTakeFirst();
  return row?.kind;
}

function toUserAccount(row: Selectable<UserTable>): UserAccount {
  return {
    id: row.id,
    email: row.email,
    emailLookup: row.email_lookup,
    displayName: row.display_name,
    passwordHash: row.password_hash,
    passwordChangedAt: row.password_changed_at,
    disabledAt: row.disabled_at,
    createdAt: row.created_at,
  };
}
