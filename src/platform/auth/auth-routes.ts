import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { recordAccountEvent } from '../audit/audit-store.js';
import type { Database, OrganisationKind } from '../db/schema.js';
import { checkNewPassword } from './password-rules.js';
import { hashPassword, needsRehash, verifyDummyPassword, verifyPassword } from './passwords.js';
import { ROLE_LABELS } from './permissions.js';
import { revokeUserSessions } from './session-store.js';
import { isSignInThrottled, recordSignInAttempt, SIGN_IN_LIMITS } from './sign-in-throttle.js';
import {
  emailLookupKey,
  findUserByEmail,
  findUserById,
  isEmailAddress,
  setPasswordHash,
} from './user-store.js';

export interface AuthRoutesOptions {
  db: Kysely<Database>;
}

/** A GOV.UK error summary entry: the message and the id of the field it belongs to. */
interface FieldError {
  text: string;
  href: string;
}

/**
 * The one message for every rejected sign-in: wrong password, unknown address, disabled
 * account and too many attempts alike, so the page never shows whether an account exists.
 */
export const SIGN_IN_FAILED_MESSAGE = `Enter a correct email address and password. If you get it wrong too many times, you must wait ${SIGN_IN_LIMITS.windowMinutes} minutes before you can try again`;

const CSRF_COOKIE = '_csrf';

const ORGANISATION_KIND_LABELS: Readonly<Record<OrganisationKind, string>> = {
  school: 'School',
  trust: 'Trust',
  local_authority: 'Local authority',
  provider: 'Provider',
};

/**
 * Returns `value` when it is a path on this site to go to after sign-in, otherwise `/`. Only a
 * relative path that starts with one `/` is accepted, so `//evil.example`, `/\evil.example`,
 * `https://…` and anything with spaces or control characters cannot send the user elsewhere.
 */
export function safeNextPath(value: unknown): string {
  if (typeof value !== 'string' || value.length > 2000) return '/';
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) return '/';
  // Browsers ignore tabs and newlines in URLs, so `/\t/evil.example` would become `//evil…`.
  if (/[\s\\\p{Cc}]/u.test(value)) return '/';
  const base = 'http://commissioner.invalid';
  const resolved = new URL(value, base);
  return resolved.origin === base ? value : '/';
}

/**
 * Sign-in and sign-out, the account page and the change-password page. Every rejected sign-in
 * gets `SIGN_IN_FAILED_MESSAGE`, and every attempt is counted for throttling and audited.
 */
