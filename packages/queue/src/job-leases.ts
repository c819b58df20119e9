/**
 * Who still holds a running prediction job. pg-boss 10 records only that a job is active, not whether the worker
 * that took it still lives, so a job lost with a killed worker waited for its expiry (15 minutes) before anyone
 * ran it again. Here a worker takes its jobs through a PostgreSQL session of its own and holds one session
 * advisory lock per job, taken in the very transaction that marks the jobs active. PostgreSQL drops those locks the
 * moment the session ends, however the worker died (kill -9, power cut, lost network), so an active job whose lock
 * nobody holds has no worker, and any live worker hands it back to the queue as a failed try (the retry limit still
 * counts) within seconds. The expiry stays as the last resort.
 */
import { JOBS } from '@bonescan/clinical';
import { Client } from 'pg';
import type PgBoss from 'pg-boss';
import type { PredictScanJob } from './index';

const PREDICT_QUEUE = JOBS.predictScan;

/** First half of every lease's advisory-lock key, so these locks cannot be mistaken for anyone else's. */
const LEASE_NAMESPACE = 0x626f6e65; // "bone"
/** How often a worker looks for jobs without a worker: a dead worker's scans wait at most this (plus retry delay). */
const ABANDONED_JOB_CHECK_MS = 5000;

/** A taken job with the retry bookkeeping a worker needs to tell the last try from the others. */
export type TakenPrediction = PgBoss.JobWithMetadata<PredictScanJob>;

/**
 * Hands abandoned prediction jobs back to the queue and returns their ids. A job is abandoned when it is active
 * and its lease is free: pg_try_advisory_xact_lock takes the lock only if no session holds it, and gives it back
 * at the end of this statement.
 */
export async function releaseAbandonedPredictions(boss: PgBoss): Promise<string[]> {
  const rows = (await boss.getDb().executeSql(
    `WITH active AS MATERIALIZED (SELECT id FROM pgboss.job WHERE name = $1 AND state = 'active')
     SELECT id FROM active WHERE pg_try_advisory_xact_lock($2, hashtext(id::text))`,
    [PREDICT_QUEUE, LEASE_NAMESPACE],
  )) as { rows: { id: string }[] };
  const ids = rows.rows.map((row) => row.id);
  for (const id of ids) await boss.fail(PREDICT_QUEUE, id, { reason: 'the worker that ran this job ended before finishing it' });
  return ids;
}

/**
 * A worker's taking of prediction jobs, each under a lease (see above). Jobs are taken one batch at a time: taking
 * the next batch ends the leases of the last one, whose jobs the worker has settled by then; a job it could not
 * settle (database gone) is therefore released to another worker rather than kept waiting.
 */
export class PredictionLeases {
  private session: Client | undefined;
  private lastCheck = 0;

  constructor(
    private readonly boss: PgBoss,
    private readonly connectionString: string,
  ) {}

  /** Up to `batchSize` waiting jobs (SKIP LOCKED: workers never take the same job), each leased to this worker. */
  async take(batchSize: number): Promise<TakenPrediction[]> {
    if (Date.now() - this.lastCheck >= ABANDONED_JOB_CHECK_MS) {
      this.lastCheck = Date.now();
      await releaseAbandonedPredictions(this.boss);
    }
    const session = await this.openSession();
    const db: PgBoss.Db = {
      executeSql: async (text, values) => {
        try {
          await session.query('BEGIN');
          await session.query('SELECT pg_advisory_unlock_all()');
          const taken = await session.query<{ id: string }>(text, values);
          await session.query(`SELECT pg_advisory_lock($1, hashtext(id::text)) FROM unnest($2::uuid[]) AS id`, [
            LEASE_NAMESPACE,
            taken.rows.map((row) => row.id),
          ]);
          await session.query('COMMIT');
          return taken;
        } catch (error) {
          this.dropSession();
          throw error;
        }
      },
    };
    return (await this.boss.fetch<PredictScanJob>(PREDICT_QUEUE, { batchSize, includeMetadata: true, db })) ?? [];
  }

  /** Ends the session, and with it every lease still held. */
  async close(): Promise<void> {
    const session = this.session;
    this.session = undefined;
    await session?.end().catch(() => undefined);
  }

  private async openSession(): Promise<Client> {
    if (this.session) return this.session;
    const session = new Client({ connectionString: this.connectionString, application_name: 'bonescan-worker-leases' });
    // A server that goes away ends the session: its leases are gone with it, and the next take opens a new one.
    session.on('error', () => this.dropSession());
    await session.connect();
    this.session = session;
    return session;
  }

  private dropSession(): void {
    const session = this.session;
    this.session = undefined;
    session?.end().catch(() => undefined);
  }
}
