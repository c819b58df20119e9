import { createTestDatabase, type TestDatabase } from '@bonescan/db/testing';
import { enqueuePrediction, PREDICT_QUEUE, startQueue, type PgBoss } from '.';

describe('prediction queue', () => {
  let db: TestDatabase;
  let boss: PgBoss;

  beforeAll(async () => {
    db = await createTestDatabase();
    boss = await startQueue(db.url, { supervise: false });
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
