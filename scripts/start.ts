/**
 * `npm start`: the whole platform on one machine — PostgreSQL (embedded unless DATABASE_URL is set),
 * the API with its DICOM receivers, the inference worker(s) and the portal — with demo sign-ins
 * seeded on first start. Ctrl-C stops everything cleanly.
 */
import 'reflect-metadata';
import { loadConfig } from '@bonescan/config';
import { openDatabase, startDatabaseServer } from '@bonescan/db';
import { createLogger } from '@bonescan/logger';
import { buildApp } from '../services/api/src/app';
import { DEMO_USERS, seedDemoUsers } from '../services/api/src/demo/demo-users';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger('start', config.LOG_LEVEL);
  const database = await startDatabaseServer({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR, port: config.EMBEDDED_POSTGRES_PORT });
  logger.info({ embedded: database.embedded }, 'database ready');
  const dataSource = await openDatabase({ url: database.url });
  const seeded = config.DEMO_DATA && (await seedDemoUsers(dataSource));
  const api = await buildApp({ config, dataSource, logger: createLogger('api', config.LOG_LEVEL) });

  const lines = [
    '',
    'Bone-scan decision support is running (research demo — not for clinical decisions)',
    `  GraphQL API   ${api.url}/graphql`,
    `  Database      ${database.embedded ? `embedded PostgreSQL, data in ${config.DATA_DIR}/postgres` : 'DATABASE_URL'}`,
    '',
    config.DEMO_DATA ? `Demo sign-ins${seeded ? ' (created now)' : ''}:` : '',
    ...(config.DEMO_DATA ? DEMO_USERS.map((u) => `  ${u.role.padEnd(10)} ${u.email.padEnd(26)} ${u.password}`) : []),
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    await api.shutdown();
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
