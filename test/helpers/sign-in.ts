import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Kysely } from 'kysely';
import type { Page } from 'playwright-core';
import type { Role } from '../../src/platform/auth/permissions.js';
import { addMembership, createUser } from '../../src/platform/auth/user-store.js';
import type { Database } from '../../src/platform/db/schema.js';

export interface TestUser {
  email: string;
  password: string;
  organisationId: number;
  role: Role;
  /** Shown in the header; defaults to the e-mail address's local part. */
  name?: string;
}

/**
 * Creates an account with a known password and one membership, straight through the stores.
 * The password is not checked against the password rules, so tests may use short ones.
 */
export async function createUserWithRole(
  db: Kysely<Database>,
  user: TestUser,
): Promise<{ id: number }> {
  const account = await createUser(db, {
    email: user.email,
    displayName: user.name ?? user.email.split('@')[0] ?? user.email,
    password: user.password,
  });
  await addMembership(db, {
    userId: account.id,
    organisationId: user.organisationId,
    role: user.role,
  });
  return { id: account.id };
}

/**
 * Signs in through the real form, as a browser would: opens `/sign-in`, reads the CSRF token
 * and cookie, and posts the e-mail address and password. Returns a `Cookie` header value that
 * carries the session and the CSRF secret, so later requests are signed in and can fetch form
 * tokens. Throws when sign-in does not redirect with a session cookie.
 */
export async function signInWithInject(
  app: FastifyInstance,
  email: string,
  password: string,
): Promise<{ cookie: string }> {
  const form = await app.inject({ method: 'GET', url: '/sign-in' });
  const token = /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1];
  const cookies = cookieJar(form);
  if (!token || !cookies.has('_csrf')) {
    throw new Error(`GET /sign-in returned ${form.statusCode} without a CSRF token and cookie`);
  }

  const response = await app.inject({
    method: 'POST',
    url: '/sign-in',
    headers: { cookie: cookieHeader(cookies) },
    payload: { _csrf: token, email, password },
  });
  for (const [name, value] of cookieJar(response)) cookies.set(name, value);
  if (response.statusCode !== 303 || !cookies.has('commissioner_session')) {
    throw new Error(
      `Sign-in as ${email} failed: POST /sign-in returned ${response.statusCode} without a session cookie`,
    );
  }
  return { cookie: cookieHeader(cookies) };
}

/**
 * Signs in through the sign-in page in a browser and waits for the page it leads to. Throws
 * when the browser is still on the sign-in page afterwards, for example after a wrong password.
 */
export async function signInInBrowser(
  page: Page,
  baseUrl: string,
  email: string,
  password: string,
): Promise<void> {
  await page.goto(`${baseUrl}/sign-in`);
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  const [response] = await Promise.all([
    page.waitForResponse(
      (candidate) =>
        candidate.request().method() === 'POST' && new URL(candidate.url()).pathname === '/sign-in',
    ),
    page.getByRole('button', { name: 'Sign in' }).click(),
  ]);
  if (response.status() !== 303) {
    await page.waitForLoadState();
    const summary = await page.locator('.govuk-error-summary').textContent();
    throw new Error(
      `Sign-in as ${email} failed in the browser with status ${response.status()}: ${summary?.trim() ?? 'no error summary'}`,
    );
  }
  await page.waitForURL((url) => url.pathname !== '/sign-in');
}

/** Returns the cookies a response sets, by name. A cleared cookie has the empty string as its value. */
function cookieJar(response: LightMyRequestResponse): Map<string, string> {
  return new Map(response.cookies.map((cookie) => [cookie.name, cookie.value]));
}

function cookieHeader(cookies: Map<string, string>): string {
  return [...cookies]
    .filter(([, value]) => value !== '')
    .map(([name, value]) => `${name}=${value}`)
    .join('; ');
}
