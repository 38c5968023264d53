import type { Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  findJointCommissionOfPlan,
  saveJointCommission,
} from '../../src/cycle/finance/joint-store.js';
import { readAudienceRule } from '../../src/cycle/plan/audience.js';
import { addOutcome, listVersions } from '../../src/cycle/plan/plan-store.js';
import { listAuditEvents } from '../../src/platform/audit/audit-store.js';
import type { Database } from '../../src/platform/db/schema.js';
import { createSchool, type School } from '../../src/platform/organisations/organisation-store.js';
import { fetchCsrf } from '../helpers/csrf.js';
import { createPlanRow } from '../helpers/plans.js';
import { insertImportRow, insertPupilRow } from '../helpers/pupil-rows.js';
import { startApp, type TestApp } from '../helpers/start-app.js';

/** Returns the links of the GOV.UK error summary, in order. */
function summaryLinks(body: string): string[] {
  const summary = /<div class="govuk-error-summary"[\s\S]*?<\/ul>/.exec(body)?.[0] ?? '';
  return [...summary.matchAll(/href="([^"]+)"/g)].map((match) => match[1] ?? '');
}

/** Returns the `value` attribute of the input with this id, still HTML-escaped, or null. */
function fieldValue(body: string, id: string): string | null {
  const input = new RegExp(`<input[^>]*\\bid="${id}"[^>]*>`).exec(body)?.[0] ?? '';
  return /\bvalue="([^"]*)"/.exec(input)?.[1] ?? null;
}

/** Returns the hidden fields of the form posting to `action`, as repeated name and value pairs. */
function hiddenFields(body: string, action: string): [string, string][] {
  const form = new RegExp(`<form method="post" action="${action}"[\\s\\S]*?</form>`).exec(
    body,
  )?.[0];
  if (!form) throw new Error(`No form posts to ${action}`);
  return [...form.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)]
    .filter((match) => match[1] !== '_csrf')
    .map((match) => [match[1] ?? '', match[2] ?? '']);
}

