import { VIEWS, type ScanStatus, type View } from '@bonescan/clinical';
import { BlobStore, encodePixels } from '@bonescan/blobstore';
import { DicomInstance, Scan, ScanView } from '@bonescan/db';
import { DicomError, readBoneScan, type BoneScanObject } from '@bonescan/dicom';
import type { Logger } from '@bonescan/logger';
import { enqueuePrediction, type PgBoss } from '@bonescan/queue';
import { QueryFailedError, type DataSource, type EntityManager } from 'typeorm';

/** How an object reached the platform; recorded in logs and used as the site when the object names none. */
export interface IngestSource {
  path: 'C-STORE' | 'STOW-RS' | 'IMPORT';
  /** AE title of the sending modality or PACS (C-STORE only). */
  callingAeTitle?: string;
}

export interface StoredInstance {
  /** STORED: new object kept; DUPLICATE: its SOP Instance UID was already stored, nothing changed. */
  outcome: 'STORED' | 'DUPLICATE';
  scanId: string;
  scanStatus: ScanStatus;
  sopInstanceUid: string;
  sopClassUid: string;
  studyInstanceUid: string;
  seriesInstanceUid: string;
  /** Views the scan holds now (both, or one still waiting for its partner). */
  scanViews: View[];
}

export interface IngestOptions {
  dataSource: DataSource;
  boss: PgBoss;
  blobs: BlobStore;
  logger: Logger;
  /** A lone view waits this long for its partner before it is queued single-view. */
  pairingWaitSeconds: number;
}

const UNIQUE_VIOLATION = '23505';

/**
 * The one way a DICOM object becomes a scan, whatever path it came by (C-STORE, STOW-RS, folder import):
 * parse and validate, then in one transaction upsert the patient, write the scan, its views and the
 * original instance, and enqueue prediction once both views are there. Bad objects throw DicomError and
 * leave nothing behind: blobs are written only after every check has passed, inside the transaction.
 */
export class IngestService {
  constructor(private readonly options: IngestOptions) {}

  get blobs(): BlobStore {
    return this.options.blobs;
  }

  async store(bytes: Uint8Array, source: IngestSource): Promise<StoredInstance> {
    const object = readBoneScan(bytes);
    if (!object.patient.id) throw new DicomError('INVALID', 'Patient ID (0010,0020) is empty: a scan cannot be filed without the patient it belongs to');
    const known = await this.findStored(this.options.dataSource.manager, object);
    if (known) return known;
    try {
      const stored = await this.options.dataSource.transaction((manager) => this.storeIn(manager, object, bytes, source));
      this.options.logger.info({ path: source.path, outcome: stored.outcome, scanId: stored.scanId, sopInstanceUid: stored.sopInstanceUid, scanStatus: stored.scanStatus }, 'DICOM object ingested');
      return stored;
    } catch (error) {
      // The same object arriving twice at the same moment: the unique SOP Instance UID lets one
      // transaction win; the other rolls back and reports the winner's scan.
      if (isUniqueViolation(error)) {
        const winner = await this.findStored(this.options.dataSource.manager, object);
        if (winner) return winner;
      }
      throw error;
    }
  }

  /**
   * Queues every scan whose lone view has waited the full pairing time, flagged single-view.
   * Safe to run from several API processes at once: locked rows are skipped, not waited for.
   */
  async queueLoneViews(): Promise<number> {
    return this.options.dataSource.transaction(async (manager) => {
      const rows: Array<{ id: string }> = await manager.query(
        `SELECT id FROM scans WHERE status = 'RECEIVED' AND arrived_at <= now() - make_interval(secs => $1)
         ORDER BY arrived_at LIMIT 500 FOR UPDATE SKIP LOCKED`,
        [this.options.pairingWaitSeconds],
      );
      for (const { id } of rows) await this.queue(manager, id, true);
      if (rows.length > 0) this.options.logger.info({ scans: rows.length }, 'lone views queued single-view after the pairing wait');
      return rows.length;
    });
  }

  private async storeIn(manager: EntityManager, object: BoneScanObject, bytes: Uint8Array, source: IngestSource): Promise<StoredInstance> {
    const patientRowId = await upsertPatient(manager, object);
    const scan = await lockScanOfStudy(manager, object, patientRowId, source);
    if (scan.patientId !== patientRowId) {
      throw new DicomError('PATIENT_MISMATCH', `study ${object.studyInstanceUid} already holds a view of a different patient: views of one scan must share Patient ID (0010,0020)`);
    }
    // Checked again under the scan's lock: a concurrent copy of this object may have committed meanwhile.
    const known = await this.findStored(manager, object);
    if (known) return known;
    const existing = (await manager.find(ScanView, { where: { scanId: scan.id }, select: { view: true } })).map((v) => v.view);
    const repeated = object.views.find((image) => existing.includes(image.view));
    if (repeated) {
      throw new DicomError('INVALID', `study ${object.studyInstanceUid} already has its ${repeated.view} view from another object; send a new study, or the same object (same SOP Instance UID) again`);
    }
    // Hashing and writing the original and the decoded views overlap; none is referenced until the inserts below.
    const [blobKey, ...pixelBlobKeys] = await Promise.all([bytes, ...object.views.map((image) => encodePixels(image.pixels))].map((blob) => this.options.blobs.put(blob)));
    await manager.insert(DicomInstance, {
      sopInstanceUid: object.sopInstanceUid,
      scanId: scan.id,
      seriesInstanceUid: object.seriesInstanceUid,
      sopClassUid: object.sopClassUid,
      transferSyntaxUid: object.transferSyntaxUid,
      blobKey,
      sizeBytes: bytes.byteLength,
    });
    await manager.insert(
      ScanView,
      object.views.map((image, i) => ({
        scanId: scan.id,
        view: image.view,
        pixelBlobKey: pixelBlobKeys[i],
        width: image.width,
        height: image.height,
        pixelSpacingY: image.pixelSpacingMm?.[0] ?? null,
        pixelSpacingX: image.pixelSpacingMm?.[1] ?? null,
        sopInstanceUid: object.sopInstanceUid,
      })),
    );
    const scanViews = VIEWS.filter((view) => existing.includes(view) || object.views.some((image) => image.view === view));
    const scanStatus = await this.queueIfReady(manager, scan, scanViews);
    return { outcome: 'STORED', scanId: scan.id, scanStatus, scanViews, ...identity(object) };
  }

