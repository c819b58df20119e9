import * as fs from 'node:fs';
import * as path from 'node:path';
import { BlobStore } from '@bonescan/blobstore';
import { loadConfig, predictionQueuePolicy } from '@bonescan/config';
import { createTestDatabase, type TestDatabase } from '@bonescan/db/testing';
import { createLogger } from '@bonescan/logger';
import { PREDICT_QUEUE, startQueue, type PgBoss } from '@bonescan/queue';
import { registerModelFolder } from './model-registry';
import { runWorker, type RunningWorker } from './run-worker';
import { createQueuedScans, removeTemporaryDirs, temporaryDir, writeUntrainedModelVersion } from './testing/fixtures';
import { runRegisterModel, spawnWorker, waitFor } from './testing/worker-process';

/** One retry, at once: the test waits for a scan's last try. The test's enqueueing and the worker share it, as the API and workers share their configuration. */
const RETRIES = { INFERENCE_RETRY_LIMIT: '1', INFERENCE_RETRY_DELAY_SECONDS: '0' };
// Real worker processes on a CPU shared with other work: generous limits, so a slow machine is not a failure.
jest.setTimeout(10 * 60_000);

describe('scans a worker cannot predict', () => {
  let db: TestDatabase;
  let boss: PgBoss;
  let blobs: BlobStore;
  let worker: RunningWorker;

  beforeAll(async () => {
    db = await createTestDatabase();
    blobs = new BlobStore(temporaryDir('blobs'));
    await registerModelFolder(db.dataSource, await writeUntrainedModelVersion(temporaryDir('model')), { activateIfNoneActive: true });
    boss = await startQueue(db.url, predictionQueuePolicy(loadConfig(RETRIES)));
  });
  afterAll(async () => {
    await worker?.stop();
    await boss?.stop({ graceful: false, wait: true });
    await db.drop();
  });

  it('end FAILED with the reason (after the last try when a retry could help) while the other scans are predicted', async () => {
    const good = await createQueuedScans(db.dataSource, blobs, boss, 2);
    const [missingBlob] = await createQueuedScans(db.dataSource, blobs, boss, 1, { alter: ({ PA }) => ({ AP: undefined, PA }) });
    const [nanPixels] = await createQueuedScans(db.dataSource, blobs, boss, 1, {
      alter: ({ AP, PA }) => {
        const poisoned = PA.slice();
        poisoned[1000] = Number.NaN;
        return { AP, PA: poisoned };
      },
    });
    const [allZero] = await createQueuedScans(db.dataSource, blobs, boss, 1, {
      alter: ({ AP, PA }) => ({ AP: new Float32Array(AP.length), PA: new Float32Array(PA.length) }),
    });
    const ids = [...good, missingBlob, nanPixels, allZero];

    const config = loadConfig({
      ...process.env,
      DATABASE_URL: db.url,
      BLOB_DIR: blobs.root,
      INFERENCE_BACKEND: 'wasm',
      INFERENCE_PORT: '0',
      INFERENCE_POLL_SECONDS: '0.2',
      INFERENCE_BATCH_SIZE: '8',
      // A site may turn the heat maps of negative calls off (they cost a backward pass each): the last test checks that.
      INFERENCE_EXPLAIN_NEGATIVES: 'false',
      LOG_LEVEL: 'silent',
      ...RETRIES,
    });
    worker = await runWorker(config, createLogger('inference', 'silent'));
    const scans: Array<{ id: string; status: string; failure_reason: string | null; ai_probability: number | null }> = await waitFor(
      'every scan settled',
      async () => {
        const rows = await db.dataSource.query(`SELECT id, status, failure_reason, ai_probability FROM scans WHERE id = ANY($1)`, [ids]);
        return rows.every((row: { status: string }) => row.status === 'PREDICTED' || row.status === 'FAILED') ? rows : undefined;
      },
    );
    const scan = (id: string) => scans.find((row) => row.id === id)!;
    for (const id of good) expect(scan(id).status).toBe('PREDICTED');
    expect(scan(missingBlob)).toMatchObject({
      status: 'FAILED',
      ai_probability: null,
      failure_reason: expect.stringMatching(/^AP view pixels \(blob [0-9a-f]{64}\) are missing from the blob store$/),
    });
    expect(scan(nanPixels)).toMatchObject({ status: 'FAILED', ai_probability: null, failure_reason: 'PA view has a non-finite pixel at index 1000' });
    expect(scan(allZero)).toMatchObject({ status: 'FAILED', ai_probability: null, failure_reason: 'AP view has no counts: every pixel is 0' });

    // Re-read: no prediction for any failed scan; the missing blob was tried twice (it might have come back), the others once.
    const predicted: Array<{ scan_id: string }> = await db.dataSource.query(`SELECT scan_id FROM predictions WHERE scan_id = ANY($1)`, [ids]);
    expect(predicted.map((p) => p.scan_id).sort()).toEqual([...good].sort());
    const jobs: Array<{ scan_id: string; state: string; retry_count: number }> = await waitFor('jobs settled', async () => {
      const rows = await db.dataSource.query(`SELECT data->>'scanId' AS scan_id, state, retry_count FROM pgboss.job WHERE name = $1`, [PREDICT_QUEUE]);
      return rows.every((row: { state: string }) => row.state === 'completed' || row.state === 'failed') ? rows : undefined;
    });
    const job = (id: string) => jobs.find((row) => row.scan_id === id)!;
    expect(job(missingBlob)).toMatchObject({ state: 'failed', retry_count: 1 });
    expect(job(nanPixels)).toMatchObject({ state: 'completed', retry_count: 0 });
    expect(job(allZero)).toMatchObject({ state: 'completed', retry_count: 0 });
  });

  it('stores a heat map for positive calls only when negatives are not configured to get one', async () => {
    const rows: Array<{ label: string; heatmap_blob_key: string | null; hotspots: unknown[] }> = await db.dataSource.query(
      `SELECT label, heatmap_blob_key, hotspots FROM predictions`,
    );
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      if (row.label === 'MBD') expect(row.heatmap_blob_key).toMatch(/^[0-9a-f]{64}$/);
      else expect(row).toMatchObject({ heatmap_blob_key: null, hotspots: [] });
    }
  });
});

