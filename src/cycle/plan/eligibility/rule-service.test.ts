import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createTestDatabase,
  DIALECTS,
  type TestDatabase,
} from '../../../../test/helpers/databases.js';
import type { DialectName } from '../../../platform/db/database.js';
import { createSchool, type School } from '../../../platform/organisations/organisation-store.js';
import { planImport } from '../../../pupils/import-plan.js';
import { insertImport } from '../../../pupils/import-store.js';
import type { AttendanceRecord, ImportedPupil } from '../../../pupils/model.js';
import { applyImportPlan, loadStoredState } from '../../../pupils/pupil-store.js';
import { computeUpnCheckLetter } from '../../../pupils/upn.js';
import { parseRule } from './rule-language.js';
import { evaluateRuleForSchool } from './rule-service.js';

const YEAR = 2024;
const LAESTAB = '8014001';

function upn(index: number): string {
  const body = `801400120${String(index).padStart(3, '0')}`;
  return `${computeUpnCheckLetter(body)}${body}`;
}

function attendance(
  possible: number,
  attended: number,
  missed: number,
  changes: Partial<AttendanceRecord> = {},
): AttendanceRecord {
  return {
    academicYear: YEAR,
    period: 'year',
    schoolLaestab: LAESTAB,
    possible,
    attended,
    authorised: missed,
    unauthorised: 0,
    ...changes,
  };
}

function pupil(index: number, changes: Partial<ImportedPupil> = {}): ImportedPupil {
  return {
    upn: upn(index),
    upnTemporary: false,
    legalSurname: `Pupil${index}`,
    legalForename: 'Test',
    preferredSurname: null,
    preferredForename: null,
    dateOfBirth: '2012-05-01',
    sex: 'F',
    ncYear: '9',
    ethnicity: 'WBRI',
    firstLanguage: 'ENG',
    eal: null,
    senProvision: 'N',
    inCare: false,
    previouslyLookedAfter: false,
    serviceChild: false,
    fsmPeriods: [],
    reported: { fsmNow: null, ever6Fsm: null, pupilPremium: null },
    attendance: [],
    exclusions: [],
    results: [],
    location: `row ${index + 1}`,
    ...changes,
  };
}

function ks2Maths(score: string) {
  return {
    stage: 'KS2',
    subject: 'MAT',
    component: 'MAT',
    method: 'TT',
    qualifier: 'SS',
    result: score,
    resultDate: '2023-07-05',
    year: 2022,
  };
}

/**
 * Six pupils whose selections are known by construction; the comment on each gives the facts
 * that decide them. Census day for 2024/25 is 16 January 2025.
 */
const PUPILS: ImportedPupil[] = [
  // 1: female, year 9, FSM since 2023 (disadvantaged), missed exactly 10% (attended exactly
  // 90%), KS2 maths 95, two suspensions.
  pupil(1, {
    fsmPeriods: [{ start: '2023-09-04', end: null }],
    attendance: [attendance(300, 270, 30)],
    results: [ks2Maths('95')],
    exclusions: [
      {
        academicYear: YEAR,
        kind: 'suspension',
        startDate: '2024-10-01',
        sessionsLost: 2,
        reason: null,
      },
      {
        academicYear: YEAR,
        kind: 'suspension',
        startDate: '2025-02-03',
        sessionsLost: 4,
        reason: null,
      },
    ],
  }),
  // 2: male, year 10, Pakistani (Asian), Urdu first language (EAL), SEN support, missed 10 of
  // 300, KS2 maths 108.
  pupil(2, {
    sex: 'M',
    ncYear: '10',
    ethnicity: 'APKN',
    firstLanguage: 'URD',
    senProvision: 'K',
    attendance: [attendance(300, 290, 10)],
    results: [ks2Maths('108')],
  }),
  // 3: male, reception, ethnicity refused (unclassified), EHC plan, looked after, no attendance.
  pupil(3, { sex: 'M', ncYear: 'R', ethnicity: 'REFU', senProvision: 'E', inCare: true }),
  // 4: female, year 9, previously looked after; attendance only at another school, which this
  // school's figures leave out.
  pupil(4, {
    previouslyLookedAfter: true,
    attendance: [attendance(150, 100, 50, { schoolLaestab: '8019999' })],
  }),
  // 5: female, year 13, Black Caribbean, missed 100 of 200 (exactly 50%).
  pupil(5, { ncYear: '13', ethnicity: 'BCRB', attendance: [attendance(200, 100, 100)] }),
  // 6: male, year 7, term rows only: 50 + 50 possible, 3 + 2 missed (5%).
  pupil(6, {
    sex: 'M',
    ncYear: '7',
    attendance: [
      attendance(50, 47, 3, { period: 'autumn' }),
      attendance(50, 48, 2, { period: 'spring' }),
    ],
  }),
];

/** Each rule with the pupils (by their number above) it must select. */
const EXPECTED: ReadonlyArray<readonly [string, readonly number[]]> = [
  ['disadvantaged', [1, 3, 4]],
  ['persistent_absence', [1, 5]],
  ['absence >= 10%', [1, 5]],
  ['attendance < 90%', [5]],
  ['not attendance < 90%', [1, 2, 6]],
  ['severe_absence or looked_after', [3, 5]],
  ['year in (9, 10) and sex = female', [1, 4]],
  ['ks2_maths < 100 or eal', [1, 2]],
  ['suspensions >= 2', [1]],
  ['ethnicity = asian or ethnicity = unclassified', [2, 3]],
  ['sen and not year = R', [2]],
  ['year >= 10 or year < 1', [2, 3, 5]],
];

