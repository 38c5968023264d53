import { parse } from 'csv-parse/sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findStrategyInputs, listPlanTiers } from '../../src/cycle/finance/strategy-store.js';
import { listAuditEvents } from '../../src/platform/audit/audit-store.js';
import { createSchool } from '../../src/platform/organisations/organisation-store.js';
import { fetchCsrf } from '../helpers/csrf.js';
import { extractDocxText, findLineOutOfOrder } from '../helpers/docx-text.js';
import { insertImportRow, insertPupilRow } from '../helpers/pupil-rows.js';
import { startApp, type TestApp } from '../helpers/start-app.js';
import { seedStrategySchool } from '../helpers/strategy-school.js';

/** Returns the `value` attribute of the input with this id, still HTML-escaped, or null. */
function fieldValue(body: string, id: string): string | null {
  const input = new RegExp(`<input[^>]*\\bid="${id}"[^>]*>`).exec(body)?.[0] ?? '';
  return /\bvalue="([^"]*)"/.exec(input)?.[1] ?? null;
}

/** Returns the links of the GOV.UK error summary, in order. */
function summaryLinks(body: string): string[] {
  const summary = /<div class="govuk-error-summary"[\s\S]*?<\/ul>/.exec(body)?.[0] ?? '';
  return [...summary.matchAll(/href="([^"]+)"/g)].map((match) => match[1] ?? '');
}

/** Returns the text of the summary list row with this key, without tags and spare spaces. */
function summaryValue(body: string, key: string): string | null {
  const pattern = new RegExp(
    `<dt class="govuk-summary-list__key">\\s*${key}\\s*</dt>\\s*<dd class="govuk-summary-list__value">([\\s\\S]*?)</dd>`,
  );
  const value = pattern.exec(body)?.[1];
  return value === undefined
    ? null
    : value
        .replace(/<[^>]+>/g, '')
        .replace(/\s+/g, ' ')
        .trim();
}

const YEAR = 2025;

