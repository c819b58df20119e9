import type { ScanStatus } from '@bonescan/clinical';
import type { DataSource } from 'typeorm';

/** A patient with one scan and no images: what tests of reading, ground truth and access need, without running ingest. */
export async function insertScan(
  dataSource: DataSource,
  scan: { patientId: string; patientName?: string; studyInstanceUid: string; site: string; status?: ScanStatus },
): Promise<{ scanId: string; patientRowId: string }> {
  const [row] = await dataSource.query(
    `WITH p AS (INSERT INTO patients (patient_id, name) VALUES ($1, $2) RETURNING id)
     INSERT INTO scans (patient_id, study_instance_uid, site, status) SELECT id, $3, $4, $5 FROM p RETURNING id, patient_id`,
    [scan.patientId, scan.patientName ?? null, scan.studyInstanceUid, scan.site, scan.status ?? 'RECEIVED'],
  );
  return { scanId: row.id, patientRowId: row.patient_id };
}
