import type { CookieSerializeOptions } from '@fastify/cookie';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import {
  createSession,
  deleteEndedSessions,
  revokeSession,
  useSession,
  type SessionPolicy,
} from './session-store.js';
import { deleteOldSignInAttempts } from './sign-in-throttle.js';
import { loadCurrentUser } from './user-store.js';

/** Name of the cookie that carries the session token. */
export const SESSION_COOKIE = 'commissioner_session';

/**
 * Days that ended sessions and sign-in attempts are kept, for looking into a suspected attack,
 * before the clean-up at start-up deletes them. The audit trail keeps its own record.
 */
const RETENTION_DAYS = 30;

export interface SessionPluginOptions {
  db: Kysely<Database>;
  policy: SessionPolicy;
  /** Whether the cookie gets the `Secure` attribute; see `cookieIsSecure` in the config. */
  secureCookie: boolean;
  /** Current time; tests pass a clock they can move. */
  now?: () => Date;
}

declare module 'fastify' {
  interface FastifyReply {
    /**
     * Signs a user in: revokes the request's current session, if any, creates a new one with
     * a new token and sets the cookie. A new token at every sign-in prevents session fixation.
     */
    startSession(userId: number): Promise<void>;
    /** Signs out: revokes the request's session, if any, and clears the cookie. */
    endSession(): Promise<void>;
  }
}

/**
 * Reads the session cookie on every request. A valid session sets `request.currentUser` and
 * `request.sessionId`, and gives templates `currentUser` and `signOutCsrfToken` for the
 * header. An unknown, expired or revoked token, or a disabled account, leaves both null and
 * clears the cookie. Register after the CSRF plugin, which registers `@fastify/cookie`, and
 * before the access check, which reads `request.currentUser`.
 */
const sessionPlugin: FastifyPluginAsync<SessionPluginOptions> = async (app, options) => {
  const { db, policy } = options;
  const now = options.now ?? (() => new Date());
  const cookieOptions: CookieSerializeOptions = {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: options.secureCookie,
  };

  app.decorateRequest('currentUser', null);
  app.decorateRequest('sessionId', null);
  app.decorateRequest('sessionEnded', false);

  app.decorateReply('startSession', async function (this: FastifyReply, userId: number) {
    if (this.request.sessionId !== null) await revokeSession(db, this.request.sessionId, now());
    const session = await createSession(db, userId, policy, now());
    this.request.sessionId = session.id;
    this.request.currentUser = await loadCurrentUser(db, userId);
    // No Max-Age: the cookie ends with the browser session, and the database decides expiry.
    this.setCookie(SESSION_COOKIE, session.token, cookieOptions);
  });

  app.decorateReply('endSession', async function (this: FastifyReply) {
    if (this.request.sessionId !== null) await revokeSession(db, this.request.sessionId, now());
    this.request.sessionId = null;
    this.request.currentUser = null;
    this.clearCookie(SESSION_COOKIE, cookieOptions);
  });

  app.addHook('onRequest', async (request, reply) => {
    request.currentUser = null;
    request.sessionId = null;
    request.sessionEnded = false;
    // Static files are the only routes without a declared access (the access check rejects
    // any other), and they need no session, so they cost no database query.
    if (request.routeOptions.config.access === undefined && !request.is404) return;
    const token = request.cookies[SESSION_COOKIE];
    if (token === undefined || token === '') return;

    const session = await useSession(db, token, policy, now());
    const user = session ? await loadCurrentUser(db, session.userId) : null;
    if (!session || !user) {
      request.sessionEnded = true;
      reply.clearCookie(SESSION_COOKIE, cookieOptions);
      return;
    }
    request.currentUser = user;
    request.sessionId = session.id;
    exposeToTemplates(request, reply);
  });

  // Old rows are removed at start-up rather than on a timer, so no instance keeps a job
  // running. A failure here is logged and does not stop the server.
  app.addHook('onReady', async () => {
    try {
      const sessionsDeleted = await deleteEndedSessions(db, RETENTION_DAYS, now());
      const attemptsDeleted = await deleteOldSignInAttempts(db, RETENTION_DAYS, now());
      app.log.info(
        { sessionsDeleted, attemptsDeleted },
        'old sessions and sign-in attempts deleted',
      );
    } catch (error) {
      app.log.error({ err: error }, 'deleting old sessions and sign-in attempts failed');
    }
  });
};

function exposeToTemplates(request: FastifyRequest, reply: FastifyReply): void {
  const locals: Record<string, unknown> = { ...reply.locals, currentUser: request.currentUser };
  // The header's sign-out button is a form, so every page for a signed-in user needs a token,
  // including a form page shown again with errors after a POST.
  locals.signOutCsrfToken = reply.generateCsrf();
  reply.locals = locals;
}

export const sessions = fp(sessionPlugin, {
  name: 'sessions',
  dependencies: ['csrf', 'views'],
});
