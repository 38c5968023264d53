import { checkAudienceRule } from './need-audience.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fetchCsrf } from '../../../test/helpers/csrf.js';
import { startApp, type TestApp } from '../../../test/helpers/start-app.js';
import { listAuditEvents } from '../../platform/audit/audit-store.js';
import { createSchool } from '../../platform/organisations/organisation-store.js';
import { londonToday } from '../../platform/http/form-fields.js';
import { currentAcademicYear } from './improvement-plan.js';
import { addPriority, retirePriority } from './improvement-store.js';
import { createNeed, findNeed, listNeeds } from './need-store.js';

/** Returns the `value` attribute of an input, still HTML-escaped, or null. */
function inputValue(body: string, id: string): string | null {
  const input = new RegExp(`<input[^>]*\\bid="${id}"[^>]*>`).exec(body)?.[0] ?? '';
  return /\bvalue="([^"]*)"/.exec(input)?.[1] ?? null;
}

/** Returns the text of a textarea, still HTML-escaped, or null. */
function textareaValue(body: string, id: string): string | null {
  return (
    new RegExp(`<textarea[^>]*\\bid="${id}"[^>]*>([\\s\\S]*?)</textarea>`).exec(body)?.[1] ?? null
  );
}

/** Returns whether the radio with this value in the named group is checked. */
function radioChecked(body: string, name: string, value: string): boolean {
  const radios = body.match(new RegExp(`<input[^>]*name="${name}"[^>]*>`, 'g')) ?? [];
  return radios.some((radio) => radio.includes(`value="${value}"`) && radio.includes('checked'));
}

const VALID_NEED = {
  title: 'Low attendance of disadvantaged pupils in year 9',
  description: 'disadvantaged and year = 9 attend 6 points less than their peers.',
  audience: 'disadvantaged and year = 9',
  priority: 'high',
  improvementPriorityId: 'none',
  status: 'identified',
};

