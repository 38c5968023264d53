import { buildApp } from './platform/app.js';
import { loadConfig } from './platform/config.js';
import { openDatabase } from './platform/db/database.js';
import { migrateToLatest } from './platform/db/migrate.js';
import { asPinoLogger } from './platform/http/request-logging.js';
import { seedDemoIfEmpty } from './pupils/demo/seed-demo.js';

/**
 * Starts Commissioner: reads the configuration from the environment, brings the database up
 * to date, adds the demo school when `DEMO=on` and the database is empty, then serves HTTP on
 * HOST:PORT until SIGINT or SIGTERM.
 */
async function main(): Promise<void> {
  const config = loadConfig();
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
    app.log.fatal({ err: error }, 'start-up failed');
    await app.close();
    await database.close();
    process.exitCode = 1;
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

await main();
