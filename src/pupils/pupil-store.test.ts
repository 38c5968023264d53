import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../../test/helpers/databases.js';
import { loadAnalysisPupils } from '../cycle/understand/analysis-store.js';
import {
  createSchool,
  SchoolInputError,
  type School,
} from '../platform/organisations/organisation-store.js';
import { planImport } from './import-plan.js';
import { insertImport } from './import-store.js';
import type { ImportedPupil } from './model.js';
import { applyImportPlan, loadStoredState } from './pupil-store.js';

function pupil(upn: string, overrides: Partial<ImportedPupil> = {}): ImportedPupil {
  return {
    upn,
    upnTemporary: false,
    legalSurname: 'Example',
    legalForename: 'Pupil',
    preferredSurname: null,
    preferredForename: null,
    dateOfBirth: '2012-05-01',
    sex: 'F',
    ncYear: '7',
    ethnicity: 'WBRI',
    firstLanguage: 'ENG',
    eal: null,
    senProvision: 'N',
    inCare: false,
    previouslyLookedAfter: null,
    serviceChild: null,
    fsmPeriods: [{ start: '2020-09-01', end: null }],
    reported: { fsmNow: null, ever6Fsm: null, pupilPremium: null },
    attendance: [
      {
        academicYear: 2024,
        period: 'autumn',
        schoolLaestab: null,
        possible: 140,
        attended: 130,
        authorised: 6,
        unauthorised: 4,
      },
    ],
    exclusions: [],
    results: [
      {
        stage: 'KS2',
        subject: 'ENG',
        component: 'RD',
        method: 'TT',
        qualifier: 'SS',
        result: '104',
        resultDate: '2023-07-05',
        year: 2022,
      },
    ],
    location: 'row 2',
    ...overrides,
  };
}

async function importPupils(
  database: TestDatabase,
  school: School,
  pupils: ImportedPupil[],
  academicYear = 2024,
): Promise<number> {
  const importId = await insertImport(database.db, {
    organisationId: school.id,
    fileName: 'pupils.csv',
    format: 'csv',
    academicYear,
    ctfVersion: null,
    content: Buffer.from('test'),
    options: { academicYear },
    summary: {
      pupils: 0,
      newPupils: 0,
      changedPupils: 0,
      unchangedPupils: 0,
      attendanceRecords: 0,
      exclusions: 0,
      results: 0,
    },
    errorCount: 0,
    warningCount: 0,
  });
  const stored = await loadStoredState(database.db, school.id, academicYear);
  const plan = planImport(stored, pupils, school.laestab);
  await database.db
    .transaction()
    .execute((trx) =>
      applyImportPlan(
        trx,
        { organisationId: school.id, importId, academicYear, characteristicsIncluded: true },
        plan,
      ),
    );
  return importId;
}

