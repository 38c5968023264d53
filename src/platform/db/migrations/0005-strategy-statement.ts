import type { Kysely } from 'kysely';

// The Pupil Premium strategy statement: what a senior leader enters for one financial year
// that the school's records cannot supply (the statement of intent, who authorised it, the
// leads, its dates and the money carried forward), and the tier of activity each plan sits in.
// A plan's tier is one row per plan, because a service stays in its tier from year to year.

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations run before the typed schema exists */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('strategy_statements')
    .addColumn('id', 'integer', (col) => identity(db, col))
    .addColumn('organisation_id', 'integer', (col) => col.notNull().references('organisations.id'))
    .addColumn('financial_year', 'integer', (col) => col.notNull())
    .addColumn('statement_of_intent', 'text', (col) => col.notNull())
    .addColumn('authorised_by', 'text', (col) => col.notNull())
    .addColumn('pupil_premium_lead', 'text', (col) => col.notNull())
    .addColumn('governor_lead', 'text', (col) => col.notNull())
    .addColumn('published_on', 'text', (col) => col.notNull())
    .addColumn('next_review_on', 'text', (col) => col.notNull())
    .addColumn('carried_forward_pence', 'integer', (col) => col.notNull())
    .addColumn('updated_by', 'integer', (col) => col.references('users.id'))
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .addUniqueConstraint('strategy_statements_organisation_year', [
      'organisation_id',
      'financial_year',
    ])
    .execute();

  await db.schema
    .createTable('strategy_plan_tiers')
    .addColumn('id', 'integer', (col) => identity(db, col))
    .addColumn('organisation_id', 'integer', (col) => col.notNull().references('organisations.id'))
    .addColumn('plan_id', 'integer', (col) => col.notNull().unique().references('plans.id'))
    .addColumn('tier', 'text', (col) => col.notNull())
    .addColumn('updated_by', 'integer', (col) => col.references('users.id'))
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex('strategy_plan_tiers_organisation_id')
    .on('strategy_plan_tiers')
    .column('organisation_id')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('strategy_plan_tiers').execute();
  await db.schema.dropTable('strategy_statements').execute();
}

function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter.constructor.name === 'PostgresAdapter';
}

function identity(db: Kysely<any>, col: any): any {
  return isPostgres(db) ? col.primaryKey().generatedByDefaultAsIdentity() : col.primaryKey();
}
/* eslint-enable @typescript-eslint/no-explicit-any */
