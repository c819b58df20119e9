import type { AiLabel } from '@bonescan/clinical';
import type { EntityManager } from 'typeorm';
import type { Hotspot } from '../entities/prediction';
import type { ModelVersionRef } from '../model-versions/model-versions';
import { recordScanAiResult } from '../scans/scan-lifecycle';

export interface PredictionRecord {
  scanId: string;
  probability: number;
  label: AiLabel;
  backend: string;
  latencyMs: number;
  heatmapBlobKey: string | null;
  hotspots: Hotspot[];
}

/**
 * Files a version's call on a scan, with the version's threshold, and copies it onto the scan when the version
 * is ACTIVE (scan-lifecycle.ts). A second call for the same scan and version (a retried or duplicated job)
 * changes nothing — the unique index on (scan_id, model_version_id) decides, not this code.
 */
export async function recordPrediction(
  manager: EntityManager,
  version: Pick<ModelVersionRef, 'id' | 'threshold'>,
  prediction: PredictionRecord,
): Promise<{ stored: boolean; byActiveVersion: boolean }> {
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
      prediction.heatmapBlobKey,
      JSON.stringify(prediction.hotspots),
    ],
  );
  if (inserted.length === 0) return { stored: false, byActiveVersion: false };
  const byActiveVersion = await recordScanAiResult(manager, prediction.scanId, {
    modelVersionId: version.id,
    probability: prediction.probability,
    label: prediction.label,
  });
  return { stored: true, byActiveVersion };
}