async function createTrust(db: Kysely<Database>, name: string): Promise<number> {
  const row = await db
    .insertInto('organisations')
    .values({ kind: 'trust', name, created_at: new Date().toISOString() })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

async function createSchoolIn(
  db: Kysely<Database>,
  trustId: number | null,
  laestab: string,
  name: string,
): Promise<School> {
  const school = await createSchool(db, { laestab, name });
  await db
    .updateTable('organisations')
    .set({ parent_id: trustId })
    .where('id', '=', school.id)
    .execute();
  return school;
}

async function addPupils(db: Kysely<Database>, school: School, years: string[]): Promise<void> {
  const importId = await insertImportRow(db, school.id, 2024);
  for (const [index, ncYear] of years.entries()) {
    await insertPupilRow(db, school.id, importId, {
      upn: `${school.laestab}${String(index).padStart(6, '0')}`,
      academicYear: 2024,
      ncYear,
    });
  }
}

describe('joint commission routes', () => {
  let testApp: TestApp;
  let db: Kysely<Database>;
  let trustId: number;
  let lead: School;
  let riverside: School;
  let hilltop: School;
  let outsider: School;
  let planId: number;
  let jointUrl: string;

  beforeEach(async () => {
    testApp = await startApp();
    db = testApp.database.db;
    trustId = await createTrust(db, 'Oak Learning Trust');
    lead = await createSchoolIn(db, trustId, '8014001', 'Brookfield Academy');
    riverside = await createSchoolIn(db, trustId, '8014002', 'Riverside Primary');
    hilltop = await createSchoolIn(db, trustId, '8014003', 'Hilltop School');
    outsider = await createSchoolIn(db, null, '8014004', 'Standalone School');

    planId = await createPlanRow(db, lead.id, { title: 'Mentoring', budgetPence: 900_001 });
    const rule = readAudienceRule('year in (9)');
    await db
      .updateTable('plan_versions')
      .set({ audience_rule: 'year in (9)', audience_rule_tree: rule.ok ? rule.tree : null })
      .where('plan_id', '=', planId)
      .execute();
    const [version] = await listVersions(db, lead.id, planId);
    await addOutcome(db, lead.id, version?.id ?? 0, {
      description: 'Attendance rises for the mentored pupils',
      measure: 'attendance_rate',
      questionnaire_name: null,
      audience_rule: null,
      audience_rule_tree: null,
      baseline_value: 87.25,
      baseline_pupils: 5,
      baseline_academic_year: 2024,
      baseline_taken_at: '2025-01-10T09:00:00.000Z',
      target_value: 95,
      target_date: '2026-07-17',
    });

    // 5 of the lead school's pupils, 2 of Riverside's and 4 of Hilltop's are in year 9.
    await addPupils(db, lead, ['9', '9', '9', '9', '9', '10']);
    await addPupils(db, riverside, ['9', '9', '10']);
    await addPupils(db, hilltop, ['9', '9', '9', '9', '11']);
    jointUrl = `/schools/${lead.id}/plans/${planId}/joint-commission`;
  });

  afterEach(async () => {
    await testApp.close();
  });

  async function post(formUrl: string, url: string, fields: Record<string, string | string[]>) {
    const csrf = await fetchCsrf(testApp, formUrl);
    return testApp.inject({
      method: 'POST',
      url,
      headers: { cookie: csrf.cookie },
      payload: { _csrf: csrf.token, ...fields },
    });
  }

  /** Saves shares of £9,000.01 by pupils, 3 : 2 : 2, straight through the store. */
  async function shareByPupils(): Promise<number> {
    const saved = await saveJointCommission(
      db,
      lead.id,
      planId,
      {
        basis: 'pupils',
        totalPence: 900_001,
        shares: [
          { schoolId: lead.id, weight: 3, pence: 385_715 },
          { schoolId: riverside.id, weight: 2, pence: 257_143 },
          { schoolId: hilltop.id, weight: 2, pence: 257_143 },
        ],
      },
      null,
    );
    return saved.id;
  }

  it('shares a plan by pupils', async () => {
    const { email } = await testApp.signIn(lead.id, 'senior_leader');

    const chosen = await post(`${jointUrl}/schools`, `${jointUrl}/schools`, {
      basis: 'pupils',
      partners: [String(riverside.id), String(hilltop.id)],
    });
    expect(chosen.statusCode).toBe(303);
    const sharesUrl = chosen.headers.location as string;
    expect(sharesUrl).toBe(
      `${jointUrl}/shares?basis=pupils&partners=${hilltop.id}&partners=${riverside.id}`,
    );
    const form = await testApp.inject({ method: 'GET', url: sharesUrl });
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('Pupils for Brookfield Academy (lead school)');
    expect(form.body).toContain('Pupils for Riverside Primary');
    const check = await post(sharesUrl, `${jointUrl}/shares`, {
      basis: 'pupils',
      partners: [String(hilltop.id), String(riverside.id)],
      [`figure-${lead.id}`]: '3',
      [`figure-${riverside.id}`]: '2',
      [`figure-${hilltop.id}`]: '2',
    });

    // £9,000.01 by 3 : 2 : 2 is 385,714.71p, 257,143.14p and 257,143.14p. Rounded down they
    // leave 1 penny, which goes to the largest fraction cut off: the lead school's 5/7.
    expect(check.statusCode).toBe(200);
    expect(check.body).toContain('Check the shares before saving');
    expect(check.body).toContain('£3,857.15');
    expect(check.body.match(/£2,571\.43/g)).toHaveLength(2);
    expect(await findJointCommissionOfPlan(db, lead.id, planId)).toBeUndefined();

    const hidden = hiddenFields(check.body, jointUrl);
    const fields: Record<string, string | string[]> = {};
    for (const [name, value] of hidden) {
      const existing = fields[name];
      fields[name] = existing === undefined ? value : [existing, value].flat();
    }
    const saved = await post(sharesUrl, jointUrl, fields);

    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe(`${jointUrl}?saved=shares`);
    const joint = await findJointCommissionOfPlan(db, lead.id, planId);
    expect(joint?.shares.map((share) => [share.schoolId, share.weight, share.pence])).toEqual([
      [lead.id, 3, 385_715],
      [hilltop.id, 2, 257_143],
      [riverside.id, 2, 257_143],
    ]);
    const summary = await testApp.inject({ method: 'GET', url: `${jointUrl}?saved=shares` });
    expect(summary.body).toContain('Shares saved');
    expect(summary.body).toContain('£9,000.01');
    const [leadEvent] = await listAuditEvents(db, lead.id, { action: 'joint-commission-saved' });
    expect(leadEvent?.userEmail).toBe(email);
    expect(leadEvent?.details).toMatchObject({ planId, basis: 'pupils', totalPence: 900_001 });
  });

  it('tells each partner only its own share', async () => {
    await testApp.signIn(lead.id, 'senior_leader');
    const check = await post(`${jointUrl}/schools`, `${jointUrl}/shares`, {
      basis: 'agreed_amounts',
      partners: [String(riverside.id), String(hilltop.id)],
      [`figure-${lead.id}`]: '4,000.01',
      [`figure-${riverside.id}`]: '3,000',
      [`figure-${hilltop.id}`]: '2,000',
    });
    const fields = Object.fromEntries(
      hiddenFields(check.body, jointUrl).filter(([name]) => name !== 'partners'),
    );

    await post(`${jointUrl}/schools`, jointUrl, {
      ...fields,
      partners: [String(riverside.id), String(hilltop.id)],
    });

    const [added] = await listAuditEvents(db, riverside.id, { action: 'joint-share-added' });
    expect(added?.details).toEqual({
      jointCommissionId: expect.any(Number),
      leadOrganisationId: lead.id,
      basis: 'agreed_amounts',
      weight: 300_000,
      amountPence: 300_000,
      summary: 'Share of “Mentoring”, led by Brookfield Academy',
    });
    expect(JSON.stringify(added?.details)).not.toContain('200000');
    expect(await listAuditEvents(db, hilltop.id, { action: 'joint-share-added' })).toHaveLength(1);
  });

  it('saves nothing when percentages miss 100%', async () => {
    await testApp.signIn(lead.id, 'senior_leader');
    const fields = {
      basis: 'percentages',
      partners: [String(riverside.id)],
      [`figure-${lead.id}`]: '40',
      [`figure-${riverside.id}`]: '50.5',
      totalPence: '900001',
    };

    const checked = await post(`${jointUrl}/schools`, `${jointUrl}/shares`, fields);
    const saved = await post(`${jointUrl}/schools`, jointUrl, fields);

    for (const response of [checked, saved]) {
      expect(response.statusCode).toBe(422);
      expect(response.body).toContain('Shares add up to 90.50%. They must add up to 100%');
      expect(summaryLinks(response.body)).toEqual([`#figure-${lead.id}`]);
      expect(response.body).toContain('govuk-form-group--error');
      expect(fieldValue(response.body, `figure-${riverside.id}`)).toBe('50.5');
    }
    expect(await findJointCommissionOfPlan(db, lead.id, planId)).toBeUndefined();
    expect(await listAuditEvents(db, lead.id, { action: 'joint-commission-saved' })).toEqual([]);
  });

  it('needs agreed amounts to make the budget', async () => {
    await testApp.signIn(lead.id, 'senior_leader');

    const response = await post(`${jointUrl}/schools`, `${jointUrl}/shares`, {
      basis: 'agreed_amounts',
      partners: [String(riverside.id)],
      [`figure-${lead.id}`]: '5000',
      [`figure-${riverside.id}`]: '4000',
    });

    expect(response.statusCode).toBe(422);
    expect(response.body).toContain(
      'Agreed amounts add up to £9,000.00. They must add up to the total of £9,000.01',
    );
  });

  it('reports each bad figure at its field', async () => {
    await testApp.signIn(lead.id, 'senior_leader');

    const response = await post(`${jointUrl}/schools`, `${jointUrl}/shares`, {
      basis: 'places',
      partners: [String(riverside.id)],
      [`figure-${lead.id}`]: '',
      [`figure-${riverside.id}`]: 'ten',
    });

    expect(response.statusCode).toBe(422);
    expect(summaryLinks(response.body)).toEqual([`#figure-${lead.id}`, `#figure-${riverside.id}`]);
    expect(response.body).toContain('Enter the number of places for Brookfield Academy');
    expect(response.body).toContain('Places for Riverside Primary must be a number, like 12');
    expect(fieldValue(response.body, `figure-${riverside.id}`)).toBe('ten');
  });

  it('needs a basis and a partner', async () => {
    await testApp.signIn(lead.id, 'senior_leader');

    const response = await post(`${jointUrl}/schools`, `${jointUrl}/schools`, {});

    expect(response.statusCode).toBe(422);
    expect(summaryLinks(response.body)).toEqual(['#basis', '#partners']);
    expect(response.body).toContain('Choose at least one school to share the cost');
  });

  it('refuses a school outside the trust', async () => {
    await testApp.signIn(lead.id, 'senior_leader');

    const chosen = await post(`${jointUrl}/schools`, `${jointUrl}/schools`, {
      basis: 'pupils',
      partners: [String(outsider.id)],
    });
    const forced = await post(`${jointUrl}/schools`, jointUrl, {
      basis: 'pupils',
      partners: [String(outsider.id)],
      [`figure-${lead.id}`]: '1',
      [`figure-${outsider.id}`]: '1',
      totalPence: '900001',
    });
    const page = await testApp.inject({ method: 'GET', url: `${jointUrl}/schools` });

    expect(chosen.statusCode).toBe(422);
    expect(chosen.body).toContain('Choose schools from the list');
    expect(forced.statusCode).toBe(303);
    expect(forced.headers.location).toBe(`${jointUrl}/schools`);
    expect(page.body).toContain('Riverside Primary');
    expect(page.body).not.toContain('Standalone School');
    expect(await findJointCommissionOfPlan(db, lead.id, planId)).toBeUndefined();
  });

  it('asks again after a budget change', async () => {
    await testApp.signIn(lead.id, 'senior_leader');
    const fields = {
      basis: 'percentages',
      partners: [String(riverside.id)],
      [`figure-${lead.id}`]: '50',
      [`figure-${riverside.id}`]: '50',
      totalPence: '900001',
    };
    await db
      .updateTable('plan_versions')
      .set({ budget_pence: 1_000_000 })
      .where('plan_id', '=', planId)
      .execute();

    const response = await post(`${jointUrl}/schools`, jointUrl, fields);

    expect(response.statusCode).toBe(409);
    expect(response.body).toContain('The plan’s budget is now £10,000.00');
    expect(response.body.match(/£5,000\.00/g)).toHaveLength(2);
    expect(hiddenFields(response.body, jointUrl)).toContainEqual(['totalPence', '1000000']);
    expect(await findJointCommissionOfPlan(db, lead.id, planId)).toBeUndefined();
  });

  it('warns when the budget moves after saving', async () => {
    await shareByPupils();
    await testApp.signIn(lead.id, 'senior_leader');
    await db
      .updateTable('plan_versions')
      .set({ budget_pence: 950_000 })
      .where('plan_id', '=', planId)
      .execute();

    const page = await testApp.inject({ method: 'GET', url: jointUrl });

    expect(page.body).toContain(
      'The plan’s budget is now £9,500.00, but the shares split £9,000.01',
    );
  });

  it('blocks a plan without a budget', async () => {
    await db
      .updateTable('plan_versions')
      .set({ budget_pence: null })
      .where('plan_id', '=', planId)
      .execute();
    await testApp.signIn(lead.id, 'senior_leader');

    const page = await testApp.inject({ method: 'GET', url: `${jointUrl}/schools` });
    const shares = await testApp.inject({
      method: 'GET',
      url: `${jointUrl}/shares?basis=pupils&partners=${riverside.id}`,
    });

    expect(page.body).toContain('Set the plan’s budget before sharing its cost');
    expect(page.body).not.toContain('name="partners"');
    expect(shares.statusCode).toBe(303);
  });

  it('blocks a school without a trust', async () => {
    const ownPlan = await createPlanRow(db, outsider.id, { title: 'Tutoring', budgetPence: 100 });
    await testApp.signIn(outsider.id, 'senior_leader');

    const page = await testApp.inject({
      method: 'GET',
      url: `/schools/${outsider.id}/plans/${ownPlan}/joint-commission`,
    });

    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(
      'No other school is beneath the same trust or local authority as Standalone School',
    );
  });

  it('shows a partner its own share and pupils', async () => {
    const jointId = await shareByPupils();
    await testApp.signIn(riverside.id, 'senior_leader');

    const finance = await testApp.inject({
      method: 'GET',
      url: `/schools/${riverside.id}/finance`,
    });
    const page = await testApp.inject({
      method: 'GET',
      url: `/schools/${riverside.id}/joint-commissions/${jointId}`,
    });

    expect(finance.body).toContain('Mentoring');
    expect(finance.body).toContain('£2,571.43');
    expect(finance.body).toContain('Brookfield Academy');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('£2,571.43');
    expect(page.body).toContain('2 pupils, by number of pupils');
    expect(page.body).toContain('<strong>2 pupils</strong>');
    expect(page.body).toContain('Attendance rises for the mentored pupils');
    expect(page.body).toContain('95.0% by 17 July 2026');
    for (const hidden of [
      '£3,857.15',
      'Hilltop School',
      '87.3%',
      '<strong>5 pupils',
      '<strong>4 pupils',
    ]) {
      expect(page.body).not.toContain(hidden);
    }
  });

  it('counts another partner’s own pupils', async () => {
    const jointId = await shareByPupils();
    await testApp.signIn(hilltop.id, 'staff');

    const page = await testApp.inject({
      method: 'GET',
      url: `/schools/${hilltop.id}/joint-commissions/${jointId}`,
    });

    expect(page.body).toContain('<strong>4 pupils</strong>');
    expect(page.body).not.toContain('Riverside Primary');
  });

  it('keeps the lead’s plan pages from partners', async () => {
    const jointId = await shareByPupils();
    await testApp.signIn(riverside.id, 'senior_leader');

    const urls = [
      `/schools/${lead.id}/plans/${planId}`,
      `/schools/${lead.id}/plans/${planId}/finance`,
      jointUrl,
      `/schools/${riverside.id}/plans/${planId}`,
      `/schools/${riverside.id}/plans/${planId}/joint-commission`,
      `/schools/${lead.id}/joint-commissions/${jointId}`,
      `/organisations/${trustId}/joint-commissions`,
    ];

    for (const url of urls) {
      const response = await testApp.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(404);
    }
  });

  it('hides joint commissions from outside schools', async () => {
    const jointId = await shareByPupils();
    await testApp.signIn(outsider.id, 'senior_leader');

    const own = await testApp.inject({
      method: 'GET',
      url: `/schools/${outsider.id}/joint-commissions/${jointId}`,
    });
    const finance = await testApp.inject({ method: 'GET', url: `/schools/${outsider.id}/finance` });

    expect(own.statusCode).toBe(404);
    expect(finance.body).not.toContain('Mentoring');
    expect(finance.body).toContain('This school shares no commission with other schools');
  });

  it('records a removed partner in its trail', async () => {
    await shareByPupils();
    await testApp.signIn(lead.id, 'senior_leader');

    const response = await post(`${jointUrl}/schools`, jointUrl, {
      basis: 'pupils',
      partners: [String(hilltop.id)],
      [`figure-${lead.id}`]: '1',
      [`figure-${hilltop.id}`]: '1',
      totalPence: '900001',
    });

    expect(response.statusCode).toBe(303);
    const [removed] = await listAuditEvents(db, riverside.id, { action: 'joint-share-removed' });
    expect(removed?.details).toMatchObject({ leadOrganisationId: lead.id, fromPence: 257_143 });
    const [changed] = await listAuditEvents(db, hilltop.id, { action: 'joint-share-changed' });
    expect(changed?.details).toMatchObject({ amountPence: 450_000, fromPence: 257_143 });
    const riversideShares = await testApp.inject({
      method: 'GET',
      url: `/schools/${lead.id}/finance`,
    });
    expect(riversideShares.body).toContain('£4,500.01');
  });

  it('shows the trust every share', async () => {
    await shareByPupils();
    await testApp.signIn(trustId, 'trust_officer');

    const home = await testApp.inject({ method: 'GET', url: '/' });
    const page = await testApp.inject({
      method: 'GET',
      url: `/organisations/${trustId}/joint-commissions`,
    });
    const csv = await testApp.inject({
      method: 'GET',
      url: `/organisations/${trustId}/joint-commissions.csv`,
    });

    expect(home.body).toContain(`href="/organisations/${trustId}/joint-commissions"`);
    expect(page.statusCode).toBe(200);
    for (const text of [
      'Brookfield Academy (lead school)',
      'Riverside Primary',
      'Hilltop School',
    ]) {
      expect(page.body).toContain(text);
    }
    expect(page.body).toContain('£3,857.15');
    expect(page.body).toContain('£9,000.01');
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.body.split('\r\n').slice(1, 4)).toEqual([
      'Mentoring,Brookfield Academy,Brookfield Academy,8014001,Lead,By number of pupils,3 pupils,3857.15,9000.01,9000.01',
      'Mentoring,Brookfield Academy,Riverside Primary,8014002,Partner,By number of pupils,2 pupils,2571.43,9000.01,9000.01',
      'Mentoring,Brookfield Academy,Hilltop School,8014003,Partner,By number of pupils,2 pupils,2571.43,9000.01,9000.01',
    ]);
    const [download] = await listAuditEvents(db, trustId, { action: 'export-downloaded' });
    expect(download?.details).toMatchObject({ rows: 3 });
  });

  it('lets a trust officer read but not change', async () => {
    await shareByPupils();
    await testApp.signIn(trustId, 'trust_officer');

    const partnerPage = await testApp.inject({ method: 'GET', url: jointUrl });
    const change = await testApp.inject({ method: 'GET', url: `${jointUrl}/schools` });
    const schoolAsTrust = await testApp.inject({
      method: 'GET',
      url: `/organisations/${lead.id}/joint-commissions`,
    });

    expect(partnerPage.statusCode).toBe(200);
    expect(partnerPage.body).not.toContain('Change the shares');
    expect(change.statusCode).toBe(403);
    expect(schoolAsTrust.statusCode).toBe(404);
  });

  it('rejects a form without its CSRF token', async () => {
    await testApp.signIn(lead.id, 'senior_leader');

    const response = await testApp.inject({
      method: 'POST',
      url: jointUrl,
      payload: { basis: 'pupils', partners: String(riverside.id) },
    });

    expect(response.statusCode).toBe(403);
    expect(await findJointCommissionOfPlan(db, lead.id, planId)).toBeUndefined();
  });
});
