import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import type { CurrentUser } from './current-user.js';
import { OVERSIGHT_ROLES, roleGrants, type Permission, type Role } from './permissions.js';

/**
 * Lists the roles through which `user` reaches an organisation: memberships of the
 * organisation itself, and trust or local-authority officer roles held in its parent.
 * Returns an empty list when the user has no way in, including when the organisation does
 * not exist, so callers cannot tell the two apart.
 */
export async function rolesInOrganisation(
  db: Kysely<Database>,
  user: CurrentUser,
  organisationId: number,
): Promise<Role[]> {
  const organisation = await db
    .selectFrom('organisations')
    .select(['id', 'parent_id'])
    .where('id', '=', organisationId)
    .executeTakeFirst();
  if (!organisation) return [];

  const roles: Role[] = [];
  for (const membership of user.memberships) {
    if (membership.organisationId === organisation.id) roles.push(membership.role);
    const overseesParent =
      organisation.parent_id !== null &&
      membership.organisationId === organisation.parent_id &&
      OVERSIGHT_ROLES.has(membership.role);
    if (overseesParent) roles.push(membership.role);
  }
  return roles;
}

export function rolesGrant(roles: readonly Role[], permission: Permission): boolean {
  return roles.some((role) => roleGrants(role, permission));
}

/** Ids of every organisation the user can reach: their own and, for officers, the schools beneath. */
export async function reachableOrganisationIds(
  db: Kysely<Database>,
  user: CurrentUser,
): Promise<number[]> {
  const direct = user.memberships.map((membership) => membership.organisationId);
  const overseen = user.memberships
    .filter((membership) => OVERSIGHT_ROLES.has(membership.role))
    .map((membership) => membership.organisationId);
  if (overseen.length === 0) return direct;

  const children = await db
    .selectFrom('organisations')
    .select('id')
    .where('parent_id', 'in', overseen)
    .execute();
  return [...new Set([...direct, ...children.map((row) => row.id)])];
}
