/**
 * Clinical records planted by tests and benchmarks, beside the record store rather than around it: shapes no
 * clinical path produces on demand (a scan already PREDICTED, a day of calls by hand, clocks moved back) so a
 * test can start from them. Never used by clinical code.
 */
import type { AiLabel, ModelVersionStatus, ScanStatus } from '@bonescan/clinical';
import type { DataSource, EntityManager } from 'typeorm';
import { ModelVersion } from '../entities/model-version';
import type { Hotspot } from '../entities/prediction';

type Db = DataSource | EntityManager;

let versionCounter = 0;

export type TestModelVersion = Partial<Pick<ModelVersion, 'name' | 'version' | 'architecture' | 'path' | 'threshold' | 'syntheticData' | 'card'>> & {
  status?: ModelVersionStatus;
};

/** A model version row with no folder behind it (ACTIVE unless told otherwise): enough for records that name one. */
export function createTestModelVersion(db: Db, version: TestModelVersion = {}): Promise<ModelVersion> {
  versionCounter += 1;
  return db.getRepository(ModelVersion).save({
    name: 'bonescan-vgg16-compact',
    version: `test-${process.pid}-${versionCounter}`,
    architecture: 'vgg16-compact',
    path: '/nonexistent',
    threshold: 0.5,
    status: 'ACTIVE',
    syntheticData: true,
    card: {},
    ...version,
  });
}

/** Moves a version's threshold, as a benchmark does between runs to mix positive and negative calls. */
export async function setTestModelVersionThreshold(db: Db, id: string, threshold: number): Promise<void> {
  await db.query(`UPDATE model_versions SET threshold = $2 WHERE id = $1`, [id, threshold]);
}

let scanCounter = 0;

/**
 * A patient with one scan and no images, in any status (RECEIVED unless told): what tests of reading, ground
 * truth, access and the scan lifecycle need. Identifiers left out are made up, unique within the test file.
 */
export async function createTestScan(
  db: Db,
  scan: { patientId?: string; patientName?: string; studyInstanceUid?: string; site?: string; status?: ScanStatus } = {},
): Promise<{ scanId: string; patientRowId: string }> {
  scanCounter += 1;
  const [row]: Array<{ id: string; patient_id: string }> = await db.query(
    `WITH p AS (INSERT INTO patients (patient_id, name) VALUES ($1, $2) RETURNING id)
     INSERT INTO scans (patient_id, study_instance_uid, site, status) SELECT id, $3, $4, $5 FROM p RETURNING id, patient_id`,
    [
      scan.patientId ?? `TEST-${process.pid}-${scanCounter}`,
      scan.patientName ?? null,
      scan.studyInstanceUid ?? `2.25.${process.pid}${scanCounter}`,
      scan.site ?? 'Test',
      scan.status ?? 'RECEIVED',
    ],
  );
  return { scanId: row.id, patientRowId: row.patient_id };
}

/**
 * Calls of one version on the given scans, in one statement, labelled at `threshold` (0.5 unless told); the
 * scans' own AI fields are left alone, as for a SHADOW version.
 */
export async function plantTestPredictions(
  db: Db,
  modelVersionId: string,
  calls: Array<{ scanId: string; probability: number; latencyMs?: number; hotspots?: Hotspot[] }>,
  threshold = 0.5,
): Promise<void> {
  await db.query(
    `INSERT INTO predictions (scan_id, model_version_id, probability, label, threshold, backend, latency_ms, hotspots)
     SELECT id, $2, p, CASE WHEN p >= $3 THEN 'MBD' ELSE 'NO_MBD' END::prediction_label, $3, 'cpu', latency, hotspots
       FROM unnest($1::uuid[], $4::float8[], $5::float8[], $6::jsonb[]) AS t(id, p, latency, hotspots)`,
    [
      calls.map((call) => call.scanId),
      modelVersionId,
      threshold,
      calls.map((call) => call.probability),
      calls.map((call) => call.latencyMs ?? 900),
      calls.map((call) => JSON.stringify(call.hotspots ?? [])),
    ],
  );
}

