/**
 * A plan's payment model with its tariffs, the outcome lines of its settlement, and its
 * value-for-money inputs. Every query is scoped by the organisation id.
 *
 * A stored tariff's key is its database id as text, and outcome lines name tariffs by it.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../platform/db/schema.js';
import type { PaymentModel, PaymentModelKind, ScheduleSettings, Tariff } from './payment-models.js';
import type { EvidenceStatus, OutcomeLine } from './settlement.js';
import type { ValueInputsRecord } from './value-inputs.js';

type Db = Kysely<Database> | Transaction<Database>;

export interface StoredPaymentModel {
  id: number;
  planId: number;
  model: PaymentModel;
  schedule: ScheduleSettings;
  /** Form row of each tariff, by tariff key, so the form shows each tariff where it was typed. */
  tariffPositions: Record<string, number>;
  updatedAt: string;
}

/** Finds a plan's payment model, or undefined when none is set. */
export async function findPaymentModel(
  db: Db,
  organisationId: number,
  planId: number,
): Promise<StoredPaymentModel | undefined> {
  const row = await db
    .selectFrom('payment_models')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .where('plan_id', '=', planId)
    .executeTakeFirst();
  if (!row) return undefined;

  const tariffRows = await db
    .selectFrom('payment_tariffs')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .where('payment_model_id', '=', row.id)
    .orderBy('position')
    .execute();
  const tariffs: Tariff[] = tariffRows.map((tariff) => ({
    key: String(tariff.id),
    outcome: tariff.outcome,
    pencePerUnit: tariff.pence_per_unit,
    evidenceRequired: tariff.evidence_required,
    hopedUnits: tariff.hoped_units,
    unitCostKey: tariff.unit_cost_key,
  }));

  return {
    id: row.id,
    planId: row.plan_id,
    model: toModel(row, tariffs),
    schedule: {
      firstDate: row.first_payment_date,
      instalments: row.instalments,
      monthsApart: row.months_apart,
    },
    tariffPositions: Object.fromEntries(
      tariffRows.map((tariff) => [String(tariff.id), tariff.position]),
    ),
    updatedAt: row.updated_at,
  };
}

function toModel(
  row: {
    kind: string;
    price_pence: number | null;
    units: number | null;
    outputs: string;
    upfront_pence: number | null;
    cap_pence: number | null;
  },
  tariffs: Tariff[],
): PaymentModel {
  const kind = row.kind as PaymentModelKind;
  switch (kind) {
    case 'fixed_price':
      return { kind, pricePence: row.price_pence ?? 0, outputs: row.outputs };
    case 'per_pupil':
    case 'per_session':
      return { kind, pencePerUnit: row.price_pence ?? 0, units: row.units ?? 0 };
    case 'payment_by_results':
      return { kind, upfrontPence: row.upfront_pence ?? 0, capPence: row.cap_pence, tariffs };
  }
}

/** Raised when saving a model would remove a tariff that outcome lines are recorded against. */
export class TariffInUseError extends Error {
  constructor(readonly position: number) {
    super(
      `Tariff ${position + 1} has outcomes recorded against it for settlement, so it cannot be removed. Keep the tariff, or change it`,
    );
    this.name = 'TariffInUseError';
  }
}

/**
 * Returns the form rows (0-based) of the tariffs that settlement outcome lines are recorded
 * against, so a form can reject their removal before anything is saved.
 */
export async function tariffPositionsInUse(
  db: Db,
  organisationId: number,
  planId: number,
): Promise<number[]> {
  const rows = await db
    .selectFrom('outcome_lines')
    .innerJoin('payment_tariffs', 'payment_tariffs.id', 'outcome_lines.tariff_id')
    .select('payment_tariffs.position')
    .distinct()
    .where('outcome_lines.organisation_id', '=', organisationId)
    .where('outcome_lines.plan_id', '=', planId)
    .orderBy('payment_tariffs.position')
    .execute();
  return rows.map((row) => row.position);
}

/**
 * Sets a plan's payment model and schedule, creating the model or replacing it. Tariffs are
 * matched to the stored ones by form row (the number in their key `tariff-N`): a row kept is
 * updated in place, so outcome lines recorded against it stay attached, and a row dropped is
 * deleted. Throws `TariffInUseError` when a dropped row has outcome lines. Pass a transaction.
 */
