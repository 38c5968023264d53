import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createTestDatabase,
  DIALECTS,
  type TestDatabase,
} from '../../../test/helpers/databases.js';
import { createSchool } from '../../platform/organisations/organisation-store.js';
import {
  addOutcome,
  addOutput,
  createPlan,
  findPlan,
  listOutcomes,
  listOutputs,
  listPlans,
  listVersions,
  loadBands,
  moveVersion,
  saveBands,
  startNextVersion,
  supersedeEarlierVersions,
  updateDraftDetails,
  type NewPlanOutcome,
} from './plan-store.js';
import { DEFAULT_BANDS } from './proportionality.js';

const NOW = '2026-12-04T10:00:00.000Z';

const OUTCOME: NewPlanOutcome = {
  description: 'Raise attendance',
  measure: 'attendance_rate',
  questionnaire_name: null,
  audience_rule: 'disadvantaged',
  audience_rule_tree: null,
  baseline_value: 88.123456789,
  baseline_pupils: 41,
  baseline_academic_year: 2025,
  baseline_taken_at: NOW,
  target_value: 93.5,
  target_date: '2027-07-31',
};

describe.each(DIALECTS)('plan store on %s', (dialect) => {
  let database: TestDatabase;
  let schoolId: number;
  let otherSchoolId: number;
  let needId: number;

  beforeEach(async () => {
    database = await createTestDatabase(dialect);
    schoolId = (await createSchool(database.db, { laestab: '8014001', name: 'Brookfield' })).id;
    otherSchoolId = (await createSchool(database.db, { laestab: '8014002', name: 'Other' })).id;
    needId = (
      await database.db
        .insertInto('needs')
        .values({
          organisation_id: schoolId,
          title: 'Low attendance in year 9',
          description: '',
          priority: 'high',
          status: 'identified',
          capacity_reasoning: '',
          capability_reasoning: '',
          cost_reasoning: '',
          external_reasons: '[]',
          created_at: NOW,
          updated_at: NOW,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  });

  afterEach(async () => {
    await database.destroy();
  });

  async function draftPlan() {
    const planId = await createPlan(database.db, {
      organisationId: schoolId,
      needId,
      userId: null,
      title: 'Mentoring',
      now: NOW,
    });
    const [version] = await listVersions(database.db, schoolId, planId);
    if (!version) throw new Error('No first version');
    return { planId, version };
  }

  it('creates a plan with a first draft version, seen only by its school', async () => {
    const { planId, version } = await draftPlan();

    expect(version).toMatchObject({ version: 1, status: 'draft', title: 'Mentoring' });
    expect(await findPlan(database.db, schoolId, planId)).toMatchObject({
      needTitle: 'Low attendance in year 9',
    });
    expect(await findPlan(database.db, otherSchoolId, planId)).toBeUndefined();
    expect(await listVersions(database.db, otherSchoolId, planId)).toEqual([]);
    expect(await listPlans(database.db, otherSchoolId)).toEqual([]);
  });

  it('keeps baselines to full precision', async () => {
    const { version } = await draftPlan();
    await addOutcome(database.db, schoolId, version.id, OUTCOME);

    const [stored] = await listOutcomes(database.db, schoolId, version.id);

    expect(stored?.baseline_value).toBe(88.123456789);
    expect(await listOutcomes(database.db, otherSchoolId, version.id)).toEqual([]);
  });

  it('changes a draft but not a submitted version', async () => {
    const { version } = await draftPlan();
    const details = {
      title: 'Mentoring',
      improvement_priority_id: null,
      alignment: '',
      audience_rule: 'disadvantaged',
      audience_rule_tree: null,
      start_date: '2027-01-04',
      end_date: '2027-07-16',
      budget_pence: 450_050,
      staff_hours: 40,
      key_contact: 'Ms Patel',
      responsible_leader: '',
      evaluation_strategy: '',
    };

    expect(await updateDraftDetails(database.db, schoolId, version.id, details, NOW)).toBe(true);
    expect(await updateDraftDetails(database.db, otherSchoolId, version.id, details, NOW)).toBe(
      false,
    );
    await moveVersion(database.db, schoolId, version.id, ['draft'], 'submitted', {});
    expect(await updateDraftDetails(database.db, schoolId, version.id, details, NOW)).toBe(false);

    const [saved] = await listVersions(database.db, schoolId, version.plan_id);
    expect(saved).toMatchObject({ status: 'submitted', budget_pence: 450_050, staff_hours: 40 });
  });

  it('moves a version only from the status expected', async () => {
    const { version } = await draftPlan();

    expect(
      await moveVersion(database.db, schoolId, version.id, ['submitted'], 'approved', {}),
    ).toBe(false);
    expect(await moveVersion(database.db, schoolId, version.id, ['draft'], 'submitted', {})).toBe(
      true,
    );
    expect(await moveVersion(database.db, schoolId, version.id, ['draft'], 'submitted', {})).toBe(
      false,
    );
  });

  it('starts the next version as a copy and supersedes the old one on approval', async () => {
    const { planId, version } = await draftPlan();
    await addOutcome(database.db, schoolId, version.id, OUTCOME);
    await addOutput(database.db, schoolId, version.id, {
      description: '30 sessions',
      target_number: 30,
    });
    await moveVersion(database.db, schoolId, version.id, ['draft'], 'approved', {});
    const [approved] = await listVersions(database.db, schoolId, planId);

    const nextId = await startNextVersion(database.db, schoolId, approved!, null, NOW);

    const outcomes = await listOutcomes(database.db, schoolId, nextId);
    expect(outcomes).toHaveLength(1);
    expect(outcomes[0]).toMatchObject({ baseline_value: 88.123456789, baseline_taken_at: NOW });
    expect(await listOutputs(database.db, schoolId, nextId)).toHaveLength(1);
    expect((await listPlans(database.db, schoolId))[0]).toMatchObject({
      version: 2,
      status: 'draft',
      approvedVersion: 1,
    });

    await moveVersion(database.db, schoolId, nextId, ['draft'], 'approved', {});
    await supersedeEarlierVersions(database.db, schoolId, planId, 2);
    const statuses = (await listVersions(database.db, schoolId, planId)).map((row) => row.status);
    expect(statuses).toEqual(['superseded', 'approved']);
  });

  it('uses the default bands until the school saves its own', async () => {
    expect(await loadBands(database.db, schoolId)).toEqual(DEFAULT_BANDS);

    const own = [
      {
        name: 'Small',
        maxValuePence: 50_000,
        maxWeeks: 2,
        requiredSections: ['outcomes' as const],
      },
      { name: 'Everything else', maxValuePence: null, maxWeeks: null, requiredSections: [] },
    ];
    await saveBands(database.db, schoolId, own, NOW);

    expect(await loadBands(database.db, schoolId)).toEqual(own);
    expect(await loadBands(database.db, otherSchoolId)).toEqual(DEFAULT_BANDS);
  });
});
