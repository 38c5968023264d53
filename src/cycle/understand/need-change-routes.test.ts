import { checkAudienceRule } from './need-audience.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fetchCsrf } from '../../../test/helpers/csrf.js';
import { startApp, type TestApp } from '../../../test/helpers/start-app.js';
import { listAuditEvents } from '../../platform/audit/audit-store.js';
import { createSchool } from '../../platform/organisations/organisation-store.js';
import { londonToday } from '../../platform/http/form-fields.js';
import { currentAcademicYear } from './improvement-plan.js';
import { addPriority, retirePriority } from './improvement-store.js';
import type { Need } from './need-model.js';
import { createNeed, findNeed } from './need-store.js';

describe('need change routes', () => {
  let testApp: TestApp;
  let schoolId: number;
  let need: Need;
  let needUrl: string;
  let priorityId: number;

  beforeEach(async () => {
    testApp = await startApp();
    const { db } = testApp.database;
    schoolId = (await createSchool(db, { laestab: '8014001', name: 'Brookfield Academy' })).id;
    priorityId = (
      await addPriority(db, schoolId, currentAcademicYear(londonToday()), {
        title: 'Raise attendance',
        description: '',
      })
    ).id;
    need = await createNeed(db, schoolId, {
      title: 'Low attendance in year 9',
      description: 'Disadvantaged pupils attend less.',
      audienceRule: 'disadvantaged and year = 9',
      audienceRuleTree: treeOf('disadvantaged and year = 9'),
      priority: 'medium',
      improvementPriorityId: priorityId,
      status: 'identified',
      createdBy: null,
    });
    needUrl = `/schools/${schoolId}/needs/${need.id}`;
  });

  afterEach(async () => {
    await testApp.close();
  });

  async function post(url: string, formUrl: string, fields: Record<string, string | string[]>) {
    const csrf = await fetchCsrf(testApp, formUrl);
    const body = new URLSearchParams({ _csrf: csrf.token });
    for (const [name, value] of Object.entries(fields)) {
      for (const item of Array.isArray(value) ? value : [value]) body.append(name, item);
    }
    return testApp.inject({
      method: 'POST',
      url,
      headers: { cookie: csrf.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: body.toString(),
    });
  }

  async function changeEvents() {
    return listAuditEvents(testApp.database.db, schoolId, { action: 'need-changed' });
  }

  it('edits and audits before and after', async () => {
    await testApp.signIn(schoolId, 'senior_leader');

    const response = await post(`${needUrl}/edit`, `${needUrl}/edit`, {
      title: 'Low attendance in years 9 and 10',
      description: 'Disadvantaged pupils attend less.',
      audience: '',
      priority: 'high',
      improvementPriorityId: 'none',
    });

    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(`${needUrl}?notice=changed`);
    expect(await findNeed(testApp.database.db, schoolId, need.id)).toMatchObject({
      title: 'Low attendance in years 9 and 10',
      audienceRule: null,
      priority: 'high',
      improvementPriorityId: null,
      status: 'identified',
    });
    const [event] = await changeEvents();
    expect(event?.subjectId).toBe(String(need.id));
    expect(event?.details.changes).toEqual([
      { field: 'title', from: 'Low attendance in year 9', to: 'Low attendance in years 9 and 10' },
      { field: 'audienceRule', from: 'disadvantaged and year = 9', to: null },
      { field: 'priority', from: 'medium', to: 'high' },
      { field: 'improvementPriorityId', from: priorityId, to: null },
    ]);
    expect(event?.details.summary).toBe(
      'Changed title, pupils it concerns, priority and improvement priority',
    );

    const trail = await testApp.inject({ method: 'GET', url: `/schools/${schoolId}/audit` });
    expect(trail.body).toContain('Need changed');
    expect(trail.body).toContain(
      'Changed title, pupils it concerns, priority and improvement priority',
    );
  });

  it('records nothing when unchanged', async () => {
    await testApp.signIn(schoolId, 'senior_leader');

    const response = await post(`${needUrl}/edit`, `${needUrl}/edit`, {
      title: need.title,
      description: need.description,
      audience: need.audienceRule ?? '',
      priority: need.priority,
      improvementPriorityId: String(priorityId),
    });

    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(needUrl);
    expect(await changeEvents()).toEqual([]);
  });

  it('keeps a retired priority when editing', async () => {
    await retirePriority(testApp.database.db, schoolId, priorityId, new Date().toISOString());
    await testApp.signIn(schoolId, 'senior_leader');

    const form = await testApp.inject({ method: 'GET', url: `${needUrl}/edit` });
    const response = await post(`${needUrl}/edit`, `${needUrl}/edit`, {
      title: 'New title',
      description: need.description,
      audience: need.audienceRule ?? '',
      priority: need.priority,
      improvementPriorityId: String(priorityId),
    });

    expect(form.body).toContain('Raise attendance (retired)');
    expect(response.statusCode).toBe(303);
    expect((await findNeed(testApp.database.db, schoolId, need.id))?.improvementPriorityId).toBe(
      priorityId,
    );
  });

  it('edit rejects an empty title and keeps the rest', async () => {
    await testApp.signIn(schoolId, 'senior_leader');

    const response = await post(`${needUrl}/edit`, `${needUrl}/edit`, {
      title: '   ',
      description: 'A new description',
      audience: '',
      priority: 'low',
      improvementPriorityId: 'none',
    });

    expect(response.statusCode).toBe(422);
    expect(response.body).toContain('Enter a title for the need');
    expect(response.body).toContain('A new description');
    expect(response.body).not.toContain('name="status"');
    expect((await findNeed(testApp.database.db, schoolId, need.id))?.title).toBe(need.title);
    expect(await changeEvents()).toEqual([]);
  });

  it('changes the status', async () => {
    await testApp.signIn(schoolId, 'senior_leader');

    const response = await post(`${needUrl}/status`, `${needUrl}/status`, { status: 'planned' });

    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(`${needUrl}?notice=status`);
    expect((await findNeed(testApp.database.db, schoolId, need.id))?.status).toBe('planned');
    const [event] = await changeEvents();
    expect(event?.details.changes).toEqual([
      { field: 'status', from: 'identified', to: 'planned' },
    ]);
    const page = await testApp.inject({ method: 'GET', url: response.headers.location as string });
    expect(page.body).toContain('Status changed');
  });

  it('rejects an unknown status', async () => {
    await testApp.signIn(schoolId, 'senior_leader');

    const response = await post(`${needUrl}/status`, `${needUrl}/status`, { status: 'closed' });

    expect(response.statusCode).toBe(422);
    expect(response.body).toContain('Select the status of the need');
    expect(response.body).toContain('href="#status"');
    expect((await findNeed(testApp.database.db, schoolId, need.id))?.status).toBe('identified');
  });

  it('saves delivery reasoning', async () => {
    await testApp.signIn(schoolId, 'senior_leader');

    const response = await post(`${needUrl}/delivery`, `${needUrl}/delivery`, {
      delivery: 'both',
      capacityReasoning: 'Pastoral team is full until spring.',
      capabilityReasoning: '',
      costReasoning: 'A mentoring service costs less than a new post.',
      externalReasons: ['specialist_expertise', 're_engagement'],
    });

    expect(response.statusCode).toBe(303);
    expect(await findNeed(testApp.database.db, schoolId, need.id)).toMatchObject({
      delivery: 'both',
      capacityReasoning: 'Pastoral team is full until spring.',
      capabilityReasoning: '',
      costReasoning: 'A mentoring service costs less than a new post.',
      externalReasons: ['re_engagement', 'specialist_expertise'],
    });
    const [event] = await changeEvents();
    expect(event?.details.changes).toContainEqual({
      field: 'externalReasons',
      from: [],
      to: ['re_engagement', 'specialist_expertise'],
    });

    const page = await testApp.inject({ method: 'GET', url: needUrl });
    expect(page.body).toContain('By both the school’s staff and an outside service');
    expect(page.body).toContain('Specialist expertise the school does not have');
  });

  it('delivery needs a choice and keeps reasoning', async () => {
    await testApp.signIn(schoolId, 'senior_leader');

    const response = await post(`${needUrl}/delivery`, `${needUrl}/delivery`, {
      capacityReasoning: 'Typed reasoning',
      externalReasons: ['new_problem', 'made_up'],
    });

    expect(response.statusCode).toBe(422);
    expect(response.body).toContain('Select who is best placed to meet the need');
    expect(response.body).toContain('Select reasons from the list');
    expect(response.body).toContain('Typed reasoning');
    expect(response.body).toMatch(/value="new_problem" checked/);
    expect((await findNeed(testApp.database.db, schoolId, need.id))?.delivery).toBeNull();
  });

  it('staff cannot change a need', async () => {
    await testApp.signIn(schoolId, 'staff');

    for (const suffix of ['/edit', '/status', '/delivery']) {
      const response = await testApp.inject({ method: 'GET', url: `${needUrl}${suffix}` });
      expect(response.statusCode, suffix).toBe(403);
    }
  });
});

/** The stored tree of a rule, as the need form saves it. */
function treeOf(rule: string): string {
  const checked = checkAudienceRule(rule);
  if (!checked.ok || checked.tree === null) throw new Error(`Test rule does not parse: ${rule}`);
  return checked.tree;
}
