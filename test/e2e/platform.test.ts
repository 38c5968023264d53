import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSchool } from '../../src/platform/organisations/organisation-store.js';
import {
  GENERATED_CTF_FACTS,
  generatedCtf,
  readAcceptanceFile,
} from '../helpers/acceptance-files.js';
import { fetchCsrf } from '../helpers/csrf.js';
import { startApp, type TestApp } from '../helpers/start-app.js';

function uploadForm(csrfToken: string, fileName: string, content: Buffer | string): FormData {
  const form = new FormData();
  form.append('_csrf', csrfToken);
  form.append('academicYear', '');
  form.append('file', new Blob([content]), fileName);
  return form;
}

async function countRows(testApp: TestApp): Promise<{ imports: number; pupils: number }> {
  const { db } = testApp.database;
  const imports = await db
    .selectFrom('imports')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const pupils = await db
    .selectFrom('pupils')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return { imports: Number(imports.n), pupils: Number(pupils.n) };
}

describe('web platform', () => {
  let testApp: TestApp;
  let schoolId: number;

  beforeAll(async () => {
    testApp = await startApp();
    const school = await createSchool(testApp.database.db, {
      name: 'Brookfield Academy',
      laestab: '8014001',
      urn: '140001',
      phase: 'secondary',
    });
    schoolId = school.id;
    await testApp.signIn(schoolId);
  });

  afterAll(async () => {
    await testApp.close();
  });

  it('health reports the database', async () => {
    const response = await testApp.inject({ method: 'GET', url: '/health' });

    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok', database: 'ok' });
  });

  it('unknown page is a 404 page', async () => {
    const response = await testApp.inject({ method: 'GET', url: '/no/such/page?x=<script>' });

    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toContain('text/html');
    expect(response.body).toContain('<h1 class="govuk-heading-l">Page not found</h1>');
    expect(response.body).not.toContain('<script>');
    expect(response.body).not.toContain('/no/such/page');
  });

  it('unknown school is a 404 page', async () => {
    for (const url of [
      '/schools/99999',
      '/schools/abc',
      '/schools/1e3',
      `/schools/99999/gaps`,
      `/schools/${schoolId}/imports/99999`,
    ]) {
      const response = await testApp.inject({ method: 'GET', url });

      expect(response.statusCode, url).toBe(404);
      expect(response.body, url).toContain('Page not found');
    }
  });

  it('layout has our header and no crown', async () => {
    const response = await testApp.inject({ method: 'GET', url: '/' });

    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('govuk-service-navigation__service-name');
    expect(response.body).toMatch(/class="govuk-service-navigation__link">\s*Commissioner\s*</);
    expect(response.body).toContain('Brookfield Academy');
    expect(response.body).toContain(
      'Review<span class="govuk-visually-hidden"> (not yet available)</span>',
    );
    expect(response.body).not.toMatch(/crown|GOV\.UK/i);
  });

  it('security headers are set', async () => {
    const response = await testApp.inject({ method: 'GET', url: '/' });
    const csp = String(response.headers['content-security-policy']);

    expect(csp).toMatch(/default-src 'self'/);
    expect(csp).toMatch(/script-src 'self' 'nonce-[0-9a-f]{32}'/);
    expect(csp).toMatch(/style-src 'self' 'nonce-[0-9a-f]{32}'/);
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(response.headers['referrer-policy']).toBe('same-origin');
    expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('pages are not stored by the browser', async () => {
    const page = await testApp.inject({ method: 'GET', url: '/help/gaps' });
    const missing = await testApp.inject({ method: 'GET', url: '/no/such/page' });
    const css = await testApp.inject({ method: 'GET', url: '/stylesheets/application.css' });

    expect(page.headers['cache-control']).toBe('no-store');
    expect(missing.headers['cache-control']).toBe('no-store');
    expect(css.headers['cache-control']).not.toBe('no-store');
  });

  it('inline script carries the CSP nonce', async () => {
    const response = await testApp.inject({ method: 'GET', url: '/' });
    const nonce = /'nonce-([0-9a-f]{32})'/.exec(
      String(response.headers['content-security-policy']),
    )?.[1];
    const scripts = response.body.match(/<script[^>]*>/g) ?? [];

    expect(nonce).toBeDefined();
    expect(scripts.length).toBeGreaterThan(0);
    for (const script of scripts) {
      expect(script).toContain(`nonce="${nonce}"`);
    }
  });

  it('serves the stylesheet and script only', async () => {
    const css = await testApp.inject({ method: 'GET', url: '/stylesheets/application.css' });
    const script = await testApp.inject({
      method: 'GET',
      url: '/javascripts/govuk-frontend.min.js',
    });
    const sass = await testApp.inject({ method: 'GET', url: '/javascripts/index.scss' });
    const font = await testApp.inject({
      method: 'GET',
      url: '/assets/fonts/bold-b542beb274-v2.woff2',
    });

    expect(css.statusCode).toBe(200);
    expect(css.body).not.toContain('GDS Transport');
    expect(script.statusCode).toBe(200);
    expect(script.headers['content-type']).toContain('javascript');
    expect(sass.statusCode).toBe(404);
    expect(font.statusCode).toBe(404);
  });

  it('rejects a form post without a CSRF token', async () => {
    const before = await countRows(testApp);
    const form = new FormData();
    form.append('file', new Blob(['<CTfile/>']), 'pupils.xml');

    const response = await testApp.inject({
      method: 'POST',
      url: `/schools/${schoolId}/imports`,
      payload: form,
    });

    expect(response.statusCode).toBe(403);
    expect(response.body).toContain('Your form could not be sent');
    expect(await countRows(testApp)).toEqual(before);
  });

  it('rejects a token without its cookie', async () => {
    const { token } = await fetchCsrf(testApp, `/schools/${schoolId}/imports/new`);

    const response = await testApp.inject({
      method: 'POST',
      url: `/schools/${schoolId}/imports`,
      payload: uploadForm(token, 'pupils.xml', '<CTfile/>'),
    });

    expect(response.statusCode).toBe(403);
  });

  it('empty upload shows the error summary', async () => {
    const before = await countRows(testApp);
    const csrf = await fetchCsrf(testApp, `/schools/${schoolId}/imports/new`);
    const empty = readAcceptanceFile('empty.xml', Buffer.alloc(0));

    const response = await testApp.inject({
      method: 'POST',
      url: `/schools/${schoolId}/imports`,
      headers: { cookie: csrf.cookie },
      payload: uploadForm(csrf.token, 'empty.xml', empty),
    });

    expect(response.statusCode).toBe(422);
    expect(response.body).toContain('govuk-error-summary');
    expect(response.body).toContain('href="#file"');
    expect(response.body).toContain('<title>Error: Import pupil data – Commissioner</title>');
    expect(response.body).toContain('govuk-file-upload');
    expect(await countRows(testApp)).toEqual(before);
  });

  it('upload without a file asks for one', async () => {
    const csrf = await fetchCsrf(testApp, `/schools/${schoolId}/imports/new`);
    const form = new FormData();
    form.append('_csrf', csrf.token);
    form.append('academicYear', '');

    const response = await testApp.inject({
      method: 'POST',
      url: `/schools/${schoolId}/imports`,
      headers: { cookie: csrf.cookie },
      payload: form,
    });

    expect(response.statusCode).toBe(422);
    expect(response.body).toContain('Select a file to import');
  });

  it('help page defines the terms', async () => {
    const response = await testApp.inject({ method: 'GET', url: '/help/gaps' });

    expect(response.statusCode).toBe(200);
    for (const term of [
      'Disadvantaged',
      'Ever-6 FSM',
      'census',
      'SEN support',
      'EHC plan',
      'English as an additional language',
      'Ethnicity',
      'Persistent absence',
      '10%',
      'Severe absence',
      '50%',
      'Suspension rate',
      'Permanent exclusions',
      'Welch',
      'Newcombe',
      'fewer than 5 pupils',
    ]) {
      expect(response.body, term).toContain(term);
    }
  });
});

describe('upload size limit', () => {
  let testApp: TestApp;
  let schoolId: number;

  beforeAll(async () => {
    testApp = await startApp({ env: { MAX_UPLOAD_BYTES: '2048' } });
    schoolId = (
      await createSchool(testApp.database.db, { name: 'Small School', laestab: '8014002' })
    ).id;
    await testApp.signIn(schoolId);
  });

  afterAll(async () => {
    await testApp.close();
  });

  it('too large a file gets a friendly error', async () => {
    const csrf = await fetchCsrf(testApp, `/schools/${schoolId}/imports/new`);

    const response = await testApp.inject({
      method: 'POST',
      url: `/schools/${schoolId}/imports`,
      headers: { cookie: csrf.cookie },
      payload: uploadForm(csrf.token, 'big.xml', 'x'.repeat(5000)),
    });

    expect(response.statusCode).toBe(413);
    expect(response.body).toContain('govuk-error-summary');
    expect(response.body).toContain('The selected file must be smaller than 2 KB');
    expect(await countRows(testApp)).toEqual({ imports: 0, pupils: 0 });
  });
});

describe('import from another school', () => {
  let testApp: TestApp;
  let schoolId: number;
  let previewUrl: string;

  beforeAll(async () => {
    testApp = await startApp();
    schoolId = (
      await createSchool(testApp.database.db, { name: 'Hillside School', laestab: '8025000' })
    ).id;
    await testApp.signIn(schoolId);
    const csrf = await fetchCsrf(testApp, `/schools/${schoolId}/imports/new`);
    const upload = await testApp.inject({
      method: 'POST',
      url: `/schools/${schoolId}/imports`,
      headers: { cookie: csrf.cookie },
      payload: uploadForm(csrf.token, 'other-school.xml', generatedCtf()),
    });
    previewUrl = String(upload.headers.location);
  });

  afterAll(async () => {
    await testApp.close();
  });

  it('preview asks for confirmation', async () => {
    const response = await testApp.inject({ method: 'GET', url: previewUrl });

    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('govuk-warning-text');
    expect(response.body).toContain('name="confirmOtherSchool"');
  });

  it('commit without confirmation is refused', async () => {
    const csrf = await fetchCsrf(testApp, previewUrl);

    const response = await testApp.inject({
      method: 'POST',
      url: `${previewUrl}/commit`,
      headers: { cookie: csrf.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: csrf.token }).toString(),
    });

    expect(response.statusCode).toBe(422);
    expect(response.body).toContain('govuk-error-summary');
    expect(response.body).toContain('href="#confirmOtherSchool"');
    expect(response.body).toContain('govuk-checkboxes__input');
    expect(response.body).toContain('govuk-error-message');
    expect(await countRows(testApp)).toEqual({ imports: 1, pupils: 0 });
  });

  it('commit with confirmation loads', async () => {
    const csrf = await fetchCsrf(testApp, previewUrl);

    const response = await testApp.inject({
      method: 'POST',
      url: `${previewUrl}/commit`,
      headers: { cookie: csrf.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: csrf.token, confirmOtherSchool: 'yes' }).toString(),
    });

    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toMatch(new RegExp(`^/schools/${schoolId}\\?imported=\\d+$`));
    expect(await countRows(testApp)).toEqual({ imports: 1, pupils: GENERATED_CTF_FACTS.pupils });
  });

  it('overview confirms the import', async () => {
    const importId = previewUrl.split('/').at(-1);

    const response = await testApp.inject({
      method: 'GET',
      url: `/schools/${schoolId}?imported=${importId}`,
    });

    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('govuk-notification-banner--success');
    expect(response.body).toContain('Pupil data loaded from other-school.xml');
  });
});

