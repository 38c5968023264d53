import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createTestDatabase,
  DIALECTS,
  type TestDatabase,
} from '../../../test/helpers/databases.js';
import { addPlanVersion, createPlanRow } from '../../../test/helpers/plans.js';
import { insertImportRow, insertPupilRow } from '../../../test/helpers/pupil-rows.js';
import { createSchool } from '../../platform/organisations/organisation-store.js';
import type { FundingLine } from './funding.js';
import {
  addFundingLine,
  findFinancePlan,
  findFundingLine,
  listFinancePlans,
  listFundingLines,
  listPremiumFundingLines,
  loadPremiumPupils,
  updateFundingLine,
} from './funding-store.js';
import type { PaymentByResultsModel } from './payment-models.js';
import {
  addOutcomeLine,
  findOutcomeLine,
  findPaymentModel,
  findValueInputs,
  listOutcomeLines,
  savePaymentModel,
  saveValueInputs,
  TariffInUseError,
  tariffPositionsInUse,
  updateOutcomeLine,
} from './payment-store.js';
import { countPremiumPupils } from './pupil-premium.js';
import {
  listPremiumRates,
  listUnitCosts,
  savePremiumRates,
  saveUnitCosts,
} from './reference-store.js';

const LINE: FundingLine = {
  source: 'pupil_premium',
  funder: '',
  amountPence: 300_000,
  status: 'secured',
  financialYear: 2025,
  expectedDate: '2025-04-01',
  note: 'Tutoring',
};

const PBR: PaymentByResultsModel = {
  kind: 'payment_by_results',
  upfrontPence: 100_000,
  capPence: 500_000,
  tariffs: [
    {
      key: 'tariff-0',
      outcome: 'Attendance',
      pencePerUnit: 40_000,
      evidenceRequired: 'report',
      hopedUnits: 5,
      unitCostKey: 'persistent_truant',
    },
    {
      key: 'tariff-2',
      outcome: 'Suspension avoided',
      pencePerUnit: 30_000,
      evidenceRequired: 'log',
      hopedUnits: 2,
      unitCostKey: null,
    },
  ],
};

const SCHEDULE = { firstDate: '2025-09-01', instalments: 3, monthsApart: 1 };

