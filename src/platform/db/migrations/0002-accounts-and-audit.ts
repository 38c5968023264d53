import { sql, type Kysely } from 'kysely';

// Accounts, memberships, sessions, invitations, sign-in attempts and the audit trail.
// Tokens (sessions and invitations) are stored only as SHA-256 hashes, so a copy of the
// database does not let anyone sign in or accept an invitation.

/* eslint-disable @typescript-eslint/no-explicit-any -- migrations run before the typed schema exists */
export async function up(db: Kysely<any>): Promise<void> {
  // Amount above which a governor, not a senior leader, must approve; null until set.
  await db.schema
    .alterTable('organisations')
    .addColumn('delegated_limit_pence', 'integer')
    .execute();

  await db.schema
    .createTable('users')
    .addColumn('id', 'integer', (col) => identity(db, col))
    .addColumn('email', 'text', (col) => col.notNull())
    // Lower-case copy used for look-ups, so that Jo@School.org and jo@school.org are one account.
    .addColumn('email_lookup', 'text', (col) => col.notNull().unique())
    .addColumn('display_name', 'text', (col) => col.notNull())
    .addColumn('password_hash', 'text')
    .addColumn('password_changed_at', 'text')
    .addColumn('disabled_at', 'text')
    .addColumn('created_at', 'text', (col) => col.notNull())
    .execute();

  await db.schema
    .createTable('memberships')
    .addColumn('id', 'integer', (col) => identity(db, col))
    .addColumn('user_id', 'integer', (col) => col.notNull().references('users.id'))
    .addColumn('organisation_id', 'integer', (col) => col.notNull().references('organisations.id'))
    .addColumn('role', 'text', (col) => col.notNull())
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addUniqueConstraint('memberships_user_organisation', ['user_id', 'organisation_id'])
    .execute();
  await db.schema
    .createIndex('memberships_organisation')
    .on('memberships')
    .column('organisation_id')
    .execute();

  await db.schema
    .createTable('sessions')
    .addColumn('id', 'integer', (col) => identity(db, col))
    .addColumn('token_hash', 'text', (col) => col.notNull().unique())
    .addColumn('user_id', 'integer', (col) => col.notNull().references('users.id'))
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('last_seen_at', 'text', (col) => col.notNull())
    .addColumn('expires_at', 'text', (col) => col.notNull())
    .addColumn('revoked_at', 'text')
    .execute();
  await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();

  await db.schema
    .createTable('invitations')
    .addColumn('id', 'integer', (col) => identity(db, col))
    .addColumn('token_hash', 'text', (col) => col.notNull().unique())
    .addColumn('organisation_id', 'integer', (col) => col.notNull().references('organisations.id'))
    .addColumn('email', 'text', (col) => col.notNull())
    .addColumn('role', 'text', (col) => col.notNull())
    .addColumn('invited_by', 'integer', (col) => col.references('users.id'))
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('expires_at', 'text', (col) => col.notNull())
    .addColumn('accepted_at', 'text')
    .addColumn('revoked_at', 'text')
    .execute();
  await db.schema
    .createIndex('invitations_organisation')
    .on('invitations')
    .column('organisation_id')
    .execute();

  await db.schema
    .createTable('sign_in_attempts')
    .addColumn('id', 'integer', (col) => identity(db, col))
    .addColumn('email_lookup', 'text', (col) => col.notNull())
    .addColumn('ip_address', 'text', (col) => col.notNull())
    .addColumn('succeeded', 'integer', (col) => col.notNull())
    .addColumn('attempted_at', 'text', (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex('sign_in_attempts_email')
    .on('sign_in_attempts')
    .columns(['email_lookup', 'attempted_at'])
    .execute();
  await db.schema
    .createIndex('sign_in_attempts_ip')
    .on('sign_in_attempts')
    .columns(['ip_address', 'attempted_at'])
    .execute();

  await db.schema
    .createTable('audit_events')
    .addColumn('id', 'integer', (col) => identity(db, col))
    .addColumn('occurred_at', 'text', (col) => col.notNull())
    .addColumn('user_id', 'integer', (col) => col.references('users.id'))
    .addColumn('organisation_id', 'integer', (col) => col.references('organisations.id'))
    .addColumn('action', 'text', (col) => col.notNull())
    .addColumn('subject_type', 'text')
    .addColumn('subject_id', 'text')
    .addColumn('details', 'text', (col) => col.notNull())
    .addColumn('request_id', 'text')
    .addColumn('ip_address', 'text')
    .execute();
  await db.schema
    .createIndex('audit_events_organisation')
    .on('audit_events')
    .columns(['organisation_id', 'occurred_at'])
    .execute();

  await makeAuditAppendOnly(db);
}

// The audit trail must not be edited after the fact, so both databases reject UPDATE and
// DELETE on it. (Dropping the table is still possible for whoever owns the database.)
async function makeAuditAppendOnly(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) {
    await sql`
      CREATE FUNCTION audit_events_reject_change() RETURNS trigger AS $$
      BEGIN
        RAISE EXCEPTION 'audit_events is append-only: % is not allowed', TG_OP;
      END;
      $$ LANGUAGE plpgsql`.execute(db);
    await sql`
      CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
      FOR EACH ROW EXECUTE FUNCTION audit_events_reject_change()`.execute(db);
    return;
  }
  await sql`
    CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
    BEGIN SELECT RAISE(ABORT, 'audit_events is append-only: UPDATE is not allowed'); END`.execute(
    db,
  );
  await sql`
    CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
    BEGIN SELECT RAISE(ABORT, 'audit_events is append-only: DELETE is not allowed'); END`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  if (isPostgres(db))
    await sql`DROP FUNCTION IF EXISTS audit_events_reject_change CASCADE`.execute(db);
  for (const table of [
    'audit_events',
    'sign_in_attempts',
    'invitations',
    'sessions',
    'memberships',
    'users',
  ]) {
    await db.schema.dropTable(table).execute();
  }
  await db.schema.alterTable('organisations').dropColumn('delegated_limit_pence').execute();
}

function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter.constructor.name === 'PostgresAdapter';
}

function identity(db: Kysely<any>, col: any): any {
  return isPostgres(db) ? col.primaryKey().generatedByDefaultAsIdentity() : col.primaryKey();
}
/* eslint-enable @typescript-eslint/no-explicit-any */