describe.each(DIALECTS)('pupil store on %s', (dialect) => {
  let database: TestDatabase;
  let school: School;

  beforeEach(async () => {
    database = await createTestDatabase(dialect);
    school = await createSchool(database.db, {
      laestab: '8014001',
      name: 'Brookfield Academy',
      urn: '100001',
    });
  });

  afterEach(async () => {
    await database.destroy();
  });

  it('rejects a second school with the same LAESTAB', async () => {
    const attempt = createSchool(database.db, { laestab: '8014001', name: 'Copy' });

    await expect(attempt).rejects.toBeInstanceOf(SchoolInputError);
    await expect(attempt).rejects.toThrow(/already exists/);
  });

  it('rejects an invalid LAESTAB', async () => {
    await expect(createSchool(database.db, { laestab: '801-4001', name: 'X' })).rejects.toThrow(
      /LAESTAB "801-4001" is invalid/,
    );
  });

  it('saves new pupils with their records', async () => {
    await importPupils(database, school, [
      pupil('H801200001001'),
      pupil('B801200005001', { sex: 'M' }),
    ]);

    const loaded = await loadAnalysisPupils(database.db, school.id, school.laestab, 2024);

    expect(loaded).toHaveLength(2);
    expect(loaded[0]?.attendance).toEqual([
      {
        academicYear: 2024,
        period: 'autumn',
        schoolLaestab: '8014001',
        possible: 140,
        attended: 130,
        authorised: 6,
        unauthorised: 4,
      },
    ]);
    expect(loaded[0]?.fsmPeriods).toEqual([{ start: '2020-09-01', end: null }]);
    expect(loaded[0]?.results[0]?.result).toBe('104');
    expect(loaded.map((row) => row.sex).sort()).toEqual(['F', 'M']);
  });

  it('keeps earlier terms and records changes on re-import', async () => {
    await importPupils(database, school, [pupil('H801200001001')]);
    const spring = {
      academicYear: 2024,
      period: 'spring' as const,
      schoolLaestab: null,
      possible: 120,
      attended: 100,
      authorised: 10,
      unauthorised: 10,
    };

    const secondImport = await importPupils(database, school, [
      pupil('H801200001001', {
        legalSurname: "O'Brien",
        attendance: [spring],
        fsmPeriods: [{ start: '2020-09-01', end: '2024-12-31' }],
      }),
    ]);

    const [loaded] = await loadAnalysisPupils(database.db, school.id, school.laestab, 2024);
    expect(loaded?.attendance.map((record) => record.period).sort()).toEqual(['autumn', 'spring']);
    expect(loaded?.fsmPeriods).toEqual([{ start: '2020-09-01', end: '2024-12-31' }]);
    const changes = await database.db
      .selectFrom('pupil_changes')
      .select(['field', 'old_value', 'new_value', 'import_id'])
      .where('organisation_id', '=', school.id)
      .orderBy('field')
      .execute();
    expect(changes).toEqual([
      {
        field: 'FSM period from 2020-09-01: end date',
        old_value: null,
        new_value: '2024-12-31',
        import_id: secondImport,
      },
      {
        field: 'Legal surname',
        old_value: 'Example',
        new_value: "O'Brien",
        import_id: secondImport,
      },
    ]);
  });

  it('keeps each academic year apart', async () => {
    await importPupils(database, school, [pupil('H801200001001', { ncYear: '7' })], 2024);
    await importPupils(
      database,
      school,
      [pupil('H801200001001', { ncYear: '8', attendance: [] })],
      2025,
    );

    const earlier = await loadAnalysisPupils(database.db, school.id, school.laestab, 2024);
    const later = await loadAnalysisPupils(database.db, school.id, school.laestab, 2025);

    expect(earlier[0]?.ncYear).toBe('7');
    expect(later[0]?.ncYear).toBe('8');
    expect(earlier[0]?.attendance).toHaveLength(1);
    expect(later[0]?.attendance).toHaveLength(0);
  });

  it('rolls back every pupil when one fails', async () => {
    const suspension = {
      academicYear: 2024,
      kind: 'suspension' as const,
      startDate: '2024-11-04',
      sessionsLost: 2,
      reason: null,
    };
    const duplicated = pupil('B801200005001', { exclusions: [suspension, suspension] });

    const attempt = importPupils(database, school, [pupil('H801200001001'), duplicated]);

    await expect(attempt).rejects.toThrow();
    const pupils = await database.db.selectFrom('pupils').select('id').execute();
    const years = await database.db.selectFrom('pupil_years').select('id').execute();
    expect(pupils).toHaveLength(0);
    expect(years).toHaveLength(0);
  });

  it('scopes analysis pupils to their school', async () => {
    const other = await createSchool(database.db, { laestab: '8014002', name: 'Other School' });
    await importPupils(database, school, [pupil('H801200001001')]);
    await importPupils(database, other, [pupil('B801200005001'), pupil('H801200001001')]);

    const ours = await loadAnalysisPupils(database.db, school.id, school.laestab, 2024);
    const theirs = await loadAnalysisPupils(database.db, other.id, other.laestab, 2024);

    expect(ours).toHaveLength(1);
    expect(theirs).toHaveLength(2);
  });
});
