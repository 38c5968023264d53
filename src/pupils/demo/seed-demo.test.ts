import { afterEach, describe, expect, it } from 'vitest';
import {
  createTestDatabase,
  DIALECTS,
  type TestDatabase,
} from '../../../test/helpers/databases.js';
import { computeSchoolGaps } from '../../cycle/understand/gap-service.js';
import {
  createSchool,
  countPupilsByYear,
} from '../../platform/organisations/organisation-store.js';
import {
  DEMO_SCHOOL,
  lastCompleteAcademicYear,
  seedDemoIfEmpty,
  seedDemoSchool,
} from './seed-demo.js';

const TODAY = new Date('2026-12-04T12:00:00Z');

describe('lastCompleteAcademicYear', () => {
  it.each([
    ['2026-12-04', 2025],
    ['2026-09-01', 2025],
    ['2026-08-31', 2024],
    ['2027-01-15', 2025],
  ])('on %s is %i', (day, expected) => {
    expect(lastCompleteAcademicYear(new Date(`${day}T12:00:00Z`))).toBe(expected);
  });
});

describe.each(DIALECTS)('seedDemoIfEmpty on %s', (dialect) => {
  let database: TestDatabase | undefined;

  afterEach(async () => {
    await database?.destroy();
    database = undefined;
  });

  it('loads demo into empty database', async () => {
    database = await createTestDatabase(dialect);

    const result = await seedDemoIfEmpty(database.db, undefined, TODAY);

    expect(result).not.toBeNull();
    expect(result!.school.laestab).toBe(DEMO_SCHOOL.laestab);
    expect(result!.academicYear).toBe(2025);
    expect(result!.pupilImport.counts.newPupils).toBe(DEMO_SCHOOL.pupils);
    expect(result!.exclusionImport.counts.exclusions).toBeGreaterThan(50);
    expect(await countPupilsByYear(database.db, result!.school.id)).toEqual([
      { academicYear: 2025, pupils: DEMO_SCHOOL.pupils },
    ]);
    const imports = await database.db
      .selectFrom('imports')
      .select(['status', 'error_count'])
      .orderBy('id')
      .execute();
    expect(imports).toEqual([
      { status: 'committed', error_count: 0 },
      { status: 'committed', error_count: 0 },
    ]);
  });

  it('analysis shows disadvantage gap', async () => {
    database = await createTestDatabase(dialect);
    const result = await seedDemoIfEmpty(database.db, undefined, TODAY);

    const analysis = await computeSchoolGaps(database.db, result!.school.id, result!.academicYear);
    const disadvantaged = analysis.groups.find((group) => group.group === 'disadvantaged');
    const measure = (key: string) =>
      disadvantaged?.measures.find((candidate) => candidate.measure === key);

    expect(disadvantaged?.suppressed).toBe(false);
    expect(measure('overall_absence_rate')?.gap).toBeGreaterThan(0.02);
    expect(measure('suspension')?.gap).toBeGreaterThan(0);
    expect(measure('assessment:KS2/ENG/RD/TT/SS')?.gap).toBeLessThan(-1);
  });

  it('skips database with a school', async () => {
    database = await createTestDatabase(dialect);
    await createSchool(database.db, { laestab: '8014001', name: 'Brookfield Academy' });

    expect(await seedDemoIfEmpty(database.db, undefined, TODAY)).toBeNull();
    const schools = await database.db.selectFrom('organisations').select('laestab').execute();
    expect(schools).toEqual([{ laestab: '8014001' }]);
  });

  it('rejects a second demo school', async () => {
    database = await createTestDatabase(dialect);
    await seedDemoSchool(database.db, undefined, TODAY);

    await expect(seedDemoSchool(database.db, undefined, TODAY)).rejects.toThrow(/already exists/);
  });
});
