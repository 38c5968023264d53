import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.js';
import { isRole, PERMISSIONS, roleGrants, rolesInvitableBy, type Role } from './permissions.js';

type Db = Kysely<Database> | Transaction<Database>;

/** Roles a school member can hold. Officers and providers belong to their own organisations. */
export const SCHOOL_MEMBER_ROLES: readonly Role[] = [
  'senior_leader',
  'staff',
  'governor',
  'administrator',
];

/** Roles of which every school must keep at least one member, so someone can manage access. */
export const LEADERSHIP_ROLES: ReadonlySet<Role> = new Set(['senior_leader', 'administrator']);

/** A member of an organisation, named by the id of their membership row. */
export interface Member {
  membershipId: number;
  userId: number;
  email: string;
  displayName: string;
  role: Role;
  disabled: boolean;
  memberSince: string;
}

/**
 * Returns the strongest of a person's roles in an organisation: the one that grants the most
 * permissions, the first in `roles` on a tie. Returns null for an empty list.
 */
export function strongestRole(roles: readonly Role[]): Role | null {
  let strongest: Role | null = null;
  let strongestCount = -1;
  for (const role of roles) {
    const count = PERMISSIONS.filter((permission) => roleGrants(role, permission)).length;
    if (count > strongestCount) {
      strongest = role;
      strongestCount = count;
    }
  }
  return strongest;
}

/**
 * Lists the roles a person may give to a school member: those no stronger than their own
 * strongest role there, and only roles a school member can hold.
 */
export function schoolRolesGivenBy(roles: readonly Role[]): Role[] {
  const strongest = strongestRole(roles);
  if (strongest === null) return [];
  const allowed = new Set(rolesInvitableBy(strongest));
  return SCHOOL_MEMBER_ROLES.filter((role) => allowed.has(role));
}

/** Lists an organisation's members by name, disabled accounts included and marked. */
export async function listMembers(db: Db, organisationId: number): Promise<Member[]> {
  const rows = await memberQuery(db, organisationId)
    .orderBy('users.display_name')
    .orderBy('users.id')
    .execute();
  return rows.flatMap(toMember);
}

/** Finds one membership of an organisation by its id, or returns undefined. */
export async function findMember(
  db: Db,
  organisationId: number,
  membershipId: number,
): Promise<Member | undefined> {
  const row = await memberQuery(db, organisationId)
    .where('memberships.id', '=', membershipId)
    .executeTakeFirst();
  return row ? toMember(row)[0] : undefined;
}

/** Checks whether the address, in any letter case, belongs to a member of the organisation. */
export async function isMemberEmail(
  db: Db,
  organisationId: number,
  email: string,
): Promise<boolean> {
  const row = await db
    .selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.user_id')
    .select('memberships.id')
    .where('memberships.organisation_id', '=', organisationId)
    .where('users.email_lookup', '=', email.toLowerCase())
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Locks an organisation's row until the transaction ends, so that concurrent changes to its
 * memberships run one after another. Without the lock, two administrators demoting each other
 * at the same moment would each still see the other as a leader, and both changes would pass.
 * Call it first in the transaction.
 */
export async function lockOrganisation(trx: Transaction<Database>, organisationId: number) {
  await trx
    .updateTable('organisations')
    .set((eb) => ({ name: eb.ref('name') }))
    .where('id', '=', organisationId)
    .execute();
}

/**
 * Checks whether taking a membership away, or giving it a role outside `LEADERSHIP_ROLES`,
 * would leave the organisation with no senior leader or administrator. Call it after
 * `lockOrganisation` in the transaction that makes the change.
 */
export async function isLastLeader(
  db: Db,
  organisationId: number,
  membershipId: number,
): Promise<boolean> {
  const leaders = await db
    .selectFrom('memberships')
    .select('id')
    .where('organisation_id', '=', organisationId)
    .where('role', 'in', [...LEADERSHIP_ROLES])
    .execute();
  return leaders.length > 0 && leaders.every((leader) => leader.id === membershipId);
}

function memberQuery(db: Db, organisationId: number) {
  return db
    .selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.user_id')
    .select([
      'memberships.id as membership_id',
      'users.id as user_id',
      'users.email',
      'users.display_name',
      'users.disabled_at',
      'memberships.role',
      'memberships.created_at',
    ])
    .where('memberships.organisation_id', '=', organisationId);
}

/** Maps a row to a member. A role this version does not know grants nothing, so it is left out. */
function toMember(row: {
  membership_id: number;
  user_id: number;
  email: string;
  display_name: string;
  disabled_at: string | null;
  role: string;
  created_at: string;
}): Member[] {
  if (!isRole(row.role)) return [];
  return [
    {
      membershipId: row.membership_id,
      userId: row.user_id,
      email: row.email,
      displayName: row.display_name,
      role: row.role,
      disabled: row.disabled_at !== null,
      memberSince: row.created_at,
    },
  ];
}