export async function savePaymentModel(
  db: Db,
  organisationId: number,
  planId: number,
  model: PaymentModel,
  schedule: ScheduleSettings,
  userId: number | null,
): Promise<number> {
  const values = {
    kind: model.kind,
    price_pence: priceOf(model),
    units: model.kind === 'per_pupil' || model.kind === 'per_session' ? model.units : null,
    outputs: model.kind === 'fixed_price' ? model.outputs : '',
    upfront_pence: model.kind === 'payment_by_results' ? model.upfrontPence : null,
    cap_pence: model.kind === 'payment_by_results' ? model.capPence : null,
    first_payment_date: schedule.firstDate,
    instalments: schedule.instalments,
    months_apart: schedule.monthsApart,
    updated_by: userId,
    updated_at: new Date().toISOString(),
  };
  const existing = await db
    .selectFrom('payment_models')
    .select('id')
    .where('organisation_id', '=', organisationId)
    .where('plan_id', '=', planId)
    .executeTakeFirst();
  let modelId: number;
  if (existing) {
    modelId = existing.id;
    await db.updateTable('payment_models').set(values).where('id', '=', modelId).execute();
  } else {
    const inserted = await db
      .insertInto('payment_models')
      .values({ organisation_id: organisationId, plan_id: planId, ...values })
      .returning('id')
      .executeTakeFirstOrThrow();
    modelId = inserted.id;
  }

  const tariffs = model.kind === 'payment_by_results' ? model.tariffs : [];
  await replaceTariffs(db, organisationId, planId, modelId, tariffs);
  return modelId;
}

/** Returns the value of the price column: the fixed price, or the price per pupil or session. */
function priceOf(model: PaymentModel): number | null {
  if (model.kind === 'fixed_price') return model.pricePence;
  if (model.kind === 'payment_by_results') return null;
  return model.pencePerUnit;
}

async function replaceTariffs(
  db: Db,
  organisationId: number,
  planId: number,
  modelId: number,
  tariffs: readonly Tariff[],
): Promise<void> {
  const positions = tariffs.map((tariff) => positionOf(tariff.key));
  const inUse = await tariffPositionsInUse(db, organisationId, planId);
  const dropped = inUse.find((position) => !positions.includes(position));
  if (dropped !== undefined) throw new TariffInUseError(dropped);

  const stored = await db
    .selectFrom('payment_tariffs')
    .select(['id', 'position'])
    .where('organisation_id', '=', organisationId)
    .where('payment_model_id', '=', modelId)
    .execute();
  for (const row of stored) {
    if (!positions.includes(row.position)) {
      await db.deleteFrom('payment_tariffs').where('id', '=', row.id).execute();
    }
  }
  for (const [index, tariff] of tariffs.entries()) {
    const position = positions[index] as number;
    const values = {
      outcome: tariff.outcome,
      pence_per_unit: tariff.pencePerUnit,
      evidence_required: tariff.evidenceRequired,
      hoped_units: tariff.hopedUnits,
      unit_cost_key: tariff.unitCostKey,
    };
    const row = stored.find((candidate) => candidate.position === position);
    if (row) {
      await db.updateTable('payment_tariffs').set(values).where('id', '=', row.id).execute();
    } else {
      await db
        .insertInto('payment_tariffs')
        .values({ organisation_id: organisationId, payment_model_id: modelId, position, ...values })
        .execute();
    }
  }
}

/** Reads the form row from a parsed tariff's key, `tariff-N`. */
function positionOf(key: string): number {
  const match = /^tariff-(\d+)$/.exec(key);
  if (!match) throw new Error(`Tariff key ${key} does not name a form row; expected tariff-N`);
  return Number(match[1]);
}

export type StoredOutcomeLine = OutcomeLine & { recordedAt: string; updatedAt: string };

