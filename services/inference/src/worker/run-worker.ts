/**
 * Starting and stopping one inference worker process: database, blob store, model (loaded and warmed before
 * any job is taken), queue, HTTP endpoints, and the loop.
 */
import { BlobStore } from '@bonescan/blobstore';
import { blobDir, predictionQueuePolicy, type Config } from '@bonescan/config';
import { checkReadiness, createDataSource, databaseAnswers } from '@bonescan/db';
import type { Logger } from '@bonescan/logger';
import { PREDICT_QUEUE, predictionQueueExists, PredictionLeases, startQueue, type PgBoss } from '@bonescan/queue';
import { startWorkerHttp } from './http';
import { createWorkerMetrics } from './metrics';
import { ModelShelf } from './model-shelf';
import { InferenceWorker } from './worker';

export interface RunningWorker {
  httpPort: number;
  /** Finishes the batch in hand, then releases everything. */
  stop(): Promise<void>;
}

export class WorkerStartError extends Error {
  override name = 'WorkerStartError';
}

export async function runWorker(config: Config, logger: Logger): Promise<RunningWorker> {
  if (!config.DATABASE_URL) throw new WorkerStartError('DATABASE_URL is not set: a worker needs the PostgreSQL that holds the queue and the scans');
  const dataSource = createDataSource({ url: config.DATABASE_URL, poolSize: 4 });
  await dataSource.initialize();
  let boss: PgBoss | undefined;
  let leases: PredictionLeases | undefined;
  let modelLoaded = false;
  const metrics = createWorkerMetrics(async () => (boss ? boss.getQueueSize(PREDICT_QUEUE) : 0));
  const readiness = () =>
    checkReadiness({
      database: databaseAnswers(dataSource),
      queue: () => predictionQueueExists(dataSource.manager),
      model: async () => modelLoaded,
    });
  const http = await startWorkerHttp({ host: config.INFERENCE_HOST, port: config.INFERENCE_PORT, registry: metrics.registry, readiness });
  const shelf = new ModelShelf(dataSource, logger, config.INFERENCE_BACKEND);
  const release = async () => {
    await leases?.close();
    await boss?.stop({ graceful: true, wait: true });
    shelf.dispose();
    await http.close();
    await dataSource.destroy();
  };
  try {
    const active = await shelf.loadActive(config.MODEL_DIR);
    boss = await startQueue(config.DATABASE_URL, predictionQueuePolicy(config), { maintenanceIntervalSeconds: config.INFERENCE_MAINTENANCE_SECONDS });
    leases = new PredictionLeases(boss, config.DATABASE_URL);
    const worker = new InferenceWorker(
      { dataSource, blobs: new BlobStore(blobDir(config)), boss, shelf, metrics, logger, explainNegatives: config.INFERENCE_EXPLAIN_NEGATIVES },
      { batchSize: config.INFERENCE_BATCH_SIZE, pollSeconds: config.INFERENCE_POLL_SECONDS, leases },
    );
    void worker.start();
    modelLoaded = true;
    logger.info(
      {
        httpPort: http.port,
        modelVersionId: active.version.id,
        model: `${active.version.name} ${active.version.version}`,
        backend: active.model.backend,
        batchSize: config.INFERENCE_BATCH_SIZE,
      },
      'worker ready',
    );
    return {
      httpPort: http.port,
      async stop() {
        await worker.stop();
        await release();
      },
    };
  } catch (error) {
    await release();
    throw error;
  }
}
