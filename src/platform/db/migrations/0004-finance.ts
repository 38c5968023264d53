import type { Kysely } from 'kysely';

// The Finance step: each organisation's own Pupil Premium rates and unit costs (the defaults
// in src/cycle/finance/reference-data.ts apply where it has none), funding lines per plan, a
// payment model per plan with its tariffs, the outcome lines of a payment-by-results
// settlement, and the figures behind a plan's value for money. Money is whole pence.

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations run before the typed schema exists */
export async function up(db: Kysely<any>): Promise<void> {
  await createReferenceTables(db);
  await createFundingTables(db);
  await createPaymentTables(db);
}

async function createReferenceTables(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('premium_rates')
    .addColumn('id', 'integer', (col) => identity(db, col))
    .addColumn('organisation_id', 'integer', (col) => col.notNull().references('organisations.id'))
    .addColumn('financial_year', 'integer', (col) => col.notNull())
    .addColumn('category', 'text', (col) => col.notNull())
    .addColumn('pence_per_pupil', 'integer', (col) => col.notNull())
    .addColumn('source', 'text', (col) => col.notNull())
    .addColumn('confirmed', 'integer', (col) => col.notNull())
    .addColumn('updated_by', 'integer', (col) => col.references('users.id'))
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .addUniqueConstraint('premium_rates_organisation_year_category', [
      'organisation_id',
      'financial_year',
      'category',
    ])
    .execute();

  await db.schema
    .createTable('unit_costs')
    .addColumn('id', 'integer', (col) => identity(db, col))
    .addColumn('organisation_id', 'integer', (col) => col.notNull().references('organisations.id'))
    .addColumn('key', 'text', (col) => col.notNull())
    .addColumn('label', 'text', (col) => col.notNull())
    .addColumn('unit', 'text', (col) => col.notNull())
    .addColumn('pence', 'integer', (col) => col.notNull())
    .addColumn('born_by', 'text', (col) => col.notNull())
    .addColumn('source', 'text', (col) => col.notNull())
    .addColumn('source_date', 'text', (col) => col.notNull())
    .addColumn('updated_by', 'integer', (col) => col.references('users.id'))
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .addUniqueConstraint('unit_costs_organisation_key', ['organisation_id', 'key'])
    .execute();
}

async function createFundingTables(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('funding_lines')
    .addColumn('id', 'integer', (col) => identity(db, col))
    .addColumn('organisation_id', 'integer', (col) => col.notNull().references('organisations.id'))
    .addColumn('plan_id', 'integer', (col) => col.notNull().references('plans.id'))
    .addColumn('source', 'text', (col) => col.notNull())
    .addColumn('funder', 'text', (col) => col.notNull().defaultTo(''))
    .addColumn('amount_pence', 'integer', (col) => col.notNull())
    .addColumn('status', 'text', (col) => col.notNull())
    .addColumn('financial_year', 'integer')
    .addColumn('expected_date', 'text')
    .addColumn('note', 'text', (col) => col.notNull().defaultTo(''))
    .addColumn('created_by', 'integer', (col) => col.references('users.id'))
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .execute();
  await index(db, 'funding_lines', ['organisation_id', 'plan_id']);
  await index(db, 'funding_lines', ['organisation_id', 'financial_year']);

  // Inputs of the value-for-money figures that the plan itself does not record.
  await db.schema
    .createTable('value_inputs')
    .addColumn('id', 'integer', (col) => identity(db, col))
    .addColumn('organisation_id', 'integer', (col) => col.notNull().references('organisations.id'))
    .addColumn('plan_id', 'integer', (col) => col.notNull().unique().references('plans.id'))
    .addColumn('pupils', 'integer')
    .addColumn('sessions', 'integer')
    .addColumn('outcomes_achieved', 'integer')
    .addColumn('staff_hourly_rate_pence', 'integer')
    // JSON object: unit cost key to the number of outcomes hoped for that avoid it.
    .addColumn('avoided_units', 'text', (col) => col.notNull().defaultTo('{}'))
    .addColumn('updated_by', 'integer', (col) => col.references('users.id'))
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .execute();
}

