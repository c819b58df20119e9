import { VIEWS, type ScanStatus, type View } from '@bonescan/clinical';
import type { BlobStore } from '@bonescan/blobstore';
import { fileScanInstance, openScanForStudy, queueScan, type InstanceRecord, type LockedScan, type StudyRecord } from '@bonescan/db';
import { DicomError } from '@bonescan/dicom';
import type { Logger } from '@bonescan/logger';
import { enqueuePrediction, type PgBoss } from '@bonescan/queue';
import { QueryFailedError, type DataSource, type EntityManager } from 'typeorm';
import { stagedBlobsOf, type PreparedObject } from './prepare-object';

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
  /** Parses, decodes and validates an object and stages its blobs (prepareObject, in a worker pool). */
  prepare: (bytes: Uint8Array) => Promise<PreparedObject>;
}

const UNIQUE_VIOLATION = '23505';

/**
 * The one way a DICOM object becomes a scan, whatever path it came by (C-STORE, STOW-RS, folder import):
 * prepare it (parse, validate, stage its blobs), then in one transaction upsert the patient, write the scan,
 * its views and the original instance, publish the blobs and enqueue prediction once both views are there.
 * Bad objects throw DicomError and leave nothing behind: staged blobs become visible only once every check
 * has passed, inside the transaction and before it commits, and are removed otherwise.
 */
export class IngestService {
  constructor(private readonly options: IngestOptions) {}

  get blobs(): BlobStore {
    return this.options.blobs;
  }

  async store(bytes: Uint8Array, source: IngestSource): Promise<StoredInstance> {
    const object = await this.options.prepare(bytes);
    let stored: StoredInstance | undefined;
    try {
      stored = await this.file(object, source);
      return stored;
    } finally {
      // Published blobs no longer have their temporary names; what was not filed is removed.
      if (stored?.outcome !== 'STORED') await this.options.blobs.discard(stagedBlobsOf(object));
    }
  }

