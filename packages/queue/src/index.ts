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

export async function startQueue(connectionString: string, options: { expireInSeconds?: number; supervise?: boolean } = {}): Promise<PgBoss> {
  const boss = new PgBoss({ connectionString, application_name: 'bonescan-queue', max: 4, supervise: options.supervise ?? true });
  boss.on('error', (error) => process.stderr.write(`[queue] ${error.message}\n`));
  await boss.start();
  // 'stately': per singletonKey at most one job waiting and one running — a scan is never queued twice.
  await boss.createQueue(PREDICT_QUEUE, { name: PREDICT_QUEUE, policy: 'stately', ...PREDICT_RETRY, expireInSeconds: options.expireInSeconds ?? PREDICT_RETRY.expireInSeconds });
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

export { PgBoss };
