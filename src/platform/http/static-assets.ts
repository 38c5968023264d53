import { existsSync } from 'node:fs';
import fastifyStatic from '@fastify/static';
import fp from 'fastify-plugin';
import { GOVUK_FRONTEND_DIR, PUBLIC_DIR } from './paths.js';

// Only govuk-frontend's compiled module is public, not the Sass, templates or source maps of
// the rest of its package.
const GOVUK_SCRIPTS = new Set(['/govuk-frontend.min.js', '/govuk-frontend.min.js.map']);

/**
 * Serves the compiled stylesheet at `/stylesheets/`, govuk-frontend's JavaScript module at
 * `/javascripts/`, our own browser scripts at `/javascripts/app/`, and govuk-frontend's assets
 * folder at `/assets/`, where the compiled CSS expects it.
 * The GDS Transport font files in that folder are not served: the typeface is licensed only
 * for services on gov.uk, and our stylesheet does not use it.
 */
export const staticAssets = fp(
  async (app) => {
    const stylesheet = `${PUBLIC_DIR}/stylesheets/application.css`;
    if (!existsSync(stylesheet)) {
      app.log.warn(
        { stylesheet },
        'stylesheet missing, so pages will be unstyled: run npm run build:css',
      );
    }

    const scripts = `${PUBLIC_DIR}/javascripts`;
    if (!existsSync(scripts)) {
      app.log.warn(
        { scripts },
        'scripts missing, so rule fields will not update as people type: run npm run build:js',
      );
    }

    await app.register(fastifyStatic, {
      root: `${PUBLIC_DIR}/stylesheets`,
      prefix: '/stylesheets/',
      index: false,
    });
    // A prefix of its own, because govuk-frontend's folder serves the rest of `/javascripts/`.
    await app.register(fastifyStatic, {
      root: scripts,
      prefix: '/javascripts/app/',
      decorateReply: false,
      index: false,
    });
    await app.register(fastifyStatic, {
      root: `${GOVUK_FRONTEND_DIR}/govuk`,
      prefix: '/javascripts/',
      decorateReply: false,
      index: false,
      allowedPath: (pathName) => GOVUK_SCRIPTS.has(pathName),
    });
    await app.register(fastifyStatic, {
      root: `${GOVUK_FRONTEND_DIR}/govuk/assets`,
      prefix: '/assets/',
      decorateReply: false,
      index: false,
      allowedPath: (pathName) => !pathName.startsWith('/fonts/'),
    });

    // Browsers ask for a favicon on every first visit; we have none, and a 404 for it would
    // only add noise to the logs.
    app.get('/favicon.ico', async (_request, reply) => reply.code(204).send());
  },
  { name: 'static-assets' },
);
