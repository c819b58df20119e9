/**
 * Runs the API alone (GraphQL, DICOMweb, C-STORE): `node -r @swc-node/register services/api/src/main.ts`.
 * Uses DATABASE_URL, or the embedded PostgreSQL when it is unset.
 */
import 'reflect-metadata';
import { loadConfig } from '@bonescan/config';
import { openDatabase, startDatabaseServer } from '@bonescan/db';
import { createLogger } from '@bonescan/logger';
import { startApiServer } from './server';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger('api', config.LOG_LEVEL);
  const database = await startDatabaseServer({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR, port: config.EMBEDDED_POSTGRES_PORT });
  const dataSource = await openDatabase({ url: database.url });
  const server = await startApiServer({ config, dataSource, databaseUrl: database.url, logger });

  const stop = async (signal: string) => {
    logger.info({ signal }, 'api stopping');
    await server.stop();
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
