import { loadConfig, predictionQueuePolicy } from '@bonescan/config';
import { createTestDatabase, type TestDatabase } from '@bonescan/db/testing';
import { enqueuePrediction, PREDICT_QUEUE, startQueue, type PgBoss } from '.';

describe('prediction queue', () => {
  let db: TestDatabase;
  let boss: PgBoss;

  beforeAll(async () => {
    db = await createTestDatabase();
    boss = await startQueue(db.url, predictionQueuePolicy(loadConfig({})));
  });
  afterAll(async () => {
    await boss.stop({ graceful: false, wait: true });
    await db.drop();
  });

  it('enqueue with the transaction that commits, and not with one that rolls back', async () => {
    const committed = '11111111-1111-4111-8111-111111111111';
    const rolledBack = '22222222-2222-4222-8222-222222222222';
    await db.dataSource.transaction((manager) => enqueuePrediction(boss, manager, { scanId: committed }));
    await expect(
      db.dataSource.transaction(async (manager) => {
        await enqueuePrediction(boss, manager, { scanId: rolledBack });
        throw new Error('ingest failed after enqueue');
      }),
    ).rejects.toThrow('ingest failed');

    const jobs = await boss.fetch<{ scanId: string }>(PREDICT_QUEUE, { batchSize: 10 });
    expect((jobs ?? []).map((job) => job.data.scanId)).toEqual([committed]);
  });

  it('keep one pending job per scan however often it is enqueued', async () => {
    const scanId = '33333333-3333-4333-8333-333333333333';
    for (let i = 0; i < 3; i += 1) await db.dataSource.transaction((manager) => enqueuePrediction(boss, manager, { scanId }));
    const jobs = await boss.fetch<{ scanId: string }>(PREDICT_QUEUE, { batchSize: 10 });
    expect((jobs ?? []).filter((job) => job.data.scanId === scanId)).toHaveLength(1);
  });
});

describe('prediction queue policy', () => {
  let db: TestDatabase;
  const started: PgBoss[] = [];
  const start = async (env: Record<string, string>) => {
    const boss = await startQueue(db.url, predictionQueuePolicy(loadConfig(env)));
    started.push(boss);
    return boss;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    for (const boss of started) await boss.stop({ graceful: false, wait: true });
    await db.drop();
  });

  it('follow a changed configuration in a database whose queue already exists, down to the jobs enqueued after', async () => {
    await start({ INFERENCE_RETRY_LIMIT: '3', INFERENCE_RETRY_DELAY_SECONDS: '5', INFERENCE_JOB_EXPIRY_SECONDS: '900' });
    const boss = await start({ INFERENCE_RETRY_LIMIT: '9', INFERENCE_RETRY_DELAY_SECONDS: '17', INFERENCE_JOB_EXPIRY_SECONDS: '240' });

    expect(await boss.getQueue(PREDICT_QUEUE)).toMatchObject({ policy: 'stately', retryLimit: 9, retryDelay: 17, retryBackoff: true, expireInSeconds: 240 });
    const scanId = '44444444-4444-4444-8444-444444444444';
    await db.dataSource.transaction((manager) => enqueuePrediction(boss, manager, { scanId }));
    const [job] = await db.dataSource.query(
      `SELECT retry_limit, retry_delay, retry_backoff, extract(epoch FROM expire_in)::int AS expire_seconds FROM pgboss.job WHERE data->>'scanId' = $1`,
      [scanId],
    );
    expect(job).toEqual({ retry_limit: 9, retry_delay: 17, retry_backoff: true, expire_seconds: 240 });
  });
});
