import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BlobStore, decodePixels, encodeHeatMaps, encodePixels } from '@bonescan/blobstore';
import { seedSyntheticScans } from '@bonescan/db';
import { setTestHeatMap } from '@bonescan/db/testing';
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

it('serves a view’s Float32 pixels and each view’s heat map to a signed-in reader, and audits every read', async () => {
  const model = await api.createModelVersion();
  await seedSyntheticScans(api.db.dataSource, { count: 1, modelVersionId: model.id });
  const blobs = new BlobStore(blobRoot);
  const pixels = Float32Array.from({ length: 256 * 1024 }, (_, i) => (i % 997) / 7);
  // The model's 256 × 512 per view; AP and PA told apart by their values, so a swap or a half-shift shows.
  const mapSize = 256 * 512;
  const apMap = Float32Array.from({ length: mapSize }, (_, i) => (i % 101) / 100);
  const paMap = Float32Array.from({ length: mapSize }, (_, i) => 2 + (i % 37) / 64);
  const [view] = await api.db.dataSource.query(`UPDATE scan_views SET pixel_blob_key = $1 WHERE view = 'AP' RETURNING id, scan_id`, [
    await blobs.put(encodePixels(pixels)),
  ]);
  const heatBlob = encodeHeatMaps({ AP: apMap, PA: paMap }); // as the inference worker stores it
  expect(Buffer.compare(Buffer.from(heatBlob), Buffer.concat([Buffer.from(apMap.buffer), Buffer.from(paMap.buffer)]))).toBe(0); // AP, then PA
  const [prediction] = await api.db.dataSource.query(`SELECT id FROM predictions`);
  await setTestHeatMap(api.db.dataSource, prediction.id, await blobs.put(heatBlob));
  const { user, session } = await api.signInAs('CLINICIAN');

  const viewResponse = await fetch(`${api.app.url}/views/${view[0].id}/pixels`, { headers: { authorization: `Bearer ${session}` } });
  expect(viewResponse.status).toBe(200);
  expect([viewResponse.headers.get('x-width'), viewResponse.headers.get('x-height')]).toEqual(['256', '1024']);
  expect(decodePixels(new Uint8Array(await viewResponse.arrayBuffer()))).toEqual(pixels);

  for (const [viewName, map] of [
    ['AP', apMap],
    ['PA', paMap],
  ] as const) {
    const heatResponse = await fetch(`${api.app.url}/predictions/${prediction.id}/heatmap/${viewName}`, { headers: { authorization: `Bearer ${session}` } });
    expect(heatResponse.status).toBe(200);
    expect([heatResponse.headers.get('x-width'), heatResponse.headers.get('x-height')]).toEqual(['256', '512']);
    expect(decodePixels(new Uint8Array(await heatResponse.arrayBuffer()))).toEqual(map);
  }

  const audit = await api.db.dataSource.query(
    `SELECT action, entity_id, details FROM audit_events WHERE actor_user_id = $1 ORDER BY action, details->>'view'`,
    [user.id],
  );
  expect(audit).toEqual([
    { action: 'prediction.heatmap.read', entity_id: prediction.id, details: { view: 'AP' } },
    { action: 'prediction.heatmap.read', entity_id: prediction.id, details: { view: 'PA' } },
    { action: 'view.pixels.read', entity_id: view[0].id, details: {} },
  ]);
});
