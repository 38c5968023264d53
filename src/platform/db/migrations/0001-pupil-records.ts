import type { Kysely } from 'kysely';

// Migrations are written once for both databases: `integer` columns with an identity default,
// ISO text for dates and 0/1 integers for booleans behave the same in SQLite and PostgreSQL.

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations run before the typed schema exists */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('organisations')
    .addColumn('id', 'integer', (col) => identity(db, col))
    .addColumn('kind', 'text', (col) => col.notNull())
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('urn', 'text')
    .addColumn('laestab', 'text', (col) => col.unique())
    .addColumn('phase', 'text')
    .addColumn('local_authority', 'text')
    .addColumn('parent_id', 'integer', (col) => col.references('organisations.id'))
    .addColumn('created_at', 'text', (col) => col.notNull())
    .execute();

  await db.schema
    .createTable('imports')
    .addColumn('id', 'integer', (col) => identity(db, col))
    .addColumn('organisation_id', 'integer', (col) => col.notNull().references('organisations.id'))
    .addColumn('status', 'text', (col) => col.notNull())
    .addColumn('file_name', 'text', (col) => col.notNull())
    .addColumn('format', 'text', (col) => col.notNull())
    .addColumn('academic_year', 'integer')
    .addColumn('ctf_version', 'text')
    .addColumn('content', isPostgres(db) ? 'bytea' : 'blob')
    .addColumn('options', 'text', (col) => col.notNull())
    .addColumn('summary', 'text', (col) => col.notNull())
    .addColumn('error_count', 'integer', (col) => col.notNull())
    .addColumn('warning_count', 'integer', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('committed_at', 'text')
    .execute();
  await db.schema
    .createIndex('imports_organisation')
    .on('imports')
    .columns(['organisation_id', 'id'])
    .execute();

  await db.schema
    .createTable('pupils')
    .addColumn('id', 'integer', (col) => identity(db, col))
    .addColumn('organisation_id', 'integer', (col) => col.notNull().references('organisations.id'))
    .addColumn('upn', 'text', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addUniqueConstraint('pupils_organisation_upn', ['organisation_id', 'upn'])
    .execute();

  await db.schema
    .createTable('pupil_years')
    .addColumn('id', 'integer', (col) => identity(db, col))
    .addColumn('organisation_id', 'integer', (col) => col.notNull().references('organisations.id'))
    .addColumn('pupil_id', 'integer', (col) => col.notNull().references('pupils.id'))
    .addColumn('academic_year', 'integer', (col) => col.notNull())
    .addColumn('upn_temporary', 'integer', (col) => col.notNull())
    .addColumn('legal_surname', 'text', (col) => col.notNull())
    .addColumn('legal_forename', 'text', (col) => col.notNull())
    .addColumn('preferred_surname', 'text')
    .addColumn('preferred_forename', 'text')
    .addColumn('date_of_birth', 'text')
    .addColumn('sex', 'text')
    .addColumn('nc_year', 'text')
    .addColumn('ethnicity', 'text')
    .addColumn('first_language', 'text')
    .addColumn('eal', 'integer')
    .addColumn('sen_provision', 'text')
    .addColumn('in_care', 'integer')
    .addColumn('previously_looked_after', 'integer')
    .addColumn('service_child', 'integer')
    .addColumn('fsm_now_reported', 'integer')
    .addColumn('ever6_fsm_reported', 'integer')
    .addColumn('pupil_premium_reported', 'integer')
    .addColumn('last_import_id', 'integer', (col) => col.notNull().references('imports.id'))
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .addUniqueConstraint('pupil_years_pupil_year', ['pupil_id', 'academic_year'])
    .execute();
  await db.schema
    .createIndex('pupil_years_organisation_year')
    .on('pupil_years')
    .columns(['organisation_id', 'academic_year'])
    .execute();

  await db.schema
    .createTable('fsm_periods')
    .addColumn('id', 'integer', (col) => identity(db, col))
    .addColumn('organisation_id', 'integer', (col) => col.notNull().references('organisations.id'))
    .addColumn('pupil_id', 'integer', (col) => col.notNull().references('pupils.id'))
    .addColumn('start_date', 'text', (col) => col.notNull())
    .addColumn('end_date', 'text')
    .addUniqueConstraint('fsm_periods_pupil_start', ['pupil_id', 'start_date'])
    .execute();
  await db.schema
    .createIndex('fsm_periods_organisation')
    .on('fsm_periods')
    .column('organisation_id')
    .execute();

  await db.schema
    .createTable('attendance')
    .addColumn('id', 'integer', (col) => identity(db, col))
    .addColumn('organisation_id', 'integer', (col) => col.notNull().references('organisations.id'))
    .addColumn('pupil_id', 'integer', (col) => col.notNull().references('pupils.id'))
    .addColumn('academic_year', 'integer', (col) => col.notNull())
    .addColumn('period', 'text', (col) => col.notNull())
    .addColumn('school_laestab', 'text', (col) => col.notNull())
    .addColumn('sessions_possible', 'integer', (col) => col.notNull())
    .addColumn('sessions_attended', 'integer', (col) => col.notNull())
    .addColumn('sessions_authorised', 'integer', (col) => col.notNull())
    .addColumn('sessions_unauthorised', 'integer', (col) => col.notNull())
    .addColumn('import_id', 'integer', (col) => col.notNull().references('imports.id'))
    .addUniqueConstraint('attendance_pupil_period', [
      'pupil_id',
      'academic_year',
      'period',
      'school_laestab',
    ])
    .execute();
  await db.schema
    .createIndex('attendance_organisation_year')
    .on('attendance')
    .columns(['organisation_id', 'academic_year'])
    .execute();

  await db.schema
    .createTable('exclusions')
    .addColumn('id', 'integer', (col) => identity(db, col))
    .addColumn('organisation_id', 'integer', (col) => col.notNull().references('organisations.id'))
    .addColumn('pupil_id', 'integer', (col) => col.notNull().references('pupils.id'))
    .addColumn('academic_year', 'integer', (col) => col.notNull())
    .addColumn('kind', 'text', (col) => col.notNull())
    .addColumn('start_date', 'text', (col) => col.notNull())
    .addColumn('sessions_lost', 'integer')
    .addColumn('reason', 'text')
    .addColumn('import_id', 'integer', (col) => col.notNull().references('imports.id'))
    .addUniqueConstraint('exclusions_pupil_start', ['pupil_id', 'kind', 'start_date'])
    .execute();
  await db.schema
    .createIndex('exclusions_organisation_year')
    .on('exclusions')
    .columns(['organisation_id', 'academic_year'])
    .execute();

  await db.schema
    .createTable('assessment_results')
    .addColumn('id', 'integer', (col) => identity(db, col))
    .addColumn('organisation_id', 'integer', (col) => col.notNull().references('organisations.id'))
    .addColumn('pupil_id', 'integer', (col) => col.notNull().references('pupils.id'))
    .addColumn('stage', 'text', (col) => col.notNull())
    .addColumn('subject', 'text', (col) => col.notNull())
    .addColumn('component', 'text', (col) => col.notNull())
    .addColumn('method', 'text', (col) => col.notNull())
    .addColumn('qualifier', 'text', (col) => col.notNull())
    .addColumn('result', 'text', (col) => col.notNull())
    .addColumn('result_date', 'text', (col) => col.notNull())
    .addColumn('year', 'integer')
    .addColumn('import_id', 'integer', (col) => col.notNull().references('imports.id'))
    .addUniqueConstraint('assessment_results_identity', [
      'pupil_id',
      'stage',
      'subject',
      'component',
      'method',
      'qualifier',
      'result_date',
    ])
    .execute();
  await db.schema
    .createIndex('assessment_results_organisation')
    .on('assessment_results')
    .column('organisation_id')
    .execute();

  await db.schema
    .createTable('pupil_changes')
    .addColumn('id', 'integer', (col) => identity(db, col))
    .addColumn('organisation_id', 'integer', (col) => col.notNull().references('organisations.id'))
    .addColumn('pupil_id', 'integer', (col) => col.notNull().references('pupils.id'))
    .addColumn('import_id', 'integer', (col) => col.notNull().references('imports.id'))
    .addColumn('academic_year', 'integer', (col) => col.notNull())
    .addColumn('field', 'text', (col) => col.notNull())
    .addColumn('old_value', 'text')
    .addColumn('new_value', 'text')
    .addColumn('changed_at', 'text', (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex('pupil_changes_organisation_pupil')
    .on('pupil_changes')
    .columns(['organisation_id', 'pupil_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'pupil_changes',
    'assessment_results',
    'exclusions',
    'attendance',
    'fsm_periods',
    'pupil_years',
    'pupils',
    'imports',
    'organisations',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}

function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter.constructor.name === 'PostgresAdapter';
}

// SQLite's INTEGER PRIMARY KEY is already an auto-assigned row id; PostgreSQL needs an identity.
function identity(db: Kysely<any>, col: any): any {
  return isPostgres(db) ? col.primaryKey().generatedByDefaultAsIdentity() : col.primaryKey();
}
/* eslint-enable @typescript-eslint/no-explicit-any */
