import os from 'node:os';
import { BlobStore } from '@bonescan/blobstore';
import { blobDir, predictionQueuePolicy, type Config } from '@bonescan/config';
import type { Logger } from '@bonescan/logger';
import { startQueue, type PgBoss } from '@bonescan/queue';
import type { DataSource } from 'typeorm';
import { IngestService } from './ingest.service';
import { PreparePool } from './prepare-pool';

export interface Ingest {
  service: IngestService;
  /** Stops the lone-view timer and the prepare workers, and the queue when startIngest started it. */
  stop(): Promise<void>;
}

/** The lone-view sweep runs this often: often enough that a scan waits little past its pairing time. */
const sweepIntervalMs = (waitSeconds: number) => Math.min(30_000, Math.max(1_000, (waitSeconds * 1000) / 4));

/**
 * Everything ingest needs, ready: the prepare workers (each loads the WebAssembly codecs), the blob store, the queue (one is started on
 * DATABASE_URL unless the caller shares its own) and the timer that queues lone views after the pairing wait.
 */
export async function startIngest(options: { config: Config; dataSource: DataSource; logger: Logger; boss?: PgBoss; databaseUrl?: string }): Promise<Ingest> {
  const { config, dataSource, logger } = options;
  let boss = options.boss;
  if (!boss) {
    const url = options.databaseUrl ?? config.DATABASE_URL;
    if (!url) throw new Error('Ingest needs the database URL for its job queue: pass databaseUrl (the embedded server) or set DATABASE_URL');
    // The same policy as the workers', from the same configuration; maintenance is theirs (see QueueRole).
    boss = await startQueue(url, predictionQueuePolicy(config));
  }
  // One prepare worker per core but one: the event loop keeps a core for HTTP, C-STORE and the database.
  const preparePool = new PreparePool(Math.max(1, os.availableParallelism() - 1), blobDir(config), logger, config.INGEST_DECODE_TIMEOUT_SECONDS * 1000);
  const service = new IngestService({
    dataSource,
    boss,
    blobs: new BlobStore(blobDir(config)),
    logger: logger.child({ feature: 'ingest' }),
    pairingWaitSeconds: config.PAIRING_WAIT_SECONDS,
    prepare: preparePool.prepare,
  });
  const sweep = setInterval(() => {
    service.queueLoneViews().catch((error: unknown) => logger.error({ err: error }, 'queueing lone views failed; retrying at the next sweep'));
  }, sweepIntervalMs(config.PAIRING_WAIT_SECONDS));
  sweep.unref();
  const ownQueue = !options.boss;
  return {
    service,
    stop: async () => {
      clearInterval(sweep);
      await preparePool.close();
      if (ownQueue) await boss.stop({ graceful: false, wait: true });
    },
  };
}
