import { Client } from 'pg';
import { openDatabase } from './data-source';
import { pendingSchemaChanges } from './schema-drift';
import { withDatabase } from './testing';

describe('migrations', () => {
  const serverUrl = process.env.TEST_POSTGRES_URL as string;
  const name = `bonescan_empty_${process.pid}`;

  beforeAll(async () => {
    const admin = new Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
  });

  afterAll(async () => {
    const admin = new Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  });

  it('migrate an empty database to a schema TypeORM finds identical to the entities', async () => {
    const dataSource = await openDatabase({ url: withDatabase(serverUrl, name), poolSize: 1 });
    try {
      const applied = await dataSource.query('SELECT name FROM migrations ORDER BY id');
      expect(applied.length).toBe(dataSource.migrations.length);
      expect(await pendingSchemaChanges(dataSource)).toEqual({ up: [], down: [] });
      // Expression indexes live only in migrations: check they are really there.
      const indexes = await dataSource.query(`SELECT indexname FROM pg_indexes WHERE indexname IN ('scans_triage_order','users_email_lower_unique')`);
      expect(indexes).toHaveLength(2);
    } finally {
      await dataSource.destroy();
    }
  });

  it('enforce one prediction per scan and model version in the database itself', async () => {
    const dataSource = await openDatabase({ url: withDatabase(serverUrl, name), poolSize: 1 });
    try {
      const [{ indexdef }] = await dataSource.query(
        `SELECT indexdef FROM pg_indexes WHERE tablename = 'predictions' AND indexdef LIKE '%UNIQUE%scan_id%model_version_id%'`,
      );
      expect(indexdef).toContain('UNIQUE');
    } finally {
      await dataSource.destroy();
    }
  });

  it('refuse a second ACTIVE model version in the database itself', async () => {
    const dataSource = await openDatabase({ url: withDatabase(serverUrl, name), poolSize: 1 });
    const insert = (version: string) =>
      dataSource.query(
        `INSERT INTO model_versions (name, version, architecture, path, threshold, status, synthetic_data, card) VALUES ('m', $1, 'vgg16', '/m', 0.5, 'ACTIVE', true, '{}')`,
        [version],
      );
    try {
      await insert('1');
      await expect(insert('2')).rejects.toThrow(/model_versions_one_active/);
    } finally {
      await dataSource.destroy();
    }
  });
});