/** Lists a plan's outcome lines in the order they were recorded. */
export async function listOutcomeLines(
  db: Db,
  organisationId: number,
  planId: number,
): Promise<StoredOutcomeLine[]> {
  const rows = await db
    .selectFrom('outcome_lines')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .where('plan_id', '=', planId)
    .orderBy('id')
    .execute();
  return rows.map(toOutcomeLine);
}

/** Finds one outcome line of one of the organisation's plans, or undefined. */
export async function findOutcomeLine(
  db: Db,
  organisationId: number,
  planId: number,
  lineId: number,
): Promise<StoredOutcomeLine | undefined> {
  const row = await db
    .selectFrom('outcome_lines')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .where('plan_id', '=', planId)
    .where('id', '=', lineId)
    .executeTakeFirst();
  return row ? toOutcomeLine(row) : undefined;
}

/**
 * Records an outcome line and returns its id. The tariff key must be the id of a tariff of
 * this plan's model; callers check it with the model first.
 */
export async function addOutcomeLine(
  db: Db,
  organisationId: number,
  planId: number,
  line: Omit<OutcomeLine, 'id'>,
  userId: number | null,
): Promise<number> {
  const now = new Date().toISOString();
  const row = await db
    .insertInto('outcome_lines')
    .values({
      organisation_id: organisationId,
      plan_id: planId,
      ...outcomeColumns(line),
      recorded_by: userId,
      recorded_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Replaces an outcome line's details. Throws when the line is not the organisation's. */
export async function updateOutcomeLine(
  db: Db,
  organisationId: number,
  lineId: number,
  line: Omit<OutcomeLine, 'id'>,
): Promise<void> {
  const result = await db
    .updateTable('outcome_lines')
    .set({ ...outcomeColumns(line), updated_at: new Date().toISOString() })
    .where('organisation_id', '=', organisationId)
    .where('id', '=', lineId)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) {
    throw new Error(`Outcome line ${lineId} of organisation ${organisationId} does not exist`);
  }
}

function outcomeColumns(line: Omit<OutcomeLine, 'id'>) {
  return {
    tariff_id: Number(line.tariffKey),
    unit_reference: line.unitReference,
    evidence_status: line.status,
    disputed: line.disputed ? 1 : 0,
    evidence_reference: line.evidenceReference,
  };
}

function toOutcomeLine(row: {
  id: number;
  tariff_id: number;
  unit_reference: string;
  evidence_status: string;
  disputed: number;
  evidence_reference: string;
  recorded_at: string;
  updated_at: string;
}): StoredOutcomeLine {
  return {
    id: String(row.id),
    tariffKey: String(row.tariff_id),
    unitReference: row.unit_reference,
    status: row.evidence_status as EvidenceStatus,
    disputed: row.disputed === 1,
    evidenceReference: row.evidence_reference,
    recordedAt: row.recorded_at,
    updatedAt: row.updated_at,
  };
}

/** Finds a plan's value-for-money inputs, or undefined when none were saved. */
export async function findValueInputs(
  db: Db,
  organisationId: number,
  planId: number,
): Promise<ValueInputsRecord | undefined> {
  const row = await db
    .selectFrom('value_inputs')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .where('plan_id', '=', planId)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    pupils: row.pupils,
    sessions: row.sessions,
    outcomesAchieved: row.outcomes_achieved,
    staffHourlyRatePence: row.staff_hourly_rate_pence,
    avoidedUnits: JSON.parse(row.avoided_units) as Record<string, number>,
  };
}

/** Sets a plan's value-for-money inputs, creating or replacing them. */
export async function saveValueInputs(
  db: Db,
  organisationId: number,
  planId: number,
  inputs: ValueInputsRecord,
  userId: number | null,
): Promise<void> {
  const values = {
    pupils: inputs.pupils,
    sessions: inputs.sessions,
    outcomes_achieved: inputs.outcomesAchieved,
    staff_hourly_rate_pence: inputs.staffHourlyRatePence,
    avoided_units: JSON.stringify(inputs.avoidedUnits),
    updated_by: userId,
    updated_at: new Date().toISOString(),
  };
  await db
    .insertInto('value_inputs')
    .values({ organisation_id: organisationId, plan_id: planId, ...values })
    .onConflict((conflict) => conflict.column('plan_id').doUpdateSet(values))
    .execute();
}
