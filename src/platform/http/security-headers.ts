import helmet from '@fastify/helmet';
import fp from 'fastify-plugin';

/**
 * Sets security headers through helmet, with a strict Content Security Policy. Scripts, styles,
 * images, fonts and form targets come from this origin only. The one inline script that
 * govuk-frontend's template needs, which marks the body as JavaScript-enabled, runs because it
 * carries the per-response nonce that views receive as `cspNonce`.
 *
 * Every HTML page also gets `Cache-Control: no-store`, unless its route set its own. Pages show
 * pupil data that should not stay on disk. A page kept by the browser would also be out of date
 * when the Back button shows it again, as an import preview still offering to load a file that
 * has been loaded.
 */
export const securityHeaders = fp(
  async (app) => {
    await app.register(helmet, {
      enableCSPNonces: true,
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          // Helmet adds the nonce to these two. They also need 'self', because with a nonce
          // alone the browser would refuse the stylesheet and the govuk-frontend module.
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'"],
          fontSrc: ["'self'"],
          connectSrc: ["'self'"],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          scriptSrcAttr: ["'none'"],
        },
      },
      // The app may run on plain HTTP on a school's own machine; HSTS there would do nothing,
      // and behind HTTPS the proxy that terminates TLS is the place to set it.
      strictTransportSecurity: false,
      referrerPolicy: { policy: 'same-origin' },
    });

    app.addHook('onSend', async (_request, reply, payload) => {
      const contentType = String(reply.getHeader('content-type') ?? '');
      if (contentType.startsWith('text/html') && !reply.hasHeader('cache-control')) {
        reply.header('cache-control', 'no-store');
      }
      return payload;
    });
  },
  { name: 'security-headers' },
);
