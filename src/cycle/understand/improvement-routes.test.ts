import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fetchCsrf } from '../../../test/helpers/csrf.js';
import { startApp, type TestApp } from '../../../test/helpers/start-app.js';
import { listAuditEvents } from '../../platform/audit/audit-store.js';
import { createSchool } from '../../platform/organisations/organisation-store.js';
import { londonToday } from '../../platform/http/form-fields.js';
import { currentAcademicYear } from './improvement-plan.js';
import { addPriority, listPriorities } from './improvement-store.js';
import { createNeed } from './need-store.js';

describe('improvement plan routes', () => {
  let testApp: TestApp;
  let schoolId: number;
  let otherSchoolId: number;
  let planUrl: string;
  const year = currentAcademicYear(londonToday());

  beforeEach(async () => {
    testApp = await startApp();
    const { db } = testApp.database;
    schoolId = (await createSchool(db, { laestab: '8014001', name: 'Brookfield Academy' })).id;
    otherSchoolId = (await createSchool(db, { laestab: '8014002', name: 'Riverside School' })).id;
    planUrl = `/schools/${schoolId}/improvement-plan`;
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

  async function titles() {
    const priorities = await listPriorities(testApp.database.db, schoolId, year);
    return priorities.map((priority) => `${priority.position}. ${priority.title}`);
  }

  it('adds priorities in order', async () => {
    await testApp.signIn(schoolId, 'senior_leader');

    const first = await post(planUrl, `${planUrl}/new`, {
      academicYear: String(year),
      title: 'Raise attendance',
      description: '',
    });
    await post(planUrl, `${planUrl}/new`, {
      academicYear: String(year),
      title: 'Improve reading',
      description: 'Every pupil reads at age-related expectations.',
    });

    expect(first.statusCode).toBe(303);
    expect(first.headers.location).toBe(`${planUrl}?year=${year}&notice=added`);
    expect(await titles()).toEqual(['1. Raise attendance', '2. Improve reading']);
    const events = await listAuditEvents(testApp.database.db, schoolId, {
      action: 'priority-added',
    });
    expect(events).toHaveLength(2);

    const page = await testApp.inject({ method: 'GET', url: first.headers.location as string });
    expect(page.body).toContain('Priority added');
    expect(page.body.indexOf('Raise attendance')).toBeLessThan(
      page.body.indexOf('Improve reading'),
    );
  });

  it('rejects a missing title and year', async () => {
    await testApp.signIn(schoolId, 'senior_leader');

    const response = await post(planUrl, `${planUrl}/new`, {
      academicYear: '1999',
      title: '',
      description: 'Kept description',
    });

    expect(response.statusCode).toBe(422);
    expect(response.body).toContain('Select the academic year of the priority');
    expect(response.body).toContain('Enter the priority');
    expect(response.body).toContain('Kept description');
    expect(await titles()).toEqual([]);
  });

  it('moves, changes and retires a priority', async () => {
    const { db } = testApp.database;
    const attendance = await addPriority(db, schoolId, year, {
      title: 'Attendance',
      description: '',
    });
    const reading = await addPriority(db, schoolId, year, { title: 'Reading', description: '' });
    const maths = await addPriority(db, schoolId, year, { title: 'Maths', description: '' });
    await testApp.signIn(schoolId, 'senior_leader');

    const moved = await post(`${planUrl}/${maths.id}/move`, planUrl, { direction: 'up' });
    expect(moved.statusCode).toBe(303);
    expect(await titles()).toEqual(['1. Attendance', '2. Maths', '3. Reading']);

    const top = await post(`${planUrl}/${attendance.id}/move`, planUrl, { direction: 'up' });
    expect(top.statusCode).toBe(303);
    expect(await titles()).toEqual(['1. Attendance', '2. Maths', '3. Reading']);

    const changed = await post(`${planUrl}/${reading.id}/edit`, `${planUrl}/${reading.id}/edit`, {
      title: 'Reading for pleasure',
      description: 'Library visits',
    });
    expect(changed.statusCode).toBe(303);
    expect(await titles()).toEqual(['1. Attendance', '2. Maths', '3. Reading for pleasure']);

    const retired = await post(`${planUrl}/${maths.id}/retire`, `${planUrl}/${maths.id}/edit`, {});
    expect(retired.statusCode).toBe(303);
    expect(retired.headers.location).toBe(`${planUrl}?year=${year}&notice=retired`);
    expect(await titles()).toEqual(['1. Attendance', '2. Reading for pleasure']);

    const changes = await listAuditEvents(db, schoolId, { action: 'priority-changed' });
    expect(changes.map((event) => event.details.changes)).toEqual([
      [
        { field: 'title', from: 'Reading', to: 'Reading for pleasure' },
        { field: 'description', from: '', to: 'Library visits' },
      ],
      [{ field: 'position', from: 3, to: 2 }],
    ]);
    const retirements = await listAuditEvents(db, schoolId, { action: 'priority-retired' });
    expect(retirements).toHaveLength(1);

    const page = await testApp.inject({ method: 'GET', url: planUrl });
    expect(page.body).toContain('Retired priorities');
  });

  it('lists needs under priorities and unlinked apart', async () => {
    const { db } = testApp.database;
    const attendance = await addPriority(db, schoolId, year, {
      title: 'Attendance',
      description: '',
    });
    const base = {
      description: 'd',
      audienceRule: null,
      audienceRuleTree: null,
      priority: 'high' as const,
      status: 'identified' as const,
      createdBy: null,
    };
    await createNeed(db, schoolId, {
      ...base,
      title: 'Linked need',
      improvementPriorityId: attendance.id,
    });
    await createNeed(db, schoolId, { ...base, title: 'Lonely need', improvementPriorityId: null });
    await createNeed(db, otherSchoolId, {
      ...base,
      title: 'Riverside need',
      improvementPriorityId: null,
    });
    await testApp.signIn(schoolId, 'governor');

    const page = await testApp.inject({ method: 'GET', url: planUrl });

    expect(page.statusCode).toBe(200);
    const linkedAt = page.body.indexOf('Linked need');
    const unlinkedHeading = page.body.indexOf('Needs not linked to a priority');
    expect(linkedAt).toBeGreaterThan(page.body.indexOf('Attendance'));
    expect(linkedAt).toBeLessThan(unlinkedHeading);
    expect(page.body.indexOf('Lonely need')).toBeGreaterThan(unlinkedHeading);
    expect(page.body).not.toContain('Riverside need');
    expect(page.body).not.toContain('Add a priority');
    expect(page.body).not.toContain('/move');
  });

  it('governor and staff cannot change the plan', async () => {
    const priority = await addPriority(testApp.database.db, schoolId, year, {
      title: 'Attendance',
      description: '',
    });

    for (const role of ['governor', 'staff'] as const) {
      await testApp.signIn(schoolId, role);
      const form = await testApp.inject({ method: 'GET', url: `${planUrl}/new` });
      const edit = await testApp.inject({ method: 'GET', url: `${planUrl}/${priority.id}/edit` });
      expect(form.statusCode, role).toBe(403);
      expect(edit.statusCode, role).toBe(403);
    }
  });

  it('hides another school’s priority', async () => {
    const other = await addPriority(testApp.database.db, otherSchoolId, year, {
      title: 'Riverside priority',
      description: '',
    });
    await testApp.signIn(schoolId, 'senior_leader');

    const edit = await testApp.inject({ method: 'GET', url: `${planUrl}/${other.id}/edit` });
    const retire = await post(`${planUrl}/${other.id}/retire`, planUrl, {});

    expect(edit.statusCode).toBe(404);
    expect(retire.statusCode).toBe(404);
    expect(
      (await listPriorities(testApp.database.db, otherSchoolId, year))[0]?.retiredAt,
    ).toBeNull();
  });
});
