import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, InjectOptions } from 'fastify';
import type { LightMyRequestResponse as InjectResponse } from 'fastify';
import type { Role } from '../../src/platform/auth/permissions.js';
import { buildApp } from '../../src/platform/app.js';
import { loadConfig } from '../../src/platform/config.js';
import { openDatabase, type DatabaseHandle } from '../../src/platform/db/database.js';
import { migrateToLatest } from '../../src/platform/db/migrate.js';
import { createUserWithRole, signInWithInject } from './sign-in.js';

export interface TestApp {
  app: FastifyInstance;
  /** Every log line the app wrote, parsed from JSON; only filled when `captureLogs` is set. */
  logs: Record<string, unknown>[];
  database: DatabaseHandle;
  /** `http://127.0.0.1:PORT` once `listen` was requested, otherwise null. */
  baseUrl: string | null;
  /** `commissioner_session=…` after `signIn`, sent with every `inject`; null before. */
  sessionCookie: string | null;
  /**
   * Creates a user with `role` in the organisation and signs them in, so that later `inject`
   * calls act as that user. Returns the user's e-mail address and password.
   */
  signIn(organisationId: number, role?: Role): Promise<{ email: string; password: string }>;
  /** `app.inject` with the session cookie of `signIn` added to any cookies the call sends. */
  inject(options: InjectOptions): Promise<InjectResponse>;
  close(): Promise<void>;
}

const TEST_PASSWORD = 'a long test password 2024';

/**
 * Builds the app on a migrated SQLite database in a new temporary folder, with the demo school
 * off. With `listen: true` it also serves on 127.0.0.1 on a free port, for a browser.
 * `env` overrides configuration variables, for example `{ MAX_UPLOAD_BYTES: '2048' }`, and
 * `captureLogs` keeps every log line at debug level in `logs` instead of discarding them.
 */
export async function startApp(
  options: { listen?: boolean; env?: Record<string, string>; captureLogs?: boolean } = {},
): Promise<TestApp> {
  const folder = mkdtempSync(join(tmpdir(), 'commissioner-test-'));
  const config = loadConfig({
    HOST: '127.0.0.1',
    PORT: '0',
    DATABASE_URL: `sqlite:${join(folder, 'test.sqlite')}`,
    DEMO: 'off',
    LOG_LEVEL: options.captureLogs ? 'debug' : 'silent',
    ...options.env,
  });
  const database = openDatabase(config.DATABASE_URL);
  await migrateToLatest(database.db);
  const logs: Record<string, unknown>[] = [];
  const logStream = { write: (line: string) => void logs.push(JSON.parse(line)) };
  const app = await buildApp({ config, database, logStream });
  const baseUrl = options.listen ? await app.listen({ host: '127.0.0.1', port: 0 }) : null;

  let signedIn = 0;
  const testApp: TestApp = {
    app,
    logs,
    database,
    baseUrl,
    sessionCookie: null,
    async signIn(organisationId, role = 'senior_leader') {
      signedIn += 1;
      const email = `${role}.${signedIn}@test.invalid`;
      await createUserWithRole(database.db, {
        email,
        password: TEST_PASSWORD,
        organisationId,
        role,
      });
      const { cookie } = await signInWithInject(app, email, TEST_PASSWORD);
      testApp.sessionCookie =
        cookie.split('; ').find((part) => part.startsWith('commissioner_session=')) ?? null;
      return { email, password: TEST_PASSWORD };
    },
    inject(options) {
      if (!testApp.sessionCookie) return app.inject(options);
      const headers = { ...(options.headers ?? {}) } as Record<string, string>;
      headers.cookie = headers.cookie
        ? `${testApp.sessionCookie}; ${headers.cookie}`
        : testApp.sessionCookie;
      return app.inject({ ...options, headers });
    },
    async close() {
      await app.close();
      await database.close();
      rmSync(folder, { recursive: true, force: true });
    },
  };
  return testApp;
}
