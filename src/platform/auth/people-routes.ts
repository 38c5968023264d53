import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import { auditFieldsOf, recordAuditEvent } from '../audit/audit-store.js';
import type { Database } from '../db/schema.js';
import { NotFoundError } from '../http/http-errors.js';
import { parseId, requireSchool } from '../http/school-scope.js';
import type { School } from '../organisations/organisation-store.js';
import { listPendingInvitations, revokeInvitation } from './invitation-store.js';
import { rolesGrant } from './organisation-access.js';
import {
  findMember,
  isLastLeader,
  LEADERSHIP_ROLES,
  listMembers,
  lockOrganisation,
  schoolRolesGivenBy,
  type Member,
} from './people-store.js';
import { isRole, ROLE_LABELS, roleGrants, type Role } from './permissions.js';
import { revokeUserSessions } from './session-store.js';
import { changeRole, removeMembership } from './user-store.js';

export interface PeopleRoutesOptions {
  db: Kysely<Database>;
}

/** One entry in a GOV.UK error summary, with `href` pointing at the control to use, if any. */
interface FormError {
  text: string;
  href?: string;
}

type SchoolParams = { schoolId: string };
type MemberParams = { schoolId: string; membershipId: string };

/** Confirmations the people page shows after a change, named in `?notice=`. */
const NOTICES = {
  'role-changed': 'Role changed',
  'access-removed': 'Access removed. The person has been signed out everywhere.',
  'invitation-revoked': 'Invitation revoked. Its link no longer works.',
} as const;

const peopleQuery = z.object({
  notice: z.enum(['role-changed', 'access-removed', 'invitation-revoked']).optional(),
});
const roleBody = z.object({ role: z.string().optional() });
const revokeBody = z.object({ invitationId: z.string().optional() });

const LAST_LEADER_MESSAGE =
  'A school must keep at least one senior leader or administrator. Give someone else one of those roles first';

/** Raised inside a membership transaction to roll it back and explain why to the user. */
class MembershipChangeError extends Error {
  constructor(readonly formError: FormError) {
    super(formError.text);
    this.name = 'MembershipChangeError';
  }
}

/**
 * Serves the people page of a school, with its members and pending invitations, and the forms
 * behind it: an administrator changes a member's role or removes their access, and a senior
 * leader or administrator revokes an invitation. Every change is recorded in the audit trail.
 */
