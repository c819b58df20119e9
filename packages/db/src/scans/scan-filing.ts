/**
 * Filing a DICOM object's records: the patient, the study's scan, the original instance and its views. Called by
 * ingest inside its transaction (with the blobs and the queue's job), in as few statements as possible: each is a
 * round trip made while the study's scan row is locked.
 */
import type { ScanStatus, View } from '@bonescan/clinical';
import type { EntityManager } from 'typeorm';
import { checkScanMove } from './scan-lifecycle';

export interface StudyRecord {
  patient: { id: string; name: string | null; birthDate: string | null; sex: string | null };
  studyInstanceUid: string;
  accessionNumber: string | null;
  description: string | null;
  site: string;
  manufacturer: string | null;
  stationName: string | null;
  acquiredAt: Date | null;
}

export interface LockedScan {
  id: string;
  /** Whether the scan belongs to the object's patient (a new scan always does). */
  samePatient: boolean;
  status: ScanStatus;
  singleView: boolean;
}

/**
 * Inserts or refreshes the patient (details the new object lacks never erase known ones), creates the study's
 * scan (RECEIVED) if this is its first object, and locks the scan, in one statement: the views of one study
 * arriving together are filed one after the other. ON CONFLICT DO UPDATE both locks the existing scan and
 * returns it as the transaction that held it last left it.
 */
export async function openScanForStudy(manager: EntityManager, study: StudyRecord): Promise<LockedScan> {
  const { id, name, birthDate, sex } = study.patient;
  const [row]: Array<{ id: string; same_patient: boolean; status: ScanStatus; single_view: boolean }> = await manager.query(
    `WITH patient AS (
       INSERT INTO patients (issuer, patient_id, name, birth_date, sex) VALUES ('', $1, $2, $3, $4)
       ON CONFLICT (issuer, patient_id) DO UPDATE SET
         name = COALESCE(EXCLUDED.name, patients.name),
         birth_date = COALESCE(EXCLUDED.birth_date, patients.birth_date),
         sex = COALESCE(EXCLUDED.sex, patients.sex)
       RETURNING id),
     scan AS (
       INSERT INTO scans (patient_id, study_instance_uid, accession_number, description, site, manufacturer, station_name, acquired_at)
       SELECT id, $5, $6, $7, $8, $9, $10, $11 FROM patient
       ON CONFLICT (study_instance_uid) DO UPDATE SET study_instance_uid = scans.study_instance_uid
       RETURNING id, patient_id, status, single_view)
     SELECT scan.id, scan.patient_id = patient.id AS same_patient, scan.status, scan.single_view FROM scan, patient`,
    [
      id,
      name,
      birthDate,
      sex,
      study.studyInstanceUid,
      study.accessionNumber,
      study.description,
      study.site,
      study.manufacturer,
      study.stationName,
      study.acquiredAt,
    ],
  );
  return { id: row.id, samePatient: row.same_patient, status: row.status, singleView: row.single_view };
}

export interface InstanceRecord {
  sopInstanceUid: string;
  seriesInstanceUid: string;
  sopClassUid: string;
  transferSyntaxUid: string;
  blobKey: string;
  sizeBytes: number;
  views: Array<{ view: View; blobKey: string; width: number; height: number; pixelSpacingMm?: [number, number] | null }>;
}

/**
 * The instance, its views and the scan's next status and single-view flag, in one statement. `scan` is the row
 * as openScanForStudy locked it; a status it may not move to is refused before anything is written.
 */
export async function fileScanInstance(
  manager: EntityManager,
  scan: LockedScan,
  instance: InstanceRecord,
  next: { status: ScanStatus; singleView: boolean },
): Promise<void> {
  checkScanMove(scan.id, scan.status, next.status);
  const column = <T>(pick: (view: InstanceRecord['views'][number]) => T) => instance.views.map(pick);
  await manager.query(
    `WITH instance AS (
       INSERT INTO dicom_instances (sop_instance_uid, scan_id, series_instance_uid, sop_class_uid, transfer_syntax_uid, blob_key, size_bytes)
       VALUES ($1, $2, $3, $4, $5, $6, $7)),
     views AS (
       INSERT INTO scan_views (scan_id, sop_instance_uid, view, pixel_blob_key, width, height, pixel_spacing_y, pixel_spacing_x)
       SELECT $2, $1, v.view::scan_view, v.key, v.width, v.height, v.spacing_y, v.spacing_x
         FROM unnest($8::text[], $9::text[], $10::int[], $11::int[], $12::float8[], $13::float8[]) AS v(view, key, width, height, spacing_y, spacing_x))
     UPDATE scans SET status = $14, single_view = $15 WHERE id = $2`,
    [
      instance.sopInstanceUid,
      scan.id,
      instance.seriesInstanceUid,
      instance.sopClassUid,
      instance.transferSyntaxUid,
      instance.blobKey,
      instance.sizeBytes,
      column((view) => view.view),
      column((view) => view.blobKey),
      column((view) => view.width),
      column((view) => view.height),
      column((view) => view.pixelSpacingMm?.[0] ?? null),
      column((view) => view.pixelSpacingMm?.[1] ?? null),
      next.status,
      next.singleView,
    ],
  );
}
