import { startIngestHarness, type IngestHarness } from '../../services/api/src/ingest/testing/ingest-harness';
import { registerModelFolder } from '../../services/inference/src/worker/model-registry';
import { spawnWorker, type WorkerProcess } from '../../services/inference/src/worker/testing/worker-process';

export interface PredictingStack {
  harness: IngestHarness;
  worker: WorkerProcess;
}

/**
 * The path a scan takes in a hospital, end to end: the real API with its receivers on a throw-away database, the
 * model version in `modelDir` active, and a real inference worker process (WebAssembly, polling often so tests wait
 * little) taking the prediction jobs.
 */
export async function startPredictingStack(modelDir: string): Promise<PredictingStack> {
  const harness = await startIngestHarness();
  await registerModelFolder(harness.api.db.dataSource, modelDir, { activateIfNoneActive: true });
  const worker = spawnWorker({
    DATABASE_URL: harness.api.db.url,
    BLOB_DIR: harness.api.config.BLOB_DIR!,
    INFERENCE_BACKEND: 'wasm',
    INFERENCE_POLL_SECONDS: '0.2',
  });
  await worker.ready;
  return { harness, worker };
}
