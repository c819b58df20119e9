import { BlobStore, encodeHeatMaps, encodePixels, HEAT_MAP, type HeatMaps } from '@bonescan/blobstore';
import { seedSyntheticScans } from '@bonescan/db';
import { setTestHeatMap } from '@bonescan/db/testing';
import { generatePhantom } from '@bonescan/phantoms';
import type { DataSource } from 'typeorm';

export interface ReadingDay {
  /** Scan ids, AI-positive ones by falling probability. */
  positives: Array<{ id: string; probability: number }>;
  negatives: string[];
  singleViewScanId: string;
}

/**
 * A morning's worklist with real images: synthetic scans (seedSyntheticScans) whose views point at
 * phantom bone scans (256 x 1024, @bonescan/phantoms) in the blob store, and AI predictions with a
 * Grad-CAM map peaking at each prediction's first hotspot.
 */
export async function seedReadingDay(dataSource: DataSource, blobRoot: string, modelVersionId: string, count = 9): Promise<ReadingDay> {
  await seedSyntheticScans(dataSource, { count, modelVersionId, sites: ['North', 'South'] });
  const blobs = new BlobStore(blobRoot);

  const phantomKeys: Record<'MBD' | 'NO_MBD', { AP: string; PA: string }> = { MBD: { AP: '', PA: '' }, NO_MBD: { AP: '', PA: '' } };
  for (const label of ['MBD', 'NO_MBD'] as const) {
    const phantom = generatePhantom({ seed: label === 'MBD' ? 11 : 12, centre: 'A', mbd: label === 'MBD', width: 256, height: 1024 });
    phantomKeys[label] = { AP: await blobs.put(encodePixels(phantom.views.AP)), PA: await blobs.put(encodePixels(phantom.views.PA)) };
  }
  for (const label of ['MBD', 'NO_MBD'] as const) {
    for (const view of ['AP', 'PA'] as const) {
      await dataSource.query(
        `UPDATE scan_views v SET pixel_blob_key = $1 FROM scans s WHERE s.id = v.scan_id AND v.view = $2 AND coalesce(s.ai_label::text, 'NO_MBD') = $3`,
        [phantomKeys[label][view], view, label],
      );
    }
  }

  const predictions: Array<{ id: string; hotspots: Array<{ view: 'AP' | 'PA'; x: number; y: number }> }> =
    await dataSource.query(`SELECT id, hotspots FROM predictions`);
  for (const prediction of predictions) {
    const key = await blobs.put(encodeHeatMaps(gradCamPeakingAt(prediction.hotspots[0])));
    await setTestHeatMap(dataSource, prediction.id, key);
  }

  const scans: Array<{ id: string; ai_label: string | null; ai_probability: number | null }> = await dataSource.query(
    `SELECT id, ai_label, ai_probability FROM scans ORDER BY ai_probability DESC NULLS LAST`,
  );
  const negatives = scans.filter((scan) => scan.ai_label !== 'MBD').map((scan) => scan.id);
  const singleViewScanId = negatives[negatives.length - 1];
  await dataSource.query(`DELETE FROM scan_views WHERE scan_id = $1 AND view = 'PA'`, [singleViewScanId]);
  return {
    positives: scans.filter((scan) => scan.ai_label === 'MBD').map((scan) => ({ id: scan.id, probability: Number(scan.ai_probability) })),
    negatives,
    singleViewScanId,
  };
}

/** Heat maps as the inference worker makes them, one per view in the model's space (HEAT_MAP), cold but for the hotspot's view. */
function gradCamPeakingAt(hotspot: { view: 'AP' | 'PA'; x: number; y: number } | undefined): HeatMaps {
  const { width, height } = HEAT_MAP;
  const maps = { AP: new Float32Array(width * height), PA: new Float32Array(width * height) };
  if (!hotspot) return maps;
  // Hotspots are in the model's space of the view, as the heat map is (both 256 x 512, whatever the view's size).
  const map = maps[hotspot.view];
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) map[y * width + x] = Math.exp(-((x - hotspot.x) ** 2 + (y - hotspot.y) ** 2) / (2 * 20 ** 2));
  }
  return maps;
}
