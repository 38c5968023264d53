import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely, Transaction } from 'kysely';
import { z } from 'zod';
import { auditFieldsOf, recordAccountEvent, recordAuditEvent } from '../audit/audit-store.js';
import type { Config } from '../config.js';
import type { Database } from '../db/schema.js';
import { requireSchool } from '../http/school-scope.js';
import { formatDateTime } from '../http/views.js';
import type { School } from '../organisations/organisation-store.js';
import {
  createInvitation,
  findUsableInvitation,
  INVITATION_LIFETIME_DAYS,
  markInvitationAccepted,
  type Invitation,
  type InvitationDetails,
} from './invitation-store.js';
import { composeInvitationEmail, createMailer, type Mailer } from './mailer.js';
import { isMemberEmail, schoolRolesGivenBy } from './people-store.js';
import { checkNewPassword, MIN_PASSWORD_LENGTH } from './password-rules.js';
import { ROLE_LABELS, type Role } from './permissions.js';
import {
  addMembership,
  createUser,
  emailLookupKey,
  findUserByEmail,
  isEmailAddress,
  MAX_DISPLAY_NAME_LENGTH,
  UserInputError,
} from './user-store.js';

export interface InvitationRoutesOptions {
  db: Kysely<Database>;
  config: Pick<Config, 'SMTP_URL' | 'MAIL_FROM' | 'PUBLIC_URL'>;
}

/** One entry in a GOV.UK error summary, linked to the field to correct. */
interface FormError {
  text: string;
  href: string;
}

type SchoolParams = { schoolId: string };

const inviteBody = z.object({
  email: z.string().optional(),
  role: z.string().optional(),
});

/**
 * Invitations to an organisation: the form at `/schools/:schoolId/people/invite` with which a
 * senior leader or administrator invites someone by e-mail address, and the link the invited
 * person opens. With SMTP_URL set, the link goes by e-mail. Without it, the page shows the
 * inviter the link once, and the inviter passes it on.
 */
