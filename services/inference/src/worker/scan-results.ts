/**
 * Writing a worker's outcome for a scan: the prediction with its heat map, or the reason it failed. Each is one
 * transaction that ends with a NOTIFY, delivered at commit, so the API can tell the portal at once.
 */
import type { AiLabel } from '@bonescan/clinical';
import { BlobStore, encodeHeatMaps } from '@bonescan/blobstore';
import { findShadowModelVersions, recordPrediction, recordScanAiFailure, type ModelVersionRef } from '@bonescan/db';
import { enqueuePrediction, SCAN_UPDATED_CHANNEL, type PgBoss } from '@bonescan/queue';
import type { DataSource, EntityManager } from 'typeorm';
import type { HeatMap, Hotspot } from '../model';

export interface ScanPrediction {
  scanId: string;
  probability: number;
  label: AiLabel;
  backend: string;
  latencyMs: number;
  heatmap?: HeatMap;
  hotspots: Hotspot[];
}

const notify = (manager: EntityManager, scanId: string) => manager.query(`SELECT pg_notify($1, $2)`, [SCAN_UPDATED_CHANNEL, scanId]);

/**
 * Stores a prediction through the record store; a second one for the same scan and version (a retried or
 * duplicated job) changes nothing. The scan's AI fields follow the ACTIVE version only; after an active
 * prediction, every SHADOW version gets its own job. Returns whether this call stored it.
 */
export async function storePrediction(
  dataSource: DataSource,
  blobs: BlobStore,
  boss: PgBoss,
  version: ModelVersionRef,
  prediction: ScanPrediction,
): Promise<boolean> {
  // Blobs are content-addressed and immutable: writing before the transaction leaves at worst an unused blob.
  const heatmapKey = prediction.heatmap ? await blobs.put(encodeHeatMaps(prediction.heatmap)) : null;
  return dataSource.transaction(async (manager) => {
    const { stored, byActiveVersion } = await recordPrediction(manager, version, { ...prediction, heatmapBlobKey: heatmapKey });
    if (!stored) return false;
    if (byActiveVersion) await enqueueShadowPredictions(manager, boss, prediction.scanId);
    await notify(manager, prediction.scanId);
    return true;
  });
}

async function enqueueShadowPredictions(manager: EntityManager, boss: PgBoss, scanId: string): Promise<void> {
  const shadows = await findShadowModelVersions(manager);
  for (const shadow of shadows) await enqueuePrediction(boss, manager, { scanId, modelVersionId: shadow.id });
}

/**
 * Marks a scan FAILED with the reason, unless it already has its AI result or a reader's verdict (the record
 * store's scan lifecycle decides: a failed shadow or re-run job must not hide a good result).
 */
export async function storeFailure(dataSource: DataSource, scanId: string, reason: string): Promise<void> {
  await dataSource.transaction(async (manager) => {
    if (await recordScanAiFailure(manager, scanId, reason)) await notify(manager, scanId);
  });
}
