import { sql } from 'kysely';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/databases.js';

const ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

describe('PostgreSQL pool', () => {
  let database: TestDatabase | undefined;

  afterEach(async () => {
    await database?.destroy();
  });

  it('survives an idle connection ended by the server', async () => {
    database = await createTestDatabase('postgres');
    const { db } = database;
    const before = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(db);
    const pid = before.rows[0]?.pid;

    // A connection outside the pool ends the pool's one while it sits idle.
    const other = new pg.Client({ connectionString: ADMIN_URL });
    await other.connect();
    await other.query('select pg_terminate_backend($1)', [pid]);
    await other.end();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const after = await sql<{ one: number }>`select 1 as one`.execute(db);

    expect(after.rows[0]?.one).toBe(1);
  });
});
