import type { Kysely } from 'kysely';

// Joint commissioning: a plan of one school whose cost several schools of the same trust or
// local authority share. `joint_commissions` holds the lead school's choice of basis and the
// total it split; `joint_commission_shares` holds one row per school, the lead included, with
// the school's figure and its share in whole pence. Each share row carries the id of the school
// it belongs to, so a partner's queries are scoped by its own organisation id.

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations run before the typed schema exists */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('joint_commissions')
    .addColumn('id', 'integer', (col) => identity(db, col))
    .addColumn('organisation_id', 'integer', (col) => col.notNull().references('organisations.id'))
    .addColumn('plan_id', 'integer', (col) => col.notNull().unique().references('plans.id'))
    .addColumn('basis', 'text', (col) => col.notNull())
    .addColumn('total_pence', 'integer', (col) => col.notNull())
    .addColumn('created_by', 'integer', (col) => col.references('users.id'))
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('updated_by', 'integer', (col) => col.references('users.id'))
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .execute();
  await index(db, 'joint_commissions', ['organisation_id']);

  await db.schema
    .createTable('joint_commission_shares')
    .addColumn('id', 'integer', (col) => identity(db, col))
    .addColumn('joint_commission_id', 'integer', (col) =>
      col.notNull().references('joint_commissions.id'),
    )
    .addColumn('organisation_id', 'integer', (col) => col.notNull().references('organisations.id'))
    .addColumn('position', 'integer', (col) => col.notNull())
    .addColumn('weight', 'integer', (col) => col.notNull())
    .addColumn('share_pence', 'integer', (col) => col.notNull())
    .addUniqueConstraint('joint_commission_shares_commission_organisation', [
      'joint_commission_id',
      'organisation_id',
    ])
    .execute();
  await index(db, 'joint_commission_shares', ['organisation_id']);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('joint_commission_shares').execute();
  await db.schema.dropTable('joint_commissions').execute();
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