describe('request logs', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await startApp({ captureLogs: true });
  });

  afterAll(async () => {
    await testApp.close();
  });

  it('carry ids and no pupil data', async () => {
    const school = await createSchool(testApp.database.db, {
      name: 'Log School',
      laestab: '8014001',
    });
    await testApp.signIn(school.id);
    const csrf = await fetchCsrf(testApp, `/schools/${school.id}/imports/new`);
    const ctf = generatedCtf();
    const upload = await testApp.inject({
      method: 'POST',
      url: `/schools/${school.id}/imports?surname=Pupil0`,
      headers: { cookie: csrf.cookie },
      payload: uploadForm(csrf.token, 'Pupil3-Test.xml', ctf),
    });
    const previewUrl = String(upload.headers.location);
    const commitCsrf = await fetchCsrf(testApp, previewUrl);
    await testApp.inject({
      method: 'POST',
      url: `${previewUrl}/commit`,
      headers: { cookie: commitCsrf.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        _csrf: commitCsrf.token,
        confirmOtherSchool: 'yes',
      }).toString(),
    });
    await testApp.inject({ method: 'GET', url: `/schools/${school.id}/gaps` });
    const text = JSON.stringify(testApp.logs);
    const upns = [...ctf.toString('utf8').matchAll(/<UPN>([^<]+)<\/UPN>/g)].map(
      (match) => match[1],
    );

    expect(upload.statusCode).toBe(303);
    expect(testApp.logs.length).toBeGreaterThan(0);
    const completed = testApp.logs.filter((line) => line.msg === 'request completed');
    expect(completed.length).toBeGreaterThanOrEqual(5);
    for (const line of completed) {
      expect(line.requestId).toMatch(/^[0-9a-f-]{36}$/);
    }
    expect(upns.length).toBe(GENERATED_CTF_FACTS.pupils);
    for (const upn of upns) {
      expect(text).not.toContain(upn);
    }
    expect(text).not.toContain('Pupil0');
    expect(text).not.toContain('Pupil3');
    expect(text).not.toContain('_csrf');
  });
});

