import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listAuditEvents } from '../../src/platform/audit/audit-store.js';
import {
  createSchool,
  getDelegatedLimit,
  setDelegatedLimit,
} from '../../src/platform/organisations/organisation-store.js';
import { fetchCsrf } from '../helpers/csrf.js';
import { startApp, type TestApp } from '../helpers/start-app.js';

/** Returns the `value` attribute of the limit field, still HTML-escaped, or null. */
function limitFieldValue(body: string): string | null {
  const input = /<input[^>]*\bid="delegatedLimit"[^>]*>/.exec(body)?.[0] ?? '';
  return /\bvalue="([^"]*)"/.exec(input)?.[1] ?? null;
}

describe('school settings', () => {
  let testApp: TestApp;
  let schoolId: number;
  let settingsUrl: string;

  beforeEach(async () => {
    testApp = await startApp();
    const school = await createSchool(testApp.database.db, {
      laestab: '8014001',
      name: 'Brookfield Academy',
    });
    schoolId = school.id;
    settingsUrl = `/schools/${schoolId}/settings`;
  });

  afterEach(async () => {
    await testApp.close();
  });

  async function submitLimit(typed: string) {
    const csrf = await fetchCsrf(testApp, settingsUrl);
    return testApp.inject({
      method: 'POST',
      url: settingsUrl,
      headers: { cookie: csrf.cookie },
      payload: { _csrf: csrf.token, delegatedLimit: typed },
    });
  }

  async function settingsEvents() {
    return listAuditEvents(testApp.database.db, schoolId, { action: 'settings-changed' });
  }

  it('shows an unset limit', async () => {
    await testApp.signIn(schoolId, 'governor');

    const page = await testApp.inject({ method: 'GET', url: settingsUrl });

    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<h1 class="govuk-heading-l">Delegated approval limit</h1>');
    expect(page.body).toContain('Not set');
    expect(page.body).toContain('govuk-input__prefix');
    expect(page.body).toContain('id="delegatedLimit-hint"');
    expect(page.body).not.toContain('govuk-error-summary');
    expect(limitFieldValue(page.body)).toBe('');
  });

  it('governor sets £5,000.50', async () => {
    const { email } = await testApp.signIn(schoolId, 'governor');

    const response = await submitLimit('£5,000.50');

    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(`/schools/${schoolId}?settings=saved`);
    expect(await getDelegatedLimit(testApp.database.db, schoolId)).toBe(500_050);

    const overview = await testApp.inject({ method: 'GET', url: response.headers.location });
    expect(overview.statusCode).toBe(200);
    expect(overview.body).toContain('Delegated approval limit saved');
    expect(overview.body).toContain('The limit is now £5,000.50.');
    expect(overview.body).toContain(`href="/schools/${schoolId}/settings"`);

    const page = await testApp.inject({ method: 'GET', url: settingsUrl });
    expect(page.body).toContain('£5,000.50');
    expect(page.body).not.toContain('Not set');

    // Governors do not read the audit trail; a senior leader sees the change there.
    await testApp.signIn(schoolId, 'senior_leader');
    const trail = await testApp.inject({ method: 'GET', url: `/schools/${schoolId}/audit` });
    expect(trail.body).toContain('Delegated limit not set to £5,000.50');

    const events = await settingsEvents();
    expect(events).toHaveLength(1);
    expect(events[0]?.userEmail).toBe(email);
    expect(events[0]?.subjectType).toBe('organisation');
    expect(events[0]?.subjectId).toBe(String(schoolId));
    expect(events[0]?.requestId).toBe(response.headers['x-request-id']);
    expect(events[0]?.details).toEqual({
      setting: 'delegatedLimitPence',
      fromPence: null,
      toPence: 500_050,
    });
  });

  it('audits the old and new limit', async () => {
    await setDelegatedLimit(testApp.database.db, schoolId, 250_000);
    await testApp.signIn(schoolId, 'governor');

    const response = await submitLimit('7500');

    expect(response.statusCode).toBe(303);
    const [event] = await settingsEvents();
    expect(event?.details).toMatchObject({ fromPence: 250_000, toPence: 750_000 });
  });

  it('records nothing when unchanged', async () => {
    await setDelegatedLimit(testApp.database.db, schoolId, 500_000);
    await testApp.signIn(schoolId, 'governor');

    const response = await submitLimit('5,000.00');

    expect(response.statusCode).toBe(303);
    expect(await getDelegatedLimit(testApp.database.db, schoolId)).toBe(500_000);
    expect(await settingsEvents()).toEqual([]);
  });

  it.each([
    ['', 'Enter the delegated approval limit'],
    ['-5000', 'Delegated approval limit must be £0 or more. Remove the minus sign'],
    ['5000.505', 'Delegated approval limit must have no more than 2 decimal places'],
    ['lots', 'Delegated approval limit must be an amount in pounds'],
    ['20,000,000', 'Delegated approval limit must be £10,000,000 or less'],
    ['  £5,00 ', 'Delegated approval limit must use commas only to separate thousands'],
  ])('rejects %j and keeps it', async (typed, message) => {
    await setDelegatedLimit(testApp.database.db, schoolId, 100_000);
    await testApp.signIn(schoolId, 'governor');

    const response = await submitLimit(typed);

    expect(response.statusCode).toBe(422);
    expect(response.body).toContain(
      '<title>Error: Delegated approval limit – Commissioner</title>',
    );
    expect(response.body).toContain('govuk-error-summary');
    expect(response.body).toContain('href="#delegatedLimit"');
    expect(response.body).toContain('id="delegatedLimit-error"');
    expect(response.body.split(message).length - 1).toBe(2);
    expect(limitFieldValue(response.body)).toBe(typed);
    expect(response.body).toContain('£1,000.00');
    expect(await getDelegatedLimit(testApp.database.db, schoolId)).toBe(100_000);
    expect(await settingsEvents()).toEqual([]);
  });

  it('keeps typed markup escaped', async () => {
    await testApp.signIn(schoolId, 'governor');

    const response = await submitLimit('"><b>5</b>');

    expect(response.statusCode).toBe(422);
    expect(response.body).not.toContain('<b>5</b>');
    expect(limitFieldValue(response.body)).toBe('&quot;&gt;&lt;b&gt;5&lt;/b&gt;');
  });

  it('forbids a senior leader', async () => {
    await testApp.signIn(schoolId, 'senior_leader');

    const page = await testApp.inject({ method: 'GET', url: settingsUrl });
    const overview = await testApp.inject({ method: 'GET', url: `/schools/${schoolId}` });

    expect(page.statusCode).toBe(403);
    expect(overview.statusCode).toBe(200);
    expect(overview.body).toContain('Delegated approval limit');
    expect(overview.body).not.toContain(`href="/schools/${schoolId}/settings"`);
  });

  it('forbids a senior leader’s post', async () => {
    await testApp.signIn(schoolId, 'governor');
    const csrf = await fetchCsrf(testApp, settingsUrl);
    await testApp.signIn(schoolId, 'senior_leader');

    const response = await testApp.inject({
      method: 'POST',
      url: settingsUrl,
      headers: { cookie: csrf.cookie },
      payload: { _csrf: csrf.token, delegatedLimit: '1' },
    });

    expect(response.statusCode).toBe(403);
    expect(await getDelegatedLimit(testApp.database.db, schoolId)).toBeNull();
    expect(await settingsEvents()).toEqual([]);
  });

  it('rejects a post without a CSRF token', async () => {
    await testApp.signIn(schoolId, 'governor');

    const response = await testApp.inject({
      method: 'POST',
      url: settingsUrl,
      payload: { delegatedLimit: '5000' },
    });

    expect(response.statusCode).toBe(403);
    expect(await getDelegatedLimit(testApp.database.db, schoolId)).toBeNull();
  });
});
