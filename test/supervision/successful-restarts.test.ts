/**
 * `npm start` keeps its parts running: a worker, the API and PostgreSQL each killed with -9 are started again, a
 * job the dead worker held is handed back at once (not after the 15-minute expiry), and /readyz tells the outage.
 */
import fs from 'node:fs';
import path from 'node:path';
import { BlobStore } from '@bonescan/blobstore';
import { loadConfig, predictionQueuePolicy } from '@bonescan/config';
import { createDataSource } from '@bonescan/db';
import { startQueue, type PgBoss } from '@bonescan/queue';
import type { DataSource } from 'typeorm';
import { listenerOf } from '../../scripts/supervisor/ports';
import { createQueuedScans } from '../../services/inference/src/worker/testing/fixtures';
import { waitFor } from '../../services/inference/src/worker/testing/worker-process';
import { freePlatformPorts, isAlive, platformDataDir, startPlatform, statusOf, type Platform } from './platform';

describe('npm start under kill -9', () => {
  const dataDir = platformDataDir();
  let platform: Platform;
  let dataSource: DataSource;
  let boss: PgBoss;

  beforeAll(async () => {
    platform = startPlatform({ dataDir, ports: await freePlatformPorts() });
    await platform.running;
    dataSource = createDataSource({ url: platform.databaseUrl(), poolSize: 2 });
    await dataSource.initialize();
    boss = await startQueue(platform.databaseUrl(), predictionQueuePolicy(loadConfig({ ...process.env, INFERENCE_RETRY_DELAY_SECONDS: '1' })));
  }, 240_000);

  afterAll(async () => {
    await boss?.stop({ graceful: false, wait: true }).catch(() => undefined);
    await dataSource?.destroy().catch(() => undefined);
    await platform?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }, 120_000);

  it('start a worker killed in the middle of a job again, and predict every scan once, well before the job expiry', async () => {
    await waitFor('the worker ready', async () => ((await statusOf(`${platform.workerUrl}/readyz`)) === 200 ? true : undefined));
    const scanIds = await createQueuedScans(dataSource, new BlobStore(path.join(dataDir, 'blobs')), boss, 6);
    await waitFor(
      'a job running',
      async () => ((await dataSource.query(`SELECT 1 FROM pgboss.job WHERE state = 'active'`)).length > 0 ? true : undefined),
      60_000,
      50,
    );
    const killed = listenerOf(platform.ports.worker)!;
    process.kill(killed, 'SIGKILL');
    const killedAt = Date.now();

    const predicted = async () =>
      (await dataSource.query('SELECT scan_id, count(*)::int AS n FROM predictions WHERE scan_id = ANY($1) GROUP BY scan_id', [scanIds])) as { n: number }[];
    await platform.explained(waitFor('every scan predicted', async () => ((await predicted()).length === scanIds.length ? true : undefined), 150_000, 500));
    // The job expiry is 15 minutes: a job handed back only by expiry would still be waiting.
    expect(Date.now() - killedAt).toBeLessThan(150_000);
    expect((await predicted()).map((row) => row.n)).toEqual(scanIds.map(() => 1));
    const restarted = listenerOf(platform.ports.worker);
    expect(restarted).not.toBeNull();
    expect(restarted).not.toBe(killed);
    expect(isAlive(killed)).toBe(false);
  }, 240_000);

  it('say not ready on /readyz of the API and the worker while PostgreSQL is down, and ready once the supervisor has it back', async () => {
    const postmaster = Number(fs.readFileSync(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
    const seen = { api: new Set<number>(), worker: new Set<number>(), liveness: new Set<number>() };
    process.kill(postmaster, 'SIGKILL');
    const deadline = Date.now() + 90_000;
    let backSince = 0;
    while (Date.now() < deadline) {
      const [api, worker, liveness] = await Promise.all([
        statusOf(`${platform.apiUrl}/readyz`),
        statusOf(`${platform.workerUrl}/readyz`),
        statusOf(`${platform.apiUrl}/healthz`),
      ]);
      seen.api.add(api);
      seen.worker.add(worker);
      seen.liveness.add(liveness);
      backSince = api === 200 && worker === 200 && seen.api.has(503) && seen.worker.has(503) ? backSince || Date.now() : 0;
      if (backSince && Date.now() - backSince > 2000) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // Not ready is 503, or no answer in time from a process busy reconnecting: anything but 200.
    expect([...seen.api].sort()).toEqual([200, 503]);
    expect(seen.worker.has(200)).toBe(true);
    expect([...seen.worker].some((status) => status !== 200)).toBe(true);
    expect([...seen.liveness]).toEqual([200]); // alive all along: only readiness follows the database
    const restarted = Number(fs.readFileSync(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);
    expect(restarted).not.toBe(postmaster);
  }, 120_000);

  it('start the API killed with -9 again on its port', async () => {
    const killed = listenerOf(platform.ports.api)!;
    process.kill(killed, 'SIGKILL');
    const restarted = await waitFor('the API back', async () => {
      const pid = listenerOf(platform.ports.api);
      return pid !== null && pid !== killed && (await statusOf(`${platform.apiUrl}/readyz`)) === 200 ? pid : undefined;
    });
    expect(isAlive(killed)).toBe(false);
    expect(restarted).not.toBe(killed);
    expect(platform.output()).toContain('API ended unexpectedly; starting it again');
  }, 180_000);
});
