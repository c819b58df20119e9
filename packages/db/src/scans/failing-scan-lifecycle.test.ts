import type { ScanStatus } from '@bonescan/clinical';
import { recordPrediction } from '../predictions/record-prediction';
import { createTestDatabase, createTestModelVersion, createTestScan, type TestDatabase } from '../testing';
import { fileScanInstance } from './scan-filing';
import { checkScanMove, queueScan, recordScanAiFailure, ScanNotFoundError, ScanTransitionError } from './scan-lifecycle';

/** Moves DESIGN §4 never makes, written out by hand: nothing goes back, and a read scan stays read. */
const REFUSED_BY_HAND: Array<[ScanStatus, ScanStatus]> = [
  ['QUEUED', 'RECEIVED'],
  ['PREDICTED', 'RECEIVED'],
  ['PREDICTED', 'QUEUED'],
  ['PREDICTED', 'FAILED'],
  ['FAILED', 'RECEIVED'],
  ['FAILED', 'QUEUED'],
  ['REVIEWED', 'RECEIVED'],
  ['REVIEWED', 'QUEUED'],
  ['REVIEWED', 'PREDICTED'],
  ['REVIEWED', 'FAILED'],
];

describe('the scan lifecycle refuses a move back, and writes nothing', () => {
  let db: TestDatabase;
  const scanIn = async (status: ScanStatus) => (await createTestScan(db.dataSource, { status })).scanId;
  const row = async (id: string) => (await db.dataSource.query(`SELECT * FROM scans WHERE id = $1`, [id]))[0];

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  it.each(REFUSED_BY_HAND)('refuses %s → %s with a coded error', (from, to) => {
    expect(() => checkScanMove('scan-1', from, to)).toThrow(expect.objectContaining({ code: 'SCAN_TRANSITION_REFUSED', from, to }));
  });

  it.each<ScanStatus>(['PREDICTED', 'REVIEWED'])('will not queue a %s scan again; the row is as it was', async (status) => {
    const id = await scanIn(status);
    const before = await row(id);
    const refused = db.dataSource.transaction((manager) => queueScan(manager, id, { singleView: true }));
    await expect(refused).rejects.toThrow(ScanTransitionError);
    await expect(refused).rejects.toMatchObject({
      code: 'SCAN_TRANSITION_REFUSED',
      message: `scan ${id} is ${status} and cannot become QUEUED: a ${status} scan ${status === 'PREDICTED' ? 'may only become REVIEWED' : 'stays as it is'}`,
    });
    expect(await row(id)).toEqual(before);
  });

  it('will not file an object that would take a PREDICTED scan back to RECEIVED: no instance, the row as it was', async () => {
    const id = await scanIn('PREDICTED');
    const before = await row(id);
    const instance = {
      sopInstanceUid: '2.25.535399',
      seriesInstanceUid: '2.25.5353991',
      sopClassUid: '1.2.840.10008.5.1.4.1.1.20',
      transferSyntaxUid: '1.2.840.10008.1.2.1',
      blobKey: 'a'.repeat(64),
      sizeBytes: 1000,
      views: [{ view: 'AP' as const, blobKey: 'b'.repeat(64), width: 256, height: 1024 }],
    };
    const locked = { id, samePatient: true, status: 'PREDICTED' as const, singleView: false };
    const refused = db.dataSource.transaction((manager) => fileScanInstance(manager, locked, instance, { status: 'RECEIVED', singleView: false }));
    await expect(refused).rejects.toMatchObject({ code: 'SCAN_TRANSITION_REFUSED', from: 'PREDICTED', to: 'RECEIVED' });
    expect(await row(id)).toEqual(before);
    expect(await db.dataSource.query(`SELECT count(*)::int AS n FROM dicom_instances WHERE scan_id = $1`, [id])).toEqual([{ n: 0 }]);
  });

  it('says which scan does not exist', async () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    await expect(db.dataSource.transaction((manager) => queueScan(manager, missing, { singleView: false }))).rejects.toThrow(new ScanNotFoundError(missing));
  });

  it.each<ScanStatus>(['PREDICTED', 'REVIEWED'])('a failed shadow or re-run job leaves a %s scan as it was', async (status) => {
    const id = await scanIn(status);
    const before = await row(id);
    expect(await db.dataSource.transaction((manager) => recordScanAiFailure(manager, id, 'the model could not be loaded'))).toBe(false);
    expect(await row(id)).toEqual(before);
  });

  it('an ACTIVE call on a REVIEWED scan updates its AI fields but keeps it REVIEWED', async () => {
    const id = await scanIn('REVIEWED');
    const active = await createTestModelVersion(db.dataSource, { status: 'ACTIVE' });
    await db.dataSource.transaction((manager) =>
      recordPrediction(manager, active, { scanId: id, probability: 0.6, label: 'MBD', backend: 'cpu', latencyMs: 90, heatmapBlobKey: null, hotspots: [] }),
    );
    expect(await row(id)).toMatchObject({ status: 'REVIEWED', ai_probability: 0.6, ai_label: 'MBD' });
  });
});
