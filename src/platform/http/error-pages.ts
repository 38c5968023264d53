import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { ForbiddenError } from './http-errors.js';

/**
 * GOV.UK-style error pages. An unknown address or a `NotFoundError` gives "Page not found", a
 * failed CSRF check gives "Your form could not be sent", and a `ForbiddenError` gives "You do
 * not have permission to do this". Any other client error gives a page that names its status
 * code, and anything else gives "Sorry, there is a problem with the service" with the request
 * id to quote. No page shows an error message, stack or query.
 */
export const errorPages = fp(
  async (app) => {
    app.setNotFoundHandler(async (request, reply) =>
      renderErrorPage(request, reply, 404, 'errors/404.njk'),
    );

    app.setErrorHandler(async (error: FastifyError, request, reply) => {
      const statusCode = clientStatusCode(error);
      if (statusCode === null) {
        request.log.error({ err: error }, 'request failed');
        return renderErrorPage(request, reply, 500, 'errors/500.njk');
      }

      request.log.info({ code: error.code, statusCode }, 'request rejected');
      if (statusCode === 404) return renderErrorPage(request, reply, 404, 'errors/404.njk');
      if (error.code?.startsWith('FST_CSRF_'))
        return renderErrorPage(request, reply, 403, 'errors/csrf.njk');
      if (error instanceof ForbiddenError)
        return renderErrorPage(request, reply, 403, 'errors/403.njk');
      return renderErrorPage(request, reply, statusCode, 'errors/client-error.njk');
    });
  },
  { name: 'error-pages', dependencies: ['views'] },
);

/** Returns the error's status code when it is a 4xx client error, otherwise null. */
function clientStatusCode(error: FastifyError): number | null {
  const statusCode = error.statusCode;
  return typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500
    ? statusCode
    : null;
}

async function renderErrorPage(
  request: FastifyRequest,
  reply: FastifyReply,
  statusCode: number,
  template: string,
): Promise<FastifyReply> {
  reply.code(statusCode).type('text/html; charset=utf-8');
  try {
    const html = await reply.viewAsync(template, {
      statusCode,
      requestId: request.id,
      cspNonce: reply.cspNonce?.script,
    });
    return reply.send(html);
  } catch (error) {
    // The error page itself failed (a broken template, say): fall back to plain text.
    request.log.error({ err: error }, 'error page failed to render');
    return reply
      .type('text/plain; charset=utf-8')
      .send(`Sorry, there is a problem with the service. Reference: ${request.id}`);
  }
}
