/**
 * One micro-batch: the jobs a worker took together go through the model as one batch (per model version),
 * then each positive call gets its Grad-CAM and hotspots, and each job is settled on its own — one bad scan
 * never holds back the others. When every call gets a heat map (INFERENCE_EXPLAIN_NEGATIVES), the explain()
 * pass yields the probability too, so the batch pass is skipped rather than computed twice.
 */
import type { AiLabel } from '@bonescan/clinical';
import type { BlobStore } from '@bonescan/blobstore';
import type { Logger } from '@bonescan/logger';
import { PREDICT_QUEUE, type PgBoss, type TakenPrediction } from '@bonescan/queue';
import type { DataSource } from 'typeorm';
import { callsMbd } from '../model';
import type { WorkerMetrics } from './metrics';
import type { ModelShelf, ResidentModel } from './model-shelf';
import { readScanInput, UnprocessableScanError } from './scan-input';
import { storeFailure, storePrediction, type ScanPrediction } from './scan-results';

export interface BatchContext {
  dataSource: DataSource;
  blobs: BlobStore;
  boss: PgBoss;
  shelf: ModelShelf;
  metrics: WorkerMetrics;
  logger: Logger;
  explainNegatives: boolean;
}

interface ReadyScan {
  job: TakenPrediction;
  input: Float32Array;
}

const seconds = (since: number) => (performance.now() - since) / 1000;

/**
 * Settles a job that could not be predicted. Retrying cannot help an unreadable scan, so its job ends now;
 * anything else goes back to the queue (with backoff) until its last try, after which the scan is FAILED.
 */
async function settleFailure(context: BatchContext, job: TakenPrediction, error: unknown): Promise<void> {
  const reason = error instanceof Error ? error.message : String(error);
  const retryable = !(error instanceof UnprocessableScanError) || error.retryable;
  const lastTry = !retryable || job.retryCount >= job.retryLimit;
  context.metrics.failures.inc({ retryable: String(retryable && !lastTry) });
  context.logger.warn({ scanId: job.data.scanId, jobId: job.id, try: job.retryCount + 1, of: job.retryLimit + 1, reason, retryable }, 'scan not predicted');
  if (lastTry) await storeFailure(context.dataSource, job.data.scanId, reason);
  if (retryable) await context.boss.fail(PREDICT_QUEUE, job.id, { reason });
  else await context.boss.complete(PREDICT_QUEUE, job.id, { failed: reason });
}

async function readInputs(context: BatchContext, jobs: TakenPrediction[]): Promise<ReadyScan[]> {
  const ready: ReadyScan[] = [];
  for (const job of jobs) {
    const started = performance.now();
    try {
      ready.push({ job, input: await readScanInput(context.dataSource, context.blobs, job.data.scanId) });
      context.metrics.scanSeconds.observe({ stage: 'read' }, seconds(started));
    } catch (error) {
      await settleFailure(context, job, error);
    }
  }
  return ready;
}

const labelOf = (probability: number, threshold: number): AiLabel => (callsMbd(probability, threshold) ? 'MBD' : 'NO_MBD');

/** The model's call on one scan, with the Grad-CAM when it is positive (or when every call gets one). */
async function callScan(
  context: BatchContext,
  resident: ResidentModel,
  input: Float32Array,
  batchProbability: number | undefined,
): Promise<Omit<ScanPrediction, 'scanId' | 'latencyMs'>> {
  const { version, model } = resident;
  const started = performance.now();
  if (batchProbability === undefined) {
    // Every call gets a heat map: explain() computes the probability in the same pass, so no separate predict.
    const { probability, heatmap, hotspots } = await model.explain(input, version.threshold);
    context.metrics.scanSeconds.observe({ stage: 'explain' }, seconds(started));
    return { probability, label: labelOf(probability, version.threshold), backend: model.backend, heatmap, hotspots };
  }
  const label = labelOf(batchProbability, version.threshold);
  if (label === 'NO_MBD') return { probability: batchProbability, label, backend: model.backend, hotspots: [] };
  const { heatmap, hotspots } = await model.explain(input, version.threshold);
  context.metrics.scanSeconds.observe({ stage: 'explain' }, seconds(started));
  return { probability: batchProbability, label, backend: model.backend, heatmap, hotspots };
}

async function finishScan(
  context: BatchContext,
  resident: ResidentModel,
  scan: ReadyScan,
  batchProbability: number | undefined,
  predictMs: number,
  takenAt: number,
): Promise<void> {
  const started = performance.now();
  const call = await callScan(context, resident, scan.input, batchProbability);
  const prediction: ScanPrediction = { scanId: scan.job.data.scanId, ...call, latencyMs: predictMs + performance.now() - started };
  await storePrediction(context.dataSource, context.blobs, context.boss, resident.version, prediction);
  await context.boss.complete(PREDICT_QUEUE, scan.job.id, { probability: call.probability, label: call.label });
  context.metrics.predictions.inc({ label: call.label, model_version: resident.version.id });
  context.metrics.scanSeconds.observe({ stage: 'total' }, seconds(takenAt));
}

/** P(MBD) of the whole batch in one pass through the model, or undefined when each call comes from explain(). */
async function predictTogether(context: BatchContext, resident: ResidentModel, ready: ReadyScan[]): Promise<number[] | undefined> {
  if (context.explainNegatives) return undefined;
  return resident.model.predict(ready.map((scan) => scan.input));
}

async function predictGroup(context: BatchContext, modelVersionId: string | undefined, jobs: TakenPrediction[], takenAt: number): Promise<void> {
  let resident: ResidentModel;
  try {
    resident = await context.shelf.forJob(modelVersionId);
  } catch (error) {
    for (const job of jobs) await settleFailure(context, job, error);
    return;
  }
  const ready = await readInputs(context, jobs);
  if (ready.length === 0) return;
  context.metrics.batchSize.observe(ready.length);
  context.metrics.backend.set({ backend: resident.model.backend, model_version: resident.version.id }, 1);
  let probabilities: number[] | undefined;
  const started = performance.now();
  try {
    probabilities = await predictTogether(context, resident, ready);
  } catch (error) {
    for (const scan of ready) await settleFailure(context, scan.job, error);
    return;
  }
  const predictMs = (performance.now() - started) / ready.length;
  for (let i = 0; i < ready.length; i++) {
    if (probabilities) context.metrics.scanSeconds.observe({ stage: 'predict' }, predictMs / 1000);
    try {
      await finishScan(context, resident, ready[i], probabilities?.[i], predictMs, takenAt);
    } catch (error) {
      await settleFailure(context, ready[i].job, error);
    }
  }
}

/** Predicts a batch of taken jobs, grouped by the model version each asks for. */
export async function predictBatch(context: BatchContext, jobs: TakenPrediction[]): Promise<void> {
  const takenAt = performance.now();
  const groups = new Map<string | undefined, TakenPrediction[]>();
  for (const job of jobs) {
    const key = job.data.modelVersionId;
    groups.set(key, [...(groups.get(key) ?? []), job]);
  }
  for (const [modelVersionId, group] of groups) await predictGroup(context, modelVersionId, group, takenAt);
}
