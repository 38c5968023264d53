import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createTestDatabase,
  DIALECTS,
  type TestDatabase,
} from '../../../test/helpers/databases.js';
import { createSchool } from '../../platform/organisations/organisation-store.js';
import {
  addPriority,
  findPriority,
  listPriorities,
  listPriorityYears,
  retirePriority,
  setPriorityOrder,
  updatePriority,
} from './improvement-store.js';

describe.each(DIALECTS)('improvement priority store on %s', (dialect) => {
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

  async function add(title: string, year = 2025, organisationId = schoolId) {
    return addPriority(database.db, organisationId, year, { title, description: '' });
  }

  async function titles(year = 2025, includeRetired = false) {
    const priorities = await listPriorities(database.db, schoolId, year, { includeRetired });
    return priorities.map((priority) => `${priority.position} ${priority.title}`);
  }

  it('numbers priorities per school and year', async () => {
    await add('Attendance');
    await add('Reading');
    await add('Next year', 2026);
    await add('Riverside', 2025, otherSchoolId);

    expect(await titles()).toEqual(['1 Attendance', '2 Reading']);
    expect(await titles(2026)).toEqual(['1 Next year']);
    expect(await listPriorityYears(database.db, schoolId)).toEqual([2026, 2025]);
  });

  it('reorders current priorities', async () => {
    const attendance = await add('Attendance');
    const reading = await add('Reading');
    const maths = await add('Maths');

    await setPriorityOrder(database.db, schoolId, 2025, [maths.id, attendance.id, reading.id]);

    expect(await titles()).toEqual(['1 Maths', '2 Attendance', '3 Reading']);
  });

  it('refuses to order a stranger', async () => {
    const attendance = await add('Attendance');
    const theirs = await add('Theirs', 2025, otherSchoolId);
    const nextYear = await add('Next year', 2026);

    for (const stranger of [theirs.id, nextYear.id]) {
      await expect(
        setPriorityOrder(database.db, schoolId, 2025, [stranger, attendance.id]),
      ).rejects.toThrow(`Improvement priority ${stranger} is not a current priority`);
    }
    expect(await titles()).toEqual(['1 Attendance']);
  });

  it('retires once and keeps the row', async () => {
    const attendance = await add('Attendance');
    await add('Reading');

    const first = await retirePriority(
      database.db,
      schoolId,
      attendance.id,
      '2026-01-05T10:00:00.000Z',
    );
    const second = await retirePriority(
      database.db,
      schoolId,
      attendance.id,
      '2026-02-05T10:00:00.000Z',
    );

    expect(first).toBe(true);
    expect(second).toBe(false);
    expect(await titles()).toEqual(['2 Reading']);
    expect(await titles(2025, true)).toEqual(['2 Reading', '1 Attendance']);
    expect((await findPriority(database.db, schoolId, attendance.id))?.retiredAt).toBe(
      '2026-01-05T10:00:00.000Z',
    );
  });

  it('never changes another school’s priority', async () => {
    const theirs = await add('Theirs', 2025, otherSchoolId);

    expect(await findPriority(database.db, schoolId, theirs.id)).toBeUndefined();
    await expect(
      updatePriority(database.db, schoolId, theirs.id, { title: 'Taken', description: '' }),
    ).rejects.toThrow(
      `Improvement priority ${theirs.id} does not exist in organisation ${schoolId}`,
    );
    await expect(
      retirePriority(database.db, schoolId, theirs.id, '2026-01-05T10:00:00.000Z'),
    ).rejects.toThrow('does not exist');
    expect(await findPriority(database.db, otherSchoolId, theirs.id)).toMatchObject({
      title: 'Theirs',
      retiredAt: null,
    });
  });

  it('updates title and description', async () => {
    const attendance = await add('Attendance');

    await updatePriority(database.db, schoolId, attendance.id, {
      title: 'Attendance of every group',
      description: '95% or more',
    });

    expect(await findPriority(database.db, schoolId, attendance.id)).toMatchObject({
      title: 'Attendance of every group',
      description: '95% or more',
      position: 1,
    });
  });
});
