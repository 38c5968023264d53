import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fetchCsrf } from '../../../test/helpers/csrf.js';
import { startApp, type TestApp } from '../../../test/helpers/start-app.js';
import { listAuditEvents } from '../../platform/audit/audit-store.js';
import { createSchool } from '../../platform/organisations/organisation-store.js';
import { analyseGaps } from './gap-analysis.js';
import { addEvidence, listEvidence } from './need-evidence-store.js';
import type { Need } from './need-model.js';
import { createNeed } from './need-store.js';
import { saveSnapshot } from './snapshot-store.js';

const PNG_BYTES = Buffer.from([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
]);

interface FilePart {
  name: string;
  type: string;
  content: Buffer;
}

/** Builds a multipart/form-data body as a browser sends it, fields first and the file last. */
function multipart(fields: Record<string, string>, file: FilePart | null) {
  const boundary = '----commissioner-test-boundary';
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
      ),
    );
  }
  const fileHeader = file
    ? `Content-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type}`
    : 'Content-Disposition: form-data; name="file"; filename=""\r\nContent-Type: application/octet-stream';
  parts.push(Buffer.from(`--${boundary}\r\n${fileHeader}\r\n\r\n`));
  parts.push(file?.content ?? Buffer.alloc(0));
  parts.push(Buffer.from(`\r\n--${boundary}--\r\n`));
  return {
    payload: Buffer.concat(parts),
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}

/** Returns the `value` attribute of an input, still HTML-escaped, or null. */
function inputValue(body: string, id: string): string | null {
  const input = new RegExp(`<input[^>]*\\bid="${id}"[^>]*>`).exec(body)?.[0] ?? '';
  return /\bvalue="([^"]*)"/.exec(input)?.[1] ?? null;
}

const OBSERVATION = {
  kind: 'teacher_observation',
  'date-day': '3',
  'date-month': '2',
  'date-year': '2025',
  summary: 'Year 9 tutors saw late arrivals on Mondays.',
};

