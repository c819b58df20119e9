import { BlobStore, decodeHeatMaps } from '@bonescan/blobstore';
import { loadConfig, predictionQueuePolicy } from '@bonescan/config';
import { setModelVersionStatus } from '@bonescan/db';
import { createTestDatabase, type TestDatabase } from '@bonescan/db/testing';
import { PREDICT_QUEUE, SCAN_UPDATED_CHANNEL, startQueue, type PgBoss } from '@bonescan/queue';
import { Client } from 'pg';
import { createQueuedScans, removeTemporaryDirs, temporaryDir, writeUntrainedModelVersion } from './testing/fixtures';
import { registerModelFolder } from './model-registry';
import { runRegisterModel, spawnWorker, waitFor, type WorkerProcess } from './testing/worker-process';

/**
 * Short expiry so a job held by a killed worker comes back soon — yet longer than a batch takes on a busy
 * machine, or live workers' jobs would expire under them (harmless for the data, but not what is tested here).
 */
const EXPIRY_SECONDS = 20;
// Real worker processes on a CPU shared with other work: generous limits, so a slow machine is not a failure.
jest.setTimeout(10 * 60_000);

describe('inference workers (real processes, real PostgreSQL, real TensorFlow.js)', () => {
  let db: TestDatabase;
  let boss: PgBoss;
  let blobs: BlobStore;
  let env: Record<string, string>;
  let listener: Client;
  const notified = new Set<string>();
  const workers: WorkerProcess[] = [];

  const start = (extra: Record<string, string> = {}) => {
    const worker = spawnWorker({ ...env, ...extra });
    workers.push(worker);
    return worker;
  };
  /** Jobs of these scans by state. */
  const jobCounts = async (ids: string[]): Promise<Record<string, number>> =>
    Object.fromEntries(
      (
        await db.dataSource.query(`SELECT state, count(*)::int AS n FROM pgboss.job WHERE name = $1 AND data->>'scanId' = ANY($2) GROUP BY state`, [
          PREDICT_QUEUE,
          ids,
        ])
      ).map((r: { state: string; n: number }) => [r.state, r.n]),
    );
  const predictedCount = async (ids: string[]) =>
    (await db.dataSource.query(`SELECT count(*)::int AS n FROM scans WHERE id = ANY($1) AND status = 'PREDICTED'`, [ids]))[0].n as number;
  /** A fresh worker that has taken some of `count` new scans and not finished them yet. */
  const workerHoldingABatch = async (count: number) => {
    const worker = start();
    await worker.ready;
    const ids = await createQueuedScans(db.dataSource, blobs, boss, count);
    await waitFor('a batch in hand', async () => ((await jobCounts(ids)).active > 0 ? true : undefined), 5 * 60_000, 20);
    return { worker, ids };
  };
  const allPredicted = (ids: string[]) => async () => ((await predictedCount(ids)) === ids.length ? true : undefined);

  beforeAll(async () => {
    db = await createTestDatabase();
    blobs = new BlobStore(temporaryDir('blobs'));
    // Threshold 0: every call is MBD, so every scan takes the positive path and gets its Grad-CAM.
    const modelDir = await writeUntrainedModelVersion(temporaryDir('model'), { threshold: 0 });
    const registered = await runRegisterModel(modelDir, { DATABASE_URL: db.url, INFERENCE_BACKEND: 'wasm' });
    expect(registered).toMatchObject({ code: 0, stderr: expect.stringMatching(/registered: untrained-vgg16-tiny test-1 \(INACTIVE\)/) });
    await setModelVersionStatus(db.dataSource, registered.stdout.trim(), 'ACTIVE');
    env = {
      DATABASE_URL: db.url,
      BLOB_DIR: blobs.root,
      INFERENCE_BACKEND: 'wasm',
      INFERENCE_BATCH_SIZE: '4',
      INFERENCE_POLL_SECONDS: '0.2',
      INFERENCE_MAINTENANCE_SECONDS: '1',
      INFERENCE_JOB_EXPIRY_SECONDS: String(EXPIRY_SECONDS),
      INFERENCE_RETRY_DELAY_SECONDS: '1',
    };
    // The test enqueues as the API does: with the workers' configuration.
    boss = await startQueue(db.url, predictionQueuePolicy(loadConfig(env)));
    listener = new Client({ connectionString: db.url });
    await listener.connect();
    listener.on('notification', (message) => notified.add(message.payload ?? ''));
    await listener.query(`LISTEN ${SCAN_UPDATED_CHANNEL}`);
  });

  // A failed test must not leave its workers taking the next test's jobs.
  afterEach(async () => {
    const running = workers.splice(0).filter((worker) => worker.child.exitCode === null && worker.child.signalCode === null);
    for (const worker of running) worker.child.kill('SIGKILL');
    await Promise.all(running.map((worker) => worker.exited));
  });

  afterAll(async () => {
    await listener.end();
    await boss.stop({ graceful: false, wait: true });
    await db.drop();
    removeTemporaryDirs();
  });

  it('predicts 20 scans with two workers: each PREDICTED once, with heat map, hotspots and a notification', async () => {
    const ids = await createQueuedScans(db.dataSource, blobs, boss, 20);
    const [a, b] = [start(), start()];
    await Promise.all([a.ready, b.ready]);
    await waitFor('20 scans predicted', allPredicted(ids));

    const predictions: Array<{ scan_id: string; probability: number; label: string; heatmap_blob_key: string; hotspots: unknown[]; backend: string }> =
      await db.dataSource.query(`SELECT * FROM predictions WHERE scan_id = ANY($1)`, [ids]);
    expect(predictions).toHaveLength(20);
    expect(new Set(predictions.map((p) => p.scan_id)).size).toBe(20);
    for (const p of predictions) {
      expect(p.backend).toBe('wasm');
      const { AP, PA } = decodeHeatMaps(await blobs.get(p.heatmap_blob_key));
      expect([AP.length, PA.length]).toEqual([256 * 512, 256 * 512]);
      expect([...AP, ...PA].reduce((a, b) => Math.max(a, b), 0)).toBeCloseTo(1, 5);
      expect(p.hotspots.length).toBeGreaterThan(0);
    }
    const scans: Array<{ id: string; ai_probability: number; ai_label: string; predicted_at: Date | null }> = await db.dataSource.query(
      `SELECT id, ai_probability, ai_label, predicted_at FROM scans WHERE id = ANY($1)`,
      [ids],
    );
    for (const scan of scans) {
      const prediction = predictions.find((p) => p.scan_id === scan.id)!;
      expect(scan.ai_probability).toBe(prediction.probability);
      expect(scan.ai_label).toBe(prediction.label);
      expect(scan.ai_label).toBe('MBD');
      expect(scan.predicted_at).not.toBeNull();
    }
    await waitFor('a notification per scan', async () => (ids.every((id) => notified.has(id)) ? true : undefined), 5_000);
    expect(await jobCounts(ids)).toEqual({ completed: 20 });

    const metrics = await (await fetch(`http://127.0.0.1:${await a.ready}/metrics`)).text();
    expect(metrics).toMatch(/bonescan_inference_queue_depth 0/);
    expect(metrics).toMatch(/bonescan_inference_backend_info\{backend="wasm"/);
    expect((await fetch(`http://127.0.0.1:${await b.ready}/readyz`)).status).toBe(200);

    // Idle workers stop at once on SIGTERM, with exit code 0.
    a.child.kill('SIGTERM');
    b.child.kill('SIGTERM');
    expect(await a.exited).toEqual({ code: 0, signal: null });
    expect(await b.exited).toEqual({ code: 0, signal: null });
  });

  it('loses nothing when a worker is killed with SIGKILL in the middle of a batch: another finishes its jobs, once each', async () => {
    const { worker: victim, ids } = await workerHoldingABatch(20);
    victim.child.kill('SIGKILL');
    expect((await victim.exited).signal).toBe('SIGKILL');
    // Jobs still active once the victim is dead are the ones it held and will never finish.
    const held: string[] = (
      await db.dataSource.query(`SELECT data->>'scanId' AS id FROM pgboss.job WHERE name = $1 AND state = 'active' AND data->>'scanId' = ANY($2)`, [
        PREDICT_QUEUE,
        ids,
      ])
    ).map((row: { id: string }) => row.id);
    expect(held.length).toBeGreaterThan(0);

    const rescuer = start();
    await waitFor('20 scans predicted after the kill', allPredicted(ids));
    // Jobs the victim held after storing their result come back too, and end without a second prediction.
    await waitFor('every job completed', async () => ((await jobCounts(ids)).completed === 20 ? true : undefined));
    const perScan: Array<{ scan_id: string; n: number }> = await db.dataSource.query(
      `SELECT scan_id, count(*)::int AS n FROM predictions WHERE scan_id = ANY($1) GROUP BY scan_id`,
      [ids],
    );
    expect(perScan).toHaveLength(20);
    expect(perScan.every((row) => row.n === 1)).toBe(true);
    // The batch the victim held came back through expiry and was retried, not dropped.
    const retried: Array<{ id: string; retry_count: number }> = await db.dataSource.query(
      `SELECT data->>'scanId' AS id, retry_count FROM pgboss.job WHERE name = $1 AND data->>'scanId' = ANY($2)`,
      [PREDICT_QUEUE, held],
    );
    expect(
      retried
        .filter((job) => job.retry_count >= 1)
        .map((job) => job.id)
        .sort(),
    ).toEqual([...held].sort());
    rescuer.child.kill('SIGTERM');
    expect(await rescuer.exited).toEqual({ code: 0, signal: null });
  });

  it('finishes the batch in hand on SIGTERM, then exits 0', async () => {
    const { worker, ids } = await workerHoldingABatch(4);
    worker.child.kill('SIGTERM');
    expect(await worker.exited).toEqual({ code: 0, signal: null });
    const counts = await jobCounts(ids);
    expect(counts.active ?? 0).toBe(0);
    // Whatever it had taken is stored; anything it had not taken is still waiting for the next worker.
    expect((await predictedCount(ids)) + (counts.created ?? 0)).toBe(4);
    expect(await predictedCount(ids)).toBeGreaterThan(0);
  });

  it('runs a SHADOW version beside the ACTIVE one, leaving the scan showing the ACTIVE call', async () => {
    // Same weights, threshold 1: the shadow calls every scan NO_MBD; this worker explains negatives too.
    const shadowDir = await writeUntrainedModelVersion(temporaryDir('shadow-model'), { threshold: 1, version: 'shadow' });
    const { version: shadow } = await registerModelFolder(db.dataSource, shadowDir);
    await setModelVersionStatus(db.dataSource, shadow.id, 'SHADOW');
    const worker = start({ INFERENCE_EXPLAIN_NEGATIVES: 'true' });
    await worker.ready;
    const ids = await createQueuedScans(db.dataSource, blobs, boss, 2);
    await waitFor('active and shadow predictions', async () => {
      const [row] = await db.dataSource.query(`SELECT count(*)::int AS n FROM predictions WHERE scan_id = ANY($1)`, [ids]);
      return row.n === 4 ? true : undefined;
    });
    const rows: Array<{
      scan_id: string;
      status: string;
      probability: number;
      label: string;
      heatmap_blob_key: string | null;
      ai_probability: number;
      ai_label: string;
    }> = await db.dataSource.query(
      `SELECT p.scan_id, mv.status, p.probability, p.label, p.heatmap_blob_key, s.ai_probability, s.ai_label
         FROM predictions p JOIN model_versions mv ON mv.id = p.model_version_id JOIN scans s ON s.id = p.scan_id WHERE p.scan_id = ANY($1)`,
      [ids],
    );
    for (const id of ids) {
      const active = rows.find((r) => r.scan_id === id && r.status === 'ACTIVE')!;
      const shadowed = rows.find((r) => r.scan_id === id && r.status === 'SHADOW')!;
      expect(active).toMatchObject({ label: 'MBD', ai_probability: active.probability, ai_label: 'MBD' });
      expect(shadowed).toMatchObject({ label: 'NO_MBD', heatmap_blob_key: expect.stringMatching(/^[0-9a-f]{64}$/) });
      expect(shadowed.probability).toBeCloseTo(active.probability, 6);
    }
    worker.child.kill('SIGTERM');
    expect(await worker.exited).toEqual({ code: 0, signal: null });
  });
});
