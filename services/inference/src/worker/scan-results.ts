/**
 * Writing a worker's outcome for a scan: the prediction with its heat map, or the reason it failed. Each is one
 * transaction that ends with a NOTIFY, delivered at commit, so the API can tell the portal at once.
 */
import type { AiLabel } from '@bonescan/clinical';
import { BlobStore, encodeHeatMaps } from '@bonescan/blobstore';
import { enqueuePrediction, SCAN_UPDATED_CHANNEL, type PgBoss } from '@bonescan/queue';
import type { DataSource, EntityManager } from 'typeorm';
import type { HeatMap, Hotspot } from '../model';
import type { ModelVersionRow } from './model-registry';

export interface ScanPrediction {
  scanId: string;
  probability: number;
  label: AiLabel;
  backend: string;
  latencyMs: number;
  heatmap?: HeatMap;
  hotspots: Hotspot[];
}

/** Statuses a worker may move to PREDICTED or FAILED; a scan already read keeps its status. */
const AWAITING_AI = `('RECEIVED', 'QUEUED', 'FAILED')`;

const notify = (manager: EntityManager, scanId: string) => manager.query(`SELECT pg_notify($1, $2)`, [SCAN_UPDATED_CHANNEL, scanId]);

/**
 * Stores a prediction; a second one for the same scan and version (a retried or duplicated job) changes
 * nothing — the unique index on (scan_id, model_version_id) decides, not this code. The scan's AI fields
 * follow the ACTIVE version only; after an active prediction, every SHADOW version gets its own job.
 * Returns whether this call stored it.
 */
export async function storePrediction(
  dataSource: DataSource,
  blobs: BlobStore,
  boss: PgBoss,
  version: ModelVersionRow,
  prediction: ScanPrediction,
): Promise<boolean> {
  // Blobs are content-addressed and immutable: writing before the transaction leaves at worst an unused blob.
  const heatmapKey = prediction.heatmap ? await blobs.put(encodeHeatMaps(prediction.heatmap)) : null;
  return dataSource.transaction(async (manager) => {
    const inserted: unknown[] = await manager.query(
      `INSERT INTO predictions (scan_id, model_version_id, probability, label, threshold, backend, latency_ms, heatmap_blob_key, hotspots)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (scan_id, model_version_id) DO NOTHING RETURNING id`,
      [
        prediction.scanId,
        version.id,
        prediction.probability,
        prediction.label,
        version.threshold,
        prediction.backend,
        prediction.latencyMs,
        heatmapKey,
        JSON.stringify(prediction.hotspots),
      ],
    );
    if (inserted.length === 0) return false;
    const [, updated] = (await manager.query(
      `UPDATE scans s SET ai_probability = $2, ai_label = $3, predicted_at = now(), failure_reason = NULL,
              status = CASE WHEN s.status IN ${AWAITING_AI} THEN 'PREDICTED'::scan_status ELSE s.status END
       FROM model_versions mv WHERE s.id = $1 AND mv.id = $4 AND mv.status = 'ACTIVE'`,
      [prediction.scanId, prediction.probability, prediction.label, version.id],
    )) as [unknown, number];
    if (updated > 0) await enqueueShadowPredictions(manager, boss, prediction.scanId);
    await notify(manager, prediction.scanId);
    return true;
  });
}

async function enqueueShadowPredictions(manager: EntityManager, boss: PgBoss, scanId: string): Promise<void> {
  const shadows: Array<{ id: string }> = await manager.query(`SELECT id FROM model_versions WHERE status = 'SHADOW'`);
  for (const shadow of shadows) await enqueuePrediction(boss, manager, { scanId, modelVersionId: shadow.id });
}

/**
 * Marks a scan FAILED with the reason, unless it already has its AI result or a reader's verdict (a failed
 * shadow or re-run job must not hide a good result).
 */
export async function storeFailure(dataSource: DataSource, scanId: string, reason: string): Promise<void> {
  await dataSource.transaction(async (manager) => {
    const [, updated] = (await manager.query(
      `UPDATE scans SET status = 'FAILED', failure_reason = $2 WHERE id = $1 AND status IN ${AWAITING_AI}`,
      [scanId, reason],
    )) as [unknown, number];
    if (updated > 0) await notify(manager, scanId);
  });
}
