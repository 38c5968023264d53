import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fetchCsrf } from '../../../test/helpers/csrf.js';
import { extractDocxText } from '../../../test/helpers/docx-text.js';
import { startApp, type TestApp } from '../../../test/helpers/start-app.js';
import {
  createSchool,
  setDelegatedLimit,
  type School,
} from '../../platform/organisations/organisation-store.js';
import { commitImport, previewImport } from '../../pupils/import-service.js';
import { loadInterventionMemberships, readAudienceRule } from './audience.js';
import { listOutcomes, listVersions } from './plan-store.js';

const NOW = new Date().toISOString();
// Four pupils with 320/300, 320/280, 318/310 and 300/250 sessions possible/attended:
// (300 + 280 + 310 + 250) / (320 + 320 + 318 + 300) = 1140 / 1258 = 90.62%.
const FIXTURE = new URL('../../../test/fixtures/imports/sims-pupils-utf8-bom.csv', import.meta.url);
const NEXT_YEAR = new Date().getUTCFullYear() + 1;

let testApp: TestApp;
let school: School;
let needId: number;

async function post(url: string, form: Record<string, string>, formPage = url) {
  const csrf = await fetchCsrf(testApp, formPage);
  return testApp.inject({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: csrf.cookie },
    payload: new URLSearchParams({ ...form, _csrf: csrf.token }).toString(),
  });
}

async function startPlan(): Promise<string> {
  const created = await post(
    `/schools/${school.id}/plans`,
    { needId: String(needId), title: 'Year 9 mentoring' },
    `/schools/${school.id}/plans/new`,
  );
  expect(created.statusCode).toBe(303);
  return created.headers.location as string;
}

const DETAILS = {
  title: 'Year 9 mentoring',
  improvementPriorityId: '',
  alignment: 'Serves the attendance priority',
  audienceRule: 'year in (7, 8)',
  'startDate-day': '4',
  'startDate-month': '1',
  'startDate-year': String(NEXT_YEAR),
  // 4 January to 30 June is 26 weeks: the standard band, which does not ask for outputs.
  'endDate-day': '30',
  'endDate-month': '6',
  'endDate-year': String(NEXT_YEAR),
  budget: '4,500',
  staffHours: '40',
  keyContact: 'Ms Patel',
  responsibleLeader: '',
  evaluationStrategy: '',
};

const OUTCOME = {
  description: 'Raise attendance of the mentored pupils to 95%',
  measure: 'attendance_rate',
  questionnaireName: '',
  baseline: '',
  audienceRule: '',
  target: '95',
  'targetDate-day': '30',
  'targetDate-month': '6',
  'targetDate-year': String(NEXT_YEAR),
};

