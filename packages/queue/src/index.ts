import { JOBS } from '@bonescan/clinical';
import PgBoss from 'pg-boss';
import type { EntityManager } from 'typeorm';

/**
 * The job queue lives in PostgreSQL (pg-boss): no broker to run, and a job is enqueued in the
 * same transaction that writes the scan, so a scan is never stored without its job or vice versa.
 * pg-boss keeps its own tables in the `pgboss` schema and migrates them itself.
 */
export interface PredictScanJob {
  scanId: string;
  /** Model version to run; the active one when absent. */
  modelVersionId?: string;
}

export const PREDICT_QUEUE = JOBS.predictScan;

/** Retry policy of prediction jobs: a worker killed mid-job loses nothing, its job expires and runs again. */
export const PREDICT_RETRY = { retryLimit: 3, retryDelay: 5, retryBackoff: true, expireInSeconds: 15 * 60 } as const;

export interface QueueOptions {
  /** Seconds a running job may take before it counts as lost (its worker died) and is retried. */
  expireInSeconds?: number;
  /** Tries after the first one, and the delay before the first retry (doubling when backoff is on). */
  retryLimit?: number;
  retryDelay?: number;
  retryBackoff?: boolean;
  /** Run pg-boss maintenance (expiry of lost jobs, archiving) from this process. */
  supervise?: boolean;
  /** How often maintenance runs: a lost job is retried at most this long after it expired. */
  maintenanceIntervalSeconds?: number;
}

/**
 * Starts pg-boss and creates the prediction queue. The retry and expiry policy is fixed when the queue is
 * first created in a database; later callers get the existing queue as it is.
 */
export async function startQueue(connectionString: string, options: QueueOptions = {}): Promise<PgBoss> {
  const { supervise = true, maintenanceIntervalSeconds = 60, ...policy } = options;
  const boss = new PgBoss({ connectionString, application_name: 'bonescan-queue', max: 4, supervise, maintenanceIntervalSeconds });
  boss.on('error', (error) => process.stderr.write(`[queue] ${error.message}\n`));
  await boss.start();
  // 'stately': per singletonKey at most one job waiting and one running — a scan is never queued twice.
  await boss.createQueue(PREDICT_QUEUE, { name: PREDICT_QUEUE, policy: 'stately', ...PREDICT_RETRY, ...policy });
  return boss;
}

/** Lets pg-boss write its job row through an open TypeORM transaction. */
export const inTransaction = (manager: EntityManager): PgBoss.Db => ({
  executeSql: async (text, values) => ({ rows: await manager.query(text, values) }),
});

/** Enqueues prediction of a scan inside the caller's transaction; one pending job per scan and model version. */
export async function enqueuePrediction(boss: PgBoss, manager: EntityManager, job: PredictScanJob): Promise<string | null> {
  return boss.send(PREDICT_QUEUE, job, {
    singletonKey: `${job.scanId}:${job.modelVersionId ?? 'active'}`,
    db: inTransaction(manager),
  });
}

/** A taken job with the retry bookkeeping a worker needs to tell the last try from the others. */
export type TakenPrediction = PgBoss.JobWithMetadata<PredictScanJob>;

/**
 * Takes up to `batchSize` waiting prediction jobs at once (SKIP LOCKED: workers never take the same job), so
 * jobs that arrived together can go through the model as one batch. Each must then be completed or failed.
 */
export async function takePredictions(boss: PgBoss, batchSize: number): Promise<TakenPrediction[]> {
  return (await boss.fetch<PredictScanJob>(PREDICT_QUEUE, { batchSize, includeMetadata: true })) ?? [];
}

/**
 * A queue handle for a process that only enqueues inside its own transactions (`enqueuePrediction`): it opens
 * no connection and runs no maintenance; the workers own the queue. Anything but an enqueue through a
 * transaction fails loudly.
 */
export function transactionalQueue(): PgBoss {
  return new PgBoss({
    db: {
      executeSql: () => Promise.reject(new Error('this queue handle enqueues only inside a transaction (enqueuePrediction)')),
    },
  });
}

/** PostgreSQL NOTIFY channel on which a scan's id is published when its AI result or failure is stored. */
export const SCAN_UPDATED_CHANNEL = 'scan_updated';

export { PgBoss };
