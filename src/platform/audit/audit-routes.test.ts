import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatedCtf } from '../../../test/helpers/acceptance-files.js';
import { createUserWithRole, signInWithInject } from '../../../test/helpers/sign-in.js';
import { startApp, type TestApp } from '../../../test/helpers/start-app.js';
import { createSchool } from '../organisations/organisation-store.js';
import { AUDIT_PAGE_SIZE } from './audit-routes.js';
import { listAuditEvents, recordAuditEvent } from './audit-store.js';

const PASSWORD = 'kettle orchard lantern 17';

/** A display name that a spreadsheet would run as a formula if it were written as it is. */
const FORMULA_NAME = '=HYPERLINK("http://attacker.invalid","Click")';

/** Splits one CSV record into fields, undoing RFC 4180 quoting. */
function parseCsvRecord(record: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let index = 0; index < record.length; index++) {
    const character = record[index];
    if (quoted && character === '"' && record[index + 1] === '"') {
      field += '"';
      index++;
    } else if (character === '"') {
      quoted = !quoted;
    } else if (character === ',' && !quoted) {
      fields.push(field);
      field = '';
    } else {
      field += character;
    }
  }
  fields.push(field);
  return fields;
}

describe('audit routes', () => {
  let testApp: TestApp;
  let schoolId: number;
  let otherSchoolId: number;
  let headId: number;
  let clerkId: number;
  let headCookie: string;

  beforeAll(async () => {
    testApp = await startApp();
    const { db } = testApp.database;
    schoolId = (await createSchool(db, { laestab: '8014001', name: 'Brookfield Academy' })).id;
    otherSchoolId = (await createSchool(db, { laestab: '8014002', name: 'Riverside School' })).id;
    headId = (
      await createUserWithRole(db, {
        email: 'head@brookfield.invalid',
        password: PASSWORD,
        organisationId: schoolId,
        role: 'senior_leader',
        name: 'Sam Head',
      })
    ).id;
    clerkId = (
      await createUserWithRole(db, {
        email: 'clerk@brookfield.invalid',
        password: PASSWORD,
        organisationId: schoolId,
        role: 'governor',
        name: FORMULA_NAME,
      })
    ).id;
    headCookie = (await signInWithInject(testApp.app, 'head@brookfield.invalid', PASSWORD)).cookie;

    const at = (iso: string) => ({ occurred_at: iso });
    const rows = [
      { ...at('2026-01-05T09:00:00.000Z'), action: 'invitation-sent', user_id: headId },
      { ...at('2026-02-10T09:00:00.000Z'), action: 'role-changed', user_id: headId },
      { ...at('2026-03-15T09:00:00.000Z'), action: 'export-downloaded', user_id: clerkId },
      { ...at('2026-03-16T09:00:00.000Z'), action: 'export-downloaded', user_id: headId },
    ];
    for (const row of rows) {
      await db
        .insertInto('audit_events')
        .values({
          ...row,
          organisation_id: schoolId,
          subject_type: 'export',
          subject_id: '-1+1',
          details: JSON.stringify({ email: '+44 jo@brookfield.invalid' }),
          request_id: `request-${row.occurred_at.slice(0, 10)}`,
          ip_address: '127.0.0.1',
        })
        .execute();
    }
    await recordAuditEvent(db, {
      action: 'access-removed',
      userId: headId,
      organisationId: otherSchoolId,
      details: { email: 'riverside.secret@riverside.invalid' },
    });
  });

  afterAll(async () => {
    await testApp?.close();
  });

  async function get(url: string, cookie = headCookie) {
    return testApp.app.inject({ method: 'GET', url, headers: { cookie } });
  }

  it('shows events newest first', async () => {
    const page = await get(`/schools/${schoolId}/audit`);

    expect(page.statusCode).toBe(200);
    const requestIds = [...page.body.matchAll(/request-(\d{4}-\d{2}-\d{2})/g)].map(
      (match) => match[1],
    );
    expect(requestIds).toEqual(['2026-03-16', '2026-03-15', '2026-02-10', '2026-01-05']);
    expect(page.body).toContain('Sam Head');
    expect(page.body).toContain('Invitation sent');
    expect(page.body).not.toContain('riverside.secret');
  });

  it('explains a refused sign-in', async () => {
    await recordAuditEvent(testApp.database.db, {
      action: 'sign-in-failed',
      userId: null,
      organisationId: schoolId,
      details: { reason: 'too-many-attempts' },
    });

    const page = await get(`/schools/${schoolId}/audit?action=sign-in-failed`);

    expect(page.body).toContain('Refused: too many failed attempts in 15 minutes');
  });

  it('filters by action, person and dates', async () => {
    const byAction = await get(`/schools/${schoolId}/audit?action=export-downloaded`);
    const byPerson = await get(
      `/schools/${schoolId}/audit?action=export-downloaded&person=${clerkId}`,
    );
    const byDates = await get(
      `/schools/${schoolId}/audit?from-day=1&from-month=2&from-year=2026&to-day=15&to-month=3&to-year=2026`,
    );

    expect(byAction.body.match(/request-2026-/g)).toHaveLength(2);
    expect(byPerson.body.match(/request-2026-/g)).toEqual(['request-2026-']);
    expect(byPerson.body).toContain('request-2026-03-15');
    expect(byDates.body).toContain('request-2026-02-10');
    expect(byDates.body).toContain('request-2026-03-15');
    expect(byDates.body).not.toContain('request-2026-03-16');
    expect(byDates.body).not.toContain('request-2026-01-05');
    expect(byDates.body).toContain('value="15"');
  });

  it('rejects impossible dates', async () => {
    const impossible = await get(
      `/schools/${schoolId}/audit?from-day=31&from-month=2&from-year=2026`,
    );
    const reversed = await get(
      `/schools/${schoolId}/audit?from-day=2&from-month=3&from-year=2026&to-day=1&to-month=3&to-year=2026`,
    );
    const unknownAction = await get(`/schools/${schoolId}/audit?action=drop-table`);

    expect(impossible.statusCode).toBe(422);
    expect(impossible.body).toContain('From date must be a real date');
    expect(reversed.statusCode).toBe(422);
    expect(reversed.body).toContain('To date must be the same as or after the from date');
    expect(unknownAction.statusCode).toBe(422);
    expect(unknownAction.body).toContain('Select an action from the list');
  });

  it('downloads neutralised CSV', async () => {
    const response = await get(`/schools/${schoolId}/audit.csv?person=${clerkId}`);

    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/csv');
    expect(response.headers['content-disposition']).toMatch(
      /^attachment; filename="audit-8014001-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    const [header, ...records] = response.body
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(header).toBe(
      'Time (UTC),Person,Email address,Action code,Action,Subject type,Subject id,Details,Request id,IP address',
    );
    expect(records).toHaveLength(1);
    const fields = parseCsvRecord(records[0] ?? '');
    expect(fields[0]).toBe('2026-03-15T09:00:00.000Z');
    expect(fields[1]).toBe(`'${FORMULA_NAME}`);
    expect(fields[2]).toBe('clerk@brookfield.invalid');
    expect(fields[3]).toBe('export-downloaded');
    expect(fields[6]).toBe("'-1+1");
    expect(fields[7]).toBe('{"email":"+44 jo@brookfield.invalid"}');
    expect(fields[8]).toBe('request-2026-03-15');
  });

  it('audits the CSV download', async () => {
    const response = await get(`/schools/${schoolId}/audit.csv?action=role-changed`);

    const [event] = await listAuditEvents(testApp.database.db, schoolId, {
      action: 'export-downloaded',
      userId: headId,
      from: new Date().toISOString().slice(0, 10),
    });
    expect(event?.subjectId).toBe('audit-trail');
    expect(event?.requestId).toBe(response.headers['x-request-id']);
    expect(event?.details).toMatchObject({ rows: 1, filter: { action: 'role-changed' } });
  });

  it('pages through many events', async () => {
    const paged = await createSchool(testApp.database.db, {
      laestab: '8014003',
      name: 'Busy School',
    });
    const leader = await createUserWithRole(testApp.database.db, {
      email: 'head@busy.invalid',
      password: PASSWORD,
      organisationId: paged.id,
      role: 'senior_leader',
    });
    for (let index = 0; index < AUDIT_PAGE_SIZE + 5; index++) {
      await recordAuditEvent(testApp.database.db, {
        action: 'export-downloaded',
        userId: leader.id,
        organisationId: paged.id,
        requestId: `busy-${String(index).padStart(3, '0')}`,
      });
    }
    const { cookie } = await signInWithInject(testApp.app, 'head@busy.invalid', PASSWORD);

    const first = await get(`/schools/${paged.id}/audit?action=export-downloaded`, cookie);
    const second = await get(`/schools/${paged.id}/audit?action=export-downloaded&page=2`, cookie);

    expect(first.body.match(/busy-\d{3}/g)).toHaveLength(AUDIT_PAGE_SIZE);
    expect(first.body).toContain('busy-054');
    expect(first.body).toContain(
      `href="/schools/${paged.id}/audit?action=export-downloaded&amp;page=2"`,
    );
    expect(second.body.match(/busy-\d{3}/g)).toEqual([
      'busy-004',
      'busy-003',
      'busy-002',
      'busy-001',
      'busy-000',
    ]);
  });

  it('records imports and downloads without pupil data', async () => {
    const imported = await createSchool(testApp.database.db, {
      laestab: '8014009',
      name: 'Import School',
    });
    await createUserWithRole(testApp.database.db, {
      email: 'head@import.invalid',
      password: PASSWORD,
      organisationId: imported.id,
      role: 'senior_leader',
    });
    const { cookie } = await signInWithInject(testApp.app, 'head@import.invalid', PASSWORD);
    const uploadPage = await get(`/schools/${imported.id}/imports/new`, cookie);
    const csrfToken = /name="_csrf" value="([^"]+)"/.exec(uploadPage.body)?.[1] ?? '';
    const form = new FormData();
    form.append('_csrf', csrfToken);
    form.append('academicYear', '');
    form.append('file', new Blob([generatedCtf()]), 'pupils.xml');

    const upload = await testApp.app.inject({
      method: 'POST',
      url: `/schools/${imported.id}/imports`,
      headers: { cookie },
      body: form,
    });
    const previewUrl = upload.headers.location ?? '';
    const preview = await get(previewUrl, cookie);
    const commit = await testApp.app.inject({
      method: 'POST',
      url: `${previewUrl}/commit`,
      headers: { cookie },
      // The generated file names school 8014001, so loading it here needs that confirmed.
      payload: {
        _csrf: /name="_csrf" value="([^"]+)"/.exec(preview.body)?.[1] ?? '',
        confirmOtherSchool: 'yes',
      },
    });
    const download = await get(`/schools/${imported.id}/gaps.csv`, cookie);

    expect(upload.statusCode).toBe(303);
    expect(commit.statusCode).toBe(303);
    expect(download.statusCode).toBe(200);
    const events = await listAuditEvents(testApp.database.db, imported.id);
    const byAction = new Map(events.map((event) => [event.action, event]));
    const importId = /\/imports\/(\d+)$/.exec(previewUrl)?.[1];
    expect(byAction.get('import-previewed')?.subjectId).toBe(importId);
    expect(byAction.get('import-previewed')?.requestId).toBe(upload.headers['x-request-id']);
    expect(byAction.get('import-committed')?.subjectId).toBe(importId);
    expect(byAction.get('import-committed')?.details).toMatchObject({ pupils: 12 });
    expect(byAction.get('export-downloaded')?.subjectId).toBe('gaps');
    expect(byAction.get('export-downloaded')?.ipAddress).toBe('127.0.0.1');
    const stored = JSON.stringify(events);
    expect(stored).not.toMatch(/[A-Z]\d{12}/);
    expect(stored).not.toContain('Pupil0');
    expect(stored).not.toContain('pupils.xml');
  });

  it('forbids governors', async () => {
    const { cookie } = await signInWithInject(testApp.app, 'clerk@brookfield.invalid', PASSWORD);

    const page = await get(`/schools/${schoolId}/audit`, cookie);
    const csv = await get(`/schools/${schoolId}/audit.csv`, cookie);

    expect(page.statusCode).toBe(403);
    expect(csv.statusCode).toBe(403);
  });
});