export const invitationRoutes: FastifyPluginAsync<InvitationRoutesOptions> = async (
  app,
  { db, config },
) => {
  const mailer: Mailer | null =
    config.SMTP_URL !== undefined && config.MAIL_FROM !== undefined
      ? createMailer({ smtpUrl: config.SMTP_URL, from: config.MAIL_FROM })
      : null;
  if (mailer) app.addHook('onClose', async () => mailer.close());

  app.get<{ Params: SchoolParams }>(
    '/schools/:schoolId/people/invite',
    { config: { access: 'users:invite' } },
    async (request, reply) => {
      const school = await requireSchool(db, request.params.schoolId);
      return renderInviteForm(request, reply, school, { email: '', role: '' }, []);
    },
  );

  app.post<{ Params: SchoolParams }>(
    '/schools/:schoolId/people/invite',
    { config: { access: 'users:invite' } },
    async (request, reply) => {
      const school = await requireSchool(db, request.params.schoolId);
      const parsed = inviteBody.safeParse(request.body ?? {});
      const email = parsed.success ? (parsed.data.email ?? '') : '';
      const role = parsed.success ? (parsed.data.role ?? '') : '';
      const allowedRoles = schoolRolesGivenBy(request.organisationRoles);

      const errors: FormError[] = [];
      if (email === '') {
        errors.push({ text: 'Enter an email address', href: '#email' });
      } else if (!isEmailAddress(email)) {
        errors.push({
          text: 'Enter an email address in the correct format, like name@example.com',
          href: '#email',
        });
      } else if (await isMemberEmail(db, school.id, email)) {
        errors.push({
          text: `${email} already has access to ${school.name}. To change what they can do, an administrator can change their role on the people page`,
          href: '#email',
        });
      }
      if (!allowedRoles.includes(role as Role)) {
        errors.push({ text: 'Select a role', href: '#role' });
      }
      if (errors.length > 0) {
        request.log.info(
          { organisationId: school.id, fields: errors.length },
          'invitation rejected',
        );
        reply.code(422);
        return renderInviteForm(request, reply, school, { email, role }, errors);
      }

      const inviter = request.currentUser;
      if (inviter === null) throw new Error('The access check lets only signed-in users invite');
      const { invitation, token, replaced } = await db.transaction().execute(async (trx) => {
        const created = await createInvitation(trx, {
          organisationId: school.id,
          email,
          role: role as Role,
          invitedBy: inviter.id,
        });
        await recordAuditEvent(trx, {
          ...auditFieldsOf(request),
          action: 'invitation-sent',
          organisationId: school.id,
          subjectType: 'invitation',
          subjectId: created.invitation.id,
          details: {
            email,
            role,
            delivery: mailer ? 'email' : 'link-shown',
            replacedInvitations: created.replaced,
          },
        });
        return created;
      });

      const link = invitationLink(request, config.PUBLIC_URL, token);
      const emailed = mailer
        ? await sendInvitation(request, mailer, school, invitation, link)
        : false;
      if (mailer && !emailed) {
        await recordAuditEvent(db, {
          ...auditFieldsOf(request),
          action: 'invitation-email-failed',
          organisationId: school.id,
          subjectType: 'invitation',
          subjectId: invitation.id,
          details: { email, delivery: 'link-shown' },
        });
      }
      request.log.info(
        { organisationId: school.id, invitationId: invitation.id, emailed, replaced },
        'invitation created',
      );

      // The page may show the link, which must not stay in a shared computer's browser cache.
      reply.header('Cache-Control', 'no-store');
      return reply.viewAsync('pages/invitation-sent.njk', {
        school,
        email,
        roleLabel: ROLE_LABELS[invitation.role],
        expiresAt: invitation.expiresAt,
        emailed,
        emailFailed: mailer !== null && !emailed,
        // The token exists nowhere else, so without e-mail this page is the only copy of it.
        link: emailed ? null : link,
        lifetimeDays: INVITATION_LIFETIME_DAYS,
      });
    },
  );

  app.get<{ Params: TokenParams }>(
    '/invitations/:token',
    { config: { access: 'public' } },
    async (request, reply) => {
      const invitation = await findUsableInvitation(db, request.params.token);
      if (invitation === null) return renderInvalidInvitation(request, reply);
      const hasAccount = (await findUserByEmail(db, invitation.email)) !== undefined;
      return renderAcceptPage(request, reply, invitation, hasAccount, { displayName: '' }, []);
    },
  );

  app.post<{ Params: TokenParams }>(
    '/invitations/:token',
    { config: { access: 'public' } },
    async (request, reply) => {
      const invitation = await findUsableInvitation(db, request.params.token);
      if (invitation === null) return renderInvalidInvitation(request, reply);

      const existing = await findUserByEmail(db, invitation.email);
      if (existing) {
        if (!isSignedInAs(request, invitation.email)) {
          request.log.info(
            { invitationId: invitation.id, userId: request.currentUser?.id ?? null },
            'invitation for an existing account posted without that account signed in',
          );
          reply.code(403);
          return renderAcceptPage(request, reply, invitation, true, { displayName: '' }, []);
        }
        const accepted = await acceptForExistingUser(request, invitation, existing.id);
        if (!accepted) return renderInvalidInvitation(request, reply);
        request.log.info(
          { userId: existing.id, invitationId: invitation.id },
          'invitation accepted by an existing account',
        );
        return reply.redirect(destinationOf(invitation), 303);
      }

      const parsed = acceptBody.safeParse(request.body ?? {});
      const form = parsed.success ? parsed.data : {};
      const displayName = form.displayName ?? '';
      const errors = checkAccountForm(invitation.email, {
        displayName,
        password: form.password ?? '',
        confirmPassword: form.confirmPassword ?? '',
      });
      if (errors.length > 0) {
        request.log.info(
          { invitationId: invitation.id, fields: errors.length },
          'account form rejected',
        );
        reply.code(422);
        return renderAcceptPage(request, reply, invitation, false, { displayName }, errors);
      }

      let userId: number;
      try {
        const created = await db.transaction().execute(async (trx) => {
          const user = await createUser(trx, {
            email: invitation.email,
            displayName,
            password: form.password ?? '',
          });
          await recordAuditEvent(trx, {
            ...auditFieldsOf(request),
            userId: user.id,
            action: 'user-created',
            organisationId: invitation.organisationId,
            subjectType: 'user',
            subjectId: user.id,
            details: { email: user.email, through: 'invitation', invitationId: invitation.id },
          });
          const accepted = await acceptInTransaction(trx, request, invitation, user.id, true);
          // Rolls the account back with the rest: the link was used or revoked meanwhile.
          if (!accepted) throw new InvitationUnusableError();
          return user;
        });
        userId = created.id;
      } catch (error) {
        if (error instanceof InvitationUnusableError)
          return renderInvalidInvitation(request, reply);
        // Someone created an account with this address since the page was opened.
        if (error instanceof UserInputError && error.field === 'email') {
          request.log.info(
            { invitationId: invitation.id },
            'account for the invited address created while the form was open',
          );
          reply.code(409);
          return renderAcceptPage(request, reply, invitation, true, { displayName: '' }, []);
        }
        throw error;
      }

      // A CSRF secret planted in this browser before sign-in must not work afterwards.
      delete request.cookies[CSRF_COOKIE];
      reply.generateCsrf();
      await reply.startSession(userId);
      await recordAccountEvent(db, {
        ...auditFieldsOf(request),
        userId,
        action: 'sign-in',
        subjectType: 'session',
        subjectId: request.sessionId,
        details: { method: 'invitation' },
      });
      request.log.info(
        { userId, invitationId: invitation.id, sessionId: request.sessionId },
        'invitation accepted with a new account',
      );
      return reply.redirect(destinationOf(invitation), 303);
    },
  );

  /**
   * Marks the invitation accepted and gives an existing account its membership, in one
   * transaction. Returns false when the invitation stopped being usable since it was read.
   */
  async function acceptForExistingUser(
    request: FastifyRequest,
    invitation: InvitationDetails,
    userId: number,
  ): Promise<boolean> {
    try {
      return await db.transaction().execute(async (trx) => {
        const accepted = await acceptInTransaction(trx, request, invitation, userId, false);
        if (!accepted) throw new InvitationUnusableError();
        return true;
      });
    } catch (error) {
      if (error instanceof InvitationUnusableError) return false;
      throw error;
    }
  }
};

