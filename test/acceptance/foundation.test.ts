import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GroupComparison } from '../../src/cycle/understand/gap-analysis.js';
import { computeSchoolGaps } from '../../src/cycle/understand/gap-service.js';
import type { Database } from '../../src/platform/db/schema.js';
import { createSchool, type School } from '../../src/platform/organisations/organisation-store.js';
import {
  commitImport,
  ImportRejectedError,
  previewImport,
} from '../../src/pupils/import-service.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../helpers/databases.js';

// The acceptance files are public synthetic data kept beside the repository, not inside it.
const ACCEPTANCE = fileURLToPath(
  new URL('../../../shared/acceptance/foundation/', import.meta.url),
);
const present = existsSync(`${ACCEPTANCE}brookfield-ctf25.xml`);
if (!present) console.warn(`Acceptance files not found in ${ACCEPTANCE}: these tests are skipped`);

const LIMITS = { maxBytes: 20 * 1024 * 1024 };

interface ExpectedProportion {
  rate: number;
  rate_rest: number;
  gap: number;
  ci_low: number;
  ci_high: number;
}
interface ExpectedMean {
  mean: number;
  mean_rest: number;
  gap: number;
  ci_low: number;
  ci_high: number;
}
interface ExpectedGroup {
  group: string;
  n: number;
  n_rest: number;
  suppressed?: boolean;
  overall_absence_rate?: number;
  overall_absence_rate_rest?: number;
  persistent_absence?: ExpectedProportion;
  severe_absence_count?: number;
  ks2_read?: ExpectedMean;
  ks2_mat?: ExpectedMean;
}

const MEASURES = {
  reading: 'assessment:KS2/ENG/RD/TT/SS',
  maths: 'assessment:KS2/MAT/MAT/TT/SS',
};

function readAcceptance(name: string): Buffer {
  return readFileSync(`${ACCEPTANCE}${name}`);
}

async function countRows(database: TestDatabase): Promise<Record<string, number>> {
  const tables: Array<keyof Database> = [
    'organisations',
    'imports',
    'pupils',
    'pupil_years',
    'fsm_periods',
    'attendance',
    'exclusions',
    'assessment_results',
    'pupil_changes',
  ];
  const counts: Record<string, number> = {};
  for (const table of tables) {
    const row = await database.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('rows'))
      .executeTakeFirstOrThrow();
    counts[table] = Number(row.rows);
  }
  return counts;
}

function measureOf(group: GroupComparison, key: string) {
  const measure = group.measures.find((candidate) => candidate.measure === key);
  if (!measure) throw new Error(`Measure ${key} missing from group ${group.group}`);
  return measure;
}

