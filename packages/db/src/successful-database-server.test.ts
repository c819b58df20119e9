import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { startDatabaseServer } from './database-server';
import { freePort } from './postgres-server';

const ROOT = path.resolve(__dirname, '../../..');

describe('embedded database server', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bonescan-data-'));
  fs.chmodSync(dataDir, 0o755); // as root the server runs as the postgres user, who must reach the folder
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('keep data across restarts, and let a second command share the running server', async () => {
    const port = await freePort();
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['-r', '@swc-node/register', path.join(__dirname, 'testing/database-server-scenario.ts'), dataDir, String(port)],
      { cwd: ROOT },
    );
    const observed = JSON.parse(stdout);
    expect(observed.embedded).toBe(true);
    expect(new URL(observed.firstUrl).pathname).toBe('/bonescan');
    expect(observed.sharedUrl).toBe(observed.firstUrl);
    expect(observed.afterSharedStop).toEqual([{ n: 42 }]);
    expect(observed.afterRestart).toEqual([{ n: 42 }]);
  });

  it('use DATABASE_URL as it is, starting nothing', async () => {
    const server = await startDatabaseServer({ databaseUrl: 'postgres://somewhere.invalid/db', dataDir, port: 0 });
    expect(server).toMatchObject({ url: 'postgres://somewhere.invalid/db', embedded: false });
  });
});
