import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generatedCtf, GENERATED_CTF_FACTS } from '../../../test/helpers/acceptance-files.js';
import { fetchCsrf } from '../../../test/helpers/csrf.js';
import { startApp, type TestApp } from '../../../test/helpers/start-app.js';
import { listAuditEvents } from '../../platform/audit/audit-store.js';
import { createSchool } from '../../platform/organisations/organisation-store.js';
import { commitImport, previewImport } from '../../pupils/import-service.js';
import { analyseGaps } from './gap-analysis.js';
import { createNeed } from './need-store.js';
import { findSnapshot, listSnapshots, saveSnapshot } from './snapshot-store.js';

/** Returns the text of the persistent absence table's disadvantaged row, without tags. */
function disadvantagedPersistentAbsenceRow(body: string): string {
  const section = body.slice(body.indexOf('id="measure-persistent-absence"'));
  const row =
    /<tr class="govuk-table__row">\s*<th scope="row" class="govuk-table__header">Disadvantaged[^<]*<\/th>([\s\S]*?)<\/tr>/.exec(
      section,
    )?.[1];
  return (row ?? '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

describe('saved analysis routes', () => {
  let testApp: TestApp;
  let schoolId: number;
  let otherSchoolId: number;
  const year = GENERATED_CTF_FACTS.academicYear;

  beforeEach(async () => {
    testApp = await startApp();
    const { db } = testApp.database;
    schoolId = (
      await createSchool(db, { laestab: GENERATED_CTF_FACTS.laestab, name: 'Brookfield Academy' })
    ).id;
    otherSchoolId = (await createSchool(db, { laestab: '8014002', name: 'Riverside School' })).id;
    const limits = { maxBytes: 20 * 1024 * 1024 };
    const preview = await previewImport(
      db,
      { organisationId: schoolId, fileName: 'pupils.xml', content: generatedCtf() },
      limits,
    );
    await commitImport(
      db,
      schoolId,
      preview.importId as number,
      { confirmOtherSchool: false },
      limits,
    );
  });

  afterEach(async () => {
    await testApp.close();
  });

  async function saveAnalysis(title: string) {
    const csrf = await fetchCsrf(testApp, `/schools/${schoolId}/gaps`);
    return testApp.inject({
      method: 'POST',
      url: `/schools/${schoolId}/analyses`,
      headers: { cookie: csrf.cookie },
      payload: { _csrf: csrf.token, year: String(year), snapshotTitle: title },
    });
  }

  it('saves figures that later corrections do not change', async () => {
    const { email } = await testApp.signIn(schoolId, 'staff');
    const gaps = await testApp.inject({ method: 'GET', url: `/schools/${schoolId}/gaps` });
    expect(gaps.body).toContain('Save this analysis');
    const before = disadvantagedPersistentAbsenceRow(gaps.body);
    expect(before).toContain('+100.0');

    const response = await saveAnalysis('Persistent absence, spring 2025');

    expect(response.statusCode).toBe(303);
    const [listed] = await listSnapshots(testApp.database.db, schoolId);
    expect(response.headers.location).toBe(
      `/schools/${schoolId}/analyses/${listed?.id}?notice=saved`,
    );
    const snapshot = await findSnapshot(testApp.database.db, schoolId, listed?.id ?? 0);
    expect(snapshot?.academicYear).toBe(year);
    expect(snapshot?.analysis.pupils).toBe(GENERATED_CTF_FACTS.pupils);
    const [event] = await listAuditEvents(testApp.database.db, schoolId, {
      action: 'analysis-saved',
    });
    expect(event?.subjectId).toBe(String(listed?.id));

    // Correct every pupil's attendance: today's figures change, the saved ones must not.
    await testApp.database.db
      .updateTable('attendance')
      .set((eb) => ({
        sessions_attended: eb.ref('sessions_possible'),
        sessions_authorised: 0,
        sessions_unauthorised: 0,
      }))
      .where('organisation_id', '=', schoolId)
      .execute();
    const corrected = await testApp.inject({ method: 'GET', url: `/schools/${schoolId}/gaps` });
    const saved = await testApp.inject({ method: 'GET', url: response.headers.location as string });

    expect(disadvantagedPersistentAbsenceRow(corrected.body)).not.toContain('+100.0');
    expect(saved.statusCode).toBe(200);
    expect(saved.body).toContain('Analysis saved');
    expect(saved.body).toContain('Persistent absence, spring 2025');
    expect(saved.body).toContain(email.split('@')[0]);
    expect(disadvantagedPersistentAbsenceRow(saved.body)).toBe(before);
  });

  it('needs a title and keeps the typed one', async () => {
    await testApp.signIn(schoolId, 'senior_leader');

    const empty = await saveAnalysis('   ');
    const long = await saveAnalysis(`<i>${'x'.repeat(130)}</i>`);

    expect(empty.statusCode).toBe(422);
    expect(empty.body).toContain(
      '<title>Error: Gaps between groups of pupils, 2024/25 – Commissioner</title>',
    );
    expect(empty.body).toContain('Enter a title for the saved analysis');
    expect(empty.body).toContain('href="#snapshotTitle"');
    expect(long.statusCode).toBe(422);
    expect(long.body).toContain('Title must be 120 characters or fewer');
    expect(long.body).toContain('value="&lt;i&gt;xxx');
    expect(await listSnapshots(testApp.database.db, schoolId)).toEqual([]);
  });

  it('rejects a year without data', async () => {
    await testApp.signIn(schoolId, 'senior_leader');
    const csrf = await fetchCsrf(testApp, `/schools/${schoolId}/gaps`);

    const response = await testApp.inject({
      method: 'POST',
      url: `/schools/${schoolId}/analyses`,
      headers: { cookie: csrf.cookie },
      payload: { _csrf: csrf.token, year: '2019', snapshotTitle: 'Old' },
    });

    expect(response.statusCode).toBe(404);
    expect(await listSnapshots(testApp.database.db, schoolId)).toEqual([]);
  });

  it('governor reads but cannot save', async () => {
    const snapshotId = await saveSnapshot(testApp.database.db, schoolId, {
      title: 'Saved by a leader',
      analysis: analyseGaps([], year),
      createdBy: null,
    });
    await testApp.signIn(schoolId, 'governor');

    const gaps = await testApp.inject({ method: 'GET', url: `/schools/${schoolId}/gaps` });
    const list = await testApp.inject({ method: 'GET', url: `/schools/${schoolId}/analyses` });
    const page = await testApp.inject({
      method: 'GET',
      url: `/schools/${schoolId}/analyses/${snapshotId}`,
    });

    expect(gaps.body).not.toContain('Save this analysis');
    expect(list.body).toContain('Saved by a leader');
    expect(list.body).toContain('A removed account');
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain('Use as evidence for a need');
  });

  it('offers the needs to quote it', async () => {
    const snapshotId = await saveSnapshot(testApp.database.db, schoolId, {
      title: 'Saved',
      analysis: analyseGaps([], year),
      createdBy: null,
    });
    await createNeed(testApp.database.db, schoolId, {
      title: 'Attendance need',
      description: '',
      audienceRule: null,
      audienceRuleTree: null,
      priority: 'high',
      improvementPriorityId: null,
      status: 'identified',
      createdBy: null,
    });
    await testApp.signIn(schoolId, 'staff');

    const page = await testApp.inject({
      method: 'GET',
      url: `/schools/${schoolId}/analyses/${snapshotId}`,
    });

    expect(page.body).toContain('Use as evidence for Attendance need');
    expect(page.body).toMatch(new RegExp(`/evidence/new\\?snapshot=${snapshotId}`));
  });

  it('hides another school’s analysis', async () => {
    const otherId = await saveSnapshot(testApp.database.db, otherSchoolId, {
      title: 'Riverside analysis',
      analysis: analyseGaps([], year),
      createdBy: null,
    });
    await testApp.signIn(schoolId, 'senior_leader');

    const page = await testApp.inject({
      method: 'GET',
      url: `/schools/${schoolId}/analyses/${otherId}`,
    });
    const list = await testApp.inject({ method: 'GET', url: `/schools/${schoolId}/analyses` });

    expect(page.statusCode).toBe(404);
    expect(list.body).not.toContain('Riverside analysis');
  });
});
