/**
 * The prediction queue's retry and expiry policy is the configured one, whichever process starts the queue first.
 * As in `npm start` and docker compose, the API (ingest) starts first and creates the queue; a worker starts second.
 * pg-boss stamps the queue's policy on every job as it is enqueued, so the queue row must carry the configuration.
 */
import { loadConfig, type Config } from '@bonescan/config';
import { createTestDatabase, type TestDatabase } from '@bonescan/db/testing';
import { createLogger } from '@bonescan/logger';
import { PREDICT_QUEUE } from '@bonescan/queue';
import { startIngest, type Ingest } from '../../services/api/src/ingest/start-ingest';
import { removeTemporaryDirs, temporaryDir, writeUntrainedModelVersion } from '../../services/inference/src/worker/testing/fixtures';
import { runWorker, type RunningWorker } from '../../services/inference/src/worker/run-worker';

// A real worker loading a real (tiny) model on a CPU shared with other work: a generous limit.
jest.setTimeout(5 * 60_000);

/** Not the defaults: a queue left with any default value shows up. */
const POLICY_ENV = { INFERENCE_RETRY_LIMIT: '7', INFERENCE_RETRY_DELAY_SECONDS: '13', INFERENCE_JOB_EXPIRY_SECONDS: '321' };
const EXPECTED_QUEUE = { retry_limit: 7, retry_delay: 13, retry_backoff: true, expire_seconds: 321 };

describe('the prediction queue started by the API, then by a worker', () => {
  let db: TestDatabase;
  let config: Config;
  let ingest: Ingest | undefined;
  let worker: RunningWorker | undefined;

  /** The queue's row as pg-boss stores it, read with SQL rather than through the code under test. */
  const queueRow = async () =>
    (await db.dataSource.query(`SELECT retry_limit, retry_delay, retry_backoff, expire_seconds FROM pgboss.queue WHERE name = $1`, [PREDICT_QUEUE]))[0];

  beforeAll(async () => {
    db = await createTestDatabase();
    config = loadConfig({
      DATABASE_URL: db.url,
      BLOB_DIR: temporaryDir('blobs'),
      MODEL_DIR: await writeUntrainedModelVersion(temporaryDir('model')),
      INFERENCE_BACKEND: 'wasm',
      INFERENCE_PORT: '0',
      LOG_LEVEL: 'silent',
      ...POLICY_ENV,
    });
  });
  afterAll(async () => {
    await worker?.stop();
    await ingest?.stop();
    await db.drop();
    removeTemporaryDirs();
  });

  it('carries the configured retry limit, retry delay and expiry from the first start on', async () => {
    ingest = await startIngest({ config, dataSource: db.dataSource, logger: createLogger('api', 'silent') });
    expect(await queueRow()).toEqual(EXPECTED_QUEUE);

    worker = await runWorker(config, createLogger('inference', 'silent'));
    expect(await queueRow()).toEqual(EXPECTED_QUEUE);
  });
});