  /** Both views: queue (again, if it was queued single-view and the partner came late). One view: wait, unless no wait is configured. */
  private async queueIfReady(manager: EntityManager, scan: Scan, scanViews: View[]): Promise<ScanStatus> {
    const paired = scanViews.length === VIEWS.length;
    if (paired && (scan.status === 'RECEIVED' || (scan.status === 'QUEUED' && scan.singleView))) return this.queue(manager, scan.id, false);
    if (!paired && scan.status === 'RECEIVED' && this.options.pairingWaitSeconds === 0) return this.queue(manager, scan.id, true);
    if (paired && scan.singleView) {
      this.options.logger.warn({ scanId: scan.id, scanStatus: scan.status }, 'partner view arrived after the single-view prediction; the scan keeps its single-view flag');
    }
    return scan.status;
  }

  private async queue(manager: EntityManager, scanId: string, singleView: boolean): Promise<ScanStatus> {
    await manager.update(Scan, { id: scanId }, { status: 'QUEUED', singleView });
    await enqueuePrediction(this.options.boss, manager, { scanId });
    return 'QUEUED';
  }

  /** The scan an already stored copy of this object belongs to, in one round trip. */
  private async findStored(manager: EntityManager, object: BoneScanObject): Promise<StoredInstance | null> {
    const [row]: Array<{ scan_id: string; status: ScanStatus; views: View[] }> = await manager.query(
      `SELECT s.id AS scan_id, s.status, array(SELECT v.view::text FROM scan_views v WHERE v.scan_id = s.id) AS views
         FROM dicom_instances i JOIN scans s ON s.id = i.scan_id WHERE i.sop_instance_uid = $1`,
      [object.sopInstanceUid],
    );
    if (!row) return null;
    const scanViews = VIEWS.filter((view) => row.views.includes(view));
    return { outcome: 'DUPLICATE', scanId: row.scan_id, scanStatus: row.status, scanViews, ...identity(object) };
  }
}

function identity(object: BoneScanObject) {
  const { sopInstanceUid, sopClassUid, studyInstanceUid, seriesInstanceUid } = object;
  return { sopInstanceUid, sopClassUid, studyInstanceUid, seriesInstanceUid };
}

/** Insert or refresh the patient; details the new object lacks never erase ones already known. */
async function upsertPatient(manager: EntityManager, object: BoneScanObject): Promise<string> {
  const { id, name, birthDate, sex } = object.patient;
  const rows: Array<{ id: string }> = await manager.query(
    `INSERT INTO patients (issuer, patient_id, name, birth_date, sex) VALUES ('', $1, $2, $3, $4)
     ON CONFLICT (issuer, patient_id) DO UPDATE SET
       name = COALESCE(EXCLUDED.name, patients.name),
       birth_date = COALESCE(EXCLUDED.birth_date, patients.birth_date),
       sex = COALESCE(EXCLUDED.sex, patients.sex)
     RETURNING id`,
    [id, name ?? null, isoDate(birthDate), sex ?? null],
  );
  return rows[0].id;
}

/**
 * The scan of the object's study, created if this is its first object, and locked: the views of one
 * study arriving together are filed one after the other, so pairing and duplicate checks see each other.
 */
async function lockScanOfStudy(manager: EntityManager, object: BoneScanObject, patientId: string, source: IngestSource): Promise<Scan> {
  await manager
    .createQueryBuilder()
    .insert()
    .into(Scan)
    .values({
      patientId,
      studyInstanceUid: object.studyInstanceUid,
      accessionNumber: object.study.accessionNumber ?? null,
      description: object.study.description ?? null,
      site: object.institutionName ?? source.callingAeTitle ?? 'unknown',
      manufacturer: object.manufacturer ?? null,
      stationName: object.stationName ?? null,
      acquiredAt: object.acquisitionDateTime ?? null,
      status: 'RECEIVED',
    })
    .orIgnore()
    .execute();
  return manager.findOneOrFail(Scan, { where: { studyInstanceUid: object.studyInstanceUid }, lock: { mode: 'pessimistic_write' } });
}

/** DICOM DA (YYYYMMDD) to an ISO date; anything else is dropped rather than guessed. */
function isoDate(value: string | undefined): string | null {
  const match = /^(\d{4})(\d{2})(\d{2})$/.exec(value ?? '');
  if (!match) return null;
  const iso = `${match[1]}-${match[2]}-${match[3]}`;
  return Number.isNaN(Date.parse(iso)) ? null : iso;
}

function isUniqueViolation(error: unknown): boolean {
  return error instanceof QueryFailedError && (error.driverError as { code?: string }).code === UNIQUE_VIOLATION;
}
