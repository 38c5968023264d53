import cookie from '@fastify/cookie';
import csrfProtection from '@fastify/csrf-protection';
import fp from 'fastify-plugin';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Protects every form post against cross-site request forgery. A page with a form calls
 * `reply.generateCsrf()` and puts the token in a hidden `_csrf` field; the secret lives in an
 * HTTP-only, same-site cookie. Any request other than GET, HEAD or OPTIONS without a valid
 * token fails with status 403 before its handler runs.
 */
export interface CsrfOptions {
  /** Whether the secret cookie gets the `Secure` attribute, as the session cookie does. */
  secureCookie: boolean;
}

export const csrf = fp<CsrfOptions>(
  async (app, options) => {
    await app.register(cookie);
    await app.register(csrfProtection, {
      cookieOpts: { path: '/', httpOnly: true, sameSite: 'strict', secure: options.secureCookie },
    });

    // A page can hold several forms (the sign-out button is on every page). Without a secret
    // cookie yet, each generateCsrf call would make a new secret and the last one would win,
    // so the earlier forms' tokens would fail. One token per response avoids that.
    app.addHook('onRequest', (_request, reply, done) => {
      const generate = reply.generateCsrf.bind(reply);
      let token: string | undefined;
      reply.generateCsrf = (options) => (token ??= generate(options));
      done();
    });

    // preHandler, not onRequest: the token arrives in the form body, which is parsed only after
    // onRequest (and, for multipart forms, in preValidation).
    app.addHook('preHandler', (request, reply, done) => {
      if (SAFE_METHODS.has(request.method)) {
        done();
        return;
      }
      app.csrfProtection(request, reply, done);
    });
  },
  { name: 'csrf', dependencies: ['forms'] },
);
