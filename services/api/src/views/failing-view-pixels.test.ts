import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BlobStore } from '@bonescan/blobstore';
import { seedSyntheticScans } from '@bonescan/db';
import { setTestHeatMap } from '@bonescan/db/testing';
import { startTestApi, type TestApi } from '../testing/test-api';

let api: TestApi;
let blobRoot: string;
let viewId: string;
let predictionId: string;

beforeAll(async () => {
  blobRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'view-pixels-'));
  api = await startTestApi({ env: { BLOB_DIR: blobRoot } });
  const model = await api.createModelVersion();
  await seedSyntheticScans(api.db.dataSource, { count: 1, modelVersionId: model.id });
  [{ id: viewId }] = await api.db.dataSource.query(`SELECT id FROM scan_views LIMIT 1`);
  [{ id: predictionId }] = await api.db.dataSource.query(`SELECT id FROM predictions LIMIT 1`);
});

afterAll(async () => {
  await api.close();
  fs.rmSync(blobRoot, { recursive: true, force: true });
});

const get = async (route: string, credential?: string) => {
  const response = await fetch(`${api.app.url}${route}`, { headers: credential ? { authorization: `Bearer ${credential}` } : {} });
  return { status: response.status, body: (await response.json()) as { error: string } };
};
const readsAudited = async () =>
  (await api.db.dataSource.query(`SELECT count(*)::int AS count FROM audit_events WHERE action IN ('view.pixels.read', 'prediction.heatmap.read')`))[0]
    .count as number;

it('refuses pixels without credentials, with a bad session, or for an unknown or malformed id, and audits nothing', async () => {
  const { session } = await api.signInAs('CLINICIAN');
  expect(await get(`/views/${viewId}/pixels`)).toEqual({ status: 401, body: { error: 'Sign in, or send an API token as "Authorization: Bearer <token>"' } });
  expect((await get(`/views/${viewId}/pixels`, 'not-a-session')).status).toBe(401);
  expect(await get(`/views/not-a-uuid/pixels`, session)).toEqual({ status: 400, body: { error: '"not-a-uuid" is not a valid id' } });
  const unknown = '00000000-0000-4000-8000-000000000000';
  expect(await get(`/views/${unknown}/pixels`, session)).toEqual({ status: 404, body: { error: `No scan view with id ${unknown}` } });
  // Seeded views point at a blob that was never stored; the seeded prediction has no heat map.
  expect(await get(`/views/${viewId}/pixels`, session)).toEqual({ status: 404, body: { error: 'The pixels of this image are missing from the blob store' } });
  expect(await get(`/predictions/${predictionId}/heatmap/AP`, session)).toEqual({ status: 404, body: { error: `Prediction ${predictionId} has no heat map` } });
  expect(await readsAudited()).toBe(0);
});

it('refuses a heat map without credentials, for a view that is not AP or PA, or for an unknown prediction, and audits nothing', async () => {
  const { session } = await api.signInAs('CLINICIAN');
  expect((await get(`/predictions/${predictionId}/heatmap/AP`)).status).toBe(401);
  expect(await get(`/predictions/${predictionId}/heatmap/LAT`, session)).toEqual({ status: 400, body: { error: '"LAT" is not a view: ask for AP or PA' } });
  expect(await get(`/predictions/${predictionId}/heatmap/ap`, session)).toEqual({ status: 400, body: { error: '"ap" is not a view: ask for AP or PA' } });
  // The whole two-view blob is no longer served: a reader asks for the view it shows.
  expect((await fetch(`${api.app.url}/predictions/${predictionId}/heatmap`, { headers: { authorization: `Bearer ${session}` } })).status).toBe(404);
  const unknown = '00000000-0000-4000-8000-000000000000';
  expect(await get(`/predictions/${unknown}/heatmap/PA`, session)).toEqual({ status: 404, body: { error: `No prediction with id ${unknown}` } });
  expect(await readsAudited()).toBe(0);
});

it('answers a damaged heat map (a blob of the wrong length) with a plain error, serves no bytes and audits nothing', async () => {
  const { session } = await api.signInAs('CLINICIAN');
  // One view's worth of values where two belong: a blob cut short in the middle of PA's map's place.
  const truncated = await new BlobStore(blobRoot).put(new Uint8Array(256 * 512 * 4));
  await setTestHeatMap(api.db.dataSource, predictionId, truncated);
  for (const view of ['AP', 'PA']) {
    expect(await get(`/predictions/${predictionId}/heatmap/${view}`, session)).toEqual({
      status: 500,
      body: { error: 'Internal server error: the stored heat map is damaged and cannot be shown' },
    });
  }
  expect(await readsAudited()).toBe(0);
});