describe('CSV column mapping', () => {
  let testApp: TestApp;
  let previewUrl: string;

  beforeAll(async () => {
    testApp = await startApp();
    const school = await createSchool(testApp.database.db, {
      name: 'Mapping School',
      laestab: '8014003',
    });
    await testApp.signIn(school.id);
    const upns = [
      ...generatedCtf()
        .toString('utf8')
        .matchAll(/<UPN>([^<]+)<\/UPN>/g),
    ].map((match) => match[1]);
    const csv = [
      'Pupil ID,Family,Given,Gender',
      ...upns.map((upn, index) => `${upn},Surname${index},Given${index},F`),
    ].join('\r\n');
    const csrf = await fetchCsrf(testApp, `/schools/${school.id}/imports/new`);
    const form = uploadForm(csrf.token, 'pupils.csv', csv);
    form.set('academicYear', '2024');
    const upload = await testApp.inject({
      method: 'POST',
      url: `/schools/${school.id}/imports`,
      headers: { cookie: csrf.cookie },
      payload: form,
    });
    previewUrl = String(upload.headers.location);
  });

  afterAll(async () => {
    await testApp.close();
  });

  it('offers a select per column', async () => {
    const response = await testApp.inject({ method: 'GET', url: previewUrl });

    expect(response.statusCode).toBe(200);
    for (const index of [0, 1, 2, 3]) {
      expect(response.body).toContain(`name="column-${index}"`);
    }
    expect(response.body).toContain('Column “Pupil ID”');
    expect(response.body).not.toContain('Load pupil data');
  });

  it('mapping clears the errors', async () => {
    const csrf = await fetchCsrf(testApp, previewUrl);
    const mapping = new URLSearchParams({
      _csrf: csrf.token,
      academicYear: '2024',
      'column-0': 'upn',
      'column-1': 'legalSurname',
      'column-2': 'legalForename',
      'column-3': 'sex',
    });

    const response = await testApp.inject({
      method: 'POST',
      url: `${previewUrl}/mapping`,
      headers: { cookie: csrf.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: mapping.toString(),
    });
    const preview = await testApp.inject({ method: 'GET', url: previewUrl });

    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(previewUrl);
    expect(preview.body).toContain('Load pupil data');
    expect(preview.body).toMatch(/<option value="upn" selected>UPN<\/option>/);
  });

  it('rejects an unknown field', async () => {
    const csrf = await fetchCsrf(testApp, previewUrl);

    const response = await testApp.inject({
      method: 'POST',
      url: `${previewUrl}/mapping`,
      headers: { cookie: csrf.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: csrf.token, 'column-0': 'password' }).toString(),
    });

    expect(response.statusCode).toBe(422);
    expect(response.body).toContain('govuk-error-summary');
  });
});