type TokenParams = { token: string };

/** Name of the cookie in which `@fastify/csrf-protection` keeps the CSRF secret. */
const CSRF_COOKIE = '_csrf';

const acceptBody = z.object({
  displayName: z.string().optional(),
  password: z.string().optional(),
  confirmPassword: z.string().optional(),
});

/** Raised inside a transaction to roll it back when the invitation can no longer be used. */
class InvitationUnusableError extends Error {
  constructor() {
    super('The invitation was accepted, revoked or expired while the request ran');
    this.name = 'InvitationUnusableError';
  }
}

/**
 * Marks the invitation accepted and adds the membership, unless the user already belongs to
 * the organisation, in which case their current role stays. Returns false, changing nothing,
 * when the invitation is no longer usable.
 */
async function acceptInTransaction(
  trx: Transaction<Database>,
  request: FastifyRequest,
  invitation: InvitationDetails,
  userId: number,
  newAccount: boolean,
): Promise<boolean> {
  if (!(await markInvitationAccepted(trx, invitation.id))) return false;

  const alreadyMember = await trx
    .selectFrom('memberships')
    .select('role')
    .where('user_id', '=', userId)
    .where('organisation_id', '=', invitation.organisationId)
    .executeTakeFirst();
  if (!alreadyMember) {
    await addMembership(trx, {
      userId,
      organisationId: invitation.organisationId,
      role: invitation.role,
    });
  }
  await recordAuditEvent(trx, {
    ...auditFieldsOf(request),
    userId,
    action: 'invitation-accepted',
    organisationId: invitation.organisationId,
    subjectType: 'invitation',
    subjectId: invitation.id,
    details: {
      email: invitation.email,
      role: alreadyMember ? alreadyMember.role : invitation.role,
      newAccount,
      ...(alreadyMember ? { keptExistingRole: true } : {}),
    },
  });
  return true;
}

/** Checks the name and the two password fields of a new account, and returns the errors. */
function checkAccountForm(
  email: string,
  form: { displayName: string; password: string; confirmPassword: string },
): FormError[] {
  const errors: FormError[] = [];
  if (form.displayName.trim() === '') {
    errors.push({ text: 'Enter your full name', href: '#displayName' });
  } else if (form.displayName.length > MAX_DISPLAY_NAME_LENGTH) {
    errors.push({
      text: `Full name must be ${MAX_DISPLAY_NAME_LENGTH} characters or fewer`,
      href: '#displayName',
    });
  }
  const passwordProblem = checkNewPassword(form.password, { email });
  if (passwordProblem !== null) {
    errors.push({ text: passwordProblem, href: '#password' });
  } else if (form.confirmPassword === '') {
    errors.push({ text: 'Enter your password again', href: '#confirmPassword' });
  } else if (form.confirmPassword !== form.password) {
    errors.push({
      text: 'Passwords do not match: enter the same password in both boxes',
      href: '#confirmPassword',
    });
  }
  return errors;
}

function isSignedInAs(request: FastifyRequest, email: string): boolean {
  const user = request.currentUser;
  return user !== null && emailLookupKey(user.email) === emailLookupKey(email);
}

/** Returns the page a new member lands on: their school, or the list of schools. */
function destinationOf(invitation: InvitationDetails): string {
  return invitation.organisationKind === 'school' ? `/schools/${invitation.organisationId}` : '/';
}

/**
 * Shows one page for every link that cannot be used, whether unknown, accepted, revoked or
 * expired, so the page does not reveal which.
 */