  private async file(object: PreparedObject, source: IngestSource): Promise<StoredInstance> {
    try {
      const stored = await this.options.dataSource.transaction((manager) => this.storeIn(manager, object, source));
      this.options.logger.info(
        { path: source.path, outcome: stored.outcome, scanId: stored.scanId, sopInstanceUid: stored.sopInstanceUid, scanStatus: stored.scanStatus },
        'DICOM object ingested',
      );
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
      for (const { id } of rows) await this.queueSingleView(manager, id);
      if (rows.length > 0) this.options.logger.info({ scans: rows.length }, 'lone views queued single-view after the pairing wait');
      return rows.length;
    });
  }

  // Every statement is a round trip made while the study's row is locked, so the filing below is kept to
  // four of them (the queue's insert among them) besides BEGIN and COMMIT, and the costly work (parsing,
  // hashing, writing blobs) was done before the transaction began.
  private async storeIn(manager: EntityManager, object: PreparedObject, source: IngestSource): Promise<StoredInstance> {
    const scan = await openScanForStudy(manager, studyOf(object, source));
    if (!scan.samePatient) {
      throw new DicomError(
        'PATIENT_MISMATCH',
        `study ${object.studyInstanceUid} already holds a view of a different patient: views of one scan must share Patient ID (0010,0020)`,
      );
    }
    // Read after the lock, in a statement of its own: it sees whatever a concurrent filing of this study committed.
    const { storedIn, views: existing } = await filedSoFar(manager, scan.id, object.sopInstanceUid);
    if (storedIn === scan.id) return (await this.findStored(manager, object)) as StoredInstance;
    if (storedIn) {
      // Rolls back the scan this transaction may just have created for the object's study.
      throw new DicomError(
        'INVALID',
        `SOP Instance UID ${object.sopInstanceUid} is already stored under another study; a SOP Instance UID names one object only`,
      );
    }
    const repeated = object.views.find((image) => existing.includes(image.view));
    if (repeated) {
      throw new DicomError(
        'INVALID',
        `study ${object.studyInstanceUid} already has its ${repeated.view} view from another object; send a new study, or the same object (same SOP Instance UID) again`,
      );
    }
    const scanViews = VIEWS.filter((view) => existing.includes(view) || object.views.some((image) => image.view === view));
    const next = this.nextState(scan, scanViews);
    await fileScanInstance(manager, scan, instanceOf(object), next);
    // The rows are invisible until COMMIT, which waits for the blobs to be on disk under their keys.
    await Promise.all([this.options.blobs.publish(stagedBlobsOf(object)), next.enqueue && enqueuePrediction(this.options.boss, manager, { scanId: scan.id })]);
    return { outcome: 'STORED', scanId: scan.id, scanStatus: next.status, scanViews, ...identity(object) };
  }

  /** Both views: queue (again, if it was queued single-view and the partner came late). One view: wait, unless no wait is configured. */
  private nextState(scan: LockedScan, scanViews: View[]): { status: ScanStatus; singleView: boolean; enqueue: boolean } {
    const paired = scanViews.length === VIEWS.length;
    if (paired && (scan.status === 'RECEIVED' || (scan.status === 'QUEUED' && scan.singleView))) return { status: 'QUEUED', singleView: false, enqueue: true };
    if (!paired && scan.status === 'RECEIVED' && this.options.pairingWaitSeconds === 0) return { status: 'QUEUED', singleView: true, enqueue: true };
    if (paired && scan.singleView) {
      this.options.logger.warn(
        { scanId: scan.id, scanStatus: scan.status },
        'partner view arrived after the single-view prediction; the scan keeps its single-view flag',
      );
    }
    return { status: scan.status, singleView: scan.singleView, enqueue: false };
  }

  private async queueSingleView(manager: EntityManager, scanId: string): Promise<void> {
    await queueScan(manager, scanId, { singleView: true });
    await enqueuePrediction(this.options.boss, manager, { scanId });
  }

  /** The scan an already stored copy of this object belongs to, in one round trip. */
  private async findStored(manager: EntityManager, object: PreparedObject): Promise<StoredInstance | null> {
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

function identity(object: PreparedObject) {
  const { sopInstanceUid, sopClassUid, studyInstanceUid, seriesInstanceUid } = object;
  return { sopInstanceUid, sopClassUid, studyInstanceUid, seriesInstanceUid };
}

/** The study and patient details an object carries, as the record store files them. */
function studyOf(object: PreparedObject, source: IngestSource): StudyRecord {
  const { id, name, birthDate, sex } = object.patient;
  return {
    patient: { id, name: name ?? null, birthDate: isoDate(birthDate), sex: sex ?? null },
    studyInstanceUid: object.studyInstanceUid,
    accessionNumber: object.study.accessionNumber ?? null,
    description: object.study.description ?? null,
    site: object.institutionName ?? source.callingAeTitle ?? 'unknown',
    manufacturer: object.manufacturer ?? null,
    stationName: object.stationName ?? null,
    acquiredAt: object.acquisitionDateTime ?? null,
  };
}

function instanceOf(object: PreparedObject): InstanceRecord {
  const { sopInstanceUid, seriesInstanceUid, sopClassUid, transferSyntaxUid, sizeBytes } = object;
  const views = object.views.map(({ view, blob, width, height, pixelSpacingMm }) => ({ view, blobKey: blob.key, width, height, pixelSpacingMm }));
  return { sopInstanceUid, seriesInstanceUid, sopClassUid, transferSyntaxUid, blobKey: object.original.key, sizeBytes, views };
}

/** Whether this SOP instance is already stored (and where), and which views the scan holds. */
async function filedSoFar(manager: EntityManager, scanId: string, sopInstanceUid: string): Promise<{ storedIn: string | null; views: View[] }> {
  const [row]: Array<{ stored_in: string | null; views: View[] }> = await manager.query(
    `SELECT (SELECT scan_id FROM dicom_instances WHERE sop_instance_uid = $2) AS stored_in,
            array(SELECT view::text FROM scan_views WHERE scan_id = $1) AS views`,
    [scanId, sopInstanceUid],
  );
  return { storedIn: row.stored_in, views: row.views };
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
