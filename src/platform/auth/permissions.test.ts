import { describe, expect, it } from 'vitest';
import {
  isPermission,
  isRole,
  PERMISSIONS,
  roleGrants,
  rolesInvitableBy,
  ROLES,
} from './permissions.js';

describe('roleGrants', () => {
  it.each([
    ['senior_leader', 'pupils:import', true],
    ['senior_leader', 'users:manage', false],
    ['staff', 'pupils:import', true],
    ['staff', 'audit:read', false],
    ['governor', 'school:read', true],
    ['governor', 'pupils:import', false],
    ['governor', 'users:invite', false],
    ['trust_officer', 'school:read', true],
    ['trust_officer', 'pupils:import', false],
    ['provider', 'school:read', false],
    ['administrator', 'users:manage', true],
    ['administrator', 'pupils:import', false],
  ] as const)('%s holds %s: %s', (role, permission, expected) => {
    expect(roleGrants(role, permission)).toBe(expected);
  });
});

describe('rolesInvitableBy', () => {
  it('lets a senior leader invite governors and staff', () => {
    const roles = rolesInvitableBy('senior_leader');

    expect(roles).toContain('governor');
    expect(roles).toContain('staff');
    expect(roles).toContain('senior_leader');
    expect(roles).not.toContain('administrator');
  });

  it('never offers a role stronger than the inviter’s, approval authority aside', () => {
    for (const inviter of ROLES) {
      for (const role of rolesInvitableBy(inviter)) {
        const stronger = PERMISSIONS.filter(
          (permission) =>
            permission !== 'plans:approve' &&
            permission !== 'delegation:set' &&
            roleGrants(role, permission) &&
            !roleGrants(inviter, permission),
        );
        expect(stronger, `${inviter} inviting ${role}`).toEqual([]);
      }
    }
    expect(rolesInvitableBy('governor')).not.toContain('staff');
    expect(rolesInvitableBy('administrator')).not.toContain('senior_leader');
  });

  it('lets an administrator set up governors, who approve plans', () => {
    expect(rolesInvitableBy('administrator')).toContain('governor');
    expect(roleGrants('governor', 'plans:approve')).toBe(true);
    expect(roleGrants('administrator', 'plans:approve')).toBe(false);
  });
});

describe('guards', () => {
  it('recognises roles and permissions', () => {
    expect(isRole('governor')).toBe(true);
    expect(isRole('head')).toBe(false);
    expect(isPermission('school:read')).toBe(true);
    expect(isPermission('school:write')).toBe(false);
  });
});