async function renderInvalidInvitation(request: FastifyRequest, reply: FastifyReply) {
  request.log.info('invitation link not usable');
  reply.code(404);
  return reply.viewAsync('pages/invitation-accept.njk', {
    invalid: true,
    lifetimeDays: INVITATION_LIFETIME_DAYS,
  });
}

/**
 * Renders a usable invitation. For an address without an account, the form takes a name and a
 * password. For an existing account, the page links to sign-in, and once that account is
 * signed in it only confirms.
 */
async function renderAcceptPage(
  request: FastifyRequest,
  reply: FastifyReply,
  invitation: InvitationDetails,
  hasAccount: boolean,
  values: { displayName: string },
  errors: FormError[],
): Promise<string> {
  const token = (request.params as TokenParams).token;
  const signedInAsInvitee = isSignedInAs(request, invitation.email);
  let mode: 'new-account' | 'confirm' | 'sign-in-first' | 'signed-in-as-someone-else';
  if (!hasAccount) mode = 'new-account';
  else if (signedInAsInvitee) mode = 'confirm';
  else if (request.currentUser) mode = 'signed-in-as-someone-else';
  else mode = 'sign-in-first';

  return reply.viewAsync('pages/invitation-accept.njk', {
    invalid: false,
    mode,
    invitation,
    roleLabel: ROLE_LABELS[invitation.role],
    signedInEmail: request.currentUser?.email ?? null,
    signInHref: `/sign-in?next=${encodeURIComponent(`/invitations/${token}`)}`,
    values,
    errors,
    errorFor: Object.fromEntries(errors.map((error) => [error.href.slice(1), error.text])),
    minPasswordLength: MIN_PASSWORD_LENGTH,
    csrfToken: reply.generateCsrf(),
  });
}

/**
 * Builds the absolute link for a token. E-mailed links use PUBLIC_URL, which the configuration
 * requires with SMTP_URL. A link shown on screen without it uses the address the browser asked
 * for: a forged Host header then misleads only the person who forged it.
 */
function invitationLink(request: FastifyRequest, publicUrl: string | undefined, token: string) {
  const origin = publicUrl ?? `${request.protocol}://${request.host}`;
  return new URL(`/invitations/${token}`, origin).toString();
}

/** Sends the invitation e-mail. Returns false, having logged the error, when sending fails. */
async function sendInvitation(
  request: FastifyRequest,
  mailer: Mailer,
  school: School,
  invitation: Invitation,
  link: string,
): Promise<boolean> {
  const message = composeInvitationEmail({
    to: invitation.email,
    organisationName: school.name,
    inviterName: request.currentUser?.displayName ?? 'Someone at the school',
    roleLabel: ROLE_LABELS[invitation.role],
    link,
    expiresText: formatDateTime(invitation.expiresAt),
  });
  try {
    await mailer.send(message);
    return true;
  } catch (error) {
    request.log.error(
      { err: error, organisationId: school.id, invitationId: invitation.id },
      'invitation e-mail failed to send',
    );
    return false;
  }
}

async function renderInviteForm(
  request: FastifyRequest,
  reply: FastifyReply,
  school: School,
  values: { email: string; role: string },
  errors: FormError[],
): Promise<string> {
  const roles = schoolRolesGivenBy(request.organisationRoles);
  return reply.viewAsync('pages/invite.njk', {
    school,
    values,
    errors,
    emailError: errors.find((error) => error.href === '#email')?.text ?? null,
    roleError: errors.find((error) => error.href === '#role')?.text ?? null,
    roleItems: roles.map((role) => ({
      value: role,
      text: ROLE_LABELS[role],
      hint: { text: ROLE_HINTS[role] },
      checked: role === values.role,
    })),
    lifetimeDays: INVITATION_LIFETIME_DAYS,
    csrfToken: reply.generateCsrf(),
  });
}

/** Descriptions of what each role may do, shown under its choice on the invitation form. */
const ROLE_HINTS: Readonly<Record<Role, string>> = {
  senior_leader:
    'Loads pupil data, sees and downloads the figures, invites people and reads the audit trail.',
  staff: 'Loads pupil data and sees and downloads the figures.',
  governor: 'Sees and downloads the figures, but changes nothing.',
  trust_officer: 'Sees and downloads the figures of the schools in the trust.',
  local_authority_officer: 'Sees and downloads the figures of the schools in the local authority.',
  provider: 'Sees only the pupils of its own services.',
  administrator:
    'Manages who has access: invites people, changes roles and removes access. Sees the figures and the audit trail, but cannot load pupil data.',
};
