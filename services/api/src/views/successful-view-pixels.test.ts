import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BlobStore, decodePixels, encodePixels } from '@bonescan/blobstore';
import { MODEL_INPUT } from '@bonescan/clinical';
import { seedSyntheticScans } from '@bonescan/db';
import { startTestApi, type TestApi } from '../testing/test-api';

let api: TestApi;
let blobRoot: string;

beforeAll(async () => {
  blobRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'view-pixels-'));
  api = await startTestApi({ env: { BLOB_DIR: blobRoot } });
});

afterAll(async () => {
  await api.close();
  fs.rmSync(blobRoot, { recursive: true, force: true });
});

it('serves a view’s Float32 pixels and a prediction’s heat map to a signed-in reader, and audits both reads', async () => {
  const model = await api.createModelVersion();
  await seedSyntheticScans(api.db.dataSource, { count: 1, modelVersionId: model.id });
  const blobs = new BlobStore(blobRoot);
  const pixels = Float32Array.from({ length: 256 * 1024 }, (_, i) => (i % 997) / 7);
  const heatmap = Float32Array.from({ length: 2 * MODEL_INPUT.viewWidth * MODEL_INPUT.viewHeight }, (_, i) => (i % 101) / 100);
  const [view] = await api.db.dataSource.query(`UPDATE scan_views SET pixel_blob_key = $1 WHERE view = 'AP' RETURNING id, scan_id`, [await blobs.put(encodePixels(pixels))]);
  const [[prediction]] = await api.db.dataSource.query(`UPDATE predictions SET heatmap_blob_key = $1 RETURNING id`, [await blobs.put(encodePixels(heatmap))]);
  const { user, session } = await api.signInAs('CLINICIAN');

  const viewResponse = await fetch(`${api.app.url}/views/${view[0].id}/pixels`, { headers: { authorization: `Bearer ${session}` } });
  expect(viewResponse.status).toBe(200);
  expect([viewResponse.headers.get('x-width'), viewResponse.headers.get('x-height')]).toEqual(['256', '1024']);
  expect(decodePixels(new Uint8Array(await viewResponse.arrayBuffer()))).toEqual(pixels);

  const heatResponse = await fetch(`${api.app.url}/predictions/${prediction.id}/heatmap`, { headers: { authorization: `Bearer ${session}` } });
  expect(heatResponse.status).toBe(200);
  expect([heatResponse.headers.get('x-width'), heatResponse.headers.get('x-height')]).toEqual([String(MODEL_INPUT.viewWidth), String(MODEL_INPUT.viewHeight)]);
  expect(decodePixels(new Uint8Array(await heatResponse.arrayBuffer()))).toEqual(heatmap);

  const audit = await api.db.dataSource.query(`SELECT action, entity_id FROM audit_events WHERE actor_user_id = $1 ORDER BY action`, [user.id]);
  expect(audit).toEqual([
    { action: 'prediction.heatmap.read', entity_id: prediction.id },
    { action: 'view.pixels.read', entity_id: view[0].id },
  ]);
});
