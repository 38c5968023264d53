import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createTestDatabase,
  DIALECTS,
  type TestDatabase,
} from '../../../test/helpers/databases.js';
import { createSchool } from '../../platform/organisations/organisation-store.js';
import { analyseGaps } from './gap-analysis.js';
import { addPriority, retirePriority } from './improvement-store.js';
import {
  addBarrierOption,
  addNeedBarriers,
  listBarrierOptions,
  listNeedBarriers,
  removeNeedBarrier,
} from './need-barrier-store.js';
import {
  addEvidence,
  findEvidenceFile,
  listEvidence,
  listNeedsQuotingSnapshot,
  type NewEvidence,
} from './need-evidence-store.js';
import type { NewNeed } from './need-store.js';
import { createNeed, findNeed, listNeeds, lockNeed, updateNeed } from './need-store.js';
import { saveSnapshot } from './snapshot-store.js';

const NEED: NewNeed = {
  title: 'Low attendance in year 9',
  description: 'Disadvantaged pupils attend less.',
  audienceRule: 'disadvantaged and year = 9',
  audienceRuleTree: null,
  priority: 'medium',
  improvementPriorityId: null,
  status: 'identified',
  createdBy: null,
};

const OBSERVATION: NewEvidence = {
  kind: 'teacher_observation',
  evidenceDate: '2025-02-03',
  summary: 'Late arrivals on Mondays',
  snapshotId: null,
  file: null,
  createdBy: null,
};

/** Bytes 0 to 255 and back, so a store that treats the file as text would change it. */
const FILE_BYTES = Buffer.from([...Array(256).keys(), ...[...Array(256).keys()].reverse()]);

