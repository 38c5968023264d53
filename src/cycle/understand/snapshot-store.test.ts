import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createTestDatabase,
  DIALECTS,
  type TestDatabase,
} from '../../../test/helpers/databases.js';
import { addMembership, createUser } from '../../platform/auth/user-store.js';
import { createSchool } from '../../platform/organisations/organisation-store.js';
import { analyseGaps, type AnalysisPupil } from './gap-analysis.js';
import { addEvidence } from './need-evidence-store.js';
import { createNeed } from './need-store.js';
import { findSnapshot, listSnapshots, saveSnapshot } from './snapshot-store.js';

// Pupils of a synthetic school, whose analysis has figures of full precision, nulls and
// suppressed groups: everything a stored copy must give back unchanged.
const reference = JSON.parse(
  readFileSync(new URL('./reference/gap-reference.json', import.meta.url), 'utf8'),
) as { academicYear: number; pupils: AnalysisPupil[] };

describe.each(DIALECTS)('saved analysis store on %s', (dialect) => {
  let database: TestDatabase;
  let schoolId: number;
  let otherSchoolId: number;
  let userId: number;

  beforeEach(async () => {
    database = await createTestDatabase(dialect);
    schoolId = (await createSchool(database.db, { laestab: '8014001', name: 'Brookfield' })).id;
    otherSchoolId = (await createSchool(database.db, { laestab: '8014002', name: 'Riverside' })).id;
    userId = (
      await createUser(database.db, {
        email: 'lead@brookfield.invalid',
        displayName: 'Pat Lead',
        password: 'a long test password 2024',
      })
    ).id;
    await addMembership(database.db, { userId, organisationId: schoolId, role: 'senior_leader' });
  });

  afterEach(async () => {
    await database.destroy();
  });

  it('returns the analysis exactly as saved', async () => {
    const analysis = analyseGaps(reference.pupils, reference.academicYear);

    const id = await saveSnapshot(database.db, schoolId, {
      title: 'Reference analysis',
      analysis,
      createdBy: userId,
    });

    const snapshot = await findSnapshot(database.db, schoolId, id);
    expect(snapshot?.analysis).toEqual(analysis);
    expect(snapshot).toMatchObject({
      organisationId: schoolId,
      academicYear: analysis.academicYear,
      title: 'Reference analysis',
      createdBy: userId,
      createdByName: 'Pat Lead',
    });
  });

  it('never returns another school’s analysis', async () => {
    const theirs = await saveSnapshot(database.db, otherSchoolId, {
      title: 'Theirs',
      analysis: analyseGaps([], 2024),
      createdBy: null,
    });

    expect(await findSnapshot(database.db, schoolId, theirs)).toBeUndefined();
    expect(await listSnapshots(database.db, schoolId)).toEqual([]);
  });

  it('lists newest first with evidence counts', async () => {
    const first = await saveSnapshot(database.db, schoolId, {
      title: 'First',
      analysis: analyseGaps([], 2023),
      createdBy: null,
    });
    const second = await saveSnapshot(database.db, schoolId, {
      title: 'Second',
      analysis: analyseGaps([], 2024),
      createdBy: userId,
    });
    const need = await createNeed(database.db, schoolId, {
      title: 'Need',
      description: '',
      audienceRule: null,
      audienceRuleTree: null,
      priority: 'high',
      improvementPriorityId: null,
      status: 'identified',
      createdBy: null,
    });
    await addEvidence(database.db, schoolId, need.id, {
      kind: 'data_analysis',
      evidenceDate: '2025-01-01',
      summary: 's',
      snapshotId: first,
      file: null,
      createdBy: null,
    });

    const listed = await listSnapshots(database.db, schoolId);

    expect(
      listed.map((item) => [item.id, item.title, item.academicYear, item.evidenceCount]),
    ).toEqual([
      [second, 'Second', 2024, 0],
      [first, 'First', 2023, 1],
    ]);
    expect(listed[0]?.createdByName).toBe('Pat Lead');
    expect(listed[1]?.createdByName).toBeNull();
  });

  it('names a corrupt row', async () => {
    const id = await saveSnapshot(database.db, schoolId, {
      title: 'Broken',
      analysis: analyseGaps([], 2024),
      createdBy: null,
    });
    await database.db
      .updateTable('analysis_snapshots')
      .set({ analysis: '{"groups": 3}' })
      .where('id', '=', id)
      .execute();

    await expect(findSnapshot(database.db, schoolId, id)).rejects.toThrow(
      `Saved analysis ${id} is not a gap analysis`,
    );
  });
});