describe.skipIf(!present).each(DIALECTS)('foundation acceptance on %s', (dialect) => {
  let database: TestDatabase;
  let school: School;

  beforeEach(async () => {
    database = await createTestDatabase(dialect);
    school = await createSchool(database.db, { laestab: '8014001', name: 'Brookfield Academy' });
  });

  afterEach(async () => {
    await database.destroy();
  });

  async function importBrookfield(
    content = readAcceptance('brookfield-ctf25.xml'),
    confirmOtherSchool = false,
  ) {
    const preview = await previewImport(
      database.db,
      { organisationId: school.id, fileName: 'brookfield-ctf25.xml', content },
      LIMITS,
    );
    if (preview.importId === null) throw new Error('Brookfield file could not be read');
    await commitImport(database.db, school.id, preview.importId, { confirmOtherSchool }, LIMITS);
    return preview;
  }

  it('previews the Brookfield CTF', async () => {
    const preview = await previewImport(
      database.db,
      {
        organisationId: school.id,
        fileName: 'brookfield-ctf25.xml',
        content: readAcceptance('brookfield-ctf25.xml'),
      },
      LIMITS,
    );

    expect(preview.counts.errors).toBe(0);
    expect(preview.counts.pupils).toBe(60);
    expect(preview.counts.newPupils).toBe(60);
    expect(preview.ctfVersion).toBe('25.0');
    expect(preview.academicYear).toBe(2024);
    expect(preview.canCommit).toBe(true);
    expect((await countRows(database)).pupils).toBe(0);
  });

  it('gives the expected group figures', async () => {
    const expected = JSON.parse(readAcceptance('brookfield-expected.json').toString('utf8')) as {
      pupils: number;
      groups: ExpectedGroup[];
    };
    await importBrookfield();

    const analysis = await computeSchoolGaps(database.db, school.id, 2024);

    expect(analysis.pupils).toBe(expected.pupils);
    for (const want of expected.groups) {
      const got = analysis.groups.find((group) => group.group === want.group);
      expect(got, want.group).toBeDefined();
      if (!got) continue;
      expect([got.n, got.nRest], want.group).toEqual([want.n, want.n_rest]);
      expect(got.suppressed, want.group).toBe(want.suppressed === true);
      if (want.suppressed) continue;

      const absence = measureOf(got, 'overall_absence_rate');
      expect(absence.value).toBeCloseTo(want.overall_absence_rate as number, 3);
      expect(absence.valueRest).toBeCloseTo(want.overall_absence_rate_rest as number, 3);

      const persistent = measureOf(got, 'persistent_absence');
      const wantPersistent = want.persistent_absence as ExpectedProportion;
      expect(persistent.value).toBeCloseTo(wantPersistent.rate, 3);
      expect(persistent.valueRest).toBeCloseTo(wantPersistent.rate_rest, 3);
      expect(persistent.gap).toBeCloseTo(wantPersistent.gap, 3);
      expect(persistent.ciLow).toBeCloseTo(wantPersistent.ci_low, 3);
      expect(persistent.ciHigh).toBeCloseTo(wantPersistent.ci_high, 3);

      expect(measureOf(got, 'severe_absence').count).toBe(want.severe_absence_count);

      for (const [key, wantMean] of [
        [MEASURES.reading, want.ks2_read],
        [MEASURES.maths, want.ks2_mat],
      ] as const) {
        const mean = measureOf(got, key);
        const wanted = wantMean as ExpectedMean;
        expect(mean.value, `${want.group} ${key}`).toBeCloseTo(wanted.mean, 3);
        expect(mean.valueRest).toBeCloseTo(wanted.mean_rest, 3);
        expect(mean.gap).toBeCloseTo(wanted.gap, 3);
        expect(mean.ciLow).toBeCloseTo(wanted.ci_low, 3);
        expect(mean.ciHigh).toBeCloseTo(wanted.ci_high, 3);
      }
    }
  });

  it('keeps values a partial CSV does not carry', async () => {
    await importBrookfield();
    const before = await computeSchoolGaps(database.db, school.id, 2024);
    const firstPupils = await database.db
      .selectFrom('pupil_years')
      .innerJoin('pupils', 'pupils.id', 'pupil_years.pupil_id')
      .select(['pupils.upn', 'pupil_years.legal_surname', 'pupil_years.legal_forename'])
      .orderBy('pupils.id')
      .limit(3)
      .execute();
    const csv = [
      'UPN,Legal Surname,Legal Forename',
      ...firstPupils.map((row) => `${row.upn},${row.legal_surname}-Smith,${row.legal_forename}`),
    ].join('\r\n');

    const preview = await previewImport(
      database.db,
      {
        organisationId: school.id,
        fileName: 'names.csv',
        content: Buffer.from(csv),
        academicYear: 2024,
      },
      LIMITS,
    );
    await commitImport(
      database.db,
      school.id,
      preview.importId as number,
      { confirmOtherSchool: false },
      LIMITS,
    );

    expect(preview.counts.changedPupils).toBe(3);
    expect(preview.changedPupils[0]?.changes.map((change) => change.field)).toEqual([
      'Legal surname',
    ]);
    const after = await computeSchoolGaps(database.db, school.id, 2024);
    expect(after.groups).toEqual(before.groups);
  });

  it('changes nothing when the same file is imported again', async () => {
    await importBrookfield();
    const before = await countRows(database);

    const again = await importBrookfield();

    expect(again.counts.newPupils).toBe(0);
    expect(again.counts.unchangedPupils).toBe(60);
    const after = await countRows(database);
    expect({ ...after, imports: before.imports }).toEqual(before);
    expect(after.imports).toBe((before.imports ?? 0) + 1);
  });

  it.each([
    ['empty.xml', /empty \(0 bytes\)/],
    ['truncated.xml', /ends before it is complete/],
    ['xxe-external-entity.xml', /DOCTYPE declaration, which is not allowed/],
    ['entity-expansion.xml', /DOCTYPE declaration, which is not allowed/],
  ])('rejects %s and changes nothing', async (name, message) => {
    const before = await countRows(database);

    const preview = await previewImport(
      database.db,
      { organisationId: school.id, fileName: name, content: readAcceptance(name) },
      LIMITS,
    );

    expect(preview.canCommit).toBe(false);
    expect(preview.counts.errors).toBeGreaterThan(0);
    expect(preview.problems[0]?.message).toMatch(message);
    expect(JSON.stringify(preview)).not.toContain('root:');
    expect(await countRows(database)).toEqual(before);
  });

  it.each([
    ['invalid UPN', 'Z801200001001', '320', '300', /check letter/i],
    ['attended above possible', 'H801200001001', '300', '320', /attended/i],
  ])('refuses a CSV with an %s', async (_case, upn, possible, attended, message) => {
    const csv = [
      'UPN,Legal Surname,Legal Forename,DOB,Gender,Year,Possible Sessions,Attended,Authorised Absence,Unauthorised Absence',
      `${upn},Example,Pupil,05/09/2012,F,7,${possible},${attended},0,0`,
      'B801200005001,Sample,Other,14/02/2013,M,7,320,300,10,10',
    ].join('\r\n');
    const before = await countRows(database);

    const preview = await previewImport(
      database.db,
      {
        organisationId: school.id,
        fileName: 'pupils.csv',
        content: Buffer.from(csv, 'utf8'),
        academicYear: 2024,
      },
      LIMITS,
    );
    const commit = commitImport(
      database.db,
      school.id,
      preview.importId as number,
      { confirmOtherSchool: false },
      LIMITS,
    );

    expect(preview.canCommit).toBe(false);
    expect(preview.problems.map((problem) => problem.message).join('\n')).toMatch(message);
    await expect(commit).rejects.toThrow(/correct the file/);
    const after = await countRows(database);
    expect({ ...after, imports: before.imports }).toEqual(before);
  });

  it('asks before loading another school’s pupils', async () => {
    const elsewhere = readAcceptance('brookfield-ctf25.xml')
      .toString('utf8')
      .replace(
        /<SourceSchool>\s*<LEA>801<\/LEA>\s*<Estab>4001<\/Estab>/,
        '<SourceSchool><LEA>802</LEA><Estab>5001</Estab>',
      )
      .replace(
        /<DestSchool>\s*<LEA>801<\/LEA>\s*<Estab>4001<\/Estab>/,
        '<DestSchool><LEA>802</LEA><Estab>5002</Estab>',
      );
    const content = Buffer.from(elsewhere, 'utf8');

    const refused = importBrookfield(content, false);

    await expect(refused).rejects.toBeInstanceOf(ImportRejectedError);
    expect((await countRows(database)).pupils).toBe(0);
    await importBrookfield(content, true);
    expect((await countRows(database)).pupils).toBe(60);
  });

  it('commits a preview only once', async () => {
    const preview = await previewImport(
      database.db,
      {
        organisationId: school.id,
        fileName: 'brookfield-ctf25.xml',
        content: readAcceptance('brookfield-ctf25.xml'),
      },
      LIMITS,
    );
    const importId = preview.importId as number;
    await commitImport(database.db, school.id, importId, { confirmOtherSchool: false }, LIMITS);

    const second = commitImport(
      database.db,
      school.id,
      importId,
      { confirmOtherSchool: false },
      LIMITS,
    );

    await expect(second).rejects.toThrow(/already been committed/);
  });

  it('hides one school’s import from another', async () => {
    const other = await createSchool(database.db, { laestab: '8014002', name: 'Other School' });
    const preview = await previewImport(
      database.db,
      {
        organisationId: school.id,
        fileName: 'brookfield-ctf25.xml',
        content: readAcceptance('brookfield-ctf25.xml'),
      },
      LIMITS,
    );

    const attempt = commitImport(
      database.db,
      other.id,
      preview.importId as number,
      { confirmOtherSchool: true },
      LIMITS,
    );

    await expect(attempt).rejects.toThrow(/not found/);
    expect((await countRows(database)).pupils).toBe(0);
  });
});
