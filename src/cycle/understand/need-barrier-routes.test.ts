import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fetchCsrf } from '../../../test/helpers/csrf.js';
import { startApp, type TestApp } from '../../../test/helpers/start-app.js';
import { listAuditEvents } from '../../platform/audit/audit-store.js';
import { createSchool } from '../../platform/organisations/organisation-store.js';
import { addNeedBarriers, listBarrierOptions, listNeedBarriers } from './need-barrier-store.js';
import type { Need } from './need-model.js';
import { createNeed } from './need-store.js';

describe('barrier routes', () => {
  let testApp: TestApp;
  let schoolId: number;
  let need: Need;
  let needUrl: string;

  beforeEach(async () => {
    testApp = await startApp();
    const { db } = testApp.database;
    schoolId = (await createSchool(db, { laestab: '8014001', name: 'Brookfield Academy' })).id;
    need = await createNeed(db, schoolId, {
      title: 'Low attendance in year 9',
      description: 'd',
      audienceRule: null,
      audienceRuleTree: null,
      priority: 'high',
      improvementPriorityId: null,
      status: 'identified',
      createdBy: null,
    });
    needUrl = `/schools/${schoolId}/needs/${need.id}`;
  });

  afterEach(async () => {
    await testApp.close();
  });

  async function post(url: string, fields: Record<string, string | string[]>) {
    const csrf = await fetchCsrf(testApp, `${needUrl}/barriers/new`);
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

  it('staff add barriers from the list', async () => {
    await testApp.signIn(schoolId, 'staff');

    const form = await testApp.inject({ method: 'GET', url: `${needUrl}/barriers/new` });
    const response = await post(`${needUrl}/barriers`, {
      barrier: ['Low attendance', 'Young carer responsibilities'],
    });

    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('id="barrier"');
    expect(form.body).not.toContain('Add a barrier that is not on the list');
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(`${needUrl}?notice=barriers`);
    const barriers = await listNeedBarriers(testApp.database.db, schoolId, need.id);
    expect(barriers.map(({ label, classification }) => ({ label, classification }))).toEqual([
      { label: 'Low attendance', classification: 'internal_external' },
      { label: 'Young carer responsibilities', classification: 'external' },
    ]);
    const events = await listAuditEvents(testApp.database.db, schoolId, {
      action: 'barrier-added',
    });
    expect(events).toHaveLength(2);

    const again = await testApp.inject({ method: 'GET', url: `${needUrl}/barriers/new` });
    expect(again.body).not.toContain('value="Low attendance"');
    expect(again.body).toContain(
      'Already on this need: Low attendance; Young carer responsibilities.',
    );
  });

  it('rejects no choice and unknown barriers', async () => {
    await testApp.signIn(schoolId, 'staff');

    const empty = await post(`${needUrl}/barriers`, {});
    const unknown = await post(`${needUrl}/barriers`, { barrier: ['Low attendance', 'Made up'] });

    expect(empty.statusCode).toBe(422);
    expect(empty.body).toContain('Select at least one barrier from the list');
    expect(empty.body).toContain('href="#barrier"');
    expect(unknown.statusCode).toBe(422);
    expect(unknown.body).toMatch(/value="Low attendance" checked/);
    expect(await listNeedBarriers(testApp.database.db, schoolId, need.id)).toEqual([]);
  });

  it('rejects a barrier already on the need', async () => {
    await addNeedBarriers(testApp.database.db, schoolId, need.id, [
      { label: 'Low attendance', classification: 'internal_external', note: '' },
    ]);
    await testApp.signIn(schoolId, 'staff');

    const response = await post(`${needUrl}/barriers`, { barrier: 'Low attendance' });

    expect(response.statusCode).toBe(422);
    expect(await listNeedBarriers(testApp.database.db, schoolId, need.id)).toHaveLength(1);
  });

  it('senior leader adds a barrier to the list', async () => {
    await testApp.signIn(schoolId, 'senior_leader');

    const response = await post(`${needUrl}/barriers/other`, {
      label: 'Long bus journeys from outlying villages',
      classification: 'external',
      note: 'The last bus leaves before clubs end.',
    });

    expect(response.statusCode).toBe(303);
    expect(await listBarrierOptions(testApp.database.db, schoolId)).toEqual([
      { label: 'Long bus journeys from outlying villages', classification: 'external' },
    ]);
    const [barrier] = await listNeedBarriers(testApp.database.db, schoolId, need.id);
    expect(barrier).toMatchObject({
      label: 'Long bus journeys from outlying villages',
      classification: 'external',
      note: 'The last bus leaves before clubs end.',
    });
    const options = await listAuditEvents(testApp.database.db, schoolId, {
      action: 'barrier-option-added',
    });
    expect(options).toHaveLength(1);

    const otherNeed = await createNeed(testApp.database.db, schoolId, {
      ...need,
      title: 'Another need',
      createdBy: null,
    });
    const otherForm = await testApp.inject({
      method: 'GET',
      url: `/schools/${schoolId}/needs/${otherNeed.id}/barriers/new`,
    });
    expect(otherForm.body).toContain('value="Long bus journeys from outlying villages"');
  });

  it('new barrier must not repeat the list', async () => {
    await testApp.signIn(schoolId, 'senior_leader');

    const response = await post(`${needUrl}/barriers/other`, {
      label: '  low   ATTENDANCE ',
      classification: 'internal',
      note: '',
    });

    expect(response.statusCode).toBe(422);
    expect(response.body).toContain(
      '“Low attendance” is already on the list. Select it from the list instead',
    );
    expect(response.body).toContain('value="  low   ATTENDANCE "');
    expect(response.body).toMatch(/value="internal" checked/);
    expect(await listBarrierOptions(testApp.database.db, schoolId)).toEqual([]);
  });

  it('staff cannot add to the school list', async () => {
    await testApp.signIn(schoolId, 'staff');

    const response = await post(`${needUrl}/barriers/other`, {
      label: 'Something new',
      classification: 'internal',
    });

    expect(response.statusCode).toBe(403);
    expect(await listBarrierOptions(testApp.database.db, schoolId)).toEqual([]);
  });

  it('removes a barrier with an audit event', async () => {
    const [barrier] = await addNeedBarriers(testApp.database.db, schoolId, need.id, [
      { label: 'Low attendance', classification: 'internal_external', note: 'Mondays' },
    ]);
    await testApp.signIn(schoolId, 'staff');

    const first = await post(`${needUrl}/barriers/${barrier?.id}/remove`, {});
    const second = await post(`${needUrl}/barriers/${barrier?.id}/remove`, {});

    expect(first.statusCode).toBe(303);
    expect(first.headers.location).toBe(`${needUrl}?notice=barrier-removed`);
    expect(second.statusCode).toBe(303);
    expect(second.headers.location).toBe(needUrl);
    expect(await listNeedBarriers(testApp.database.db, schoolId, need.id)).toEqual([]);
    const events = await listAuditEvents(testApp.database.db, schoolId, {
      action: 'barrier-removed',
    });
    expect(events).toHaveLength(1);
    expect(events[0]?.details).toMatchObject({
      needId: need.id,
      label: 'Low attendance',
      classification: 'internal_external',
      note: 'Mondays',
    });
  });

  it('governor sees barriers without remove buttons', async () => {
    await addNeedBarriers(testApp.database.db, schoolId, need.id, [
      { label: 'Low attendance', classification: 'internal_external', note: '' },
    ]);
    await testApp.signIn(schoolId, 'governor');

    const page = await testApp.inject({ method: 'GET', url: needUrl });
    const form = await testApp.inject({ method: 'GET', url: `${needUrl}/barriers/new` });

    expect(page.body).toContain('Low attendance');
    expect(page.body).toContain('Internal and external');
    expect(page.body).not.toContain('/remove');
    expect(form.statusCode).toBe(403);
  });
});
