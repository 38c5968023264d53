import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fetchCsrf } from '../../../test/helpers/csrf.js';
import { startApp, type TestApp } from '../../../test/helpers/start-app.js';
import { createSchool, type School } from '../../platform/organisations/organisation-store.js';
import { loadBands } from './plan-store.js';
import { DEFAULT_BANDS } from './proportionality.js';

let testApp: TestApp;
let school: School;

const GOOD = {
  'band-0-name': 'One-off',
  'band-0-maxValue': '1,000',
  'band-0-maxWeeks': '2',
  'band-0-sections': 'key_contact',
  'band-1-name': 'Term',
  'band-1-maxValue': '8,000',
  'band-1-maxWeeks': '14',
  'band-1-sections': 'alignment',
  'band-2-name': 'Programme',
  'band-2-maxValue': '',
  'band-2-maxWeeks': '',
};

async function save(form: Record<string, string | string[]>) {
  const url = `/schools/${school.id}/settings/proportionality`;
  const csrf = await fetchCsrf(testApp, url);
  const body = new URLSearchParams({ _csrf: csrf.token });
  for (const [name, value] of Object.entries(form)) {
    for (const item of Array.isArray(value) ? value : [value]) body.append(name, item);
  }
  return testApp.inject({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: csrf.cookie },
    payload: body.toString(),
  });
}

beforeEach(async () => {
  testApp = await startApp();
  school = await createSchool(testApp.database.db, { laestab: '8014001', name: 'Brookfield' });
  await testApp.signIn(school.id, 'senior_leader');
});

afterEach(async () => {
  await testApp.close();
});

describe('proportionality bands page', () => {
  it('shows the default bands', async () => {
    const page = await testApp.inject({
      method: 'GET',
      url: `/schools/${school.id}/settings/proportionality`,
    });

    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('value="Light"');
    expect(page.body).toContain('value="2,000.00"');
  });

  it('saves the school’s bands and records the change', async () => {
    const response = await save({ ...GOOD, 'band-2-sections': ['outputs', 'evaluation_strategy'] });

    expect(response.statusCode).toBe(303);
    expect(await loadBands(testApp.database.db, school.id)).toEqual([
      { name: 'One-off', maxValuePence: 100_000, maxWeeks: 2, requiredSections: ['key_contact'] },
      { name: 'Term', maxValuePence: 800_000, maxWeeks: 14, requiredSections: ['alignment'] },
      {
        name: 'Programme',
        maxValuePence: null,
        maxWeeks: null,
        requiredSections: ['outputs', 'evaluation_strategy'],
      },
    ]);
    const events = await testApp.database.db
      .selectFrom('audit_events')
      .select('details')
      .where('action', '=', 'settings-changed')
      .execute();
    expect(events).toHaveLength(1);
  });

  it('refuses falling limits and bad amounts, keeps what was typed and saves nothing', async () => {
    const response = await save({
      ...GOOD,
      'band-0-maxValue': '1,000.005',
      'band-1-maxValue': '500',
      'band-1-maxWeeks': 'a term',
    });

    expect(response.statusCode).toBe(422);
    expect(response.body).toContain(
      'Band 1&#39;s highest value must have no more than 2 decimal places',
    );
    expect(response.body).toContain(
      'Band 2&#39;s longest timeframe must be a whole number of weeks',
    );
    expect(response.body).toContain('value="a term"');
    expect(await loadBands(testApp.database.db, school.id)).toEqual(DEFAULT_BANDS);
  });

  it('is refused to staff', async () => {
    await testApp.signIn(school.id, 'staff');

    const page = await testApp.inject({
      method: 'GET',
      url: `/schools/${school.id}/settings/proportionality`,
    });

    expect(page.statusCode).toBe(403);
  });
});

describe('service navigation', () => {
  it('links the Plan step to the school’s plans and marks it as the current step', async () => {
    const page = await testApp.inject({ method: 'GET', url: `/schools/${school.id}/plans` });

    expect(page.body).toContain(`href="/schools/${school.id}/plans" aria-current="true"`);
    expect(page.body).toContain(`href="/schools/${school.id}"`);
  });
});
