import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchCsrf } from '../../../test/helpers/csrf.js';
import { createUserWithRole, signInWithInject } from '../../../test/helpers/sign-in.js';
import { startApp, type TestApp } from '../../../test/helpers/start-app.js';
import { createSchool } from '../organisations/organisation-store.js';
import { safeNextPath, SIGN_IN_FAILED_MESSAGE } from './auth-routes.js';
import { SESSION_COOKIE } from './session-plugin.js';
import { SIGN_IN_LIMITS } from './sign-in-throttle.js';
import { disableUser } from './user-store.js';

const PASSWORD = 'lantern orbit pebble';

let testApp: TestApp;
let schoolId: number;
let userNumber = 0;

/** Creates a senior leader with `PASSWORD`, so each test's attempts and sessions are its own. */
async function newUser(): Promise<{ id: number; email: string }> {
  userNumber += 1;
  const email = `leader${userNumber}@brookfield.example`;
  const { id } = await createUserWithRole(testApp.database.db, {
    email,
    password: PASSWORD,
    organisationId: schoolId,
    role: 'senior_leader',
    name: `Leader ${userNumber}`,
  });
  return { id, email };
}

/** Posts the sign-in form with a fresh CSRF token, from the given IP address. */
async function postSignIn(
  fields: Record<string, string>,
  remoteAddress = '127.0.0.1',
): Promise<LightMyRequestResponse> {
  const csrf = await fetchCsrf(testApp.app, '/sign-in');
  return testApp.app.inject({
    method: 'POST',
    url: '/sign-in',
    remoteAddress,
    headers: { cookie: csrf.cookie },
    payload: { _csrf: csrf.token, ...fields },
  });
}

