import * as os from 'node:os';
import { predictionQueuePolicy } from '@bonescan/config';
import { seedSyntheticScans } from '@bonescan/db';
import { PREDICT_QUEUE, SCAN_UPDATED_CHANNEL, startQueue, type PgBoss } from '@bonescan/queue';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { CARD, REGISTER, RERUN, SET_STATUS, writeModelFolder } from '../testing/model-versions';
import { startTestApi, type TestApi } from '../testing/test-api';

describe('model versions', () => {
  let api: TestApi;
  let admin: string;
  let boss: PgBoss;

  beforeAll(async () => {
    api = await startTestApi({ env: { MODELS_DIR: os.tmpdir() } });
    admin = (await api.signInAs('ADMIN')).session;
    boss = await startQueue(api.db.url, predictionQueuePolicy(api.config));
  });
  afterAll(async () => {
    await boss.stop({ graceful: false, wait: true });
    await api.close();
  });

  it('registers a model folder from its card, INACTIVE until an admin says otherwise', async () => {
    const dir = writeModelFolder(CARD);
    const { data, errors } = await api.graphql(REGISTER, { path: dir }, admin);
    expect(errors).toBeUndefined();
    expect(data!.registerModelVersion).toMatchObject({
      name: 'bonescan-vgg16',
      version: '2026-11-27',
      architecture: 'vgg16',
      threshold: 0.42,
      status: 'INACTIVE',
      syntheticData: true,
      card: CARD,
    });
    const [row] = await api.db.dataSource.query(`SELECT path FROM model_versions WHERE id = $1`, [data!.registerModelVersion.id]);
    expect(row.path).toBe(dir);
  });

  it('keeps exactly one ACTIVE version; SHADOW versions sit beside it', async () => {
    const register = async (version: string) =>
      (await api.graphql(REGISTER, { path: writeModelFolder({ ...CARD, version }) }, admin)).data!.registerModelVersion.id as string;
    const [a, b, c] = [await register('a'), await register('b'), await register('c')];
    for (const [id, status] of [
      [a, 'ACTIVE'],
      [c, 'SHADOW'],
      [b, 'ACTIVE'],
    ] as const) {
      const { data, errors } = await api.graphql(SET_STATUS, { id, status }, admin);
      expect(errors).toBeUndefined();
      expect(data!.setModelVersionStatus).toEqual({ id, status });
    }
    const rows: Array<{ id: string; status: string }> = await api.db.dataSource.query(`SELECT id, status FROM model_versions WHERE id = ANY($1)`, [[a, b, c]]);
    expect(Object.fromEntries(rows.map((r) => [r.id, r.status]))).toEqual({ [a]: 'INACTIVE', [b]: 'ACTIVE', [c]: 'SHADOW' });
  });

  it('re-runs a version over the scans of a date range, once per scan', async () => {
    const id = (await api.graphql(REGISTER, { path: writeModelFolder({ ...CARD, version: 'rerun' }) }, admin)).data!.registerModelVersion.id;
    await seedSyntheticScans(api.db.dataSource, { count: 30 });
    // Seeded scans arrive 37 s apart going back from now: the last 10 minutes hold 16 of them.
    const range = { from: new Date(Date.now() - 10 * 60_000).toISOString(), to: new Date(Date.now() + 60_000).toISOString() };
    const inRange: Array<{ id: string }> = await api.db.dataSource.query(`SELECT id FROM scans WHERE arrived_at >= $1 AND arrived_at < $2`, [
      range.from,
      range.to,
    ]);
    const first = await api.graphql(RERUN, { id, range }, admin);
    expect(first.errors).toBeUndefined();
    expect(first.data!.rerunModelVersion).toBe(inRange.length);
    expect((await api.graphql(RERUN, { id, range }, admin)).data!.rerunModelVersion).toBe(0);
    const jobs: Array<{ data: { scanId: string; modelVersionId: string } }> = await api.db.dataSource.query(`SELECT data FROM pgboss.job WHERE name = $1`, [
      PREDICT_QUEUE,
    ]);
    expect(jobs.map((j) => j.data.scanId).sort()).toEqual(inRange.map((s) => s.id).sort());
    expect(new Set(jobs.map((j) => j.data.modelVersionId))).toEqual(new Set([id]));
  });

  it('relays a stored result to a scanUpdated subscription over graphql-ws', async () => {
    const { session } = await api.signInAs('CLINICIAN');
    const [scan] = await api.db.dataSource.query(`SELECT id, status FROM scans LIMIT 1`);
    const client = createClient({
      url: api.app.url.replace('http', 'ws') + '/graphql',
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${session}` },
      lazy: false,
    });
    const received = new Promise<Record<string, any>>((resolve, reject) => {
      client.subscribe(
        { query: `subscription ($scanId: ID) { scanUpdated(scanId: $scanId) { id status } }`, variables: { scanId: scan.id } },
        { next: (value) => resolve(value as Record<string, any>), error: reject, complete: () => undefined },
      );
    });
    // The worker's NOTIFY: repeated until the subscription (set up asynchronously) hears one.
    const timer = setInterval(() => void api.db.dataSource.query(`SELECT pg_notify($1, $2)`, [SCAN_UPDATED_CHANNEL, scan.id]), 100);
    try {
      expect(await received).toEqual({ data: { scanUpdated: { id: scan.id, status: scan.status } } });
    } finally {
      clearInterval(timer);
      await client.dispose();
    }
  });
});
