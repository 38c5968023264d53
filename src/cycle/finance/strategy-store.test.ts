import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createTestDatabase,
  DIALECTS,
  type TestDatabase,
} from '../../../test/helpers/databases.js';
import { addPlanVersion, createPlanRow } from '../../../test/helpers/plans.js';
import { insertImportRow, insertPupilRow } from '../../../test/helpers/pupil-rows.js';
import type { Database } from '../../platform/db/schema.js';
import { createSchool, findSchoolById } from '../../platform/organisations/organisation-store.js';
import { addOutcome, listVersions } from '../plan/plan-store.js';
import { addEvidence } from '../understand/need-evidence-store.js';
import { addNeedBarriers } from '../understand/need-barrier-store.js';
import { addFundingLine } from './funding-store.js';
import type { FundingLine } from './funding.js';
import { loadStrategyRoll, loadStrategySources } from './strategy-sources.js';
import type { StrategyInputs } from './strategy-statement.js';
import {
  findStrategyInputs,
  listPlanTiers,
  loadStrategyNeeds,
  loadStrategyPlans,
  saveStrategyInputs,
} from './strategy-store.js';
import type { Kysely } from 'kysely';

const INPUTS: StrategyInputs = {
  statementOfIntent: 'Every pupil reads fluently by year 8.',
  authorisedBy: 'Mrs K Shah, headteacher',
  pupilPremiumLead: 'Mr J Okafor',
  governorLead: 'Dr R Evans',
  publishedOn: '2025-12-15',
  nextReviewOn: '2026-07-20',
  carriedForwardPence: 1_250_050,
};

function premiumLine(amountPence: number, financialYear: number | null): FundingLine {
  return {
    source: 'pupil_premium',
    funder: '',
    amountPence,
    status: 'secured',
    financialYear,
    expectedDate: null,
    note: '',
  };
}

async function needOf(db: Kysely<Database>, planId: number): Promise<number> {
  const row = await db
    .selectFrom('plans')
    .select('need_id')
    .where('id', '=', planId)
    .executeTakeFirstOrThrow();
  return row.need_id;
}

