import type { Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createTestDatabase,
  DIALECTS,
  type TestDatabase,
} from '../../../test/helpers/databases.js';
import { addPlanVersion, createPlanRow } from '../../../test/helpers/plans.js';
import { insertImportRow, insertPupilRow } from '../../../test/helpers/pupil-rows.js';
import type { Database } from '../../platform/db/schema.js';
import { createSchool, type School } from '../../platform/organisations/organisation-store.js';
import { readAudienceRule } from '../plan/audience.js';
import { countSchoolAudience } from './joint-audience.js';
import {
  findJointCommissionOfPlan,
  findJointShareOfSchool,
  findParentOrganisation,
  JointPartnerError,
  listJointCommissionsBeneath,
  listJointSharesOfSchool,
  listPartnerCandidates,
  loadSharedPlan,
  saveJointCommission,
  type JointCommissionInput,
} from './joint-store.js';

async function createParent(
  db: Kysely<Database>,
  name: string,
  kind: 'trust' | 'local_authority' = 'trust',
): Promise<number> {
  const row = await db
    .insertInto('organisations')
    .values({ kind, name, created_at: new Date().toISOString() })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

async function createSchoolBeneath(
  db: Kysely<Database>,
  parentId: number | null,
  laestab: string,
  name: string,
): Promise<School> {
  const school = await createSchool(db, { laestab, name });
  await db
    .updateTable('organisations')
    .set({ parent_id: parentId })
    .where('id', '=', school.id)
    .execute();
  return school;
}

/** Adds pupils of one academic year to a school, `year9` of them in year 9 and the rest in 10. */
async function addPupils(
  db: Kysely<Database>,
  school: School,
  counts: { year9: number; year10: number },
): Promise<void> {
  const importId = await insertImportRow(db, school.id, 2024);
  const total = counts.year9 + counts.year10;
  for (let index = 0; index < total; index += 1) {
    await insertPupilRow(db, school.id, importId, {
      upn: `${school.laestab}${String(index).padStart(6, '0')}`,
      academicYear: 2024,
      ncYear: index < counts.year9 ? '9' : '10',
    });
  }
}

describe.each(DIALECTS)('joint commission store on %s', (dialect) => {
  let database: TestDatabase;
  let trustId: number;
  let otherTrustId: number;
  let lead: School;
  let riverside: School;
  let hilltop: School;
  let outsider: School;
  let otherTrustSchool: School;
  let planId: number;

  function input(overrides: Partial<JointCommissionInput> = {}): JointCommissionInput {
    return {
      basis: 'pupils',
      totalPence: 900_000,
      shares: [
        { schoolId: lead.id, weight: 40, pence: 400_000 },
        { schoolId: riverside.id, weight: 30, pence: 300_000 },
        { schoolId: hilltop.id, weight: 20, pence: 200_000 },
      ],
      ...overrides,
    };
  }

  beforeEach(async () => {
    database = await createTestDatabase(dialect);
    const { db } = database;
    trustId = await createParent(db, 'Oak Learning Trust');
    otherTrustId = await createParent(db, 'Elm Schools Trust');
    lead = await createSchoolBeneath(db, trustId, '8014001', 'Brookfield Academy');
    riverside = await createSchoolBeneath(db, trustId, '8014002', 'Riverside Primary');
    hilltop = await createSchoolBeneath(db, trustId, '8014003', 'Hilltop School');
    outsider = await createSchoolBeneath(db, null, '8014004', 'Standalone School');
    otherTrustSchool = await createSchoolBeneath(db, otherTrustId, '8014005', 'Elm Park School');
    planId = await createPlanRow(db, lead.id, { title: 'Mentoring', budgetPence: 900_000 });
  });

  afterEach(async () => {
    await database.destroy();
  });

  it('offers only schools of the same trust', async () => {
    const candidates = await listPartnerCandidates(database.db, lead.id);

    expect(candidates).toEqual([
      { id: hilltop.id, name: 'Hilltop School' },
      { id: riverside.id, name: 'Riverside Primary' },
    ]);
    expect(await listPartnerCandidates(database.db, outsider.id)).toEqual([]);
  });

  it('saves and reads shares in order', async () => {
    const saved = await saveJointCommission(database.db, lead.id, planId, input(), null);

    const found = await findJointCommissionOfPlan(database.db, lead.id, planId);
    expect(saved.previous).toBeUndefined();
    expect(found).toMatchObject({
      id: saved.id,
      leadSchoolId: lead.id,
      planId,
      basis: 'pupils',
      totalPence: 900_000,
    });
    expect(found?.shares).toEqual([
      {
        schoolId: lead.id,
        weight: 40,
        pence: 400_000,
        schoolName: 'Brookfield Academy',
        laestab: '8014001',
      },
      {
        schoolId: riverside.id,
        weight: 30,
        pence: 300_000,
        schoolName: 'Riverside Primary',
        laestab: '8014002',
      },
      {
        schoolId: hilltop.id,
        weight: 20,
        pence: 200_000,
        schoolName: 'Hilltop School',
        laestab: '8014003',
      },
    ]);
  });

  it('replaces shares and returns the old ones', async () => {
    const first = await saveJointCommission(database.db, lead.id, planId, input(), null);

    const second = await saveJointCommission(
      database.db,
      lead.id,
      planId,
      {
        basis: 'percentages',
        totalPence: 900_000,
        shares: [
          { schoolId: lead.id, weight: 5_000, pence: 450_000 },
          { schoolId: hilltop.id, weight: 5_000, pence: 450_000 },
        ],
      },
      null,
    );

    expect(second.id).toBe(first.id);
    expect(second.previous?.shares.map((share) => share.schoolId)).toEqual([
      lead.id,
      riverside.id,
      hilltop.id,
    ]);
    const found = await findJointCommissionOfPlan(database.db, lead.id, planId);
    expect(found?.basis).toBe('percentages');
    expect(found?.shares.map((share) => [share.schoolId, share.pence])).toEqual([
      [lead.id, 450_000],
      [hilltop.id, 450_000],
    ]);
    expect(await findJointShareOfSchool(database.db, riverside.id, first.id)).toBeUndefined();
  });

  it('never takes a school outside the trust', async () => {
    for (const stranger of [outsider, otherTrustSchool]) {
      const shares = [
        { schoolId: lead.id, weight: 1, pence: 450_000 },
        { schoolId: stranger.id, weight: 1, pence: 450_000 },
      ];

      const saving = saveJointCommission(database.db, lead.id, planId, input({ shares }), null);

      await expect(saving).rejects.toThrow(JointPartnerError);
      await expect(saving).rejects.toThrow(`School ${stranger.id} is not beneath the same trust`);
    }
    expect(await findJointCommissionOfPlan(database.db, lead.id, planId)).toBeUndefined();
  });

  it('keeps old shares when a save fails', async () => {
    await saveJointCommission(database.db, lead.id, planId, input(), null);
    const shares = [
      { schoolId: lead.id, weight: 1, pence: 450_000 },
      { schoolId: outsider.id, weight: 1, pence: 450_000 },
    ];

    const saving = database.db
      .transaction()
      .execute((trx) => saveJointCommission(trx, lead.id, planId, input({ shares }), null));

    await expect(saving).rejects.toThrow(JointPartnerError);
    const found = await findJointCommissionOfPlan(database.db, lead.id, planId);
    expect(found?.shares).toHaveLength(3);
  });

  it('rejects another school’s plan', async () => {
    const otherPlan = await createPlanRow(database.db, riverside.id, { title: 'Tutoring' });

    const saving = saveJointCommission(database.db, lead.id, otherPlan, input(), null);

    await expect(saving).rejects.toThrow(`Plan ${otherPlan} does not belong to school ${lead.id}`);
  });

  it('rejects shares that miss the total', async () => {
    const shares = [
      { schoolId: lead.id, weight: 1, pence: 450_000 },
      { schoolId: riverside.id, weight: 1, pence: 449_999 },
    ];

    const saving = saveJointCommission(database.db, lead.id, planId, input({ shares }), null);

    await expect(saving).rejects.toThrow(RangeError);
  });

  it('needs the lead first and a partner', async () => {
    const partnerFirst = input({
      shares: [
        { schoolId: riverside.id, weight: 1, pence: 450_000 },
        { schoolId: lead.id, weight: 1, pence: 450_000 },
      ],
    });
    const leadAlone = input({ shares: [{ schoolId: lead.id, weight: 1, pence: 900_000 }] });
    const twice = input({
      shares: [
        { schoolId: lead.id, weight: 1, pence: 300_000 },
        { schoolId: riverside.id, weight: 1, pence: 300_000 },
        { schoolId: riverside.id, weight: 1, pence: 300_000 },
      ],
    });

    for (const bad of [partnerFirst, leadAlone, twice]) {
      await expect(saveJointCommission(database.db, lead.id, planId, bad, null)).rejects.toThrow(
        JointPartnerError,
      );
    }
  });

  it('shows a partner only its own share', async () => {
    const { id } = await saveJointCommission(database.db, lead.id, planId, input(), null);

    const ofRiverside = await listJointSharesOfSchool(database.db, riverside.id);
    const ofLead = await listJointSharesOfSchool(database.db, lead.id);

    expect(ofRiverside).toEqual([
      {
        jointCommissionId: id,
        planId,
        planTitle: 'Mentoring',
        leadSchoolId: lead.id,
        leadSchoolName: 'Brookfield Academy',
        basis: 'pupils',
        totalPence: 900_000,
        weight: 30,
        pence: 300_000,
        isLead: false,
      },
    ]);
    expect(ofLead[0]).toMatchObject({ weight: 40, pence: 400_000, isLead: true });
    expect(await listJointSharesOfSchool(database.db, outsider.id)).toEqual([]);
    expect(await findJointShareOfSchool(database.db, outsider.id, id)).toBeUndefined();
  });

  it('names the plan by its latest version', async () => {
    await saveJointCommission(database.db, lead.id, planId, input(), null);
    await addPlanVersion(database.db, lead.id, planId, 2, {
      title: 'Mentoring, second year',
      budgetPence: 950_000,
      status: 'draft',
    });

    const [share] = await listJointSharesOfSchool(database.db, hilltop.id);
    const plan = await loadSharedPlan(database.db, lead.id, planId);

    expect(share?.planTitle).toBe('Mentoring, second year');
    expect(plan).toMatchObject({ version: 2, status: 'draft', budgetPence: 950_000 });
  });

  it('reads a shared plan only through its lead', async () => {
    expect(await loadSharedPlan(database.db, riverside.id, planId)).toBeUndefined();
  });

  it('shows a trust every share', async () => {
    const { id } = await saveJointCommission(database.db, lead.id, planId, input(), null);

    const [commission, ...rest] = await listJointCommissionsBeneath(database.db, trustId);

    expect(rest).toEqual([]);
    expect(commission).toMatchObject({
      id,
      leadSchoolName: 'Brookfield Academy',
      planTitle: 'Mentoring',
      budgetPence: 900_000,
      totalPence: 900_000,
    });
    expect(commission?.shares.map((share) => share.pence)).toEqual([400_000, 300_000, 200_000]);
    expect(await listJointCommissionsBeneath(database.db, otherTrustId)).toEqual([]);
  });

  it('finds only trusts and authorities as parents', async () => {
    const authority = await createParent(database.db, 'Northshire Council', 'local_authority');

    expect(await findParentOrganisation(database.db, trustId)).toEqual({
      id: trustId,
      name: 'Oak Learning Trust',
      kind: 'trust',
    });
    expect((await findParentOrganisation(database.db, authority))?.kind).toBe('local_authority');
    expect(await findParentOrganisation(database.db, lead.id)).toBeUndefined();
    expect(await findParentOrganisation(database.db, 999_999)).toBeUndefined();
  });

  it('counts each school’s own audience', async () => {
    await addPupils(database.db, lead, { year9: 5, year10: 1 });
    await addPupils(database.db, riverside, { year9: 2, year10: 1 });
    await addPupils(database.db, hilltop, { year9: 4, year10: 3 });
    const rule = readAudienceRule('year in (9)');
    const tree = rule.ok ? rule.tree : null;

    const ofRiverside = await countSchoolAudience(database.db, riverside, tree);
    const ofHilltop = await countSchoolAudience(database.db, hilltop, tree);
    const everyone = await countSchoolAudience(database.db, hilltop, null);

    expect(tree).not.toBeNull();
    expect(ofRiverside).toEqual({ academicYear: 2024, pupils: 2 });
    expect(ofHilltop).toEqual({ academicYear: 2024, pupils: 4 });
    expect(everyone).toEqual({ academicYear: 2024, pupils: 7 });
  });

  it('counts nothing without pupil data', async () => {
    expect(await countSchoolAudience(database.db, riverside, null)).toBeNull();
  });
});