beforeEach(async () => {
  testApp = await startApp();
  const { db } = testApp.database;
  school = await createSchool(db, { laestab: '8014001', name: 'Brookfield Academy' });
  const limits = { maxBytes: 1024 * 1024 };
  const preview = await previewImport(
    db,
    {
      organisationId: school.id,
      fileName: 'pupils.csv',
      content: readFileSync(FIXTURE),
      academicYear: 2024,
    },
    limits,
  );
  await commitImport(
    db,
    school.id,
    preview.importId as number,
    { confirmOtherSchool: false },
    limits,
  );
  needId = (
    await db
      .insertInto('needs')
      .values({
        organisation_id: school.id,
        title: 'Low attendance in year 9',
        description: '',
        priority: 'high',
        status: 'identified',
        capacity_reasoning: '',
        capability_reasoning: '',
        cost_reasoning: '',
        external_reasons: '[]',
        created_at: NOW,
        updated_at: NOW,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
  await setDelegatedLimit(db, school.id, 500_000);
  await testApp.signIn(school.id, 'senior_leader');
});

afterEach(async () => {
  await testApp.close();
});

describe('a commissioning plan from start to approval', () => {
  it('starts a plan for a need', async () => {
    const refused = await post(
      `/schools/${school.id}/plans`,
      { needId: '', title: '  ' },
      `/schools/${school.id}/plans/new`,
    );

    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('Select the need this plan answers');
    expect(refused.body).toContain('Enter a title for the plan');

    const planUrl = await startPlan();
    const page = await testApp.inject({ method: 'GET', url: planUrl });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Year 9 mentoring');
    expect(page.body).toContain('Low attendance in year 9');
  });

  it('keeps what was typed when the details are wrong, and saves nothing', async () => {
    const planUrl = await startPlan();

    const response = await post(`${planUrl}/details`, {
      ...DETAILS,
      budget: '-4,500',
      staffHours: 'lots',
    });

    expect(response.statusCode).toBe(422);
    expect(response.body).toContain('Budget must be £0 or more. Remove the minus sign');
    expect(response.body).toContain('Staff time must be a whole number of hours, like 40');
    expect(response.body).toContain('value="-4,500"');
    expect(response.body).toContain('Ms Patel');
    const [version] = await listVersions(
      testApp.database.db,
      school.id,
      Number(planUrl.split('/').pop()),
    );
    expect(version?.budget_pence).toBeNull();
  });

  it('fixes the baseline from pupil data and refuses a target already met', async () => {
    const planUrl = await startPlan();
    const planId = Number(planUrl.split('/').pop());
    await post(`${planUrl}/details`, DETAILS);

    // The form shows the audience's current figures before a target is chosen.
    const form = await testApp.inject({ method: 'GET', url: `${planUrl}/outcomes/new` });
    expect(form.body).toContain('Where the plan’s target audience stands now (2024/25)');
    expect(form.body).toMatch(/Attendance rate<\/th>\s*<td[^>]*>90.6%<\/td>/);

    const met = await post(
      `${planUrl}/outcomes`,
      { ...OUTCOME, target: '90' },
      `${planUrl}/outcomes/new`,
    );
    expect(met.statusCode).toBe(422);
    expect(met.body).toContain('The baseline is already 90.6%, which meets this target');
    expect(met.body).toContain('Raise attendance of the mentored pupils to 95%');

    const saved = await post(`${planUrl}/outcomes`, OUTCOME, `${planUrl}/outcomes/new`);
    expect(saved.statusCode).toBe(303);
    const [version] = await listVersions(testApp.database.db, school.id, planId);
    const [outcome] = await listOutcomes(testApp.database.db, school.id, version!.id);
    expect(outcome?.baseline_value).toBeCloseTo((100 * 1140) / 1258, 10);
    expect(outcome?.baseline_pupils).toBe(4);
    expect(outcome?.baseline_academic_year).toBe(2024);

    const page = await testApp.inject({ method: 'GET', url: planUrl });
    expect(page.body).toContain('90.6% (4 pupils, 2024/25; fixed on');
  });

  it('refuses to submit an incomplete plan, then approves within the delegated limit', async () => {
    const planUrl = await startPlan();

    const early = await post(`${planUrl}/submit`, {}, planUrl);
    expect(early.statusCode).toBe(422);
    expect(early.body).toContain('Complete “Intended outcomes” before submitting');

    await post(`${planUrl}/details`, DETAILS);
    await post(`${planUrl}/outcomes`, OUTCOME, `${planUrl}/outcomes/new`);
    const submitted = await post(`${planUrl}/submit`, {}, planUrl);
    expect(submitted.statusCode).toBe(303);

    const noComment = await post(
      `${planUrl}/decision`,
      { decision: 'return', comment: '' },
      planUrl,
    );
    expect(noComment.statusCode).toBe(422);
    expect(noComment.body).toContain('Enter what needs to change');

    const approved = await post(
      `${planUrl}/decision`,
      { decision: 'approve', comment: '' },
      planUrl,
    );
    expect(approved.statusCode).toBe(303);
    const page = await testApp.inject({ method: 'GET', url: planUrl });
    expect(page.body).toContain(
      'Senior leader approval: budget £4,500.00, within the delegated limit of £5,000.00',
    );

    const audit = await testApp.database.db
      .selectFrom('audit_events')
      .select('action')
      .where('organisation_id', '=', school.id)
      .where('subject_type', '=', 'plan')
      .orderBy('id')
      .execute();
    expect(audit.map((row) => row.action)).toEqual([
      'plan-created',
      'plan-changed',
      'plan-changed',
      'plan-submitted',
      'plan-approved',
    ]);
  });

  it('leaves a plan above the limit to a governor', async () => {
    const planUrl = await startPlan();
    await post(`${planUrl}/details`, {
      ...DETAILS,
      budget: '12,000',
      responsibleLeader: 'Mr Okafor',
      evaluationStrategy: 'Compare attendance before and after',
    });
    await post(`${planUrl}/outcomes`, OUTCOME, `${planUrl}/outcomes/new`);
    // Above £10,000 the full band also requires outputs.
    await post(
      `${planUrl}/outputs`,
      { outputDescription: 'Mentoring sessions', outputTarget: '30' },
      planUrl,
    );
    expect((await post(`${planUrl}/submit`, {}, planUrl)).statusCode).toBe(303);

    const refused = await post(`${planUrl}/decision`, { decision: 'approve' }, planUrl);
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain(
      'above the delegated limit of £5,000.00, so a governor must approve it',
    );

    await testApp.signIn(school.id, 'governor');
    const approved = await post(`${planUrl}/decision`, { decision: 'approve' }, planUrl);
    expect(approved.statusCode).toBe(303);
    const versions = await listVersions(
      testApp.database.db,
      school.id,
      Number(planUrl.split('/').pop()),
    );
    expect(versions[0]?.approval_basis).toBe(
      'Governor approval: budget £12,000.00, above the delegated limit',
    );
  });

  it('keeps an approved plan read-only and shows what a new version changed', async () => {
    const planUrl = await startPlan();
    await post(`${planUrl}/details`, DETAILS);
    await post(`${planUrl}/outcomes`, OUTCOME, `${planUrl}/outcomes/new`);
    await post(`${planUrl}/submit`, {}, planUrl);
    await post(`${planUrl}/decision`, { decision: 'approve' }, planUrl);

    const locked = await post(`${planUrl}/details`, { ...DETAILS, budget: '1' }, planUrl);
    expect(locked.statusCode).toBe(303);

    const started = await post(`${planUrl}/versions`, {}, planUrl);
    const startedPage = await testApp.inject({
      method: 'GET',
      url: started.headers.location as string,
    });
    expect(startedPage.body).toContain('Version 2 started as a copy of the approved plan');
    await post(`${planUrl}/details`, { ...DETAILS, budget: '4,800' });
    const versions = await listVersions(
      testApp.database.db,
      school.id,
      Number(planUrl.split('/').pop()),
    );
    expect(
      versions.map((version) => [version.version, version.status, version.budget_pence]),
    ).toEqual([
      [1, 'approved', 450_000],
      [2, 'draft', 480_000],
    ]);

    const changes = await testApp.inject({ method: 'GET', url: `${planUrl}/versions/2/changes` });
    expect(changes.statusCode).toBe(200);
    expect(changes.body).toContain('£4,500.00');
    expect(changes.body).toContain('£4,800.00');
  });

  it('answers "Page not found" for another school’s plan', async () => {
    const planUrl = await startPlan();
    const other = await createSchool(testApp.database.db, { laestab: '8014002', name: 'Other' });
    await testApp.signIn(other.id, 'senior_leader');

    const response = await testApp.inject({
      method: 'GET',
      url: planUrl.replace(`/schools/${school.id}/`, `/schools/${other.id}/`),
    });

    expect(response.statusCode).toBe(404);
  });
});

describe('the plan as a Word document', () => {
  it('downloads the plan with its outcomes and approval record, and audits it', async () => {
    const planUrl = await startPlan();
    await post(`${planUrl}/details`, DETAILS);
    await post(`${planUrl}/outcomes`, OUTCOME, `${planUrl}/outcomes/new`);
    await post(`${planUrl}/submit`, {}, planUrl);
    await post(`${planUrl}/decision`, { decision: 'approve' }, planUrl);

    const response = await testApp.inject({ method: 'GET', url: `${planUrl}/plan.docx` });

    expect(response.statusCode).toBe(200);
    expect(response.headers['content-disposition']).toMatch(
      /attachment; filename="plan-\d+-version-1.docx"/,
    );
    const text = await extractDocxText(response.rawPayload);
    expect(text).toContain('Year 9 mentoring');
    expect(text).toContain('Low attendance in year 9');
    expect(text).toContain('Raise attendance of the mentored pupils to 95%');
    expect(text).toContain('90.6% (4 pupils, 2024/25; fixed on');
    expect(text).toContain('£4,500.00');
    expect(text).toContain(
      'Senior leader approval: budget £4,500.00, within the delegated limit of £5,000.00',
    );
    const downloads = await testApp.database.db
      .selectFrom('audit_events')
      .select('details')
      .where('action', '=', 'export-downloaded')
      .execute();
    expect(downloads).toHaveLength(1);
  });
});

describe('target audience rules on plans', () => {
  it('rejects an invalid audience rule', async () => {
    const planUrl = await startPlan();

    const response = await post(`${planUrl}/details`, {
      ...DETAILS,
      audienceRule: 'year in (7, 8) and attendence < 90%',
    });

    expect(response.statusCode).toBe(422);
    expect(response.body).toMatch(/at character 20\..*attendance/);
    expect(response.body).toContain('attendence &lt; 90%');
  });

  it('shows who the audience selects, and counts a submitted plan as another intervention', async () => {
    const first = await startPlan();
    const firstId = Number(first.split('/').pop());
    await post(`${first}/details`, DETAILS);
    await post(`${first}/outcomes`, OUTCOME, `${first}/outcomes/new`);
    const draftOnly = await loadInterventionMemberships(testApp.database.db, school, 2024, null);
    await post(`${first}/submit`, {}, first);

    const memberships = await loadInterventionMemberships(testApp.database.db, school, 2024, null);
    const exceptItself = await loadInterventionMemberships(
      testApp.database.db,
      school,
      2024,
      firstId,
    );
    const page = await testApp.inject({ method: 'GET', url: first });

    // A draft is not yet an intervention; once submitted, its audience (all 4 pupils in years
    // 7 and 8) is in it, except when the plan itself is being looked at.
    expect(draftOnly.size).toBe(0);
    expect([...memberships.values()]).toEqual([
      ['Year 9 mentoring'],
      ['Year 9 mentoring'],
      ['Year 9 mentoring'],
      ['Year 9 mentoring'],
    ]);
    expect(exceptItself.size).toBe(0);
    expect(page.body).toContain('Pupils the target audience selects');
    // Four pupils are too few to describe: the make-up is withheld.
    expect(page.body).toContain('are not shown for fewer than 5 pupils');
  });
});

describe('plans and their needs', () => {
  it('starts from the need’s pupils, and marks the need planned once approved', async () => {
    const { db } = testApp.database;
    await db
      .updateTable('needs')
      .set({ audience_rule: 'year in (7, 8)', audience_rule_tree: treeOf('year in (7, 8)') })
      .where('id', '=', needId)
      .execute();

    const planUrl = await startPlan();
    const [first] = await listVersions(db, school.id, Number(planUrl.split('/').pop()));
    await post(`${planUrl}/details`, DETAILS);
    await post(`${planUrl}/outcomes`, OUTCOME, `${planUrl}/outcomes/new`);
    await post(`${planUrl}/submit`, {}, planUrl);
    await post(`${planUrl}/decision`, { decision: 'approve' }, planUrl);

    const need = await db
      .selectFrom('needs')
      .select('status')
      .where('id', '=', needId)
      .executeTakeFirst();
    const [approved] = await listVersions(db, school.id, Number(planUrl.split('/').pop()));
    expect(first?.audience_rule).toBe('year in (7, 8)');
    expect(need?.status).toBe('planned');
    // The same senior leader submitted and approved it, and the approval record states this.
    expect(approved?.approval_basis).toMatch(/Approved by the person who submitted it$/);
  });
});

function treeOf(rule: string): string {
  const read = readAudienceRule(rule);
  if (!read.ok || read.tree === null) throw new Error(`Test rule does not parse: ${rule}`);
  return read.tree;
}
