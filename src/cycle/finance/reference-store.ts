/**
 * An organisation's reference figures: its Pupil Premium rates and unit costs. Each read gives
 * the defaults from reference-data.ts with the organisation's own figures in their place, so
 * a school that never changes a figure still gets every default, with its source.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../platform/db/schema.js';
import { PREMIUM_CATEGORIES, type PremiumCategory, type PremiumRate } from './pupil-premium.js';
import { DEFAULT_PREMIUM_RATES, DEFAULT_UNIT_COSTS } from './reference-data.js';
import type { UnitCost } from './value-for-money.js';

type Db = Kysely<Database> | Transaction<Database>;

/** A rate as the organisation uses it; `updatedAt` is null for a default it never changed. */
export type StoredPremiumRate = PremiumRate & { updatedAt: string | null };

export type StoredUnitCost = UnitCost & { updatedAt: string | null };

/** One changed figure, for the audit trail. */
export interface FigureChange {
  key: string;
  fromPence: number | null;
  toPence: number | null;
}

/** Lists an organisation's Pupil Premium rates, by year and then category. */
export async function listPremiumRates(
  db: Db,
  organisationId: number,
): Promise<StoredPremiumRate[]> {
  const rows = await db
    .selectFrom('premium_rates')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .execute();

  const byKey = new Map<string, StoredPremiumRate>();
  for (const rate of DEFAULT_PREMIUM_RATES) {
    byKey.set(rateKey(rate.financialYear, rate.category), { ...rate, updatedAt: null });
  }
  for (const row of rows) {
    if (!(PREMIUM_CATEGORIES as readonly string[]).includes(row.category)) continue;
    byKey.set(rateKey(row.financial_year, row.category), {
      financialYear: row.financial_year,
      category: row.category as PremiumCategory,
      pencePerPupil: row.pence_per_pupil,
      source: row.source,
      confirmed: row.confirmed === 1,
      updatedAt: row.updated_at,
    });
  }
  return [...byKey.values()].sort(
    (a, b) =>
      a.financialYear - b.financialYear ||
      PREMIUM_CATEGORIES.indexOf(a.category) - PREMIUM_CATEGORIES.indexOf(b.category),
  );
}

/**
 * Sets an organisation's rates for one financial year: every category given is stored, and
 * nothing else changes. Returns the categories whose amount changed, with the old amount (null
 * when there was none).
 */
export async function savePremiumRates(
  db: Db,
  organisationId: number,
  financialYear: number,
  rates: readonly PremiumRate[],
  userId: number | null,
): Promise<FigureChange[]> {
  const before = await listPremiumRates(db, organisationId);
  const now = new Date().toISOString();
  const changes: FigureChange[] = [];
  for (const rate of rates) {
    const previous = before.find(
      (item) => item.financialYear === financialYear && item.category === rate.category,
    );
    const values = {
      pence_per_pupil: rate.pencePerPupil,
      source: rate.source,
      confirmed: rate.confirmed ? 1 : 0,
      updated_by: userId,
      updated_at: now,
    };
    await db
      .insertInto('premium_rates')
      .values({
        organisation_id: organisationId,
        financial_year: financialYear,
        category: rate.category,
        ...values,
      })
      .onConflict((conflict) =>
        conflict.columns(['organisation_id', 'financial_year', 'category']).doUpdateSet(values),
      )
      .execute();
    if (previous?.pencePerPupil !== rate.pencePerPupil) {
      changes.push({
        key: rate.category,
        fromPence: previous?.pencePerPupil ?? null,
        toPence: rate.pencePerPupil,
      });
    }
  }
  return changes;
}

/**
 * Lists an organisation's unit costs in the order of the defaults.
 * TODO: only the default kinds of cost exist, so a school cannot add a cost of its own yet.
 */
export async function listUnitCosts(db: Db, organisationId: number): Promise<StoredUnitCost[]> {
  const rows = await db
    .selectFrom('unit_costs')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .execute();
  return DEFAULT_UNIT_COSTS.map((cost) => {
    const row = rows.find((candidate) => candidate.key === cost.key);
    if (!row) return { ...cost, updatedAt: null };
    return {
      ...cost,
      pence: row.pence,
      source: row.source,
      sourceDate: row.source_date,
      updatedAt: row.updated_at,
    };
  });
}

/**
 * Stores an organisation's figures for the given unit costs. Returns the costs whose amount
 * changed, with the old amount.
 */
export async function saveUnitCosts(
  db: Db,
  organisationId: number,
  costs: readonly UnitCost[],
  userId: number | null,
): Promise<FigureChange[]> {
  const before = await listUnitCosts(db, organisationId);
  const now = new Date().toISOString();
  const changes: FigureChange[] = [];
  for (const cost of costs) {
    const values = {
      label: cost.label,
      unit: cost.unit,
      pence: cost.pence,
      born_by: cost.bornBy,
      source: cost.source,
      source_date: cost.sourceDate,
      updated_by: userId,
      updated_at: now,
    };
    await db
      .insertInto('unit_costs')
      .values({ organisation_id: organisationId, key: cost.key, ...values })
      .onConflict((conflict) => conflict.columns(['organisation_id', 'key']).doUpdateSet(values))
      .execute();
    const previous = before.find((item) => item.key === cost.key);
    if (previous?.pence !== cost.pence) {
      changes.push({ key: cost.key, fromPence: previous?.pence ?? null, toPence: cost.pence });
    }
  }
  return changes;
}

function rateKey(financialYear: number, category: string): string {
  return `${financialYear}/${category}`;
}