describe('need routes', () => {
  let testApp: TestApp;
  let schoolId: number;
  let otherSchoolId: number;
  let priorityId: number;
  const year = currentAcademicYear(londonToday());

  beforeEach(async () => {
    testApp = await startApp();
    const { db } = testApp.database;
    schoolId = (await createSchool(db, { laestab: '8014001', name: 'Brookfield Academy' })).id;
    otherSchoolId = (await createSchool(db, { laestab: '8014002', name: 'Riverside School' })).id;
    priorityId = (
      await addPriority(db, schoolId, year, {
        title: 'Raise attendance',
        description: 'Attendance of every group at 95% or more.',
      })
    ).id;
  });

  afterEach(async () => {
    await testApp.close();
  });

  async function post(url: string, formUrl: string, fields: Record<string, string>) {
    const csrf = await fetchCsrf(testApp, formUrl);
    return testApp.inject({
      method: 'POST',
      url,
      headers: { cookie: csrf.cookie },
      payload: { _csrf: csrf.token, ...fields },
    });
  }

  it('records a need through check answers', async () => {
    const { email } = await testApp.signIn(schoolId, 'senior_leader');
    const formUrl = `/schools/${schoolId}/needs/new`;
    const fields = { ...VALID_NEED, improvementPriorityId: String(priorityId) };

    const check = await post(formUrl, formUrl, fields);

    expect(check.statusCode).toBe(200);
    expect(check.body).toContain('Check the need before you record it');
    expect(check.body).toContain('Raise attendance');
    expect(check.body).toContain('disadvantaged and year = 9');
    expect(check.body).toContain(
      `formaction="/schools/${schoolId}/needs/new" name="change" value="title"`,
    );
    expect(inputValue(check.body, 'title')).toBeNull();
    expect(check.body).toContain(`name="title" value="${VALID_NEED.title}"`);
    expect(await listNeeds(testApp.database.db, schoolId)).toEqual([]);

    const created = await post(`/schools/${schoolId}/needs`, formUrl, fields);

    expect(created.statusCode).toBe(303);
    const [need] = await listNeeds(testApp.database.db, schoolId);
    expect(created.headers.location).toBe(`/schools/${schoolId}/needs/${need?.id}?notice=created`);
    const stored = await findNeed(testApp.database.db, schoolId, need?.id ?? 0);
    expect(stored).toMatchObject({
      title: VALID_NEED.title,
      description: VALID_NEED.description,
      audienceRule: 'disadvantaged and year = 9',
      audienceRuleTree: treeOf('disadvantaged and year = 9'),
      priority: 'high',
      improvementPriorityId: priorityId,
      status: 'identified',
      delivery: null,
      externalReasons: [],
    });

    const page = await testApp.inject({ method: 'GET', url: created.headers.location as string });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Need recorded');
    expect(page.body).toContain(VALID_NEED.title);

    const [event] = await listAuditEvents(testApp.database.db, schoolId, {
      action: 'need-created',
    });
    expect(event?.userEmail).toBe(email);
    expect(event?.subjectId).toBe(String(need?.id));
    expect(event?.details).toMatchObject({ title: VALID_NEED.title, status: 'identified' });
  });

  it('change button keeps the answers', async () => {
    await testApp.signIn(schoolId, 'senior_leader');
    const formUrl = `/schools/${schoolId}/needs/new`;

    const response = await post(formUrl, formUrl, { ...VALID_NEED, change: 'description' });

    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('<h1 class="govuk-heading-l">Record a need</h1>');
    expect(inputValue(response.body, 'title')).toBe(VALID_NEED.title);
    expect(textareaValue(response.body, 'description')).toBe(VALID_NEED.description);
    expect(radioChecked(response.body, 'priority', 'high')).toBe(true);
    expect(response.body).not.toContain('govuk-error-summary');
    expect(response.body).toMatch(/<textarea[^>]*id="description"[^>]*autofocus/);
  });

  it('rejects an empty form and saves nothing', async () => {
    await testApp.signIn(schoolId, 'senior_leader');
    const formUrl = `/schools/${schoolId}/needs/new`;

    const response = await post(formUrl, formUrl, {});

    expect(response.statusCode).toBe(422);
    expect(response.body).toContain('<title>Error: Record a need – Commissioner</title>');
    for (const [message, href] of [
      ['Enter a title for the need', '#title'],
      ['Enter a description of the need', '#description'],
      ['Select how high a priority the need is', '#priority'],
      ['Select the improvement priority the need serves', '#improvementPriorityId'],
      ['Select the status of the need', '#status'],
    ]) {
      expect(response.body).toContain(`href="${href}"`);
      expect(response.body.split(message as string).length - 1).toBe(2);
    }
    expect(await listNeeds(testApp.database.db, schoolId)).toEqual([]);
  });

  it('keeps what was typed on error', async () => {
    await testApp.signIn(schoolId, 'senior_leader');
    const formUrl = `/schools/${schoolId}/needs/new`;
    const typed = {
      ...VALID_NEED,
      title: '  <b>"Attendance"</b>  ',
      description: '',
      priority: 'low',
    };

    const response = await post(formUrl, formUrl, typed);

    expect(response.statusCode).toBe(422);
    expect(inputValue(response.body, 'title')).toBe(
      '  &lt;b&gt;&quot;Attendance&quot;&lt;/b&gt;  ',
    );
    expect(textareaValue(response.body, 'audience')).toBe(VALID_NEED.audience);
    expect(radioChecked(response.body, 'priority', 'low')).toBe(true);
    expect(radioChecked(response.body, 'status', 'identified')).toBe(true);
    expect(response.body).toContain('Enter a description of the need');
    expect(response.body).not.toContain('<b>"Attendance"</b>');
  });

  it('rejects a too-long title', async () => {
    await testApp.signIn(schoolId, 'senior_leader');
    const formUrl = `/schools/${schoolId}/needs/new`;

    const response = await post(formUrl, formUrl, { ...VALID_NEED, title: 'x'.repeat(121) });

    expect(response.statusCode).toBe(422);
    expect(response.body).toContain('Title must be 120 characters or fewer');
  });

  it('rejects a retired priority at creation', async () => {
    await testApp.signIn(schoolId, 'senior_leader');
    const formUrl = `/schools/${schoolId}/needs/new`;
    const fields = { ...VALID_NEED, improvementPriorityId: String(priorityId) };
    await retirePriority(testApp.database.db, schoolId, priorityId, new Date().toISOString());

    const response = await post(`/schools/${schoolId}/needs`, formUrl, fields);

    expect(response.statusCode).toBe(422);
    expect(response.body).toContain('Select the improvement priority the need serves');
    expect(await listNeeds(testApp.database.db, schoolId)).toEqual([]);
  });

  it('rejects another school’s priority', async () => {
    await testApp.signIn(schoolId, 'senior_leader');
    const other = await addPriority(testApp.database.db, otherSchoolId, year, {
      title: 'Riverside priority',
      description: '',
    });
    const formUrl = `/schools/${schoolId}/needs/new`;

    const response = await post(`/schools/${schoolId}/needs`, formUrl, {
      ...VALID_NEED,
      improvementPriorityId: String(other.id),
    });

    expect(response.statusCode).toBe(422);
    expect(await listNeeds(testApp.database.db, schoolId)).toEqual([]);
  });

  it('staff cannot record a need', async () => {
    await testApp.signIn(schoolId, 'staff');

    const form = await testApp.inject({ method: 'GET', url: `/schools/${schoolId}/needs/new` });
    const register = await testApp.inject({ method: 'GET', url: `/schools/${schoolId}/needs` });

    expect(form.statusCode).toBe(403);
    expect(register.statusCode).toBe(200);
    expect(register.body).not.toContain('Record a need');
  });

  it('lists needs by priority with filters', async () => {
    const { db } = testApp.database;
    const base = { description: 'd', audienceRule: null, audienceRuleTree: null, createdBy: null };
    await createNeed(db, schoolId, {
      ...base,
      title: 'Low need',
      priority: 'low',
      improvementPriorityId: priorityId,
      status: 'planned',
    });
    await createNeed(db, schoolId, {
      ...base,
      title: 'High need',
      priority: 'high',
      improvementPriorityId: null,
      status: 'identified',
    });
    await createNeed(db, otherSchoolId, {
      ...base,
      title: 'Riverside need',
      priority: 'high',
      improvementPriorityId: null,
      status: 'identified',
    });
    await testApp.signIn(schoolId, 'governor');

    const all = await testApp.inject({ method: 'GET', url: `/schools/${schoolId}/needs` });
    const planned = await testApp.inject({
      method: 'GET',
      url: `/schools/${schoolId}/needs?status=planned`,
    });

    expect(all.statusCode).toBe(200);
    expect(all.body.indexOf('High need')).toBeLessThan(all.body.indexOf('Low need'));
    expect(all.body).not.toContain('Riverside need');
    expect(all.body).toContain('Not linked');
    expect(all.body).toContain(`Raise attendance`);
    expect(all.body).toContain('All statuses (2)');
    expect(all.body).toContain('Planned (1)');
    expect(all.body).not.toContain('Record a need');
    expect(planned.body).toContain('Low need');
    expect(planned.body).not.toContain('High need');
  });

  it('governor reads a need but changes nothing', async () => {
    const need = await createNeed(testApp.database.db, schoolId, {
      title: 'Reading at key stage 2',
      description: 'Reading scores',
      audienceRule: null,
      audienceRuleTree: null,
      priority: 'medium',
      improvementPriorityId: null,
      status: 'identified',
      createdBy: null,
    });
    await testApp.signIn(schoolId, 'governor');

    const page = await testApp.inject({
      method: 'GET',
      url: `/schools/${schoolId}/needs/${need.id}`,
    });
    const edit = await testApp.inject({
      method: 'GET',
      url: `/schools/${schoolId}/needs/${need.id}/edit`,
    });

    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Reading at key stage 2');
    expect(page.body).toContain('Not linked to the improvement plan');
    expect(page.body).not.toContain(`/needs/${need.id}/evidence/new`);
    expect(page.body).not.toContain(`/needs/${need.id}/barriers/new`);
    expect(page.body).not.toContain(`/needs/${need.id}/edit`);
    expect(edit.statusCode).toBe(403);
  });

  it('hides another school’s need', async () => {
    const need = await createNeed(testApp.database.db, otherSchoolId, {
      title: 'Riverside need',
      description: 'd',
      audienceRule: null,
      audienceRuleTree: null,
      priority: 'high',
      improvementPriorityId: null,
      status: 'identified',
      createdBy: null,
    });
    await testApp.signIn(schoolId, 'senior_leader');

    for (const suffix of ['', '/edit', '/status', '/delivery', '/evidence/new', '/barriers/new']) {
      const response = await testApp.inject({
        method: 'GET',
        url: `/schools/${schoolId}/needs/${need.id}${suffix}`,
      });
      expect(response.statusCode, suffix).toBe(404);
    }
    const otherSchool = await testApp.inject({
      method: 'GET',
      url: `/schools/${otherSchoolId}/needs/${need.id}`,
    });
    expect(otherSchool.statusCode).toBe(404);
  });
});

/** The stored tree of a rule, as the need form saves it. */
function treeOf(rule: string): string {
  const checked = checkAudienceRule(rule);
  if (!checked.ok || checked.tree === null) throw new Error(`Test rule does not parse: ${rule}`);
  return checked.tree;
}
