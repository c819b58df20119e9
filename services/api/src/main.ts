/**
 * Runs the API alone: `node -r @swc-node/register services/api/src/main.ts`.
 * Uses DATABASE_URL, or starts the embedded PostgreSQL when it is unset.
 */
import 'reflect-metadata';
import { loadConfig } from '@bonescan/config';
import { openDatabase, startDatabaseServer } from '@bonescan/db';
import { createLogger } from '@bonescan/logger';
import { buildApp } from './app';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger('api', config.LOG_LEVEL);
  const database = await startDatabaseServer({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR, port: config.EMBEDDED_POSTGRES_PORT });
  const dataSource = await openDatabase({ url: database.url });
  const app = await buildApp({ config, dataSource, logger });

  const stop = async (signal: string) => {
    logger.info({ signal }, 'api stopping');
    await app.shutdown();
    await dataSource.destroy();
    await database.stop();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
