/**
 * Runs the API alone (GraphQL, DICOMweb, C-STORE): `node -r @swc-node/register services/api/src/main.ts`.
 * Uses DATABASE_URL, or the embedded PostgreSQL when it is unset.
 */
import 'reflect-metadata';
import { loadConfig, sessionSecret } from '@bonescan/config';
import { openDatabase, startDatabaseServer } from '@bonescan/db';
import { createLogger } from '@bonescan/logger';
import { runCommand, startApiServer, stopOnSignal } from './server';

async function main(): Promise<void> {
  const config = loadConfig();
  sessionSecret(config); // a missing or weak secret stops here, before a database server is started for nothing
  const logger = createLogger('api', config.LOG_LEVEL);
  const database = await startDatabaseServer({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR, port: config.EMBEDDED_POSTGRES_PORT });
  const dataSource = await openDatabase({ url: database.url });
  const server = await startApiServer({ config, dataSource, databaseUrl: database.url, logger });

  stopOnSignal({ server, dataSource, database, logger });
}

runCommand(main);
