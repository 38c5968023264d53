/**
 * Plans as the Finance step reads them, and their funding lines. Every query is scoped by the
 * organisation id, so a plan or line of another school is never found.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database, PlanStatus } from '../../platform/db/schema.js';
import type { FundingLine, FundingSource, FundingStatus } from './funding.js';
import type { PremiumPupil } from './pupil-premium.js';

type Db = Kysely<Database> | Transaction<Database>;

/** The latest version of a commissioning plan, with what Finance needs from it. */
export interface FinancePlan {
  id: number;
  version: number;
  title: string;
  status: PlanStatus;
  budgetPence: number | null;
  staffHours: number | null;
  startDate: string | null;
  endDate: string | null;
}

const PLAN_COLUMNS = [
  'plan_versions.plan_id',
  'plan_versions.version',
  'plan_versions.title',
  'plan_versions.status',
  'plan_versions.budget_pence',
  'plan_versions.staff_hours',
  'plan_versions.start_date',
  'plan_versions.end_date',
] as const;

/** Finds the latest version of one of an organisation's plans, or undefined. */
export async function findFinancePlan(
  db: Db,
  organisationId: number,
  planId: number,
): Promise<FinancePlan | undefined> {
  const row = await db
    .selectFrom('plan_versions')
    .select(PLAN_COLUMNS)
    .where('plan_versions.organisation_id', '=', organisationId)
    .where('plan_versions.plan_id', '=', planId)
    .orderBy('plan_versions.version', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? toFinancePlan(row) : undefined;
}

/** Lists the latest version of every plan of an organisation, by title. */
export async function listFinancePlans(db: Db, organisationId: number): Promise<FinancePlan[]> {
  const rows = await db
    .selectFrom('plan_versions')
    .select(PLAN_COLUMNS)
    .where('plan_versions.organisation_id', '=', organisationId)
    .orderBy('plan_versions.plan_id')
    .orderBy('plan_versions.version', 'desc')
    .execute();
  const latest = new Map<number, FinancePlan>();
  for (const row of rows) {
    if (!latest.has(row.plan_id)) latest.set(row.plan_id, toFinancePlan(row));
  }
  return [...latest.values()].sort(
    (a, b) => a.title.localeCompare(b.title, 'en-GB') || a.id - b.id,
  );
}

function toFinancePlan(row: {
  plan_id: number;
  version: number;
  title: string;
  status: PlanStatus;
  budget_pence: number | null;
  staff_hours: number | null;
  start_date: string | null;
  end_date: string | null;
}): FinancePlan {
  return {
    id: row.plan_id,
    version: row.version,
    title: row.title,
    status: row.status,
    budgetPence: row.budget_pence,
    staffHours: row.staff_hours,
    startDate: row.start_date,
    endDate: row.end_date,
  };
}

export interface StoredFundingLine extends FundingLine {
  id: number;
  planId: number;
  createdAt: string;
  updatedAt: string;
}

/** Lists an organisation's funding lines, of one plan or of every plan, oldest first. */
export async function listFundingLines(
  db: Db,
  organisationId: number,
  planId?: number,
): Promise<StoredFundingLine[]> {
  let query = db
    .selectFrom('funding_lines')
    .selectAll()
    .where('organisation_id', '=', organisationId);
  if (planId !== undefined) query = query.where('plan_id', '=', planId);
  const rows = await query.orderBy('id').execute();
  return rows.map(toStoredLine);
}

/** Finds one funding line of one of the organisation's plans, or undefined. */
export async function findFundingLine(
  db: Db,
  organisationId: number,
  planId: number,
  lineId: number,
): Promise<StoredFundingLine | undefined> {
  const row = await db
    .selectFrom('funding_lines')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .where('plan_id', '=', planId)
    .where('id', '=', lineId)
    .executeTakeFirst();
  return row ? toStoredLine(row) : undefined;
}

/** Adds a funding line to a plan and returns its id. */
export async function addFundingLine(
  db: Db,
  organisationId: number,
  planId: number,
  line: FundingLine,
  userId: number | null,
): Promise<number> {
  const now = new Date().toISOString();
  const row = await db
    .insertInto('funding_lines')
    .values({
      organisation_id: organisationId,
      plan_id: planId,
      ...lineColumns(line),
      created_by: userId,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Replaces a funding line's details. Throws when the line is not the organisation's. */
export async function updateFundingLine(
  db: Db,
  organisationId: number,
  lineId: number,
  line: FundingLine,
): Promise<void> {
  const result = await db
    .updateTable('funding_lines')
    .set({ ...lineColumns(line), updated_at: new Date().toISOString() })
    .where('organisation_id', '=', organisationId)
    .where('id', '=', lineId)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) {
    throw new Error(`Funding line ${lineId} of organisation ${organisationId} does not exist`);
  }
}

/** Lists the Pupil Premium lines that draw on one financial year, across all plans. */
export async function listPremiumFundingLines(
  db: Db,
  organisationId: number,
  financialYear: number,
): Promise<StoredFundingLine[]> {
  const rows = await db
    .selectFrom('funding_lines')
    .selectAll()
    .where('organisation_id', '=', organisationId)
    .where('source', '=', 'pupil_premium')
    .where('financial_year', '=', financialYear)
    .orderBy('id')
    .execute();
  return rows.map(toStoredLine);
}

function lineColumns(line: FundingLine) {
  return {
    source: line.source,
    funder: line.funder,
    amount_pence: line.amountPence,
    status: line.status,
    financial_year: line.financialYear,
    expected_date: line.expectedDate,
    note: line.note,
  };
}

function toStoredLine(row: {
  id: number;
  plan_id: number;
  source: string;
  funder: string;
  amount_pence: number;
  status: string;
  financial_year: number | null;
  expected_date: string | null;
  note: string;
  created_at: string;
  updated_at: string;
}): StoredFundingLine {
  return {
    id: row.id,
    planId: row.plan_id,
    source: row.source as FundingSource,
    funder: row.funder,
    amountPence: row.amount_pence,
    status: row.status as FundingStatus,
    financialYear: row.financial_year,
    expectedDate: row.expected_date,
    note: row.note,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/**
 * Loads the pupils on roll in one academic year with the facts the Pupil Premium count needs,
 * and nothing that identifies them.
 */
export async function loadPremiumPupils(
  db: Db,
  organisationId: number,
  academicYear: number,
): Promise<PremiumPupil[]> {
  const years = await db
    .selectFrom('pupil_years')
    .select([
      'pupil_id',
      'nc_year',
      'in_care',
      'previously_looked_after',
      'service_child',
      'fsm_now_reported',
      'ever6_fsm_reported',
      'pupil_premium_reported',
    ])
    .where('organisation_id', '=', organisationId)
    .where('academic_year', '=', academicYear)
    .execute();
  const periods = await db
    .selectFrom('fsm_periods')
    .select(['pupil_id', 'start_date', 'end_date'])
    .where('organisation_id', '=', organisationId)
    .execute();

  const periodsByPupil = new Map<number, { start: string; end: string | null }[]>();
  for (const period of periods) {
    const list = periodsByPupil.get(period.pupil_id) ?? [];
    list.push({ start: period.start_date, end: period.end_date });
    periodsByPupil.set(period.pupil_id, list);
  }
  const flag = (value: number | null) => (value === null ? null : value === 1);
  return years.map((row) => ({
    ncYear: row.nc_year,
    inCare: flag(row.in_care),
    previouslyLookedAfter: flag(row.previously_looked_after),
    serviceChild: flag(row.service_child),
    fsmPeriods: periodsByPupil.get(row.pupil_id) ?? [],
    reported: {
      fsmNow: flag(row.fsm_now_reported),
      ever6Fsm: flag(row.ever6_fsm_reported),
      pupilPremium: flag(row.pupil_premium_reported),
    },
  }));
}