/** Changes a stored call, as a corrected prediction would: for tests of what follows predictions. */
export async function changeTestPrediction(db: Db, scanId: string, call: { probability: number; label: AiLabel }): Promise<void> {
  await db.query(`UPDATE predictions SET probability = $2, label = $3 WHERE scan_id = $1`, [scanId, call.probability, call.label]);
}

/**
 * Gives every prediction a score of its own, as a model's float outputs nearly all are: adds n × `step` to the
 * n-th prediction by id. Seeded scores take few values; benchmarks of grouped scores need them distinct.
 */
export async function separateTestPredictionScores(db: Db, step: number): Promise<void> {
  await db.query(
    `UPDATE predictions p SET probability = p.probability + j.n * $1::float8
     FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM predictions) j WHERE p.id = j.id`,
    [step],
  );
}

/** Points a prediction at a heat-map blob (seeded predictions have none). */
export async function setTestHeatMap(db: Db, predictionId: string, heatmapBlobKey: string): Promise<void> {
  await db.query(`UPDATE predictions SET heatmap_blob_key = $2 WHERE id = $1`, [predictionId, heatmapBlobKey]);
}

/** Leaves a scan's predictions without heat map or hotspots, as at a site that does not explain negative calls. */
export async function removeTestHeatMaps(db: Db, scanId: string): Promise<void> {
  await db.query(`UPDATE predictions SET heatmap_blob_key = NULL, hotspots = '[]' WHERE scan_id = $1`, [scanId]);
}

/**
 * Clock changes for one scan. The arrival is set to `arrivedAt`, or moved by `arrivalShiftMinutes` (negative:
 * earlier); the AI result and the reads are set that many minutes after the (new) arrival, null clears one, and a
 * clock left out keeps its value.
 */
export interface ScanClockChange {
  id: string;
  arrivedAt?: Date;
  arrivalShiftMinutes?: number;
  toAiMinutes?: number | null;
  toFirstReadMinutes?: number | null;
  toFinalReadMinutes?: number | null;
  site?: string;
}

/** Moves scans' turnaround clocks (and site), in one statement: for tests of turnaround figures and their rollups. */
export async function moveTestScanClocks(db: Db, changes: ScanClockChange[]): Promise<void> {
  const each = <T>(pick: (change: ScanClockChange) => T) => changes.map(pick);
  const arrived = `coalesce(t.arrived_at, s.arrived_at + t.shift * interval '1 minute')`;
  const clock = (column: string, n: number) => `${column} = CASE WHEN t.set_${n} THEN ${arrived} + t.to_${n} * interval '1 minute' ELSE s.${column} END`;
  await db.query(
    `UPDATE scans s SET arrived_at = ${arrived}, site = coalesce(t.site, s.site), ${clock('predicted_at', 1)}, ${clock('first_read_at', 2)}, ${clock('final_read_at', 3)}
       FROM unnest($1::uuid[], $2::timestamptz[], $3::float8[], $4::text[], $5::bool[], $6::float8[], $7::bool[], $8::float8[], $9::bool[], $10::float8[])
            AS t(id, arrived_at, shift, site, set_1, to_1, set_2, to_2, set_3, to_3)
      WHERE s.id = t.id`,
    [
      each((change) => change.id),
      each((change) => change.arrivedAt ?? null),
      each((change) => change.arrivalShiftMinutes ?? 0),
      each((change) => change.site ?? null),
      each((change) => change.toAiMinutes !== undefined),
      each((change) => change.toAiMinutes ?? null),
      each((change) => change.toFirstReadMinutes !== undefined),
      each((change) => change.toFirstReadMinutes ?? null),
      each((change) => change.toFinalReadMinutes !== undefined),
      each((change) => change.toFinalReadMinutes ?? null),
    ],
  );
}
