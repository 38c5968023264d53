import { buildApp } from './platform/app.js';
import { loadConfig, type Config } from './platform/config.js';
import { openDatabase } from './platform/db/database.js';
import { migrateToLatest } from './platform/db/migrate.js';
import { asPinoLogger } from './platform/http/request-logging.js';
import { seedDemoIfEmpty } from './pupils/demo/seed-demo.js';

/**
 * Starts Commissioner: reads the configuration from the environment, brings the database up
 * to date, adds the demo school when `DEMO=on` and the database is empty, then serves HTTP on
 * HOST:PORT until SIGINT or SIGTERM.
 *
 * A start-up failure the user can fix (an invalid setting, a port in use) is printed as one
 * line on stderr that names the fix, with exit code 1. Any other failure is logged with its
 * stack, as a fault in the app.
 */
async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    reportStartFailure(describeConfigError(error));
    return;
  }
  const database = openDatabase(config.DATABASE_URL);
  const app = await buildApp({ config, database });

  try {
    await migrateToLatest(database.db);
    if (config.DEMO === 'on') await seedDemoIfEmpty(database.db, asPinoLogger(app.log));
    const address = await app.listen({ host: config.HOST, port: config.PORT });
    app.log.info(
      { address, database: database.dialect, demo: config.DEMO },
      `Commissioner is running at ${address}`,
    );
  } catch (error) {
    const problem = describeStartError(error, config);
    if (problem === null) app.log.fatal({ err: error }, 'start-up failed');
    await app.close();
    await database.close();
    if (problem === null) process.exitCode = 1;
    else reportStartFailure(problem);
    return;
  }

  const stop = async (signal: NodeJS.Signals): Promise<void> => {
    app.log.info({ signal }, 'stopping');
    await app.close();
    await database.close();
  };
  process.once('SIGINT', (signal) => void stop(signal));
  process.once('SIGTERM', (signal) => void stop(signal));
}

function reportStartFailure(problem: string): void {
  process.stderr.write(`Commissioner did not start: ${problem}\n`);
  process.exitCode = 1;
}

/**
 * Turns the configuration error, which lists each invalid variable on a line of its own, into
 * one line with the fix.
 */
function describeConfigError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const lines = message
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
  const [heading = 'Invalid configuration', ...variables] = lines;
  const detail = variables.length > 0 ? `${heading} ${variables.join('; ')}` : heading;
  return `${detail}. Correct each variable named, or unset it to use its default, then start again.`;
}

/** Describes a failure to listen that the user can fix, or returns null for any other error. */
function describeStartError(error: unknown, config: Config): string | null {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  const place = `${config.HOST} port ${config.PORT}`;
  switch (code) {
    case 'EADDRINUSE':
      return `${place} is already in use, perhaps by another copy of Commissioner. Stop that program, or set PORT to a free port, for example PORT=3001.`;
    case 'EACCES':
      return `this user may not listen on ${place}. Set PORT to 1024 or above, for example PORT=3000.`;
    case 'EADDRNOTAVAIL':
      return `HOST ${config.HOST} is not an address of this machine. Set HOST to one of its addresses, for example HOST=127.0.0.1.`;
    default:
      return null;
  }
}

await main();
