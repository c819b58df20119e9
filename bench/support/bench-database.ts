import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, type Config } from '@bonescan/config';
import { openDatabase, startDatabaseServer } from '@bonescan/db';
import type { DataSource } from 'typeorm';

export interface BenchDatabase {
  config: Config;
  dataSource: DataSource;
  /** Connection string of the scratch database, for what opens connections of its own (the job queue). */
  databaseUrl: string;
  /** Scratch folder of this run (embedded database, blobs); removed afterwards. */
  dataDir: string;
}

/**
 * A scratch platform database for one benchmark: the embedded PostgreSQL in a temporary folder (or
 * DATABASE_URL), migrated, with a config whose API listens on a free port and signs sessions with a
 * random secret of its own; all removed afterwards.
 */
export async function withBenchDatabase<T>(name: string, poolSize: number, run: (bench: BenchDatabase) => Promise<T>): Promise<T> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `bench-${name}-`));
  fs.chmodSync(dataDir, 0o755); // as root, the embedded server runs as the postgres user, who must reach its folder
  const config = loadConfig({
    ...process.env,
    DATA_DIR: dataDir,
    API_PORT: '0',
    AUTH_SECRET: randomBytes(32).toString('base64url'),
    LOG_LEVEL: 'silent',
    EMBEDDED_POSTGRES_PORT: '0',
  });
  const database = await startDatabaseServer({ databaseUrl: config.DATABASE_URL, dataDir, port: 0 });
  const dataSource = await openDatabase({ url: database.url, poolSize });
  try {
    return await run({ config, dataSource, databaseUrl: database.url, dataDir });
  } finally {
    await dataSource.destroy();
    await database.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