describe('a worker whose model cannot be loaded', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.drop();
    removeTemporaryDirs();
  });

  it('refuses to start with the reason and a non-zero exit code, registering nothing', async () => {
    const modelDir = await writeUntrainedModelVersion(temporaryDir('broken-model'));
    const shard = fs.readdirSync(modelDir).find((name) => name.endsWith('.bin'))!;
    fs.truncateSync(path.join(modelDir, shard), 1000);
    const worker = spawnWorker({ DATABASE_URL: db.url, MODEL_DIR: modelDir, BLOB_DIR: temporaryDir('blobs'), INFERENCE_BACKEND: 'wasm' });
    expect(await worker.exited).toEqual({ code: 1, signal: null });
    expect(worker.stderr()).toMatch(
      /inference worker refuses to start — ModelLoadError: weights in .* hold 1000 bytes but model.json describes \d+; the shards are truncated or corrupted/,
    );
    expect(await db.dataSource.query(`SELECT id FROM model_versions`)).toEqual([]);
  });

  it('is never registered by the register-model command line', async () => {
    const modelDir = await writeUntrainedModelVersion(temporaryDir('foreign-model'));
    const card = JSON.parse(fs.readFileSync(path.join(modelDir, 'model-card.json'), 'utf8'));
    fs.writeFileSync(path.join(modelDir, 'model-card.json'), JSON.stringify({ ...card, architecture: 'vgg16' }));
    const result = await runRegisterModel(modelDir, { DATABASE_URL: db.url, INFERENCE_BACKEND: 'wasm' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: .*: the card says vgg16 but the weights are vgg16-tiny\n/);
    expect(await db.dataSource.query(`SELECT id FROM model_versions`)).toEqual([]);
  });

  it('refuses to start when no version is active and MODEL_DIR is not set', async () => {
    const worker = spawnWorker({ DATABASE_URL: db.url, MODEL_DIR: '', BLOB_DIR: temporaryDir('blobs'), INFERENCE_BACKEND: 'wasm' });
    expect(await worker.exited).toEqual({ code: 1, signal: null });
    expect(worker.stderr()).toMatch(/refuses to start — ModelLoadError: no model version is ACTIVE in the database and MODEL_DIR is not set/);
  });
});