async function importPupils(db: TestDatabase['db'], school: School, pupils: ImportedPupil[]) {
  const importId = await insertImport(db, {
    organisationId: school.id,
    fileName: 'pupils.xml',
    format: 'ctf',
    academicYear: YEAR,
    ctfVersion: '25.0',
    content: Buffer.from('test'),
    options: { academicYear: YEAR },
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
  const stored = await loadStoredState(db, school.id, YEAR);
  const plan = planImport(stored, pupils, school.laestab);
  await db
    .transaction()
    .execute((trx) =>
      applyImportPlan(
        trx,
        { organisationId: school.id, importId, academicYear: YEAR, characteristicsIncluded: true },
        plan,
      ),
    );
}

/** Returns the number in `PUPILS` of each selected pupil, through its UPN. */
async function pupilNumbers(db: TestDatabase['db'], pupilIds: number[]): Promise<number[]> {
  if (pupilIds.length === 0) return [];
  const rows = await db
    .selectFrom('pupils')
    .select(['id', 'upn'])
    .where('id', 'in', pupilIds)
    .execute();
  const numberByUpn = new Map(PUPILS.map((item, index) => [item.upn, index + 1]));
  return rows.map((row) => numberByUpn.get(row.upn) ?? -1).sort((a, b) => a - b);
}

function treeOf(text: string) {
  const parsed = parseRule(text);
  if (!parsed.ok) throw new Error(`${text}: ${parsed.error.message}`);
  return parsed.tree;
}

async function selectionsOn(dialect: DialectName): Promise<Record<string, number[]>> {
  const database = await createTestDatabase(dialect);
  try {
    const school = await createSchool(database.db, {
      laestab: LAESTAB,
      name: 'Brookfield Academy',
    });
    await importPupils(database.db, school, PUPILS);
    const selections: Record<string, number[]> = {};
    for (const [text] of EXPECTED) {
      const { pupilIds } = await evaluateRuleForSchool(database.db, school.id, YEAR, treeOf(text));
      selections[text] = await pupilNumbers(database.db, pupilIds);
    }
    return selections;
  } finally {
    await database.destroy();
  }
}

describe('evaluateRuleForSchool', () => {
  it('selects the same pupils on SQLite and PostgreSQL', async () => {
    const [sqlite, postgres] = await Promise.all(DIALECTS.map(selectionsOn));

    expect(sqlite).toEqual(Object.fromEntries(EXPECTED));
    expect(postgres).toEqual(sqlite);
  });
});

describe.each(DIALECTS)('evaluateRuleForSchool on %s', (dialect) => {
  let database: TestDatabase;
  let school: School;
  let otherSchool: School;

  beforeEach(async () => {
    database = await createTestDatabase(dialect);
    school = await createSchool(database.db, { laestab: LAESTAB, name: 'Brookfield Academy' });
    otherSchool = await createSchool(database.db, { laestab: '8014002', name: 'Riverside School' });
    await importPupils(database.db, school, PUPILS);
  });

  afterEach(async () => {
    await database.destroy();
  });

  it('returns ascending ids and a summary', async () => {
    const { pupilIds, summary } = await evaluateRuleForSchool(
      database.db,
      school.id,
      YEAR,
      treeOf('not looked_after'),
    );

    expect(pupilIds).toEqual([...pupilIds].sort((a, b) => a - b));
    expect(await pupilNumbers(database.db, pupilIds)).toEqual([1, 2, 4, 5, 6]);
    expect(summary).toMatchObject({ selected: 5, pupils: 6, withheld: false });
  });

  it('passes interventions to the rule', async () => {
    const { pupilIds: all } = await evaluateRuleForSchool(
      database.db,
      school.id,
      YEAR,
      treeOf('interventions = 0'),
    );
    const [first, second] = all;
    const memberships = new Map([
      [first ?? 0, ['Mentoring']],
      [second ?? 0, ['mentoring', 'Reading catch-up']],
    ]);

    const { pupilIds, summary } = await evaluateRuleForSchool(
      database.db,
      school.id,
      YEAR,
      treeOf('in intervention "Mentoring" or interventions >= 2'),
      memberships,
    );

    expect(pupilIds).toEqual([first, second]);
    expect(summary.selected).toBe(2);
  });

  it('selects only the school’s own pupils', async () => {
    await importPupils(database.db, otherSchool, [pupil(7), pupil(8)]);

    const own = await evaluateRuleForSchool(database.db, school.id, YEAR, treeOf('year = 9'));
    const other = await evaluateRuleForSchool(
      database.db,
      otherSchool.id,
      YEAR,
      treeOf('year = 9'),
    );

    expect(await pupilNumbers(database.db, own.pupilIds)).toEqual([1, 4]);
    expect(own.summary.pupils).toBe(6);
    expect(other.pupilIds).toHaveLength(2);
    expect(other.pupilIds.some((id) => own.pupilIds.includes(id))).toBe(false);
  });

  it('selects nobody in a year with no pupils', async () => {
    const { pupilIds, summary } = await evaluateRuleForSchool(
      database.db,
      school.id,
      2023,
      treeOf('not disadvantaged'),
    );

    expect(pupilIds).toEqual([]);
    expect(summary.pupils).toBe(0);
  });

  it('rejects a school that does not exist', async () => {
    await expect(evaluateRuleForSchool(database.db, 999_999, YEAR, treeOf('eal'))).rejects.toThrow(
      'School 999999 does not exist',
    );
  });
});