export const authRoutes: FastifyPluginAsync<AuthRoutesOptions> = async (app, { db }) => {
  app.get<{ Querystring: Record<string, unknown> }>(
    '/sign-in',
    { config: { access: 'public' } },
    async (request, reply) => {
      const next = safeNextPath(request.query.next);
      if (request.currentUser) return reply.redirect(next, 303);
      return renderSignIn(reply, {
        next,
        signedOut: request.query['signed-out'] === '1',
        sessionEnded: request.query.session === 'ended',
      });
    },
  );

  app.post<{ Body: Record<string, unknown> }>(
    '/sign-in',
    { config: { access: 'public' } },
    async (request, reply) => {
      const email = textField(request.body, 'email');
      const password = textField(request.body, 'password');
      const next = safeNextPath(request.body?.next);

      const errors: FieldError[] = [];
      if (email === '') errors.push({ text: 'Enter your email address', href: '#email' });
      else if (!isEmailAddress(email))
        errors.push({
          text: 'Enter an email address in the correct format, like name@example.com',
          href: '#email',
        });
      if (password === '') errors.push({ text: 'Enter your password', href: '#password' });
      if (errors.length > 0) return renderSignIn(reply, { next, email, errors }, 400);

      const userId = await checkCredentials(request, email, password);
      if (userId === null) {
        return renderSignIn(
          reply,
          { next, email, errors: [{ text: SIGN_IN_FAILED_MESSAGE, href: '#email' }] },
          400,
        );
      }

      renewCsrfSecret(request, reply);
      await reply.startSession(userId);
      await recordAccountEvent(db, {
        action: 'sign-in',
        userId,
        subjectType: 'session',
        subjectId: request.sessionId,
        requestId: request.id,
        ipAddress: request.ip,
      });
      request.log.info({ userId, sessionId: request.sessionId }, 'signed in');
      return reply.redirect(next, 303);
    },
  );

  app.post('/sign-out', { config: { access: 'signed-in' } }, async (request, reply) => {
    const userId = request.currentUser?.id ?? null;
    const sessionId = request.sessionId;
    await reply.endSession();
    await recordAccountEvent(db, {
      action: 'sign-out',
      userId,
      subjectType: 'session',
      subjectId: sessionId,
      requestId: request.id,
      ipAddress: request.ip,
    });
    request.log.info({ userId, sessionId }, 'signed out');
    return reply.redirect('/sign-in?signed-out=1', 303);
  });

  app.get<{ Querystring: Record<string, unknown> }>(
    '/account',
    { config: { access: 'signed-in' } },
    async (request, reply) => {
      const user = request.currentUser!;
      return reply.viewAsync('pages/account.njk', {
        user,
        memberships: user.memberships.map((membership) => ({
          ...membership,
          roleLabel: ROLE_LABELS[membership.role],
          kindLabel: ORGANISATION_KIND_LABELS[membership.organisationKind],
        })),
        passwordChanged: request.query['password-changed'] === '1',
      });
    },
  );

  app.get('/account/password', { config: { access: 'signed-in' } }, async (_request, reply) =>
    renderChangePassword(reply, {}),
  );

  app.post<{ Body: Record<string, unknown> }>(
    '/account/password',
    { config: { access: 'signed-in' } },
    async (request, reply) => {
      const user = request.currentUser!;
      const currentPassword = textField(request.body, 'currentPassword');
      const newPassword = textField(request.body, 'newPassword');
      const confirmPassword = textField(request.body, 'confirmPassword');

      const errors: FieldError[] = [];
      if (currentPassword === '')
        errors.push({ text: 'Enter your current password', href: '#currentPassword' });
      const ruleProblem = checkNewPassword(newPassword, user);
      if (ruleProblem !== null) errors.push({ text: ruleProblem, href: '#newPassword' });
      else if (newPassword === currentPassword)
        errors.push({
          text: 'New password must be different from your current password',
          href: '#newPassword',
        });
      if (confirmPassword === '')
        errors.push({ text: 'Enter your new password again', href: '#confirmPassword' });
      else if (ruleProblem === null && confirmPassword !== newPassword)
        errors.push({
          text: 'Passwords do not match: enter the same new password in both boxes',
          href: '#confirmPassword',
        });
      if (errors.length > 0) return renderChangePassword(reply, { errors }, 400);

      const currentProblem = await checkCurrentPassword(request, currentPassword);
      if (currentProblem !== null) {
        return renderChangePassword(
          reply,
          { errors: [{ text: currentProblem, href: '#currentPassword' }] },
          400,
        );
      }

      // Every session of the user ends, this one too, and this browser gets a new session: a
      // thief who knew the old password or held a session token is signed out everywhere.
      const passwordHash = await hashPassword(newPassword);
      const revoked = await db.transaction().execute(async (trx) => {
        await setPasswordHash(trx, user.id, passwordHash);
        const count = await revokeUserSessions(trx, user.id);
        await recordAccountEvent(trx, {
          action: 'password-changed',
          userId: user.id,
          subjectType: 'user',
          subjectId: user.id,
          details: { sessionsRevoked: count },
          requestId: request.id,
          ipAddress: request.ip,
        });
        return count;
      });
      request.sessionId = null;
      await reply.startSession(user.id);
      request.log.info({ userId: user.id, sessionsRevoked: revoked }, 'password changed');
      return reply.redirect('/account?password-changed=1', 303);
    },
  );

  /**
   * Returns the id of the account that `email` and `password` sign in to, or null. Throttled
   * attempts are rejected before any password is checked. Unknown addresses cost one dummy
   * hash check, so they take as long as a wrong password.
   */
  async function checkCredentials(
    request: FastifyRequest,
    email: string,
    password: string,
  ): Promise<number | null> {
    const attempt = { emailLookup: emailLookupKey(email), ipAddress: request.ip };
    const reject = async (reason: string, userId: number | null): Promise<null> => {
      await recordSignInAttempt(db, { ...attempt, succeeded: false });
      // Neither the address typed nor the password goes into the audit trail or the log.
      await recordAccountEvent(db, {
        action: 'sign-in-failed',
        userId,
        details: { reason },
        requestId: request.id,
        ipAddress: request.ip,
      });
      request.log.info({ userId, reason }, 'sign-in rejected');
      return null;
    };

    const user = await findUserByEmail(db, email);
    if (await isSignInThrottled(db, attempt)) return reject('too-many-attempts', user?.id ?? null);

    if (!user || user.passwordHash === null) {
      await verifyDummyPassword(password);
      return reject(user ? 'no-password-set' : 'unknown-account', user?.id ?? null);
    }
    if (!(await verifyPassword(user.passwordHash, password))) {
      return reject('wrong-password', user.id);
    }
    if (user.disabledAt !== null) return reject('account-disabled', user.id);

    if (needsRehash(user.passwordHash)) {
      await setPasswordHash(db, user.id, await hashPassword(password));
    }
    await recordSignInAttempt(db, { ...attempt, succeeded: true });
    return user.id;
  }

  /**
   * Checks the signed-in user's current password on the change-password form, and returns
   * the message to show or null. Wrong passwords count towards the same limit as sign-in, so
   * a stolen session cannot be used to guess the password.
   */
  async function checkCurrentPassword(
    request: FastifyRequest,
    password: string,
  ): Promise<string | null> {
    const account = await findUserById(db, request.currentUser!.id);
    const attempt = { emailLookup: account?.emailLookup ?? '', ipAddress: request.ip };
    if (await isSignInThrottled(db, attempt)) {
      await recordSignInAttempt(db, { ...attempt, succeeded: false });
      return `Your current password was entered wrongly too many times. Wait ${SIGN_IN_LIMITS.windowMinutes} minutes, then try again`;
    }
    const matches =
      account?.passwordHash != null && (await verifyPassword(account.passwordHash, password));
    if (!matches) {
      await recordSignInAttempt(db, { ...attempt, succeeded: false });
      return 'Current password is incorrect. Enter the password you use to sign in';
    }
    return null;
  }
};