describe.each(DIALECTS)('need stores on %s', (dialect) => {
  let database: TestDatabase;
  let schoolId: number;
  let otherSchoolId: number;

  beforeEach(async () => {
    database = await createTestDatabase(dialect);
    schoolId = (await createSchool(database.db, { laestab: '8014001', name: 'Brookfield' })).id;
    otherSchoolId = (await createSchool(database.db, { laestab: '8014002', name: 'Riverside' })).id;
  });

  afterEach(async () => {
    await database.destroy();
  });

  it('creates and finds a need', async () => {
    const created = await createNeed(database.db, schoolId, NEED);

    const found = await findNeed(database.db, schoolId, created.id);

    expect(found).toEqual(created);
    expect(found).toMatchObject({
      organisationId: schoolId,
      title: NEED.title,
      audienceRule: NEED.audienceRule,
      delivery: null,
      externalReasons: [],
      capacityReasoning: '',
    });
    expect(found?.createdAt).toBe(found?.updatedAt);
  });

  it('never finds another school’s need', async () => {
    const theirs = await createNeed(database.db, otherSchoolId, NEED);

    expect(await findNeed(database.db, schoolId, theirs.id)).toBeUndefined();
    expect(await listNeeds(database.db, schoolId)).toEqual([]);
    await expect(updateNeed(database.db, schoolId, theirs.id, { title: 'Taken' })).rejects.toThrow(
      `Need ${theirs.id} does not exist in organisation ${schoolId}`,
    );
    expect((await findNeed(database.db, otherSchoolId, theirs.id))?.title).toBe(NEED.title);
  });

  it('updates only the given fields', async () => {
    const need = await createNeed(database.db, schoolId, NEED);

    await updateNeed(database.db, schoolId, need.id, {
      status: 'planned',
      delivery: 'external',
      externalReasons: ['new_problem', 'specialist_expertise'],
      costReasoning: 'Cheaper than a new post',
    });

    const updated = await findNeed(database.db, schoolId, need.id);
    expect(updated).toMatchObject({
      title: NEED.title,
      status: 'planned',
      delivery: 'external',
      externalReasons: ['new_problem', 'specialist_expertise'],
      costReasoning: 'Cheaper than a new post',
    });
    expect((updated?.updatedAt ?? '') >= need.updatedAt).toBe(true);
  });

  it('refuses another school’s priority', async () => {
    const theirs = await addPriority(database.db, otherSchoolId, 2025, {
      title: 'Theirs',
      description: '',
    });
    const need = await createNeed(database.db, schoolId, NEED);

    await expect(
      createNeed(database.db, schoolId, { ...NEED, improvementPriorityId: theirs.id }),
    ).rejects.toThrow(
      `Improvement priority ${theirs.id} does not exist in organisation ${schoolId}`,
    );
    await expect(
      updateNeed(database.db, schoolId, need.id, { improvementPriorityId: theirs.id }),
    ).rejects.toThrow('does not exist');
    expect((await findNeed(database.db, schoolId, need.id))?.improvementPriorityId).toBeNull();
  });

  it('lists needs with priority and evidence count', async () => {
    const priority = await addPriority(database.db, schoolId, 2025, {
      title: 'Attendance',
      description: '',
    });
    const low = await createNeed(database.db, schoolId, {
      ...NEED,
      title: 'Low',
      priority: 'low',
      improvementPriorityId: priority.id,
    });
    const high = await createNeed(database.db, schoolId, {
      ...NEED,
      title: 'High',
      priority: 'high',
    });
    await createNeed(database.db, schoolId, { ...NEED, title: 'Met', status: 'met' });
    await addEvidence(database.db, schoolId, low.id, OBSERVATION);
    await addEvidence(database.db, schoolId, low.id, OBSERVATION);
    await retirePriority(database.db, schoolId, priority.id, '2026-01-01T00:00:00.000Z');

    const all = await listNeeds(database.db, schoolId);
    const met = await listNeeds(database.db, schoolId, { statuses: ['met'] });

    expect(all.map((need) => need.title)).toEqual(['High', 'Met', 'Low']);
    expect(all.find((need) => need.id === low.id)).toMatchObject({
      improvementPriorityTitle: 'Attendance',
      improvementPriorityYear: 2025,
      improvementPriorityRetired: true,
      evidenceCount: 2,
    });
    expect(all.find((need) => need.id === high.id)).toMatchObject({
      improvementPriorityTitle: null,
      evidenceCount: 0,
    });
    expect(met.map((need) => need.title)).toEqual(['Met']);
    expect(await listNeeds(database.db, schoolId, { statuses: [] })).toEqual([]);
  });

  it('locks and reads a need in a transaction', async () => {
    const need = await createNeed(database.db, schoolId, NEED);
    const theirs = await createNeed(database.db, otherSchoolId, NEED);

    const [mine, other] = await database.db
      .transaction()
      .execute(async (trx) => [
        await lockNeed(trx, schoolId, need.id),
        await lockNeed(trx, schoolId, theirs.id),
      ]);

    expect(mine?.id).toBe(need.id);
    expect(other).toBeUndefined();
  });

  it('keeps file bytes exactly', async () => {
    const need = await createNeed(database.db, schoolId, NEED);

    const evidenceId = await addEvidence(database.db, schoolId, need.id, {
      ...OBSERVATION,
      file: { fileName: 'register.png', fileType: 'image/png', content: FILE_BYTES },
    });

    const file = await findEvidenceFile(database.db, schoolId, need.id, evidenceId);
    expect(file?.fileName).toBe('register.png');
    expect(file?.fileType).toBe('image/png');
    expect(file?.content.equals(FILE_BYTES)).toBe(true);
    const [item] = await listEvidence(database.db, schoolId, need.id);
    expect(item?.fileSize).toBe(FILE_BYTES.length);
  });

  it('never returns another school’s evidence or file', async () => {
    const mine = await createNeed(database.db, schoolId, NEED);
    const theirs = await createNeed(database.db, otherSchoolId, NEED);
    const theirEvidence = await addEvidence(database.db, otherSchoolId, theirs.id, {
      ...OBSERVATION,
      file: { fileName: 'secret.pdf', fileType: 'application/pdf', content: FILE_BYTES },
    });

    expect(await listEvidence(database.db, schoolId, theirs.id)).toEqual([]);
    expect(await findEvidenceFile(database.db, schoolId, theirs.id, theirEvidence)).toBeUndefined();
    expect(await findEvidenceFile(database.db, schoolId, mine.id, theirEvidence)).toBeUndefined();
    await expect(addEvidence(database.db, schoolId, theirs.id, OBSERVATION)).rejects.toThrow(
      `Need ${theirs.id} does not exist in organisation ${schoolId}`,
    );
  });

  it('finds no file on an item without one', async () => {
    const need = await createNeed(database.db, schoolId, NEED);
    const evidenceId = await addEvidence(database.db, schoolId, need.id, OBSERVATION);

    expect(await findEvidenceFile(database.db, schoolId, need.id, evidenceId)).toBeUndefined();
    expect((await listEvidence(database.db, schoolId, need.id))[0]?.fileSize).toBeNull();
  });

  it('links evidence only to own saved analyses', async () => {
    const need = await createNeed(database.db, schoolId, NEED);
    const mine = await saveSnapshot(database.db, schoolId, {
      title: 'Mine',
      analysis: analyseGaps([], 2024),
      createdBy: null,
    });
    const theirs = await saveSnapshot(database.db, otherSchoolId, {
      title: 'Theirs',
      analysis: analyseGaps([], 2024),
      createdBy: null,
    });

    await addEvidence(database.db, schoolId, need.id, {
      ...OBSERVATION,
      kind: 'data_analysis',
      snapshotId: mine,
    });

    await expect(
      addEvidence(database.db, schoolId, need.id, {
        ...OBSERVATION,
        kind: 'data_analysis',
        snapshotId: theirs,
      }),
    ).rejects.toThrow(`Saved analysis ${theirs} does not exist in organisation ${schoolId}`);
    const [item] = await listEvidence(database.db, schoolId, need.id);
    expect(item?.snapshotTitle).toBe('Mine');
    expect(await listNeedsQuotingSnapshot(database.db, schoolId, mine)).toEqual([
      { needId: need.id, title: NEED.title },
    ]);
    expect(await listNeedsQuotingSnapshot(database.db, otherSchoolId, mine)).toEqual([]);
  });

  it('lists evidence latest first', async () => {
    const need = await createNeed(database.db, schoolId, NEED);
    await addEvidence(database.db, schoolId, need.id, {
      ...OBSERVATION,
      evidenceDate: '2024-10-01',
    });
    await addEvidence(database.db, schoolId, need.id, {
      ...OBSERVATION,
      evidenceDate: '2025-03-01',
    });

    const items = await listEvidence(database.db, schoolId, need.id);

    expect(items.map((item) => item.evidenceDate)).toEqual(['2025-03-01', '2024-10-01']);
  });

  it('adds and removes barriers', async () => {
    const need = await createNeed(database.db, schoolId, NEED);

    const added = await addNeedBarriers(database.db, schoolId, need.id, [
      { label: 'Low attendance', classification: 'internal_external', note: '' },
      { label: 'Young carer responsibilities', classification: 'external', note: 'Two pupils' },
    ]);
    const removed = await removeNeedBarrier(database.db, schoolId, need.id, added[0]?.id ?? 0);
    const again = await removeNeedBarrier(database.db, schoolId, need.id, added[0]?.id ?? 0);

    expect(removed?.label).toBe('Low attendance');
    expect(again).toBeUndefined();
    expect(await listNeedBarriers(database.db, schoolId, need.id)).toEqual([added[1]]);
  });

  it('never removes another school’s barrier', async () => {
    const mine = await createNeed(database.db, schoolId, NEED);
    const theirs = await createNeed(database.db, otherSchoolId, NEED);
    const [barrier] = await addNeedBarriers(database.db, otherSchoolId, theirs.id, [
      { label: 'Low attendance', classification: 'internal_external', note: '' },
    ]);

    expect(
      await removeNeedBarrier(database.db, schoolId, theirs.id, barrier?.id ?? 0),
    ).toBeUndefined();
    expect(
      await removeNeedBarrier(database.db, schoolId, mine.id, barrier?.id ?? 0),
    ).toBeUndefined();
    expect(await listNeedBarriers(database.db, schoolId, theirs.id)).toEqual([]);
    expect(await listNeedBarriers(database.db, otherSchoolId, theirs.id)).toHaveLength(1);
    await expect(
      addNeedBarriers(database.db, schoolId, theirs.id, [
        { label: 'Taken', classification: 'internal', note: '' },
      ]),
    ).rejects.toThrow('does not exist');
  });

  it('keeps each school’s barrier list apart', async () => {
    await addBarrierOption(database.db, schoolId, {
      label: 'Long bus journeys',
      classification: 'external',
    });
    await addBarrierOption(database.db, otherSchoolId, {
      label: 'Long bus journeys',
      classification: 'external',
    });

    await expect(
      addBarrierOption(database.db, schoolId, {
        label: 'Long bus journeys',
        classification: 'internal',
      }),
    ).rejects.toThrow();
    expect(await listBarrierOptions(database.db, schoolId)).toEqual([
      { label: 'Long bus journeys', classification: 'external' },
    ]);
  });
});