describe('import loaded twice', () => {
  let testApp: TestApp;
  let previewUrl: string;

  beforeAll(async () => {
    testApp = await startApp();
    const school = await createSchool(testApp.database.db, {
      name: 'Brookfield Academy',
      laestab: GENERATED_CTF_FACTS.laestab,
    });
    await testApp.signIn(school.id, 'staff');
    const csrf = await fetchCsrf(testApp, `/schools/${school.id}/imports/new`);
    const upload = await testApp.inject({
      method: 'POST',
      url: `/schools/${school.id}/imports`,
      headers: { cookie: csrf.cookie },
      payload: uploadForm(csrf.token, 'pupils.xml', generatedCtf()),
    });
    previewUrl = String(upload.headers.location);
  });

  afterAll(async () => {
    await testApp.close();
  });

  async function commit(): Promise<{ statusCode: number; body: string }> {
    const csrf = await fetchCsrf(testApp, previewUrl);
    return testApp.inject({
      method: 'POST',
      url: `${previewUrl}/commit`,
      headers: { cookie: csrf.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: csrf.token }).toString(),
    });
  }

  it('says the file is already loaded', async () => {
    const first = await commit();
    const second = await commit();

    expect(first.statusCode).toBe(303);
    expect(second.body).toContain('This file has already been loaded into Brookfield Academy');
    expect(second.body).not.toContain('committed');
    expect(second.body).not.toContain('govuk-error-summary');
    expect(await countRows(testApp)).toEqual({ imports: 1, pupils: GENERATED_CTF_FACTS.pupils });
  });
});

describe('cookies outside local development', () => {
  it('marks the CSRF cookie Secure', async () => {
    const testApp = await startApp({ env: { COOKIE_SECURE: 'on' } });

    const response = await testApp.inject({ method: 'GET', url: '/sign-in' });

    const setCookie = [response.headers['set-cookie'] ?? []].flat().join('\n');
    expect(setCookie).toMatch(/_csrf=[^\n]*; Secure/);
    await testApp.close();
  });
});