async function createPaymentTables(db: Kysely<any>): Promise<void> {
  // One model per plan. Price and units apply to fixed-price and per-unit models, up-front and
  // cap to payment by results; the schedule spreads the price, or the up-front share.
  await db.schema
    .createTable('payment_models')
    .addColumn('id', 'integer', (col) => identity(db, col))
    .addColumn('organisation_id', 'integer', (col) => col.notNull().references('organisations.id'))
    .addColumn('plan_id', 'integer', (col) => col.notNull().unique().references('plans.id'))
    .addColumn('kind', 'text', (col) => col.notNull())
    .addColumn('price_pence', 'integer')
    .addColumn('units', 'integer')
    .addColumn('outputs', 'text', (col) => col.notNull().defaultTo(''))
    .addColumn('upfront_pence', 'integer')
    .addColumn('cap_pence', 'integer')
    .addColumn('first_payment_date', 'text', (col) => col.notNull())
    .addColumn('instalments', 'integer', (col) => col.notNull())
    .addColumn('months_apart', 'integer', (col) => col.notNull())
    .addColumn('updated_by', 'integer', (col) => col.references('users.id'))
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .execute();

  await db.schema
    .createTable('payment_tariffs')
    .addColumn('id', 'integer', (col) => identity(db, col))
    .addColumn('organisation_id', 'integer', (col) => col.notNull().references('organisations.id'))
    .addColumn('payment_model_id', 'integer', (col) =>
      col.notNull().references('payment_models.id'),
    )
    .addColumn('position', 'integer', (col) => col.notNull())
    .addColumn('outcome', 'text', (col) => col.notNull())
    .addColumn('pence_per_unit', 'integer', (col) => col.notNull())
    .addColumn('evidence_required', 'text', (col) => col.notNull())
    .addColumn('hoped_units', 'integer', (col) => col.notNull())
    .addColumn('unit_cost_key', 'text')
    .addUniqueConstraint('payment_tariffs_model_position', ['payment_model_id', 'position'])
    .execute();

  // Outcome lines refer to a pupil or unit by a reference the school chooses, never by name.
  await db.schema
    .createTable('outcome_lines')
    .addColumn('id', 'integer', (col) => identity(db, col))
    .addColumn('organisation_id', 'integer', (col) => col.notNull().references('organisations.id'))
    .addColumn('plan_id', 'integer', (col) => col.notNull().references('plans.id'))
    .addColumn('tariff_id', 'integer', (col) => col.notNull().references('payment_tariffs.id'))
    .addColumn('unit_reference', 'text', (col) => col.notNull())
    .addColumn('evidence_status', 'text', (col) => col.notNull())
    .addColumn('disputed', 'integer', (col) => col.notNull())
    .addColumn('evidence_reference', 'text', (col) => col.notNull().defaultTo(''))
    .addColumn('recorded_by', 'integer', (col) => col.references('users.id'))
    .addColumn('recorded_at', 'text', (col) => col.notNull())
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .execute();
  await index(db, 'outcome_lines', ['organisation_id', 'plan_id']);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'outcome_lines',
    'payment_tariffs',
    'payment_models',
    'value_inputs',
    'funding_lines',
    'unit_costs',
    'premium_rates',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}

async function index(db: Kysely<any>, table: string, columns: string[]): Promise<void> {
  await db.schema
    .createIndex(`${table}_${columns.join('_')}`)
    .on(table)
    .columns(columns)
    .execute();
}

function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter.constructor.name === 'PostgresAdapter';
}

function identity(db: Kysely<any>, col: any): any {
  return isPostgres(db) ? col.primaryKey().generatedByDefaultAsIdentity() : col.primaryKey();
}
/* eslint-enable @typescript-eslint/no-explicit-any */
