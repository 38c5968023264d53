import type { InjectOptions } from 'fastify';
import type { LightMyRequestResponse as InjectResponse } from 'fastify';

export interface CsrfSession {
  /** The hidden `_csrf` field's value on the form page. */
  token: string;
  /** A `Cookie` header value that carries the CSRF secret the token was made from. */
  cookie: string;
}

/**
 * Opens a page with a form the way a browser would and returns its CSRF token with the cookie
 * that goes with it, so a test can post the form with protection switched on.
 * Throws when the page has no token or sets no cookie.
 */
export async function fetchCsrf(
  app: { inject(options: InjectOptions): Promise<InjectResponse> },
  formUrl: string,
): Promise<CsrfSession> {
  const response = await app.inject({ method: 'GET', url: formUrl });
  const token = /name="_csrf" value="([^"]+)"/.exec(response.body)?.[1];
  const secret = response.cookies.find((cookie) => cookie.name === '_csrf');
  if (!token || !secret) {
    throw new Error(`${formUrl} returned ${response.statusCode} without a CSRF token and cookie`);
  }
  return { token, cookie: `_csrf=${secret.value}` };
}
