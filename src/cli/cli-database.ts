/**
 * Opens the database a command works on, from `DATABASE_URL`, and brings its schema up to date.
 */
import { fileURLToPath } from 'node:url';
import pino, { type Logger } from 'pino';
import { loadConfig } from '../platform/config.js';
import { openDatabase, type DatabaseHandle } from '../platform/db/database.js';
import { migrateToLatest } from '../platform/db/migrate.js';
import type { ImportLimits } from '../pupils/import-service.js';
import { CliError, type CliIo } from './cli-support.js';

/** The project folder: two levels above this file (`src/cli`). */
const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The web app's default database file, relative to the project folder. */
const DEFAULT_DATABASE_FILE = 'data/commissioner.sqlite';

export interface CliDatabase extends DatabaseHandle {
  /** `DATABASE_URL` as given or defaulted, with any password hidden, for messages. */
  description: string;
  limits: ImportLimits;
  log: Logger;
}

/**
 * Returns the database URL: `DATABASE_URL` when set, in which a relative SQLite path is resolved
 * against the working folder. Otherwise it is the web app's default file in the project folder,
 * so that the command line and `npm start` share one database whichever folder a command runs in.
 */
export function databaseUrl(env: NodeJS.ProcessEnv): string {
  const configured = env.DATABASE_URL?.trim();
  if (configured) return configured;
  return `sqlite:${PROJECT_ROOT}${DEFAULT_DATABASE_FILE}`;
}

/**
 * Opens and migrates the database. Log lines go to standard error at `LOG_LEVEL`, by default
 * `warn`, so that standard output carries only the command's own output.
 */
export async function openCliDatabase(io: CliIo): Promise<CliDatabase> {
  const url = databaseUrl(io.env);
  const config = readSettings(io.env, url);
  const description = url.replace(/\/\/[^@/]*@/, '//***@');
  const log = pino(
    { level: io.env.LOG_LEVEL?.trim() || 'warn' },
    pino.destination({ fd: 2, sync: true }),
  );

  let handle: DatabaseHandle | undefined;
  try {
    handle = openDatabase(config.DATABASE_URL);
    await migrateToLatest(handle.db);
  } catch (error) {
    await handle?.close().catch(() => undefined);
    const reason = error instanceof Error ? error.message : String(error);
    throw new CliError(`Cannot open the database ${description}: ${reason}. Check DATABASE_URL`);
  }
  return { ...handle, description, limits: { maxBytes: config.MAX_UPLOAD_BYTES }, log };
}

// Only the settings the command line uses are checked, so that a web-server setting such as
// PORT cannot stop a command.
function readSettings(env: NodeJS.ProcessEnv, url: string): ReturnType<typeof loadConfig> {
  try {
    return loadConfig({
      DATABASE_URL: url,
      MAX_UPLOAD_BYTES: env.MAX_UPLOAD_BYTES,
      LOG_LEVEL: env.LOG_LEVEL,
    });
  } catch (error) {
    throw new CliError(error instanceof Error ? error.message : String(error));
  }
}
