import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.js';

export type DialectName = 'sqlite' | 'postgres';

export interface DatabaseHandle {
  db: Kysely<Database>;
  dialect: DialectName;
  close(): Promise<void>;
}

// PostgreSQL returns int8 (count(), sum() of integers) and numeric as strings, because they can
// exceed JavaScript's safe integers. Our counts stay far below 2^53, so numbers are safe here.
pg.types.setTypeParser(20, (value) => Number.parseInt(value, 10));
pg.types.setTypeParser(1700, (value) => Number.parseFloat(value));

/**
 * Opens the database that `url` names: `sqlite:PATH` for an embedded file (its folder is
 * created if missing) or `postgres://…` for a PostgreSQL server.
 */
export function openDatabase(url: string): DatabaseHandle {
  if (url.startsWith('sqlite:')) return openSqlite(url.slice('sqlite:'.length));
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) return openPostgres(url);
  throw new Error(
    `Unsupported DATABASE_URL "${url.replace(/\/\/[^@]*@/, '//***@')}": use sqlite:PATH or postgres://user@host:port/database`,
  );
}

function openSqlite(path: string): DatabaseHandle {
  const isMemory = path === ':memory:';
  if (!isMemory) mkdirSync(dirname(resolve(path)), { recursive: true });

  const sqlite = new SQLite(isMemory ? ':memory:' : resolve(path));
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');

  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  return { db, dialect: 'sqlite', close: () => db.destroy() };
}

function openPostgres(url: string): DatabaseHandle {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // An idle connection that the server closes (a restart, or a dropped database) is reported on
  // the pool, and an unheard 'error' event would end the process. pg has already removed that
  // connection, the next query opens a fresh one, and a failing query reports its own error.
  pool.on('error', () => undefined);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, dialect: 'postgres', close: () => db.destroy() };
}