/** Returns the text of the error summary's list, without markup. */
function errorSummary(body: string): string {
  const list = /<ul class="govuk-list govuk-error-summary__list">([\s\S]*?)<\/ul>/.exec(body)?.[1];
  return (list ?? '')
    .replace(/<[^>]+>/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

async function auditActions(userId: number | null): Promise<string[]> {
  let query = testApp.database.db.selectFrom('audit_events').select('action').orderBy('id');
  query =
    userId === null ? query.where('user_id', 'is', null) : query.where('user_id', '=', userId);
  return (await query.execute()).map((row) => row.action);
}

beforeAll(async () => {
  testApp = await startApp();
  schoolId = (
    await createSchool(testApp.database.db, { laestab: '8014001', name: 'Brookfield Academy' })
  ).id;
});

afterAll(async () => {
  await testApp.close();
});

describe('sign-in page', () => {
  it('shows the form', async () => {
    const response = await testApp.app.inject({ method: 'GET', url: '/sign-in' });

    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('<h1 class="govuk-heading-l">Sign in to Commissioner</h1>');
    expect(response.body).toContain('autocomplete="username"');
    expect(response.body).toContain('autocomplete="current-password"');
    expect(response.body).toMatch(/name="_csrf" value="[^"]+"/);
  });

  it('carries a safe next path', async () => {
    const response = await testApp.app.inject({
      method: 'GET',
      url: '/sign-in?next=%2Fschools%2F1%3Fyear%3D2024',
    });

    expect(response.body).toContain('name="next" value="/schools/1?year=2024"');
  });

  it('rejects a post without CSRF token', async () => {
    const { email } = await newUser();

    const response = await testApp.app.inject({
      method: 'POST',
      url: '/sign-in',
      payload: { email, password: PASSWORD },
    });

    expect(response.statusCode).toBe(403);
    expect(response.cookies.find((cookie) => cookie.name === SESSION_COOKIE)).toBeUndefined();
  });

  it.each([
    ['empty fields', { email: '', password: '' }, 'Enter your email address Enter your password'],
    [
      'malformed email',
      { email: 'jo.example.org', password: 'x' },
      'Enter an email address in the correct format, like name@example.com',
    ],
  ])('explains %s', async (_case, fields, expected) => {
    const response = await postSignIn(fields);

    expect(response.statusCode).toBe(400);
    expect(errorSummary(response.body)).toBe(expected);
    expect(response.body).toContain('<title>Error: Sign in to Commissioner');
  });
});

describe('sign-in', () => {
  it('starts a session', async () => {
    const { id, email } = await newUser();

    const response = await postSignIn({ email: email.toUpperCase(), password: PASSWORD });

    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/');
    const session = response.cookies.find((cookie) => cookie.name === SESSION_COOKIE);
    expect(session?.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await auditActions(id)).toEqual(['sign-in']);
  });

  it('sets cookie flags', async () => {
    const { email } = await newUser();

    const response = await postSignIn({ email, password: PASSWORD });

    const header = [response.headers['set-cookie']]
      .flat()
      .find((value) => value?.startsWith(`${SESSION_COOKIE}=`));
    expect(header).toMatch(/; HttpOnly/);
    expect(header).toMatch(/; SameSite=Lax/);
    expect(header).toMatch(/; Path=\//);
    // The test app listens on 127.0.0.1, so COOKIE_SECURE=auto leaves Secure off.
    expect(header).not.toMatch(/; Secure/);
    expect(header).not.toMatch(/Max-Age|Expires/);
  });

  it('renews the CSRF secret', async () => {
    const { email } = await newUser();
    const csrf = await fetchCsrf(testApp.app, '/sign-in');

    const response = await testApp.app.inject({
      method: 'POST',
      url: '/sign-in',
      headers: { cookie: csrf.cookie },
      payload: { _csrf: csrf.token, email, password: PASSWORD },
    });

    const renewed = response.cookies.find((cookie) => cookie.name === '_csrf');
    expect(renewed?.value).toBeTruthy();
    expect(`_csrf=${renewed?.value}`).not.toBe(csrf.cookie);
  });

  it('goes to the next path', async () => {
    const { email } = await newUser();

    const response = await postSignIn({ email, password: PASSWORD, next: '/account' });

    expect(response.headers.location).toBe('/account');
  });

  it.each([
    '//evil.example/path',
    '/\\evil.example',
    '/\t/evil.example',
    'https://evil.example/',
    'http:/evil.example',
    'evil.example',
    'javascript:alert(1)',
    ' /account',
  ])('ignores next %j', async (next) => {
    const { email } = await newUser();

    const response = await postSignIn({ email, password: PASSWORD, next });

    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/');
  });

  it('same message for every refusal', async () => {
    const { id: disabledId, email: disabledEmail } = await newUser();
    await disableUser(testApp.database.db, disabledId);
    const { email } = await newUser();

    const unknown = await postSignIn({ email: 'nobody@brookfield.example', password: PASSWORD });
    const wrong = await postSignIn({ email, password: 'wrong password here' });
    const disabled = await postSignIn({ email: disabledEmail, password: PASSWORD });

    for (const response of [unknown, wrong, disabled]) {
      expect(response.statusCode).toBe(400);
      expect(errorSummary(response.body)).toBe(SIGN_IN_FAILED_MESSAGE);
      expect(response.cookies.find((cookie) => cookie.name === SESSION_COOKIE)).toBeUndefined();
    }
  });

  it('keeps the email, not the password', async () => {
    const response = await postSignIn({
      email: 'nobody@brookfield.example',
      password: 'secret-value-1234',
    });

    expect(response.body).toContain('value="nobody@brookfield.example"');
    expect(response.body).not.toContain('secret-value-1234');
  });

  it('audits failures without email or password', async () => {
    const { id, email } = await newUser();
    const before = await testApp.database.db
      .selectFrom('audit_events')
      .select('id')
      .orderBy('id', 'desc')
      .executeTakeFirst();

    await postSignIn({ email, password: 'wrong password here' });
    await postSignIn({ email: 'ghost@brookfield.example', password: 'wrong password here' });

    const rows = await testApp.database.db
      .selectFrom('audit_events')
      .selectAll()
      .where('id', '>', before?.id ?? 0)
      .orderBy('id')
      .execute();
    expect(rows.map((row) => [row.action, row.user_id, JSON.parse(row.details)])).toEqual([
      ['sign-in-failed', id, { reason: 'wrong-password' }],
      ['sign-in-failed', null, { reason: 'unknown-account' }],
    ]);
    for (const row of rows) {
      expect(row.request_id).toMatch(/^[0-9a-f-]{36}$/);
      expect(row.ip_address).toBe('127.0.0.1');
      expect(JSON.stringify(row)).not.toContain('wrong password');
      expect(JSON.stringify(row)).not.toContain('brookfield.example');
    }
  });
});

describe('sign-in throttling', () => {
  it('locks an account after five failures', async () => {
    const { id, email } = await newUser();
    for (let i = 0; i < SIGN_IN_LIMITS.perAccount; i += 1) {
      await postSignIn({ email, password: `wrong password ${i}` }, `198.51.100.${i + 1}`);
    }

    const rejected = await postSignIn({ email, password: PASSWORD }, '198.51.100.99');

    expect(rejected.statusCode).toBe(400);
    expect(errorSummary(rejected.body)).toBe(SIGN_IN_FAILED_MESSAGE);
    expect(rejected.cookies.find((cookie) => cookie.name === SESSION_COOKIE)).toBeUndefined();
    const rows = await testApp.database.db
      .selectFrom('audit_events')
      .select('details')
      .where('user_id', '=', id)
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(rows.details)).toEqual({ reason: 'too-many-attempts' });
  });

  it('locks an address after twenty failures', async () => {
    const address = '203.0.113.20';
    for (let i = 0; i < SIGN_IN_LIMITS.perAddress; i += 1) {
      await postSignIn({ email: `guess${i}@brookfield.example`, password: 'guess' }, address);
    }
    const { email } = await newUser();

    const fromAddress = await postSignIn({ email, password: PASSWORD }, address);
    const elsewhere = await postSignIn({ email, password: PASSWORD }, '203.0.113.21');

    expect(fromAddress.statusCode).toBe(400);
    expect(errorSummary(fromAddress.body)).toBe(SIGN_IN_FAILED_MESSAGE);
    expect(elsewhere.statusCode).toBe(303);
  });

  it('locks unknown accounts alike', async () => {
    const email = 'nobody-at-all@brookfield.example';
    for (let i = 0; i < SIGN_IN_LIMITS.perAccount; i += 1) {
      await postSignIn({ email, password: 'guess' }, `192.0.2.${i + 1}`);
    }

    const response = await postSignIn({ email, password: 'guess' }, '192.0.2.99');

    expect(errorSummary(response.body)).toBe(SIGN_IN_FAILED_MESSAGE);
    const last = await testApp.database.db
      .selectFrom('audit_events')
      .select('details')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(last.details)).toEqual({ reason: 'too-many-attempts' });
  });
});

describe('sessions', () => {
  it('shows the user in the header', async () => {
    const { email } = await newUser();
    const { cookie } = await signInWithInject(testApp.app, email, PASSWORD);

    const response = await testApp.app.inject({
      method: 'GET',
      url: '/account',
      headers: { cookie },
    });

    expect(response.statusCode).toBe(200);
    expect(response.body).toContain(`Signed in as <strong>Leader ${userNumber}</strong>`);
    expect(response.body).toContain('<a class="govuk-link" href="/account">Your account</a>');
    expect(response.body).toMatch(/action="\/sign-out"[\s\S]*?name="_csrf" value="[^"]+"/);
  });

  it('lists organisations and roles', async () => {
    const { email } = await newUser();
    const { cookie } = await signInWithInject(testApp.app, email, PASSWORD);

    const response = await testApp.app.inject({
      method: 'GET',
      url: '/account',
      headers: { cookie },
    });

    expect(response.body).toContain(email);
    expect(response.body).toMatch(
      /Brookfield Academy<\/td>\s*<td[^>]*>School<\/td>\s*<td[^>]*>Senior leader/,
    );
  });

  it('redirects when signed out', async () => {
    const response = await testApp.app.inject({ method: 'GET', url: '/account?tab=1' });

    expect(response.statusCode).toBe(302);
    expect(response.headers.location).toBe('/sign-in?next=%2Faccount%3Ftab%3D1');
  });

  it('ends after idle time', async () => {
    const { id, email } = await newUser();
    const { cookie } = await signInWithInject(testApp.app, email, PASSWORD);
    const idleSince = new Date(Date.now() - 61 * 60_000).toISOString();
    await testApp.database.db
      .updateTable('sessions')
      .set({ last_seen_at: idleSince })
      .where('user_id', '=', id)
      .execute();

    const response = await testApp.app.inject({
      method: 'GET',
      url: '/account',
      headers: { cookie },
    });

    expect(response.statusCode).toBe(302);
    expect(response.headers.location).toBe('/sign-in?next=%2Faccount&session=ended');
    const cleared = response.cookies.find((item) => item.name === SESSION_COOKIE);
    expect(cleared?.value).toBe('');
    const signIn = await testApp.app.inject({ method: 'GET', url: response.headers.location });
    expect(signIn.body).toContain('You were signed out because you had not used Commissioner');
  });

  it('ends at the absolute limit', async () => {
    const { id, email } = await newUser();
    const { cookie } = await signInWithInject(testApp.app, email, PASSWORD);
    await testApp.database.db
      .updateTable('sessions')
      .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
      .where('user_id', '=', id)
      .execute();

    const response = await testApp.app.inject({
      method: 'GET',
      url: '/account',
      headers: { cookie },
    });

    expect(response.statusCode).toBe(302);
  });

  it('ignores a forged token', async () => {
    const response = await testApp.app.inject({
      method: 'GET',
      url: '/account',
      headers: { cookie: `${SESSION_COOKIE}=${'A'.repeat(43)}` },
    });

    expect(response.statusCode).toBe(302);
  });

  it('ends when the account is disabled', async () => {
    const { id, email } = await newUser();
    const { cookie } = await signInWithInject(testApp.app, email, PASSWORD);

    await disableUser(testApp.database.db, id);
    const response = await testApp.app.inject({
      method: 'GET',
      url: '/account',
      headers: { cookie },
    });

    expect(response.statusCode).toBe(302);
  });

  it('gives a new token at each sign-in', async () => {
    const { email } = await newUser();
    const first = await signInWithInject(testApp.app, email, PASSWORD);
    const csrf = await fetchCsrf(testApp.app, '/sign-in');

    const second = await testApp.app.inject({
      method: 'POST',
      url: '/sign-in',
      headers: { cookie: `${first.cookie.replace(/_csrf=[^;]+/, csrf.cookie)}` },
      payload: { _csrf: csrf.token, email, password: PASSWORD },
    });
    const firstAgain = await testApp.app.inject({
      method: 'GET',
      url: '/account',
      headers: { cookie: first.cookie },
    });

    const token = second.cookies.find((cookie) => cookie.name === SESSION_COOKIE)?.value;
    expect(token).toBeTruthy();
    expect(first.cookie).not.toContain(token);
    expect(firstAgain.statusCode).toBe(302);
  });
});

describe('sign-out', () => {
  it('revokes the session', async () => {
    const { id, email } = await newUser();
    const { cookie } = await signInWithInject(testApp.app, email, PASSWORD);
    const csrf = await fetchCsrfWith(cookie, '/account');

    const response = await testApp.app.inject({
      method: 'POST',
      url: '/sign-out',
      headers: { cookie },
      payload: { _csrf: csrf },
    });
    const after = await testApp.app.inject({ method: 'GET', url: '/account', headers: { cookie } });

    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/sign-in?signed-out=1');
    expect(response.cookies.find((item) => item.name === SESSION_COOKIE)?.value).toBe('');
    expect(after.statusCode).toBe(302);
    expect(await auditActions(id)).toEqual(['sign-in', 'sign-out']);
  });

  it('says you have signed out', async () => {
    const response = await testApp.app.inject({ method: 'GET', url: '/sign-in?signed-out=1' });

    expect(response.body).toContain('You have signed out.');
  });

  it('without a session is forbidden', async () => {
    const csrf = await fetchCsrf(testApp.app, '/sign-in');

    const response = await testApp.app.inject({
      method: 'POST',
      url: '/sign-out',
      headers: { cookie: csrf.cookie },
      payload: { _csrf: csrf.token },
    });

    expect(response.statusCode).toBe(403);
    expect(response.body).toContain('You do not have permission to do this');
    expect(response.body).toContain('You are not signed in');
  });
});

describe('change password', () => {
  async function postChange(
    cookie: string,
    fields: Record<string, string>,
  ): Promise<LightMyRequestResponse> {
    const token = await fetchCsrfWith(cookie, '/account/password');
    return testApp.app.inject({
      method: 'POST',
      url: '/account/password',
      headers: { cookie },
      payload: { _csrf: token, ...fields },
    });
  }

  it('shows the form', async () => {
    const { email } = await newUser();
    const { cookie } = await signInWithInject(testApp.app, email, PASSWORD);

    const response = await testApp.app.inject({
      method: 'GET',
      url: '/account/password',
      headers: { cookie },
    });

    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('<h1 class="govuk-heading-l">Change your password</h1>');
    expect(response.body).toContain('autocomplete="new-password"');
  });

  it.each([
    [
      'empty fields',
      { currentPassword: '', newPassword: '', confirmPassword: '' },
      'Enter your current password Enter a new password Enter your new password again',
    ],
    [
      'a short password',
      { currentPassword: PASSWORD, newPassword: 'short', confirmPassword: 'short' },
      'Password must be 12 characters or more. Three or four random words together make a long password that is easy to remember',
    ],
    [
      'a common password',
      { currentPassword: PASSWORD, newPassword: 'Password1234', confirmPassword: 'Password1234' },
      'Password is one of the most used passwords, so it is easy to guess. Choose a different password, for example three or four random words',
    ],
    [
      'different confirmation',
      {
        currentPassword: PASSWORD,
        newPassword: 'river kettle meadow',
        confirmPassword: 'river kettle meadows',
      },
      'Passwords do not match: enter the same new password in both boxes',
    ],
    [
      'the same password',
      { currentPassword: PASSWORD, newPassword: PASSWORD, confirmPassword: PASSWORD },
      'New password must be different from your current password',
    ],
    [
      'a wrong current password',
      {
        currentPassword: 'not my password',
        newPassword: 'river kettle meadow',
        confirmPassword: 'river kettle meadow',
      },
      'Current password is incorrect. Enter the password you use to sign in',
    ],
  ])('explains %s', async (_case, fields, expected) => {
    const { email } = await newUser();
    const { cookie } = await signInWithInject(testApp.app, email, PASSWORD);

    const response = await postChange(cookie, fields);

    expect(response.statusCode).toBe(400);
    expect(errorSummary(response.body)).toBe(expected);
    expect(response.body).toMatch(/action="\/sign-out"[\s\S]*?name="_csrf" value="[^"]+"/);
  });

  it('revokes every other session', async () => {
    const { id, email } = await newUser();
    const here = await signInWithInject(testApp.app, email, PASSWORD);
    const elsewhere = await signInWithInject(testApp.app, email, PASSWORD);

    const response = await postChange(here.cookie, {
      currentPassword: PASSWORD,
      newPassword: 'river kettle meadow',
      confirmPassword: 'river kettle meadow',
    });

    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/account?password-changed=1');
    const newToken = response.cookies.find((cookie) => cookie.name === SESSION_COOKIE)?.value;
    expect(newToken).toBeTruthy();
    const withNewToken = here.cookie.replace(
      /commissioner_session=[^;]+/,
      `${SESSION_COOKIE}=${newToken}`,
    );
    const elsewhereAfter = await testApp.app.inject({
      method: 'GET',
      url: '/account',
      headers: { cookie: elsewhere.cookie },
    });
    const hereWithOldToken = await testApp.app.inject({
      method: 'GET',
      url: '/account',
      headers: { cookie: here.cookie },
    });
    const hereAfter = await testApp.app.inject({
      method: 'GET',
      url: '/account?password-changed=1',
      headers: { cookie: withNewToken },
    });
    expect(elsewhereAfter.statusCode).toBe(302);
    expect(hereWithOldToken.statusCode).toBe(302);
    expect(hereAfter.statusCode).toBe(200);
    expect(hereAfter.body).toContain('Your password has been changed.');
    await expect(signInWithInject(testApp.app, email, PASSWORD)).rejects.toThrow(/failed/);
    await signInWithInject(testApp.app, email, 'river kettle meadow');
    const events = await testApp.database.db
      .selectFrom('audit_events')
      .select(['action', 'details'])
      .where('user_id', '=', id)
      .where('action', '=', 'password-changed')
      .execute();
    expect(events.map((event) => JSON.parse(event.details))).toEqual([{ sessionsRevoked: 2 }]);
  });

  it('throttles wrong current passwords', async () => {
    const { email } = await newUser();
    const { cookie } = await signInWithInject(testApp.app, email, PASSWORD);
    const fields = {
      newPassword: 'river kettle meadow',
      confirmPassword: 'river kettle meadow',
    };
    for (let i = 0; i < SIGN_IN_LIMITS.perAccount; i += 1) {
      await postChange(cookie, { ...fields, currentPassword: `guess ${i}` });
    }

    const response = await postChange(cookie, { ...fields, currentPassword: PASSWORD });

    expect(response.statusCode).toBe(400);
    expect(errorSummary(response.body)).toMatch(/entered wrongly too many times. Wait 15 minutes/);
  });
});

describe('safeNextPath', () => {
  it.each([
    ['/', '/'],
    ['/schools/12/gaps?year=2024#top', '/schools/12/gaps?year=2024#top'],
    ['//evil.example', '/'],
    ['/\\evil.example', '/'],
    ['/%0a/evil.example', '/%0a/evil.example'],
    ['/\n/evil.example', '/'],
    ['https://evil.example', '/'],
    ['', '/'],
    [undefined, '/'],
    [['/a', '/b'], '/'],
    ['/' + 'a'.repeat(2000), '/'],
  ])('%j gives %j', (value, expected) => {
    expect(safeNextPath(value)).toBe(expected);
  });
});

/** Reads the CSRF token of a page that a signed-in user opens with `cookie`. */
async function fetchCsrfWith(cookie: string, url: string): Promise<string> {
  const response = await testApp.app.inject({ method: 'GET', url, headers: { cookie } });
  const token = /name="_csrf" value="([^"]+)"/.exec(response.body)?.[1];
  if (!token) throw new Error(`${url} returned ${response.statusCode} without a CSRF token`);
  return token;
}
