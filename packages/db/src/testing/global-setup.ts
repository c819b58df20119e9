import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres, type PostgresServer } from '../postgres-server';
import { prepareTemplateDatabase } from './test-database';

declare global {
  var __BONESCAN_PG__: { server?: PostgresServer; dataDir?: string } | undefined;
}

/**
 * Jest global setup: one PostgreSQL for the whole run. With DATABASE_URL set the tests use that
 * server; otherwise a throw-away embedded server is started. A migrated template database is
 * prepared once; every test file then clones it (CREATE DATABASE ... TEMPLATE), which is fast and
 * keeps files independent of each other.
 */
export default async function globalSetup(): Promise<void> {
  let serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bonescan-pg-'));
    const server = await startEmbeddedPostgres({ dataDir });
    globalThis.__BONESCAN_PG__ = { server, dataDir };
    serverUrl = server.url;
  }
  process.env.TEST_POSTGRES_URL = serverUrl;
  process.env.TEST_TEMPLATE_DATABASE = await prepareTemplateDatabase(serverUrl);
}
