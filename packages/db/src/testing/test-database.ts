import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { createDataSource, openDatabase } from '../data-source';

/** Replaces the database name in a PostgreSQL connection string. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

export async function adminQuery(serverUrl: string, sql: string): Promise<void> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

const uniqueName = (prefix: string) => `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;

/** Creates and migrates the template database every test file clones. */
export async function prepareTemplateDatabase(serverUrl: string): Promise<string> {
  const name = uniqueName('bonescan_template');
  await adminQuery(serverUrl, `CREATE DATABASE ${name}`);
  const dataSource = await openDatabase({ url: withDatabase(serverUrl, name), poolSize: 1 });
  await dataSource.destroy();
  return name;
}

export async function dropTemplateDatabase(): Promise<void> {
  const serverUrl = process.env.TEST_POSTGRES_URL;
  const template = process.env.TEST_TEMPLATE_DATABASE;
  if (serverUrl && template) await adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
}

export interface TestDatabase {
  url: string;
  dataSource: DataSource;
  /** Closes the connection and drops the database. */
  drop(): Promise<void>;
}

/**
 * A fresh, migrated database of its own for one test file, cloned from the run's template.
 * `onQuery` sees every SQL statement (used to count round trips).
 */
export async function createTestDatabase(options: { onQuery?: (sql: string) => void; poolSize?: number } = {}): Promise<TestDatabase> {
  const serverUrl = process.env.TEST_POSTGRES_URL;
  const template = process.env.TEST_TEMPLATE_DATABASE;
  if (!serverUrl || !template) throw new Error('No test PostgreSQL: run the tests through jest (its global setup starts one)');
  const name = uniqueName('bonescan_test');
  await adminQuery(serverUrl, `CREATE DATABASE ${name} TEMPLATE ${template}`);
  const url = withDatabase(serverUrl, name);
  const dataSource = createDataSource({ url, onQuery: options.onQuery, poolSize: options.poolSize });
  await dataSource.initialize();
  return {
    url,
    dataSource,
    drop: async () => {
      if (dataSource.isInitialized) await dataSource.destroy();
      await adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}