describe('evidence routes', () => {
  let testApp: TestApp;
  let schoolId: number;
  let otherSchoolId: number;
  let need: Need;
  let needUrl: string;

  beforeEach(async () => {
    testApp = await startApp({ env: { MAX_UPLOAD_BYTES: '2048' } });
    const { db } = testApp.database;
    schoolId = (await createSchool(db, { laestab: '8014001', name: 'Brookfield Academy' })).id;
    otherSchoolId = (await createSchool(db, { laestab: '8014002', name: 'Riverside School' })).id;
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

  async function postEvidence(fields: Record<string, string>, file: FilePart | null) {
    const csrf = await fetchCsrf(testApp, `${needUrl}/evidence/new`);
    const body = multipart({ _csrf: csrf.token, ...fields }, file);
    return testApp.inject({
      method: 'POST',
      url: `${needUrl}/evidence`,
      headers: { cookie: csrf.cookie, 'content-type': body.contentType },
      payload: body.payload,
    });
  }

  it('staff add an observation with a file', async () => {
    const { email } = await testApp.signIn(schoolId, 'staff');

    const response = await postEvidence(OBSERVATION, {
      name: 'C:\\fakepath\\register: notes.png',
      type: 'image/png',
      content: PNG_BYTES,
    });

    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(`${needUrl}?notice=evidence`);
    const [item] = await listEvidence(testApp.database.db, schoolId, need.id);
    expect(item).toMatchObject({
      kind: 'teacher_observation',
      evidenceDate: '2025-02-03',
      summary: OBSERVATION.summary,
      snapshotId: null,
      fileName: 'register notes.png',
      fileType: 'image/png',
      fileSize: PNG_BYTES.length,
      createdByName: email.split('@')[0],
    });
    const [event] = await listAuditEvents(testApp.database.db, schoolId, {
      action: 'evidence-added',
    });
    expect(event?.details).toMatchObject({ needId: need.id, file: 'register notes.png' });

    const page = await testApp.inject({ method: 'GET', url: response.headers.location as string });
    expect(page.body).toContain('Evidence added');
    expect(page.body).toContain('3 February 2025');
    expect(page.body).toContain(`${needUrl}/evidence/${item?.id}/file`);
  });

  it('downloads the file safely', async () => {
    const evidenceId = await addEvidence(testApp.database.db, schoolId, need.id, {
      kind: 'pupil_voice',
      evidenceDate: '2025-01-10',
      summary: 'Survey',
      snapshotId: null,
      file: { fileName: 'Élève survey.png', fileType: 'image/png', content: PNG_BYTES },
      createdBy: null,
    });
    await testApp.signIn(schoolId, 'governor');

    const response = await testApp.inject({
      method: 'GET',
      url: `${needUrl}/evidence/${evidenceId}/file`,
    });

    expect(response.statusCode).toBe(200);
    expect(response.rawPayload.equals(PNG_BYTES)).toBe(true);
    expect(response.headers['content-type']).toBe('image/png');
    expect(response.headers['content-disposition']).toBe(
      `attachment; filename="_l_ve survey.png"; filename*=UTF-8''%C3%89l%C3%A8ve%20survey.png`,
    );
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['cache-control']).toBe('no-store');
    const [event] = await listAuditEvents(testApp.database.db, schoolId, {
      action: 'export-downloaded',
    });
    expect(event?.subjectType).toBe('evidence');
    expect(event?.subjectId).toBe(String(evidenceId));
  });

  it('hides another school’s file', async () => {
    const otherNeed = await createNeed(testApp.database.db, otherSchoolId, {
      title: 'Riverside need',
      description: 'd',
      audienceRule: null,
      audienceRuleTree: null,
      priority: 'high',
      improvementPriorityId: null,
      status: 'identified',
      createdBy: null,
    });
    const otherEvidence = await addEvidence(testApp.database.db, otherSchoolId, otherNeed.id, {
      kind: 'research',
      evidenceDate: '2025-01-10',
      summary: 'Riverside research',
      snapshotId: null,
      file: { fileName: 'secret.png', fileType: 'image/png', content: PNG_BYTES },
      createdBy: null,
    });
    await testApp.signIn(schoolId, 'senior_leader');

    const underOwnNeed = await testApp.inject({
      method: 'GET',
      url: `${needUrl}/evidence/${otherEvidence}/file`,
    });
    const underOtherNeed = await testApp.inject({
      method: 'GET',
      url: `/schools/${schoolId}/needs/${otherNeed.id}/evidence/${otherEvidence}/file`,
    });

    expect(underOwnNeed.statusCode).toBe(404);
    expect(underOtherNeed.statusCode).toBe(404);
  });

  it('rejects a future date and keeps the answers', async () => {
    await testApp.signIn(schoolId, 'senior_leader');
    const nextYear = String(new Date().getFullYear() + 1);

    const response = await postEvidence({ ...OBSERVATION, 'date-year': nextYear }, null);

    expect(response.statusCode).toBe(422);
    expect(response.body).toContain('Date of the evidence must be today or in the past');
    expect(response.body).toContain('href="#date-day"');
    expect(inputValue(response.body, 'date-year')).toBe(nextYear);
    expect(response.body).toContain('Year 9 tutors saw late arrivals on Mondays.');
    expect(response.body).toMatch(/value="teacher_observation" checked/);
    expect(await listEvidence(testApp.database.db, schoolId, need.id)).toEqual([]);
  });

  it('names the missing part of a date', async () => {
    await testApp.signIn(schoolId, 'senior_leader');

    const response = await postEvidence({ ...OBSERVATION, 'date-month': '' }, null);

    expect(response.statusCode).toBe(422);
    expect(response.body).toContain('Date of the evidence must include a month');
    expect(response.body).toContain('href="#date-month"');
    expect(response.body).toMatch(
      /id="date-month"[^>]*govuk-input--error|govuk-input--error[^>]*id="date-month"/,
    );
  });

  it('data analysis needs a saved analysis', async () => {
    await testApp.signIn(schoolId, 'senior_leader');

    const response = await postEvidence({ ...OBSERVATION, kind: 'data_analysis' }, null);

    expect(response.statusCode).toBe(422);
    expect(response.body).toContain('Save an analysis on the gaps page first, then choose it here');
    expect(await listEvidence(testApp.database.db, schoolId, need.id)).toEqual([]);
  });

  it('links data analysis to a saved analysis', async () => {
    const snapshotId = await saveSnapshot(testApp.database.db, schoolId, {
      title: 'Attendance, spring 2025',
      analysis: analyseGaps([], 2024),
      createdBy: null,
    });
    await testApp.signIn(schoolId, 'senior_leader');

    const form = await testApp.inject({
      method: 'GET',
      url: `${needUrl}/evidence/new?snapshot=${snapshotId}`,
    });
    const response = await postEvidence(
      { ...OBSERVATION, kind: 'data_analysis', snapshotId: String(snapshotId) },
      null,
    );

    expect(form.body).toMatch(/value="data_analysis" checked/);
    expect(form.body).toMatch(new RegExp(`value="${snapshotId}" selected`));
    expect(response.statusCode).toBe(303);
    const [item] = await listEvidence(testApp.database.db, schoolId, need.id);
    expect(item?.snapshotId).toBe(snapshotId);
    expect(item?.snapshotTitle).toBe('Attendance, spring 2025');
  });

  it('rejects another school’s saved analysis', async () => {
    const otherSnapshot = await saveSnapshot(testApp.database.db, otherSchoolId, {
      title: 'Riverside analysis',
      analysis: analyseGaps([], 2024),
      createdBy: null,
    });
    await testApp.signIn(schoolId, 'senior_leader');

    const response = await postEvidence(
      { ...OBSERVATION, kind: 'data_analysis', snapshotId: String(otherSnapshot) },
      null,
    );

    expect(response.statusCode).toBe(422);
    expect(response.body).not.toContain('Riverside analysis');
    expect(await listEvidence(testApp.database.db, schoolId, need.id)).toEqual([]);
  });

  it.each([
    ['notes.html', 'text/html', Buffer.from('<script>alert(1)</script>'), 'must be a PDF, Word'],
    ['picture.png', 'image/png', Buffer.from('not really a picture'), 'is not a real .png file'],
    ['empty.pdf', 'application/pdf', Buffer.alloc(0), 'The selected file is empty'],
  ])('rejects %s', async (name, type, content, message) => {
    await testApp.signIn(schoolId, 'senior_leader');

    const response = await postEvidence(OBSERVATION, { name, type, content });

    expect(response.statusCode).toBe(422);
    expect(response.body).toContain(message);
    expect(response.body).toContain('href="#file"');
    expect(response.body).toContain(OBSERVATION.summary);
    expect(await listEvidence(testApp.database.db, schoolId, need.id)).toEqual([]);
  });

  it('rejects a file over the limit and keeps the answers', async () => {
    await testApp.signIn(schoolId, 'senior_leader');

    const response = await postEvidence(OBSERVATION, {
      name: 'big.pdf',
      type: 'application/pdf',
      content: Buffer.concat([Buffer.from('%PDF-'), Buffer.alloc(4096, 0x20)]),
    });

    expect(response.statusCode).toBe(413);
    expect(response.body).toContain('The selected file must be smaller than 2 KB');
    expect(response.body).toContain(OBSERVATION.summary);
    expect(inputValue(response.body, 'date-day')).toBe('3');
    expect(await listEvidence(testApp.database.db, schoolId, need.id)).toEqual([]);
  });

  it('governor cannot add evidence', async () => {
    await testApp.signIn(schoolId, 'governor');

    const form = await testApp.inject({ method: 'GET', url: `${needUrl}/evidence/new` });

    expect(form.statusCode).toBe(403);
  });
});