describe.each(DIALECTS)('finance store on %s', (dialect) => {
  let database: TestDatabase;
  let schoolId: number;
  let otherSchoolId: number;
  let planId: number;
  let otherPlanId: number;

  beforeEach(async () => {
    database = await createTestDatabase(dialect);
    schoolId = (await createSchool(database.db, { laestab: '8014001', name: 'Brookfield' })).id;
    otherSchoolId = (await createSchool(database.db, { laestab: '8014002', name: 'Riverside' })).id;
    planId = await createPlanRow(database.db, schoolId, {
      title: 'Mentoring',
      budgetPence: 500_000,
      staffHours: 40,
    });
    otherPlanId = await createPlanRow(database.db, otherSchoolId, { title: 'Tutoring' });
  });

  afterEach(async () => {
    await database.destroy();
  });

  it('lists default rates', async () => {
    const rates = await listPremiumRates(database.db, schoolId);

    expect(rates).toHaveLength(10);
    expect(rates[0]).toMatchObject({
      financialYear: 2024,
      category: 'ever6_fsm_primary',
      pencePerPupil: 148_000,
      updatedAt: null,
    });
  });

  it('overrides rates per school', async () => {
    const changes = await savePremiumRates(
      database.db,
      schoolId,
      2025,
      [
        {
          financialYear: 2025,
          category: 'ever6_fsm_secondary',
          pencePerPupil: 107_500,
          source: 'DfE technical note',
          confirmed: true,
        },
        {
          financialYear: 2025,
          category: 'service_child',
          pencePerPupil: 36_000,
          source: 'DfE technical note',
          confirmed: true,
        },
      ],
      null,
    );
    await savePremiumRates(
      database.db,
      schoolId,
      2026,
      [
        {
          financialYear: 2026,
          category: 'ever6_fsm_primary',
          pencePerPupil: 155_000,
          source: 'Typed',
          confirmed: false,
        },
      ],
      null,
    );

    expect(changes).toEqual([{ key: 'service_child', fromPence: 35_000, toPence: 36_000 }]);
    const rates = await listPremiumRates(database.db, schoolId);
    expect(rates).toHaveLength(11);
    const secondary = rates.find(
      (rate) => rate.financialYear === 2025 && rate.category === 'ever6_fsm_secondary',
    );
    expect(secondary?.confirmed).toBe(true);
    expect(secondary?.source).toBe('DfE technical note');
    expect(rates.at(-1)).toMatchObject({
      financialYear: 2026,
      pencePerPupil: 155_000,
      confirmed: false,
    });
    const other = await listPremiumRates(database.db, otherSchoolId);
    expect(other).toHaveLength(10);
    expect(
      other.find((rate) => rate.financialYear === 2025 && rate.category === 'service_child')
        ?.pencePerPupil,
    ).toBe(35_000);
  });

  it('saves a rate twice', async () => {
    const rate = {
      financialYear: 2026,
      category: 'service_child' as const,
      pencePerPupil: 36_000,
      source: 'A',
      confirmed: false,
    };
    await savePremiumRates(database.db, schoolId, 2026, [rate], null);

    const changes = await savePremiumRates(
      database.db,
      schoolId,
      2026,
      [{ ...rate, pencePerPupil: 37_000 }],
      null,
    );

    expect(changes).toEqual([{ key: 'service_child', fromPence: 36_000, toPence: 37_000 }]);
  });

  it('overrides unit costs per school', async () => {
    const [first] = await listUnitCosts(database.db, schoolId);
    if (!first) throw new Error('No unit costs');

    const changes = await saveUnitCosts(
      database.db,
      schoolId,
      [{ ...first, pence: 450_000, sourceDate: '2024-09' }],
      null,
    );

    expect(changes).toEqual([{ key: first.key, fromPence: 400_000, toPence: 450_000 }]);
    expect((await listUnitCosts(database.db, schoolId))[0]).toMatchObject({
      pence: 450_000,
      sourceDate: '2024-09',
    });
    expect((await listUnitCosts(database.db, otherSchoolId))[0]).toMatchObject({
      pence: 400_000,
      updatedAt: null,
    });
  });

  it('reads the latest plan version', async () => {
    await addPlanVersion(database.db, schoolId, planId, 2, {
      title: 'Mentoring, revised',
      budgetPence: 650_000,
      status: 'draft',
    });

    const plan = await findFinancePlan(database.db, schoolId, planId);

    expect(plan).toMatchObject({
      id: planId,
      version: 2,
      title: 'Mentoring, revised',
      budgetPence: 650_000,
      status: 'draft',
    });
    expect(await findFinancePlan(database.db, schoolId, otherPlanId)).toBeUndefined();
    expect((await listFinancePlans(database.db, schoolId)).map((item) => item.title)).toEqual([
      'Mentoring, revised',
    ]);
  });

  it('keeps funding lines to their school', async () => {
    const lineId = await addFundingLine(database.db, schoolId, planId, LINE, null);
    await addFundingLine(
      database.db,
      schoolId,
      planId,
      { ...LINE, source: 'charitable_grant', financialYear: null, status: 'applied_for' },
      null,
    );
    await addFundingLine(database.db, otherSchoolId, otherPlanId, LINE, null);

    const lines = await listFundingLines(database.db, schoolId, planId);

    expect(lines.map((line) => line.source)).toEqual(['pupil_premium', 'charitable_grant']);
    expect(lines[0]).toMatchObject({ ...LINE, id: lineId, planId });
    expect(await findFundingLine(database.db, otherSchoolId, planId, lineId)).toBeUndefined();
    expect(await findFundingLine(database.db, schoolId, otherPlanId, lineId)).toBeUndefined();
    expect(await listPremiumFundingLines(database.db, schoolId, 2025)).toHaveLength(1);
    expect(await listPremiumFundingLines(database.db, schoolId, 2024)).toHaveLength(0);
  });

  it('updates a funding line', async () => {
    const lineId = await addFundingLine(database.db, schoolId, planId, LINE, null);

    await updateFundingLine(database.db, schoolId, lineId, { ...LINE, status: 'spent', note: '' });

    expect(await findFundingLine(database.db, schoolId, planId, lineId)).toMatchObject({
      status: 'spent',
      note: '',
    });
    await expect(updateFundingLine(database.db, otherSchoolId, lineId, LINE)).rejects.toThrow(
      'does not exist',
    );
  });

  it('stores a payment model', async () => {
    await savePaymentModel(database.db, schoolId, planId, PBR, SCHEDULE, null);

    const stored = await findPaymentModel(database.db, schoolId, planId);

    expect(stored?.schedule).toEqual(SCHEDULE);
    expect(stored?.model.kind).toBe('payment_by_results');
    const model = stored?.model as PaymentByResultsModel;
    expect(model.upfrontPence).toBe(100_000);
    expect(model.capPence).toBe(500_000);
    expect(
      model.tariffs.map((tariff) => [tariff.outcome, tariff.pencePerUnit, tariff.unitCostKey]),
    ).toEqual([
      ['Attendance', 40_000, 'persistent_truant'],
      ['Suspension avoided', 30_000, null],
    ]);
    expect(Object.values(stored?.tariffPositions ?? {})).toEqual([0, 2]);
    expect(await findPaymentModel(database.db, otherSchoolId, planId)).toBeUndefined();
  });

  it('keeps tariffs that have outcomes', async () => {
    await savePaymentModel(database.db, schoolId, planId, PBR, SCHEDULE, null);
    const stored = await findPaymentModel(database.db, schoolId, planId);
    const [attendance] = (stored?.model as PaymentByResultsModel).tariffs;
    const lineId = await addOutcomeLine(
      database.db,
      schoolId,
      planId,
      {
        tariffKey: attendance?.key ?? '',
        unitReference: 'P-01',
        status: 'evidenced',
        disputed: false,
        evidenceReference: 'Report',
      },
      null,
    );

    const changed = {
      ...PBR,
      tariffs: [
        { ...(PBR.tariffs[0] as PaymentByResultsModel['tariffs'][0]), pencePerUnit: 45_000 },
      ],
    };
    await savePaymentModel(database.db, schoolId, planId, changed, SCHEDULE, null);

    const after = (await findPaymentModel(database.db, schoolId, planId))
      ?.model as PaymentByResultsModel;
    expect(after.tariffs).toHaveLength(1);
    expect(after.tariffs[0]?.key).toBe(attendance?.key);
    expect(after.tariffs[0]?.pencePerUnit).toBe(45_000);
    expect(await tariffPositionsInUse(database.db, schoolId, planId)).toEqual([0]);
    const fixed = { kind: 'fixed_price' as const, pricePence: 1, outputs: 'x' };
    await expect(
      savePaymentModel(database.db, schoolId, planId, fixed, SCHEDULE, null),
    ).rejects.toThrow(TariffInUseError);
    expect((await findOutcomeLine(database.db, schoolId, planId, lineId))?.tariffKey).toBe(
      attendance?.key,
    );
  });

  it('records outcome lines', async () => {
    await savePaymentModel(database.db, schoolId, planId, PBR, SCHEDULE, null);
    const model = (await findPaymentModel(database.db, schoolId, planId))
      ?.model as PaymentByResultsModel;
    const tariffKey = model.tariffs[1]?.key ?? '';
    const line = {
      tariffKey,
      unitReference: 'P-02',
      status: 'partly_evidenced' as const,
      disputed: true,
      evidenceReference: 'Log',
    };
    const lineId = await addOutcomeLine(database.db, schoolId, planId, line, null);

    await updateOutcomeLine(database.db, schoolId, lineId, {
      ...line,
      status: 'evidenced',
      disputed: false,
    });

    const lines = await listOutcomeLines(database.db, schoolId, planId);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      id: String(lineId),
      tariffKey,
      status: 'evidenced',
      disputed: false,
    });
    expect(await listOutcomeLines(database.db, otherSchoolId, planId)).toEqual([]);
    expect(await findOutcomeLine(database.db, otherSchoolId, planId, lineId)).toBeUndefined();
    await expect(updateOutcomeLine(database.db, otherSchoolId, lineId, line)).rejects.toThrow(
      'does not exist',
    );
  });

  it('stores value inputs', async () => {
    const inputs = {
      pupils: 20,
      sessions: null,
      outcomesAchieved: 3,
      staffHourlyRatePence: 3_550,
      avoidedUnits: { persistent_truant: 12 },
    };

    await saveValueInputs(database.db, schoolId, planId, inputs, null);
    await saveValueInputs(database.db, schoolId, planId, { ...inputs, sessions: 30 }, null);

    expect(await findValueInputs(database.db, schoolId, planId)).toEqual({
      ...inputs,
      sessions: 30,
    });
    expect(await findValueInputs(database.db, otherSchoolId, planId)).toBeUndefined();
  });

  it('loads pupils for the premium count', async () => {
    const importId = await insertImportRow(database.db, schoolId, 2024);
    await insertPupilRow(database.db, schoolId, importId, {
      upn: 'A1',
      academicYear: 2024,
      ncYear: '7',
      fsmStart: '2023-01-01',
    });
    await insertPupilRow(database.db, schoolId, importId, {
      upn: 'A2',
      academicYear: 2024,
      ncYear: '3',
      fsmStart: '2020-01-01',
      inCare: true,
    });
    await insertPupilRow(database.db, schoolId, importId, {
      upn: 'A3',
      academicYear: 2024,
      ncYear: '9',
    });

    const pupils = await loadPremiumPupils(database.db, schoolId, 2024);

    expect(pupils).toHaveLength(3);
    expect(await loadPremiumPupils(database.db, otherSchoolId, 2024)).toEqual([]);
    const counted = countPremiumPupils(pupils, '2024-10-03', 'secondary');
    expect(counted.counts).toEqual({
      ever6_fsm_primary: 0,
      ever6_fsm_secondary: 1,
      looked_after: 1,
      previously_looked_after: 0,
      service_child: 0,
    });
  });
});
