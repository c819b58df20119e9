import { JOBS } from '@bonescan/clinical';
import type { PredictionQueuePolicy } from '@bonescan/config';
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

/**
 * Which part of the queue's upkeep a process takes on. Maintenance (expiring lost jobs so they are retried,
 * archiving finished ones) runs in the inference workers alone: it only matters where jobs run, and its interval
 * (INFERENCE_MAINTENANCE_SECONDS) is how soon a job lost with a dead worker comes back, so it belongs to the
 * workers' configuration. The API only enqueues and runs none.
 */
export interface QueueRole {
  /** Run pg-boss maintenance from this process, this often; absent, this process runs none. */
  maintenanceIntervalSeconds?: number;
}

/**
 * Starts pg-boss and puts the prediction queue in the database with `policy`. pg-boss copies a queue's retry and
 * expiry settings onto each job as it is enqueued, and `createQueue` leaves an existing queue as it is; so the
 * policy is written with `updateQueue` too, or a queue created once (by whichever process started first) would
 * keep its first policy for good, whatever the configuration says later.
 */
export async function startQueue(connectionString: string, policy: PredictionQueuePolicy, role: QueueRole = {}): Promise<PgBoss> {
  const { maintenanceIntervalSeconds } = role;
  const supervise = maintenanceIntervalSeconds !== undefined;
  const boss = new PgBoss({ connectionString, application_name: 'bonescan-queue', max: 4, supervise, ...(supervise ? { maintenanceIntervalSeconds } : {}) });
  boss.on('error', (error) => process.stderr.write(`[queue] ${error.message}\n`));
  await boss.start();
  // 'stately': per singletonKey at most one job waiting and one running — a scan is never queued twice.
  const queue = (): PgBoss.Queue => ({ name: PREDICT_QUEUE, policy: 'stately', ...policy });
  await boss.createQueue(PREDICT_QUEUE, queue());
  await boss.updateQueue(PREDICT_QUEUE, queue());
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

export { PredictionLeases, releaseAbandonedPredictions, type TakenPrediction } from './job-leases';

/** Whether this database holds the prediction queue (pg-boss installed and the queue created): part of readiness. */
export async function predictionQueueExists(manager: EntityManager): Promise<boolean> {
  const rows: unknown[] = await manager.query('SELECT 1 FROM pgboss.queue WHERE name = $1', [PREDICT_QUEUE]);
  return rows.length > 0;
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