/**
 * Gives the browser a new CSRF secret at sign-in, so a secret planted before sign-in (by
 * someone who could set cookies for this site) is useless afterwards.
 */
function renewCsrfSecret(request: FastifyRequest, reply: FastifyReply): void {
  delete request.cookies[CSRF_COOKIE];
  reply.generateCsrf();
}

async function renderSignIn(
  reply: FastifyReply,
  view: {
    next: string;
    email?: string;
    errors?: FieldError[];
    signedOut?: boolean;
    sessionEnded?: boolean;
  },
  statusCode = 200,
): Promise<FastifyReply> {
  const html = await reply.viewAsync('pages/sign-in.njk', {
    ...view,
    errors: view.errors ?? [],
    errorFor: errorsByField(view.errors ?? []),
    next: view.next === '/' ? null : view.next,
    csrfToken: reply.generateCsrf(),
  });
  return reply.code(statusCode).type('text/html; charset=utf-8').send(html);
}

async function renderChangePassword(
  reply: FastifyReply,
  view: { errors?: FieldError[] },
  statusCode = 200,
): Promise<FastifyReply> {
  const html = await reply.viewAsync('pages/change-password.njk', {
    errors: view.errors ?? [],
    errorFor: errorsByField(view.errors ?? []),
    csrfToken: reply.generateCsrf(),
  });
  return reply.code(statusCode).type('text/html; charset=utf-8').send(html);
}

/** Maps each field id to its first error message, for the message above the field. */
function errorsByField(errors: FieldError[]): Record<string, string> {
  const byField: Record<string, string> = {};
  for (const error of errors) byField[error.href.slice(1)] ??= error.text;
  return byField;
}

/** Reads a form field as text. A missing or repeated field reads as empty. */
function textField(body: Record<string, unknown> | undefined, name: string): string {
  const value = body?.[name];
  return typeof value === 'string' ? value : '';
}
