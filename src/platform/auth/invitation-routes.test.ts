import type { LightMyRequestResponse } from 'fastify';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchCsrf } from '../../../test/helpers/csrf.js';
import { createUserWithRole, signInWithInject } from '../../../test/helpers/sign-in.js';
import { startApp, type TestApp } from '../../../test/helpers/start-app.js';
import { listAuditEvents } from '../audit/audit-store.js';
import { createSchool } from '../organisations/organisation-store.js';
import { createInvitation } from './invitation-store.js';
import { findUserByEmail } from './user-store.js';

const PASSWORD = 'kettle orchard lantern 17';
const NEW_PASSWORD = 'violet harbour tractor 58';

/** One message as the test SMTP server received it. */
interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
}

/**
 * Starts an SMTP server on 127.0.0.1 that accepts any message without a login and keeps it.
 * It does not offer STARTTLS, so nodemailer sends in plain text rather than failing on a
 * self-signed certificate. With `rejectRecipients` it rejects every recipient, as a broken
 * relay would.
 */
async function startSmtpServer(options: { rejectRecipients?: boolean } = {}) {
  const received: ReceivedMail[] = [];
  const waiting: Array<(mail: ReceivedMail) => void> = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(_address, _session, callback) {
      if (options.rejectRecipients) callback(new Error('550 Mailbox unavailable'));
      else callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const mail: ReceivedMail = {
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((recipient) => recipient.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        };
        received.push(mail);
        waiting.shift()?.(mail);
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.server.address();
  if (address === null || typeof address === 'string') throw new Error('SMTP server has no port');

  return {
    url: `smtp://127.0.0.1:${address.port}`,
    received,
    /** Returns the next message to arrive after the call, so call it before sending. */
    nextMail(): Promise<ReceivedMail> {
      return new Promise((resolve) => waiting.push(resolve));
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Decodes quoted-printable text: soft line breaks joined, `=XX` turned back into bytes. */
function decodeQuotedPrintable(text: string): string {
  const joined = text.replace(/=\r?\n/g, '');
  const bytes = joined.replace(/=([0-9A-F]{2})/g, (_match, hex: string) =>
    String.fromCharCode(parseInt(hex, 16)),
  );
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

/** Splits a multipart message into its parts' decoded bodies, by content type. */
function mailParts(raw: string): Record<string, string> {
  const boundary = /boundary="([^"]+)"/.exec(raw)?.[1];
  if (!boundary) throw new Error('Message is not multipart');
  const parts: Record<string, string> = {};
  for (const section of raw.split(`--${boundary}`).slice(1, -1)) {
    const [headers = '', ...body] = section.split(/\r?\n\r?\n/);
    const type = /Content-Type: ([^;\r\n]+)/i.exec(headers)?.[1] ?? 'unknown';
    const content = body.join('\n\n');
    parts[type] = /quoted-printable/i.test(headers) ? decodeQuotedPrintable(content) : content;
  }
  return parts;
}

/** Cookies a response set, merged into a `Cookie` header value, dropping cleared ones. */
function mergeCookies(cookie: string, response: LightMyRequestResponse): string {
  const jar = new Map(
    cookie
      .split('; ')
      .filter(Boolean)
      .map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
  );
  for (const set of response.cookies) jar.set(set.name, set.value);
  return [...jar]
    .filter(([, value]) => value !== '')
    .map(([name, value]) => `${name}=${value}`)
    .join('; ');
}

function csrfTokenIn(body: string): string {
  const token = /name="_csrf" value="([^"]+)"/.exec(body)?.[1];
  if (!token) throw new Error('Page has no CSRF token');
  return token;
}

/** The text of the page's main element, without tags, for comparing two pages' content. */
function mainText(body: string): string {
  const main = /<main[\s\S]*?<\/main>/.exec(body)?.[0] ?? '';
  return main
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

describe('invitations by email', () => {
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  let testApp: TestApp;
  let schoolId: number;
  let leaderCookie: string;

  beforeAll(async () => {
    smtp = await startSmtpServer();
    testApp = await startApp({
      env: {
        SMTP_URL: smtp.url,
        MAIL_FROM: 'Commissioner <no-reply@school.invalid>',
        PUBLIC_URL: 'http://127.0.0.1:3000',
      },
    });
    const { db } = testApp.database;
    schoolId = (await createSchool(db, { laestab: '8014001', name: 'Brookfield Academy' })).id;
    await createUserWithRole(db, {
      email: 'head@brookfield.invalid',
      password: PASSWORD,
      organisationId: schoolId,
      role: 'senior_leader',
      name: 'Sam Head',
    });
    leaderCookie = (await signInWithInject(testApp.app, 'head@brookfield.invalid', PASSWORD))
      .cookie;
  });

  afterAll(async () => {
    await testApp?.close();
    await smtp?.close();
  });

  async function sendInvitation(email: string, role: string) {
    const form = await testApp.app.inject({
      method: 'GET',
      url: `/schools/${schoolId}/people/invite`,
      headers: { cookie: leaderCookie },
    });
    return testApp.app.inject({
      method: 'POST',
      url: `/schools/${schoolId}/people/invite`,
      headers: { cookie: leaderCookie },
      payload: { _csrf: csrfTokenIn(form.body), email, role },
    });
  }

  it('emails a link that creates an account', async () => {
    const mailArrives = smtp.nextMail();

    const sent = await sendInvitation('jo.governor@brookfield.invalid', 'governor');
    const mail = await mailArrives;

    expect(sent.statusCode).toBe(200);
    expect(sent.body).toContain('Invitation sent');
    expect(sent.body).not.toContain('/invitations/');
    expect(mail.to).toEqual(['jo.governor@brookfield.invalid']);
    expect(mail.from).toBe('no-reply@school.invalid');
    expect(mail.raw).toMatch(/^Subject: Invitation to use Commissioner for Brookfield Academy/m);
    const parts = mailParts(mail.raw);
    const text = parts['text/plain'] ?? '';
    const html = parts['text/html'] ?? '';
    expect(text).toContain('Sam Head has invited you');
    expect(text).toContain('Brookfield Academy');
    expect(text).toContain('Your role: Governor or trustee.');
    expect(text).toMatch(/works once, until \d{1,2} \w+ \d{4} at \d{1,2}:\d{2}(am|pm)/);
    expect(html).toContain('Sam Head has invited you');
    expect(html).toContain('Brookfield Academy');
    const link = /http:\/\/127\.0\.0\.1:3000(\/invitations\/[A-Za-z0-9_-]{43})/.exec(text);
    expect(link).not.toBeNull();
    const path = link?.[1] ?? '';
    expect(html).toContain(`href="http://127.0.0.1:3000${path}"`);

    const page = await testApp.app.inject({ method: 'GET', url: path });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Accept your invitation');
    expect(page.body).toContain('Brookfield Academy');
    expect(page.body).toContain('Governor or trustee');

    const csrf = await fetchCsrf(testApp.app, path);
    const accepted = await testApp.app.inject({
      method: 'POST',
      url: path,
      headers: { cookie: csrf.cookie },
      payload: {
        _csrf: csrf.token,
        displayName: 'Jo Governor',
        password: NEW_PASSWORD,
        confirmPassword: NEW_PASSWORD,
      },
    });
    expect(accepted.statusCode).toBe(303);
    expect(accepted.headers.location).toBe(`/schools/${schoolId}`);
    const sessionCookie = mergeCookies(csrf.cookie, accepted);
    expect(sessionCookie).toContain('commissioner_session=');

    const school = await testApp.app.inject({
      method: 'GET',
      url: `/schools/${schoolId}`,
      headers: { cookie: sessionCookie },
    });
    expect(school.statusCode).toBe(200);
    expect(school.body).toContain('Brookfield Academy');

    const signedIn = await signInWithInject(
      testApp.app,
      'jo.governor@brookfield.invalid',
      NEW_PASSWORD,
    );
    expect(signedIn.cookie).toContain('commissioner_session=');

    const reused = await testApp.app.inject({ method: 'GET', url: path });
    expect(reused.statusCode).toBe(404);
    expect(reused.body).toContain('This invitation link is not valid');

    const user = await findUserByEmail(testApp.database.db, 'jo.governor@brookfield.invalid');
    const events = await listAuditEvents(testApp.database.db, schoolId);
    const actions = events.map((event) => event.action);
    expect(actions).toContain('invitation-sent');
    expect(actions).toContain('user-created');
    expect(actions).toContain('invitation-accepted');
    const acceptedEvent = events.find((event) => event.action === 'invitation-accepted');
    expect(acceptedEvent?.userId).toBe(user?.id);
    expect(acceptedEvent?.requestId).toBe(accepted.headers['x-request-id']);
    expect(acceptedEvent?.ipAddress).toBe('127.0.0.1');
    const sentEvent = events.find((event) => event.action === 'invitation-sent');
    expect(sentEvent?.details).toMatchObject({
      email: 'jo.governor@brookfield.invalid',
      role: 'governor',
      delivery: 'email',
    });
  });

  it('rejects accepting without a CSRF token', async () => {
    const mailArrives = smtp.nextMail();
    await sendInvitation('no.token@brookfield.invalid', 'staff');
    const text = mailParts((await mailArrives).raw)['text/plain'] ?? '';
    const path = /(\/invitations\/[A-Za-z0-9_-]{43})/.exec(text)?.[1] ?? '';

    const response = await testApp.app.inject({
      method: 'POST',
      url: path,
      payload: { displayName: 'No Token', password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD },
    });

    expect(response.statusCode).toBe(403);
    expect(await findUserByEmail(testApp.database.db, 'no.token@brookfield.invalid')).toBe(
      undefined,
    );
  });

  it('checks the new password', async () => {
    const mailArrives = smtp.nextMail();
    await sendInvitation('weak.password@brookfield.invalid', 'staff');
    const text = mailParts((await mailArrives).raw)['text/plain'] ?? '';
    const path = /(\/invitations\/[A-Za-z0-9_-]{43})/.exec(text)?.[1] ?? '';
    const csrf = await fetchCsrf(testApp.app, path);

    const post = (payload: Record<string, string>) =>
      testApp.app.inject({
        method: 'POST',
        url: path,
        headers: { cookie: csrf.cookie },
        payload: { _csrf: csrf.token, ...payload },
      });
    const short = await post({ displayName: 'Al', password: 'short', confirmPassword: 'short' });
    const mismatch = await post({
      displayName: 'Al',
      password: NEW_PASSWORD,
      confirmPassword: `${NEW_PASSWORD}x`,
    });
    const noName = await post({
      displayName: '',
      password: NEW_PASSWORD,
      confirmPassword: NEW_PASSWORD,
    });

    expect(short.statusCode).toBe(422);
    expect(short.body).toContain('Password must be 12 characters or more');
    expect(mismatch.statusCode).toBe(422);
    expect(mismatch.body).toContain('Passwords do not match');
    expect(noName.statusCode).toBe(422);
    expect(noName.body).toContain('Enter your full name');
    expect(await findUserByEmail(testApp.database.db, 'weak.password@brookfield.invalid')).toBe(
      undefined,
    );
    const stillValid = await testApp.app.inject({ method: 'GET', url: path });
    expect(stillValid.statusCode).toBe(200);
  });

  it('shows the link when sending fails', async () => {
    const refusing = await startSmtpServer({ rejectRecipients: true });
    const failing = await startApp({
      env: {
        SMTP_URL: refusing.url,
        MAIL_FROM: 'Commissioner <no-reply@school.invalid>',
        PUBLIC_URL: 'http://127.0.0.1:3000',
      },
    });
    try {
      const { db } = failing.database;
      const school = await createSchool(db, { laestab: '8014009', name: 'Refused School' });
      await createUserWithRole(db, {
        email: 'head@refused.invalid',
        password: PASSWORD,
        organisationId: school.id,
        role: 'senior_leader',
      });
      const { cookie } = await signInWithInject(failing.app, 'head@refused.invalid', PASSWORD);
      const form = await failing.app.inject({
        method: 'GET',
        url: `/schools/${school.id}/people/invite`,
        headers: { cookie },
      });

      const response = await failing.app.inject({
        method: 'POST',
        url: `/schools/${school.id}/people/invite`,
        headers: { cookie },
        payload: { _csrf: csrfTokenIn(form.body), email: 'jo@refused.invalid', role: 'staff' },
      });

      expect(response.statusCode).toBe(200);
      expect(response.body).toContain('The invitation email could not be sent');
      expect(response.body).toMatch(/http:\/\/127\.0\.0\.1:3000\/invitations\/[A-Za-z0-9_-]{43}/);
      expect(refusing.received).toEqual([]);
      const actions = (await listAuditEvents(db, school.id))
        .map((event) => event.action)
        .filter((action) => action !== 'sign-in');
      expect(actions).toEqual(['invitation-email-failed', 'invitation-sent']);
    } finally {
      await failing.close();
      await refusing.close();
    }
  });
});

describe('invitations without email', () => {
  let testApp: TestApp;
  let schoolId: number;
  let otherSchoolId: number;
  let leaderCookie: string;
  let adminCookie: string;

  beforeAll(async () => {
    testApp = await startApp();
    const { db } = testApp.database;
    schoolId = (await createSchool(db, { laestab: '8014001', name: 'Brookfield Academy' })).id;
    otherSchoolId = (await createSchool(db, { laestab: '8014002', name: 'Riverside School' })).id;
    const users = [
      { email: 'head@brookfield.invalid', role: 'senior_leader' as const },
      { email: 'admin@brookfield.invalid', role: 'administrator' as const },
      { email: 'teacher@brookfield.invalid', role: 'staff' as const },
    ];
    for (const user of users) {
      await createUserWithRole(db, { ...user, password: PASSWORD, organisationId: schoolId });
    }
    await createUserWithRole(db, {
      email: 'deputy@riverside.invalid',
      password: PASSWORD,
      organisationId: otherSchoolId,
      role: 'senior_leader',
      name: 'Riverside Deputy',
    });
    leaderCookie = (await signInWithInject(testApp.app, 'head@brookfield.invalid', PASSWORD))
      .cookie;
    adminCookie = (await signInWithInject(testApp.app, 'admin@brookfield.invalid', PASSWORD))
      .cookie;
  });

  afterAll(async () => {
    await testApp?.close();
  });

  async function invite(cookie: string, payload: Record<string, string>) {
    const form = await testApp.app.inject({
      method: 'GET',
      url: `/schools/${schoolId}/people/invite`,
      headers: { cookie },
    });
    const response = await testApp.app.inject({
      method: 'POST',
      url: `/schools/${schoolId}/people/invite`,
      headers: { cookie },
      payload: { _csrf: csrfTokenIn(form.body), ...payload },
    });
    return { form, response };
  }

  function linkPath(body: string): string {
    const path = /http:\/\/[^/"]+(\/invitations\/[A-Za-z0-9_-]{43})/.exec(body)?.[1];
    if (!path) throw new Error('Page shows no invitation link');
    return path;
  }

  it('shows the link with a warning', async () => {
    const { response } = await invite(leaderCookie, {
      email: 'new.teacher@brookfield.invalid',
      role: 'staff',
    });

    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('Invitation created');
    expect(response.body).toContain('Treat this link like a password');
    const page = await testApp.app.inject({ method: 'GET', url: linkPath(response.body) });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Create your account');
  });

  it('offers a senior leader roles up to theirs', async () => {
    const { form } = await invite(leaderCookie, {});

    const offered = [...form.body.matchAll(/name="role" type="radio" value="([a-z_]+)"/g)].map(
      (match) => match[1],
    );

    expect(offered).toEqual(['senior_leader', 'staff', 'governor']);
  });

  it('offers an administrator no import roles', async () => {
    const { form } = await invite(adminCookie, {});

    const offered = [...form.body.matchAll(/name="role" type="radio" value="([a-z_]+)"/g)].map(
      (match) => match[1],
    );

    expect(offered).toEqual(['governor', 'administrator']);
  });

  it('rejects a role above the inviter', async () => {
    const byLeader = await invite(leaderCookie, {
      email: 'would.be.admin@brookfield.invalid',
      role: 'administrator',
    });
    const byAdmin = await invite(adminCookie, {
      email: 'would.be.head@brookfield.invalid',
      role: 'senior_leader',
    });
    const unknown = await invite(leaderCookie, {
      email: 'would.be.anything@brookfield.invalid',
      role: 'owner',
    });

    for (const { response } of [byLeader, byAdmin, unknown]) {
      expect(response.statusCode).toBe(422);
      expect(response.body).toContain('Select a role');
    }
    const stored = await testApp.database.db
      .selectFrom('invitations')
      .select('email')
      .where('email', 'like', 'would.be.%')
      .execute();
    expect(stored).toEqual([]);
  });

  it('forbids staff from inviting', async () => {
    const { cookie } = await signInWithInject(testApp.app, 'teacher@brookfield.invalid', PASSWORD);

    const form = await testApp.app.inject({
      method: 'GET',
      url: `/schools/${schoolId}/people/invite`,
      headers: { cookie },
    });

    expect(form.statusCode).toBe(403);
  });

  it('validates the email address', async () => {
    const empty = await invite(leaderCookie, { email: '', role: 'staff' });
    const malformed = await invite(leaderCookie, { email: 'not an address', role: 'staff' });
    const member = await invite(leaderCookie, {
      email: 'TEACHER@brookfield.invalid',
      role: 'governor',
    });

    expect(empty.response.statusCode).toBe(422);
    expect(empty.response.body).toContain('Enter an email address');
    expect(malformed.response.statusCode).toBe(422);
    expect(malformed.response.body).toContain('Enter an email address in the correct format');
    expect(malformed.response.body).toContain('value="not an address"');
    expect(member.response.statusCode).toBe(422);
    expect(member.response.body).toContain('already has access to Brookfield Academy');
  });

  it('shows one page for every unusable link', async () => {
    const { db } = testApp.database;
    const unusable: Record<string, string> = {};

    const used = await invite(leaderCookie, { email: 'used@brookfield.invalid', role: 'staff' });
    unusable.used = linkPath(used.response.body);
    const csrf = await fetchCsrf(testApp.app, unusable.used);
    const accepted = await testApp.app.inject({
      method: 'POST',
      url: unusable.used,
      headers: { cookie: csrf.cookie },
      payload: {
        _csrf: csrf.token,
        displayName: 'Used Once',
        password: NEW_PASSWORD,
        confirmPassword: NEW_PASSWORD,
      },
    });
    expect(accepted.statusCode).toBe(303);

    const revoked = await invite(leaderCookie, {
      email: 'revoked@brookfield.invalid',
      role: 'staff',
    });
    unusable.revoked = linkPath(revoked.response.body);
    const pending = await db
      .selectFrom('invitations')
      .select('id')
      .where('email', '=', 'revoked@brookfield.invalid')
      .executeTakeFirstOrThrow();
    const people = await testApp.app.inject({
      method: 'GET',
      url: `/schools/${schoolId}/people`,
      headers: { cookie: leaderCookie },
    });
    const revokedResponse = await testApp.app.inject({
      method: 'POST',
      url: `/schools/${schoolId}/people/invitations/revoke`,
      headers: { cookie: leaderCookie },
      payload: { _csrf: csrfTokenIn(people.body), invitationId: String(pending.id) },
    });
    expect(revokedResponse.statusCode).toBe(303);

    const expired = await createInvitation(db, {
      organisationId: schoolId,
      email: 'expired@brookfield.invalid',
      role: 'staff',
      invitedBy: (await findUserByEmail(db, 'head@brookfield.invalid'))?.id ?? 0,
      now: new Date(Date.now() - 8 * 24 * 60 * 60 * 1000),
    });
    unusable.expired = `/invitations/${expired.token}`;
    unusable.unknown = `/invitations/${'A'.repeat(43)}`;
    unusable.malformed = '/invitations/not-a-token';

    const pages = new Map<string, string>();
    for (const [kind, path] of Object.entries(unusable)) {
      const page = await testApp.app.inject({ method: 'GET', url: path });
      expect(page.statusCode, kind).toBe(404);
      expect(page.body, kind).toContain('This invitation link is not valid');
      expect(page.body, kind).toContain('Ask the person who invited you for a new one');
      pages.set(kind, mainText(page.body));

      const form = await fetchCsrf(testApp.app, '/sign-in');
      const post = await testApp.app.inject({
        method: 'POST',
        url: path,
        headers: { cookie: form.cookie },
        payload: {
          _csrf: form.token,
          displayName: 'Late Comer',
          password: NEW_PASSWORD,
          confirmPassword: NEW_PASSWORD,
        },
      });
      expect(post.statusCode, `POST ${kind}`).toBe(404);
      expect(mainText(post.body), `POST ${kind}`).toBe(pages.get(kind));
    }
    expect(new Set(pages.values()).size).toBe(1);
    for (const email of ['revoked@brookfield.invalid', 'expired@brookfield.invalid']) {
      expect(await findUserByEmail(db, email), email).toBe(undefined);
    }
    const revokedEvents = await listAuditEvents(db, schoolId, { action: 'invitation-revoked' });
    expect(revokedEvents[0]?.details).toMatchObject({ email: 'revoked@brookfield.invalid' });
  });

  it('adds an existing account after sign-in', async () => {
    const { response } = await invite(leaderCookie, {
      email: 'Deputy@Riverside.invalid',
      role: 'governor',
    });
    const path = linkPath(response.body);

    const signedOut = await testApp.app.inject({ method: 'GET', url: path });
    expect(signedOut.statusCode).toBe(200);
    expect(signedOut.body).toContain('You already have an account');
    expect(signedOut.body).toContain(`/sign-in?next=${encodeURIComponent(path)}`);
    expect(signedOut.body).not.toContain('name="password"');

    // The page has no form to take a token from, so a forged post borrows the sign-in form's.
    const csrf = await fetchCsrf(testApp.app, '/sign-in');
    const refused = await testApp.app.inject({
      method: 'POST',
      url: path,
      headers: { cookie: csrf.cookie },
      payload: {
        _csrf: csrf.token,
        displayName: 'Impostor',
        password: NEW_PASSWORD,
        confirmPassword: NEW_PASSWORD,
      },
    });
    expect(refused.statusCode).toBe(403);

    const { cookie } = await signInWithInject(testApp.app, 'deputy@riverside.invalid', PASSWORD);
    const confirm = await testApp.app.inject({ method: 'GET', url: path, headers: { cookie } });
    expect(confirm.body).toContain('Accept invitation');
    const accepted = await testApp.app.inject({
      method: 'POST',
      url: path,
      headers: { cookie },
      payload: { _csrf: csrfTokenIn(confirm.body) },
    });
    expect(accepted.statusCode).toBe(303);
    expect(accepted.headers.location).toBe(`/schools/${schoolId}`);

    const school = await testApp.app.inject({
      method: 'GET',
      url: `/schools/${schoolId}`,
      headers: { cookie },
    });
    expect(school.statusCode).toBe(200);
    const account = await findUserByEmail(testApp.database.db, 'deputy@riverside.invalid');
    expect(account?.displayName).toBe('Riverside Deputy');
  });

  it('refuses another signed-in account', async () => {
    const { response } = await invite(leaderCookie, {
      email: 'deputy.two@riverside.invalid',
      role: 'governor',
    });
    await createUserWithRole(testApp.database.db, {
      email: 'deputy.two@riverside.invalid',
      password: PASSWORD,
      organisationId: otherSchoolId,
      role: 'staff',
    });
    const path = linkPath(response.body);

    const page = await testApp.app.inject({
      method: 'GET',
      url: path,
      headers: { cookie: adminCookie },
    });
    const post = await testApp.app.inject({
      method: 'POST',
      url: path,
      headers: { cookie: adminCookie },
      payload: { _csrf: csrfTokenIn(page.body) },
    });

    expect(page.body).toContain('You are signed in as admin@brookfield.invalid');
    expect(post.statusCode).toBe(403);
    const memberships = await testApp.database.db
      .selectFrom('memberships')
      .innerJoin('users', 'users.id', 'memberships.user_id')
      .select('memberships.organisation_id')
      .where('users.email_lookup', '=', 'deputy.two@riverside.invalid')
      .execute();
    expect(memberships.map((row) => row.organisation_id)).toEqual([otherSchoolId]);
  });
});
