import { loadConfig, predictionQueuePolicy } from '@bonescan/config';
import { createTestDatabase, type TestDatabase } from '@bonescan/db/testing';
import { enqueuePrediction, PredictionLeases, releaseAbandonedPredictions, startQueue, type PgBoss } from '.';

describe('prediction job leases', () => {
  let db: TestDatabase;
  let boss: PgBoss;
  const leases: PredictionLeases[] = [];
  const worker = () => {
    const lease = new PredictionLeases(boss, db.url);
    leases.push(lease);
    return lease;
  };
  const stateOf = async (id: string): Promise<string> => (await db.dataSource.query('SELECT state FROM pgboss.job WHERE id = $1', [id]))[0].state;

  beforeAll(async () => {
    db = await createTestDatabase();
    boss = await startQueue(db.url, predictionQueuePolicy(loadConfig({ ...process.env, INFERENCE_RETRY_DELAY_SECONDS: '0' })));
  });
  afterAll(async () => {
    for (const lease of leases) await lease.close();
    await boss.stop({ graceful: false, wait: true });
    await db.drop();
  });

  it('hand back at once the job of a worker whose session ended, and leave a live worker’s job alone', async () => {
    await db.dataSource.transaction((manager) => enqueuePrediction(boss, manager, { scanId: '55555555-5555-4555-8555-555555555555' }));
    await db.dataSource.transaction((manager) => enqueuePrediction(boss, manager, { scanId: '66666666-6666-4666-8666-666666666666' }));
    const dying = worker();
    const living = worker();
    const [lost] = await dying.take(1);
    const [kept] = await living.take(1);
    expect([await stateOf(lost.id), await stateOf(kept.id)]).toEqual(['active', 'active']);

    await dying.close(); // as PostgreSQL sees a killed worker: its session is gone
    expect(await releaseAbandonedPredictions(boss)).toEqual([lost.id]);
    expect(await stateOf(lost.id)).toBe('retry');
    expect(await stateOf(kept.id)).toBe('active');

    // The released job is taken again, by the worker that is left, as its second try, once its retry delay is over.
    let again: Awaited<ReturnType<PredictionLeases['take']>>[number] | undefined;
    for (let tries = 0; !again && tries < 50; tries++) {
      [again] = await living.take(1);
      if (!again) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(again).toMatchObject({ id: lost.id, retryCount: 1 });
  });
});
