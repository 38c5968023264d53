/**
 * Who may do what. Every route declares one permission (or `public`), and this table alone
 * decides which roles hold it. A role is held in one organisation; trust and local-authority
 * officers hold theirs in the trust or authority and reach the schools beneath it.
 */

export const ROLES = [
  'senior_leader',
  'staff',
  'governor',
  'trust_officer',
  'local_authority_officer',
  'provider',
  'administrator',
] as const;

export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Readonly<Record<Role, string>> = {
  senior_leader: 'Senior leader',
  staff: 'Staff',
  governor: 'Governor or trustee',
  trust_officer: 'Trust officer',
  local_authority_officer: 'Local authority officer',
  provider: 'Provider',
  administrator: 'Administrator',
};

export const PERMISSIONS = [
  /** See a school's overview, gap analysis and import history (figures, no pupil names). */
  'school:read',
  /** Upload, preview and commit pupil data. */
  'pupils:import',
  /** Download figures as CSV. */
  'school:export',
  /** Invite people to the organisation and see who has access. */
  'users:invite',
  /** Change roles, revoke access and sessions. */
  'users:manage',
  /** Read and download the organisation's audit trail. */
  'audit:read',
  /** Change the organisation's settings, such as the delegated approval limit. */
  'settings:manage',
  /** Record and change needs and the school improvement plan priorities they serve. */
  'needs:manage',
  /** Add evidence and barriers to a need, and save a copy of the group analysis as evidence. */
  'evidence:add',
  /** Draft, change and submit commissioning plans. */
  'plans:write',
  /** Approve or return a submitted plan, within the limits the school's scheme of delegation sets. */
  'plans:approve',
  /**
   * Set the delegated approval limit. The governing board sets it in its scheme of delegation,
   * so that senior leaders cannot raise the limit on their own approvals.
   */
  'delegation:set',
  /** Record a plan's funding, payment model, settlement outcome lines and value-for-money figures. */
  'finance:manage',
  /** Change the reference figures finance relies on: Pupil Premium rates and unit costs. */
  'reference:manage',
] as const;

export type Permission = (typeof PERMISSIONS)[number];

/** A route's declared need: a permission in the organisation it addresses, or none at all. */
export type RouteAccess = Permission | 'public' | 'signed-in';

const GRANTS: Readonly<Record<Role, readonly Permission[]>> = {
  senior_leader: [
    'school:read',
    'pupils:import',
    'school:export',
    'users:invite',
    'audit:read',
    'settings:manage',
    'needs:manage',
    'evidence:add',
    'plans:write',
    'plans:approve',
    'finance:manage',
  ],
  // Staff record evidence and lead commissions day to day; senior leaders own needs.
  staff: ['school:read', 'pupils:import', 'school:export', 'evidence:add', 'plans:write'],
  // Governors oversee: they read everything a school shows and change nothing, except that
  // they approve plans above the delegated limit.
  governor: ['school:read', 'school:export', 'plans:approve', 'delegation:set'],
  trust_officer: ['school:read', 'school:export'],
  local_authority_officer: ['school:read', 'school:export'],
  // Providers see only the pupils of their own services, which later parts of the cycle add.
  provider: [],
  administrator: [
    'school:read',
    'school:export',
    'users:invite',
    'users:manage',
    'audit:read',
    'settings:manage',
    'reference:manage',
  ],
};

/** Roles that reach the schools beneath the organisation in which they are held. */
export const OVERSIGHT_ROLES: ReadonlySet<Role> = new Set([
  'trust_officer',
  'local_authority_officer',
]);

/**
 * Permissions left out when roles are compared for invitations. Approving plans and setting
 * the delegated limit are authorities the governing board holds, not powers the inviter passes
 * on: a clerk who sets up a governor's account gains nothing by it, and
 * each approval is recorded with the approver's name.
 */
const NOT_COMPARED_FOR_INVITATIONS: ReadonlySet<Permission> = new Set([
  'plans:approve',
  'delegation:set',
]);

/** Roles a person may give when inviting: only roles no stronger than their own. */
export function rolesInvitableBy(role: Role): Role[] {
  const own = new Set(GRANTS[role]);
  return ROLES.filter((candidate) =>
    GRANTS[candidate].every(
      (permission) => own.has(permission) || NOT_COMPARED_FOR_INVITATIONS.has(permission),
    ),
  );
}

export function roleGrants(role: Role, permission: Permission): boolean {
  return GRANTS[role].includes(permission);
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

export function isPermission(value: string): value is Permission {
  return (PERMISSIONS as readonly string[]).includes(value);
}
