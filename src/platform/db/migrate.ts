import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import * as pupilRecords from './migrations/0001-pupil-records.js';
import * as accountsAndAudit from './migrations/0002-accounts-and-audit.js';
import * as needsAndPlans from './migrations/0003-needs-and-plans.js';
import * as finance from './migrations/0004-finance.js';
import * as strategyStatement from './migrations/0005-strategy-statement.js';
import * as jointCommissioning from './migrations/0006-joint-commissioning.js';
import type { Database } from './schema.js';

// Migrations are listed here rather than read from a folder, so they work the same from
// TypeScript sources under tsx and from any bundled build.
const MIGRATIONS: Record<string, Migration> = {
  '0001-pupil-records': pupilRecords,
  '0002-accounts-and-audit': accountsAndAudit,
  '0003-needs-and-plans': needsAndPlans,
  '0004-finance': finance,
  '0005-strategy-statement': strategyStatement,
  '0006-joint-commissioning': jointCommissioning,
};

const provider: MigrationProvider = { getMigrations: async () => MIGRATIONS };

/** Brings the schema up to date. Throws the first migration error with the migration's name. */
export async function migrateToLatest(db: Kysely<Database>): Promise<void> {
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((result) => result.status === 'Error');
  if (error) {
    const name = failed ? ` "${failed.migrationName}"` : '';
    throw new Error(`Database migration${name} failed: ${String(error)}`, { cause: error });
  }
}
