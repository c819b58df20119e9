import { seedSyntheticScans } from '@bonescan/db';
import { startTestApi, type TestApi } from '../testing/test-api';

let api: TestApi;
let viewId: string;
let predictionId: string;

beforeAll(async () => {
  api = await startTestApi();
  const model = await api.createModelVersion();
  await seedSyntheticScans(api.db.dataSource, { count: 1, modelVersionId: model.id });
  [{ id: viewId }] = await api.db.dataSource.query(`SELECT id FROM scan_views LIMIT 1`);
  [{ id: predictionId }] = await api.db.dataSource.query(`SELECT id FROM predictions LIMIT 1`);
});

afterAll(async () => {
  await api.close();
});

const get = async (route: string, credential?: string) => {
  const response = await fetch(`${api.app.url}${route}`, { headers: credential ? { authorization: `Bearer ${credential}` } : {} });
  return { status: response.status, body: (await response.json()) as { error: string } };
};

it('refuses pixels without credentials, with a bad session, or for an unknown or malformed id, and audits nothing', async () => {
  const { session } = await api.signInAs('CLINICIAN');
  expect(await get(`/views/${viewId}/pixels`)).toEqual({ status: 401, body: { error: 'Sign in, or send an API token as "Authorization: Bearer <token>"' } });
  expect((await get(`/views/${viewId}/pixels`, 'not-a-session')).status).toBe(401);
  expect(await get(`/views/not-a-uuid/pixels`, session)).toEqual({ status: 400, body: { error: '"not-a-uuid" is not a valid id' } });
  const unknown = '00000000-0000-4000-8000-000000000000';
  expect(await get(`/views/${unknown}/pixels`, session)).toEqual({ status: 404, body: { error: `No scan view with id ${unknown}` } });
  // Seeded views point at a blob that was never stored; the seeded prediction has no heat map.
  expect(await get(`/views/${viewId}/pixels`, session)).toEqual({ status: 404, body: { error: 'The pixels of this image are missing from the blob store' } });
  expect(await get(`/predictions/${predictionId}/heatmap`, session)).toEqual({ status: 404, body: { error: `Prediction ${predictionId} has no heat map` } });
  const [{ count }] = await api.db.dataSource.query(`SELECT count(*)::int AS count FROM audit_events WHERE action IN ('view.pixels.read', 'prediction.heatmap.read')`);
  expect(count).toBe(0);
});