export const peopleRoutes: FastifyPluginAsync<PeopleRoutesOptions> = async (app, { db }) => {
  app.get<{ Params: SchoolParams; Querystring: Record<string, string> }>(
    '/schools/:schoolId/people',
    { config: { access: 'users:invite' } },
    async (request, reply) => {
      const school = await requireSchool(db, request.params.schoolId);
      const query = peopleQuery.safeParse(request.query);
      const notice = query.success && query.data.notice ? NOTICES[query.data.notice] : null;
      return renderPeoplePage(request, reply, school, [], notice);
    },
  );

  // Registered before removal so that a permission check walking the routes in order
  // changes a member's role before it removes them.
  app.post<{ Params: MemberParams }>(
    '/schools/:schoolId/people/:membershipId/role',
    { config: { access: 'users:manage' } },
    async (request, reply) => {
      const school = await requireSchool(db, request.params.schoolId);
      const membershipId = parseId(request.params.membershipId, 'Membership id');
      const member = await requireMember(school, membershipId);
      const body = roleBody.safeParse(request.body ?? {});
      const role = body.success ? (body.data.role ?? '') : '';

      if (role === member.role) return reply.redirect(peoplePath(school), 303);
      const assignable = schoolRolesGivenBy(request.organisationRoles);
      if (!isRole(role) || !assignable.includes(role)) {
        request.log.info({ organisationId: school.id, membershipId }, 'role change rejected');
        reply.code(422);
        return renderPeoplePage(request, reply, school, [
          { text: `Select a new role for ${member.displayName}`, href: `#role-${membershipId}` },
        ]);
      }

      try {
        await db.transaction().execute(async (trx) => {
          await lockOrganisation(trx, school.id);
          const current = await findMember(trx, school.id, membershipId);
          if (!current) throw new NotFoundError(`Membership ${membershipId} was removed`);
          const losesLeadership = LEADERSHIP_ROLES.has(current.role) && !LEADERSHIP_ROLES.has(role);
          if (losesLeadership && (await isLastLeader(trx, school.id, membershipId))) {
            throw new MembershipChangeError({
              text: `You cannot change ${current.displayName}’s role. ${LAST_LEADER_MESSAGE}`,
              href: `#role-${membershipId}`,
            });
          }

          await changeRole(trx, { userId: current.userId, organisationId: school.id, role });
          await recordAuditEvent(trx, {
            ...auditFieldsOf(request),
            action: 'role-changed',
            organisationId: school.id,
            subjectType: 'membership',
            subjectId: membershipId,
            details: {
              memberUserId: current.userId,
              email: current.email,
              fromRole: current.role,
              toRole: role,
            },
          });
        });
      } catch (error) {
        if (!(error instanceof MembershipChangeError)) throw error;
        request.log.info({ organisationId: school.id, membershipId }, 'last leader kept');
        reply.code(409);
        return renderPeoplePage(request, reply, school, [error.formError]);
      }

      request.log.info({ organisationId: school.id, membershipId, role }, 'role changed');
      // A person who gave themselves a weaker role may no longer see the people page.
      if (member.userId === request.currentUser?.id && !roleGrants(role, 'users:invite')) {
        return reply.redirect(`/schools/${school.id}`, 303);
      }
      return reply.redirect(`${peoplePath(school)}?notice=role-changed`, 303);
    },
  );

  app.post<{ Params: MemberParams }>(
    '/schools/:schoolId/people/:membershipId/remove',
    { config: { access: 'users:manage' } },
    async (request, reply) => {
      const school = await requireSchool(db, request.params.schoolId);
      const membershipId = parseId(request.params.membershipId, 'Membership id');
      await requireMember(school, membershipId);

      let removed: Member;
      try {
        removed = await db.transaction().execute(async (trx) => {
          await lockOrganisation(trx, school.id);
          const current = await findMember(trx, school.id, membershipId);
          if (!current) throw new NotFoundError(`Membership ${membershipId} was removed`);
          if (
            LEADERSHIP_ROLES.has(current.role) &&
            (await isLastLeader(trx, school.id, membershipId))
          ) {
            throw new MembershipChangeError({
              text: `You cannot remove ${current.displayName}’s access. ${LAST_LEADER_MESSAGE}`,
              href: `#remove-${membershipId}`,
            });
          }

          await removeMembership(trx, current.userId, school.id);
          // NOTE: this signs the person out of every organisation they belong to, not only this one.
          const sessionsRevoked = await revokeUserSessions(trx, current.userId);
          await recordAuditEvent(trx, {
            ...auditFieldsOf(request),
            action: 'access-removed',
            organisationId: school.id,
            subjectType: 'membership',
            subjectId: membershipId,
            details: {
              memberUserId: current.userId,
              email: current.email,
              role: current.role,
              sessionsRevoked,
            },
          });
          return current;
        });
      } catch (error) {
        if (!(error instanceof MembershipChangeError)) throw error;
        request.log.info({ organisationId: school.id, membershipId }, 'last leader kept');
        reply.code(409);
        return renderPeoplePage(request, reply, school, [error.formError]);
      }

      request.log.info({ organisationId: school.id, membershipId }, 'access removed');
      // A person who removed their own access has just lost their session too.
      if (removed.userId === request.currentUser?.id) return reply.redirect('/', 303);
      return reply.redirect(`${peoplePath(school)}?notice=access-removed`, 303);
    },
  );

  app.post<{ Params: SchoolParams }>(
    '/schools/:schoolId/people/invitations/revoke',
    { config: { access: 'users:invite' } },
    async (request, reply) => {
      const school = await requireSchool(db, request.params.schoolId);
      const body = revokeBody.safeParse(request.body ?? {});
      const invitationId =
        body.success && body.data.invitationId && /^[1-9]\d{0,9}$/.test(body.data.invitationId)
          ? Number(body.data.invitationId)
          : null;

      const revoked =
        invitationId === null
          ? null
          : await db.transaction().execute(async (trx) => {
              const invitation = await revokeInvitation(trx, school.id, invitationId);
              if (invitation === null) return null;
              await recordAuditEvent(trx, {
                ...auditFieldsOf(request),
                action: 'invitation-revoked',
                organisationId: school.id,
                subjectType: 'invitation',
                subjectId: invitation.id,
                details: { email: invitation.email, role: invitation.role },
              });
              return invitation;
            });

      if (revoked === null) {
        request.log.info({ organisationId: school.id, invitationId }, 'invitation not revocable');
        reply.code(422);
        return renderPeoplePage(request, reply, school, [
          {
            text: 'That invitation cannot be revoked because it has been accepted, revoked or has expired',
          },
        ]);
      }
      request.log.info({ organisationId: school.id, invitationId }, 'invitation revoked');
      return reply.redirect(`${peoplePath(school)}?notice=invitation-revoked`, 303);
    },
  );

  async function requireMember(school: School, membershipId: number): Promise<Member> {
    const member = await findMember(db, school.id, membershipId);
    if (!member)
      throw new NotFoundError(`Membership ${membershipId} is not in school ${school.id}`);
    return member;
  }

  async function renderPeoplePage(
    request: FastifyRequest,
    reply: FastifyReply,
    school: School,
    errors: FormError[],
    notice: string | null = null,
  ): Promise<string> {
    const [members, invitations] = await Promise.all([
      listMembers(db, school.id),
      listPendingInvitations(db, school.id),
    ]);
    const canManage = rolesGrant(request.organisationRoles, 'users:manage');
    const assignable = schoolRolesGivenBy(request.organisationRoles);

    return reply.viewAsync('pages/people.njk', {
      school,
      errors,
      notice,
      canManage,
      members: members.map((member) => ({
        ...member,
        roleLabel: ROLE_LABELS[member.role],
        isYou: member.userId === request.currentUser?.id,
        roleItems: roleItemsFor(member.role, assignable),
      })),
      invitations: invitations.map((invitation) => ({
        ...invitation,
        roleLabel: ROLE_LABELS[invitation.role],
      })),
      csrfToken: reply.generateCsrf(),
    });
  }
};

function peoplePath(school: School): string {
  return `/schools/${school.id}/people`;
}

/** Options for a member's role select: the roles the viewer may give, and the current one. */
function roleItemsFor(current: Role, assignable: readonly Role[]) {
  const roles = assignable.includes(current) ? assignable : [current, ...assignable];
  return roles.map((role) => ({
    value: role,
    text: ROLE_LABELS[role],
    selected: role === current,
  }));
}