describe.each(DIALECTS)('strategy store on %s', (dialect) => {
  let database: TestDatabase;
  let schoolId: number;
  let otherSchoolId: number;
  let planId: number;
  let otherPlanId: number;

  beforeEach(async () => {
    database = await createTestDatabase(dialect);
    schoolId = (await createSchool(database.db, { laestab: '8014001', name: 'Brookfield' })).id;
    otherSchoolId = (await createSchool(database.db, { laestab: '8014002', name: 'Riverside' })).id;
    planId = await createPlanRow(database.db, schoolId, { title: 'Mentoring' });
    otherPlanId = await createPlanRow(database.db, otherSchoolId, { title: 'Tutoring' });
  });

  afterEach(async () => {
    await database.destroy();
  });

  it('saves a year’s inputs', async () => {
    const changes = await saveStrategyInputs(
      database.db,
      schoolId,
      2025,
      INPUTS,
      [{ planId, tier: 'wider_strategies' }],
      null,
    );

    expect(await findStrategyInputs(database.db, schoolId, 2025)).toMatchObject(INPUTS);
    expect(await findStrategyInputs(database.db, schoolId, 2026)).toBeUndefined();
    expect(await listPlanTiers(database.db, schoolId)).toEqual(
      new Map([[planId, 'wider_strategies']]),
    );
    expect(changes).toEqual({
      fields: [
        'statementOfIntent',
        'authorisedBy',
        'pupilPremiumLead',
        'governorLead',
        'publishedOn',
        'nextReviewOn',
        'carriedForwardPence',
      ],
      carriedForward: { fromPence: null, toPence: 1_250_050 },
      tiers: [{ planId, from: null, to: 'wider_strategies' }],
    });
  });

  it('replaces saved inputs', async () => {
    const secondPlanId = await createPlanRow(database.db, schoolId, { title: 'Tuition' });
    await saveStrategyInputs(
      database.db,
      schoolId,
      2025,
      INPUTS,
      [
        { planId, tier: 'wider_strategies' },
        { planId: secondPlanId, tier: 'teaching' },
      ],
      null,
    );

    const changes = await saveStrategyInputs(
      database.db,
      schoolId,
      2025,
      { ...INPUTS, carriedForwardPence: 0 },
      [
        { planId, tier: 'wider_strategies' },
        { planId: secondPlanId, tier: 'targeted_support' },
      ],
      null,
    );

    expect(changes).toEqual({
      fields: ['carriedForwardPence'],
      carriedForward: { fromPence: 1_250_050, toPence: 0 },
      tiers: [{ planId: secondPlanId, from: 'teaching', to: 'targeted_support' }],
    });
    expect((await findStrategyInputs(database.db, schoolId, 2025))?.carriedForwardPence).toBe(0);
    expect((await listPlanTiers(database.db, schoolId)).get(secondPlanId)).toBe('targeted_support');
    const rows = await database.db.selectFrom('strategy_statements').selectAll().execute();
    expect(rows).toHaveLength(1);
  });

  it('keeps schools apart', async () => {
    await saveStrategyInputs(
      database.db,
      schoolId,
      2025,
      INPUTS,
      [{ planId, tier: 'teaching' }],
      null,
    );

    expect(await findStrategyInputs(database.db, otherSchoolId, 2025)).toBeUndefined();
    expect(await listPlanTiers(database.db, otherSchoolId)).toEqual(new Map());
  });

  it('rejects another school’s plan', async () => {
    const saving = saveStrategyInputs(
      database.db,
      schoolId,
      2025,
      INPUTS,
      [{ planId: otherPlanId, tier: 'teaching' }],
      null,
    );

    await expect(saving).rejects.toThrow(
      `Plans ${otherPlanId} do not exist in organisation ${schoolId}`,
    );
    expect(await findStrategyInputs(database.db, schoolId, 2025)).toBeUndefined();
    expect(await listPlanTiers(database.db, otherSchoolId)).toEqual(new Map());
  });

  it('loads the approved version of each plan', async () => {
    const { db } = database;
    const [first] = await listVersions(db, schoolId, planId);
    await addOutcome(db, schoolId, first?.id ?? 0, {
      description: 'Better attendance',
      measure: 'attendance_rate',
      questionnaire_name: null,
      audience_rule: null,
      audience_rule_tree: null,
      baseline_value: 88.5,
      baseline_pupils: 34,
      baseline_academic_year: 2024,
      baseline_taken_at: '2025-06-01T10:00:00.000Z',
      target_value: 93,
      target_date: '2026-07-17',
    });
    await addPlanVersion(db, schoolId, planId, 2, { title: 'Mentoring, renamed', status: 'draft' });
    const draftId = await createPlanRow(db, schoolId, { title: 'Draft', status: 'draft' });
    await addFundingLine(db, schoolId, planId, premiumLine(300_000, 2025), null);
    await addFundingLine(db, schoolId, planId, premiumLine(200_050, 2025), null);
    await addFundingLine(db, schoolId, planId, premiumLine(900_000, 2024), null);
    await addFundingLine(
      db,
      schoolId,
      planId,
      { ...premiumLine(50_000, null), source: 'school_budget' },
      null,
    );
    await addFundingLine(db, otherSchoolId, otherPlanId, premiumLine(10_000, 2025), null);
    await saveStrategyInputs(db, schoolId, 2025, INPUTS, [{ planId, tier: 'teaching' }], null);

    const plans = await loadStrategyPlans(db, schoolId, 2025);

    expect(plans).toHaveLength(2);
    expect(plans.find((plan) => plan.id === planId)).toEqual({
      id: planId,
      needId: await needOf(db, planId),
      approvedVersion: 1,
      title: 'Mentoring',
      audienceRule: null,
      startDate: null,
      endDate: null,
      outcomes: [
        {
          description: 'Better attendance',
          measure: 'attendance_rate',
          questionnaireName: null,
          audienceRule: null,
          baselineValue: 88.5,
          baselinePupils: 34,
          baselineAcademicYear: 2024,
          targetValue: 93,
          targetDate: '2026-07-17',
        },
      ],
      premiumLinesPence: [300_000, 200_050],
      tier: 'teaching',
    });
    expect(plans.find((plan) => plan.id === draftId)).toMatchObject({
      approvedVersion: null,
      title: 'Draft',
      outcomes: [],
      premiumLinesPence: [],
      tier: null,
    });
  });

  it('loads needs with barriers and evidence', async () => {
    const { db } = database;
    const needId = await needOf(db, planId);
    const otherNeedId = await needOf(db, otherPlanId);
    await addNeedBarriers(db, schoolId, needId, [
      { label: 'Low attendance', classification: 'internal_external', note: 'Years 8 and 9' },
      { label: 'Low literacy', classification: 'internal', note: '' },
    ]);
    for (const [evidenceDate, summary] of [
      ['2025-01-10', 'Older figures'],
      ['2025-03-02', 'Newer figures'],
    ] as const) {
      await addEvidence(db, schoolId, needId, {
        kind: 'data_analysis',
        evidenceDate,
        summary,
        snapshotId: null,
        file: null,
        createdBy: null,
      });
    }

    const needs = await loadStrategyNeeds(db, schoolId, [needId, needId, otherNeedId]);

    expect(needs).toEqual([
      {
        id: needId,
        title: 'Need behind Mentoring',
        description: '',
        priority: 'high',
        delivery: null,
        barriers: [
          { label: 'Low attendance', classification: 'internal_external', note: 'Years 8 and 9' },
          { label: 'Low literacy', classification: 'internal', note: '' },
        ],
        evidence: [
          { kind: 'data_analysis', summary: 'Newer figures' },
          { kind: 'data_analysis', summary: 'Older figures' },
        ],
      },
    ]);
  });

  it('counts the roll up to the year', async () => {
    const { db } = database;
    const import2024 = await insertImportRow(db, schoolId, 2024);
    const import2026 = await insertImportRow(db, schoolId, 2026);
    const pupils = [
      { upn: 'A801200100001', ncYear: '7', fsmStart: '2023-09-01' },
      { upn: 'A801200100002', ncYear: '8', previouslyLookedAfter: true },
      { upn: 'A801200100003', ncYear: '9', serviceChild: true },
      { upn: 'A801200100004', ncYear: '10' },
    ];
    for (const pupil of pupils) {
      await insertPupilRow(db, schoolId, import2024, { ...pupil, academicYear: 2024 });
    }
    await insertPupilRow(db, schoolId, import2026, {
      upn: 'A801200100005',
      ncYear: '7',
      academicYear: 2026,
    });

    const roll2025 = await loadStrategyRoll(db, schoolId, 2025);
    const roll2026 = await loadStrategyRoll(db, schoolId, 2026);
    const roll2023 = await loadStrategyRoll(db, schoolId, 2023);

    // 2024/25 is the latest year up to 2025/26: the FSM pupil and the previously looked-after
    // pupil are disadvantaged, and the service child alone is not.
    expect(roll2025).toEqual({
      academicYear: 2024,
      pupils: 4,
      disadvantaged: 2,
      serviceChildren: 1,
    });
    expect(roll2026).toEqual({
      academicYear: 2026,
      pupils: 1,
      disadvantaged: 0,
      serviceChildren: 0,
    });
    expect(roll2023).toBeNull();
  });

  it('works out the allocation', async () => {
    const { db } = database;
    const importId = await insertImportRow(db, schoolId, 2024);
    await insertPupilRow(db, schoolId, importId, {
      upn: 'A801200100001',
      ncYear: '8',
      academicYear: 2024,
      fsmStart: '2022-09-01',
    });
    await insertPupilRow(db, schoolId, importId, {
      upn: 'A801200100002',
      ncYear: '9',
      academicYear: 2024,
      previouslyLookedAfter: true,
    });
    const import2025 = await insertImportRow(db, schoolId, 2025);
    await insertPupilRow(db, schoolId, import2025, {
      upn: 'A801200100003',
      ncYear: '9',
      academicYear: 2025,
      fsmStart: '2022-09-01',
    });
    await db
      .updateTable('organisations')
      .set({ phase: 'secondary' })
      .where('id', '=', schoolId)
      .execute();
    const school = await findSchoolById(db, schoolId);
    if (!school) throw new Error('The test school is missing');

    const year2025 = await loadStrategySources(db, school, 2025);
    const year2026 = await loadStrategySources(db, school, 2026);
    const year2027 = await loadStrategySources(db, school, 2027);

    // Default 2025-26 rates: £1,075.00 for an Ever-6 FSM pupil in years 7 to 11 (not
    // confirmed) and £2,630.00 for a previously looked-after pupil: £3,705.00 in all.
    expect(year2025.allocation).toEqual({
      kind: 'worked_out',
      schoolPence: 370_500,
      estimate: true,
      censusDate: '2024-10-03',
    });
    expect(year2026.allocation).toEqual({
      kind: 'missing_rates',
      message:
        'No Pupil Premium rate for 2026-27: Ever-6 FSM, years 7 to 11. ' +
        'An administrator can add the rate under Pupil Premium rates',
    });
    // 2027-28 is funded on the October 2026 census, for which there are no records.
    expect(year2027.allocation).toEqual({
      kind: 'no_census_pupils',
      academicYear: 2026,
      censusDate: '2026-10-01',
    });
  });
});
