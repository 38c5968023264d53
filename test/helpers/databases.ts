import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import {
  openDatabase,
  type DatabaseHandle,
  type DialectName,
} from '../../src/platform/db/database.js';
import { migrateToLatest } from '../../src/platform/db/migrate.js';

/**
 * Fresh, migrated databases for store tests: one SQLite file and one PostgreSQL database on
 * the local server, so that every store test runs on both.
 *
 * PostgreSQL comes from TEST_POSTGRES_URL, by default the local server's `postgres` database
 * on 127.0.0.1:5432; each call creates its own database there and drops it afterwards.
 */
export const DIALECTS: DialectName[] = ['sqlite', 'postgres'];

const ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase extends DatabaseHandle {
  destroy(): Promise<void>;
}

export async function createTestDatabase(dialect: DialectName): Promise<TestDatabase> {
  return dialect === 'sqlite' ? createSqlite() : createPostgres();
}

async function createSqlite(): Promise<TestDatabase> {
  const folder = mkdtempSync(join(tmpdir(), 'commissioner-test-'));
  const handle = openDatabase(`sqlite:${join(folder, 'test.sqlite')}`);
  await migrateToLatest(handle.db);
  return {
    ...handle,
    destroy: async () => {
      await handle.close();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

async function createPostgres(): Promise<TestDatabase> {
  const name = `commissioner_test_${process.pid}_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  try {
    await admin.connect();
  } catch (error) {
    throw new Error(
      `Cannot reach PostgreSQL at ${ADMIN_URL.replace(/\/\/[^@]*@/, '//***@')}: start the local server or set TEST_POSTGRES_URL`,
      { cause: error },
    );
  }
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();

  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const handle = openDatabase(url.toString());
  await migrateToLatest(handle.db);
  return {
    ...handle,
    destroy: async () => {
      await handle.close();
      const cleaner = new pg.Client({ connectionString: ADMIN_URL });
      await cleaner.connect();
      await cleaner.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleaner.end();
    },
  };
}
