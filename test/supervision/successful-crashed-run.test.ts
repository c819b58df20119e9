/**
 * The supervisor itself killed with -9: its Node parts leave on their own, PostgreSQL is left behind; the next
 * `npm start` on the same folder stops that orphan cleanly, sweeps half-stored blobs, runs, and on Ctrl-C leaves
 * nothing behind. The embedded server's superuser has a random password, kept readable by its owner only.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { listenerOf } from '../../scripts/supervisor/ports';
import { waitFor } from '../../services/inference/src/worker/testing/worker-process';
import { freePlatformPorts, isAlive, platformDataDir, startPlatform, statusOf, type Platform } from './platform';

const postmasterOf = (dataDir: string) => Number(fs.readFileSync(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);

describe('npm start after a crashed run', () => {
  const dataDir = platformDataDir();
  let second: Platform | undefined;

  afterAll(async () => {
    await second?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }, 120_000);

  it('recover the orphaned PostgreSQL, sweep leftover staged blobs, and stop every part on Ctrl-C', async () => {
    const ports = await freePlatformPorts();
    const crashed = startPlatform({ dataDir, ports });
    await crashed.running;
    const parts = [listenerOf(ports.api)!, listenerOf(ports.worker)!];
    const orphan = postmasterOf(dataDir);
    const leftover = path.join(dataDir, 'blobs', 'ab', 'cd', `${'ab'.padEnd(64, '0')}.0123456789ab.tmp`);
    fs.mkdirSync(path.dirname(leftover), { recursive: true });
    fs.writeFileSync(leftover, 'half a blob');
    fs.utimesSync(leftover, new Date(Date.now() - 3600_000), new Date(Date.now() - 3600_000));

    crashed.supervisor.kill('SIGKILL');
    await waitFor('the API and the worker gone with their supervisor', async () => (parts.every((pid) => !isAlive(pid)) ? true : undefined), 60_000);
    expect(isAlive(orphan)).toBe(true);

    second = startPlatform({ dataDir, ports });
    await second.running;
    expect(isAlive(orphan)).toBe(false);
    expect(postmasterOf(dataDir)).not.toBe(orphan);
    expect(fs.existsSync(leftover)).toBe(false);
    expect(await statusOf(`${second.apiUrl}/readyz`)).toBe(200);

    const postmaster = postmasterOf(dataDir);
    const children = [listenerOf(ports.api)!, listenerOf(ports.worker)!];
    await second.stop();
    expect((await second.exited).code).toBe(0);
    expect([postmaster, ...children].filter(isAlive)).toEqual([]);
  }, 420_000);

  it('give the embedded superuser a random password, in a file only its owner reads, and refuse the old fixed one', async () => {
    const file = path.join(dataDir, 'postgres', 'bonescan-password');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(file, 'utf8').trim()).not.toBe('postgres');
    expect(fs.readFileSync(file, 'utf8').trim().length).toBeGreaterThanOrEqual(24);

    const third = startPlatform({ dataDir, ports: await freePlatformPorts() });
    second = third;
    await third.running;
    const guess = new Client({ connectionString: `postgres://postgres:postgres@127.0.0.1:${third.ports.postgres}/postgres` });
    await expect(guess.connect()).rejects.toMatchObject({ code: '28P01' });
    await guess.end().catch(() => undefined);
  }, 240_000);
});