describe('strategy statement routes', () => {
  let testApp: TestApp;
  let schoolId: number;
  let otherSchoolId: number;
  let planId: number;
  let pageUrl: string;
  let inputsUrl: string;

  beforeEach(async () => {
    testApp = await startApp();
    const { db } = testApp.database;
    schoolId = (
      await createSchool(db, { laestab: '8014001', name: 'Brookfield', phase: 'secondary' })
    ).id;
    otherSchoolId = (await createSchool(db, { laestab: '8014002', name: 'Riverside' })).id;
    planId = await seedStrategySchool(db, schoolId);
    pageUrl = `/schools/${schoolId}/finance/strategy-statement?year=${YEAR}`;
    inputsUrl = `/schools/${schoolId}/finance/strategy-statement/inputs?year=${YEAR}`;
  });

  afterEach(async () => {
    await testApp.close();
  });

  function validFields(): Record<string, string> {
    return {
      year: String(YEAR),
      statementOfIntent: 'Every pupil attends.\nNo pupil misses out.',
      authorisedBy: 'Mrs K Shah, headteacher',
      pupilPremiumLead: 'Mr J Okafor',
      governorLead: 'Dr R Evans',
      'publishedOn-day': '15',
      'publishedOn-month': '12',
      'publishedOn-year': '2025',
      'nextReviewOn-day': '20',
      'nextReviewOn-month': '7',
      'nextReviewOn-year': '2026',
      carriedForward: '1,250.50',
      [`tier-${planId}`]: 'wider_strategies',
    };
  }

  async function postInputs(fields: Record<string, string>) {
    const csrf = await fetchCsrf(testApp, inputsUrl);
    return testApp.inject({
      method: 'POST',
      url: `/schools/${schoolId}/finance/strategy-statement/inputs`,
      headers: { cookie: csrf.cookie },
      payload: { _csrf: csrf.token, ...fields },
    });
  }

  it('assembles the page from records', async () => {
    await testApp.signIn(schoolId, 'senior_leader');

    const response = await testApp.inject({ method: 'GET', url: pageUrl });

    expect(response.statusCode).toBe(200);
    expect(summaryValue(response.body, 'Number of pupils in school')).toBe('4');
    expect(summaryValue(response.body, 'Pupils eligible for Pupil Premium')).toBe('2');
    expect(summaryValue(response.body, 'Proportion of pupils eligible for Pupil Premium')).toBe(
      '50.0%',
    );
    expect(summaryValue(response.body, 'Academic years this statement covers')).toBe(
      '2025/26 to 2026/27',
    );
    // Default 2025-26 rates: £1,075.00 (Ever-6 FSM, years 7 to 11) + £2,630.00 (previously
    // looked after) + £350.00 (service child) = £4,055.00.
    expect(summaryValue(response.body, 'Pupil Premium allocation this academic year')).toBe(
      '£4,055.00',
    );
    expect(summaryValue(response.body, 'Pupil Premium carried forward from previous years')).toBe(
      'Not given',
    );
    expect(summaryValue(response.body, 'Statement authorised by')).toBe('Not given');
    expect(response.body).toContain('Persistent absence<br>Disadvantaged pupils miss twice');
    expect(response.body).toContain('Attendance rate rises from 88.0% to 93.0% by 17 July 2026.');
    expect(response.body).toContain('The activity below leaves out plans without a tier');
    expect(response.body).toContain('so the allocation is an estimate');
    expect(response.body).toContain('Enter statement details');
    expect(response.body).toContain(
      `href="/schools/${schoolId}/finance/strategy-statement.docx?year=${YEAR}"`,
    );
    expect(response.body).toContain('Not filled in by Commissioner');
  });

  it('saves the statement details', async () => {
    const { email } = await testApp.signIn(schoolId, 'senior_leader');

    const response = await postInputs(validFields());

    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(`${pageUrl}&saved=inputs`);
    expect(await findStrategyInputs(testApp.database.db, schoolId, YEAR)).toMatchObject({
      statementOfIntent: 'Every pupil attends.\nNo pupil misses out.',
      publishedOn: '2025-12-15',
      nextReviewOn: '2026-07-20',
      carriedForwardPence: 125_050,
    });
    expect((await listPlanTiers(testApp.database.db, schoolId)).get(planId)).toBe(
      'wider_strategies',
    );
    const [event] = await listAuditEvents(testApp.database.db, schoolId, {
      action: 'strategy-statement-saved',
    });
    expect(event?.userEmail).toBe(email);
    expect(event?.subjectId).toBe(String(YEAR));
    expect(event?.details).toMatchObject({
      financialYear: YEAR,
      carriedForward: { fromPence: null, toPence: 125_050 },
      tiers: [{ planId, from: null, to: 'wider_strategies' }],
    });

    const page = await testApp.inject({ method: 'GET', url: response.headers.location as string });
    expect(page.body).toContain('Statement details saved');
    expect(summaryValue(page.body, 'Date published')).toBe('15 December 2025');
    // £4,055.00 allocated + £1,250.50 carried forward.
    expect(summaryValue(page.body, 'Total budget for this academic year')).toBe('£5,305.50');
    expect(page.body).toContain('Budgeted cost: £7,000.00');
    expect(page.body).not.toContain('The activity below leaves out plans without a tier');
    const form = await testApp.inject({ method: 'GET', url: inputsUrl });
    expect(fieldValue(form.body, 'carriedForward')).toBe('1250.50');
    expect(form.body).toMatch(/value="wider_strategies" checked/);
  });

  it('keeps bad input and saves nothing', async () => {
    await testApp.signIn(schoolId, 'senior_leader');

    const response = await postInputs({
      ...validFields(),
      governorLead: '',
      'nextReviewOn-day': '31',
      'nextReviewOn-month': '6',
      carriedForward: '1,250.505',
      [`tier-${planId}`]: '',
    });

    expect(response.statusCode).toBe(422);
    expect(response.body).toContain('<title>Error: ');
    expect(summaryLinks(response.body)).toEqual([
      '#governorLead',
      '#nextReviewOn-day',
      '#carriedForward',
      `#tier-${planId}`,
    ]);
    expect(response.body).toContain('Enter the name of the governor or trustee lead');
    expect(response.body).toContain('Date of next review must be a real date');
    expect(response.body).toContain(
      'Pupil Premium carried forward must have no more than 2 decimal places',
    );
    expect(response.body).toContain('Select the tier of Attendance mentoring');
    expect(fieldValue(response.body, 'carriedForward')).toBe('1,250.505');
    expect(fieldValue(response.body, 'nextReviewOn-day')).toBe('31');
    expect(fieldValue(response.body, 'authorisedBy')).toBe('Mrs K Shah, headteacher');
    expect(response.body).toContain('Every pupil attends.\nNo pupil misses out.</textarea>');
    expect(await findStrategyInputs(testApp.database.db, schoolId, YEAR)).toBeUndefined();
    expect(await listPlanTiers(testApp.database.db, schoolId)).toEqual(new Map());
    expect(
      await listAuditEvents(testApp.database.db, schoolId, { action: 'strategy-statement-saved' }),
    ).toEqual([]);
  });

  it('downloads the Word document', async () => {
    await testApp.signIn(schoolId, 'senior_leader');
    await postInputs(validFields());

    const response = await testApp.inject({
      method: 'GET',
      url: `/schools/${schoolId}/finance/strategy-statement.docx?year=${YEAR}`,
    });

    expect(response.statusCode).toBe(200);
    expect(response.headers['content-disposition']).toBe(
      'attachment; filename="pupil-premium-strategy-statement-2025-26.docx"',
    );
    const text = await extractDocxText(response.rawPayload);
    expect(
      findLineOutOfOrder(text, [
        'Pupil Premium strategy statement: Brookfield',
        'School overview',
        'Number of pupils in school | 4',
        'Pupils eligible for Pupil Premium | 2',
        'Proportion of pupils eligible for Pupil Premium | 50.0%',
        'Academic years this statement covers | 2025/26 to 2026/27',
        'Date published | 15 December 2025',
        'Date of next review | 20 July 2026',
        'Statement authorised by | Mrs K Shah, headteacher',
        'Funding overview',
        'Pupil Premium allocation this academic year | £4,055.00',
        'Pupil Premium carried forward from previous years | £1,250.50',
        'Total budget for this academic year | £5,305.50',
        'Statement of intent',
        'Every pupil attends.',
        'No pupil misses out.',
        'Challenges',
        '1 | Persistent absence',
        'Disadvantaged pupils miss twice as many sessions.',
        'Barriers to learning: Low attendance (internal and external)',
        'Intended outcomes',
        'Better attendance | Attendance rate rises from 88.0% to 93.0% by 17 July 2026. ' +
          'Baseline from 34 pupils’ records in 2024/25.',
        'Teaching',
        'Budgeted cost: £0.00',
        'Wider strategies',
        'Budgeted cost: £7,000.00',
        'Attendance mentoring | Data analysis: Persistent absence 31% against 14% | 1',
        'Total budgeted cost of activity: £7,000.00',
        'Outcomes for disadvantaged pupils in 2024/25',
        'Externally provided programmes',
        'Attendance mentoring | Not recorded in Commissioner yet',
        'Service pupil premium funding',
        'How the school spent it | Not given',
      ]),
    ).toBeNull();
    expect(text).toContain('Not filled in by Commissioner');
    const [event] = await listAuditEvents(testApp.database.db, schoolId, {
      action: 'export-downloaded',
    });
    expect(event?.details).toEqual({
      file: 'pupil-premium-strategy-statement-2025-26.docx',
      financialYear: YEAR,
    });
  });

  it('downloads the CSV file', async () => {
    await testApp.signIn(schoolId, 'senior_leader');
    await postInputs(validFields());

    const response = await testApp.inject({
      method: 'GET',
      url: `/schools/${schoolId}/finance/strategy-statement.csv?year=${YEAR}`,
    });

    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/csv');
    expect(response.headers['content-disposition']).toBe(
      'attachment; filename="pupil-premium-strategy-statement-2025-26.csv"',
    );
    const rows = parse(response.body, { bom: true }) as string[][];
    const find = (item: string) => rows.find((row) => row[1] === item);
    expect(find('Pupil Premium allocation this academic year')?.[4]).toBe('4055');
    expect(find('Pupil Premium carried forward from previous years')?.[4]).toBe('1250.5');
    expect(find('Total budget for this academic year')?.[4]).toBe('5305.5');
    expect(find('Attendance mentoring')).toEqual([
      'Wider strategies',
      'Attendance mentoring',
      'Data analysis: Persistent absence 31% against 14%',
      '1',
      '',
    ]);
    const events = await listAuditEvents(testApp.database.db, schoolId, {
      action: 'export-downloaded',
    });
    expect(events.map((event) => event.details.file)).toEqual([
      'pupil-premium-strategy-statement-2025-26.csv',
    ]);
  });

  it('refuses downloads without a rate', async () => {
    // Financial year 2026-27 is funded on the October 2025 census, and has no default rates.
    const importId = await insertImportRow(testApp.database.db, schoolId, 2025);
    await insertPupilRow(testApp.database.db, schoolId, importId, {
      upn: 'A801200100005',
      ncYear: '7',
      academicYear: 2025,
      fsmStart: '2024-09-01',
    });
    await testApp.signIn(schoolId, 'senior_leader');

    const page = await testApp.inject({
      method: 'GET',
      url: `/schools/${schoolId}/finance/strategy-statement?year=2026`,
    });
    const docx = await testApp.inject({
      method: 'GET',
      url: `/schools/${schoolId}/finance/strategy-statement.docx?year=2026`,
    });
    const csv = await testApp.inject({
      method: 'GET',
      url: `/schools/${schoolId}/finance/strategy-statement.csv?year=2026`,
    });

    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('No Pupil Premium rate for 2026-27: Ever-6 FSM, years 7 to 11.');
    expect(page.body).toContain('The statement cannot be downloaded until the rate is added');
    expect(page.body).not.toContain('strategy-statement.docx');
    for (const response of [docx, csv]) {
      expect(response.statusCode).toBe(303);
      expect(response.headers.location).toBe(
        `/schools/${schoolId}/finance/strategy-statement?year=2026`,
      );
    }
    expect(
      await listAuditEvents(testApp.database.db, schoolId, { action: 'export-downloaded' }),
    ).toEqual([]);
  });

  it('hides another school', async () => {
    await testApp.signIn(otherSchoolId, 'senior_leader');

    const urls = [
      pageUrl,
      inputsUrl,
      `/schools/${schoolId}/finance/strategy-statement.docx?year=${YEAR}`,
      `/schools/${schoolId}/finance/strategy-statement.csv?year=${YEAR}`,
    ];
    for (const url of urls) {
      const response = await testApp.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(404);
    }
  });

  it('rejects a malformed year', async () => {
    await testApp.signIn(schoolId, 'senior_leader');

    const response = await testApp.inject({
      method: 'GET',
      url: `/schools/${schoolId}/finance/strategy-statement?year=20255`,
    });

    expect(response.statusCode).toBe(404);
  });

  it('lets a governor read and download only', async () => {
    await testApp.signIn(schoolId, 'governor');

    const page = await testApp.inject({ method: 'GET', url: pageUrl });
    const docx = await testApp.inject({
      method: 'GET',
      url: `/schools/${schoolId}/finance/strategy-statement.docx?year=${YEAR}`,
    });
    const form = await testApp.inject({ method: 'GET', url: inputsUrl });
    // The sign-out form on every page carries a CSRF token, so the refusal is not a CSRF one.
    const csrf = await fetchCsrf(testApp, pageUrl);
    const post = await testApp.inject({
      method: 'POST',
      url: `/schools/${schoolId}/finance/strategy-statement/inputs`,
      headers: { cookie: csrf.cookie },
      payload: { _csrf: csrf.token, ...validFields() },
    });

    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain('Enter statement details');
    expect(page.body).toContain('A senior leader enters them.');
    expect(docx.statusCode).toBe(200);
    expect(form.statusCode).toBe(403);
    expect(post.statusCode).toBe(403);
    expect(await findStrategyInputs(testApp.database.db, schoolId, YEAR)).toBeUndefined();
  });
});
